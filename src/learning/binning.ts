/**
 * Feature binning for histogram trees (LEARNING.md "Models"): every numeric feature is cut once
 * into at most 256 quantile bins, every categorical feature keeps its levels as bins; the trees
 * then split on bin codes (one byte per value). A numeric split "code ≤ b" is the same as
 * "x ≤ thresholds[b]", so predictions on raw values and on codes agree exactly.
 */

/** Most bins per feature (codes are bytes). */
export const MAX_BINS = 256;
/** Most levels of a categorical feature (one code is kept for levels not seen in training). */
export const MAX_LEVELS = 255;

export type FeatureKind = 'numeric' | 'categorical';

export interface FeatureSpec {
  readonly name: string;
  readonly unit?: string;
  readonly kind: FeatureKind;
}

/** How one feature's values map to bin codes. */
export interface FeatureBins extends FeatureSpec {
  /**
   * numeric: upper edges of the bins but the last (ascending; length = bins − 1); code(x) = the
   * first b with x ≤ thresholds[b], else the last bin. Edges are midpoints between neighbouring
   * distinct training values, as ranger's split values.
   */
  readonly thresholds: Float64Array;
  /** categorical: the distinct level values seen in training, ascending; code = index. */
  readonly levels: Float64Array;
}

export function binCount(b: FeatureBins): number {
  return b.kind === 'numeric' ? b.thresholds.length + 1 : b.levels.length;
}

/**
 * Quantile bins of one numeric column (NaNs must have been removed): all distinct values get their
 * own bin when there are at most `maxBins`; otherwise cuts fall where the cumulative count passes
 * k·n/maxBins, always between distinct values.
 */
export function numericThresholds(values: ArrayLike<number>, maxBins = MAX_BINS): Float64Array {
  const s = Float64Array.from(values).sort();
  const n = s.length;
  const distinct: number[] = [];
  const counts: number[] = [];
  for (let i = 0; i < n; i++) {
    if (i === 0 || s[i] !== s[i - 1]) {
      distinct.push(s[i]);
      counts.push(1);
    } else counts[counts.length - 1]++;
  }
  const d = distinct.length;
  if (d <= 1) return new Float64Array(0);
  if (d <= maxBins) {
    const t = new Float64Array(d - 1);
    for (let k = 0; k + 1 < d; k++) t[k] = distinct[k] + (distinct[k + 1] - distinct[k]) / 2;
    return t;
  }
  const cuts: number[] = [];
  let acc = 0;
  let next = n / maxBins;
  for (let k = 0; k + 1 < d; k++) {
    acc += counts[k];
    if (acc >= next) {
      cuts.push(distinct[k] + (distinct[k + 1] - distinct[k]) / 2);
      while (next <= acc) next += n / maxBins;
      if (cuts.length === maxBins - 1) break;
    }
  }
  return Float64Array.from(cuts);
}

/** Bins for each feature from the training columns. */
export function fitBins(specs: readonly FeatureSpec[], columns: readonly ArrayLike<number>[], maxBins = MAX_BINS): FeatureBins[] {
  if (!(maxBins >= 2 && maxBins <= MAX_BINS)) throw new RangeError(`maxBins must be in [2, ${MAX_BINS}], got ${maxBins}`);
  return specs.map((spec, j) => {
    const col = columns[j];
    if (spec.kind === 'numeric') return { ...spec, thresholds: numericThresholds(col, maxBins), levels: new Float64Array(0) };
    const levels = [...new Set(Array.from(col))].sort((a, b) => a - b);
    if (levels.length > MAX_LEVELS) throw new RangeError(`categorical feature ${spec.name} has ${levels.length} levels; at most ${MAX_LEVELS} are supported`);
    return { ...spec, thresholds: new Float64Array(0), levels: Float64Array.from(levels) };
  });
}

/** Bin code of a numeric value: the first b with x ≤ t[b] (binary search), else t.length. */
export function numericCode(t: Float64Array, x: number): number {
  let lo = 0;
  let hi = t.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (x <= t[mid]) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** Level index of a categorical value, or `levels.length` (a code no split sends left) if unseen. */
export function levelCode(levels: Float64Array, x: number): number {
  let lo = 0;
  let hi = levels.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const v = levels[mid];
    if (v === x) return mid;
    if (v < x) lo = mid + 1;
    else hi = mid - 1;
  }
  return levels.length;
}

/** Column-major byte codes (p × n) of rows of raw feature columns. */
export interface BinnedMatrix {
  readonly n: number;
  readonly p: number;
  /** codes[j·n + i]: bin of feature j in row i. */
  readonly codes: Uint8Array;
}

/** Bin the columns; `shared` puts the codes in a SharedArrayBuffer (worker threads read them without copies). */
export function applyBins(bins: readonly FeatureBins[], columns: readonly ArrayLike<number>[], shared = false): BinnedMatrix {
  const p = bins.length;
  const n = p > 0 ? columns[0].length : 0;
  const codes = shared ? new Uint8Array(new SharedArrayBuffer(p * n)) : new Uint8Array(p * n);
  for (let j = 0; j < p; j++) {
    const b = bins[j];
    const col = columns[j];
    const off = j * n;
    if (b.kind === 'numeric') for (let i = 0; i < n; i++) codes[off + i] = numericCode(b.thresholds, col[i]);
    else for (let i = 0; i < n; i++) codes[off + i] = levelCode(b.levels, col[i]);
  }
  return { n, p, codes };
}
