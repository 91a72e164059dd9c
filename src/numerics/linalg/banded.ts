/**
 * General band matrices and their LU factorisation with partial pivoting, following LAPACK's
 * dgbtf2/dgbtrs (unblocked). Storage is LAPACK's: column-major, leading dimension
 * ldab = 2·kl + ku + 1, element A(i, j) (0-based) at `data[(kl + ku + i − j) + j·ldab]`; the top
 * kl rows hold the fill-in created by row interchanges. A dense n×n matrix is the band with
 * kl = ku = n − 1.
 */
export class BandMatrix {
  readonly n: number;
  readonly kl: number;
  readonly ku: number;
  readonly ldab: number;
  readonly data: Float64Array;

  constructor(n: number, kl: number, ku: number) {
    if (!(n >= 1) || kl < 0 || ku < 0 || kl > n - 1 || ku > n - 1) {
      throw new RangeError(`BandMatrix: invalid shape n=${n} kl=${kl} ku=${ku}`);
    }
    this.n = n;
    this.kl = kl;
    this.ku = ku;
    this.ldab = 2 * kl + ku + 1;
    this.data = new Float64Array(this.ldab * n);
  }

  static dense(n: number): BandMatrix {
    return new BandMatrix(n, n - 1, n - 1);
  }

  /** True if (i, j) lies inside the stored band. */
  inBand(i: number, j: number): boolean {
    return i - j <= this.kl && j - i <= this.ku;
  }

  /** Offset of A(i, j) in `data`; caller guarantees (i, j) is inside the band. */
  index(i: number, j: number): number {
    return this.kl + this.ku + i - j + j * this.ldab;
  }

  get(i: number, j: number): number {
    return this.inBand(i, j) ? this.data[this.index(i, j)] : 0;
  }

  set(i: number, j: number, v: number): void {
    if (!this.inBand(i, j)) throw new RangeError(`BandMatrix.set(${i}, ${j}) outside band kl=${this.kl} ku=${this.ku}`);
    this.data[this.index(i, j)] = v;
  }

  add(i: number, j: number, v: number): void {
    this.data[this.index(i, j)] += v;
  }

  fill(v: number): void {
    this.data.fill(v);
  }

  /** y = A·x (uses only the band, not the fill-in rows). */
  multiply(x: Float64Array, y: Float64Array): void {
    const { n, kl, ku, ldab, data } = this;
    const kv = kl + ku;
    y.fill(0, 0, n);
    for (let j = 0; j < n; j++) {
      const xj = x[j];
      const i0 = Math.max(0, j - ku);
      const i1 = Math.min(n - 1, j + kl);
      const col = kv - j + j * ldab;
      for (let i = i0; i <= i1; i++) y[i] += data[col + i] * xj;
    }
  }

  /** this ← alpha·I + beta·this (only band entries; fill-in rows are left untouched). */
  shiftScale(alpha: number, beta: number): void {
    const { n, kl, ku, ldab, data } = this;
    const kv = kl + ku;
    for (let j = 0; j < n; j++) {
      const i0 = Math.max(0, j - ku);
      const i1 = Math.min(n - 1, j + kl);
      const col = kv - j + j * ldab;
      for (let i = i0; i <= i1; i++) data[col + i] *= beta;
      data[kv + j * ldab] += alpha;
    }
  }

  copyFrom(other: BandMatrix): void {
    if (other.n !== this.n || other.kl !== this.kl || other.ku !== this.ku) throw new RangeError('BandMatrix.copyFrom: shape mismatch');
    this.data.set(other.data);
  }
}

/**
 * In-place LU factorisation with partial pivoting of a band matrix (LAPACK dgbtf2).
 * `ipiv[j]` receives the row swapped with row j. Returns 0 on success or j+1 if U(j, j) is exactly
 * zero (the factorisation is complete but U is singular).
 */
