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
    expect(r.plant.laws).toEqual({ exudation: 'code004', mucilage: 'code004', maintenance: 'code004', stomatalHead: 'xylem', potentialGrowth: 'code004', photosynthesis: 'code004' });
    expect([r.parameters.carbon.maintenanceLeaf_per_d, r.parameters.carbon.maintenanceTref_C, r.parameters.leaf.gasExchangeFaces]).toEqual([0.1, 20, 2]);
    const r2 = resolveScenario(loadScenarioFile(write('kind: plant\nplant: {preset: paper004, laws: {exudation: eq16}}\nparameters: {carbon: {maintenanceTref_C: 25}}\n'))) as any;
    expect(r2.plant.laws).toEqual({ exudation: 'eq16', mucilage: 'code004', maintenance: 'code004', stomatalHead: 'xylem', potentialGrowth: 'code004', photosynthesis: 'code004' });
    expect(r2.parameters.carbon.maintenanceTref_C).toBe(25);
    expect(r2.parameters.carbon.maintenanceRoot_per_d).toBe(0.1);
  });

  it("the coupled kind's plant gets the preset's laws with the user's on top (stomatalHead: paper004 xylem, overridden to guard-cell)", async () => {
    const { buildCoupledModel } = await import('../../src/scenarios/coupled.js');
    const laws = (plant: Record<string, unknown>) => buildCoupledModel(resolveScenario({ kind: 'coupled', name: 'c', time: { start_d: 2, end_d: 2.1 }, plant }) as any).plant.opts.laws;
    expect(laws({ preset: 'paper004' })?.stomatalHead).toBe('xylem');
    expect(laws({ preset: 'paper004', laws: { stomatalHead: 'guard-cell' } })?.stomatalHead).toBe('guard-cell');
    expect(laws({})?.stomatalHead ?? 'guard-cell').toBe('guard-cell');
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

describe('plant kind: drying soil in a dry spell (drySpell.soilVolume_cm3)', () => {
  it("the store loses the plant's uptake: θ(ψ_soil) of every step = θ(ψ_start) − Σ earlier uptake·dt/V, with θ(h) of van Genuchten written out here", async () => {
    const { runScenarioFile } = await import('../../src/scenarios/index.js');
    const { readFileSync } = await import('node:fs');
    const out = join(mkdtempSync(join(tmpdir(), 'rhizocarb-drying-')), 'out');
    const V = 20; // cm³: small, so that a few hours of midday uptake dry it visibly
    await runScenarioFile('examples/plant-late-dry.yaml', out, {
      set: ['time.start_d=10.3', 'time.end_d=10.55', 'drySpell.start_d=10.3', 'drySpell.end_d=10.55', `drySpell.soilVolume_cm3=${V}`, 'outputs.vtk=false', 'outputs.snapshots_d=[]'],
    });
    const lines = readFileSync(join(out, 'timeseries.csv'), 'utf8').trim().split('\n');
    const head = lines[0].split(',');
    const rows = lines.slice(1).map((l) => l.split(',').map(Number));
    const col = (name: string) => rows.map((r) => r[head.indexOf(name)]);
    const psi = col('soilPsi_cm');
    const uptake = col('rootUptake_cm3_per_d');
    const dt = 20 / 1440;
    // Loam of 004 (RHIZOSPHERE.md): θ_r 0.08, θ_s 0.43, α 0.04 cm⁻¹, n 1.6; θ = θ_r + (θ_s − θ_r)(1 + (α|h|)^n)^−(1−1/n).
    const theta = (h: number) => 0.08 + 0.35 * Math.pow(1 + Math.pow(0.04 * Math.abs(h), 1.6), -(1 - 1 / 1.6));
    let expected = theta(-450);
    let worst = 0;
    for (let i = 0; i < psi.length; i++) {
      worst = Math.max(worst, Math.abs(theta(psi[i]) - expected) / expected);
      expected -= (uptake[i] * dt) / V;
    }
    console.log(`drying store ${V} cm³: ψ_soil ${psi[0].toFixed(1)} → ${psi[psi.length - 1].toFixed(1)} cm over ${psi.length} steps, uptake ${(uptake.reduce((a, b) => a + b, 0) * dt).toFixed(3)} cm³, worst θ mismatch ${worst.toExponential(1)}`);
    expect(psi[0]).toBeCloseTo(-450, 9);
    expect(worst).toBeLessThan(1e-9);
    expect(psi[psi.length - 1]).toBeLessThan(-500); // it did dry
  }, 60_000);
});
