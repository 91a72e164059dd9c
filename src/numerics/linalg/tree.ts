/**
 * Direct O(n) solve of a linear system whose sparsity graph is a tree (branched networks: root
 * systems, xylem and sieve tubes). Nodes are numbered so that every node's parent has a lower
 * index (parent[0] = −1 for the root node); Gaussian elimination from the leaves towards the root
 * then creates no fill-in, like the Thomas algorithm on a chain (which is the special case
 * parent[k] = k − 1).
 *
 * Row k reads: diag[k]·x[k] + lower[k]·x[parent[k]] + Σ_{children c} upper[c]·x[c] = rhs[k],
 * i.e. lower[k] = A[k][parent[k]] and upper[k] = A[parent[k]][k]. No pivoting: for diagonally
 * dominant / M-matrices (conductance networks, implicit transport). `pivots` and `y` are scratch
 * of length ≥ n; nothing is allocated. If `fixedRoot` is given, x[0] is set to it (a Dirichlet
 * condition at the root node) and row 0 is not used. Returns false at a zero or non-finite pivot.
 */
export function solveTree(
  n: number,
  parent: Int32Array,
  diag: Float64Array,
  lower: Float64Array,
  upper: Float64Array,
  rhs: Float64Array,
  x: Float64Array,
  pivots: Float64Array,
  y: Float64Array,
  fixedRoot?: number,
): boolean {
  for (let k = 0; k < n; k++) {
    pivots[k] = diag[k];
    y[k] = rhs[k];
  }
  for (let k = n - 1; k >= 1; k--) {
    const p = parent[k];
    const piv = pivots[k];
    if (piv === 0 || !Number.isFinite(piv)) return false;
    const f = upper[k] / piv;
    pivots[p] -= f * lower[k];
    y[p] -= f * y[k];
  }
  if (fixedRoot !== undefined) x[0] = fixedRoot;
  else {
    if (pivots[0] === 0 || !Number.isFinite(pivots[0])) return false;
    x[0] = y[0] / pivots[0];
  }
  for (let k = 1; k < n; k++) x[k] = (y[k] - lower[k] * x[parent[k]]) / pivots[k];
  return true;
}
