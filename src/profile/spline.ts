import { InputError } from '../core/errors.js';
import { BandLU, bandLuFactor, bandLuSolve } from '../numerics/index.js';
import { sortedQuantileType7 } from './stats.js';
import type { ProfileWarning } from './warnings.js';

/**
 * Equal-area (mass-preserving) quadratic spline of Bishop, McBratney & Laslett (1999), as in R's
 * mpspline2 (SPLINE.md). Horizons i = 0..n−1 with tops u_i, bottoms v_i (cm) and means y_i; the
 * curve is quadratic in each horizon, linear across gaps, C¹, with zero slope at the top of the
 * first and the bottom of the last horizon, and minimises (1/n)·Σ(y_i − f̄_i)² + λ·∫f′².
 *
 * The closed form Z·s̄ = y, Z = I + 6nλ·QᵀR⁻¹Q, b = 6R⁻¹Q·s̄ is solved without forming R⁻¹ as the
 * equivalent banded system in (s̄, b) interleaved — s̄_i + nλ·(Qᵀb)_i = y_i and R·b − 6Q·s̄ = 0 —
 * of size 2n−1 and bandwidth 2 (band LU with pivoting, numerics), O(n).
 */
export type SplineMode = 'exact' | 'mpspline2';

export interface SplineOptions {
  /** Smoothing λ (default 0.1); larger smooths more, λ → 0 reproduces the horizon means. */
  readonly lambda?: number;
  /** Output values are clamped to [vlow, vhigh] (defaults 0 and 1000, as mpspline2). */
  readonly vlow?: number;
  readonly vhigh?: number;
  /**
   * `exact` (default): layer means integrate the (clamped) quadratics exactly. `mpspline2`: the
   * curve is sampled at the top of each cm and layer means average those samples, as mpspline2
   * does (0.7–1.8 % off the exact integral mean).
   */
  readonly mode?: SplineMode;
}

/** A fitted spline for one profile (horizons after the input checks). */
export interface EqualAreaSpline {
  readonly tops: Float64Array;
  readonly bottoms: Float64Array;
  readonly values: Float64Array;
  /** Fitted horizon means s̄ (equal to the exact mean of the unclamped curve over each horizon). */
  readonly fittedMeans: Float64Array;
  readonly alpha: Float64Array;
  /** Slopes at the top (b0) and bottom (b1) of each horizon. */
  readonly b0: Float64Array;
  readonly b1: Float64Array;
  readonly gamma: Float64Array;
  readonly lambda: number;
  /** RMSE = sqrt(Σ(y − s̄)²/n) and RMSE/IQR(y) (IQR by R's default quantile type 7). */
  readonly rmse: number;
  readonly rmseIqr: number;
}

/** One band LU per system size, reused across fits (single-threaded; the fit keeps no reference to it). */
const bandWorkspaces = new Map<number, BandLU>();
function bandWorkspace(m: number): BandLU {
  let lu = bandWorkspaces.get(m);
  if (!lu) {
    if (bandWorkspaces.size > 256) bandWorkspaces.clear();
    bandWorkspaces.set(m, (lu = new BandLU(m, 2, 2)));
  }
  return lu;
}

/**
 * Fit the spline to clean horizons (sorted, non-overlapping, positive thickness; see
 * {@link cleanHorizons}). With one horizon the "spline" is the constant value.
 */
