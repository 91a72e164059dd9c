import { newtonSolve, NewtonWorkspace, type NonlinearSystem } from '../numerics/newton.js';
import { ReturnCode } from '../numerics/ode/types.js';
import { evalHydraulics, regularizationTable } from './hydraulics-kernel.js';
import { InputError } from '../core/errors.js';
import { validateVanGenuchten, type VanGenuchtenMualem } from './van-genuchten.js';

/** Time stepping and Newton options shared by the 1D and 3D Richards solvers. */
export interface RichardsOptions {
  /** First step, d (default 1e−5). */
  dtInitial_d?: number;
  /** Smallest step before giving up with DtLessThanMin, d (default 1e−12). */
  dtMin_d?: number;
  /** Largest step, d (default ∞). */
  dtMax_d?: number;
  /** Largest change of θ in any cell per step; larger steps are repeated smaller (default 0.02). */
  maxDeltaTheta?: number;
  /**
   * Newton converges when every |R_i| ≤ thetaTolerance·V_i/Δt + fluxRelativeTolerance·(throughflow
   * of cell i) + the rounding error of its Darcy fluxes: a water-content residual (default 1e−13)
   * plus a floor relative to the cell's throughflow (default 1e−11; without it long steps in
   * steady flow would ask for a residual below the rounding error of the fluxes).
   */
  thetaTolerance?: number;
  fluxRelativeTolerance?: number;
  /** Default 12. */
  maxNewtonIterations?: number;
  /** Default 10⁷. */
  maxSteps?: number;
}

/** Water balance since the start, cm³. Lower = face 0 / bottom, upper = face n / top. */
export interface WaterBalance {
  readonly storageChange_cm3: number;
  readonly lowerInflow_cm3: number;
  readonly upperInflow_cm3: number;
  readonly sourceVolume_cm3: number;
  /** storage change − (inflows + sources). */
  readonly error_cm3: number;
  /**
   * |error| / max(|storage change|, |lower| + |upper| + |sources|); for a closed domain (both
   * below 1e−9 of the stored water) |error| / initial storage.
   */
  readonly relativeError: number;
}

export interface RichardsStats {
  accepted: number;
  rejected: number;
  newtonIterations: number;
  linearSolves: number;
  /** Krylov iterations (3D solvers; 0 for the tridiagonal 1D solve). */
  linearIterations: number;
}

/** Result of one accepted step. */
export interface StepInfo {
  readonly retcode: ReturnCode;
  readonly dt_d: number;
  readonly iterations: number;
}

/** A copy of the solver state, for repeating a step (event location). */
export interface RichardsSnapshot {
  readonly t_d: number;
  readonly dt_d: number;
  readonly h_cm: Float64Array;
  readonly cum: Float64Array;
}

/** Plain-data state of a Richards solver ({@link MixedFormRichards.saveState}). */
export interface RichardsState {
  readonly kind: 'richards';
  readonly t_d: number;
  readonly dt_d: number;
  readonly lastDt_d: number;
  readonly h_cm: Float64Array;
  readonly thetaOld: Float64Array;
  readonly cum: Float64Array;
  readonly storage0_cm3: number;
}

/** Relative rounding error assumed for a head difference in a Darcy flux (≈ 50 ulp). */
export const FLUX_ROUNDING = 1e-14;

/**
 * Step-size control from the Newton iteration count (the heuristic of HYDRUS-1D, Šimůnek et al.
 * 2008: grow after easy steps, shrink after hard ones), capped by the θ-change target: after an
 * accepted step Δt is multiplied by GROW_EASY (≤ 3 iterations), GROW_MODERATE (≤ 6) or SHRINK_HARD,
 * and by at most SAFETY·maxΔθ/Δθ_max; a failed Newton solve retries with Δt·CUT_FAILED.
 */
const GROW_EASY = 1.5;
const GROW_MODERATE = 1.1;
const SHRINK_HARD = 0.7;
const SAFETY = 0.9;
const CUT_FAILED = 0.25;
/** Never change Δt by more than these factors in one go. */
const MIN_FACTOR = 0.2;
const MIN_CUT = 0.1;

/**
 * Mixed-form implicit Euler with Newton (Celia et al. 1990) for any cell-centred finite-volume
 * discretisation of 004 Eq 6: the residual of cell i is
 *   R_i = V_i (θ(h_i) − θ_i^old)/Δt + (net outflow of cell i) − V_i S_i.
 * Storing θ(h) itself (not C·Δh) makes the water balance exact up to the Newton residual.
 * Δt adapts to the Newton iteration count and to the largest θ change; output times are hit
 * exactly. A subclass supplies the geometry: fluxes, Jacobian solve and boundary inflows.
 */
