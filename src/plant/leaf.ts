import { CM_PER_HPA } from '../core/units.js';
import type { LeafParams } from './plant-params.js';
import type { Weather } from './weather.js';

/**
 * Leaf gas exchange: C3 photosynthesis after Farquhar, von Caemmerer & Berry (1980) with
 * temperature responses of Bernacchi et al. (2001) and Leuning (2002), stomatal conductance after
 * Leuning (1995) reduced by leaf water potential as Tuzet et al. (2003), and transpiration through
 * stomata and boundary layer in series. Fluxes per unit (one-sided) leaf area.
 *
 * Simplifications (docs/PLANT.md): leaf temperature = air temperature (no energy balance);
 * CO₂ at the leaf surface = ambient (no boundary layer for CO₂); leaf vapour pressure = saturation
 * at leaf temperature (the Kelvin effect of ψ is < 1 % above −1 MPa); Leuning's Γ is taken as Γ*.
 */
const R_GAS = 8.314; // J mol⁻¹ K⁻¹
const T25_K = 298.15;
const KELVIN = 273.15;
/** Water: mol m⁻² s⁻¹ → cm³ cm⁻² d⁻¹ (18.015 g mol⁻¹, 1 g cm⁻³, 1e−4 m² cm⁻², 86 400 s d⁻¹). */
export const WATER_MOL_M2_S_TO_CM_PER_D = 18.015 * 1e-4 * 86400;
/** Carbon: µmol m⁻² s⁻¹ → mol cm⁻² d⁻¹. */
export const CARBON_UMOL_M2_S_TO_MOL_CM2_D = 1e-6 * 1e-4 * 86400;
/** Ratio of diffusivities of water vapour and CO₂ in air. */
const GS_WATER_TO_CO2 = 1.6;

/** Arrhenius factor exp[E_a/(R T25)·(1 − T25/T)]. */
function arrhenius(ea: number, tK: number): number {
  return Math.exp((ea / (R_GAS * T25_K)) * (1 - T25_K / tK));
}

/** Peaked Arrhenius (Leuning 2002 Eq 1), normalised to 1 at 25 °C. */
function peakedArrhenius(ha: number, hd: number, s: number, tK: number): number {
  return (arrhenius(ha, tK) * (1 + Math.exp((s * T25_K - hd) / (R_GAS * T25_K)))) / (1 + Math.exp((s * tK - hd) / (R_GAS * tK)));
}

/** Environment-dependent constants of one leaf for a time step (compute once, reuse in the inner iteration). */
export interface LeafConditions {
  /** Maximal carboxylation rate, electron transport rate, day respiration, µmol m⁻² s⁻¹. */
  vcmax: number;
  j: number;
  rd: number;
  /** K_c(1 + O/K_o) and Γ*, µmol mol⁻¹. */
  kco: number;
  gammaStar: number;
  /** CO₂ at the leaf surface, µmol mol⁻¹. */
  cs: number;
  /** 1/(1 + D/D₀). */
  vpdFactor: number;
  /** (e_leaf − e_air)/p_air, mol mol⁻¹. */
  vpdFraction: number;
}

/** FvCB and Leuning constants at the given weather (leaf temperature = air temperature), µmol-based units. */
export function leafConditions(p: LeafParams, w: Weather, out: LeafConditions = {} as LeafConditions): LeafConditions {
  const tK = w.t_C + KELVIN;
  out.vcmax = p.vcmax25_umol_m2_s * peakedArrhenius(p.haVcmax_J_per_mol, p.hdVcmax_J_per_mol, p.sVcmax_J_per_mol_K, tK);
  const jmax = p.jmaxToVcmax * p.vcmax25_umol_m2_s * peakedArrhenius(p.haJmax_J_per_mol, p.hdJmax_J_per_mol, p.sJmax_J_per_mol_K, tK);
  // Non-rectangular hyperbola θJ² − (αQ + J_max)J + αQ J_max = 0, smaller root (Farquhar & Wong 1984).
  const aq = p.quantumYield * w.par_umol_m2_s;
  const b = aq + jmax;
  out.j = aq > 0 ? (b - Math.sqrt(Math.max(b * b - 4 * p.curvature * aq * jmax, 0))) / (2 * p.curvature) : 0;
  out.rd = p.rdToVcmax * p.vcmax25_umol_m2_s * arrhenius(p.eaRd_J_per_mol, tK);
  const kc = p.kc25_umol_per_mol * arrhenius(p.eaKc_J_per_mol, tK);
  const ko = p.ko25_mmol_per_mol * arrhenius(p.eaKo_J_per_mol, tK);
  out.kco = kc * (1 + p.o2_mmol_per_mol / ko);
  out.gammaStar = p.gammaStar25_umol_per_mol * arrhenius(p.eaGammaStar_J_per_mol, tK);
  out.cs = w.co2_umol_per_mol;
  out.vpdFactor = 1 / (1 + w.vpd_kPa / p.d0_kPa);
  out.vpdFraction = (w.es_hPa * (1 - w.rh)) / w.pAir_hPa;
  return out;
}

