import { describe, expect, it } from 'vitest';
import { CoupledModel, PlantRootSide, type CoupledConfig } from '../../src/coupling/index.js';
import { ReturnCode } from '../../src/numerics/index.js';
import { BASELINE_WEATHER, weatherAt } from '../../src/plant/weather.js';
import { namedSet } from '../../src/rhizosphere/index.js';
import { coupledWaterBalance } from '../../src/scenarios/coupled.js';
import { SOILS, hydrostaticHeads, uniformVoxelGrid } from '../../src/soil/index.js';
import { coupledDifference as difference } from '../helpers/coupled-difference.js';
import { wheatPlant } from '../helpers/wheat.js';

const fmt = (r: Record<string, number>) => Object.entries(r).map(([k, v]) => `${k} ${v.toExponential(1)}`).join(', ');

describe("psiAveraging 'surrogate' (per-domain secant model of the 1D surface head, plant solved against it)", () => {
  it('coupled wheat (day 6.5, coarse voxels, drying loam ψ −1000 cm, water predictor, one 10-min step at noon): fewer 1D water solves than secant, as close to a tight reference, balances ≤ 1e-12, plant water residual ≤ tolerances.plantWater', () => {
    const grid = uniformVoxelGrid([-1.5, 1.5, 1], [-6, 6, 3], [-40, 0, 10], { x: true, y: true });
    const make = (extra: Partial<CoupledConfig>) =>
      CoupledModel.create({ grid, soil: SOILS.loam, params: namedSet('highMB'), initialHead_cm: hydrostaticHeads(grid, -1000), root: new PlantRootSide(wheatPlant(6.5), (t) => weatherAt(t, BASELINE_WEATHER)), soilWater: 'dynamic', waterPredictor1D: true, psiAveraging: 'secant', ...extra });
    // Reference: secant, 1D rtol 1e-8, no re-use, coupling tolerances ÷100 (water ones ÷10), one sub-step per step (as docs/results/dry-spells/README.md).
    const tight = { psiRsi: 1e-6, psiCollar: 1e-6, water1D: 1e-8, carbon1D: 1e-10, mismatch: 1e-10 };
    const models = [make({ targetIterates: 1000 }), make({ psiAveraging: 'surrogate', targetIterates: 1000 }), make({ rtol1D: 1e-8, skip1D: 'off', tolerances: tight, targetIterates: 1000 })];
    const res: { iterates: number[]; water: number; full: number; plantSolves: number; balance: number; residual: number }[] = [];
    for (const m of models) {
      const r = { iterates: [] as number[], water: 0, full: 0, plantSolves: 0, balance: 0, residual: 0 };
      for (let k = 0; k < 1; k++) {
        expect(m.advance(1 / 144)).toBe(ReturnCode.Success);
        const d = m.diagnostics()!;
        r.iterates.push(...d.iterates);
        r.water += d.solves.water1D;
        r.full += d.solves.oneD;
        r.plantSolves += d.solves.plant;
        r.balance = Math.max(r.balance, d.balance.waterRelative, d.balance.carbonRelative);
        r.residual = Math.max(r.residual, Math.abs(d.plantWater.supplied_cm3 - d.plantWater.transpired_cm3) / d.plantWater.transpired_cm3);
      }
      res.push(r);
    }
    const dSec = difference(models[2], models[0]);
    const dSur = difference(models[2], models[1]);
    const dPair = difference(models[0], models[1]);
    const whole = models.slice(0, 2).map((m) => coupledWaterBalance(m.cumulativeBalance(), 'dynamic').water.relativeError);
    console.log(
      `secant: iterates ${res[0].iterates.join(',')}, 1D water-only ${res[0].water}, full ${res[0].full}, plant ${res[0].plantSolves}; surrogate: iterates ${res[1].iterates.join(',')}, water-only ${res[1].water}, full ${res[1].full}, plant ${res[1].plantSolves}; ` +
        `to the reference: secant ${fmt(dSec.fields)} (1D carbon ${dSec.domainCarbon.toExponential(1)}), surrogate ${fmt(dSur.fields)} (1D carbon ${dSur.domainCarbon.toExponential(1)}); secant vs surrogate worst ${dPair.worst.toExponential(1)}, 1D carbon ${dPair.domainCarbon.toExponential(1)}; ` +
        `worst step balance ${res[0].balance.toExponential(1)} / ${res[1].balance.toExponential(1)}, plant residual ${res[0].residual.toExponential(1)} / ${res[1].residual.toExponential(1)}, whole-system water ${whole[0].toExponential(1)} / ${whole[1].toExponential(1)}`,
    );
    expect(res[1].water).toBeLessThan(res[0].water);
    // Same fixed point, same test: the surrogate is as close to the reference as secant (within 2× or 1e-7).
    expect(dSur.worst).toBeLessThanOrEqual(Math.max(2 * dSec.worst, 1e-7));
    expect(dSur.domainCarbon).toBeLessThanOrEqual(Math.max(2 * dSec.domainCarbon, 1e-7));
    expect(Math.max(res[0].balance, res[1].balance)).toBeLessThan(1e-12);
    expect(res[1].residual).toBeLessThanOrEqual(1e-9);
    expect(Math.max(...whole)).toBeLessThanOrEqual(1e-9);
  }, 300_000);

  it('static soil: surrogate is bitwise secant (ψ_rsi does not move)', () => {
    const grid = uniformVoxelGrid([-1.5, 1.5, 1], [-6, 6, 3], [-40, 0, 10], { x: true, y: true });
    const make = (psiAveraging: CoupledConfig['psiAveraging']) =>
      CoupledModel.create({ grid, soil: SOILS.loam, params: namedSet('highMB'), initialHead_cm: hydrostaticHeads(grid, -300), root: new PlantRootSide(wheatPlant(6.5), (t) => weatherAt(t, BASELINE_WEATHER)), soilWater: 'static', waterPredictor1D: true, psiAveraging });
    const a = make('secant');
    const b = make('surrogate');
    for (const m of [a, b]) expect(m.advance(1 / 72)).toBe(ReturnCode.Success);
    const d = difference(a, b);
    console.log(`static soil, secant vs surrogate: worst ${d.worst}, 1D carbon ${d.domainCarbon}`);
    expect(d.worst).toBe(0);
    expect(d.domainCarbon).toBe(0);
  }, 300_000);
});
