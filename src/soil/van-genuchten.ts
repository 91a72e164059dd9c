import { declareParams } from '../core/params.js';

/**
 * Van Genuchten–Mualem soil hydraulic parameters (van Genuchten 1980; Mualem 1976; 004 Eqs 7–11
 * with residual water content, RHIZOSPHERE.md). Heads are in cm of water (negative when
 * unsaturated), conductivities in cm d⁻¹.
 */
export interface VanGenuchtenMualem {
  /** θ_r, residual volumetric water content, cm³ cm⁻³. */
  readonly thetaR: number;
  /** θ_s, saturated volumetric water content (= porosity φ in 004), cm³ cm⁻³. */
  readonly thetaS: number;
  /** α, inverse air-entry head, cm⁻¹. */
  readonly alpha_per_cm: number;
  /** n, pore-size distribution shape (> 1); m = 1 − 1/n. */
  readonly n: number;
  /** K_s, saturated hydraulic conductivity, cm d⁻¹. */
  readonly Ks_cm_per_d: number;
  /** l, Mualem tortuosity/connectivity exponent (0.5 unless given). */
  readonly l: number;
}

export const VAN_GENUCHTEN_PARAMS = declareParams('soil.vanGenuchten', [
  { name: 'thetaR', symbol: 'θ_r', unit: 'cm3 water cm-3 soil', min: 0, max: 0.5, source: '004 Eqs 7–8; van Genuchten (1980)', description: 'residual water content' },
  { name: 'thetaS', symbol: 'θ_s', unit: 'cm3 water cm-3 soil', min: 0.05, max: 0.9, source: '004 Eqs 7–8; van Genuchten (1980)', description: 'saturated water content (porosity φ)' },
  { name: 'alpha_per_cm', symbol: 'α', unit: 'cm-1', min: 1e-5, max: 10, source: '004 Eq 8', description: 'inverse air-entry head' },
  { name: 'n', symbol: 'n', unit: '1', min: 1.0001, max: 10, source: '004 Eq 8', description: 'shape parameter, m = 1 − 1/n' },
  { name: 'Ks_cm_per_d', symbol: 'K_s', unit: 'cm d-1', min: 1e-6, max: 1e5, source: '004 Eq 10', description: 'saturated hydraulic conductivity' },
  { name: 'l', symbol: 'l_soil', unit: '1', default: 0.5, min: -10, max: 10, source: 'Mualem (1976); 004 Eq 11', description: 'pore connectivity (tortuosity) exponent' },
] as const);

/** Named soils. `loam` is the benchmark loam of Schnepf et al. (2020), used by 004's published runs. */
export const SOILS = {
  /** Schnepf et al. (2020) M2.1/C1.1 benchmark sand. */
  sand: { thetaR: 0.045, thetaS: 0.43, alpha_per_cm: 0.15, n: 3, Ks_cm_per_d: 1000, l: 0.5 },
  /** Schnepf et al. (2020) benchmark loam; also the soil of 004's runs (RHIZOSPHERE.md). */
  loam: { thetaR: 0.08, thetaS: 0.43, alpha_per_cm: 0.04, n: 1.6, Ks_cm_per_d: 50, l: 0.5 },
  /** Schnepf et al. (2020) benchmark clay. */
  clay: { thetaR: 0.1, thetaS: 0.4, alpha_per_cm: 0.01, n: 1.1, Ks_cm_per_d: 10, l: 0.5 },
  /** The loam of the dumux-rosi COMSOL radial reference runs (θ_r = 0.045; benchmarks PROVENANCE). */
  comsolLoam: { thetaR: 0.045, thetaS: 0.43, alpha_per_cm: 0.04, n: 1.6, Ks_cm_per_d: 50, l: 0.5 },
} as const satisfies Record<string, VanGenuchtenMualem>;

export type SoilName = keyof typeof SOILS;

/**
 * Check parameters against their declarations in {@link VAN_GENUCHTEN_PARAMS} (the one place the
 * ranges live; scenario schemas read the same declarations) and θ_s > θ_r; returns a list of
 * problems (empty when valid).
 */
