import { DRAW_SUMMARIES, summariseDrawsInto } from '../numerics/draw-summary.js';

/**
 * Seeded random numbers and summary statistics for the Monte Carlo of 001 (Methods, "Global
 * mapping and prediction uncertainty": 500 draws; median, mean and margin of deviation).
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

/**
 * Monte Carlo summary (001 Methods estimates "the median and average" of the draws). The median is
 * the central value and the denominator of the relative uncertainty, as in the I_loss maps
 * (numerics/draw-summary.ts, shared): with large input CVs the draws of I_root (lognormal), of
 * I_loss = I_root − I_bulk and of I_loss/I_root are heavy-tailed and their mean is pulled by a
 * few draws (numbers in docs/PROFILE.md).
 */
export interface DrawSummary {
  readonly median: number;
  /** Mean of the draws (001's "average"); heavy-tailed for large input CVs, not the central value. */
  readonly mean: number;
  readonly q025: number;
  readonly q975: number;
  /**
   * Relative uncertainty: half the width of the central 95 % interval, (q97.5 − q2.5)/2, over
   * |median| (001's "margin of deviation / mean", with the median as the central value; for a
   * normal sample 1.96·sd/|median|).
   */
  readonly relunc: number;
  /** Draws that gave a finite value. */
  readonly n: number;
}

/** Summary of the finite draws (non-finite draws are dropped and not counted in n). */
export function summariseDraws(draws: ArrayLike<number>): DrawSummary {
  const x = Float64Array.from(draws).filter(Number.isFinite);
  const o = new Float64Array(DRAW_SUMMARIES.length);
  summariseDrawsInto(x, o);
  return { median: o[1], mean: o[0], q025: o[2], q975: o[3], relunc: o[4], n: x.length };
}
