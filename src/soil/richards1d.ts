import { InputError, InputErrors } from '../core/errors.js';
import { solveTridiagonal } from '../numerics/linalg/tridiagonal.js';
import { boundaryInflow, dFaceConductivity, validateBoundary, type BoundaryCondition } from './boundary.js';
import { averageConductivity, darcyInteriorFluxes, type ConductivityAveraging } from './darcy.js';
import type { Grid1D } from './grid1d.js';
import { FLUX_ROUNDING, MixedFormRichards, validateRichardsInput, type RichardsOptions } from './richards-stepper.js';
import type { VanGenuchtenMualem } from './van-genuchten.js';

/**
 * Richards equation (004 Eq 6) on a 1D finite-volume grid: a vertical column (planar grid whose
 * coordinate is the elevation z, cm, increasing upwards, with gravity) or a perirhizal cylinder
 * (radial grid, coordinate r, no gravity: 004 App. B2). Both geometries share this one code path;
 * only the face areas, volumes and the gravity term differ.
 */
export interface Richards1DProblem {
  readonly grid: Grid1D;
  /** Soil of each layer; one entry for a homogeneous profile. */
  readonly soils: readonly VanGenuchtenMualem[];
  /** Layer index of each cell (default: all 0). */
  readonly layerOfCell?: Int32Array;
  /** Gravity along the axis (default: true for planar grids, false for radial). */
  readonly gravity?: boolean;
  /** Condition at face 0 (bottom of a column, root surface of a cylinder). */
  readonly lower: BoundaryCondition;
  /** Condition at face n (soil surface of a column, outer radius of a cylinder). */
  readonly upper: BoundaryCondition;
  /** Initial pressure head, cm: one value or one per cell. */
  readonly initialHead_cm: number | Float64Array;
  /**
   * Volumetric source S_θ per cell, cm³ water cm⁻³ soil d⁻¹ (004 Eq 6; negative = sink). Read at
   * every step, so a caller may change it between steps (the 3D ↔ 1D exchange of App. B).
   */
  readonly source_per_d?: Float64Array;
  /** Face conductivity averaging (default arithmetic, as HYDRUS). */
  readonly averaging?: ConductivityAveraging;
  /**
   * Conductivity regularisation near saturation, cm (≤ 0; default 0 = off): K(h) is linear
   * between K(h_reg) and K_s for h_reg < h < 0 (see evalHydraulics). Needed for n ≲ 1.3 soils
   * (the benchmark clay, n = 1.1) in ponded infiltration, where K drops by ~20 % within 1e−10 cm
   * of saturation and no Newton iteration on h can converge.
   */
  readonly kRegularizationHead_cm?: number;
}

/** Options of {@link Richards1D} (time stepping and Newton; see RichardsOptions). */
export type Richards1DOptions = RichardsOptions;

/**
 * Richards equation on a 1D grid with {@link MixedFormRichards}: Darcy face fluxes Q (cm³ d⁻¹,
 * +coordinate direction) computed once per face by darcy.ts, boundary inflows by boundary.ts,
 *   R_i = V_i (θ(h_i) − θ_i^old)/Δt − (Q_i − Q_{i+1}) − V_i S_i,
 * and a tridiagonal Jacobian (analytic dθ/dh, dK/dh) solved by the Thomas algorithm.
 */
export class Richards1D extends MixedFormRichards {
  readonly problem: Richards1DProblem;
  /** True when the lower / upper `fluxLimitedByHead` boundary held its limit head at the last evaluated state. */
  lowerLimited = false;
  upperLimited = false;

  private readonly g: 0 | 1;
  private readonly averaging: ConductivityAveraging;
  private readonly Q: Float64Array;
  private readonly lo: Float64Array;
  private readonly di: Float64Array;
  private readonly up: Float64Array;
  private readonly scratch: Float64Array;
  private readonly bOut = new Float64Array(2);
  private lowerDeriv = 0;
  private upperDeriv = 0;

  constructor(problem: Richards1DProblem, options: Richards1DOptions = {}) {
    const errs = validateRichards1D(problem);
    if (errs.length) throw errs.length === 1 ? errs[0] : new InputErrors(errs);
    const n = problem.grid.n;
    super(n, problem.grid.volume, problem.soils, problem.layerOfCell ?? null, problem.kRegularizationHead_cm ?? 0, problem.initialHead_cm, options);
    this.problem = problem;
    this.g = (problem.gravity ?? problem.grid.geometry === 'planar') ? 1 : 0;
    this.averaging = problem.averaging ?? 'arithmetic';
    this.Q = new Float64Array(n + 1);
    this.lo = new Float64Array(n);
    this.di = new Float64Array(n);
    this.up = new Float64Array(n);
    this.scratch = new Float64Array(n);
    this.initialize();
  }

