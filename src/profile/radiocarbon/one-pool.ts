import { InputError } from '../../core/errors.js';
import { CurveRangeError, preBombStartYear, segmentIndex, type AtmosphericCurve } from './curves.js';
import { DECAY_CONSTANT_PER_YEAR } from './units.js';

/**
 * The one-pool (homogeneous) soil radiocarbon model of 001 Eqs 1–3 (Cherkinsky & Brovkin 1993):
 *
 *   dA_soil/dt = k·A_atm(t) − (k + γ)·A_soil,   k = 1/τ (τ = turnover time = 001's C_age), γ = 1/8267 yr⁻¹,
 *
 * in A/A_std units (001 Eq 5). Before the start year t₀ (1950.0, or the curve's first point) the
 * soil is in steady state with the atmosphere at t₀ (Eq 2). After t₀ the atmosphere is the curve,
 * linear between its points, and the equation is solved **exactly** on each piece:
 *
 *   A(t+h) = A(t)·e^{−x} + k·[a·h·φ₁(x) + s·h²·φ₂(x)],  x = (k+γ)·h,
 *
 * with a, s the atmosphere's value and slope at the start of the piece, φ₁(x) = (1−e^{−x})/x,
 * φ₂(x) = (x − 1 + e^{−x})/x² (series for small x, so no cancellation).
 */

/** φ₁(x) = (1 − e^{−x})/x, accurate to ~1e−16 relative for all x ≥ 0. */
export function phi1(x: number): number {
  if (x < 1e-4) return 1 - x / 2 + (x * x) / 6 - (x * x * x) / 24;
  return -Math.expm1(-x) / x;
}

/** φ₂(x) = (x − 1 + e^{−x})/x², accurate to ~1e−13 relative for all x ≥ 0. */
export function phi2(x: number): number {
  if (x < 1e-3) return 0.5 - x / 6 + (x * x) / 24 - (x * x * x) / 120;
  return (x + Math.expm1(-x)) / (x * x);
}

/** Steady-state soil A/A_std for decay rate k (yr⁻¹) and a constant atmosphere (001 Eq 2): k/(k+γ)·A_input. */
export function steadyStateAbsolute(k_per_year: number, atmosphereAbsolute: number): number {
  return (k_per_year / (k_per_year + DECAY_CONSTANT_PER_YEAR)) * atmosphereAbsolute;
}

/** Decay rate k (yr⁻¹) from a steady-state soil and atmosphere (001 Eq 3): γ·A_soil/(A_input − A_soil). */
export function decayRateFromSteadyState(soilAbsolute: number, atmosphereAbsolute: number): number {
  return (DECAY_CONSTANT_PER_YEAR * soilAbsolute) / (atmosphereAbsolute - soilAbsolute);
}

function checkTurnover(turnoverYears: number): void {
  if (!(turnoverYears > 0)) throw new InputError({ keyPath: 'turnoverYears', value: turnoverYears, expected: 'a turnover time > 0 years' });
}

/**
 * Soil A/A_std at decimal year `year` for turnover time τ = `turnoverYears` (001 Eqs 1–2),
 * exact for the piecewise-linear atmosphere. Years before t₀ return the pre-bomb steady state.
 * Throws {@link CurveRangeError} past the curve's end. Allocates nothing.
 */
export function onePoolAbsolute(curve: AtmosphericCurve, turnoverYears: number, year: number): number {
  checkTurnover(turnoverYears);
  if (year > curve.endYear) throw new CurveRangeError(curve, year);
  const k = 1 / turnoverYears;
  const K = k + DECAY_CONSTANT_PER_YEAR;
  const { years, absolute } = curve;
  const n = years.length;
  const t0 = preBombStartYear(curve);
  let i = segmentIndex(years, t0);
  // Atmosphere at t0 (linear interpolation inside the first segment, or the first point).
  const a0 = t0 <= years[0] ? absolute[0] : absolute[i] + ((t0 - years[i]) / (years[i + 1] - years[i])) * (absolute[i + 1] - absolute[i]);
  let F = (k / K) * a0;
  if (year <= t0) return F;
  // Pieces: [t0, years[i+1]] (partial), whole segments, the last partial one, then (hold-last) the flat tail.
  let t = t0;
  let a = a0;
  const last = n - 1;
  while (i < last && years[i + 1] <= year) {
    const t1 = years[i + 1];
    const slope = (absolute[i + 1] - a) / (t1 - t);
    F = stepPiece(F, k, K, a, slope, t1 - t);
    i++;
    t = t1;
    a = absolute[i];
  }
  if (t < year) {
    const slope = i < last ? (absolute[i + 1] - absolute[i]) / (years[i + 1] - years[i]) : 0;
    const tEnd = i < last ? year : Math.max(year, t);
    F = stepPiece(F, k, K, a, slope, tEnd - t);
  }
  return F;
}

/**
 * Exact step over one linear piece of the atmosphere: A ← A·e^{−x} + k·(a·h·φ₁(x) + s·h²·φ₂(x)),
 * x = K·h, with one transcendental (e^{−x} − 1) and series for small x.
 */
function stepPiece(F: number, k: number, K: number, a: number, slope: number, h: number): number {
  if (!(h > 0)) return F;
  const x = K * h;
  let p1: number;
  let p2: number;
  let decay: number;
  if (x < 1e-3) {
    p1 = 1 - x / 2 + (x * x) / 6 - (x * x * x) / 24;
    p2 = 0.5 - x / 6 + (x * x) / 24 - (x * x * x) / 120;
    decay = 1 - x * p1;
  } else {
    const em1 = Math.expm1(-x);
    p1 = -em1 / x;
    p2 = (x + em1) / (x * x);
    decay = 1 + em1;
  }
  return F * decay + k * (a * h * p1 + slope * h * h * p2);
}

/** Soil Δ14C (‰) at `year` for turnover `turnoverYears`; see {@link onePoolAbsolute}. */
export function onePoolDelta14C(curve: AtmosphericCurve, turnoverYears: number, year: number): number {
  return (onePoolAbsolute(curve, turnoverYears, year) - 1) * 1000;
}
