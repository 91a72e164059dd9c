import { darcyInteriorFluxes, type ConductivityAveraging } from './darcy.js';
import type { Grid1D } from './grid1d.js';
import { dissolvedFromTotal, type SorptionIsotherm } from './sorption.js';
import { conductivityFromSaturation, headFromSaturation, type VanGenuchtenMualem } from './van-genuchten.js';

/**
 * Building blocks of method-of-lines models on a 1D finite-volume grid whose state holds, per cell,
 * the water content θ and solute amounts per cm³ soil (interleaved with a fixed stride). They
 * compute face fluxes only; the model adds boundary fluxes, sources and reactions. Used by the
 * perirhizal model (src/rhizosphere) and the radial reference problems (src/benchmarks).
 */
export interface MolWork {
  /** Matric head per cell, cm. */
  readonly h: Float64Array;
  /** Hydraulic conductivity per cell, cm d⁻¹. */
  readonly K: Float64Array;
  /** Millington–Quirk factor θ^{10/3}/θ_s² per cell (multiply by D_w for the effective diffusion), –. */
  readonly mq: Float64Array;
  /** Volume fluxes across faces 0..n, cm³ d⁻¹, positive towards increasing coordinate. */
  readonly Q: Float64Array;
  /**
   * θ for which h, K, mq of each cell were last computed: they depend on θ alone (for a fixed
   * soil), so unchanged cells — most columns of a finite-difference Jacobian — skip the power laws.
   */
  readonly theta: Float64Array;
}

/** Work arrays for {@link molWaterFluxes}; one per soil (the cache assumes a fixed soil and storage). */
export function newMolWork(nCells: number): MolWork {
  return { h: new Float64Array(nCells), K: new Float64Array(nCells), mq: new Float64Array(nCells), Q: new Float64Array(nCells + 1), theta: new Float64Array(nCells).fill(Number.NaN) };
}

/**
 * h(θ) for the θ-form of Richards' equation, cm: the van Genuchten inverse below saturation and
 * h = (θ − θ_s)/S_s above it, so that a saturated cell stays solvable (S_s: specific storage, cm⁻¹).
 */
export function headFromThetaExtended(theta: number, soil: VanGenuchtenMualem, specificStorage_per_cm: number): number {
  if (theta >= soil.thetaS) return (theta - soil.thetaS) / specificStorage_per_cm;
  return headFromSaturation((theta - soil.thetaR) / (soil.thetaS - soil.thetaR), soil);
}

/**
 * From θ at y[i·stride + iTheta]: fill h, K, the Millington–Quirk factor (004 Eq 23) and the
 * interior Darcy fluxes Q[1..n−1] (004 Eqs 6, B5; gravity only for planar grids in elevation).
 * Boundary fluxes Q[0] and Q[n] are left for the caller. `fluxes` false: h, K and the factor only (Q untouched),
 * for callers that set Q themselves (frozen water: all zero).
 */
export function molWaterFluxes(
  grid: Grid1D,
  y: Float64Array,
  stride: number,
  iTheta: number,
  soil: VanGenuchtenMualem,
  specificStorage_per_cm: number,
  averaging: ConductivityAveraging,
  gravity: 0 | 1,
  work: MolWork,
  fluxes = true,
): void {
  const { h, K, mq, Q } = work;
  const thetaS = soil.thetaS;
  const thetaR = soil.thetaR;
  const invPhi2 = 1 / (thetaS * thetaS);
  const last = work.theta;
  for (let i = 0; i < grid.n; i++) {
    const theta = y[i * stride + iTheta];
    if (theta === last[i]) continue;
    last[i] = theta;
    h[i] = headFromThetaExtended(theta, soil, specificStorage_per_cm);
    K[i] = conductivityFromSaturation((Math.min(theta, thetaS) - thetaR) / (thetaS - thetaR), soil);
    mq[i] = Math.pow(Math.max(theta, 0), 10 / 3) * invPhi2;
  }
  if (fluxes) darcyInteriorFluxes(grid, h, K, averaging, gravity, Q);
}

/**
 * Solute flux across interior face k (1 ≤ k ≤ n−1), mol d⁻¹, positive towards increasing
 * coordinate: upwind advection with the face water flux Q[k] (if `advect`) plus diffusion with the
 * arithmetic mean of the cells' effective coefficients D_w·θ^{10/3}/θ_s² (004 Eqs 21–23, C6).
 * The dissolved concentration of cell i is (solute amount per cm³ soil) / (θ + buffer), i.e.
 * `buffer` = 0 for a purely dissolved pool and ρK_d for a linearly, instantaneously sorbing one.
 * `buffer` may instead be an equilibrium isotherm (src/soil/sorption.ts): the state then holds the
 * total T = θC + ρ_b S(C) and C is recovered by {@link dissolvedFromTotal} (safeguarded Newton for
 * Freundlich/Langmuir). Either way the state is the conserved total, so face fluxes applied with
 * opposite signs to the two cells keep the solute mass to round-off.
 */
export function molSoluteFaceFlux(
  grid: Grid1D,
  y: Float64Array,
  stride: number,
  iTheta: number,
  iSolute: number,
  k: number,
  Dw_cm2_per_d: number,
  advect: boolean,
  buffer: number | SorptionIsotherm,
  work: MolWork,
): number {
  const oa = (k - 1) * stride;
  const ob = k * stride;
  const ca = molDissolved(y[oa + iTheta], y[oa + iSolute], buffer);
  const cb = molDissolved(y[ob + iTheta], y[ob + iSolute], buffer);
  const Dface = 0.5 * (work.mq[k - 1] + work.mq[k]) * Dw_cm2_per_d;
  const diffusive = (-Dface * grid.faceArea[k] * (cb - ca)) / grid.distance[k];
  if (!advect) return diffusive;
  const q = work.Q[k];
  return (q > 0 ? q * ca : q * cb) + diffusive;
}

/**
 * Dissolved concentration C, mol cm⁻³ water, of a cell with water content θ and total solute T
 * (mol cm⁻³ soil): T/(θ + buffer) for a number, the isotherm inversion otherwise.
 */
export function molDissolved(theta: number, total: number, buffer: number | SorptionIsotherm): number {
  return typeof buffer === 'number' ? total / (theta + buffer) : dissolvedFromTotal(buffer, theta, total);
}

/**
 * Water flux across the root surface into the soil, cm³ cm⁻² d⁻¹ (negative: uptake), for a
 * prescribed uptake limited by the critical xylem potential (004 Eq B12):
 *   q = max(−uptake, K(h₀)·(ψ_crit − h₀)/Δr₀),
 * with h₀, K(h₀) the first cell's head and conductivity and Δr₀ the root-surface-to-centre
 * distance. Once h₀ approaches ψ_crit the realised uptake falls below the prescribed one; this is
 * the flux→head switch of the stress-onset benchmarks.
 */
export function limitedRootFlux(uptake_cm_per_d: number, K0_cm_per_d: number, h0_cm: number, psiCrit_cm: number, distance0_cm: number): number {
  return Math.max(-uptake_cm_per_d, (K0_cm_per_d * (psiCrit_cm - h0_cm)) / distance0_cm);
}
