import { InputError, InputErrors } from '../core/errors.js';
import { newtonSolve, NewtonWorkspace, type NonlinearSystem } from '../numerics/newton.js';
import { ReturnCode } from '../numerics/ode/types.js';
import { solveTridiagonal } from '../numerics/linalg/tridiagonal.js';
import { boundaryInflow, dFaceConductivity, validateBoundary, type BoundaryCondition } from './boundary.js';
import { averageConductivity, darcyInteriorFluxes, type ConductivityAveraging } from './darcy.js';
import type { Grid1D } from './grid1d.js';
import { evalHydraulics, regularizationTable } from './hydraulics-kernel.js';
import { validateVanGenuchten, type VanGenuchtenMualem } from './van-genuchten.js';

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

export interface Richards1DOptions {
  /** First step, d (default 1e−5). */
  dtInitial_d?: number;
  /** Smallest step before giving up with DtLessThanMin, d (default 1e−12). */
  dtMin_d?: number;
  /** Largest step, d (default ∞). */
  dtMax_d?: number;
  /** Largest change of θ in any cell per step; larger steps are repeated smaller (default 0.02). */
  maxDeltaTheta?: number;
  /**
   * Newton converges when every |R_i| ≤ thetaTolerance·V_i/Δt + fluxRelativeTolerance·(|Q_i| +
   * |Q_{i+1}| + V_i|S_i|): a water-content residual (default 1e−13) plus a floor relative to the
   * cell's throughflow (default 1e−11; without it long steps in steady flow would ask for a
   * residual below the rounding error of the fluxes).
   */
  thetaTolerance?: number;
  fluxRelativeTolerance?: number;
  /** Default 12. */
  maxNewtonIterations?: number;
  /** Default 10⁷. */
  maxSteps?: number;
}

/** Water balance since the start, cm³ (per unit length of a cylinder or per cross-section area of a column). */
export interface WaterBalance {
  readonly storageChange_cm3: number;
  readonly lowerInflow_cm3: number;
  readonly upperInflow_cm3: number;
  readonly sourceVolume_cm3: number;
  /** storage change − (inflows + sources). */
  readonly error_cm3: number;
  /** |error| / max(|storage change|, |lower| + |upper| + |sources|, 1e−30). */
  readonly relativeError: number;
}

export interface Richards1DStats {
  accepted: number;
  rejected: number;
  newtonIterations: number;
  linearSolves: number;
}

/** Result of one accepted step. */
export interface StepInfo {
  readonly retcode: ReturnCode;
  readonly dt_d: number;
  readonly iterations: number;
}

/** A copy of the solver state, for repeating a step (event location). */
export interface Richards1DSnapshot {
  readonly t_d: number;
  readonly dt_d: number;
  readonly h_cm: Float64Array;
  readonly cum: Float64Array;
}

/**
 * Mixed-form implicit Euler with Newton (Celia et al. 1990): the residual of cell i is
 *   R_i = V_i (θ(h_i) − θ_i^old)/Δt − (Q_i − Q_{i+1}) − V_i S_i,
 * with Darcy face fluxes Q computed once per face (darcy.ts) and the boundary inflows of
 * boundary.ts. Storing θ(h) itself (not C·Δh) makes the water balance exact up to the Newton
 * residual; the Jacobian is tridiagonal (analytic dθ/dh, dK/dh) and solved by the Thomas
 * algorithm. Δt adapts to the Newton iteration count and to the largest θ change.
 */
export class Richards1D {
  readonly problem: Richards1DProblem;
  readonly n: number;
  /** Current pressure head per cell, cm. */
  readonly h_cm: Float64Array;
  /** Current water content per cell, cm³ cm⁻³. */
  readonly theta: Float64Array;
  t_d = 0;
  /** Step size that the next step will try, d. */
  dt_d: number;
  readonly stats: Richards1DStats = { accepted: 0, rejected: 0, newtonIterations: 0, linearSolves: 0 };
  /** True when the lower / upper `fluxLimitedByHead` boundary held its limit head at the end of the last step. */
  lowerLimited = false;
  upperLimited = false;