export abstract class MixedFormRichards {
  readonly n: number;
  /** Current pressure head per cell, cm. */
  readonly h_cm: Float64Array;
  /** Current water content per cell, cm³ cm⁻³. */
  readonly theta: Float64Array;
  /** Water content at the start of the last step, cm³ cm⁻³. */
  readonly thetaOld: Float64Array;
  t_d = 0;
  /** Step size that the next step will try, d. */
  dt_d: number;
  readonly stats: RichardsStats = { accepted: 0, rejected: 0, newtonIterations: 0, linearSolves: 0, linearIterations: 0 };
  /** Length of the last accepted step, d. */
  lastDt_d = 0;

  protected readonly opts: Required<RichardsOptions>;
  protected readonly volume: Float64Array;
  protected readonly soils: readonly VanGenuchtenMualem[];
  protected readonly soilOfCell: Int32Array | null;
  protected readonly kReg: Float64Array | null;
  protected readonly hOld: Float64Array;
  protected readonly C: Float64Array;
  protected readonly K: Float64Array;
  protected readonly dK: Float64Array;
  protected readonly scale: Float64Array;
  /** Step being attempted and its end time (boundary conditions are evaluated at tNew). */
  protected dtStep = 0;
  protected tNew = 0;
  /** Cumulative [lower inflow, upper inflow, sources] since t = 0, cm³. */
  protected readonly cum = new Float64Array(3);
  private readonly rates = new Float64Array(2);
  private readonly ws: NewtonWorkspace;
  private readonly system: NonlinearSystem;
  private readonly evaluatedAt: Float64Array;
  private evaluatedTime = Number.NaN;
  private evaluatedValid = false;
  private storage0 = 0;

  protected constructor(
    n: number,
    volume: Float64Array,
    soils: readonly VanGenuchtenMualem[],
    soilOfCell: Int32Array | null,
    kRegularizationHead_cm: number,
    initialHead_cm: number | Float64Array,
    options: RichardsOptions,
  ) {
    this.n = n;
    this.volume = volume;
    this.soils = soils;
    this.soilOfCell = soilOfCell;
    this.kReg = regularizationTable(soils, kRegularizationHead_cm);
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
    this.h_cm = new Float64Array(n);
    if (typeof initialHead_cm === 'number') this.h_cm.fill(initialHead_cm);
    else this.h_cm.set(initialHead_cm);
    this.theta = new Float64Array(n);
    this.thetaOld = new Float64Array(n);
    this.hOld = new Float64Array(n);
    this.C = new Float64Array(n);
    this.K = new Float64Array(n);
    this.dK = new Float64Array(n);
    this.scale = new Float64Array(n);
    this.evaluatedAt = new Float64Array(n);
    this.ws = new NewtonWorkspace(n);
    this.system = {
      n,
      residual: (x, r) => {
        this.evaluate(x);
        this.assembleResidual(r);
      },
      solveJacobian: (x, r, dx) => {
        this.evaluate(x);
        this.stats.linearSolves++;
        return this.solveLinear(x, r, dx);
      },
    };
  }

  /** Call at the end of a subclass constructor: evaluates the initial state and the initial storage. */
  protected initialize(): void {
    this.evaluate(this.h_cm);
    this.thetaOld.set(this.theta);
    this.storage0 = this.storage();
  }

  /** Volumetric source S_θ per cell, cm³ water cm⁻³ soil d⁻¹ (read every step), if any. */
  protected abstract sources(): Float64Array | undefined;
  /** With θ, C, K, dK evaluated at x: compute the face and boundary fluxes at x (time tNew). */
  protected abstract computeFluxes(x: Float64Array): void;
  /** R_i without the storage and source terms: the net outflow of each cell, cm³ d⁻¹. */
  protected abstract netOutflow(r: Float64Array): void;
  /** Assemble J = ∂R/∂h at the evaluated state x (storage diagonal V·C/Δt included) and solve J·dx = r. */
  protected abstract solveLinear(x: Float64Array, r: Float64Array, dx: Float64Array): boolean;
  /** Add the throughflow and flux-rounding part of the Newton tolerance to `scale` (cm³ d⁻¹). */
  protected abstract addFluxScales(scale: Float64Array): void;
  /** Current inflow through the lower and upper boundary, cm³ d⁻¹, into out[0], out[1]. */
  protected abstract boundaryRates(out: Float64Array): void;