/**
 * Stomatal water-stress factor f_w(ψ) = (1 + e^{s_f ψ_f})/(1 + e^{s_f (ψ_f − ψ)}) (Tuzet et al. 2003),
 * ψ = outer-xylem (guard cell) head in cm, converted to hPa for the parameters. f_w(0) = 1, f_w(ψ_f) ≈ ½.
 */
export function stomatalWaterFactor(psi_cm: number, p: LeafParams): number {
  const psi_hPa = psi_cm / CM_PER_HPA;
  const s = p.fwSlope_per_hPa;
  const num = 1 + Math.exp(s * p.fwPsiCrit_hPa);
  const x = s * (p.fwPsiCrit_hPa - psi_hPa);
  return x > 700 ? 0 : num / (1 + Math.exp(x));
}

export interface GasExchange {
  /** Net assimilation A_n = min(W_c, W_j) − R_d, µmol CO₂ m⁻² s⁻¹. */
  anet: number;
  /** Gross assimilation min(W_c, W_j) = A_n + R_d, µmol m⁻² s⁻¹. */
  agross: number;
  /** Stomatal conductance to water vapour, mol m⁻² s⁻¹. */
  gsw: number;
  /** Intercellular CO₂, µmol mol⁻¹. */
  ci: number;
  /** Transpiration, mol H₂O m⁻² s⁻¹. */
  transpiration: number;
}

/**
 * Coupled FvCB–Leuning solution for one limitation W = V(c_i − Γ*)/(c_i + K): with
 * A = V(c_i − Γ*)/(c_i + K) − R_d and A = g_c (c_s − c_i), g_c = (g₀ + a₁ f_w A f_D/(c_s − Γ*))/1.6,
 * the drawdown y = c_s − c_i solves a quadratic; the root that meets the supply first (the smaller
 * one) is taken. Returns A_n, µmol m⁻² s⁻¹.
 */
function coupledAssimilation(V: number, K: number, rd: number, gammaStar: number, cs: number, g0c: number, m: number): number {
  const P = cs - gammaStar;
  const Q = cs + K;
  const a0 = V * P - rd * Q; // A at c_i = c_s times (c_s + K)
  // With m > 0 and A ≤ 0 at c_i = c_s the Leuning term does not apply: signal A ≤ 0, the caller recomputes with m = 0.
  if (a0 <= 0 && m > 0) return (V * P) / Q - rd;
  const a2 = (V - rd) * m + g0c;
  const a1 = -(a0 * m + (V - rd) + g0c * Q);
  const disc = Math.max(a1 * a1 - 4 * a2 * a0, 0);
  const y = (2 * a0) / (-a1 + Math.sqrt(disc)); // smaller positive root, stable form
  return (V * (P - y)) / (Q - y) - rd;
}

/** Leaf gas exchange at stomatal water-stress factor f_w (see {@link stomatalWaterFactor}). */
export function gasExchange(fw: number, c: LeafConditions, p: LeafParams, out: GasExchange = {} as GasExchange): GasExchange {
  const g0c = p.g0_mol_m2_s / GS_WATER_TO_CO2;
  const denom = c.cs - c.gammaStar;
  let m = denom > 0 ? (p.a1 * fw * c.vpdFactor) / (GS_WATER_TO_CO2 * denom) : 0;
  let ac = coupledAssimilation(c.vcmax, c.kco, c.rd, c.gammaStar, c.cs, g0c, m);
  let aj = c.j > 0 ? coupledAssimilation(c.j / 4, 2 * c.gammaStar, c.rd, c.gammaStar, c.cs, g0c, m) : -c.rd;
  let an = Math.min(ac, aj);
  if (an < 0) {
    // Leuning's term would lower g_s below g₀: stomata at residual conductance, A from the demand curves at g₀.
    m = 0;
    ac = coupledAssimilation(c.vcmax, c.kco, c.rd, c.gammaStar, c.cs, g0c, m);
    aj = c.j > 0 ? coupledAssimilation(c.j / 4, 2 * c.gammaStar, c.rd, c.gammaStar, c.cs, g0c, m) : -c.rd;
    an = Math.min(ac, aj);
  }
  const gsw = p.g0_mol_m2_s + (an > 0 ? GS_WATER_TO_CO2 * m * an : 0);
  out.anet = an;
  out.agross = Math.max(an + c.rd, 0);
  out.gsw = gsw;
  out.ci = gsw > 0 ? c.cs - (GS_WATER_TO_CO2 * an) / gsw : c.cs;
  const gtot = 1 / (1 / gsw + 1 / p.gbw_mol_m2_s);
  out.transpiration = gtot * Math.max(c.vpdFraction, 0);
  return out;
}

/** FvCB net assimilation at a given c_i (for tests and checks), µmol m⁻² s⁻¹. */
export function fvcbAtCi(ci: number, c: LeafConditions): number {
  const wc = (c.vcmax * (ci - c.gammaStar)) / (ci + c.kco);
  const wj = ((c.j / 4) * (ci - c.gammaStar)) / (ci + 2 * c.gammaStar);
  return Math.min(wc, wj) - c.rd;
}
