/**
 * Small dense LU with partial (row) pivoting, in place on a row-major n×n block of a typed array
 * (Golub & Van Loan 2013, Alg. 3.4.1, "gaxpy-free" outer-product form). For the many tiny systems
 * of a batch (e.g. the 8×8 iteration matrices of the well-mixed cells): the block, the pivot
 * vector and the right-hand side are addressed by offsets, so one array holds a whole batch and
 * nothing is allocated.
 *
 * Returns false (matrix left partly factored) if a pivot column is exactly zero or not finite.
 */
export function denseLuFactor(a: Float64Array, n: number, piv: Int32Array, aOff = 0, pivOff = 0): boolean {
  for (let k = 0; k < n; k++) {
    const rk = aOff + k * n;
    let p = k;
    let max = Math.abs(a[rk + k]);
    for (let i = k + 1; i < n; i++) {
      const v = Math.abs(a[aOff + i * n + k]);
      if (v > max) {
        max = v;
        p = i;
      }
    }
    piv[pivOff + k] = p;
    if (!(max > 0) || !Number.isFinite(max)) return false;
    if (p !== k) {
      const rp = aOff + p * n;
      for (let j = 0; j < n; j++) {
        const t = a[rk + j];
        a[rk + j] = a[rp + j];
        a[rp + j] = t;
      }
    }
    const inv = 1 / a[rk + k];
    for (let i = k + 1; i < n; i++) {
      const ri = aOff + i * n;
      const l = (a[ri + k] *= inv);
      if (l !== 0) for (let j = k + 1; j < n; j++) a[ri + j] -= l * a[rk + j];
    }
  }
  return true;
}

/** Solve A x = b in place (b ← x) with the factors of {@link denseLuFactor}. */
export function denseLuSolve(a: Float64Array, n: number, piv: Int32Array, b: Float64Array, aOff = 0, pivOff = 0, bOff = 0): void {
  for (let k = 0; k < n; k++) {
    const p = piv[pivOff + k];
    if (p !== k) {
      const t = b[bOff + k];
      b[bOff + k] = b[bOff + p];
      b[bOff + p] = t;
    }
  }
  for (let i = 1; i < n; i++) {
    const ri = aOff + i * n;
    let s = b[bOff + i];
    for (let j = 0; j < i; j++) s -= a[ri + j] * b[bOff + j];
    b[bOff + i] = s;
  }
  for (let i = n - 1; i >= 0; i--) {
    const ri = aOff + i * n;
    let s = b[bOff + i];
    for (let j = i + 1; j < n; j++) s -= a[ri + j] * b[bOff + j];
    b[bOff + i] = s / a[ri + i];
  }
}
