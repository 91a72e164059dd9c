/**
 * Summary of Monte Carlo draws with the median as the central value: mean, median, 2.5 and 97.5 %
 * points (R type-7 quantiles) and the relative uncertainty (q97.5 − q2.5)/2 / |median|. Shared by
 * the I_loss maps (learning/map-tile.ts) and the per-site budget (profile/budget.ts): draws of
 * lognormal-like quantities, of differences of them and of their ratios are heavy-tailed, so the
 * mean is reported but is not the central value (docs/LEARNING.md, docs/PROFILE.md).
 */

/** Order of the values written by {@link summariseDrawsInto}. */
export const DRAW_SUMMARIES = ['mean', 'median', 'lower', 'upper', 'relunc'] as const;

export interface MedianSummary {
  readonly mean: number;
  readonly median: number;
  /** 2.5 % point. */
  readonly lower: number;
  /** 97.5 % point. */
  readonly upper: number;
  /** (upper − lower)/2 / |median|. */
  readonly relunc: number;
}

/** {@link summariseDrawsInto} as an object (reorders x in place). */
export function summariseDrawsMedian(x: Float64Array): MedianSummary {
  const o = new Float64Array(DRAW_SUMMARIES.length);
  summariseDrawsInto(x, o);
  return { mean: o[0], median: o[1], lower: o[2], upper: o[3], relunc: o[4] };
}

/** Type-7 quantile p of x[lo..hi], which must hold the order statistics k and k + 1 of all x. */
function quantileIn(x: Float64Array, p: number, lo: number, hi: number): number {
  const h = (x.length - 1) * p;
  const k = Math.floor(h);
  const a = select(x, k, lo, hi);
  if (h === k || k + 1 >= x.length) return a;
  let b = Infinity;
  // Everything after k (within and beyond the range) is ≥ x[k]: the next order statistic is their minimum.
  for (let i = k + 1; i < x.length; i++) if (x[i] < b) b = x[i];
  return a + (h - k) * (b - a);
}

/**
 * out = [mean, median, q2.5, q97.5, (q97.5 − q2.5)/2/|median|] (the order of DRAW_SUMMARIES) of
 * draws x without NaNs (x is reordered; empty x gives NaNs). One selection for the median
 * partitions the draws; the 2.5 % and 97.5 % points are then selected within the lower and upper
 * parts (O(n) in all).
 */
export function summariseDrawsInto(x: Float64Array, out: Float64Array): void {
  const n = x.length;
  if (n === 0) {
    out.fill(NaN, 0, DRAW_SUMMARIES.length);
    return;
  }
  let s = 0;
  for (let i = 0; i < n; i++) s += x[i];
  const mean = s / n;
  const km = Math.floor((n - 1) * 0.5);
  out[1] = quantileIn(x, 0.5, 0, n - 1);
  const lo = quantileIn(x, 0.025, 0, km);
  const hi = quantileIn(x, 0.975, km, n - 1);
  out[0] = mean;
  out[2] = lo;
  out[3] = hi;
  out[4] = (hi - lo) / 2 / Math.abs(out[1]);
}

/** k-th smallest of x[lo..hi] (Hoare's quickselect, median-of-three; reorders that range). */
function select(x: Float64Array, k: number, lo: number, hi: number): number {
  while (hi > lo) {
    const mid = (lo + hi) >> 1;
    const a = x[lo];
    const b = x[mid];
    const c = x[hi];
    const pivot = a < b ? (b < c ? b : a < c ? c : a) : a < c ? a : b < c ? c : b;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (x[i] < pivot) i++;
      while (x[j] > pivot) j--;
      if (i <= j) {
        const t = x[i];
        x[i] = x[j];
        x[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return x[k];
  }
  return x[k];
}
