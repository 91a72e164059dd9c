import { BandLU, BandMatrix } from '../linalg/banded.js';
import { ColoredFdJacobian } from './fd-jacobian.js';
import { ReturnCode, newOdeStats, type OdeOptions, type OdeProblem, type OdeSolution, type OdeStats, type StageLinearSolver } from './types.js';

/**
 * RODAS4: the L-stable, stiffly accurate Rosenbrock method of order 4 with an embedded
 * order-3 error estimate (Hairer & Wanner 1996, Solving ODEs II, Sec. IV.7; coefficients of their
 * `rodas.f`, METH = 1). Why this method for rhizocarb:
 *
 * - L-stable and stiffly accurate: the microbial kinetics (rates up to ~100 d⁻¹, steep switches)
 *   and diffusion on fine radial grids are stiff; the damping of stiff modes is complete.
 * - Linearly implicit: one LU of (I/(γh) − J) per step and no Newton iteration, so no convergence
 *   failures and a predictable cost — important for thousands of small systems in one batch.
 * - One-step: restarts at no cost after the jumps in boundary fluxes between coupling intervals.
 * - Linear invariants are preserved to round-off whenever J is exact or a finite-difference
 *   Jacobian of f (wᵀf ≡ 0 ⇒ wᵀJ ≡ 0 ⇒ wᵀk_i = 0), so finite-volume conservation holds exactly.
 *
 * Band or dense Jacobians (analytic or coloured finite differences). An instance owns its work
 * arrays: one instance per system size, reused across calls, nothing allocated per step.
 */

// Coefficients, Hairer's transformed form (rodas.f, METH = 1).
const GAMMA = 0.25;
const C2 = 0.386, C3 = 0.21, C4 = 0.63;
const D1 = 0.25, D2 = -0.1043, D3 = 0.1035, D4 = -0.3620000000000023e-1;
const A21 = 0.1544e1;
const A31 = 0.9466785280815826, A32 = 0.2557011698983284;
const A41 = 0.3314825187068521e1, A42 = 0.2896124015972201e1, A43 = 0.9986419139977817;
const A51 = 0.1221224509226641e1, A52 = 0.6019134481288629e1, A53 = 0.1253708332932087e2, A54 = -0.687886036105895;
const C21 = -0.56688e1;
const C31 = -0.2430093356833875e1, C32 = -0.2063599157091915;
const C41 = -0.1073529058151375, C42 = -0.9594562251023355e1, C43 = -0.2047028614809616e2;
const C51 = 0.7496443313967647e1, C52 = -0.1024680431464352e2, C53 = -0.3399990352819905e2, C54 = 0.117089089320616e2;
const C61 = 0.8083246795921522e1, C62 = -0.7981132988064893e1, C63 = -0.3152159432874371e2, C64 = 0.1631930543123136e2,
  C65 = -0.6058818238834054e1;

const SQRT_EPS = Math.sqrt(Number.EPSILON);
const SAFE = 0.9;
const FAC_MIN = 0.2; // smallest step ratio hnew/h
const FAC_MAX = 6; // largest step ratio hnew/h

/** The coefficients and controller constants above, for specialised RODAS4 kernels (the batched well-mixed cells). */
export const RODAS4_COEFFICIENTS = {
  GAMMA, C2, C3, C4, D1, D2, D3, D4, A21, A31, A32, A41, A42, A43, A51, A52, A53, A54,
  C21, C31, C32, C41, C42, C43, C51, C52, C53, C54, C61, C62, C63, C64, C65, SAFE, FAC_MIN, FAC_MAX,
} as const;

