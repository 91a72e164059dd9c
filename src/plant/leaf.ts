import { CM_PER_HPA } from '../core/units.js';
import type { PhotosynthesisLaw } from './departures.js';
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
  /** code004 only: compensation point with R_d (the code's `deltagco2`), µmol mol⁻¹. */
  gammaRd: number;
  /** code004 only: boundary-layer + canopy + air resistance to water vapour, m² s mol⁻¹. */
  rOuter_m2_s_per_mol: number;
  /** code004 only: saturation and air vapour pressure, air pressure, hPa. */
  es_hPa: number;
  ea_hPa: number;
  pAir_hPa: number;
  /** code004 only: ln(relative humidity in the leaf) per cm of guard-cell head, cm⁻¹ (Kelvin). */
  kelvin_per_cm: number;
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
  /** Carbon passed to the phloem, µmol m⁻² s⁻¹: gross (A_n + R_d) under `leuning`, net A_n (negative at night) under `code004`. */
  source: number;
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
  out.source = out.agross;
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

// ---------------------------------------------------------------------------------------------------------------
// 004's leaf (plant.laws.photosynthesis `code004`): CPlantBox src/functional/Photosynthesis.cpp of 004's code
// (m-giraud/Giraud2025_CarbonStabilisation @ e54495a), C3 branch, ported line by line; the values are the `*004*`
// parameters of plant.leaf. Per unit one-sided leaf area like `leuning` (the faces are `gasExchangeFaces`).

/** The code's gas constant R_ph·0.1 (Photosynthesis.h l.192: 83.143 hPa cm³ K⁻¹ mmol⁻¹), J mol⁻¹ K⁻¹. */
const R_004 = 8.3143;
/** Water: the code's M_h2o/ρ (18 mg mmol⁻¹ / 1000 mg cm⁻³, Photosynthesis.h l.191–193) against ours (18.015). */
const WATER_004_TO_OURS = 18 / 18.015;
/** von Kármán constant of the code's aerodynamic resistance (weatherFunctions.py l.58). */
const KARMAN_004 = 0.41;

/**
 * Environment constants of 004's leaf for a step (Photosynthesis.cpp `initVcVjRd`, `photoC3_init`; leaf T = air T,
 * l.63) and the code's outer resistances (weatherFunctions.py `weather()` l.49–62, PhloemPhotosynthesis.py
 * `computeAtmosphereData`/`resistance2conductance`) for a plant of height `canopyHeight_m` (the code: highest node
 * z / 100, cyl3plant.py l.107).
 */
export function leafConditions004(p: LeafParams, w: Weather, canopyHeight_m: number, out: LeafConditions = {} as LeafConditions): LeafConditions {
  const tK = w.t_C + KELVIN;
  const tRef = p.tRef004_K;
  const arr = (ea: number) => Math.exp((ea / (R_004 * tRef)) * (1 - tRef / tK)); // l.609–612
  const breakdown = (ed: number) => 1 / (1 + Math.exp((p.sBreakdown004_J_per_mol_K * tK - ed) / (R_004 * tK))); // l.603–607
  const ko = p.koRef004_mmol_per_mol * arr(p.eaKo004_J_per_mol); // l.571
  const kc = p.kcRef004_umol_per_mol * arr(p.eaKc004_J_per_mol); // l.572
  const delta = p.gammaStarRef004_umol_per_mol * arr(p.eaGammaStar004_J_per_mol); // l.573
  const vcref = p.vcmaxRef004_umol_m2_s;
  const rd = p.rdToVcmax * vcref * arr(p.eaRd004_J_per_mol); // l.631, 635
  const vcmax = vcref * arr(p.eaVcmax004_J_per_mol) * breakdown(p.edBreakdown004_J_per_mol); // l.634
  const jref = vcref * p.jmaxToVcmax; // l.640
  const jmax = Math.min(jref * arr(p.eaJmax004_J_per_mol) * breakdown(p.edBreakdown004_J_per_mol), jref); // l.642 (Edv for J too)
  const aq = p.quantumYield * w.par_umol_m2_s;
  const b = -(aq + jmax); // l.645–652, smaller root
  const dis = b * b - 4 * p.curvature * aq * jmax;
  out.j = Math.max((-b - Math.sqrt(Math.max(dis, 0))) / (2 * p.curvature), 0);
  out.vcmax = vcmax;
  out.rd = rd;
  out.kco = kc * (1 + p.o2_mmol_per_mol / ko);
  out.gammaStar = delta;
  out.gammaRd = Math.max(0, (delta + (kc * rd * (1 + p.o2_mmol_per_mol / ko)) / vcmax) / (1 - rd / vcmax)); // l.585
  out.cs = w.co2_umol_per_mol;
  out.vpdFactor = 1;
  const ea = w.es_hPa * w.rh; // the code's ea = es·RH (weatherFunctions.py l.45; getPsiAir and back, Photosynthesis.cpp l.711)
  out.es_hPa = w.es_hPa;
  out.ea_hPa = ea;
  out.pAir_hPa = w.pAir_hPa;
  out.vpdFraction = (w.es_hPa - ea) / w.pAir_hPa;
  // Resistances, s m⁻¹ (weatherFunctions.py l.49–62), then × R T/P_atm (PhloemPhotosynthesis.py resistance2conductance).
  const h = canopyHeight_m;
  const rCanopy = ((2 / 3) * h) / 2 / p.canopyDiffusivity004_m2_s;
  const zd = p.windHeight004_m - (2 / 3) * h;
  const rAir = h > 0 ? (Math.log(zd / (0.123 * h)) * Math.log(zd / (0.1 * h))) / (KARMAN_004 * KARMAN_004 * p.windSpeed004_m_s) : 1;
  out.rOuter_m2_s_per_mol = (p.boundaryResistance004_s_per_m + rCanopy + rAir) * ((83.143 * (w.t_C + 273.15)) / w.pAir_hPa) * 1e-3;
  out.kelvin_per_cm = (18 * 0.9806806) / (1000 * 83.143 * tK); // l.749
  return out;
}

