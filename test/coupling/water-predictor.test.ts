import { describe, expect, it } from 'vitest';
import { CoupledModel, PlantRootSide, type CoupledConfig } from '../../src/coupling/index.js';
import { ReturnCode } from '../../src/numerics/index.js';
import { BASELINE_WEATHER, weatherAt } from '../../src/plant/weather.js';
import { PerirhizalBatch, namedSet } from '../../src/rhizosphere/index.js';
import { SOILS, hydrostaticHeads, uniformVoxelGrid } from '../../src/soil/index.js';
import { coupledDifference as difference } from '../helpers/coupled-difference.js';
import { wheatPlant } from '../helpers/wheat.js';

const fmt = (r: Record<string, number>) => Object.entries(r).map(([k, v]) => `${k} ${v.toExponential(1)}`).join(', ');

describe('water-only predictor iterates (waterPredictor1D)', () => {
  it('PerirhizalBatch.advanceWater along the step plan of a full advance reproduces its θ and uptake (printed difference); carbon untouched', () => {
    const geo = [{ rIn_cm: 0.02, rOut_cm: 0.3, length_cm: 1 }, { rIn_cm: 0.03, rOut_cm: 0.4, length_cm: 0.5 }];
    const b = new PerirhizalBatch(geo, -300, { soil: SOILS.loam, params: namedSet('highMB') });
    b.stepPlans = true;
    b.waterUptake_cm_per_d.set([0.05, 0.02]);
    b.exudation_molC_per_cm2_d.fill(2e-7);
    b.sourceWater_per_d.fill(1e-3);
    const s0 = b.saveState();
    expect(b.advance(1 / 72)).toBe(ReturnCode.Success);
    const full = b.state.slice();
    b.restoreState(s0);
    expect(b.advanceWater(1 / 72)).toBe(ReturnCode.Success);
    let dTheta = 0;
    let dUp = 0;
    let carbonSame = true;
    for (let d = 0; d < 2; d++) {
      dUp = Math.max(dUp, Math.abs(b.rootUptake_cm3(d) - full[d * b.stride]) / Math.abs(full[d * b.stride]));
      for (let i = 0; i < b.nCells; i++) {
        const o = b.offset(d, i);
        dTheta = Math.max(dTheta, Math.abs(b.state[o] - full[o]) / full[o]);
        for (let v = 1; v < 9; v++) carbonSame &&= b.state[o + v] === s0.state[o + v];
      }
    }
    console.log(`advanceWater vs advance (same steps): θ ${dTheta.toExponential(1)}, uptake ${dUp.toExponential(1)} relative; ${b.waterStats.accepted} water-only steps, ${b.waterStats.rejected} rejected`);
    expect(dTheta).toBeLessThan(1e-13);
    expect(dUp).toBeLessThan(1e-12);
    expect(carbonSame).toBe(true);
    expect(b.waterStats.rejected).toBe(0);
  });

  it('coupled wheat (day 6.5, coarse voxels, dynamic soil, 2 steps at noon): predictor vs plain iterates reach the same fixed point (printed difference ≤ 1e-7), fewer full 1D solves, balances ≤ 1e-12', () => {
    const grid = uniformVoxelGrid([-1.5, 1.5, 1], [-6, 6, 3], [-40, 0, 10], { x: true, y: true });
    const make = (extra: Partial<CoupledConfig>) => CoupledModel.create({ grid, soil: SOILS.loam, params: namedSet('highMB'), initialHead_cm: hydrostaticHeads(grid, -300), root: new PlantRootSide(wheatPlant(6.5), (t) => weatherAt(t, BASELINE_WEATHER)), soilWater: 'dynamic', psiAveraging: 'secant', ...extra });
    const res: { iterates: number[]; full: number[]; solves: number; water: number; balance: number }[] = [];
    const models = [make({}), make({ waterPredictor1D: true })];
    for (const m of models) {
      const r = { iterates: [] as number[], full: [] as number[], solves: 0, water: 0, balance: 0 };
      for (let k = 0; k < 2; k++) {
        expect(m.advance(1 / 72)).toBe(ReturnCode.Success);
        const d = m.diagnostics()!;
        r.iterates.push(...d.iterates);
        r.full.push(...d.fullIterates);
        r.solves += d.solves.oneD;
        r.water += d.solves.water1D;
        r.balance = Math.max(r.balance, d.balance.waterRelative, d.balance.carbonRelative);
      }
      res.push(r);
    }
    const diff = difference(models[0], models[1]);
    console.log(`plain: iterates ${res[0].iterates.join(',')}, full 1D solves ${res[0].solves}; predictor: iterates ${res[1].iterates.join(',')} (full ${res[1].full.join(',')}), full 1D solves ${res[1].solves}, water-only ${res[1].water}; difference ${fmt(diff.fields)}; 1D domain carbon ${diff.domainCarbon.toExponential(1)}, dissolved ${diff.domainDissolved.toExponential(1)}; worst step balance ${res[0].balance.toExponential(1)} / ${res[1].balance.toExponential(1)}`);
    expect(res[0].water).toBe(0);
    expect(res[1].water).toBeGreaterThan(0);
    expect(res[1].solves).toBeLessThan(res[0].solves);
    expect(diff.worst).toBeLessThan(1e-7);
    expect(diff.domainCarbon).toBeLessThan(1e-7);
    expect(Math.max(res[0].balance, res[1].balance)).toBeLessThan(1e-12);
  });
});