export class Rodas4 {
  readonly n: number;
  private readonly fd: ColoredFdJacobian;
  private readonly jac: BandMatrix;
  /** The default stage solver: band LU of I/(γh) − J over the whole band. */
  private readonly bandStage: StageLinearSolver;
  private readonly f0: Float64Array;
  private readonly fTmp: Float64Array;
  private readonly fx: Float64Array;
  private readonly yTmp: Float64Array;
  private readonly yNew: Float64Array;
  private readonly k1: Float64Array;
  private readonly k2: Float64Array;
  private readonly k3: Float64Array;
  private readonly k4: Float64Array;
  private readonly k5: Float64Array;
  private readonly k6: Float64Array;
  private readonly jacScale: Float64Array;
  /** The step size the controller proposed last (used to warm-start the next call). */
  hNext = 0;
  /**
   * Optional step plan for the next call: propose these step sizes in order (the accepted steps of an
   * earlier call over the same interval, {@link recorded}); at the first rejection the controller takes
   * over. A plan followed to the end leaves its `hNext` as the proposal for the call after. With the
   * same problem and state the result is bitwise that of the call the plan was recorded from (rejected
   * attempts do not change the solution), only without the rejected attempts. Cleared by each call.
   */
  stepPlan: { readonly h: Float64Array; readonly n: number; readonly hNext: number } | undefined;
  /**
   * Accept the steps of {@link stepPlan} while their error estimate is at most this (default 1, the
   * controller's own test; Infinity follows the plan without error control). For a reduced system that
   * must retrace the steps a larger one accepted: with the same weighted RMS norm, the reduced system's
   * components alone would make the larger one (n_large unknowns) reject only above
   * sqrt(n_large/n_reduced) (the water-only predictor of the perirhizal models). Cleared (to 1) by each call.
   */
  stepPlanErrorLimit = 1;
  /** Record the accepted step sizes of each call into {@link recorded} (count {@link recordedCount}). */
  recordSteps = false;
  recorded = new Float64Array(64);
  recordedCount = 0;

  /** `problemShape` fixes n and the Jacobian structure; any problem with the same shape can be integrated. */
  constructor(problemShape: Pick<OdeProblem, 'n' | 'sparsity' | 'lowerBandwidth' | 'upperBandwidth'>) {
    const n = problemShape.n;
    this.n = n;
    this.fd = new ColoredFdJacobian(problemShape);
    const { kl, ku } = this.fd;
    this.jac = new BandMatrix(n, kl, ku);
    this.bandStage = new BandStageSolver(new BandLU(n, kl, ku));
    const arr = () => new Float64Array(n);
    this.f0 = arr();
    this.fTmp = arr();
    this.fx = arr();
    this.yTmp = arr();
    this.yNew = arr();
    this.k1 = arr();
    this.k2 = arr();
    this.k3 = arr();
    this.k4 = arr();
    this.k5 = arr();
    this.k6 = arr();
    this.jacScale = arr();
  }

  /** Number of right-hand-side evaluations per finite-difference Jacobian. */
  get colorCount(): number {
    return this.fd.colorCount;
  }

