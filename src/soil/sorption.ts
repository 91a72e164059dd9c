import { declareParams } from '../core/params.js';

/**
 * Equilibrium (instantaneous) sorption isotherms for a solute in soil. C is the dissolved
 * concentration, mol cm⁻³ water; S(C) the sorbed amount, mol g⁻¹ dry soil; ρ_b the dry bulk
 * density, g cm⁻³. The conserved quantity of transport is the total amount per soil volume
 *   T(θ, C) = θ·C + ρ_b·S(C),  mol cm⁻³ soil,
 * so that ∂T/∂t + ∇·(qC) − ∇·(D∇C) = source keeps mass to round-off when T is the state
 * (retardation R(C) = 1 + ρ_b S'(C)/θ enters through the storage term only).
 *
 * - linear (Henry):  S = K_d·C                         (K_d, cm³ g⁻¹)
 * - Freundlich:      S = K_f·C^{n_F}                   (K_f, mol^{1−n_F} cm^{3 n_F} g⁻¹; n_F > 0, –)
 * - Langmuir:        S = S_max·K_L·C / (1 + K_L·C)     (S_max, mol g⁻¹; K_L, cm³ mol⁻¹)
 *
 * (e.g. van Genuchten & Wierenga 1986; Šimůnek & van Genuchten, HYDRUS technical manual, Eq. 3.3
 * with β = n_F, η = 0 for Freundlich and β = 1 for Langmuir.)
 */
export type SorptionIsotherm =
  | { readonly kind: 'none' }
  | { readonly kind: 'linear'; readonly bulkDensity_g_per_cm3: number; readonly Kd_cm3_per_g: number }
  | { readonly kind: 'freundlich'; readonly bulkDensity_g_per_cm3: number; readonly Kf: number; readonly nF: number }
  | { readonly kind: 'langmuir'; readonly bulkDensity_g_per_cm3: number; readonly Smax_mol_per_g: number; readonly KL_cm3_per_mol: number };

export const SORPTION_PARAMS = declareParams('soil.sorption', [
  { name: 'bulkDensity_g_per_cm3', symbol: 'ρ_b', unit: 'g cm-3', min: 0.1, max: 2.65, source: 'soil property (e.g. 004 Table A2: 1.4 loam)', description: 'dry bulk density that converts sorbed mol g⁻¹ to mol cm⁻³ soil' },
  { name: 'Kd_cm3_per_g', symbol: 'K_d', unit: 'cm3 g-1', min: 0, max: 1e5, source: 'linear isotherm S = K_d C (HYDRUS manual Eq 3.3, β = 1, η = 0)', description: 'distribution coefficient' },
  { name: 'Kf', symbol: 'K_f', unit: 'mol^(1-nF) cm^(3 nF) g-1', min: 0, max: 1e5, source: 'Freundlich isotherm S = K_f C^n_F (HYDRUS manual Eq 3.3, η = 0)', description: 'Freundlich coefficient (unit depends on n_F; C in mol cm-3 water)' },
  { name: 'nF', symbol: 'n_F', unit: '1', min: 0.05, max: 5, source: 'Freundlich isotherm; typical 0.3–1 for soils', description: 'Freundlich exponent (n_F < 1: favourable, S′(0) = ∞)' },
  { name: 'Smax_mol_per_g', symbol: 'S_max', unit: 'mol g-1', min: 0, max: 1, source: 'Langmuir isotherm S = S_max K_L C/(1 + K_L C) (HYDRUS manual Eq 3.3, β = 1)', description: 'sorption capacity' },
  { name: 'KL_cm3_per_mol', symbol: 'K_L', unit: 'cm3 mol-1', min: 0, max: 1e12, source: 'Langmuir isotherm', description: 'Langmuir affinity (1/K_L: C at half capacity)' },
] as const);

/** Sorbed amount S(C), mol g⁻¹ soil; C ≤ 0 sorbs nothing. */
export function sorbed(iso: SorptionIsotherm, c_mol_per_cm3: number): number {
  if (c_mol_per_cm3 <= 0) return iso.kind === 'linear' ? iso.Kd_cm3_per_g * c_mol_per_cm3 : 0;
  switch (iso.kind) {
    case 'none':
      return 0;
    case 'linear':
      return iso.Kd_cm3_per_g * c_mol_per_cm3;
    case 'freundlich':
      return iso.Kf * Math.pow(c_mol_per_cm3, iso.nF);
    case 'langmuir':
      return (iso.Smax_mol_per_g * iso.KL_cm3_per_mol * c_mol_per_cm3) / (1 + iso.KL_cm3_per_mol * c_mol_per_cm3);
  }
}

/** dS/dC, cm³ water g⁻¹ soil (Freundlich with n_F < 1: +∞ at C = 0). */
export function sorbedDerivative(iso: SorptionIsotherm, c_mol_per_cm3: number): number {
  switch (iso.kind) {
    case 'none':
      return 0;
    case 'linear':
      return iso.Kd_cm3_per_g;
    case 'freundlich':
      if (c_mol_per_cm3 <= 0) return iso.nF < 1 ? Number.POSITIVE_INFINITY : iso.nF === 1 ? iso.Kf : 0;
      return iso.Kf * iso.nF * Math.pow(c_mol_per_cm3, iso.nF - 1);
    case 'langmuir': {
      const d = 1 + iso.KL_cm3_per_mol * Math.max(c_mol_per_cm3, 0);
      return (iso.Smax_mol_per_g * iso.KL_cm3_per_mol) / (d * d);
    }
  }
}

