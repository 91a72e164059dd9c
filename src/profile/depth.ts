import { InputError } from '../core/errors.js';
import { goldenMin } from '../numerics/roots1d.js';
import { quantileType7 } from './stats.js';

/**
 * Depth functions of 003: SOC density and stocks (Eqs 1–2) and the β model (Eqs 3–4).
 */

/** 1 g C cm⁻² = 10⁸ g C ha⁻¹ = 100 Mg C ha⁻¹ (ISRaD's `lyr_soc` is in g C cm⁻²). */
export const MGC_PER_HA_PER_GC_PER_CM2 = 100;

/**
 * SOC density of a layer, Mg C ha⁻¹ (003 Eq 1): SOC (g kg⁻¹) × BD (g cm⁻³) × D (cm) / 10, times
 * (1 − coarse fraction) when the volume fraction of coarse fragments is given (PROFILE.md).
 */
export function socDensity_MgC_per_ha(soc_g_per_kg: number, bulkDensity_g_per_cm3: number, thickness_cm: number, coarseFraction = 0): number {
  return ((soc_g_per_kg * bulkDensity_g_per_cm3 * thickness_cm) / 10) * (1 - coarseFraction);
}

/** SOC stock, Mg C (003 Eq 2): density (Mg C ha⁻¹) × area (ha). Divide by 1e9 for Pg C. */
export function socStock_MgC(density_MgC_per_ha: number, area_ha: number): number {
  return density_MgC_per_ha * area_ha;
}

/** Cumulative proportion above depth d (cm), Y(d) = 1 − β^d (003 Eq 3; Jackson et al. 1996). */
export function betaCumulative(beta: number, depthCm: number): number {
  return -Math.expm1(depthCm * Math.log(beta));
}

/** Fraction in [d1, d2] of what lies above dmax: (β^d1 − β^d2)/(1 − β^dmax) (PROFILE.md). */
export function betaLayerFraction(beta: number, d1Cm: number, d2Cm: number, dMaxCm: number): number {
  return (betaCumulative(beta, d2Cm) - betaCumulative(beta, d1Cm)) / betaCumulative(beta, dMaxCm);
}

/** X_D = (1 − β^D)/(1 − β^d0)·X_d0 (003 Eq 4 with D = 100): the stock above D from the stock above d0. */
export function betaExtrapolate(beta: number, stockAboveD0: number, d0Cm: number, dCm: number): number {
  return (betaCumulative(beta, dCm) / betaCumulative(beta, d0Cm)) * stockAboveD0;
}

/** Model of the normalised cumulative proportion Y(d)/Y(dmax) as a function of κ = −ln β (smooth through κ = 0, where it is d/dmax). */
function normalisedCumulative(kappa: number, d: number, dMax: number): number {
  if (Math.abs(kappa) < 1e-12) return d / dMax;
  return Math.expm1(-kappa * d) / Math.expm1(-kappa * dMax);
}

export interface BetaFit {
  /** Fitted β (003 Eq 3). β ≥ 1 means the stock does not decline with depth. */
  readonly beta: number;
  /** RMSE of the normalised cumulative proportions. */
  readonly rmse: number;
  /** Points used (layer bottoms, excluding the deepest, whose normalised value is 1 by construction). */
  readonly points: number;
  readonly dMaxCm: number;
}

/** β search range: 0.5 (half the stock in the top cm) to 1.05 (stock increasing with depth). */
const BETA_MIN = 0.5;
const BETA_MAX = 1.05;

/**
 * Least-squares β per profile (PROFILE.md, 003 Eq 3): minimises Σ_j (Y_obs(d_j) − Y(d_j)/Y(d_max))²
 * over the layer bottoms d_j, where Y_obs are the cumulative stocks from the surface normalised by
 * the stock above the deepest observed depth. Grid scan over β ∈ [0.5, 1.05] (step 5.5e−4) and
 * golden-section refinement to 1e−12 in β.
 */
export function fitBeta(bottomsCm: ArrayLike<number>, cumulativeStock: ArrayLike<number>): BetaFit {
  const n = bottomsCm.length;
  if (n < 2) throw new InputError({ keyPath: 'layers', value: n, expected: 'at least two layers for a β fit' });
  const dMax = bottomsCm[n - 1];
  const total = cumulativeStock[n - 1];
  if (!(total > 0)) throw new InputError({ keyPath: 'stock', value: total, expected: 'a positive total stock for a β fit' });
  const sse = (beta: number): number => {
    const kappa = -Math.log(beta);
    let s = 0;
    for (let j = 0; j < n - 1; j++) {
      const r = cumulativeStock[j] / total - normalisedCumulative(kappa, bottomsCm[j], dMax);
      s += r * r;
    }
    return s;
  };
  const steps = 1000;
  let best = 0;
  let bestVal = Infinity;
  for (let j = 0; j <= steps; j++) {
    const v = sse(BETA_MIN + ((BETA_MAX - BETA_MIN) * j) / steps);
    if (v < bestVal) {
      bestVal = v;
      best = j;
    }
  }
  const h = (BETA_MAX - BETA_MIN) / steps;
  const lo = BETA_MIN + Math.max(0, best - 1) * h;
  const hi = BETA_MIN + Math.min(steps, best + 1) * h;
  const beta = goldenMin(sse, lo, hi, 1e-13);
  return { beta, rmse: Math.sqrt(sse(beta) / Math.max(1, n - 1)), points: n - 1, dMaxCm: dMax };
}

/** Summary of fitted β values: statistics over β < 1 only; β ≥ 1 (no decline with depth) counted apart. */
export interface BetaStatistics {
  /** All finite fits. */
  readonly fits: number;
  /** Fits with β < 1, and their median, 5 % and 95 % quantiles (R type 7) and mean. */
  readonly declining: number;
  readonly median: number;
  readonly p05: number;
  readonly p95: number;
  readonly mean: number;
  /** Fits with β ≥ 1: excluded from the statistics above (a β ≥ 1 is not a depth decline, 003 Eq 3). */
  readonly noDecline: number;
  readonly noDeclineBetas: readonly number[];
}

export function betaStatistics(betas: ArrayLike<number>): BetaStatistics {
  const all = Array.from(betas).filter(Number.isFinite);
  const ok = all.filter((b) => b < 1);
  const bad = all.filter((b) => b >= 1);
  return {
    fits: all.length,
    declining: ok.length,
    median: quantileType7(ok, 0.5),
    p05: quantileType7(ok, 0.05),
    p95: quantileType7(ok, 0.95),
    mean: ok.length > 0 ? ok.reduce((a, b) => a + b, 0) / ok.length : NaN,
    noDecline: bad.length,
    noDeclineBetas: bad,
  };
}
