import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { coupledWaterBalance } from '../../src/scenarios/coupled.js';
import { loadScenarioFile, runScenario } from '../../src/scenarios/run.js';
import { filesOf, killAndResume, stableSummary } from '../helpers/kill-resume.js';
import { readVtk, xmlDescendants } from '../helpers/vtk-read.js';

describe('scenario kind coupled (first version; wheat of day 6 on a coarse 1 × 3 × 10 grid)', () => {
  for (const [mode, start, steps] of [['static-outside-spells', 6, 2], ['dynamic', 6.5, 1]] as const) {
    it(`${mode}: whole-system water and carbon balance ≤ 1e-9, pools per scale, 3D fields and radial profiles with a .pvd`, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'rhizocarb-coupled-'));
      const f = join(dir, 's.yaml');
      writeFileSync(f, `kind: coupled\nname: tiny\ndomain: {cells: [1, 3, 10]}\nsoilWater: ${mode}\ntime: {start_d: ${start}, end_d: ${start + steps / 72}, step_min: 20}\n`);
      const out = join(dir, 'out');
      const r = await runScenario(loadScenarioFile(f), { out });
      console.log(`coupled ${mode}: water ${r.balance.water.relativeError.toExponential(2)} (uptake ${(r.balance.water as any).rootUptake_cm3}), carbon ${r.balance.carbon.relativeError.toExponential(2)}; ${JSON.stringify(r.summary.coupling)}; cost ${JSON.stringify(r.summary.cost)}`);
      expect(r.status).toBe('ok');
      expect(r.balance.water.relativeError).toBeLessThan(1e-9);
      expect(r.balance.carbon.relativeError).toBeLessThan(1e-9);
      if (mode === 'dynamic') expect((r.balance.water as any).rootUptake_cm3).toBeGreaterThan(0);
      // Cost: process CPU (process.cpuUsage, not the wall clock) next to the wall time; the model's part timers are wall seconds and named so.
      const cost = r.summary.cost as any;
      expect(cost.processCpuSeconds).toBeGreaterThan(0);
      expect(cost.wallSecondsPerSimulatedDay.total * (steps / 72)).toBeCloseTo(cost.wallSeconds, 9);
      expect(cost.coreSecondsPerSimulatedDay).toBeUndefined();
      // The water balance is over the water the plant moved, also with static soil (a fixed reservoir that supplies the uptake).
      const w = r.balance.water as any;
      console.log(`coupled ${mode}: transpired ${w.transpired_cm3} cm³, supplied ${w.suppliedToPlant_cm3} cm³, plant error ${w.plantError_cm3}, soil error ${w.soilError_cm3}`);
      expect(w.transpired_cm3).toBeGreaterThan(0);
      expect(w.throughput_cm3).toBeGreaterThanOrEqual(w.transpired_cm3);
      expect(r.summary.checks.some((c: any) => c.name === 'balance.waterNotEvaluated')).toBe(false);
      // Plant time series as the plant kind writes them.
      const ts = readFileSync(join(out, 'timeseries.csv'), 'utf8').trim().split('\n');
      const head = ts[0].split(',');
      const last = ts[ts.length - 1].split(',').map(Number);
      for (const c of ['assimilation_molC_per_d', 'maintenanceRespiration_molC_per_d', 'growthRespiration_molC_per_d', 'structuralGrowth_molC_per_d', 'exudation_molC_per_d', 'mucilage_molC_per_d', 'sucrose_molC', 'psiXylemMean_cm', 'leafArea_cm2', 'rootLength_cm', 'iteratesPerSubStep']) {
        expect(head).toContain(c);
        expect(Number.isFinite(last[head.indexOf(c)])).toBe(true);
      }
      expect(last[head.indexOf('maintenanceRespiration_molC_per_d')]).toBeGreaterThan(0);
      expect(last[head.indexOf('psiXylemMean_cm')]).toBeLessThan(0);
      expect(last[head.indexOf('iteratesPerSubStep')]).toBeGreaterThanOrEqual(1);
      if (mode === 'dynamic') expect(last[head.indexOf('assimilation_molC_per_d')]).toBeGreaterThan(0);
      // Plots: SVG with drawn lines and a PNG of each.
      for (const p of ['plant-water', 'collar-potential', 'plant-carbon', 'pools-macroscale', 'pools-bulkSoil', 'pools-perirhizalTrunc', 'pools-microscale', 'iterates']) {
        const svg = readFileSync(join(out, 'plots', `${p}.svg`), 'utf8');
        expect(svg.startsWith('<svg')).toBe(true);
        expect((svg.match(/<path/g) ?? []).length).toBeGreaterThan(5);
        const png = readFileSync(join(out, 'plots', `${p}.png`));
        expect(png.subarray(1, 4).toString()).toBe('PNG');
        expect(png.length).toBeGreaterThan(5000);
      }
      const pools = readFileSync(join(out, 'pools.csv'), 'utf8').trim().split('\n');
      expect(pools.length).toBe(1 + steps);
      for (const sc of ['macroscale', 'bulkSoil', 'perirhizalTrunc', 'microscale']) expect(pools[0]).toContain(`${sc}_CO2_molC`);
      const pvd = xmlDescendants(readVtk(readFileSync(join(out, 'vtk', 'coupled.pvd'), 'utf8')).root, 'DataSet').map((d) => d.attributes.file);
      expect(pvd.length).toBe(4);
      const prof = readVtk(readFileSync(join(out, 'vtk', pvd[3]), 'utf8'));
      expect(prof.arrays.get('PointData/theta')!.values.length).toBeGreaterThan(0);
      expect(prof.arrays.get('CellData/id')!.type).toBe('Int32');
    }, 120_000);
  }
});

