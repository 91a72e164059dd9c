import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parquetReadObjects } from 'hyparquet';
import { InputErrors } from '../../src/core/errors.js';
import { loadScenario, runScenarioFile, scenarioHash } from '../../src/scenarios/run.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const example = join(root, 'examples/single-root.yaml');
const tmp = () => mkdtempSync(join(tmpdir(), 'rhizocarb-test-'));

describe('examples/single-root.yaml (example run as a test)', () => {
  it('runs 10 days; water and carbon balance errors ≤ 1e-9 relative; outputs are complete and readable', async () => {
    const out = join(tmp(), 'single-root');
    const summary = (await runScenarioFile(example, out)) as Record<string, any>;
    const bw = summary.balance.water.relativeError;
    const bc = summary.balance.carbon.relativeError;
    console.log(`single-root example: water balance ${bw.toExponential(2)}, carbon balance ${bc.toExponential(2)}, ${summary.solver.acceptedSteps} steps, ${summary.wallSeconds.toFixed(2)} s`);
    expect(bw).toBeLessThan(1e-9);
    expect(bc).toBeLessThan(1e-9);
    for (const key of ['scenario', 'version', 'wallSeconds', 'simulatedDays']) expect(summary).toHaveProperty(key);
    expect(summary.simulatedDays).toBe(10);
    for (const key of ['exudedC_molC', 'mucilageC_molC', 'co2_molC', 'microbialC_molC']) expect(summary.totals[key]).toBeGreaterThan(0);
    for (const key of ['steps', 'rejectedSteps', 'newtonIterations']) expect(summary.solver).toHaveProperty(key);
    // Exudation and mucilage totals equal the integrals of the prescribed series (analytic):
    // diurnal sine 6–18 h: peak·(12/24)·(2/π) per day; pulses: value·4 h/24 h per day; × 2π r L.
    const area = 2 * Math.PI * 0.02 * 1;
    expect(summary.totals.exudedC_molC).toBeCloseTo(0.15e-3 * 0.5 * (2 / Math.PI) * 10 * area, 15);
    expect(summary.totals.mucilageC_molC).toBeCloseTo(0.012e-3 * (4 / 24) * 10 * area, 15);
    const files = ['summary.json', 'resolved-scenario.json', 'timeseries.csv', 'timeseries.parquet', 'radial-profiles.csv', 'radial-profiles.parquet', 'timeseries.columns.csv', 'radial-profiles.columns.csv'];
    for (const f of files) expect(existsSync(join(out, f)), f).toBe(true);
    expect(readdirSync(join(out, 'plots')).filter((f) => f.endsWith('.svg')).length).toBeGreaterThanOrEqual(5);
    const resolved = JSON.parse(readFileSync(join(out, 'resolved-scenario.json'), 'utf8'));
    expect(resolved.grid.cells).toBe(9);
    // Named things are resolved into their numbers, and the summary carries the provenance.
    expect(resolved.soil).toMatchObject({ name: 'loam', thetaR: 0.08, thetaS: 0.43, alpha_per_cm: 0.04, n: 1.6, Ks_cm_per_d: 50, l: 0.5 });
    expect(resolved.parameterSet.name).toBe('highCO2');
    expect(Object.keys(resolved.parameterSet.values).length).toBeGreaterThanOrEqual(20);
    expect(summary.scenarioHash).toBe(scenarioHash(resolved));
    expect(summary).toMatchObject({ status: 'ok', version: expect.any(String), node: process.version });
    expect(Date.parse(summary.finishedAt)).toBeGreaterThanOrEqual(Date.parse(summary.startedAt));
    expect(summary.balance.water).toMatchObject({ tolerance: 1e-9, passed: true });
    expect(existsSync(join(out, '.rhizocarb-result.json'))).toBe(true);
    // The Parquet table reads back with the same numbers as the CSV.
    const buf = readFileSync(join(out, 'timeseries.parquet'));
    const rows = await parquetReadObjects({ file: buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) });
    const csvLines = readFileSync(join(out, 'timeseries.csv'), 'utf8').trim().split('\n');
    expect(rows.length).toBe(csvLines.length - 1);
    const header = csvLines[0].split(',');
    const last = csvLines[csvLines.length - 1].split(',');
    const j = header.indexOf('CO2_molC');
    expect(Number(last[j])).toBe(rows[rows.length - 1].CO2_molC);
  });
});

function writeScenario(text: string): string {
  const f = join(tmp(), 'bad.yaml');
  writeFileSync(f, text);
  return f;
}

