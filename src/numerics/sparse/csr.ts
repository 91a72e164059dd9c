/**
 * Compressed sparse row (CSR) matrices for the implicit 3D solvers. The pattern is built once
 * (columns sorted, no duplicates, every diagonal present) and the values are refreshed in place
 * every step, so assembly allocates nothing after set-up.
 */
export class CsrMatrix {
  readonly n: number;
  /** Row i occupies positions rowPtr[i] .. rowPtr[i+1] − 1 of colIdx and values. */
  readonly rowPtr: Int32Array;
  readonly colIdx: Int32Array;
  readonly values: Float64Array;
  /** Position of the diagonal entry of each row. */
  readonly diagPos: Int32Array;

  constructor(n: number, rowPtr: Int32Array, colIdx: Int32Array) {
    if (rowPtr.length !== n + 1) throw new RangeError(`CSR rowPtr needs length n + 1 = ${n + 1}, got ${rowPtr.length}`);
    this.n = n;
    this.rowPtr = rowPtr;
    this.colIdx = colIdx;
    this.values = new Float64Array(colIdx.length);
    this.diagPos = new Int32Array(n).fill(-1);
    for (let i = 0; i < n; i++) {
      for (let k = rowPtr[i]; k < rowPtr[i + 1]; k++) {
        if (k > rowPtr[i] && colIdx[k] <= colIdx[k - 1]) throw new RangeError(`CSR row ${i}: columns must increase strictly`);
        if (colIdx[k] === i) this.diagPos[i] = k;
      }
      if (this.diagPos[i] < 0) throw new RangeError(`CSR row ${i} has no diagonal entry in its pattern`);
    }
  }

  /** Number of stored entries. */
  get nnz(): number {
    return this.colIdx.length;
  }

  /** Position of entry (i, j) in `values`, or −1 if (i, j) is not in the pattern (binary search). */
  position(i: number, j: number): number {
    let lo = this.rowPtr[i];
    let hi = this.rowPtr[i + 1] - 1;
    const c = this.colIdx;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (c[mid] === j) return mid;
      if (c[mid] < j) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  /** Value of entry (i, j) (0 outside the pattern). */
  get(i: number, j: number): number {
    const p = this.position(i, j);
    return p < 0 ? 0 : this.values[p];
  }

  /** A new matrix with the same pattern (shared index arrays) and zero values. */
  withSamePattern(): CsrMatrix {
    return new CsrMatrix(this.n, this.rowPtr, this.colIdx);
  }
}

/**
 * Build a CSR pattern from (row, column) pairs; duplicates are merged, diagonals are always
 * included. `rows[k], cols[k]` is one entry.
 */
export function csrFromEntries(n: number, rows: ArrayLike<number>, cols: ArrayLike<number>): CsrMatrix {
  if (rows.length !== cols.length) throw new RangeError('csrFromEntries: rows and cols differ in length');
  const perRow: number[][] = Array.from({ length: n }, (_, i) => [i]);
  for (let k = 0; k < rows.length; k++) {
    const i = rows[k];
    const j = cols[k];
    if (!(i >= 0 && i < n && j >= 0 && j < n)) throw new RangeError(`sparse entry (${i}, ${j}) outside ${n}×${n}`);
    perRow[i].push(j);
  }
  const rowPtr = new Int32Array(n + 1);
  const sorted = perRow.map((r) => [...new Set(r)].sort((a, b) => a - b));
  for (let i = 0; i < n; i++) rowPtr[i + 1] = rowPtr[i] + sorted[i].length;
  const colIdx = new Int32Array(rowPtr[n]);
  for (let i = 0; i < n; i++) colIdx.set(sorted[i], rowPtr[i]);
  return new CsrMatrix(n, rowPtr, colIdx);
}

/** y = A·x. Nothing is allocated; y must not alias x. */
export function spmv(A: CsrMatrix, x: Float64Array, y: Float64Array): void {
  const { n, rowPtr, colIdx, values } = A;
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let k = rowPtr[i]; k < rowPtr[i + 1]; k++) s += values[k] * x[colIdx[k]];
    y[i] = s;
  }
}

/** r = b − A·x. Nothing is allocated. */
export function residualInto(A: CsrMatrix, x: Float64Array, b: Float64Array, r: Float64Array): void {
  const { n, rowPtr, colIdx, values } = A;
  for (let i = 0; i < n; i++) {
    let s = b[i];
    for (let k = rowPtr[i]; k < rowPtr[i + 1]; k++) s -= values[k] * x[colIdx[k]];
    r[i] = s;
  }
}
