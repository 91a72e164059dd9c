import { mkdtempSync, readFileSync, writeFileSync, existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputErrors } from '../../src/core/errors.js';
import { inputErrorMessages } from '../helpers/input-errors.js';
import { loadScenario, runScenarioFile } from '../../src/scenarios/index.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'rhizocarb-plant-'));


describe('scenario kind "plant"', () => {
  it('the three example files validate', () => {
    for (const f of ['plant-baseline', 'plant-early-dry', 'plant-late-dry']) {
      const s = loadScenario(`examples/${f}.yaml`);
      expect(s.kind.kind).toBe('plant');
    }
  });

  it('bad input: file:line, key path, value and expectation; nothing written', async () => {
    const dir = tmp();
    const f = join(dir, 'bad.yaml');
    writeFileSync(
      f,
      `kind: plant
plant:
  file: missing.xml
time:
  start_d: 10
  end_d: 9
drySpell: {start_d: 12, end_d: 11}
parameters:
  carbon:
    growthEfficiency: 2
    nonsense_param: 1
soil:
  psi_cm: 50
`,
    );
    const m = inputErrorMessages(() => loadScenario(f));
    console.log(m.join('\n'));
    expect(m.some((s) => s.includes('bad.yaml:13:11 soil.psi_cm: got 50, expected a matric head ≤ 0 cm'))).toBe(true);
    const out = join(dir, 'out');
    await expect(runScenarioFile(f, out)).rejects.toBeInstanceOf(InputErrors);
    expect(existsSync(out)).toBe(false);
    // With the schema error fixed, the semantic pass reports the rest together.
    writeFileSync(f, readFileSync(f, 'utf8').replace('psi_cm: 50', 'psi_cm: -100'));
    const m2 = inputErrorMessages(() => loadScenario(f));
    console.log(m2.join('\n'));
    expect(m2.some((s) => s.includes('plant.file: got "missing.xml", expected an existing CPlantBox XML file'))).toBe(true);
    expect(m2.some((s) => s.includes('time.end_d: got 9, expected a time after time.start_d'))).toBe(true);
    expect(m2.some((s) => s.includes('drySpell.end_d: got 11'))).toBe(true);
    expect(m2.some((s) => s.includes('bad.yaml:10:23 parameters.carbon.growthEfficiency: got 2, expected a number in [0.3, 1]'))).toBe(true);
    expect(m2.some((s) => s.includes('parameters.carbon.nonsense_param') && s.includes('one of the parameters'))).toBe(true);
  });

  it('a short dry-spell run writes series, snapshots (CSV, Parquet, VTK), plots and balances ≤ 1e-9', async () => {
    const dir = tmp();
    const f = join(dir, 's.yaml');
    writeFileSync(f, `kind: plant
name: short
time: {start_d: 10, end_d: 11, step_min: 30}
drySpell: {start_d: 10.5, end_d: 11}
outputs: {snapshots_d: [10, 11]}
`);
    const out = join(dir, 'out');
    const summary = (await runScenarioFile(f, out)) as Record<string, any>;
    console.log(JSON.stringify({ balance: summary.balance, plausibility: summary.plausibility }));
    expect(summary.balance.carbon.relativeError).toBeLessThan(1e-9);
    expect(summary.balance.water.relativeError).toBeLessThan(1e-9);
    expect(summary.balance.carbon.worstStepRelativeError).toBeLessThan(1e-9);
    const files = readdirSync(join(out, 'snapshots'));
    expect(files).toEqual(expect.arrayContaining(['plant-d10.vtp', 'plant-d11.vtp', 'segments-d10.csv', 'segments-d11.parquet']));
    expect(readFileSync(join(out, 'snapshots', 'plant-d11.vtp'), 'utf8')).toMatch(/<VTKFile type="PolyData"/);
    const ts = readFileSync(join(out, 'timeseries.csv'), 'utf8').trim().split('\n');
    expect(ts.length).toBe(1 + 48);
    const header = ts[0].split(',');
    const soilCol = header.indexOf('soilPsi_cm');
    expect(Number(ts[10].split(',')[soilCol])).toBe(-100);
    expect(Number(ts[40].split(',')[soilCol])).toBe(-450);
    expect(existsSync(join(out, 'plots', 'carbon-fluxes.svg'))).toBe(true);
  });
});