function rho(iso: SorptionIsotherm): number {
  return iso.kind === 'none' ? 0 : iso.bulkDensity_g_per_cm3;
}

/** Total amount T = θC + ρ_b S(C), mol cm⁻³ soil. */
export function totalFromDissolved(iso: SorptionIsotherm, theta: number, c_mol_per_cm3: number): number {
  return theta * c_mol_per_cm3 + rho(iso) * sorbed(iso, c_mol_per_cm3);
}

/** ∂T/∂C = θ + ρ_b S′(C), cm³ water cm⁻³ soil (= θ·R, R the retardation factor). */
export function totalDerivative(iso: SorptionIsotherm, theta: number, c_mol_per_cm3: number): number {
  return theta + rho(iso) * sorbedDerivative(iso, c_mol_per_cm3);
}

/** Retardation factor R = 1 + ρ_b S′(C)/θ (constant 1 + ρ_b K_d/θ for the linear isotherm). */
export function retardationFactor(iso: SorptionIsotherm, theta: number, c_mol_per_cm3: number): number {
  return totalDerivative(iso, theta, c_mol_per_cm3) / theta;
}

/**
 * Dissolved C from the total T ≥ 0 at water content θ > 0: closed form for none/linear
 * (C = T/(θ + ρ_b K_d)), otherwise safeguarded Newton on f(C) = θC + ρ_b S(C) − T, which is
 * strictly increasing with f(0) = −T ≤ 0 and f(T/θ) ≥ 0: Newton steps that leave the bracket
 * [lo, hi] (kept up to date from the sign of f) are replaced by bisection. Converges to
 * |ΔC| ≤ 4·ε·C (ε machine epsilon) within at most ~100 iterations; negative T (round-off in a
 * drying cell) is returned as the linear-in-water value T/θ.
 */
export function dissolvedFromTotal(iso: SorptionIsotherm, theta: number, total_mol_per_cm3: number): number {
  if (iso.kind === 'none') return total_mol_per_cm3 / theta;
  if (iso.kind === 'linear') return total_mol_per_cm3 / (theta + iso.bulkDensity_g_per_cm3 * iso.Kd_cm3_per_g);
  if (!(total_mol_per_cm3 > 0)) return total_mol_per_cm3 / theta;
  let lo = 0;
  let hi = total_mol_per_cm3 / theta;
  // Initial guess: for Langmuir the linear (small-C) value T/(θ + ρ S_max K_L) ≤ C; else mid-bracket.
  let c = iso.kind === 'langmuir' ? total_mol_per_cm3 / (theta + iso.bulkDensity_g_per_cm3 * iso.Smax_mol_per_g * iso.KL_cm3_per_mol) : 0.5 * hi;
  for (let it = 0; it < 200; it++) {
    const f = totalFromDissolved(iso, theta, c) - total_mol_per_cm3;
    if (f === 0) return c;
    if (f > 0) hi = c;
    else lo = c;
    const df = totalDerivative(iso, theta, c);
    let next = c - f / df;
    if (!(next > lo && next < hi)) next = 0.5 * (lo + hi);
    if (Math.abs(next - c) <= 4 * Number.EPSILON * Math.abs(next) || hi - lo <= 4 * Number.EPSILON * hi) return next;
    c = next;
  }
  return c;
}

/** Problems with an isotherm's parameters (empty when valid), as field → expectation strings. */
export function sorptionIssues(iso: SorptionIsotherm): { field: string; value: unknown; expected: string }[] {
  const out: { field: string; value: unknown; expected: string }[] = [];
  if (iso.kind === 'none') return out;
  const check = (field: string, value: number, ok: boolean, expected: string): void => {
    if (!ok) out.push({ field, value, expected });
  };
  check('bulkDensity_g_per_cm3', iso.bulkDensity_g_per_cm3, iso.bulkDensity_g_per_cm3 > 0 && Number.isFinite(iso.bulkDensity_g_per_cm3), 'a bulk density > 0, g cm⁻³');
  if (iso.kind === 'linear') check('Kd_cm3_per_g', iso.Kd_cm3_per_g, iso.Kd_cm3_per_g >= 0 && Number.isFinite(iso.Kd_cm3_per_g), 'K_d ≥ 0, cm³ g⁻¹');
  if (iso.kind === 'freundlich') {
    check('Kf', iso.Kf, iso.Kf >= 0 && Number.isFinite(iso.Kf), 'K_f ≥ 0');
    check('nF', iso.nF, iso.nF > 0 && Number.isFinite(iso.nF), 'a Freundlich exponent n_F > 0');
  }
  if (iso.kind === 'langmuir') {
    check('Smax_mol_per_g', iso.Smax_mol_per_g, iso.Smax_mol_per_g >= 0 && Number.isFinite(iso.Smax_mol_per_g), 'S_max ≥ 0, mol g⁻¹');
    check('KL_cm3_per_mol', iso.KL_cm3_per_mol, iso.KL_cm3_per_mol >= 0 && Number.isFinite(iso.KL_cm3_per_mol), 'K_L ≥ 0, cm³ mol⁻¹');
  }
  return out;
}
