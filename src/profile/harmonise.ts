import { integrateClampedQuadratic, splineGapIntegral, type EqualAreaSpline } from './spline.js';

/**
 * Conservative harmonisation of **extensive** amounts (SOC stocks, I_bulk, root masses: amounts
 * per area of a horizon) from measured horizons to standard layers (PROFILE.md "Harmonising
 * measurements", issue 10).
 *
 * The equal-area spline of 003 fits horizon means only as λ → 0; with the default λ = 0.1 the
 * spline's integral over a horizon differs from the measurement, and clamping its undershoots at
 * zero changes it further (site totals were off by ±10 % and some layers negative). Here the
 * spline only supplies the **shape inside each horizon**: horizon i's measured amount a_i is split
 * over the standard layers it overlaps in proportion to ∫ max(f, 0) of the spline f over each
 * overlap (uniformly when the spline is ≤ 0 over the whole horizon, or when no spline is given):
 *
 *   A_j = Σ_i W_ij·a_i,   W_ij = ∫_{[d_j, d_j+1] ∩ [u_i, v_i]} f⁺ / ∫_{[u_i, v_i]} f⁺ ≥ 0.
 *
 * Hence every amount is ≥ 0, and Σ_j A_j + Σ_i outside_i·a_i = Σ_i a_i to round-off (the measured
 * stock is conserved), whatever λ. Nothing is extrapolated: a layer only partly covered by
 * horizons carries what was measured in it (its `coverage` < 1 says so); gaps between horizons
 * hold no measurement (`gapCm`) and are estimated only on request ({@link gapEstimates}, the
 * spline's linear gap pieces, clamped at 0), never mixed into the conserved amounts.
 */
export interface Harmonisation {
  readonly nHorizons: number;
  readonly nLayers: number;
  /** weights[i·nLayers + j]: share of horizon i's amount falling in layer j (≥ 0). */
  readonly weights: Float64Array;
  /** Share of horizon i's amount outside [depths[0], depths[last]] (above the first or below the last boundary). */
  readonly outside: Float64Array;
  /** cm of layer j covered by measured horizons, and that as a fraction of the layer. */
  readonly measuredCm: Float64Array;
  readonly coverage: Float64Array;
  /** cm of layer j lying in gaps between horizons (nothing measured there). */
  readonly gapCm: Float64Array;
  /** Horizons whose shape fell back to uniform (the spline is ≤ 0 over the whole horizon). */
  readonly uniformHorizons: number[];
}

/**
 * Weights for horizons [tops_i, bottoms_i) (clean: sorted, non-overlapping, positive thickness)
 * onto layers with boundaries `depthsCm`; `shape` is a spline fitted to the same horizons' amount
 * per cm (omit it for a uniform split inside each horizon).
 */
