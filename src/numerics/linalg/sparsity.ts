/**
 * Structural sparsity of a square Jacobian, column-compressed: column j has nonzeros in rows
 * `rowIdx[colPtr[j] .. colPtr[j+1])`. Used to colour columns so that a finite-difference
 * Jacobian needs one function evaluation per colour instead of one per column
 * (Curtis, Powell & Reid 1974).
 */
export interface SparsityPattern {
  readonly n: number;
  readonly colPtr: Int32Array;
  readonly rowIdx: Int32Array;
}

/** Build a pattern from a list of (row, col) pairs; duplicates are removed. */
export function sparsityFromEntries(n: number, entries: Iterable<readonly [number, number]>): SparsityPattern {
  const cols: Set<number>[] = Array.from({ length: n }, () => new Set<number>());
  for (const [i, j] of entries) {
    if (i < 0 || i >= n || j < 0 || j >= n) throw new RangeError(`sparsity entry (${i}, ${j}) outside ${n}×${n}`);
    cols[j].add(i);
  }
  const colPtr = new Int32Array(n + 1);
  for (let j = 0; j < n; j++) colPtr[j + 1] = colPtr[j] + cols[j].size;
  const rowIdx = new Int32Array(colPtr[n]);
  for (let j = 0; j < n; j++) {
    const rows = [...cols[j]].sort((a, b) => a - b);
    rowIdx.set(rows, colPtr[j]);
  }
  return { n, colPtr, rowIdx };
}

/** Pattern of a full band (all entries with −kl ≤ i − j ≤ ku). */
export function bandSparsity(n: number, kl: number, ku: number): SparsityPattern {
  const entries: [number, number][] = [];
  for (let j = 0; j < n; j++) for (let i = Math.max(0, j - ku); i <= Math.min(n - 1, j + kl); i++) entries.push([i, j]);
  return sparsityFromEntries(n, entries);
}

/** Lower and upper bandwidth of a pattern. */
export function patternBandwidth(p: SparsityPattern): { kl: number; ku: number } {
  let kl = 0;
  let ku = 0;
  for (let j = 0; j < p.n; j++) {
    for (let k = p.colPtr[j]; k < p.colPtr[j + 1]; k++) {
      const i = p.rowIdx[k];
      if (i - j > kl) kl = i - j;
      if (j - i > ku) ku = j - i;
    }
  }
  return { kl, ku };
}

/**
 * Greedy column colouring: columns of one colour share no row, so they can be perturbed together.
 * Returns the colour of each column and the number of colours.
 */
export function colorColumns(p: SparsityPattern): { colors: Int32Array; count: number } {
  const { n, colPtr, rowIdx } = p;
  // Row → columns (CSR of the same pattern).
  const rowCount = new Int32Array(n + 1);
  for (let k = 0; k < rowIdx.length; k++) rowCount[rowIdx[k] + 1]++;
  for (let i = 0; i < n; i++) rowCount[i + 1] += rowCount[i];
  const rowPtr = rowCount.slice();
  const colIdx = new Int32Array(rowIdx.length);
  const fill = rowPtr.slice(0, n);
  for (let j = 0; j < n; j++) for (let k = colPtr[j]; k < colPtr[j + 1]; k++) colIdx[fill[rowIdx[k]]++] = j;

  const colors = new Int32Array(n).fill(-1);
  const forbidden = new Int32Array(n + 1).fill(-1);
  let count = 0;
  for (let j = 0; j < n; j++) {
    for (let k = colPtr[j]; k < colPtr[j + 1]; k++) {
      const i = rowIdx[k];
      for (let m = rowPtr[i]; m < rowPtr[i + 1]; m++) {
        const c = colors[colIdx[m]];
        if (c >= 0) forbidden[c] = j;
      }
    }
    let c = 0;
    while (forbidden[c] === j) c++;
    colors[j] = c;
    if (c + 1 > count) count = c + 1;
  }
  return { colors, count };
}