  private readonly opts: Required<Richards1DOptions>;
  private readonly g: 0 | 1;
  private readonly averaging: ConductivityAveraging;
  private readonly layer: Int32Array | null;
  private readonly kReg: Float64Array | null;
  private readonly thetaOld: Float64Array;
  private readonly hOld: Float64Array;
  private readonly C: Float64Array;
  private readonly K: Float64Array;
  private readonly dK: Float64Array;
  private readonly Q: Float64Array;
  private readonly lo: Float64Array;
  private readonly di: Float64Array;
  private readonly up: Float64Array;
  private readonly scratch: Float64Array;
  private readonly bOut = new Float64Array(2);
  private readonly scale: Float64Array;
  private readonly ws: NewtonWorkspace;
  private readonly system: NonlinearSystem;
  /** Cumulative [lower inflow, upper inflow, sources] since t = 0, cm³. */
  private readonly cum = new Float64Array(3);
  private readonly storage0: number;
  private dtStep = 0;
  private tNew = 0;

  constructor(problem: Richards1DProblem, options: Richards1DOptions = {}) {
    const errs = validateRichards1D(problem);
    if (errs.length) throw errs.length === 1 ? errs[0] : new InputErrors(errs);
    this.problem = problem;
    const n = problem.grid.n;
    this.n = n;
    this.opts = {
      dtInitial_d: options.dtInitial_d ?? 1e-5,
      dtMin_d: options.dtMin_d ?? 1e-12,
      dtMax_d: options.dtMax_d ?? Number.POSITIVE_INFINITY,
      maxDeltaTheta: options.maxDeltaTheta ?? 0.02,
      thetaTolerance: options.thetaTolerance ?? 1e-13,
      fluxRelativeTolerance: options.fluxRelativeTolerance ?? 1e-11,
      maxNewtonIterations: options.maxNewtonIterations ?? 12,
      maxSteps: options.maxSteps ?? 1e7,
    };
    this.dt_d = this.opts.dtInitial_d;
    this.g = (problem.gravity ?? problem.grid.geometry === 'planar') ? 1 : 0;
    this.averaging = problem.averaging ?? 'arithmetic';
    this.layer = problem.layerOfCell ?? null;
    this.kReg = regularizationTable(problem.soils, problem.kRegularizationHead_cm ?? 0);
    this.h_cm = new Float64Array(n);
    if (typeof problem.initialHead_cm === 'number') this.h_cm.fill(problem.initialHead_cm);
    else this.h_cm.set(problem.initialHead_cm);
    this.theta = new Float64Array(n);
    this.thetaOld = new Float64Array(n);
    this.hOld = new Float64Array(n);
    this.C = new Float64Array(n);
    this.K = new Float64Array(n);
    this.dK = new Float64Array(n);
    this.Q = new Float64Array(n + 1);
    this.lo = new Float64Array(n);
    this.di = new Float64Array(n);
    this.up = new Float64Array(n);
    this.scratch = new Float64Array(n);
    this.scale = new Float64Array(n);
    this.evaluatedAt = new Float64Array(n);
    this.ws = new NewtonWorkspace(n);
    evalHydraulics(n, this.h_cm, problem.soils, this.layer, this.theta, this.C, this.K, this.dK, this.kReg);
    this.storage0 = this.storage();
    this.system = {
      n,
      residual: (x, r) => this.residual(x, r),
      solveJacobian: (x, r, dx) => this.solveJacobian(x, r, dx),
    };
  }

  /** Water stored in the domain, cm³: Σ V_i θ_i. */
  storage(): number {
    const V = this.problem.grid.volume;
    let s = 0;
    for (let i = 0; i < this.n; i++) s += V[i] * this.theta[i];
    return s;
  }

