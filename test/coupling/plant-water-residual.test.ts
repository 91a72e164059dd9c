import { describe, expect, it } from 'vitest';
import { CoupledModel, PlantRootSide } from '../../src/coupling/index.js';
import { ReturnCode } from '../../src/numerics/index.js';
import { BASELINE_WEATHER, weatherAt } from '../../src/plant/weather.js';
import { namedSet } from '../../src/rhizosphere/index.js';
import { SOILS, hydrostaticHeads, uniformVoxelGrid } from '../../src/soil/index.js';
import { coupledWaterBalance } from '../../src/scenarios/coupled.js';
import { wheatPlant } from '../helpers/wheat.js';

describe('plant–1D water residual control without the water predictor (dynamic soil)', () => {
  it('coupled wheat of day 6.5 in drying loam (ψ −2500 cm), one 5-min step from 1 sub-step, predictor off: whole-system water error ≤ 1e-9 of the transpired water', () => {
    // Same box as test/coupling/wheat.test.ts. Before the control applied to the plain path (main at d4e831f,
    // equivalently tolerances.plantWater = Infinity here) this step was accepted with 1 sub-step: Eq B12 cut the
    // 1D uptake below the xylem's, plant water error −8.16e-4 cm³ of 1.89e-3 transpired (4.3e-1 relative).
    // With it: 32 sub-steps (5 retries), −1.7e-15 cm³ of 1.09e-3 (1.5e-12) — measured 2026-12-02.
    const grid = uniformVoxelGrid([-1.5, 1.5, 1], [-6, 6, 3], [-40, 0, 10], { x: true, y: true });
    const m = CoupledModel.create({ grid, soil: SOILS.loam, params: namedSet('highMB'), initialHead_cm: hydrostaticHeads(grid, -2500), root: new PlantRootSide(wheatPlant(6.5), (t) => weatherAt(t, BASELINE_WEATHER)), soilWater: 'dynamic', waterPredictor1D: false });
    expect(m.advance(1 / 288)).toBe(ReturnCode.Success);
    const d = m.diagnostics()!;
    const cb = m.cumulativeBalance();
    // The coupled kind's whole-system balance: soil (3D + 1D against the root uptake) + plant (supplied − transpired).
    const total = coupledWaterBalance(cb, 'dynamic').water.relativeError;
    const soilErr = cb.waterError_cm3;
    console.log(`predictor off, ψ −2500 cm, 5 min: ${d.subSteps} sub-steps, ${d.retries} retries; soil water error ${soilErr.toExponential(2)} cm³, plant ${cb.plantWaterError_cm3.toExponential(2)} cm³ of ${cb.transpired_cm3.toExponential(3)} transpired; whole-system relative ${total.toExponential(2)} (was 4.3e-1 with 1 sub-step)`);
    expect(d.subSteps).toBeGreaterThan(1);
    expect(cb.transpired_cm3).toBeGreaterThan(5e-4);
    expect(total).toBeLessThanOrEqual(1e-9);
  }, 300_000);
});