  private evaluate(x: Float64Array): void {
    // Newton asks for the Jacobian at the point of its last residual: reuse that evaluation.
    if (this.evaluatedValid && this.evaluatedTime === this.tNew && sameValues(this.evaluatedAt, x)) return;
    evalHydraulics(this.n, x, this.soils, this.soilOfCell, this.theta, this.C, this.K, this.dK, this.kReg);
    this.computeFluxes(x);
    this.evaluatedAt.set(x);
    this.evaluatedTime = this.tNew;
    this.evaluatedValid = true;
  }

  private assembleResidual(r: Float64Array): void {
    this.netOutflow(r);
    const V = this.volume;
    const S = this.sources();
    const dt = this.dtStep;
    for (let i = 0; i < this.n; i++) r[i] += (V[i] * (this.theta[i] - this.thetaOld[i])) / dt - (S ? V[i] * S[i] : 0);
  }

  /** Water stored in the domain, cm³: Σ V_i θ_i. */
  storage(): number {
    let s = 0;
    for (let i = 0; i < this.n; i++) s += this.volume[i] * this.theta[i];
    return s;
  }

  balance(): WaterBalance {
    const dS = this.storage() - this.storage0;
    const [lower, upper, src] = this.cum;
    const err = dS - (lower + upper + src);
    const flows = Math.max(Math.abs(dS), Math.abs(lower) + Math.abs(upper) + Math.abs(src));
    const ref = flows > 1e-9 * this.storage0 ? flows : Math.max(this.storage0, 1e-300);
    return { storageChange_cm3: dS, lowerInflow_cm3: lower, upperInflow_cm3: upper, sourceVolume_cm3: src, error_cm3: err, relativeError: Math.abs(err) / ref };
  }

  /** Current inflow through the lower and upper boundary, cm³ d⁻¹ (at the state of the last step). */
  boundaryInflows(): { lower_cm3_per_d: number; upper_cm3_per_d: number } {
    this.boundaryRates(this.rates);
    return { lower_cm3_per_d: this.rates[0], upper_cm3_per_d: this.rates[1] };
  }

  snapshot(): RichardsSnapshot {
    return { t_d: this.t_d, dt_d: this.dt_d, h_cm: this.h_cm.slice(), cum: this.cum.slice() };
  }

  restore(s: RichardsSnapshot): void {
    this.t_d = s.t_d;
    this.dt_d = s.dt_d;
    this.h_cm.set(s.h_cm);
    this.cum.set(s.cum);
    this.evaluatedValid = false;
    this.tNew = this.t_d;
    this.evaluate(this.h_cm);
  }

