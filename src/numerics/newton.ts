import { ReturnCode } from './ode/types.js';

/**
 * A nonlinear system F(x) = 0 for {@link newtonSolve}. The system owns its Jacobian structure:
 * `solveJacobian` assembles J(x) and solves J·dx = r (tridiagonal, banded, sparse, as it likes).
 */
export interface NonlinearSystem {
  readonly n: number;
  /** F(x) into r. */
  residual(x: Float64Array, r: Float64Array): void;
  /** Assemble J(x) and solve J·dx = r into dx; return false if J is singular. */
  solveJacobian(x: Float64Array, r: Float64Array, dx: Float64Array): boolean;
}

export interface NewtonOptions {
  /** Converged when the weighted max-norm of F is ≤ 1 (weights below). Default scale 1e-10. */
  residualScale?: number | Float64Array;
  /** Also converged when the weighted max-norm of the update is ≤ 1 (absolute + relative). */
  updateAtol?: number;
  updateRtol?: number;
  maxIterations?: number;
  /** Armijo backtracking on ½‖F‖²: halve the step up to this many times (0 = plain Newton). */
  maxBacktracks?: number;
}

export interface NewtonResult {
  retcode: ReturnCode;
  iterations: number;
  /** Weighted max-norm of the final residual. */
  residualNorm: number;
  backtracks: number;
}

/** Work arrays for {@link newtonSolve}; allocate once per system size. */
export class NewtonWorkspace {
  readonly r: Float64Array;
  readonly dx: Float64Array;
  readonly xTrial: Float64Array;
  readonly rTrial: Float64Array;
  constructor(n: number) {
    this.r = new Float64Array(n);
    this.dx = new Float64Array(n);
    this.xTrial = new Float64Array(n);
    this.rTrial = new Float64Array(n);
  }
}

/**
 * Damped Newton iteration for F(x) = 0, x updated in place. Each iteration solves J·dx = F and
 * tries x − λ·dx with λ = 1, ½, ¼, … until ‖F‖₂ decreases (Armijo with c = 1e−4), which keeps
 * strongly nonlinear problems (Richards equation in dry soil) from diverging. Returns a code,
 * never throws on non-convergence.
 */
export function newtonSolve(
  system: NonlinearSystem,
  x: Float64Array,
  options: NewtonOptions = {},
  ws: NewtonWorkspace = new NewtonWorkspace(system.n),
): NewtonResult {
  const n = system.n;
  const scaleOpt = options.residualScale ?? 1e-10;
  const scaleArr = typeof scaleOpt === 'number' ? null : scaleOpt;
  const scale = typeof scaleOpt === 'number' ? scaleOpt : 1;
  const uAtol = options.updateAtol ?? 0;
  const uRtol = options.updateRtol ?? 0;
  const maxIt = options.maxIterations ?? 25;
  const maxBt = options.maxBacktracks ?? 8;
  const { r, dx, xTrial, rTrial } = ws;

  const wnorm = (v: Float64Array): number => {
    let m = 0;
    for (let i = 0; i < n; i++) {
      const a = Math.abs(v[i]) / (scaleArr ? scaleArr[i] : scale);
      if (a > m || Number.isNaN(a)) m = a;
    }
    return m;
  };
  const sq = (v: Float64Array): number => {
    let s = 0;
    for (let i = 0; i < n; i++) {
      const a = v[i] / (scaleArr ? scaleArr[i] : scale);
      s += a * a;
    }
    return s;
  };

  system.residual(x, r);
  let norm = wnorm(r);
  let backtracks = 0;
  if (norm <= 1) return { retcode: ReturnCode.Success, iterations: 0, residualNorm: norm, backtracks };
  if (!Number.isFinite(norm)) return { retcode: ReturnCode.Unstable, iterations: 0, residualNorm: norm, backtracks };

  for (let it = 1; it <= maxIt; it++) {
    if (!system.solveJacobian(x, r, dx)) {
      return { retcode: ReturnCode.SingularMatrix, iterations: it, residualNorm: norm, backtracks };
    }
    const f0 = sq(r);
    let lambda = 1;
    let accepted = false;
    for (let bt = 0; bt <= maxBt; bt++) {
      for (let i = 0; i < n; i++) xTrial[i] = x[i] - lambda * dx[i];
      system.residual(xTrial, rTrial);
      const f1 = sq(rTrial);
      if (Number.isFinite(f1) && (f1 <= (1 - 2e-4 * lambda) * f0 || bt === maxBt)) {
        accepted = Number.isFinite(f1);
        break;
      }
      lambda *= 0.5;
      backtracks++;
    }
    if (!accepted) return { retcode: ReturnCode.Unstable, iterations: it, residualNorm: norm, backtracks };
    // Update converged?
    let updateOk = uAtol > 0 || uRtol > 0;
    if (updateOk) {
      for (let i = 0; i < n; i++) {
        if (Math.abs(lambda * dx[i]) > uAtol + uRtol * Math.abs(xTrial[i])) {
          updateOk = false;
          break;
        }
      }
    }
    x.set(xTrial);
    r.set(rTrial);
    norm = wnorm(r);
    if (norm <= 1 || (updateOk && lambda === 1)) {
      return { retcode: ReturnCode.Success, iterations: it, residualNorm: norm, backtracks };
    }
  }
  return { retcode: ReturnCode.ConvergenceFailure, iterations: maxIt, residualNorm: norm, backtracks };
}