export function fitEqualAreaSpline(tops: Float64Array, bottoms: Float64Array, values: Float64Array, lambda = 0.1): EqualAreaSpline {
  const n = tops.length;
  if (n === 0) throw new InputError({ keyPath: 'horizons', value: 0, expected: 'at least one horizon' });
  if (!(lambda >= 0)) throw new InputError({ keyPath: 'lambda', value: lambda, expected: 'a smoothing parameter λ ≥ 0' });
  const alpha = new Float64Array(n);
  const b0 = new Float64Array(n);
  const b1 = new Float64Array(n);
  const gamma = new Float64Array(n);
  const sBar = new Float64Array(n);
  if (n === 1) {
    sBar[0] = alpha[0] = values[0];
    return { tops, bottoms, values, fittedMeans: sBar, alpha, b0, b1, gamma, lambda, rmse: 0, rmseIqr: 0 };
  }
  const m = 2 * n - 1;
  const lu = bandWorkspace(m);
  const A = lu.matrix;
  A.fill(0);
  const rhs = new Float64Array(m);
  const nl = n * lambda;
  for (let i = 0; i < n; i++) {
    const r = 2 * i;
    A.set(r, r, 1);
    if (i <= n - 2) A.set(r, r + 1, -nl);
    if (i >= 1) A.set(r, r - 1, nl);
    rhs[r] = values[i];
  }
  for (let i = 0; i <= n - 2; i++) {
    const r = 2 * i + 1;
    const hi = bottoms[i] - tops[i];
    const hNext = bottoms[i + 1] - tops[i + 1];
    const gap = tops[i + 1] - bottoms[i];
    if (i >= 1) A.set(r, r - 2, hi);
    A.set(r, r - 1, 6);
    A.set(r, r, 2 * (hi + hNext) + 6 * gap);
    A.set(r, r + 1, -6);
    if (i <= n - 3) A.set(r, r + 2, hNext);
  }
  if (bandLuFactor(A, lu.ipiv) !== 0) throw new Error('equal-area spline: singular system (horizons not cleaned?)');
  bandLuSolve(A, lu.ipiv, rhs);
  for (let i = 0; i < n; i++) {
    sBar[i] = rhs[2 * i];
    b0[i] = i === 0 ? 0 : rhs[2 * i - 1];
    b1[i] = i === n - 1 ? 0 : rhs[2 * i + 1];
  }
  let ss = 0;
  for (let i = 0; i < n; i++) {
    const h = bottoms[i] - tops[i];
    gamma[i] = (b1[i] - b0[i]) / (2 * h);
    alpha[i] = sBar[i] - (b0[i] * h) / 2 - (gamma[i] * h * h) / 3;
    ss += (values[i] - sBar[i]) ** 2;
  }
  const rmse = Math.sqrt(ss / n);
  const sorted = Float64Array.from(values).sort();
  const iqr = sortedQuantileType7(sorted, 0.75) - sortedQuantileType7(sorted, 0.25);
  return { tops, bottoms, values, fittedMeans: sBar, alpha, b0, b1, gamma, lambda, rmse, rmseIqr: iqr > 0 ? rmse / iqr : NaN };
}

/**
 * Index of the piece containing depth x: 2i for horizon i (u_i ≤ x < v_i), 2i+1 for the gap after
 * horizon i; −1 above the first top or at/below the last bottom.
 */
function pieceAt(s: EqualAreaSpline, x: number): number {
  const n = s.tops.length;
  if (x < s.tops[0] || x >= s.bottoms[n - 1]) return -1;
  let lo = 0;
  let hi = n - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (s.tops[mid] <= x) lo = mid;
    else hi = mid - 1;
  }
  return x < s.bottoms[lo] ? 2 * lo : 2 * lo + 1;
}

/** Polynomial c0 + c1·t + c2·t² of a piece in its local coordinate t = x − origin. */
function pieceCoefficients(s: EqualAreaSpline, piece: number, out: Float64Array): number {
  const i = piece >> 1;
  if ((piece & 1) === 0) {
    out[0] = s.alpha[i];
    out[1] = s.b0[i];
    out[2] = s.gamma[i];
    return s.tops[i];
  }
  // Gap after horizon i: φ_i + b1_i·(x − v_i), φ_i = α_{i+1} − b1_i·g_i.
  out[0] = s.alpha[i + 1] - s.b1[i] * (s.tops[i + 1] - s.bottoms[i]);
  out[1] = s.b1[i];
  out[2] = 0;
  return s.bottoms[i];
}

const coefScratch = new Float64Array(3);

/** The unclamped spline at depth x (cm); NaN outside [first top, last bottom). */
export function splineValueAt(s: EqualAreaSpline, x: number): number {
  const p = pieceAt(s, x);
  if (p < 0) return NaN;
  const o = pieceCoefficients(s, p, coefScratch);
  const t = x - o;
  return coefScratch[0] + t * (coefScratch[1] + t * coefScratch[2]);
}

/** Up to 6 cut points of one integration (ta, tb and ≤ 2 roots per level), sorted in place. */
const cutScratch = new Float64Array(6);

/** Insert t into the sorted cuts[0..m) if it lies strictly inside (cuts[0], cuts[m−1]); returns the new count. */
function insertCut(cuts: Float64Array, m: number, t: number): number {
  if (!(t > cuts[0] && t < cuts[m - 1])) return m;
  let k = m - 1;
  while (k > 0 && cuts[k - 1] > t) k--;
  for (let j = m; j > k; j--) cuts[j] = cuts[j - 1];
  cuts[k] = t;
  return m + 1;
}

