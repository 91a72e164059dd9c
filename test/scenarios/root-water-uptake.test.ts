import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenarioFile, runScenario } from '../../src/scenarios/run.js';
import { InputError, InputErrors } from '../../src/core/errors.js';
import { root } from '../helpers/cli.js';
import { filesOf, killAndResume, stableSummary } from '../helpers/kill-resume.js';
import { rsmlString } from '../../src/io/rsml.js';

const example = join(root, 'examples/root-water-uptake.yaml');
const tmp = () => mkdtempSync(join(tmpdir(), 'rhizocarb-rwu-'));

describe('scenario kind root-water-uptake', () => {
  it('the example for 6 h: transpiration.csv and sink-by-depth.csv columns, layers sum to the uptake, VTK series, balance ≤ 1e-9', async () => {
    const out = join(tmp(), 'out');
    const r = await runScenario(loadScenarioFile(example, { set: ['duration_d=0.5'] }), { out });
    console.log(`root-water-uptake 0.5 d: water balance ${r.balance.water.relativeError.toExponential(2)}, ${JSON.stringify(r.summary.transpiration)}`);
    expect(r.status).toBe('ok');
    expect(r.balance.water.relativeError).toBeLessThan(1e-9);
    const tr = readFileSync(join(out, 'transpiration.csv'), 'utf8').trim().split('\n');
    expect(tr[0]).toBe('time_d,potential_cm3_per_d,actual_cm3_per_d,cumulative_cm3');
    expect(tr.length).toBe(1 + 36);
    const sink = readFileSync(join(out, 'sink-by-depth.csv'), 'utf8').trim().split('\n');
    expect(sink[0]).toBe('time_d,depth_top_cm,depth_bottom_cm,uptake_cm3_per_d');
    const rows = sink.slice(1).map((l) => l.split(',').map(Number));
    expect(new Set(rows.map((r) => r[0]))).toEqual(new Set([0.25, 0.5]));
    expect(rows.filter((r) => r[0] === 0.25).length).toBe(16);
    const total = rows.reduce((s, r) => s + r[3] * 0.25, 0);
    const cum = Number(tr[tr.length - 1].split(',')[3]);
    console.log(`sink by depth: Σ layers × 6 h = ${total.toFixed(12)} cm³, cumulative transpiration ${cum.toFixed(12)} cm³`);
    expect(Math.abs(total - cum) / cum).toBeLessThan(1e-12);
    expect(filesOf(out).filter((f) => f.startsWith('vtk/'))).toEqual(['vtk/root-water-uptake.pvd', 'vtk/roots-d0.5.vtp', 'vtk/roots-d0.vtp', 'vtk/soil-d0.5.vti', 'vtk/soil-d0.vti']);
  });

  it('refuses a box that does not hold the roots, a missing type table, unordered ages, checkpoints with the multiscale sink — naming keys', () => {
    const errs = (set: string[]): Promise<string[]> =>
      runScenario(loadScenarioFile(example, { set }), { out: join(tmp(), 'o') }).then(
        () => [],
        (x) => ((x instanceof InputErrors ? x.errors : [x]) as Error[]).map((y) => (expect(y).toBeInstanceOf(InputError), y.message)),
      );
    return (async () => {
      const a = await errs(['domain.min_cm=[-1, -1, -5]']);
      expect(a.some((m) => /domain/.test(m) && /segments lie outside/.test(m))).toBe(true);
      const b = await errs(['rootSystem.kr_per_d={byType: {"1": [[0, 1e-4]]}}']);
      expect(b.some((m) => /rootSystem\.kr_per_d\.byType/.test(m) && /missing 2/.test(m))).toBe(true);
      const c = await runScenario(loadScenarioFile(example, { set: ['sink=multiscale'] }), { out: join(tmp(), 'o'), checkpointEvery: 2 }).then(() => [] as string[], (x) => [(x as Error).message]);
      expect(c.some((m) => /--checkpoint-every/.test(m) && /sink: classic for checkpoints/.test(m))).toBe(true);
      const d = await errs(['rootSystem.kx_cm3_per_d={byType: {"1": [[0, 1], [0, 2]], "2": [[0, 1]]}}']);
      expect(d.some((m) => /ages increase/.test(m))).toBe(true);
      for (const m of [...a, ...b, ...d]) expect(m).toMatch(/root-water-uptake\.yaml|--set/);
      expect(InputError).toBeDefined();
    })();
  });

  it('sink: multiscale through the pipeline (one 4-segment root, 2 steps): coupling summary, water balance ≤ 1e-9', async () => {
    const dir = tmp();
    const n = 5;
    writeFileSync(join(dir, 'root.rsml'), rsmlString({ x: Float64Array.from({ length: n }, (_, i) => 0.5 + i), y: new Float64Array(n), z: new Float64Array(n).fill(-0.5), parent: Int32Array.from({ length: n }, (_, i) => i - 1), nodeTime_d: new Float64Array(n), radius_cm: new Float64Array(n - 1).fill(0.02), type: new Int32Array(n - 1).fill(1), order: new Int32Array(n - 1).fill(1), root: new Int32Array(n - 1) }, { software: 'test' }));
    writeFileSync(join(dir, 's.yaml'), `kind: root-water-uptake
rootSystem: {file: root.rsml, kr_per_d: 1.728e-4, kx_cm3_per_d: 4.32e-2}
domain: {min_cm: [0, -0.5, -1], max_cm: [5, 0.5, 0], cells: [5, 1, 1]}
initial: {totalPotentialTop_cm: -100}
transpiration: {mean_cm3_per_d: 50}
duration_d: 0.0277777777777778
sink: multiscale
outputs: {vtk: false}
`);
    const r = await runScenario(loadScenarioFile(join(dir, 's.yaml')), { out: join(dir, 'out') });
    console.log(`multiscale kind: water balance ${r.balance.water.relativeError.toExponential(2)}; ${JSON.stringify(r.summary.coupling)}; transpiration ${JSON.stringify(r.summary.transpiration)}`);
    expect(r.status).toBe('ok');
    expect(r.balance.water.relativeError).toBeLessThan(1e-9);
    expect((r.summary.coupling as { subSteps: number }).subSteps).toBeGreaterThanOrEqual(2);
    expect((r.summary.transpiration as { actualPerPotential: number }).actualPerPotential).toBeCloseTo(1, 6);
  }, 120_000);

  it('checkpoints: a run SIGKILLed mid-way and resumed with --resume ends with files identical to an uninterrupted run', async () => {
    const dir = tmp();
    const scenario = join(dir, 's.yaml');
    writeFileSync(scenario, readFileSync(example, 'utf8').replace('file: ../data/plant/wheat_day10_roots.rsml', `file: ${join(root, 'data/plant/wheat_day10_roots.rsml')}`).replace('duration_d: 1', 'duration_d: 1.5'));
    const ref = join(dir, 'ref');
    await runScenario(loadScenarioFile(scenario), { out: ref });
    const out = join(dir, 'out');
    // Checkpoints every 4 steps; SIGKILL once a checkpoint after step ≥ 40 (of 108) exists; resume.
    const r = await killAndResume(scenario, out, 4, 40);
    console.log(`killed after the checkpoint at step ${r.killedAt}; resume exit ${r.code}; ${r.resumeLine}`);
    expect(r.killedAt).toBeGreaterThanOrEqual(40);
    expect(r.outExistedAfterKill).toBe(false);
    expect(r.code).toBe(0);
    // Bit for bit: every file except summary.json's times, and the marker's creation time.
    const files = filesOf(out);
    expect(files).toEqual(filesOf(ref));
    for (const f of files) {
      if (f === 'summary.json' || f === '.rhizocarb-result.json') continue;
      expect(readFileSync(join(out, f)).equals(readFileSync(join(ref, f))), f).toBe(true);
    }
    expect(stableSummary(out)).toEqual(stableSummary(ref));
    expect(readdirSync(dir).filter((f) => f.includes('.partial-'))).toEqual([]);
  }, 90_000);
});
