import type { CoupledModel } from '../../src/coupling/index.js';

/** max_c |x_c − y_c| / max_c |x_c| (the plain max difference when x is all zero). */
export function relMaxDifference(x: ArrayLike<number>, y: ArrayLike<number>): number {
  let d = 0;
  let s = 0;
  for (let c = 0; c < x.length; c++) {
    d = Math.max(d, Math.abs(x[c] - y[c]));
    s = Math.max(s, Math.abs(x[c]));
  }
  return s > 0 ? d / s : d;
}

/**
 * Difference of two coupled states on the same grid and domains: per voxel field (θ and every carbon
 * pool) {@link relMaxDifference}; over 1D domains the largest relative difference of the total carbon
 * and of the dissolved carbon (C_L + C_H).
 */
export function coupledDifference(a: CoupledModel, b: CoupledModel): { fields: Record<string, number>; worst: number; domainCarbon: number; domainDissolved: number } {
  const fa = a.voxelFields();
  const fb = b.voxelFields();
  const fields: Record<string, number> = { theta: relMaxDifference(fa.theta, fb.theta) };
  for (const p of Object.keys(fa.pools)) fields[p] = relMaxDifference(fa.pools[p], fb.pools[p]);
  let domainCarbon = 0;
  let domainDissolved = 0;
  for (let d = 0; d < a.batch.nDomains; d++) {
    domainCarbon = Math.max(domainCarbon, Math.abs(a.batch.domainCarbon(d) - b.batch.domainCarbon(d)) / a.batch.domainCarbon(d));
    const l1 = a.batch.poolTotal(d, 1) + a.batch.poolTotal(d, 2);
    const l2 = b.batch.poolTotal(d, 1) + b.batch.poolTotal(d, 2);
    domainDissolved = Math.max(domainDissolved, Math.abs(l1 - l2) / l1);
  }
  return { fields, worst: Math.max(...Object.values(fields)), domainCarbon, domainDissolved };
}
