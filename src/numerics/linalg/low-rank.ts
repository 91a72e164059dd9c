import { BandLU, BandMatrix, bandLuFactor, bandLuSolve } from './banded.js';

/**
 * Direct solve of (B + U·Vᵀ)·x = b where B is a band matrix and U, V are n×r with small r, by the
 * Sherman–Morrison–Woodbury identity (Golub & Van Loan, 4th ed., §2.1.4):
 *
 *   x = y − Z·(I + Vᵀ·Z)⁻¹·Vᵀ·y,   y = B⁻¹·b,   Z = B⁻¹·U.
 *
 * Non-local couplings (e.g. a transfer between two distant layers) stay out of the band; the cost is
 * r + 1 band solves and an r×r dense solve. With r = 0 it is the plain band solve. Work arrays are
 * allocated once for the largest rank.
 */
export class BandLowRankSolver {
  readonly n: number;
  readonly maxRank: number;
  /** The band part B: fill `band.matrix`, then {@link factor}. */
  readonly band: BandLU;
  /** Columns of U and V, column-major: U[k·n + i] = U(i, k). Set `rank` to the number in use. */
  readonly U: Float64Array;
  readonly V: Float64Array;
  rank = 0;
  private readonly Z: Float64Array;
  private readonly small: BandMatrix;
  private readonly smallPiv: Int32Array;
  private readonly t: Float64Array;

  constructor(n: number, kl: number, ku: number, maxRank: number) {
    this.n = n;
    this.maxRank = maxRank;
    this.band = new BandLU(n, kl, ku);
    this.U = new Float64Array(n * maxRank);
    this.V = new Float64Array(n * maxRank);
    this.Z = new Float64Array(n * maxRank);
    const m = Math.max(1, maxRank);
    this.small = BandMatrix.dense(m);
    this.smallPiv = new Int32Array(m);
    this.t = new Float64Array(m);
  }

  /** Factor B and the capacitance matrix I + VᵀB⁻¹U; false if either is singular. */
  factor(): boolean {
    if (!this.band.factor()) return false;
    const { n, rank: r, U, V, Z } = this;
    if (r === 0) return true;
    if (r > this.maxRank) throw new RangeError(`BandLowRankSolver: rank ${r} > maxRank ${this.maxRank}`);
    for (let k = 0; k < r; k++) {
      const z = Z.subarray(k * n, (k + 1) * n);
      z.set(U.subarray(k * n, (k + 1) * n));
      this.band.solve(z);
    }
    // Capacitance matrix in the preallocated dense matrix of the largest rank (identity beyond r).
    const C = this.small;
    C.fill(0);
    for (let a = 0; a < C.n; a++) C.set(a, a, 1);
    for (let a = 0; a < r; a++) {
      for (let b = 0; b < r; b++) {
        let s = 0;
        const va = a * n;
        const zb = b * n;
        for (let i = 0; i < n; i++) s += V[va + i] * Z[zb + i];
        C.add(a, b, s);
      }
    }
    return bandLuFactor(this.small, this.smallPiv) === 0;
  }

  /** Solve in place: b ← x. */
  solve(b: Float64Array): void {
    this.band.solve(b);
    const { n, rank: r, V, Z, t } = this;
    if (r === 0) return;
    t.fill(0);
    for (let a = 0; a < r; a++) {
      let s = 0;
      const va = a * n;
      for (let i = 0; i < n; i++) s += V[va + i] * b[i];
      t[a] = s;
    }
    bandLuSolve(this.small, this.smallPiv, t);
    for (let k = 0; k < r; k++) {
      const c = t[k];
      if (c === 0) continue;
      const zk = k * n;
      for (let i = 0; i < n; i++) b[i] -= Z[zk + i] * c;
    }
  }
}