  protected sources(): Float64Array | undefined {
    return this.problem.source_per_d;
  }

  protected computeFluxes(x: Float64Array): void {
    const { n, g } = this;
    const p = this.problem;
    const grid = p.grid;
    darcyInteriorFluxes(grid, x, this.K, this.averaging, g, this.Q);
    const layer = this.soilOfCell;
    const soilLo = p.soils[layer ? layer[0] : 0];
    const soilUp = p.soils[layer ? layer[n - 1] : 0];
    this.lowerLimited = boundaryInflow(p.lower, 'lower', this.tNew, x[0], this.K[0], this.dK[0], grid.faceArea[0], grid.distance[0], g, soilLo, this.averaging, this.bOut) === 1;
    this.Q[0] = this.bOut[0];
    this.lowerDeriv = this.bOut[1];
    this.upperLimited = boundaryInflow(p.upper, 'upper', this.tNew, x[n - 1], this.K[n - 1], this.dK[n - 1], grid.faceArea[n], grid.distance[n], g, soilUp, this.averaging, this.bOut) === 1;
    this.Q[n] = -this.bOut[0];
    this.upperDeriv = this.bOut[1];
  }

  protected netOutflow(r: Float64Array): void {
    for (let i = 0; i < this.n; i++) r[i] = this.Q[i + 1] - this.Q[i];
  }

  protected boundaryRates(out: Float64Array): void {
    out[0] = this.Q[0];
    out[1] = -this.Q[this.n];
  }

  protected addFluxScales(scale: Float64Array): void {
    const { n, K } = this;
    const grid = this.problem.grid;
    const h = this.h_cm;
    const rel = this.opts.fluxRelativeTolerance;
    for (let k = 0; k <= n; k++) {
      const a = Math.max(k - 1, 0);
      const b = Math.min(k, n - 1);
      const round = (FLUX_ROUNDING * 0.5 * (K[a] + K[b]) * grid.faceArea[k] * (Math.abs(h[a]) + Math.abs(h[b]))) / grid.distance[k];
      const add = rel * Math.abs(this.Q[k]) + round;
      if (k > 0) scale[a] += add;
      if (k < n) scale[b] += add;
    }
  }

  protected solveLinear(x: Float64Array, r: Float64Array, dx: Float64Array): boolean {
    const { n, g } = this;
    const grid = this.problem.grid;
    const V = grid.volume;
    const dt = this.dtStep;
    const { lo, di, up, K, dK } = this;
    for (let i = 0; i < n; i++) {
      di[i] = (V[i] * this.C[i]) / dt;
      lo[i] = 0;
      up[i] = 0;
    }
    // Interior face k between cells a = k−1 and b = k: R_a += Q_k, R_b −= Q_k.
    for (let k = 1; k < n; k++) {
      const a = k - 1;
      const grad = (x[k] - x[a]) / grid.distance[k] + g;
      const upstreamA = grad < 0;
      const Kf = averageConductivity(K[a], K[k], this.averaging, upstreamA);
      const A = grid.faceArea[k];
      const dQa = -A * (dFaceConductivity(K[k], K[a], this.averaging, !upstreamA, dK[a]) * grad - Kf / grid.distance[k]);
      const dQb = -A * (dFaceConductivity(K[a], K[k], this.averaging, upstreamA, dK[k]) * grad + Kf / grid.distance[k]);
      di[a] += dQa;
      up[a] += dQb;
      lo[k] -= dQa;
      di[k] -= dQb;
    }
    // Boundary faces: R_0 −= Q_0 (= lower inflow), R_{n−1} += Q_n (= −upper inflow).
    di[0] -= this.lowerDeriv;
    di[n - 1] -= this.upperDeriv;
    return solveTridiagonal(n, lo, di, up, r, dx, this.scratch);
  }
}

/** Check a problem; returns every problem found (empty when valid). */
export function validateRichards1D(p: Richards1DProblem): InputError[] {
  const gravity = p.gravity ?? p.grid.geometry === 'planar';
  return [
    ...validateRichardsInput(p, p.layerOfCell, p.grid.n, 'layerOfCell', 'cell'),
    ...validateBoundary(p.lower, 'lower', 'lower', gravity),
    ...validateBoundary(p.upper, 'upper', 'upper', gravity),
  ];
}
