import { InputError } from '../core/errors.js';
import { betaCumulative } from './depth.js';
import { profileDefault } from './params.js';
import { harmoniseAmounts, harmonisationWeights } from './harmonise.js';
import { fitEqualAreaSpline } from './spline.js';

/**
 * Carbon inputs by layer (001 Methods): I_root = NPP × f_BNPP (or observed BNPP) split over
 * standard layers in proportion to root biomass; I_bulk = C_stock / C_age (Eq 6);
 * I_loss = I_root − I_bulk.
 */

/** Standard layer boundaries, cm. `001`: seven layers to 200 cm; `003`: five 20 cm layers to 100 cm (PROFILE.md). */
export const STANDARD_LAYERS = {
  '001': [0, 20, 40, 60, 80, 100, 150, 200],
  '003': [0, 20, 40, 60, 80, 100],
} as const satisfies Record<string, readonly number[]>;
export type LayerPreset = keyof typeof STANDARD_LAYERS;

/**
 * How roots are distributed with depth. `beta`: Y(d) = 1 − β^d (Jackson et al. 1996).
 * `schenk-jackson`: r(D) = 1/(1 + (D/D50)^c), c = −log10(19)/(log10 D95 − log10 D50) (Schenk &
 * Jackson 2002; ORNL DAAC 660 methods eqs 1 and 4). `observed`: root mass per horizon,
 * harmonised to the layers with the equal-area spline on mass per cm (PROFILE.md).
 */
export type RootDistribution =
  | { readonly kind: 'beta'; readonly beta: number }
  | { readonly kind: 'schenk-jackson'; readonly d50Cm: number; readonly d95Cm: number }
  | { readonly kind: 'observed'; readonly topsCm: ArrayLike<number>; readonly bottomsCm: ArrayLike<number>; readonly rootMass: ArrayLike<number> };

/** log10(19): (D95/D50)^c = 1/19 makes r(D95) = 0.95. */
const LOG10_19 = Math.log10(19);

/** Cumulative fraction of roots above depth D (Schenk & Jackson logistic form). */
export function schenkJacksonCumulative(depthCm: number, d50Cm: number, d95Cm: number): number {
  if (depthCm <= 0) return 0;
  const c = -LOG10_19 / (Math.log10(d95Cm) - Math.log10(d50Cm));
  return 1 / (1 + Math.pow(depthCm / d50Cm, c));
}

export interface RootFractions {
  /** Fraction of I_root in each layer (sums to 1 over the layers). */
  readonly fractions: Float64Array;
  /** Fraction of roots the distribution puts below the deepest boundary (reallocated by the normalisation). */
  readonly belowDeepest: number;
}

/** Fractions of root biomass (hence I_root) in layers with boundaries `depthsCm`, normalised to the deepest boundary. */
export function rootFractions(dist: RootDistribution, depthsCm: readonly number[]): RootFractions {
  const nl = depthsCm.length - 1;
  const fractions = new Float64Array(nl);
  const dMax = depthsCm[nl];
  if (dist.kind === 'beta') {
    if (!(dist.beta > 0 && dist.beta < 1)) throw new InputError({ keyPath: 'root_beta', value: dist.beta, expected: 'a root β in (0, 1)' });
    const total = betaCumulative(dist.beta, dMax) - betaCumulative(dist.beta, depthsCm[0]);
    for (let j = 0; j < nl; j++) fractions[j] = (betaCumulative(dist.beta, depthsCm[j + 1]) - betaCumulative(dist.beta, depthsCm[j])) / total;
    return { fractions, belowDeepest: 1 - betaCumulative(dist.beta, dMax) };
  }
  if (dist.kind === 'schenk-jackson') {
    if (!(dist.d50Cm > 0 && dist.d95Cm > dist.d50Cm)) {
      throw new InputError({ keyPath: 'root_d50_cm, root_d95_cm', value: [dist.d50Cm, dist.d95Cm], expected: '0 < D50 < D95 (cm)' });
    }
    const r = (d: number): number => schenkJacksonCumulative(d, dist.d50Cm, dist.d95Cm);
    const total = r(dMax) - r(depthsCm[0]);
    for (let j = 0; j < nl; j++) fractions[j] = (r(depthsCm[j + 1]) - r(depthsCm[j])) / total;
    return { fractions, belowDeepest: 1 - r(dMax) };
  }
  const tops = Float64Array.from(dist.topsCm);
  const bottoms = Float64Array.from(dist.bottomsCm);
  const mass = Float64Array.from(dist.rootMass);
  const perCm = mass.map((m, i) => m / (bottoms[i] - tops[i]));
  // Conservative: each horizon's root mass split over the layers by the spline's shape; nothing
  // is extrapolated below the deepest horizon (harmonise.ts).
  const s = fitEqualAreaSpline(tops, bottoms, perCm, profileDefault('splineLambda'));
  const h = harmonisationWeights(tops, bottoms, depthsCm, s);
  harmoniseAmounts(h, mass, fractions);
  let total = 0;
  for (let j = 0; j < nl; j++) total += fractions[j];
  if (!(total > 0)) throw new InputError({ keyPath: 'root_mass', value: Array.from(dist.rootMass), expected: 'root masses with a positive total inside the layers' });
  for (let j = 0; j < nl; j++) fractions[j] /= total;
  return { fractions, belowDeepest: bottoms[bottoms.length - 1] < dMax ? 0 : NaN };
}

/** I_bulk = C_stock / C_age, Mg C ha⁻¹ yr⁻¹ (001 Eq 6). */
export function iBulk_MgC_per_ha_yr(stock_MgC_per_ha: number, ageYears: number): number {
  return stock_MgC_per_ha / ageYears;
}
