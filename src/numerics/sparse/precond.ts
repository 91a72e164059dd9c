import type { CsrMatrix } from './csr.js';

/**
 * A preconditioner M ≈ A for the Krylov solvers: `setup` (re)computes it from A's current values
 * (the pattern is fixed), `apply` computes z = M⁻¹·r. Neither allocates after construction.
 */
export interface Preconditioner {
  setup(A: CsrMatrix): boolean;
  apply(r: Float64Array, z: Float64Array): void;
}

/** No preconditioning (z = r). */
export class IdentityPreconditioner implements Preconditioner {
  setup(): boolean {
    return true;
  }
  apply(r: Float64Array, z: Float64Array): void {
    z.set(r);
  }
}

/** Jacobi (diagonal) preconditioner. */
export class JacobiPreconditioner implements Preconditioner {
  private readonly invDiag: Float64Array;
  constructor(n: number) {
    this.invDiag = new Float64Array(n);
  }
  setup(A: CsrMatrix): boolean {
    for (let i = 0; i < A.n; i++) {
      const d = A.values[A.diagPos[i]];
      if (d === 0 || !Number.isFinite(d)) return false;
      this.invDiag[i] = 1 / d;
    }
    return true;
  }
  apply(r: Float64Array, z: Float64Array): void {
    const inv = this.invDiag;
    for (let i = 0; i < inv.length; i++) z[i] = r[i] * inv[i];
  }
}

/**
 * Incomplete LU factorisation with zero fill-in, ILU(0) (Saad 2003, Alg. 10.4): L and U keep the
 * pattern of A; L has a unit diagonal. Exact for tridiagonal matrices, a strong preconditioner for
 * the 7-point finite-volume matrices of the 3D Richards and transport steps.
 */
export class Ilu0Preconditioner implements Preconditioner {
  private lu: Float64Array;
  private readonly marker: Int32Array;
  private A: CsrMatrix | undefined;

  constructor(n: number) {
    this.lu = new Float64Array(0);
    this.marker = new Int32Array(n).fill(-1);
  }

  setup(A: CsrMatrix): boolean {
    if (this.lu.length !== A.nnz) this.lu = new Float64Array(A.nnz);
    this.A = A;
    const { n, rowPtr, colIdx, diagPos } = A;
    const lu = this.lu;
    const marker = this.marker;
    lu.set(A.values);
    for (let i = 0; i < n; i++) {
      const start = rowPtr[i];
      const end = rowPtr[i + 1];
      for (let k = start; k < end; k++) marker[colIdx[k]] = k;
      for (let k = start; k < end; k++) {
        const col = colIdx[k];
        if (col >= i) break;
        const pivot = lu[diagPos[col]];
        const factor = lu[k] / pivot;
        lu[k] = factor;
        for (let m = diagPos[col] + 1; m < rowPtr[col + 1]; m++) {
          const p = marker[colIdx[m]];
          if (p >= 0) lu[p] -= factor * lu[m];
        }
      }
      for (let k = start; k < end; k++) marker[colIdx[k]] = -1;
      const d = lu[diagPos[i]];
      if (d === 0 || !Number.isFinite(d)) return false;
    }
    return true;
  }

  apply(r: Float64Array, z: Float64Array): void {
    const A = this.A;
    if (!A) throw new Error('Ilu0Preconditioner.apply called before setup');
    const { n, rowPtr, colIdx, diagPos } = A;
    const lu = this.lu;
    // Forward: L·y = r (unit lower triangle).
    for (let i = 0; i < n; i++) {
      let s = r[i];
      for (let k = rowPtr[i]; k < diagPos[i]; k++) s -= lu[k] * z[colIdx[k]];
      z[i] = s;
    }
    // Backward: U·z = y.
    for (let i = n - 1; i >= 0; i--) {
      let s = z[i];
      for (let k = diagPos[i] + 1; k < rowPtr[i + 1]; k++) s -= lu[k] * z[colIdx[k]];
      z[i] = s / lu[diagPos[i]];
    }
  }
}
