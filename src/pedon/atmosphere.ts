import { CurveRangeError, preBombStartYear, segmentIndex, type AtmosphericCurve } from '../profile/radiocarbon/curves.js';

/**
 * The atmosphere seen by the pedon model, consistent with the one-pool model of 001 (PROFILE.md):
 * before t₀ = 1950.0 (or the curve's first point) a constant pre-bomb A/A_std equal to the curve at
 * t₀ (no Holocene variations: IntCal is not shipped); from t₀ the curve, linear between its
 * points; past its end the last value only for the `hold-last` extension, else a
 * {@link CurveRangeError}. Inputs of a step carry the exact mean of this piecewise-linear
 * function over the step.
 */
function valueAt(curve: AtmosphericCurve, t: number): number {
  const { years, absolute } = curve;
  const last = years.length - 1;
  if (t <= years[0]) return absolute[0];
  if (t >= years[last]) return absolute[last];
  const i = segmentIndex(years, t);
  return absolute[i] + ((t - years[i]) / (years[i + 1] - years[i])) * (absolute[i + 1] - absolute[i]);
}

/** A/A_std of the pre-bomb steady state: the curve at t₀. */
export function preBombAtmosphere(curve: AtmosphericCurve): number {
  return valueAt(curve, preBombStartYear(curve));
}

/** ∫ from t₀ to t of the atmosphere (t ≥ t₀), exact for the piecewise-linear curve. */
function integralFromStart(curve: AtmosphericCurve, t: number): number {
  const t0 = preBombStartYear(curve);
  if (t <= t0) return 0;
  if (t > curve.endYear) throw new CurveRangeError(curve, t);
  const { years, absolute } = curve;
  const last = years.length - 1;
  let sum = 0;
  let a = t0;
  let fa = valueAt(curve, a);
  let i = segmentIndex(years, a);
  while (a < t) {
    const b = i < last && years[i + 1] > a ? Math.min(t, years[i + 1]) : t;
    const fb = b >= years[last] ? absolute[last] : valueAt(curve, b);
    sum += 0.5 * (fa + fb) * (b - a);
    a = b;
    fa = fb;
    if (i < last && a >= years[i + 1]) i++;
  }
  return sum;
}

/** Mean A/A_std over [t0, t1]. */
export function meanAtmosphere(curve: AtmosphericCurve, t0: number, t1: number): number {
  const start = preBombStartYear(curve);
  const f0 = preBombAtmosphere(curve);
  if (t1 <= start) return f0;
  const before = Math.max(0, Math.min(t1, start) - t0);
  const from = Math.max(t0, start);
  const after = integralFromStart(curve, t1) - integralFromStart(curve, from);
  return (f0 * before + after) / (t1 - t0);
}
