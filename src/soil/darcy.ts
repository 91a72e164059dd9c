import type { Grid1D } from './grid1d.js';

/** How the conductivity at a face is formed from the two adjacent cells. */
export type ConductivityAveraging = 'arithmetic' | 'geometric' | 'harmonic' | 'upstream';

/** Face value of K from the cell values K_a, K_b; `upstreamA` tells whether cell a is upstream (higher total head). */
export function averageConductivity(Ka: number, Kb: number, mode: ConductivityAveraging, upstreamA: boolean): number {
  switch (mode) {
    case 'arithmetic':
      return 0.5 * (Ka + Kb);
    case 'geometric':
      return Math.sqrt(Ka * Kb);
    case 'harmonic':
      return Ka + Kb > 0 ? (2 * Ka * Kb) / (Ka + Kb) : 0;
    case 'upstream':
      return upstreamA ? Ka : Kb;
  }
}

/**
 * Darcy volume fluxes across the interior faces of a 1D finite-volume grid (004 Eq 6 / B5),
 * cm³ d⁻¹, positive in the direction of increasing coordinate:
 *   Q_k = −K_k · A_k · ((h_k − h_{k−1}) / Δ_k + g),
 * with g = 1 for a planar grid whose coordinate is elevation z (gravity) and g = 0 otherwise
 * (radial grids: gravity neglected, 004 App. B2). Only faces 1..n−1 are written; the caller sets
 * the boundary faces 0 and n from its boundary conditions. Nothing is allocated.
 */
export function darcyInteriorFluxes(
  grid: Grid1D,
  h_cm: Float64Array,
  K_cm_per_d: Float64Array,
  averaging: ConductivityAveraging,
  gravity: 0 | 1,
  out_cm3_per_d: Float64Array,
): void {
  const { n, faceArea, distance } = grid;
  for (let k = 1; k < n; k++) {
    const ha = h_cm[k - 1];
    const hb = h_cm[k];
    const gradH = (hb - ha) / distance[k] + gravity;
    const Kf = averageConductivity(K_cm_per_d[k - 1], K_cm_per_d[k], averaging, gradH < 0);
    out_cm3_per_d[k] = -Kf * faceArea[k] * gradH;
  }
}
