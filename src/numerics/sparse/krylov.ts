import { ReturnCode } from '../ode/types.js';
import { residualInto, spmv, type CsrMatrix } from './csr.js';
import type { Preconditioner } from './precond.js';

export interface KrylovOptions {
  /** Converged when ‖b − A·x‖₂ ≤ max(rtol·‖b‖₂, atol). Defaults 1e-10 and 0. */
  rtol?: number;
  atol?: number;
  /** Default 1000. */
  maxIterations?: number;
}

export interface KrylovResult {
  retcode: ReturnCode;
  iterations: number;
  /** Final ‖b − A·x‖₂ (recomputed from x, not the recursive estimate). */
  residualNorm: number;
  /** ‖b‖₂, for relative statements. */
  rhsNorm: number;
}

/** Work vectors for {@link pcg} and {@link bicgstab}; allocate once per system size. */
export class KrylovWorkspace {
  readonly r: Float64Array;
  readonly z: Float64Array;
  readonly p: Float64Array;
  readonly q: Float64Array;
  readonly rHat: Float64Array;
  readonly s: Float64Array;
  readonly t: Float64Array;
  readonly pHat: Float64Array;
  readonly sHat: Float64Array;
  constructor(readonly n: number) {
    this.r = new Float64Array(n);
    this.z = new Float64Array(n);
    this.p = new Float64Array(n);
    this.q = new Float64Array(n);
    this.rHat = new Float64Array(n);
    this.s = new Float64Array(n);
    this.t = new Float64Array(n);
    this.pHat = new Float64Array(n);
    this.sHat = new Float64Array(n);
  }
}

function dot(a: Float64Array, b: Float64Array, n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += a[i] * b[i];
  return s;
}

function finish(A: CsrMatrix, b: Float64Array, x: Float64Array, ws: KrylovWorkspace, code: ReturnCode, it: number, bNorm: number): KrylovResult {
  residualInto(A, x, b, ws.r);
  const rn = Math.sqrt(dot(ws.r, ws.r, A.n));
  return { retcode: Number.isFinite(rn) ? code : ReturnCode.Unstable, iterations: it, residualNorm: rn, rhsNorm: bNorm };
}

/**
 * Preconditioned conjugate gradients for symmetric positive definite A (Saad 2003, Alg. 9.1);
 * x holds the initial guess and receives the solution. Returns a code, never throws.
 */
export function pcg(A: CsrMatrix, b: Float64Array, x: Float64Array, M: Preconditioner, options: KrylovOptions = {}, ws = new KrylovWorkspace(A.n)): KrylovResult {
  const n = A.n;
  const { r, z, p, q } = ws;
  const bNorm = Math.sqrt(dot(b, b, n));
  const tol = Math.max((options.rtol ?? 1e-10) * bNorm, options.atol ?? 0);
  const maxIt = options.maxIterations ?? 1000;
  residualInto(A, x, b, r);
  let rn = Math.sqrt(dot(r, r, n));
  if (rn <= tol) return { retcode: ReturnCode.Success, iterations: 0, residualNorm: rn, rhsNorm: bNorm };
  M.apply(r, z);
  p.set(z);
  let rz = dot(r, z, n);
  for (let it = 1; it <= maxIt; it++) {
    spmv(A, p, q);
    const pq = dot(p, q, n);
    if (!(pq > 0)) return finish(A, b, x, ws, ReturnCode.SingularMatrix, it, bNorm);
    const alpha = rz / pq;
    for (let i = 0; i < n; i++) {
      x[i] += alpha * p[i];
      r[i] -= alpha * q[i];
    }
    rn = Math.sqrt(dot(r, r, n));
    if (!Number.isFinite(rn)) return finish(A, b, x, ws, ReturnCode.Unstable, it, bNorm);
    if (rn <= tol) {
      const res = finish(A, b, x, ws, ReturnCode.Success, it, bNorm);
      // The recursive residual can drift from the true one; accept only a true convergence.
      if (res.residualNorm <= 10 * tol) return res;
      rn = res.residualNorm;
    }
    M.apply(r, z);
    const rzNew = dot(r, z, n);
    const beta = rzNew / rz;
    rz = rzNew;
    for (let i = 0; i < n; i++) p[i] = z[i] + beta * p[i];
  }
  return finish(A, b, x, ws, ReturnCode.MaxIters, maxIt, bNorm);
}