  balance(): WaterBalance {
    const dS = this.storage() - this.storage0;
    const [lower, upper, src] = this.cum;
    const err = dS - (lower + upper + src);
    const ref = Math.max(Math.abs(dS), Math.abs(lower) + Math.abs(upper) + Math.abs(src), 1e-30);
    return { storageChange_cm3: dS, lowerInflow_cm3: lower, upperInflow_cm3: upper, sourceVolume_cm3: src, error_cm3: err, relativeError: Math.abs(err) / ref };
  }

  /** Current inflow through the lower and upper boundary, cm³ d⁻¹ (at the state of the last step). */
  boundaryInflows(): { lower_cm3_per_d: number; upper_cm3_per_d: number } {
    return { lower_cm3_per_d: this.Q[0], upper_cm3_per_d: -this.Q[this.n] };
  }

  snapshot(): Richards1DSnapshot {
    return { t_d: this.t_d, dt_d: this.dt_d, h_cm: this.h_cm.slice(), cum: this.cum.slice() };
  }

  restore(s: Richards1DSnapshot): void {
    this.t_d = s.t_d;
    this.dt_d = s.dt_d;
    this.h_cm.set(s.h_cm);
    this.cum.set(s.cum);
    this.evaluatedValid = false;
    this.tNew = this.t_d;
    this.fluxes(this.h_cm);
  }

  /**
   * Take one accepted step of at most `dtMax_d` (and at most the adaptive step), repeating it with
   * smaller Δt while Newton fails or θ changes by more than `maxDeltaTheta`.
   */
  step(dtMax_d = Number.POSITIVE_INFINITY): StepInfo {
    const { n } = this;
    const o = this.opts;
    const V = this.problem.grid.volume;
    this.hOld.set(this.h_cm);
    this.thetaOld.set(this.theta);
    let dt = Math.min(this.dt_d, dtMax_d, o.dtMax_d);
    for (;;) {
      this.dtStep = dt;
      this.tNew = this.t_d + dt;
      this.residualScales(dt);
      const res = newtonSolve(this.system, this.h_cm, { residualScale: this.scale, maxIterations: o.maxNewtonIterations, maxBacktracks: 6 }, this.ws);
      this.stats.newtonIterations += res.iterations;
      let dThetaMax = 0;
      if (res.retcode === ReturnCode.Success) {
        // h_cm holds the converged state, where residual() last evaluated θ, K and Q.
        this.fluxes(this.h_cm);
        for (let i = 0; i < n; i++) dThetaMax = Math.max(dThetaMax, Math.abs(this.theta[i] - this.thetaOld[i]));
        if (dThetaMax <= o.maxDeltaTheta || dt <= o.dtMin_d * 1.0000001) {
          this.accept(dt);
          let f = res.iterations <= 3 ? 1.5 : res.iterations <= 6 ? 1.1 : 0.7;
          if (dThetaMax > 0) f = Math.min(f, (0.9 * o.maxDeltaTheta) / dThetaMax);
          // Grow from the adaptive step, not from a step the caller truncated (output times).
          this.dt_d = Math.min(Math.max(Math.max(dt, this.dt_d) * Math.max(f, 0.2), o.dtMin_d), o.dtMax_d);
          return { retcode: ReturnCode.Success, dt_d: dt, iterations: res.iterations };
        }
      }
      this.stats.rejected++;
      this.h_cm.set(this.hOld);
      this.theta.set(this.thetaOld);
      this.evaluatedValid = false;
      const cut = dThetaMax > o.maxDeltaTheta ? Math.max(0.1, (0.8 * o.maxDeltaTheta) / dThetaMax) : 0.25;
      dt *= cut;
      if (dt < o.dtMin_d) {
        this.fluxes(this.h_cm);
        return { retcode: ReturnCode.DtLessThanMin, dt_d: dt, iterations: res.iterations };
      }
      this.dt_d = dt;
    }
  }

