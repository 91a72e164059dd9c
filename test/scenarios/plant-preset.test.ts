import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { inputErrorMessages } from '../helpers/input-errors.js';
import { loadScenario } from '../../src/scenarios/index.js';
import { loadScenarioFile, resolveScenario } from '../../src/scenarios/run.js';

const write = (text: string) => {
  const f = join(mkdtempSync(join(tmpdir(), 'rhizocarb-preset-')), 's.yaml');
  writeFileSync(f, text);
  return f;
};

describe('plant kind: preset and laws (004 departures as options)', () => {
  it('default is rhizocarb: laws threshold/eq19-20 and the registry maintenance (unchanged defaults)', () => {
    const r = resolveScenario(loadScenarioFile('examples/plant-baseline.yaml')) as any;
    expect(r.plant.preset).toBe('rhizocarb');
    expect(r.plant.laws).toEqual({ exudation: 'threshold', mucilage: 'eq19-20' });
    expect(r.parameters.carbon.maintenanceRoot_per_d).toBe(0.0089);
    expect(r.parameters.leaf.gasExchangeFaces).toBe(1);
  });

  it('paper004 sets the code values; parameters and laws given by the user win over the preset', () => {
    const r = resolveScenario(loadScenarioFile(write('kind: plant\nplant: {preset: paper004}\n'))) as any;
    expect(r.plant.laws).toEqual({ exudation: 'code004', mucilage: 'code004', maintenance: 'code004' });
    expect([r.parameters.carbon.maintenanceLeaf_per_d, r.parameters.carbon.maintenanceTref_C, r.parameters.leaf.gasExchangeFaces]).toEqual([0.1, 20, 2]);
    const r2 = resolveScenario(loadScenarioFile(write('kind: plant\nplant: {preset: paper004, laws: {exudation: eq16}}\nparameters: {carbon: {maintenanceTref_C: 25}}\n'))) as any;
    expect(r2.plant.laws).toEqual({ exudation: 'eq16', mucilage: 'code004', maintenance: 'code004' });
    expect(r2.parameters.carbon.maintenanceTref_C).toBe(25);
    expect(r2.parameters.carbon.maintenanceRoot_per_d).toBe(0.1);
  });

  it('bad preset or law: file, line, key path, value and the admissible values', () => {
    const m = inputErrorMessages(() => loadScenario(write('kind: plant\nplant:\n  preset: cplantbox\n  laws: {mucilage: code}\n')));
    console.log(m.join('\n'));
    expect(m.some((s) => s.includes('s.yaml:3:') && s.includes('plant.preset') && s.includes('cplantbox') && s.includes('paper004'))).toBe(true);
    expect(m.some((s) => s.includes('plant.laws.mucilage') && s.includes('code004'))).toBe(true);
  });
});

describe('plant kind: balance of a night-only run', () => {
  it('no assimilation at night: the carbon error is relative to what the sinks took from storage (was divided by 0 assimilation)', async () => {
    const { runScenarioFile } = await import('../../src/scenarios/index.js');
    const out = join(mkdtempSync(join(tmpdir(), 'rhizocarb-night-')), 'out');
    const s = await runScenarioFile('examples/plant-baseline.yaml', out, { set: ['time.start_d=10', 'time.end_d=10.1', 'outputs.vtk=false', 'outputs.snapshots_d=[]'] });
    const c = (s.balance.carbon as any);
    console.log(`night run: assimilation ${c.terms_molC.assimilation}, carbon error ${c.absoluteError_molC.toExponential(2)} mol C, relative ${c.relativeError.toExponential(2)}`);
    expect(c.terms_molC.assimilation).toBe(0);
    expect(c.relativeError).toBeLessThan(1e-9);
    expect(s.status).toBe('ok');
  }, 60_000);
});
