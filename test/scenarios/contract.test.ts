import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/errors.js';
import { readResultMarker } from '../../src/io/atomic.js';
import { parseOverride } from '../../src/scenarios/load.js';
import { registerScenarioKind } from '../../src/scenarios/registry.js';
import { applyBalancePolicy, estimateScenario, loadScenarioFile, resolveScenario, runScenario, scenarioHash, validateScenario } from '../../src/scenarios/run.js';
import { scenarioKinds } from '../../src/scenarios/registry.js';
import { schemaFiles, scenariosDoc } from '../../src/scenarios/json-schema.js';
import { loadSweepFile } from '../../src/scenarios/sweep.js';
import { inputErrorMessages } from '../helpers/input-errors.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const tmp = () => mkdtempSync(join(tmpdir(), 'rhizocarb-contract-'));
const examples = readdirSync(join(root, 'examples')).filter((f) => f.endsWith('.yaml'));
const short = (days: number) => readFileSync(join(root, 'examples/single-root.yaml'), 'utf8').replace('days: 10', `days: ${days}`);

describe('generated scenario documentation', () => {
  it('schemas/*.json and docs/SCENARIOS.md are up to date with the zod schemas (regenerate: npm run docs:scenarios)', () => {
    const files = schemaFiles();
    expect([...files.keys()].sort()).toEqual(readdirSync(join(root, 'schemas')).sort());
    for (const [name, text] of files) expect(readFileSync(join(root, 'schemas', name), 'utf8'), name).toBe(text);
    const md = readFileSync(join(root, 'docs/SCENARIOS.md'), 'utf8');
    expect(md).toBe(scenariosDoc(md));
  });

  it('every example names its schema in a yaml-language-server modeline, and the schema documents every key it uses', () => {
    for (const f of examples) {
      const text = readFileSync(join(root, 'examples', f), 'utf8');
      const kind = /^kind: (\S+)/m.exec(text)![1];
      expect(text.split('\n')[0], f).toBe(`# yaml-language-server: $schema=../schemas/${kind}.json`);
    }
    const md = readFileSync(join(root, 'docs/SCENARIOS.md'), 'utf8');
    for (const key of ['time.couplingStep_min', 'outputs.snapshots_d', 'drySpell.psi_cm', 'parameterSet.values.muMaxC_per_d', 'soil.hydraulics', 'monteCarlo.draws']) expect(md).toContain(`\`${key}\``);
  });

  it('soil ranges come from the registry: θ_s = 0.95 is refused (registry ≤ 0.9) in every kind that takes a soil', () => {
    const sr = short(1).replace('soil: loam', 'soil: {thetaR: 0.05, thetaS: 0.95, alpha_per_cm: 0.04, n: 1.6, Ks_cm_per_d: 50}');
    const f = join(tmp(), 's.yaml');
    writeFileSync(f, sr);
    expect(inputErrorMessages(() => validateScenario(loadScenarioFile(f))).join('\n')).toMatch(/s\.yaml:\d+:\d+ soil\.thetaS: got 0\.95, expected a number in \[0\.05, 0\.9\] cm3 water cm-3 soil/);
    const p = join(tmp(), 'p.yaml');
    writeFileSync(p, 'kind: plant\nsoil:\n  hydraulics: {thetaR: 0.05, thetaS: 0.95, alpha_per_cm: 0.04, n: 1.6, Ks_cm_per_d: 50}\n');
    expect(inputErrorMessages(() => validateScenario(loadScenarioFile(p))).join('\n')).toMatch(/soil\.hydraulics\.thetaS: got 0\.95, expected a number in \[0\.05, 0\.9\]/);
  });
});