export function harmonisationWeights(tops: ArrayLike<number>, bottoms: ArrayLike<number>, depthsCm: ArrayLike<number>, shape?: EqualAreaSpline): Harmonisation {
  const nh = tops.length;
  const nl = depthsCm.length - 1;
  const weights = new Float64Array(nh * nl);
  const outside = new Float64Array(nh);
  const measuredCm = new Float64Array(nl);
  const gapCm = new Float64Array(nl);
  const coverage = new Float64Array(nl);
  const uniformHorizons: number[] = [];
  if (shape && shape.tops.length !== nh) throw new RangeError(`harmonisationWeights: shape has ${shape.tops.length} horizons, expected ${nh}`);
  const d0 = depthsCm[0];
  const dEnd = depthsCm[nl];
  for (let i = 0; i < nh; i++) {
    const u = tops[i];
    const v = bottoms[i];
    const h = v - u;
    // Shape of horizon i in local coordinate t = x − u: α + b0·t + γ·t² (one quadratic piece).
    let a0 = 1, a1 = 0, a2 = 0;
    let total = h;
    if (shape && nh > 1) {
      a0 = shape.alpha[i];
      a1 = shape.b0[i];
      a2 = shape.gamma[i];
      total = integrateClampedQuadratic(a0, a1, a2, 0, h, 0, Infinity);
      if (!(total > 0) || !Number.isFinite(total)) {
        a0 = 1;
        a1 = 0;
        a2 = 0;
        total = h;
        uniformHorizons.push(i);
      }
    }
    const part = (x0: number, x1: number): number => (x1 > x0 ? integrateClampedQuadratic(a0, a1, a2, x0 - u, x1 - u, 0, Infinity) / total : 0);
    let inside = 0;
    for (let j = 0; j < nl; j++) {
      const lo = Math.max(u, depthsCm[j]);
      const hi = Math.min(v, depthsCm[j + 1]);
      if (!(hi > lo)) continue;
      const w = part(lo, hi);
      weights[i * nl + j] = w;
      inside += w;
      measuredCm[j] += hi - lo;
    }
    // Outside share computed from the parts above and below, not as 1 − inside (keeps it exact when all is inside).
    outside[i] = part(u, Math.min(v, d0)) + part(Math.max(u, dEnd), v);
    if (i + 1 < nh) {
      const g0 = v;
      const g1 = tops[i + 1];
      for (let j = 0; j < nl; j++) {
        const lo = Math.max(g0, depthsCm[j]);
        const hi = Math.min(g1, depthsCm[j + 1]);
        if (hi > lo) gapCm[j] += hi - lo;
      }
    }
  }
  for (let j = 0; j < nl; j++) coverage[j] = measuredCm[j] / (depthsCm[j + 1] - depthsCm[j]);
  return { nHorizons: nh, nLayers: nl, weights, outside, measuredCm, coverage, gapCm, uniformHorizons };
}

/** out_j = Σ_i W_ij·a_i: the amounts of horizons `amounts` on the layers. Allocates nothing. */
export function harmoniseAmounts(h: Harmonisation, amounts: ArrayLike<number>, out: Float64Array): Float64Array {
  const { nHorizons: nh, nLayers: nl, weights } = h;
  out.fill(0, 0, nl);
  for (let i = 0; i < nh; i++) {
    const a = amounts[i];
    if (a === 0) continue;
    const row = i * nl;
    for (let j = 0; j < nl; j++) out[j] += weights[row + j] * a;
  }
  return out;
}

/** Σ_i outside_i·a_i: the part of the measured amounts that lies outside the layers. */
export function amountOutside(h: Harmonisation, amounts: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < h.nHorizons; i++) s += h.outside[i] * amounts[i];
  return s;
}

/**
 * |Σ_j A_j + outside − Σ_i a_i| / Σ_i |a_i|: how well the harmonised amounts conserve the
 * measurement (round-off, ~1e−16, by construction).
 */
export function conservationError(h: Harmonisation, amounts: ArrayLike<number>, harmonised: ArrayLike<number>): number {
  let measured = 0;
  let scale = 0;
  for (let i = 0; i < h.nHorizons; i++) {
    measured += amounts[i];
    scale += Math.abs(amounts[i]);
  }
  let got = amountOutside(h, amounts);
  for (let j = 0; j < h.nLayers; j++) got += harmonised[j];
  return scale > 0 ? Math.abs(got - measured) / scale : 0;
}

/**
 * Estimates for the gaps between horizons (no measurement there): ∫ max(f, 0) of the spline's
 * linear gap pieces over each layer, f fitted to amount per cm. Reported separately from the
 * conserved amounts (e.g. 003's gap-filled stock), never added to them silently.
 */
export function gapEstimates(shape: EqualAreaSpline, depthsCm: ArrayLike<number>, out: Float64Array): Float64Array {
  const nl = depthsCm.length - 1;
  for (let j = 0; j < nl; j++) out[j] = splineGapIntegral(shape, depthsCm[j], depthsCm[j + 1], 0);
  return out;
}
