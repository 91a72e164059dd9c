import { describe, expect, it } from 'vitest';
import { C11_COUPLED_SETTINGS, runC11Comparison } from '../../src/benchmarks/c1-1.js';
import { benchmarkRegistry } from '../../src/benchmarks/index.js';
import { SOILS } from '../../src/soil/index.js';

describe('C1.1 through the coupled path (one voxel, one root, CoupledModel + PrescribedUptake) vs the 1D path', () => {
  it('loam, q = 0.5 cm/d (onset ≈ 1.7 d), 50 radial cells: onset within 2e-3 relative, uptake curve within 1e-2, coupled water balance ≤ 1e-10', () => {
    const c = runC11Comparison(SOILS.loam, 0.5, { ...C11_COUPLED_SETTINGS, cells: 50 });
    const dOnset = Math.abs(c.onsetCoupled_d - c.onset1D_d) / c.onset1D_d;
    console.log(`C1.1 coupled vs 1D (loam, q = 0.5, 50 cells): onset 1D ${c.onset1D_d.toFixed(5)} d, coupled ${c.onsetCoupled_d.toFixed(5)} d (relative ${dOnset.toExponential(2)}); uptake curve to ${c.times_d[c.times_d.length - 1].toFixed(3)} d: max |ΔW|/W_end ${c.curveRelativeDifference.toExponential(2)}, worst interval rate ${c.rateRelativeDifference.toExponential(2)} of q; coupled balance ${c.coupledBalanceRelativeError.toExponential(2)}, mismatch ${c.worstMismatch.toExponential(2)}, ${c.iteratesPerSubStep} iterates/sub-step, ${c.retries} retries, ${c.coupledCoreSeconds.toFixed(1)} core-s`);
    expect(c.onset1D_d).toBeGreaterThan(1.6);
    expect(c.onset1D_d).toBeLessThan(1.8);
    expect(dOnset).toBeLessThan(2e-3);
    expect(c.curveRelativeDifference).toBeLessThan(1e-2);
    // Before the onset both paths take exactly q: the first interval rates agree to round-off.
    expect(Math.abs(c.uptakeCoupled_cm3[0] - c.uptake1D_cm3[0]) / c.uptake1D_cm3[0]).toBeLessThan(1e-9);
    expect(c.coupledBalanceRelativeError).toBeLessThan(1e-10);
    expect(c.worstMismatch).toBeLessThan(1e-12);
    expect(c.retries).toBe(0);
  }, 60_000);

  it('the registry lists c1.1 with the paths 1d and coupled (rhizocarb benchmark c1.1 --path coupled)', () => {
    const b = benchmarkRegistry().get('c1.1')!;
    expect(b.paths).toEqual(['1d', 'coupled']);
    expect(b.takesCells).toBe(true);
    expect(benchmarkRegistry().get('m2.1')!.paths).toBeUndefined();
  });
});
