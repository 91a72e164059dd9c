/**
 * Seeded random numbers and summary statistics for the Monte Carlo of 001 (Methods, "Global
 * mapping and prediction uncertainty": 500 draws; median, mean and margin of deviation / mean).
 */

/** Sample quantile, R's default type 7 (linear interpolation of order statistics); NaNs ignored. */
export function quantileType7(x: ArrayLike<number>, p: number): number {
  return sortedQuantileType7(Float64Array.from(x).filter((v) => !Number.isNaN(v)).sort(), p);
}

/** Type-7 quantile of an already sorted sample without NaNs (no copy). */
export function sortedQuantileType7(s: ArrayLike<number>, p: number): number {
  if (s.length === 0) return NaN;
  const h = (s.length - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, s.length - 1);
  return s[lo] + (h - lo) * (s[hi] - s[lo]);
}

/** Monte Carlo summary as 001 reports it. */
export interface DrawSummary {
  readonly median: number;
  readonly mean: number;
  readonly q025: number;
  readonly q975: number;
  /**
   * "Margin of deviation / mean" (001 Methods): half the width of the central 95 % interval,
   * (q97.5 − q2.5)/2, divided by |mean|. (For a normal sample this is 1.96·sd/|mean|.)
   */
  readonly marginOverMean: number;
  /** Draws that gave a finite value. */
  readonly n: number;
}

export function summariseDraws(draws: ArrayLike<number>): DrawSummary {
  let sum = 0;
  let n = 0;
  for (let i = 0; i < draws.length; i++) {
    if (Number.isFinite(draws[i])) {
      sum += draws[i];
      n++;
    }
  }
  const mean = n > 0 ? sum / n : NaN;
  const q025 = quantileType7(Float64Array.from(draws).filter(Number.isFinite), 0.025);
  const q975 = quantileType7(Float64Array.from(draws).filter(Number.isFinite), 0.975);
  return {
    median: quantileType7(Float64Array.from(draws).filter(Number.isFinite), 0.5),
    mean,
    q025,
    q975,
    marginOverMean: (q975 - q025) / 2 / Math.abs(mean),
    n,
  };
}