/** ∫ of clamp(c0 + c1 t + c2 t², lo, hi) dt over [ta, tb], exactly (splitting where the polynomial crosses lo or hi). Allocates nothing. */
export function integrateClampedQuadratic(c0: number, c1: number, c2: number, ta: number, tb: number, lo: number, hi: number): number {
  if (!(tb > ta)) return 0;
  const cuts = cutScratch;
  cuts[0] = ta;
  cuts[1] = tb;
  let m = 2;
  for (let pass = 0; pass < 2; pass++) {
    const level = pass === 0 ? lo : hi;
    if (!Number.isFinite(level)) continue;
    const c = c0 - level;
    if (c2 === 0) {
      if (c1 !== 0) m = insertCut(cuts, m, -c / c1);
    } else {
      const disc = c1 * c1 - 4 * c2 * c;
      if (disc > 0) {
        const q = -0.5 * (c1 + Math.sign(c1 || 1) * Math.sqrt(disc));
        m = insertCut(cuts, m, q / c2);
        if (q !== 0) m = insertCut(cuts, m, c / q);
      }
    }
  }
  let sum = 0;
  for (let k = 0; k + 1 < m; k++) {
    const t0 = cuts[k];
    const t1 = cuts[k + 1];
    if (t1 <= t0) continue;
    const tm = 0.5 * (t0 + t1);
    const vm = c0 + tm * (c1 + tm * c2);
    if (vm < lo) sum += lo * (t1 - t0);
    else if (vm > hi) sum += hi * (t1 - t0);
    else sum += c0 * (t1 - t0) + (c1 / 2) * (t1 * t1 - t0 * t0) + (c2 / 3) * (t1 * t1 * t1 - t0 * t0 * t0);
  }
  return sum;
}

/** ∫ clamp(f) over [a, b] ∩ [first top, last bottom], exactly; returns the integral and the covered length. */
function integrateSpline(s: EqualAreaSpline, a: number, b: number, vlow: number, vhigh: number, out: { integral: number; covered: number }): void {
  const n = s.tops.length;
  const lo = Math.max(a, s.tops[0]);
  const hi = Math.min(b, s.bottoms[n - 1]);
  out.integral = 0;
  out.covered = 0;
  if (!(hi > lo)) return;
  out.covered = hi - lo;
  let x = lo;
  let p = pieceAt(s, x);
  while (x < hi && p >= 0) {
    const o = pieceCoefficients(s, p, coefScratch);
    const i = p >> 1;
    const pieceEnd = (p & 1) === 0 ? s.bottoms[i] : s.tops[i + 1];
    const end = Math.min(pieceEnd, hi);
    out.integral += integrateClampedQuadratic(coefScratch[0], coefScratch[1], coefScratch[2], x - o, end - o, vlow, vhigh);
    x = end;
    p++; // next piece: horizon → gap (possibly empty) → horizon
  }
}

/**
 * ∫ over [a, b] of the spline's gap pieces only (the linear pieces between horizons), clamped
 * below at `vlow`: an estimate for depths where nothing was measured.
 */
export function splineGapIntegral(s: EqualAreaSpline, a: number, b: number, vlow = 0): number {
  const n = s.tops.length;
  let sum = 0;
  for (let i = 0; i + 1 < n; i++) {
    const g0 = Math.max(a, s.bottoms[i]);
    const g1 = Math.min(b, s.tops[i + 1]);
    if (!(g1 > g0)) continue;
    const phi = s.alpha[i + 1] - s.b1[i] * (s.tops[i + 1] - s.bottoms[i]);
    sum += integrateClampedQuadratic(phi, s.b1[i], 0, g0 - s.bottoms[i], g1 - s.bottoms[i], vlow, Infinity);
  }
  return sum;
}

/** Layer means and the covered fraction of each layer. */
export interface LayerMeans {
  /** Means over each output layer [depths[j], depths[j+1]); NaN where no part is covered. */
  readonly means: Float64Array;
  /** Covered fraction of each layer (by horizons and the gaps between them), 0..1. */
  readonly coverage: Float64Array;
}

/**
 * Means of the fitted curve over output layers with boundaries `depthsCm` (increasing), clamped
 * to [vlow, vhigh]. No extrapolation above the first top or below the last bottom; a partly
 * covered layer averages what is covered (SPLINE.md).
 */