/**
 * Right-preconditioned BiCGSTAB for general (non-symmetric) A (van der Vorst 1992; Saad 2003,
 * Alg. 7.7 with preconditioning); x holds the initial guess and receives the solution.
 * Restarts once from the current iterate on a breakdown (ρ or ω ≈ 0). Returns a code.
 */
export function bicgstab(A: CsrMatrix, b: Float64Array, x: Float64Array, M: Preconditioner, options: KrylovOptions = {}, ws = new KrylovWorkspace(A.n)): KrylovResult {
  const n = A.n;
  const { r, rHat, p, q: v, s, t, pHat, sHat } = ws;
  const bNorm = Math.sqrt(dot(b, b, n));
  const tol = Math.max((options.rtol ?? 1e-10) * bNorm, options.atol ?? 0);
  const maxIt = options.maxIterations ?? 1000;
  residualInto(A, x, b, r);
  let rn = Math.sqrt(dot(r, r, n));
  if (rn <= tol) return { retcode: ReturnCode.Success, iterations: 0, residualNorm: rn, rhsNorm: bNorm };
  let restarts = 0;
  let it = 0;
  restart: for (;;) {
    rHat.set(r);
    let rho = 1;
    let alpha = 1;
    let omega = 1;
    v.fill(0);
    p.fill(0);
    while (it < maxIt) {
      it++;
      const rhoNew = dot(rHat, r, n);
      if (Math.abs(rhoNew) < 1e-300 || omega === 0) {
        if (restarts++ < 5) {
          residualInto(A, x, b, r);
          continue restart;
        }
        return finish(A, b, x, ws, ReturnCode.ConvergenceFailure, it, bNorm);
      }
      const beta = (rhoNew / rho) * (alpha / omega);
      rho = rhoNew;
      for (let i = 0; i < n; i++) p[i] = r[i] + beta * (p[i] - omega * v[i]);
      M.apply(p, pHat);
      spmv(A, pHat, v);
      const rv = dot(rHat, v, n);
      if (rv === 0 || !Number.isFinite(rv)) {
        if (restarts++ < 5) {
          residualInto(A, x, b, r);
          continue restart;
        }
        return finish(A, b, x, ws, ReturnCode.ConvergenceFailure, it, bNorm);
      }
      alpha = rho / rv;
      for (let i = 0; i < n; i++) s[i] = r[i] - alpha * v[i];
      const sn = Math.sqrt(dot(s, s, n));
      if (sn <= tol) {
        for (let i = 0; i < n; i++) x[i] += alpha * pHat[i];
        const res = finish(A, b, x, ws, ReturnCode.Success, it, bNorm);
        if (res.residualNorm <= 10 * tol) return res;
        r.set(ws.r);
        continue;
      }
      M.apply(s, sHat);
      spmv(A, sHat, t);
      const tt = dot(t, t, n);
      omega = tt > 0 ? dot(t, s, n) / tt : 0;
      for (let i = 0; i < n; i++) {
        x[i] += alpha * pHat[i] + omega * sHat[i];
        r[i] = s[i] - omega * t[i];
      }
      rn = Math.sqrt(dot(r, r, n));
      if (!Number.isFinite(rn)) return finish(A, b, x, ws, ReturnCode.Unstable, it, bNorm);
      if (rn <= tol) {
        const res = finish(A, b, x, ws, ReturnCode.Success, it, bNorm);
        if (res.residualNorm <= 10 * tol) return res;
        r.set(ws.r);
      }
    }
    return finish(A, b, x, ws, ReturnCode.MaxIters, it, bNorm);
  }
}