  /** Integrate to tEnd_d (landing on it exactly). */
  advance(tEnd_d: number): ReturnCode {
    let steps = 0;
    while (this.t_d < tEnd_d * (1 - 1e-15) - 1e-300) {
      if (++steps > this.opts.maxSteps) return ReturnCode.MaxIters;
      const remaining = tEnd_d - this.t_d;
      // Land on tEnd without a sliver of a last step: stretch a little, or split the last two evenly.
      let target = this.dt_d;
      if (remaining <= 1.05 * this.dt_d) target = remaining;
      else if (remaining < 2 * this.dt_d) target = remaining / 2;
      const r = this.step(target);
      if (r.retcode !== ReturnCode.Success) return r.retcode;
      if (tEnd_d - this.t_d < 1e-12 * Math.max(1, tEnd_d)) this.t_d = tEnd_d;
    }
    return ReturnCode.Success;
  }

  /**
   * Newton tolerance per cell, cm³ d⁻¹: θ tolerance·V/Δt + relative tolerance·throughflow + the
   * rounding error of the Darcy fluxes, K_f·A·(|h_a| + |h_b|)·ε/d per face (the head difference
   * of two large heads cancels; ε taken as 1e−14 ≈ 50 ulp).
   */
  private residualScales(dt: number): void {
    const { n, K } = this;
    const o = this.opts;
    const grid = this.problem.grid;
    const V = grid.volume;
    const S = this.problem.source_per_d;
    const h = this.h_cm;
    for (let i = 0; i < n; i++) {
      const through = Math.abs(this.Q[i]) + Math.abs(this.Q[i + 1]) + (S ? V[i] * Math.abs(S[i]) : 0);
      this.scale[i] = (o.thetaTolerance * V[i]) / dt + o.fluxRelativeTolerance * through;
    }
    for (let k = 0; k <= n; k++) {
      const a = Math.max(k - 1, 0);
      const b = Math.min(k, n - 1);
      const round = (FLUX_ROUNDING * 0.5 * (K[a] + K[b]) * grid.faceArea[k] * (Math.abs(h[a]) + Math.abs(h[b]))) / grid.distance[k];
      if (k > 0) this.scale[a] += round;
      if (k < n) this.scale[b] += round;
    }
  }

  private accept(dt: number): void {
    this.stats.accepted++;
    this.t_d += dt;
    this.cum[0] += dt * this.Q[0];
    this.cum[1] += dt * -this.Q[this.n];
    const S = this.problem.source_per_d;
    if (S) {
      const V = this.problem.grid.volume;
      let s = 0;
      for (let i = 0; i < this.n; i++) s += V[i] * S[i];
      this.cum[2] += dt * s;
    }
  }

  /** Face fluxes Q (cm³ d⁻¹, +coordinate direction) and boundary limit states at heads x. */
  private fluxes(x: Float64Array): void {
    const { n, g } = this;
    // Newton asks for the Jacobian at the point of its last residual: reuse that evaluation.
    if (this.evaluatedValid && this.evaluatedTime === this.tNew && sameValues(this.evaluatedAt, x)) return;
    const p = this.problem;
    const grid = p.grid;
    evalHydraulics(n, x, p.soils, this.layer, this.theta, this.C, this.K, this.dK, this.kReg);
    darcyInteriorFluxes(grid, x, this.K, this.averaging, g, this.Q);
    const soilLo = p.soils[this.layer ? this.layer[0] : 0];
    const soilUp = p.soils[this.layer ? this.layer[n - 1] : 0];
    this.lowerLimited = boundaryInflow(p.lower, 'lower', this.tNew, x[0], this.K[0], this.dK[0], grid.faceArea[0], grid.distance[0], g, soilLo, this.averaging, this.bOut) === 1;
    this.Q[0] = this.bOut[0];
    this.lowerDeriv = this.bOut[1];
    this.upperLimited = boundaryInflow(p.upper, 'upper', this.tNew, x[n - 1], this.K[n - 1], this.dK[n - 1], grid.faceArea[n], grid.distance[n], g, soilUp, this.averaging, this.bOut) === 1;
    this.Q[n] = -this.bOut[0];
    this.upperDeriv = this.bOut[1];
    this.evaluatedAt.set(x);
    this.evaluatedTime = this.tNew;
    this.evaluatedValid = true;
  }