export function splineLayerMeans(s: EqualAreaSpline, depthsCm: ArrayLike<number>, options: SplineOptions = {}): LayerMeans {
  const vlow = options.vlow ?? 0;
  const vhigh = options.vhigh ?? 1000;
  const mode = options.mode ?? 'exact';
  const nl = depthsCm.length - 1;
  const means = new Float64Array(Math.max(0, nl)).fill(NaN);
  const coverage = new Float64Array(Math.max(0, nl));
  const n = s.tops.length;
  const acc = { integral: 0, covered: 0 };
  for (let j = 0; j < nl; j++) {
    const a = depthsCm[j];
    const b = depthsCm[j + 1];
    coverage[j] = Math.max(0, Math.min(b, s.bottoms[n - 1]) - Math.max(a, s.tops[0])) / (b - a);
    if (n === 1) {
      // A single horizon is not splined: its value goes to the layers it covers.
      if (coverage[j] > 0) means[j] = Math.min(vhigh, Math.max(vlow, s.values[0]));
      continue;
    }
    if (mode === 'exact') {
      integrateSpline(s, a, b, vlow, vhigh, acc);
      if (acc.covered > 0) means[j] = acc.integral / acc.covered;
    } else {
      // mpspline2: f sampled at the top of each cm, k = a … b−1; NA outside the horizons' span.
      let sum = 0;
      let count = 0;
      for (let k = Math.ceil(a); k < b; k++) {
        const v = splineValueAt(s, k);
        if (Number.isNaN(v)) continue;
        sum += Math.min(vhigh, Math.max(vlow, v));
        count++;
      }
      if (count > 0) means[j] = sum / count;
    }
  }
  return { means, coverage };
}

/** One profile's horizons before the checks. */
export interface RawHorizons {
  readonly profile: string;
  readonly tops: ArrayLike<number>;
  readonly bottoms: ArrayLike<number>;
  readonly values: ArrayLike<number>;
  /** Where each horizon came from (e.g. "in.csv:12"), for warnings; defaults to its index. */
  readonly labels?: readonly string[];
  /** What the values are, for warnings (default "value"). */
  readonly valueName?: string;
}

export interface CleanHorizons {
  readonly tops: Float64Array;
  readonly bottoms: Float64Array;
  readonly values: Float64Array;
  /** Labels of the horizons kept, in depth order. */
  readonly labels: string[];
  /** True if the profile was rejected (overlapping horizons or nothing left). */
  readonly rejected: boolean;
}

/**
 * The input checks of SPLINE.md, each action reported as a warning naming the profile and the
 * horizon: rows with a missing value dropped; missing first top → 0; missing last bottom → last
 * top + 10; negative depths dropped; zero-thickness or inverted horizons dropped; rows sorted;
 * overlapping horizons → the profile is rejected.
 */