const good = readFileSync(example, 'utf8');

describe('bad scenario input: a clear error, nothing written', () => {
  const cases: [string, string, RegExp][] = [
    ['a wrong unit', good.replace('unit: mmol C cm-2 d-1\n    dayStart_h', 'unit: mg C cm-2 d-1\n    dayStart_h'), /bad\.yaml:\d+:\d+ forcing\.exudation\.unit: got "mg C cm-2 d-1", expected one of "mol C cm-2 d-1", "mmol C cm-2 d-1"/],
    ['a missing field', good.replace(/  mucilage:\n(    .*\n)+/, ''), /forcing\.mucilage: got nothing, expected this required key \(a mapping\)/],
    ['a negative value', good.replace('radius_cm: 0.02', 'radius_cm: -0.02'), /bad\.yaml:\d+:\d+ root\.radius_cm: got -0\.02, expected a root radius ≥ 0\.001 cm/],
    ['an unknown key', good.replace('grid:\n', 'grid:\n  cels: 9\n'), /grid\.cels: expected one of the known keys \(unknown key: cels; did you mean "cells"\?\)/],
    ['r_out inside the root', good.replace('rOut_cm: 0.6', 'rOut_cm: 0.01'), /root\.rOut_cm: got 0\.01, expected > root\.radius_cm \(0\.02 cm\)/],
    ['an unknown parameter set', good.replace('parameterSet: highCO2', 'parameterSet: highCO3'), /parameterSet: got "highCO3", expected/],
    ['a table with decreasing times', good.replace(/  waterUptake:\n(    .*\n)+/, '  waterUptake:\n    shape: table\n    times_d: [0, 2, 1]\n    values: [0.1, 0.1, 0.1]\n    unit: cm d-1\n'), /forcing\.waterUptake\.times_d\[2\]: got 1, expected > 2/],
    ['an unknown kind', good.replace('kind: single-root', 'kind: single-rooot'), /kind: got "single-rooot", expected one of "single-root"/],
    ['invalid YAML', 'kind: single-root\n  bad: [indent\n', /bad\.yaml:\d+:\d+ expected valid YAML/],
  ];
  for (const [what, text, message] of cases) {
    it(`${what}`, async () => {
      const f = writeScenario(text);
      const out = join(tmp(), 'never');
      let err: unknown;
      try {
        await runScenarioFile(f, out);
      } catch (e) {
        err = e;
      }
      expect(err, 'expected an input error').toBeInstanceOf(Error);
      expect((err as Error).message).toMatch(message);
      expect(existsSync(out)).toBe(false);
    });
  }

  it('all errors of a file are reported together', () => {
    const f = writeScenario(good.replace('radius_cm: 0.02', 'radius_cm: -1').replace('cells: 9', 'cells: 0'));
    try {
      loadScenario(f);
      throw new Error('no error');
    } catch (e) {
      expect(e).toBeInstanceOf(InputErrors);
      expect((e as InputErrors).errors.length).toBe(2);
    }
  });

  it('a failed run leaves earlier results untouched', async () => {
    const dir = tmp();
    const out = join(dir, 'results');
    const short = writeScenario(good.replace('days: 10', 'days: 0.05'));
    await runScenarioFile(short, out);
    const before = readFileSync(join(out, 'summary.json'), 'utf8');
    await expect(runScenarioFile(writeScenario(good.replace('rOut_cm: 0.6', 'rOut_cm: -1')), out)).rejects.toThrow();
    expect(readFileSync(join(out, 'summary.json'), 'utf8')).toBe(before);
    expect(readdirSync(dir).filter((f) => f.includes('partial'))).toEqual([]);
  });

  it('the CLI exits with code 2 and prints file, key, value and expectation', () => {
    const f = writeScenario(good.replace('head_cm: -100', 'head_cm: 50'));
    let status = 0;
    let stderr = '';
    try {
      execFileSync(process.execPath, ['--import', 'tsx', join(root, 'src/cli/main.ts'), 'run', f, '--out', join(tmp(), 'x'), '-q'], { cwd: root, stdio: 'pipe' });
    } catch (e) {
      const err = e as { status: number; stderr: Buffer };
      status = err.status;
      stderr = err.stderr.toString();
    }
    expect(status).toBe(2);
    expect(stderr).toMatch(/bad\.yaml:\d+:\d+ initial\.head_cm: got 50, expected a number ≤ 0/);
  });
});
