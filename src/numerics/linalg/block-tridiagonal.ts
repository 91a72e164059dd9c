import { factorBlocks7x2, factorBlocks8x3, solveBlocks7x2, solveBlocks8x3 } from './block-tridiagonal-kernels.js';
import { denseLuFactor, denseLuSolve } from './dense.js';

/**
 * Block-tridiagonal LU for systems whose neighbouring blocks couple only through a few local
 * unknowns — e.g. a radial grid of soil cells (m unknowns per cell) where only water and the two
 * dissolved carbon pools move between cells. Block i has a dense m×m diagonal block D_i; the
 * sub-diagonal block L_i (rows of block i, columns of block i−1) and the super-diagonal block U_i
 * (rows of block i, columns of block i+1) are zero outside the rows and columns listed in
 * `couple` (local indices, the same set for rows and columns), so they are stored as c×c blocks.
 *
 * Block Thomas algorithm (Golub & Van Loan 2013, Sec. 4.5.1): D'_0 = D_0, X_i = D'_i⁻¹ U_i,
 * D'_{i+1} = D_{i+1} − L_{i+1} X_i, each D'_i factored by dense LU with partial pivoting
 * ({@link denseLuFactor}). Pivoting is within blocks only, which is stable for the block
 * diagonally dominant matrices of implicit transport steps (I/(γh) − J with J from finite-volume
 * fluxes). Because L and U are c×c, X_i needs c solves and the Schur update is c×c×c: a factorisation
 * costs nBlocks·(⅔m³ + 2cm²) and a solve nBlocks·(2m² + 2cm) flops (m = 7, c = 2: ~0.4k and 0.13k per
 * block), against n·kl·(kl + ku) and 2n·(2kl + ku) for the band LU of the same matrix.
 *
 * Storage (row-major, filled by the caller before {@link factor}): `diag[i·m² + a·m + b]` = D_i(a, b),
 * `lower[i·c² + a·c + b]` = L_i(couple[a], couple[b]) (i ≥ 1), `upper[i·c² + a·c + b]` =
 * U_i(couple[a], couple[b]) (i ≤ nBlocks − 2). Right-hand sides are nBlocks·m long, block-major.
 * Nothing is allocated after construction.
 */
export class CoupledBlockTridiagonalLU {
  readonly nBlocks: number;
  readonly m: number;
  readonly couple: Int32Array;
  readonly diag: Float64Array;
  readonly lower: Float64Array;
  readonly upper: Float64Array;
  private readonly c: number;
  private readonly piv: Int32Array;
  /** X_i = D'_i⁻¹ U_i, m×c per block (column b belongs to unknown couple[b] of block i+1). */
  private readonly x: Float64Array;
  private readonly col: Float64Array;
  /** Unrolled factor and solve for this shape (block-tridiagonal-kernels.ts, bitwise the generic loops): 0 none, 1 m = 7 c = 2, 2 m = 8 c = 3 (coupled unknowns 0 … c−1). */
  private readonly kernel: 0 | 1 | 2;

  constructor(nBlocks: number, m: number, couple: ArrayLike<number>) {
    if (!(nBlocks >= 1) || !(m >= 1)) throw new RangeError(`CoupledBlockTridiagonalLU: invalid shape nBlocks=${nBlocks} m=${m}`);
    const c = couple.length;
    for (let k = 0; k < c; k++) {
      if (!(couple[k] >= 0 && couple[k] < m) || (k > 0 && couple[k] <= couple[k - 1])) throw new RangeError('CoupledBlockTridiagonalLU: couple must be increasing local indices < m');
    }
    this.nBlocks = nBlocks;
    this.m = m;
    this.c = c;
    this.couple = Int32Array.from(couple);
    this.diag = new Float64Array(nBlocks * m * m);
    this.lower = new Float64Array(nBlocks * c * c);
    this.upper = new Float64Array(nBlocks * c * c);
    this.piv = new Int32Array(nBlocks * m);
    this.x = new Float64Array(nBlocks * m * c);
    this.col = new Float64Array(m);
    let prefix = true;
    for (let k = 0; k < c; k++) prefix &&= couple[k] === k;
    this.kernel = !prefix ? 0 : m === 7 && c === 2 ? 1 : m === 8 && c === 3 ? 2 : 0;
  }