  /**
   * Take one accepted step of at most `dtMax_d` (and at most the adaptive step), repeating it with
   * smaller Δt while Newton fails or θ changes by more than `maxDeltaTheta`.
   */
  step(dtMax_d = Number.POSITIVE_INFINITY): StepInfo {
    const { n } = this;
    const o = this.opts;
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
        // h_cm holds the converged state, where the last residual evaluated θ, K and the fluxes.
        this.evaluate(this.h_cm);
        for (let i = 0; i < n; i++) dThetaMax = Math.max(dThetaMax, Math.abs(this.theta[i] - this.thetaOld[i]));
        if (dThetaMax <= o.maxDeltaTheta || dt <= o.dtMin_d * 1.0000001) {
          this.accept(dt);
          let f = res.iterations <= 3 ? GROW_EASY : res.iterations <= 6 ? GROW_MODERATE : SHRINK_HARD;
          if (dThetaMax > 0) f = Math.min(f, (SAFETY * o.maxDeltaTheta) / dThetaMax);
          // Grow from the adaptive step, not from a step the caller truncated (output times).
          this.dt_d = Math.min(Math.max(Math.max(dt, this.dt_d) * Math.max(f, MIN_FACTOR), o.dtMin_d), o.dtMax_d);
          return { retcode: ReturnCode.Success, dt_d: dt, iterations: res.iterations };
        }
      }
      this.stats.rejected++;
      this.h_cm.set(this.hOld);
      this.theta.set(this.thetaOld);
      this.evaluatedValid = false;
      const cut = dThetaMax > o.maxDeltaTheta ? Math.max(MIN_CUT, (SAFETY * SAFETY * o.maxDeltaTheta) / dThetaMax) : CUT_FAILED;
      dt *= cut;
      if (dt < o.dtMin_d) {
        this.tNew = this.t_d;
        this.evaluate(this.h_cm);
        return { retcode: ReturnCode.DtLessThanMin, dt_d: dt, iterations: res.iterations };
      }
      this.dt_d = dt;
    }
  }

  /**
   * Step contract (shared by every model, docs/COUPLING.md): integrate over a duration dt_d (d),
   * landing on t + dt exactly. Returns a code instead of throwing on numerical failure; on failure
   * the state is the last accepted one (restore a {@link saveState} to retry).
   */
  advance(dt_d: number): ReturnCode {
    return this.advanceTo(this.t_d + dt_d);
  }

  /**
   * Full solver state as plain data (typed arrays; structured-clone and JSON-able with the io
   * helpers): time, adaptive step, heads, cumulative boundary and source volumes, initial storage.
   */
  saveState(): RichardsState {
    return { kind: 'richards', t_d: this.t_d, dt_d: this.dt_d, lastDt_d: this.lastDt_d, h_cm: this.h_cm.slice(), thetaOld: this.thetaOld.slice(), cum: this.cum.slice(), storage0_cm3: this.storage0 };
  }

  /** Restore a state from {@link saveState} of a solver of the same problem. */
  restoreState(s: RichardsState): void {
    this.t_d = s.t_d;
    this.dt_d = s.dt_d;
    this.lastDt_d = s.lastDt_d;
    this.h_cm.set(s.h_cm);
    this.cum.set(s.cum);
    this.storage0 = s.storage0_cm3;
    this.evaluatedValid = false;
    this.tNew = this.t_d;
    this.evaluate(this.h_cm);
    this.thetaOld.set(s.thetaOld);
  }

  /** Integrate to the absolute time tEnd_d (landing on it exactly). */
  advanceTo(tEnd_d: number): ReturnCode {
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

  private residualScales(dt: number): void {
    const V = this.volume;
    const S = this.sources();
    for (let i = 0; i < this.n; i++) this.scale[i] = (this.opts.thetaTolerance * V[i]) / dt + (S ? this.opts.fluxRelativeTolerance * V[i] * Math.abs(S[i]) : 0);
    this.addFluxScales(this.scale);
  }

  private accept(dt: number): void {
    this.stats.accepted++;
    this.t_d += dt;
    this.lastDt_d = dt;
    this.boundaryRates(this.rates);
    this.cum[0] += dt * this.rates[0];
    this.cum[1] += dt * this.rates[1];
    const S = this.sources();
    if (S) {
      let s = 0;
      for (let i = 0; i < this.n; i++) s += this.volume[i] * S[i];
      this.cum[2] += dt * s;
    }
  }
}

function sameValues(a: Float64Array, b: Float64Array): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Checks shared by the 1D and 3D Richards problems: soils, the soil index of each cell, initial
 * heads, sources and the K regularisation head. `cellKey` names the soil-index field and `cell`
 * the unit ("cell", "voxel") in messages.
 */
export function validateRichardsInput(
  p: { soils: readonly VanGenuchtenMualem[]; initialHead_cm: number | Float64Array; source_per_d?: Float64Array; kRegularizationHead_cm?: number },
  soilIndex: Int32Array | undefined,
  n: number,
  cellKey: string,
  cell: string,
): InputError[] {
  const errs: InputError[] = [];
  if (p.soils.length === 0) errs.push(new InputError({ keyPath: 'soils', value: [], expected: 'at least one soil' }));
  p.soils.forEach((s, j) => {
    for (const e of validateVanGenuchten(s)) errs.push(new InputError({ keyPath: `soils[${j}]`, expected: e }));
  });
  if (soilIndex) {
    if (soilIndex.length !== n) errs.push(new InputError({ keyPath: cellKey, value: soilIndex.length, expected: `one soil index per ${cell} (${n})` }));
    for (let i = 0; i < soilIndex.length; i++) {
      if (!(soilIndex[i] >= 0 && soilIndex[i] < p.soils.length)) {
        errs.push(new InputError({ keyPath: `${cellKey}[${i}]`, value: soilIndex[i], expected: `an index into soils (0..${p.soils.length - 1})` }));
        break;
      }
    }
  }
  if (typeof p.initialHead_cm !== 'number' && p.initialHead_cm.length !== n) {
    errs.push(new InputError({ keyPath: 'initialHead_cm', value: p.initialHead_cm.length, expected: `one head per ${cell} (${n})` }));
  }
  if (p.source_per_d && p.source_per_d.length !== n) errs.push(new InputError({ keyPath: 'source_per_d', value: p.source_per_d.length, expected: `one source per ${cell} (${n})` }));
  const hReg = p.kRegularizationHead_cm ?? 0;
  if (!(hReg <= 0 && hReg > -100)) errs.push(new InputError({ keyPath: 'kRegularizationHead_cm', value: hReg, expected: 'a head in (−100, 0] cm' }));
  return errs;
}