  /**
   * Advance `y` in place from t0 to t1 (t1 > t0). Work counters are added to `stats`.
   * On failure `y` holds the last accepted state and the code says why.
   */
  integrate(problem: OdeProblem, t0: number, t1: number, y: Float64Array, options: OdeOptions = {}, stats: OdeStats = newOdeStats()): ReturnCode {
    const n = this.n;
    const planIn = this.stepPlan;
    const planLimit = this.stepPlanErrorLimit;
    this.stepPlan = undefined;
    this.stepPlanErrorLimit = 1;
    this.recordedCount = 0;
    if (problem.n !== n) throw new RangeError(`Rodas4: problem has n=${problem.n}, integrator n=${n}`);
    const rtol = options.rtol ?? 1e-6;
    const atolOpt = options.atol ?? 1e-10;
    const atolArr = typeof atolOpt === 'number' ? null : atolOpt;
    const atolScalar = typeof atolOpt === 'number' ? atolOpt : 0;
    const maxSteps = options.maxSteps ?? 100_000;
    const span = t1 - t0;
    if (!(span > 0)) return ReturnCode.Success;
    const hMax = options.hMax ?? Number.POSITIVE_INFINITY;
    const hMinUser = options.hMin ?? 0;
    const { f0, fTmp, fx, yTmp, yNew, k1, k2, k3, k4, k5, k6, jac } = this;
    const stage = problem.stageSolver ?? this.bandStage;

    let t = t0;
    problem.rhs(t, y, f0);
    stats.rhsEvaluations++;
    if (!allFinite(f0, n)) return ReturnCode.Unstable;

    const fixed = options.fixedStep;
    if (fixed !== undefined && !(fixed > 0)) throw new RangeError(`Rodas4: fixedStep must be > 0, got ${fixed}`);
    let plan = fixed === undefined && planIn && planIn.n > 0 ? planIn : undefined;
    let planAt = 0;
    let h = plan ? plan.h[0] : (fixed ?? options.h0 ?? (this.hNext > 0 ? this.hNext : this.initialStep(y, f0, rtol, atolArr, atolScalar, span)));
    h = Math.min(Math.max(h, hMinUser), hMax);
    if (!(h > 0) || !Number.isFinite(h)) h = 1e-6 * span;

    let jacobianCurrent = false;
    let attempts = 0;
    let rejectedLast = false;
    let firstStep = true;
    let hAcc = 0;
    let errAcc = 0;
    let consecutiveFailures = 0;

    while (t < t1) {
      if (attempts >= maxSteps) {
        this.hNext = h;
        return ReturnCode.MaxIters;
      }
      attempts++;
      stats.steps++;
      // Below ~10 ulp of t a step no longer changes t.
      const hMin = Math.max(hMinUser, 10 * Number.EPSILON * Math.abs(t));
      let hStep = h;
      const last = t + hStep >= t1 - 1e-12 * Math.abs(t1) || (fixed === undefined && t + 1.01 * hStep >= t1);
      if (last) hStep = t1 - t;
      if (hStep < hMin && !last) {
        this.hNext = h;
        return ReturnCode.DtLessThanMin;
      }

      if (!jacobianCurrent) {
        this.evaluateJacobian(problem, t, y, rtol, atolArr, atolScalar, stats);
        if (problem.nonAutonomous) {
          const dt = SQRT_EPS * Math.max(Math.abs(t), 1e-5);
          problem.rhs(t + dt, y, fx);
          stats.rhsEvaluations++;
          for (let i = 0; i < n; i++) fx[i] = (fx[i] - f0[i]) / dt;
        }
        jacobianCurrent = true;
      }

      // E = I/(γh) − J
      stats.factorizations++;
      if (!stage.factor(jac, 1 / (GAMMA * hStep))) {
        stats.rejected++;
        consecutiveFailures++;
        if (consecutiveFailures > 20) {
          this.hNext = h;
          return ReturnCode.SingularMatrix;
        }
        h = hStep * 0.25;
        rejectedLast = true;
        plan = undefined;
        continue;
      }

      const na = problem.nonAutonomous === true;
      const hinv = 1 / hStep;
      // Stage 1
      for (let i = 0; i < n; i++) k1[i] = f0[i] + (na ? hStep * D1 * fx[i] : 0);
      stage.solve(k1);
      // Stage 2
      for (let i = 0; i < n; i++) yTmp[i] = y[i] + A21 * k1[i];
      problem.rhs(t + C2 * hStep, yTmp, fTmp);
      for (let i = 0; i < n; i++) k2[i] = fTmp[i] + C21 * k1[i] * hinv + (na ? hStep * D2 * fx[i] : 0);
      stage.solve(k2);
      // Stage 3
      for (let i = 0; i < n; i++) yTmp[i] = y[i] + A31 * k1[i] + A32 * k2[i];
      problem.rhs(t + C3 * hStep, yTmp, fTmp);
      for (let i = 0; i < n; i++) k3[i] = fTmp[i] + (C31 * k1[i] + C32 * k2[i]) * hinv + (na ? hStep * D3 * fx[i] : 0);
      stage.solve(k3);
      // Stage 4
      for (let i = 0; i < n; i++) yTmp[i] = y[i] + A41 * k1[i] + A42 * k2[i] + A43 * k3[i];
      problem.rhs(t + C4 * hStep, yTmp, fTmp);
      for (let i = 0; i < n; i++) k4[i] = fTmp[i] + (C41 * k1[i] + C42 * k2[i] + C43 * k3[i]) * hinv + (na ? hStep * D4 * fx[i] : 0);
      stage.solve(k4);
      // Stage 5
      for (let i = 0; i < n; i++) yTmp[i] = y[i] + A51 * k1[i] + A52 * k2[i] + A53 * k3[i] + A54 * k4[i];
      problem.rhs(t + hStep, yTmp, fTmp);
      for (let i = 0; i < n; i++) k5[i] = fTmp[i] + (C51 * k1[i] + C52 * k2[i] + C53 * k3[i] + C54 * k4[i]) * hinv;
      stage.solve(k5);
      // Stage 6 (embedded solution is yTmp + k5; the solution adds k6)
      for (let i = 0; i < n; i++) yTmp[i] += k5[i];
      problem.rhs(t + hStep, yTmp, fTmp);
      for (let i = 0; i < n; i++) k6[i] = fTmp[i] + (C61 * k1[i] + C62 * k2[i] + C63 * k3[i] + C64 * k4[i] + C65 * k5[i]) * hinv;
      stage.solve(k6);
      stats.rhsEvaluations += 5;
      stats.linearSolves += 6;
      // The solution, and the error estimate ||k6|| in the weighted RMS norm (one pass).
      let sum = 0;
      for (let i = 0; i < n; i++) {
        const yn = yTmp[i] + k6[i];
        yNew[i] = yn;
        const sk = (atolArr ? atolArr[i] : atolScalar) + rtol * Math.max(Math.abs(y[i]), Math.abs(yn));
        const r = k6[i] / sk;
        sum += r * r;
      }
      const err = Math.sqrt(sum / n);

      if (!Number.isFinite(err)) {
        stats.rejected++;
        consecutiveFailures++;
        if (consecutiveFailures > 20) {
          this.hNext = h;
          return ReturnCode.Unstable;
        }
        h = hStep * 0.2;
        rejectedLast = true;
        plan = undefined;
        continue;
      }

      let fac = Math.max(1 / FAC_MAX, Math.min(1 / FAC_MIN, Math.pow(err, 0.25) / SAFE));
      let hNew = hStep / fac;

      if (fixed !== undefined || err <= 1 || (plan !== undefined && err <= planLimit)) {
        if (problem.isAdmissible && !problem.isAdmissible(yNew)) {
          stats.rejected++;
          stats.inadmissible++;
          consecutiveFailures++;
          if (consecutiveFailures > 40) {
            this.hNext = h;
            return ReturnCode.Inadmissible;
          }
          h = hStep * 0.3;
          rejectedLast = true;
          plan = undefined;
          continue;
        }
        // Accept.
        stats.accepted++;
        consecutiveFailures = 0;
        if (!firstStep) {
          fac = gustafssonFactor(fac, hAcc, hStep, err, errAcc);
          hNew = hStep / fac;
        }
        hAcc = hStep;
        errAcc = Math.max(1e-2, err);
        firstStep = false;
        t = last ? t1 : t + hStep;
        y.set(yNew);
        if (t < t1) {
          problem.rhs(t, y, f0);
          stats.rhsEvaluations++;
        }
        jacobianCurrent = false;
        if (rejectedLast) hNew = Math.min(hNew, hStep);
        rejectedLast = false;
        // After a step shortened to hit t1, keep the larger unclamped proposal for the next call.
        h = last && hStep < h ? Math.max(hNew, h) : hNew;
        h = Math.min(Math.max(h, hMin), hMax);
        if (fixed !== undefined) h = fixed;
        if (this.recordSteps) {
          if (this.recordedCount === this.recorded.length) {
            const r = new Float64Array(2 * this.recorded.length);
            r.set(this.recorded);
            this.recorded = r;
          }
          this.recorded[this.recordedCount++] = hStep;
        }
        if (plan) {
          planAt++;
          if (t >= t1) {
            if (planAt === plan.n) h = plan.hNext;
          } else if (planAt < plan.n) h = plan.h[planAt];
          else plan = undefined;
        }
      } else {
        stats.rejected++;
        consecutiveFailures++;
        h = firstStep ? hStep * 0.1 : hNew;
        rejectedLast = true;
        plan = undefined;
      }
    }
    this.hNext = h;
    return ReturnCode.Success;
  }