export function validateVanGenuchten(p: VanGenuchtenMualem): string[] {
  const errs: string[] = [];
  for (const spec of VAN_GENUCHTEN_PARAMS) {
    const v = p[spec.name];
    if (typeof v !== 'number' || !(v >= spec.min && v <= spec.max)) errs.push(`${spec.name}: got ${v}, expected a number in [${spec.min}, ${spec.max}]${spec.unit === '1' ? '' : ` ${spec.unit}`}`);
  }
  if (!(p.thetaS > p.thetaR)) errs.push(`thetaS: got ${p.thetaS}, expected > thetaR (${p.thetaR})`);
  return errs;
}

/** Effective saturation S_e(h) ∈ (0, 1], 004 Eq 8 (S_e = 1 for h ≥ 0). */
export function effectiveSaturation(h_cm: number, p: VanGenuchtenMualem): number {
  if (h_cm >= 0) return 1;
  const m = 1 - 1 / p.n;
  return Math.pow(1 + Math.pow(p.alpha_per_cm * -h_cm, p.n), -m);
}

/** Volumetric water content θ(h), cm³ cm⁻³: θ_r + (θ_s − θ_r)·S_e (004 Eq 7 with θ_r). */
export function waterContent(h_cm: number, p: VanGenuchtenMualem): number {
  return p.thetaR + (p.thetaS - p.thetaR) * effectiveSaturation(h_cm, p);
}

/** Mualem conductivity from S_e, cm d⁻¹: K_s·S_e^l·[1 − (1 − S_e^{1/m})^m]² (004 Eqs 10–11). */
export function conductivityFromSaturation(Se: number, p: VanGenuchtenMualem): number {
  if (Se >= 1) return p.Ks_cm_per_d;
  if (Se <= 0) return 0;
  const m = 1 - 1 / p.n;
  const inner = 1 - Math.pow(1 - Math.pow(Se, 1 / m), m);
  return p.Ks_cm_per_d * Math.pow(Se, p.l) * inner * inner;
}

/** Unsaturated hydraulic conductivity K(h), cm d⁻¹ (004 Eqs 10–11). */
export function hydraulicConductivity(h_cm: number, p: VanGenuchtenMualem): number {
  return conductivityFromSaturation(effectiveSaturation(h_cm, p), p);
}

/** Specific moisture capacity C(h) = dθ/dh, cm⁻¹ (0 for h ≥ 0). */
export function moistureCapacity(h_cm: number, p: VanGenuchtenMualem): number {
  if (h_cm >= 0) return 0;
  const m = 1 - 1 / p.n;
  const ah = p.alpha_per_cm * -h_cm;
  const ahn = Math.pow(ah, p.n);
  // dSe/d|h| = −α n m (α|h|)^{n−1} (1 + (α|h|)^n)^{−m−1}; dθ/dh = −(θs−θr) dSe/d|h|.
  return (p.thetaS - p.thetaR) * p.alpha_per_cm * p.n * m * (ahn / ah) * Math.pow(1 + ahn, -m - 1);
}

/** Pressure head from effective saturation, cm (inverse of Eq 8); 0 for S_e ≥ 1, −∞ for S_e ≤ 0. */
export function headFromSaturation(Se: number, p: VanGenuchtenMualem): number {
  if (Se >= 1) return 0;
  if (Se <= 0) return Number.NEGATIVE_INFINITY;
  const m = 1 - 1 / p.n;
  return -Math.pow(Math.pow(Se, -1 / m) - 1, 1 / p.n) / p.alpha_per_cm;
}

/** Pressure head h(θ), cm, for θ_r < θ ≤ θ_s (0 at or above θ_s, −∞ at or below θ_r). */
export function headFromWaterContent(theta: number, p: VanGenuchtenMualem): number {
  return headFromSaturation((theta - p.thetaR) / (p.thetaS - p.thetaR), p);
}

/** dK/dh, cm d⁻¹ per cm (central difference in log|h|; for Jacobians where accuracy of ~1e−7 suffices). */
export function conductivityDerivative(h_cm: number, p: VanGenuchtenMualem): number {
  if (h_cm >= 0) return 0;
  const d = Math.max(1e-7 * -h_cm, 1e-10);
  return (hydraulicConductivity(h_cm + d, p) - hydraulicConductivity(h_cm - d, p)) / (2 * d);
}