  /** Factor in place (diag is overwritten by the factors of D'_i); false if a block is singular. */
  factor(): boolean {
    if (this.kernel === 1) return factorBlocks7x2(this.nBlocks, this.diag, this.lower, this.upper, this.piv, this.x, this.col);
    if (this.kernel === 2) return factorBlocks8x3(this.nBlocks, this.diag, this.lower, this.upper, this.piv, this.x, this.col);
    return this.factorGeneric();
  }

  /** The generic loops of {@link factor} (any shape; the unrolled kernels reproduce them bitwise). */
  factorGeneric(): boolean {
    const { nBlocks, m, c, couple, diag, lower, upper, piv, x, col } = this;
    const mm = m * m;
    const cc = c * c;
    const mc = m * c;
    for (let i = 0; i < nBlocks; i++) {
      const dOff = i * mm;
      if (i > 0) {
        // D_i(couple[a], couple[b]) −= Σ_k L_i(couple[a], couple[k]) · X_{i−1}(couple[k], b)
        const lOff = i * cc;
        const xOff = (i - 1) * mc;
        for (let a = 0; a < c; a++) {
          const row = dOff + couple[a] * m;
          for (let b = 0; b < c; b++) {
            let s = 0;
            for (let k = 0; k < c; k++) s += lower[lOff + a * c + k] * x[xOff + couple[k] * c + b];
            diag[row + couple[b]] -= s;
          }
        }
      }
      if (!denseLuFactor(diag, m, piv, dOff, i * m)) return false;
      if (i < nBlocks - 1) {
        const uOff = i * cc;
        const xOff = i * mc;
        for (let b = 0; b < c; b++) {
          col.fill(0);
          for (let a = 0; a < c; a++) col[couple[a]] = upper[uOff + a * c + b];
          denseLuSolve(diag, m, piv, col, dOff, i * m, 0);
          for (let k = 0; k < m; k++) x[xOff + k * c + b] = col[k];
        }
      }
    }
    return true;
  }

  /**
   * Solve in place (rhs ← solution) with the factors of {@link factor}. Block i's m unknowns are
   * rhs[off + i·blockStride …] (blockStride ≥ m; entries between blocks are left untouched).
   */
  solve(rhs: Float64Array, off = 0, blockStride = this.m): void {
    const { nBlocks, diag, lower, piv, x } = this;
    if (this.kernel === 1) return solveBlocks7x2(nBlocks, diag, lower, piv, x, rhs, off, blockStride);
    if (this.kernel === 2) return solveBlocks8x3(nBlocks, diag, lower, piv, x, rhs, off, blockStride);
    this.solveGeneric(rhs, off, blockStride);
  }

  /** The generic loops of {@link solve} (any shape; the unrolled kernels reproduce them bitwise). */
  solveGeneric(rhs: Float64Array, off = 0, blockStride = this.m): void {
    const { nBlocks, m, c, couple, diag, lower, piv, x } = this;
    const mm = m * m;
    const cc = c * c;
    const mc = m * c;
    for (let i = 0; i < nBlocks; i++) {
      const bOff = off + i * blockStride;
      if (i > 0) {
        const lOff = i * cc;
        const pOff = bOff - blockStride;
        for (let a = 0; a < c; a++) {
          let s = 0;
          for (let k = 0; k < c; k++) s += lower[lOff + a * c + k] * rhs[pOff + couple[k]];
          rhs[bOff + couple[a]] -= s;
        }
      }
      denseLuSolve(diag, m, piv, rhs, i * mm, i * m, bOff);
    }
    for (let i = nBlocks - 2; i >= 0; i--) {
      const bOff = off + i * blockStride;
      const nOff = bOff + blockStride;
      const xOff = i * mc;
      for (let k = 0; k < m; k++) {
        let s = 0;
        for (let b = 0; b < c; b++) s += x[xOff + k * c + b] * rhs[nOff + couple[b]];
        rhs[bOff + k] -= s;
      }
    }
  }
}