  private initialStep(y: Float64Array, f: Float64Array, rtol: number, atolArr: Float64Array | null, atolScalar: number, span: number): number {
    return rodas4InitialStep(y, f, 0, this.n, rtol, atolArr, atolScalar, span);
  }

  /** J = ∂f/∂y at (t, y): analytic if the problem has it, else coloured forward differences. */
  private evaluateJacobian(
    problem: OdeProblem,
    t: number,
    y: Float64Array,
    rtol: number,
    atolArr: Float64Array | null,
    atolScalar: number,
    stats: OdeStats,
  ): void {
    const jac = this.jac;
    jac.fill(0);
    stats.jacobianEvaluations++;
    if (problem.jacobian) {
      problem.jacobian(t, y, jac);
      return;
    }
    // Increment scale: the magnitude where absolute and relative tolerance meet.
    const scale = this.jacScale;
    for (let j = 0; j < this.n; j++) scale[j] = (atolArr ? atolArr[j] : atolScalar) / rtol;
    stats.rhsEvaluations += this.fd.evaluate(problem, t, y, this.f0, jac, scale);
  }
}

/** Stage systems by the band LU with partial pivoting of the whole band (LAPACK dgbtf2/dgbtrs). */
class BandStageSolver implements StageLinearSolver {
  private readonly lu: BandLU;
  constructor(lu: BandLU) {
    this.lu = lu;
  }
  factor(J: BandMatrix, alpha: number): boolean {
    const E = this.lu.matrix;
    E.copyFrom(J);
    E.shiftScale(alpha, -1);
    return this.lu.factor();
  }
  solve(b: Float64Array): void {
    this.lu.solve(b);
  }
}

