/**
 * Thomas algorithm for tridiagonal systems (no pivoting: for diagonally dominant matrices such as
 * implicit diffusion and Richards Jacobians).
 *
 * Row i reads: lower[i]·x[i−1] + diag[i]·x[i] + upper[i]·x[i+1] = rhs[i]; lower[0] and upper[n−1]
 * are ignored. `scratch` needs length ≥ n. Nothing is allocated. `x` may alias `rhs`.
 * Returns false if a zero pivot is met (the system is singular or needs pivoting).
 */
export function solveTridiagonal(
  n: number,
  lower: Float64Array,
  diag: Float64Array,
  upper: Float64Array,
  rhs: Float64Array,
  x: Float64Array,
  scratch: Float64Array,
): boolean {
  return solveTridiagonalBatch(1, n, lower, diag, upper, rhs, x, scratch) === -1;
}

/**
 * Batched Thomas solve: `count` independent systems of size n stored back to back
 * (system s occupies [s·n, (s+1)·n)). Same conventions as {@link solveTridiagonal}.
 * Returns the index of the first singular system, or −1.
 */
export function solveTridiagonalBatch(
  count: number,
  n: number,
  lower: Float64Array,
  diag: Float64Array,
  upper: Float64Array,
  rhs: Float64Array,
  x: Float64Array,
  scratch: Float64Array,
): number {
  for (let s = 0; s < count; s++) {
    const o = s * n;
    let pivot = diag[o];
    if (pivot === 0 || !Number.isFinite(pivot)) return s;
    x[o] = rhs[o] / pivot;
    for (let i = 1; i < n; i++) {
      scratch[i] = upper[o + i - 1] / pivot;
      pivot = diag[o + i] - lower[o + i] * scratch[i];
      if (pivot === 0 || !Number.isFinite(pivot)) return s;
      x[o + i] = (rhs[o + i] - lower[o + i] * x[o + i - 1]) / pivot;
    }
    for (let i = n - 2; i >= 0; i--) x[o + i] -= scratch[i + 1] * x[o + i + 1];
  }
  return -1;
}