describe('resolve: every number, a fixed point, a stable hash', () => {
  for (const f of examples) {
    it(`examples/${f}: resolving the resolved scenario gives the same object and hash`, () => {
      const file = join(root, 'examples', f);
      // A sweep example: every task's resolved scenario is checked (here the first and the last).
      const sweep = /^kind: sweep$/m.test(readFileSync(file, 'utf8')) ? loadSweepFile(file).tasks : null;
      for (const r of sweep ? [sweep[0].resolved, sweep[sweep.length - 1].resolved] : [resolveScenario(loadScenarioFile(file))]) checkFixedPoint(r);
    });
  }
  function checkFixedPoint(r: ReturnType<typeof resolveScenario>): void {
    {
      const json = JSON.parse(JSON.stringify(r));
      expect(json).toEqual(r);
      const again = resolveScenario(json);
      expect(again).toEqual(r);
      expect(scenarioHash(again)).toBe(scenarioHash(r));
      expect(scenarioHash(r)).toMatch(/^[0-9a-f]{64}$/);
      expect(estimateScenario(r).workUnits).toBeGreaterThan(0);
    }
  }

  it('named things become numbers: soil "loam", parameter set "highCO2", plant parameters, weather', () => {
    const sr = resolveScenario(loadScenarioFile(join(root, 'examples/single-root.yaml'))) as any;
    expect(sr.soil).toEqual({ name: 'loam', thetaR: 0.08, thetaS: 0.43, alpha_per_cm: 0.04, n: 1.6, Ks_cm_per_d: 50, l: 0.5 });
    expect(sr.parameterSet.name).toBe('highCO2');
    expect(sr.parameterSet.values.muMaxC_per_d).toBeGreaterThan(0);
    expect(sr.time.profileTimes_d[0]).toBe(0);
    const pl = resolveScenario(loadScenarioFile(join(root, 'examples/plant-early-dry.yaml'))) as any;
    expect(pl.plant.file).toMatch(/Triticum_aestivum_test_2021_1cm\.xml$/);
    expect(pl.plant.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(Object.keys(pl.parameters.carbon).length).toBeGreaterThan(10);
    expect(pl.weather.dry.tDay_C).toBe(30.27);
  });

  it('the hash changes with any number and ignores key order', () => {
    const a = resolveScenario(loadScenarioFile(join(root, 'examples/single-root.yaml'))) as any;
    const reordered = Object.fromEntries(Object.entries(a).reverse());
    expect(scenarioHash(reordered as any)).toBe(scenarioHash(a));
    expect(scenarioHash({ ...a, root: { ...a.root, radius_cm: 0.0200001 } })).not.toBe(scenarioHash(a));
  });

  it('re-running resolved-scenario.json reproduces the run (same hash, same time series)', async () => {
    const d = tmp();
    const f = join(d, 's.yaml');
    writeFileSync(f, short(0.25));
    const first = await runScenario(loadScenarioFile(f), { out: join(d, 'a') });
    const second = await runScenario(loadScenarioFile(join(d, 'a', 'resolved-scenario.json')), { out: join(d, 'b') });
    expect(second.summary.scenarioHash).toBe(first.summary.scenarioHash);
    expect(readFileSync(join(d, 'b', 'timeseries.csv'), 'utf8')).toBe(readFileSync(join(d, 'a', 'timeseries.csv'), 'utf8'));
    expect(readResultMarker(join(d, 'b'))?.kind).toBe('single-root');
  });
});

describe('--set overrides', () => {
  it('dotted paths with [i], YAML values; errors name the override', () => {
    expect(parseOverride('outputs.snapshots_d[1]=12')).toMatchObject({ path: ['outputs', 'snapshots_d', 1], value: 12 });
    expect(parseOverride('solver.waterLimitation=false').value).toBe(false);
    expect(parseOverride('name="12"').value).toBe('12');
    expect(parseOverride('outputs.snapshots_d=[10, 20]').value).toEqual([10, 20]);
    const f = join(root, 'examples/single-root.yaml');
    const v = validateScenario(loadScenarioFile(f, { set: ['time.days=2', 'forcing.exudation.peak=0.3'] }));
    expect(v.scenario).toMatchObject({ time: { days: 2 }, forcing: { exudation: { peak: 0.3 } } });
    const m = inputErrorMessages(() => validateScenario(loadScenarioFile(f, { set: ['time.days=abc'] })));
    expect(m.join('\n')).toMatch(/^--set time\.days=abc time\.days: got "abc", expected number/);
    expect(inputErrorMessages(() => validateScenario(loadScenarioFile(f, { set: ['grid.cels=3'] }))).join('\n')).toMatch(/--set grid\.cels=3 grid\.cels: expected one of the known keys/);
    expect(inputErrorMessages(() => parseOverride('time.days')).join('')).toMatch(/--set: got "time\.days", expected key\.path=value/);
    expect(inputErrorMessages(() => loadScenarioFile(f, { set: ['name[0]=x'] })).join('')).toMatch(/name: got "single-root", expected a mapping or list to set a key in/);
  });
});

describe('limits before allocation, work estimates', () => {
  const f = join(root, 'examples/single-root.yaml');
  it('a step of 1e-12 d and 3650 days are refused with the limit and the value; nothing allocated', () => {
    expect(inputErrorMessages(() => validateScenario(loadScenarioFile(f, { set: ['time.couplingStep_min=1.44e-9'] }))).join('\n')).toMatch(/time\.couplingStep_min: got 1\.44e-9, expected a step giving at most 1e\+6 coupling steps \(time\.days 10 d \/ 1\.44e-9 min = 1\.00e\+13 steps\)/);
    expect(inputErrorMessages(() => validateScenario(loadScenarioFile(f, { set: ['time.days=1e6'] }))).join('\n')).toMatch(/time\.days: got 1000000, expected a number ≤ 3650/);
    const plant = inputErrorMessages(() => validateScenario({ kind: 'plant', time: { end_d: 1e6 } }, { label: 'p.yaml' })).join('\n');
    expect(plant).toMatch(/p\.yaml time\.step_min: got 20, expected a step giving at most 5e\+5 steps \(999990 d \/ 20 min = 7\.20e\+7 steps\)/);
  });

  it('beyond the work limit, run refuses with the estimate, the limit and --allow-long', async () => {
    const out = join(tmp(), 'never');
    const err = await runScenario(loadScenarioFile(f, { set: ['time.days=3650'] }), { out }).catch((e) => e);
    expect(err).toBeInstanceOf(InputError);
    expect(err.message).toMatch(/estimated work: got 2370000, expected at most 1\.0e\+6 cell-steps for kind single-root \(this run: 262800 coupling steps of 20 min × 9 cells\) \(.*--allow-long/);
    expect(existsSync(out)).toBe(false);
    const plant = await runScenario({ kind: 'plant', time: { end_d: 3650 } }, { out }).catch((e) => e);
    expect(plant.message).toMatch(/plant step-days/);
  });
});

describe('balance policy and run status', () => {
  it('a missing, non-finite or too large balance error fails; within tolerance passes', () => {
    const kind = { kind: 'k', tolerances: { carbon: 1e-9, water: 1e-9 } } as any;
    const r = applyBalancePolicy(kind, { carbon: { relativeError: 6e282 }, water: { relativeError: NaN } });
    expect(r.checks.map((c) => c.passed)).toEqual([false, false]);
    expect(r.balance.carbon).toMatchObject({ relativeError: 6e282, tolerance: 1e-9, passed: false });
    expect(applyBalancePolicy(kind, { carbon: { relativeError: 1e-12 } }).checks.map((c) => c.passed)).toEqual([true, false]);
    expect(applyBalancePolicy(kind, { carbon: { relativeError: 1e-12 }, water: { relativeError: 3e-15 } }).checks.every((c) => c.passed)).toBe(true);
    expect(() => applyBalancePolicy(kind, { co2: { relativeError: 0 } })).toThrow(/declares no tolerance/);
  });

  it('a failed check: outputs committed for inspection, status "failed" in summary.json', async () => {
    if (!scenarioKinds().has('test-leaky')) {
      registerScenarioKind({
        kind: 'test-leaky',
        description: 'test kind whose carbon balance does not close',
        schema: z.strictObject({ kind: z.literal('test-leaky'), leak: z.number() }),
        tolerances: { carbon: 1e-9 },
        resolve: (s) => s,
        estimate: () => ({ workUnits: 1, unit: 'steps', description: 'one step', limit: 10 }),
        async run(s, ctx) {
          ctx.out.write('data.csv', 'x\n1\n');
          return { balance: { carbon: { relativeError: s.leak } }, checks: [{ name: 'plausibility.x', passed: false, severity: 'warning', message: 'x outside its range' }] };
        },
      });
    }
    const out = join(tmp(), 'leaky');
    const r = await runScenario({ kind: 'test-leaky', leak: 6e282 }, { out });
    expect(r.status).toBe('failed');
    expect(r.failedChecks.map((c) => c.name)).toEqual(['balance.carbon', 'plausibility.x']);
    const s = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect(s).toMatchObject({ status: 'failed', balance: { carbon: { passed: false, tolerance: 1e-9 } } });
    expect(existsSync(join(out, 'data.csv'))).toBe(true);
    expect((await runScenario({ kind: 'test-leaky', leak: 0 }, { out })).status).toBe('ok');
  });

  it('an aborted signal removes the staging folder and rejects; the earlier result stays', async () => {
    const d = tmp();
    const f = join(d, 's.yaml');
    writeFileSync(f, short(0.05));
    const out = join(d, 'out');
    await runScenario(loadScenarioFile(f), { out });
    const before = readFileSync(join(out, 'summary.json'), 'utf8');
    writeFileSync(f, short(5));
    const c = new AbortController();
    const p = runScenario(loadScenarioFile(f), { out, signal: c.signal, progress: { start() {}, update: () => c.abort(), stop() {} } });
    await expect(p).rejects.toThrow(/aborted/);
    expect(readFileSync(join(out, 'summary.json'), 'utf8')).toBe(before);
    expect(readdirSync(d).sort()).toEqual(['out', 's.yaml']);
  });
});
