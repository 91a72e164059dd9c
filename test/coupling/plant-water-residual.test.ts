import { describe, expect, it } from 'vitest';
import { CoupledModel, PlantRootSide } from '../../src/coupling/index.js';
import { ReturnCode } from '../../src/numerics/index.js';
import { BASELINE_WEATHER, weatherAt } from '../../src/plant/weather.js';
import { namedSet } from '../../src/rhizosphere/index.js';
import { SOILS, hydrostaticHeads, uniformVoxelGrid } from '../../src/soil/index.js';
import { coupledWaterBalance } from '../../src/scenarios/coupled.js';
import { wheatPlant } from '../helpers/wheat.js';

// Coupled wheat of day 6.5 in drying loam (ψ −2500 cm), one 5-min step at noon from 16 sub-steps, water predictor off
// (same box as test/coupling/wheat.test.ts). Eq B12 cuts the 1D uptake of ~45 of the 120 domains below the xylem's.
// Without any control (main at d4e831f, 1 sub-step) the plant water error was −8.16e-4 cm³ of 1.89e-3 transpired (4.3e-1).
function run(supplyLimit: boolean, psi_cm = -2500, dt_d = 1 / 288, subSteps = 16, waterPredictor1D = false) {
  const grid = uniformVoxelGrid([-1.5, 1.5, 1], [-6, 6, 3], [-40, 0, 10], { x: true, y: true });
  const m = CoupledModel.create({ grid, soil: SOILS.loam, params: namedSet('highMB'), initialHead_cm: hydrostaticHeads(grid, psi_cm), root: new PlantRootSide(wheatPlant(6.5), (t) => weatherAt(t, BASELINE_WEATHER)), soilWater: 'dynamic', waterPredictor1D, supplyLimit });
  m.subSteps = subSteps;
  expect(m.advance(dt_d)).toBe(ReturnCode.Success);
  const d = m.diagnostics()!;
  const cb = m.cumulativeBalance();
  // The coupled kind's whole-system balance: soil (3D + 1D against the root uptake) + plant (supplied − transpired).
  const total = coupledWaterBalance(cb, 'dynamic').water.relativeError;
  console.log(`supplyLimit ${supplyLimit}, ψ ${psi_cm} cm: ${d.subSteps} sub-steps, ${d.retries} retries${d.supplyLimitDropped ? ' (flux phase dropped)' : ''}, iterates ${d.iterates.join(',')}; plant water ${cb.plantWaterError_cm3.toExponential(2)} cm³ of ${cb.transpired_cm3.toExponential(4)} transpired; whole-system relative ${total.toExponential(2)}`);
  return { d, cb, total };
}

let offRun: ReturnType<typeof run> | undefined;
const off = () => (offRun ??= run(false));

describe('plant–1D water residual (Eq B12 cuts, dynamic soil)', () => {
  it('residual control by sub-steps (supplyLimit false): the step is re-run with twice the sub-steps, whole-system water error ≤ 1e-9', () => {
    const { d, cb, total } = off();
    expect(d.retries).toBeGreaterThanOrEqual(1);
    expect(d.subSteps).toBeGreaterThan(16);
    expect(cb.transpired_cm3).toBeGreaterThan(5e-4);
    expect(total).toBeLessThanOrEqual(1e-9);
  }, 300_000);

  it('supply limit (supplyLimit true): no re-run, the plant transpires what the 1D models supplied (≤ 1e-9), transpiration within 1 % of the sub-stepped answer', () => {
    const ref = off();
    const on = run(true);
    // Measured 2026-12-03: off 32 sub-steps (1 retry) 1.0884e-3 cm³, on 16 (0 retries) 1.0911e-3 cm³, whole-system 4.4e-12.
    expect(on.d.retries).toBe(0);
    expect(on.d.subSteps).toBe(16);
    expect(on.total).toBeLessThanOrEqual(1e-9);
    const rel = Math.abs(on.cb.transpired_cm3 - ref.cb.transpired_cm3) / ref.cb.transpired_cm3;
    console.log(`transpiration on vs off: ${rel.toExponential(2)} relative`);
    expect(rel).toBeLessThanOrEqual(0.01);
  }, 300_000);

  // Wilting point: loam at ψ −3500 cm, one 20-min step from 1 sub-step, water predictor on (as the dry-spells runs).
  // Off, the residual stays at the 64 sub-step cap: it does not shrink with the sub-step (Eq B12 cuts domains whose
  // interface is at ψ_crit whatever the step; earlyDry/highMB day 17.47: 7.1e-5 at 50, 6.9e-5 at 200, 6.9e-5 at 400
  // sub-steps). On, the cut domains' uptakes are prescribed to the plant and the residual closes.
  it('wilting point (ψ −3500 cm, at the sub-step cap): off keeps a plant–1D gap > 1e-3, the supply limit closes it to ≤ 1e-8 and transpires less', () => {
    const offDry = run(false, -3500, 1 / 72, 1, true);
    const onDry = run(true, -3500, 1 / 72, 1, true);
    // Measured 2026-12-03: off 1.65e-2 (0.0022748 cm³ transpired), on 5.3e-10 (0.0022540 cm³).
    expect(offDry.d.subSteps).toBe(64);
    expect(offDry.total).toBeGreaterThan(1e-3);
    expect(onDry.d.supplyLimitDropped).toBe(false);
    expect(onDry.total).toBeLessThanOrEqual(1e-8);
    expect(onDry.cb.transpired_cm3).toBeLessThan(offDry.cb.transpired_cm3);
    expect(onDry.cb.transpired_cm3).toBeGreaterThan(0.95 * offDry.cb.transpired_cm3);
  }, 300_000);

  // Every domain cut (ψ −5000 cm): all the plant's inflows prescribed leave its xylem heads undetermined, the flux phase
  // does not converge; at the cap the step is taken without it, as off, and its water gap stays visible.
  it('every domain cut (ψ −5000 cm): the flux phase is dropped at the cap, the step succeeds and reports its gap', () => {
    const dry = run(true, -5000, 1 / 72, 1, true);
    // Measured 2026-12-03: dropped, whole-system water 1.18e-1 (the same as off).
    expect(dry.d.supplyLimitDropped).toBe(true);
    expect(dry.total).toBeGreaterThan(1e-3);
  }, 300_000);
});