describe('coupled kind key coupling.rtol1D', () => {
  it('reaches the 1D models: 1e-6 given explicitly = the default, bit for bit; 1e-3 changes the pools (wheat of day 6, 1 × 3 × 10 voxels, 2 steps)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rhizocarb-coupled-rtol-'));
    const pools = async (name: string, coupling: string) => {
      const f = join(dir, `${name}.yaml`);
      writeFileSync(f, `kind: coupled\nname: ${name}\ndomain: {cells: [1, 3, 10]}\ntime: {start_d: 6, end_d: ${6 + 2 / 72}, step_min: 20}\noutputs: {vtk: false}\n${coupling}`);
      const r = await runScenario(loadScenarioFile(f), { out: join(dir, name) });
      expect(r.status).toBe('ok');
      return readFileSync(join(dir, name, 'pools.csv'), 'utf8');
    };
    const byDefault = await pools('default', '');
    const explicit = await pools('explicit', 'coupling: {rtol1D: 1.0e-6}\n');
    const loose = await pools('loose', 'coupling: {rtol1D: 1.0e-3}\n');
    expect(explicit).toBe(byDefault);
    expect(loose.split('\n')[0]).toBe(byDefault.split('\n')[0]);
    expect(loose).not.toBe(byDefault);
    writeFileSync(join(dir, 'bad.yaml'), 'kind: coupled\nname: bad\ncoupling: {rtol1D: 0.1}\n');
    await expect(async () => runScenario(loadScenarioFile(join(dir, 'bad.yaml')), { out: join(dir, 'bad') })).rejects.toThrow(/rtol1D/);
  }, 120_000);
});