  private readonly evaluatedAt: Float64Array;
  private evaluatedTime = Number.NaN;
  private evaluatedValid = false;

  private lowerDeriv = 0;
  private upperDeriv = 0;

  private residual(x: Float64Array, r: Float64Array): void {
    this.fluxes(x);
    const { n } = this;
    const V = this.problem.grid.volume;
    const S = this.problem.source_per_d;
    const dt = this.dtStep;
    for (let i = 0; i < n; i++) {
      r[i] = (V[i] * (this.theta[i] - this.thetaOld[i])) / dt - (this.Q[i] - this.Q[i + 1]) - (S ? V[i] * S[i] : 0);
    }
  }

  private solveJacobian(x: Float64Array, r: Float64Array, dx: Float64Array): boolean {
    this.fluxes(x);
    const { n, g } = this;
    const grid = this.problem.grid;
    const V = grid.volume;
    const dt = this.dtStep;
    const { lo, di, up, K } = this;
    const dK = this.dK;
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
    this.stats.linearSolves++;
    return solveTridiagonal(n, lo, di, up, r, dx, this.scratch);
  }
}

/** Relative rounding error assumed for a head difference in a Darcy flux (≈ 50 ulp). */
const FLUX_ROUNDING = 1e-14;

function sameValues(a: Float64Array, b: Float64Array): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Check a problem; returns every problem found (empty when valid). */
export function validateRichards1D(p: Richards1DProblem): InputError[] {
  const errs: InputError[] = [];
  const n = p.grid.n;
  if (p.soils.length === 0) errs.push(new InputError({ keyPath: 'soils', value: [], expected: 'at least one soil' }));
  p.soils.forEach((s, j) => {
    for (const e of validateVanGenuchten(s)) errs.push(new InputError({ keyPath: `soils[${j}]`, expected: e }));
  });
  if (p.layerOfCell) {
    if (p.layerOfCell.length !== n) errs.push(new InputError({ keyPath: 'layerOfCell', value: p.layerOfCell.length, expected: `one layer index per cell (${n})` }));
    for (let i = 0; i < p.layerOfCell.length; i++) {
      if (!(p.layerOfCell[i] >= 0 && p.layerOfCell[i] < p.soils.length)) {
        errs.push(new InputError({ keyPath: `layerOfCell[${i}]`, value: p.layerOfCell[i], expected: `an index into soils (0..${p.soils.length - 1})` }));
        break;
      }
    }
  }
  if (typeof p.initialHead_cm !== 'number' && p.initialHead_cm.length !== n) {
    errs.push(new InputError({ keyPath: 'initialHead_cm', value: p.initialHead_cm.length, expected: `one head per cell (${n})` }));
  }
  const hReg = p.kRegularizationHead_cm ?? 0;
  if (!(hReg <= 0 && hReg > -100)) errs.push(new InputError({ keyPath: 'kRegularizationHead_cm', value: hReg, expected: 'a head in (−100, 0] cm' }));
  if (p.source_per_d && p.source_per_d.length !== n) errs.push(new InputError({ keyPath: 'source_per_d', value: p.source_per_d.length, expected: `one source per cell (${n})` }));
  const gravity = p.gravity ?? p.grid.geometry === 'planar';
  errs.push(...validateBoundary(p.lower, 'lower', 'lower', gravity), ...validateBoundary(p.upper, 'upper', 'upper', gravity));
  return errs;
}