export function cleanHorizons(raw: RawHorizons, warnings: ProfileWarning[]): CleanHorizons {
  const n = raw.tops.length;
  // Fast path (the common case): every horizon complete, non-negative, positive thickness, sorted
  // and non-overlapping — nothing to drop, repair or sort, so one pass and three copies.
  let clean = n > 0;
  for (let i = 0; i < n && clean; i++) {
    const t = raw.tops[i];
    const b = raw.bottoms[i];
    clean = Number.isFinite(raw.values[i]) && t >= 0 && b > t && (i === 0 || t >= raw.bottoms[i - 1]);
  }
  if (clean) {
    return {
      tops: Float64Array.from(raw.tops),
      bottoms: Float64Array.from(raw.bottoms),
      values: Float64Array.from(raw.values),
      labels: raw.labels ? raw.labels.slice(0, n) : Array.from({ length: n }, (_, i) => `horizon ${i + 1}`),
      rejected: false,
    };
  }
  const label = (i: number): string => raw.labels?.[i] ?? `horizon ${i + 1}`;
  const warn = (code: string, i: number | undefined, message: string): void => {
    warnings.push({ profile: raw.profile, horizon: i === undefined ? '' : label(i), code, message });
  };
  const keep: number[] = [];
  const tops = Float64Array.from(raw.tops);
  const bottoms = Float64Array.from(raw.bottoms);
  const values = Float64Array.from(raw.values);
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(values[i])) {
      warn('dropped-missing-value', i, `horizon dropped: ${raw.valueName ?? 'value'} missing`);
      continue;
    }
    keep.push(i);
  }
  if (keep.length > 0 && Number.isNaN(tops[keep[0]])) {
    warn('repaired-first-top', keep[0], 'missing top of the first horizon set to 0 cm');
    tops[keep[0]] = 0;
  }
  if (keep.length > 0 && Number.isNaN(bottoms[keep[keep.length - 1]]) && Number.isFinite(tops[keep[keep.length - 1]])) {
    const i = keep[keep.length - 1];
    bottoms[i] = tops[i] + 10;
    warn('repaired-last-bottom', i, `missing bottom of the last horizon set to its top + 10 cm = ${bottoms[i]} cm`);
  }
  const kept: number[] = [];
  for (const i of keep) {
    if (!Number.isFinite(tops[i]) || !Number.isFinite(bottoms[i])) warn('dropped-missing-depth', i, 'horizon dropped: top or bottom depth missing');
    else if (tops[i] < 0 || bottoms[i] < 0) warn('dropped-negative-depth', i, `horizon dropped: negative depth (${tops[i]}–${bottoms[i]} cm; organic layer above the mineral surface)`);
    else if (!(bottoms[i] > tops[i])) warn('dropped-zero-or-inverted', i, `horizon dropped: bottom ${bottoms[i]} cm not below top ${tops[i]} cm`);
    else kept.push(i);
  }
  const sorted = [...kept].sort((a, b) => tops[a] - tops[b] || bottoms[a] - bottoms[b]);
  if (sorted.some((v, k) => v !== kept[k])) warn('sorted', undefined, 'horizons were not in depth order; sorted by top depth');
  for (let k = 1; k < sorted.length; k++) {
    if (tops[sorted[k]] < bottoms[sorted[k - 1]]) {
      warn('rejected-overlap', sorted[k], `profile rejected: horizon ${tops[sorted[k]]}–${bottoms[sorted[k]]} cm overlaps ${label(sorted[k - 1])} (${tops[sorted[k - 1]]}–${bottoms[sorted[k - 1]]} cm)`);
      return { tops: new Float64Array(0), bottoms: new Float64Array(0), values: new Float64Array(0), labels: [], rejected: true };
    }
  }
  if (sorted.length === 0) {
    warn('rejected-empty', undefined, 'profile rejected: no usable horizon');
  }
  return {
    tops: Float64Array.from(sorted, (i) => tops[i]),
    bottoms: Float64Array.from(sorted, (i) => bottoms[i]),
    values: Float64Array.from(sorted, (i) => values[i]),
    labels: sorted.map(label),
    rejected: sorted.length === 0,
  };
}

export interface SplineProfileResult extends LayerMeans {
  readonly profile: string;
  readonly spline: EqualAreaSpline | undefined;
  readonly rejected: boolean;
}

/** Checks, fit and layer means for one profile (the `spline` command's unit of work). */
export function splineProfile(raw: RawHorizons, depthsCm: ArrayLike<number>, options: SplineOptions, warnings: ProfileWarning[]): SplineProfileResult {
  const clean = cleanHorizons(raw, warnings);
  const nl = depthsCm.length - 1;
  if (clean.rejected) return { profile: raw.profile, spline: undefined, rejected: true, means: new Float64Array(nl).fill(NaN), coverage: new Float64Array(nl) };
  if (clean.tops.length === 1) {
    warnings.push({ profile: raw.profile, horizon: clean.labels[0], code: 'single-horizon', message: 'only one horizon: not splined, its value copied to the layers it covers' });
  }
  const spline = fitEqualAreaSpline(clean.tops, clean.bottoms, clean.values, options.lambda ?? 0.1);
  return { profile: raw.profile, spline, rejected: false, ...splineLayerMeans(spline, depthsCm, options) };
}

/** Validate output depths: at least two, strictly increasing, ≥ 0. */
/** Deepest layer boundary accepted, cm (100 m; the 1 cm sampling of mpspline2 mode stays bounded). */
export const MAX_DEPTH_CM = 10_000;
/** Most layer boundaries accepted. */
export const MAX_LAYER_BOUNDARIES = 1000;
const DEPTHS_EXPECTED = `from 2 to ${MAX_LAYER_BOUNDARIES} depths in cm, from 0 to ${MAX_DEPTH_CM}, strictly increasing`;

export function checkDepths(depthsCm: readonly number[], keyPath = 'depths'): void {
  const ok = depthsCm.length >= 2 && depthsCm.length <= MAX_LAYER_BOUNDARIES && depthsCm.every((d, i) => Number.isFinite(d) && d >= 0 && d <= MAX_DEPTH_CM && (i === 0 || d > depthsCm[i - 1]));
  if (!ok) throw new InputError({ keyPath, value: depthsCm.join(','), expected: `${DEPTHS_EXPECTED} (e.g. 0,20,40,60,80,100)` });
}
