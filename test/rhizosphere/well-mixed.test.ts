import { describe, expect, it } from 'vitest';
import { CARBON_VARS, DEFAULT_RHIZOSPHERE_CONSTANTS as C, NV, PerirhizalBatch, V, WellMixedCells, initialCellState, namedSet } from '../../src/rhizosphere/index.js';
import { SOILS, waterContent } from '../../src/soil/index.js';

const soil = SOILS.loam;
const params = namedSet('highCO2');
const N = 24;

/** Varied well-mixed cells: heads −30 … −12 000 cm (water factors on and off their plateaus), C_L from starved to rich, different microbe mixes. */
function cells(): { pools: Float64Array; heads: number[] } {
  const pools = new Float64Array(N * NV);
  const heads: number[] = [];
  for (let c = 0; c < N; c++) {
    const h = -30 * Math.pow(400, c / (N - 1));
    heads.push(h);
    const o = c * NV;
    initialCellState(waterContent(h, soil), params, C, pools, o);
    pools[o + V.L] *= Math.pow(10, (c % 6) - 3);
    pools[o + V.Oa] *= 1 + (c % 4);
    pools[o + V.Cd] *= 1 + (c % 3);
  }
  return { pools, heads };
}

/** The previous path: one 1-cell perirhizal domain per cell (10 unknowns, band LU, θ column by differences). */
function oldPath(pools: Float64Array, heads: number[], days: number, dt: number, jacobian: 'hybrid' | 'sparse', rtol?: number): Float64Array {
  const domains = heads.map(() => ({ rIn_cm: 0.01, rOut_cm: 0.5, length_cm: 1 }));
  const b = new PerirhizalBatch(domains, heads, { soil, params, constants: C, cells: 1, jacobian, rtol, stageSolver: 'band' });
  const all = Int32Array.from({ length: N }, (_, c) => c);
  for (let c = 0; c < N; c++) for (let v = 0; v < NV; v++) b.state[b.offset(c, 0) + v] = pools[c * NV + v];
  for (let k = 0; k < Math.round(days / dt); k++) expect(b.advance(dt, all)).toBe('Success');
  const out = new Float64Array(N * NV);
  for (let c = 0; c < N; c++) for (let v = 0; v < NV; v++) out[c * NV + v] = b.state[b.offset(c, 0) + v];
  return out;
}

function newPath(pools: Float64Array, days: number, dt: number, rtol?: number): Float64Array {
  const w = new WellMixedCells(N, { soil, params, constants: C, rtol });
  const y = pools.slice();
  const all = Int32Array.from({ length: N }, (_, c) => c);
  for (let k = 0; k < Math.round(days / dt); k++) expect(w.advance(y, dt, all)).toBe('Success');
  return y;
}

/** Largest |a − b| over the carbon pools of a cell, relative to that cell's total carbon. */
function maxRelDiff(a: Float64Array, b: Float64Array): number {
  let m = 0;
  for (let c = 0; c < N; c++) {
    let total = 0;
    for (const v of CARBON_VARS) total += Math.abs(b[c * NV + v]);
    for (const v of CARBON_VARS) m = Math.max(m, Math.abs(a[c * NV + v] - b[c * NV + v]) / total);
  }
  return m;
}

describe('WellMixedCells (batched RODAS4, analytic Jacobian, dense LU)', () => {
  const { pools, heads } = cells();
  const days = 3;
  const dt = 1 / 24;
  const fresh = newPath(pools, days, dt);

  it('equals the old 1-cell perirhizal path (band LU; hybrid and finite-difference Jacobians) within the integration tolerance', () => {
    const hybrid = oldPath(pools, heads, days, dt, 'hybrid');
    const fd = oldPath(pools, heads, days, dt, 'sparse');
    const eHybrid = maxRelDiff(fresh, hybrid);
    const eFd = maxRelDiff(fresh, fd);
    const eOld = maxRelDiff(hybrid, fd);
    console.log(`well-mixed, ${N} cells, 3 d in 1-h steps, rtol 1e-6: max |new − old| / cell carbon: vs band+hybrid ${eHybrid.toExponential(2)}, vs band+FD ${eFd.toExponential(2)} (old hybrid vs old FD ${eOld.toExponential(2)})`);
    expect(eHybrid).toBeLessThan(1e-6); // rtol
    expect(eFd).toBeLessThan(1e-6);
    // Same ODE: at tight tolerances the two paths converge to each other.
    const tightNew = newPath(pools, 1, dt, 1e-10);
    const tightOld = oldPath(pools, heads, 1, dt, 'hybrid', 1e-10);
    const eTight = maxRelDiff(tightNew, tightOld);
    console.log(`well-mixed, rtol 1e-10, 1 d: max |new − old| / cell carbon ${eTight.toExponential(2)}`);
    expect(eTight).toBeLessThan(1e-8);
  });

  it('conserves carbon per cell to round-off and holds θ', () => {
    let worst = 0;
    for (let c = 0; c < N; c++) {
      let before = 0;
      let after = 0;
      for (const v of CARBON_VARS) {
        before += pools[c * NV + v];
        after += fresh[c * NV + v];
      }
      worst = Math.max(worst, Math.abs(after - before) / before);
      expect(fresh[c * NV + V.theta]).toBe(pools[c * NV + V.theta]);
    }
    let co2 = 0;
    for (let c = 0; c < N; c++) co2 = Math.max(co2, fresh[c * NV + V.CO2]);
    console.log(`well-mixed, ${N} cells, 3 d: max relative carbon balance error per cell ${worst.toExponential(2)} (largest CO2 produced ${co2.toExponential(2)} mol C cm-3)`);
    expect(co2).toBeGreaterThan(0); // something happened
    expect(worst).toBeLessThan(1e-13);
  });
});