/** Hairer's starting-step heuristic from ‖y‖ and ‖f(y)‖ (order-4 scaling), over y[off … off+n). */
export function rodas4InitialStep(y: Float64Array, f: Float64Array, off: number, n: number, rtol: number, atolArr: Float64Array | null, atolScalar: number, span: number): number {
  let d0 = 0;
  let d1 = 0;
  for (let i = off; i < off + n; i++) {
    const sk = (atolArr ? atolArr[i] : atolScalar) + rtol * Math.abs(y[i]);
    d0 += (y[i] / sk) ** 2;
    d1 += (f[i] / sk) ** 2;
  }
  d0 = Math.sqrt(d0 / n);
  d1 = Math.sqrt(d1 / n);
  const h = d0 < 1e-5 || d1 < 1e-5 ? 1e-6 * span : 0.01 * (d0 / d1);
  return Math.min(h, span);
}

/** Step ratio h/h_new after an accepted step: the larger of the standard one and Gustafsson's predictive one (as in rodas.f). */
export function gustafssonFactor(fac: number, hAcc: number, hStep: number, err: number, errAcc: number): number {
  let facGus = ((hAcc / hStep) * Math.pow((err * err) / errAcc, 0.25)) / SAFE;
  facGus = Math.max(1 / FAC_MAX, Math.min(1 / FAC_MIN, facGus));
  return Math.max(fac, facGus);
}

function allFinite(a: Float64Array, n: number): boolean {
  for (let i = 0; i < n; i++) if (!Number.isFinite(a[i])) return false;
  return true;
}

/**
 * Convenience wrapper in the problem → solve → solution style: integrates `y0` over `tspan` with
 * RODAS4 and returns the states at `saveAt` (default: the end point only).
 */
export function solveOde(
  problem: OdeProblem,
  y0: ArrayLike<number>,
  tspan: readonly [number, number],
  options: OdeOptions & { saveAt?: readonly number[] } = {},
): OdeSolution {
  const integrator = new Rodas4(problem);
  const y = Float64Array.from(y0);
  const stats = newOdeStats();
  const times = options.saveAt ? [...options.saveAt] : [tspan[1]];
  const out: OdeSolution = { retcode: ReturnCode.Success, t: [], u: [], stats };
  let t = tspan[0];
  for (const target of times) {
    if (target < t) throw new RangeError(`solveOde: saveAt must be increasing and within tspan (got ${target} after ${t})`);
    if (target > t) {
      const code = integrator.integrate(problem, t, target, y, options, stats);
      if (code !== ReturnCode.Success) {
        out.retcode = code;
        return out;
      }
      t = target;
    }
    out.t.push(t);
    out.u.push(Float64Array.from(y));
  }
  return out;
}