/**
 * 004's leaf at stomatal factor f_w (Photosynthesis.cpp `loopCalcs` l.766–789 and `photoC3_loop` l.664–671).
 * `guardHead_cm` is the code's pg + (z₁ + z₂)/2 of l.749 (guard-cell head plus the segment's mean height), which
 * lowers the leaf's vapour pressure (Kelvin); 0 = saturated. Transpiration below 0 (leaf drier than the air) is
 * clipped to 0 (the code stops with an error there, PhloemPhotosynthesis.py l.224).
 */
export function gasExchange004(fw: number, c: LeafConditions, p: LeafParams, out: GasExchange = {} as GasExchange, guardHead_cm = 0): GasExchange {
  const a1 = p.a1Tuzet004;
  const dg = c.gammaRd;
  const ci = Math.max((c.cs * a1 * fw + dg) / (1 + a1 * fw), dg); // l.766
  const vc = Math.max(Math.min(Math.max((c.vcmax * (ci - c.gammaStar)) / (ci + c.kco), 0), c.vcmax), 0); // l.664–666
  const vj = Math.max(((c.j / 4) * (ci - c.gammaStar)) / (ci + 2 * c.gammaStar), 0); // l.668
  const an = Math.min(vc, vj) - c.rd; // l.671
  // l.777: g_co2 = max(g₀ + f_w a₁ (A_n + R_d)/(c_i − Γ), 0); f_w a₁/(c_i − Γ) = (1 + a₁ f_w)/(c_s − Γ) on the unclipped branch (its f_w → 0 limit).
  const d = ci - dg;
  const slope = d > 0 ? (fw * a1) / d : c.cs > dg ? (1 + a1 * fw) / (c.cs - dg) : 0;
  const gco2 = Math.max(p.g0co2004_mol_m2_s + slope * (an + c.rd), 0); // (µmol m⁻² s⁻¹)/(µmol mol⁻¹) = mol m⁻² s⁻¹
  const gmf = p.gm004_mol_m2_s * fw;
  const gtot = gco2 > 0 && gmf > 0 ? 1 / (1 / (gco2 * GS_WATER_TO_CO2) + 1 / gmf + c.rOuter_m2_s_per_mol) : 0; // l.781–787
  const eLeaf = c.es_hPa * Math.exp(c.kelvin_per_cm * guardHead_cm); // l.749–751
  out.anet = an;
  out.agross = an + c.rd;
  out.source = an; // l.471: net A_n (`//+ this->Rd` commented out)
  out.gsw = GS_WATER_TO_CO2 * gco2;
  out.ci = ci;
  out.transpiration = (gtot * Math.max(eLeaf - c.ea_hPa, 0) * WATER_004_TO_OURS) / c.pAir_hPa; // l.788, in mol m⁻² s⁻¹ of {@link WATER_MOL_M2_S_TO_CM_PER_D}
  return out;
}

/**
 * The leaf law's environment constants for a step (the one dispatch point with {@link leafGasExchange};
 * plant.laws.photosynthesis, src/plant/departures.ts). `canopyHeight_m` is used by `code004` only.
 */
export function leafConditionsFor(law: PhotosynthesisLaw, p: LeafParams, w: Weather, out: LeafConditions, canopyHeight_m = 0): LeafConditions {
  return law === 'code004' ? leafConditions004(p, w, canopyHeight_m, out) : leafConditions(p, w, out);
}

/** Leaf gas exchange of the law at f_w; `guardHead_cm` (guard-cell head + height, cm) is used by `code004` only (Kelvin). */
export function leafGasExchange(law: PhotosynthesisLaw, fw: number, c: LeafConditions, p: LeafParams, out: GasExchange, guardHead_cm = 0): GasExchange {
  return law === 'code004' ? gasExchange004(fw, c, p, out, guardHead_cm) : gasExchange(fw, c, p, out);
}