describe('coupled water balance summary', () => {
  it('is relative to the water the plant moved (static soil books the reservoir supply); no water moved → warning, not a silent pass', () => {
    const moved = coupledWaterBalance({ waterError_cm3: 0, plantWaterError_cm3: 2e-12, transpired_cm3: 1, suppliedToPlant_cm3: 1 + 2e-12, rootUptake_cm3: 0 }, 'static-outside-spells');
    console.log(`static reservoir: relative ${moved.water.relativeError} over ${moved.water.throughput_cm3} cm³`);
    expect(moved.water.relativeError).toBeCloseTo(2e-12, 20);
    expect(moved.checks).toEqual([]);
    const none = coupledWaterBalance({ waterError_cm3: 0, plantWaterError_cm3: 0, transpired_cm3: 0, suppliedToPlant_cm3: 0, rootUptake_cm3: 0 }, 'static-outside-spells');
    expect(none.checks.map((c) => [c.name, c.passed, c.severity])).toEqual([['balance.waterNotEvaluated', false, 'warning']]);
    // Soil and plant errors add (a soil loss the plant did not transpire is an error).
    const both = coupledWaterBalance({ waterError_cm3: 1e-6, plantWaterError_cm3: 1e-6, transpired_cm3: 0.5, suppliedToPlant_cm3: 0.5, rootUptake_cm3: 0.5 }, 'dynamic');
    expect(both.water.relativeError).toBeCloseTo(4e-6, 15);
  });
});

describe('coupled kind checkpoints (--checkpoint-every, --resume) with the growing plant', () => {
  it('a run SIGKILLed after a checkpoint inside a dry spell and resumed ends with files identical to an uninterrupted run (wheat of day 6, 1 × 3 × 10 voxels, 18 steps of 20 min, spell over steps 4–9, soil snapshots every 2 h)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rhizocarb-coupled-ckpt-'));
    const scenario = join(dir, 's.yaml');
    writeFileSync(scenario, 'kind: coupled\nname: tiny\ndomain: {cells: [1, 3, 10]}\ntime: {start_d: 6, end_d: 6.25, step_min: 20}\ndrySpell: {start_d: 6.041666666666667, end_d: 6.125}\noutputs: {soil: {every_d: 0.08333333333333333}}\n');
    const ref = join(dir, 'ref');
    const rr = await runScenario(loadScenarioFile(scenario), { out: ref });
    const out = join(dir, 'out');
    const r = await killAndResume(scenario, out, 3, 6, 120_000);
    console.log(`coupled: killed after the checkpoint at step ${r.killedAt} of 18; resume exit ${r.code}; ${r.resumeLine}; uninterrupted run: ${rr.status}, water ${rr.balance.water.relativeError.toExponential(2)}`);
    expect(r.killedAt).toBeGreaterThanOrEqual(6);
    expect(r.killedAt).toBeLessThan(18);
    expect(r.outExistedAfterKill).toBe(false);
    // The resumed run ends as the uninterrupted one (exit 3 when a check fails in both).
    expect(r.code).toBe(rr.status === 'ok' ? 0 : 3);
    // Bit for bit: every file except summary.json (times, wall-clock cost), the marker and timings.csv (wall clocks per step).
    const files = filesOf(out);
    expect(files).toEqual(filesOf(ref));
    const differ = files.filter((f) => !['summary.json', '.rhizocarb-result.json', 'timings.csv'].includes(f) && !readFileSync(join(out, f)).equals(readFileSync(join(ref, f))));
    console.log(`coupled checkpoint: ${files.length} files compared, ${differ.length} differ${differ.length ? ': ' + differ.join(', ') : ''}`);
    expect(differ).toEqual([]);
    expect(stableSummary(out, ['cost'])).toEqual(stableSummary(ref, ['cost']));
    // The plant grew after the checkpoint: new root segments and 1D models came after the resume.
    const rows = readFileSync(join(ref, 'timeseries.csv'), 'utf8').trim().split('\n').map((l) => l.split(','));
    const col = rows[0].indexOf('domains');
    const atKill = Number(rows[r.killedAt][col]);
    const atEnd = Number(rows[rows.length - 1][col]);
    console.log(`coupled checkpoint: 1D models ${atKill} at the checkpoint, ${atEnd} at the end`);
    expect(atEnd).toBeGreaterThan(atKill);
    expect(readdirSync(dir).filter((f) => f.includes('.partial-'))).toEqual([]);
  }, 240_000);
});