export function bandLuFactor(A: BandMatrix, ipiv: Int32Array): number {
  const { n, kl, ku, ldab, data: ab } = A;
  const kv = ku + kl;
  let info = 0;
  // Zero the fill-in part of columns ku+1 .. kv-1 (LAPACK: columns KU+2..min(KV,N), rows KV-J+2..KL).
  for (let j = ku + 1; j < Math.min(kv, n); j++) {
    for (let i = kv - j; i < kl; i++) ab[i + j * ldab] = 0;
  }
  let ju = 0;
  for (let j = 0; j < n; j++) {
    // Zero the fill-in of column j + kv.
    if (j + kv < n) {
      const c = (j + kv) * ldab;
      for (let i = 0; i < kl; i++) ab[c + i] = 0;
    }
    const km = Math.min(kl, n - 1 - j);
    const colj = j * ldab;
    // Pivot search in AB(kv .. kv+km, j).
    let jp = 0;
    let amax = Math.abs(ab[kv + colj]);
    for (let t = 1; t <= km; t++) {
      const v = Math.abs(ab[kv + t + colj]);
      if (v > amax) {
        amax = v;
        jp = t;
      }
    }
    ipiv[j] = jp + j;
    if (ab[kv + jp + colj] !== 0) {
      ju = Math.max(ju, Math.min(j + ku + jp, n - 1));
      if (jp !== 0) {
        // Swap rows j and j+jp over columns j..ju (stride ldab-1 along a row).
        let p = kv + jp + colj;
        let q = kv + colj;
        const stride = ldab - 1;
        for (let c = j; c <= ju; c++) {
          const tmp = ab[p];
          ab[p] = ab[q];
          ab[q] = tmp;
          p += stride;
          q += stride;
        }
      }
      if (km > 0) {
        const rpiv = 1 / ab[kv + colj];
        for (let t = 1; t <= km; t++) ab[kv + t + colj] *= rpiv;
        // Rank-1 update of the trailing block: rows j+1..j+km, columns j+1..ju.
        const ncols = ju - j;
        for (let c = 1; c <= ncols; c++) {
          const yOff = kv - c + (j + c) * ldab; // A(j, j+c)
          const yv = ab[yOff];
          if (yv !== 0) {
            const aOff = yOff + 1; // A(j+1, j+c)
            for (let t = 1; t <= km; t++) ab[aOff + t - 1] -= ab[kv + t + colj] * yv;
          }
        }
      }
    } else if (info === 0) {
      info = j + 1;
    }
  }
  return info;
}

/** Solve A·x = b in place (b ← x) after {@link bandLuFactor} (LAPACK dgbtrs, no transpose). */
export function bandLuSolve(A: BandMatrix, ipiv: Int32Array, b: Float64Array): void {
  const { n, kl, ku, ldab, data: ab } = A;
  const kv = ku + kl;
  if (kl > 0) {
    for (let j = 0; j < n - 1; j++) {
      const lm = Math.min(kl, n - 1 - j);
      const jp = ipiv[j];
      if (jp !== j) {
        const tmp = b[jp];
        b[jp] = b[j];
        b[j] = tmp;
      }
      const bj = b[j];
      if (bj !== 0) {
        const colj = kv + j * ldab;
        for (let t = 1; t <= lm; t++) b[j + t] -= bj * ab[colj + t];
      }
    }
  }
  // Back substitution with the upper triangle of bandwidth kv.
  for (let j = n - 1; j >= 0; j--) {
    if (b[j] !== 0) {
      const colj = j * ldab;
      b[j] /= ab[kv + colj];
      const temp = b[j];
      const i0 = Math.max(0, j - kv);
      for (let i = i0; i < j; i++) b[i] -= temp * ab[kv + i - j + colj];
    }
  }
}

/** A factorised band matrix: factor once, solve many right-hand sides. */
export class BandLU {
  readonly matrix: BandMatrix;
  readonly ipiv: Int32Array;
  info = 0;

  constructor(n: number, kl: number, ku: number) {
    this.matrix = new BandMatrix(n, kl, ku);
    this.ipiv = new Int32Array(n);
  }

  /** Factor `this.matrix` in place; returns false if singular. */
  factor(): boolean {
    this.info = bandLuFactor(this.matrix, this.ipiv);
    return this.info === 0;
  }

  solve(b: Float64Array): void {
    bandLuSolve(this.matrix, this.ipiv, b);
  }
}
