import type { BandMatrix } from '../linalg/banded.js';
import type { SparsityPattern } from '../linalg/sparsity.js';

/**
 * Outcome of an integration. Solvers return a code instead of throwing (after OrdinaryDiffEq.jl's
 * `retcode`): callers decide whether a failure is fatal, worth a retry with other options, or to
 * be reported.
 */
export enum ReturnCode {
  Success = 'Success',
  /** More steps than `maxSteps` were needed. */
  MaxIters = 'MaxIters',
  /** The step size fell below `hMin`. */
  DtLessThanMin = 'DtLessThanMin',
  /** The right-hand side produced NaN/Infinity even after step reductions. */
  Unstable = 'Unstable',
  /** The iteration matrix stayed singular after step reductions. */
  SingularMatrix = 'SingularMatrix',
  /** Every candidate step violated the problem's admissibility check (e.g. a negative pool). */
  Inadmissible = 'Inadmissible',
  /** Newton iteration did not converge. */
  ConvergenceFailure = 'ConvergenceFailure',
}

export function isSuccess(code: ReturnCode): boolean {
  return code === ReturnCode.Success;
}

/** A first-order ODE system y' = f(t, y) of fixed dimension. */
export interface OdeProblem {
  readonly n: number;
  /** Evaluate f(t, y) into `dydt`. Must not allocate in hot loops and must not modify `y`. */
  rhs(t: number, y: Float64Array, dydt: Float64Array): void;
  /**
   * Optional analytic Jacobian ∂f/∂y into `J` (band storage; entries outside `sparsity` or the
   * band must be left zero; `J` is zeroed by the caller). Without it a coloured finite-difference
   * Jacobian is used.
   */
  jacobian?(t: number, y: Float64Array, J: BandMatrix): void;
  /** Structural sparsity of ∂f/∂y (defaults to dense, or to the band given by kl/ku). */
  readonly sparsity?: SparsityPattern;
  readonly lowerBandwidth?: number;
  readonly upperBandwidth?: number;
  /**
   * Optional physical admissibility test of a candidate state (e.g. no negative pools, water
   * content above residual). A step whose result fails it is rejected and retried with a smaller
   * step; rejections are counted in {@link OdeStats.inadmissible}.
   */
  isAdmissible?(y: Float64Array): boolean;
  /** True if f depends explicitly on t (then ∂f/∂t is added, by finite differences). */
  readonly nonAutonomous?: boolean;
  /**
   * Optional solver of the Rosenbrock stage systems (α I − J) x = b that knows the problem's block
   * structure (the default is the band LU of the whole band). It must solve the same system: every
   * nonzero of J must be inside its structure.
   */
  readonly stageSolver?: StageLinearSolver;
}

/** Factor-once, solve-many solver of (α I − J) x = b for a Jacobian J in band storage. */
export interface StageLinearSolver {
  /** Factor α I − J (J unchanged); false if the matrix is singular. */
  factor(J: BandMatrix, alpha: number): boolean;
  /** b ← (α I − J)⁻¹ b with the last factors. */
  solve(b: Float64Array): void;
}

export interface OdeOptions {
  /** Relative tolerance (default 1e-6). */
  rtol?: number;
  /** Absolute tolerance, scalar or per component (default 1e-10). */
  atol?: number | Float64Array;
  /** Initial step; default: the last step of the previous call, else a heuristic. */
  h0?: number;
  hMin?: number;
  hMax?: number;
  /** Maximum number of attempted steps per call (default 100 000). */
  maxSteps?: number;
  /**
   * Take equal steps of (at most) this size without error control (for convergence-order tests
   * and reference runs). Admissibility and finiteness are still checked.
   */
  fixedStep?: number;
}

/** Work counters, accumulated across calls. */
export interface OdeStats {
  steps: number;
  accepted: number;
  rejected: number;
  /** Steps rejected because the candidate state failed `isAdmissible`. */
  inadmissible: number;
  rhsEvaluations: number;
  jacobianEvaluations: number;
  factorizations: number;
  linearSolves: number;
  /** Newton iterations (implicit-Euler-type solvers); Rosenbrock methods need none. */
  newtonIterations: number;
}

export function newOdeStats(): OdeStats {
  return {
    steps: 0,
    accepted: 0,
    rejected: 0,
    inadmissible: 0,
    rhsEvaluations: 0,
    jacobianEvaluations: 0,
    factorizations: 0,
    linearSolves: 0,
    newtonIterations: 0,
  };
}

export function addOdeStats(into: OdeStats, from: OdeStats): void {
  for (const k of Object.keys(into) as (keyof OdeStats)[]) into[k] += from[k];
}

/** Solution of {@link solveOde}: states at the requested output times. */
export interface OdeSolution {
  retcode: ReturnCode;
  t: number[];
  u: Float64Array[];
  stats: OdeStats;
}
