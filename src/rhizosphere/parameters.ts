import { declareParams } from '../core/params.js';
import { CM_PER_HPA, MOLAR_MASS_C_G_PER_MOL } from '../core/units.js';

/**
 * Biokinetic parameters of one TraiRhizo set (004 Table A2, App. D), in model units: day, cm,
 * mol C. Dissolved concentrations are per cm³ water, pools per cm³ soil ("scv").
 */
export interface BiokineticParams {
  /** β_C, β_O: reduction of maintenance in the dormant state, –. */
  readonly betaC: number;
  readonly betaO: number;
  /** C_thres,C / C_thres,O: C_L^l threshold of the (de)activation switch (Eqs D27–D28), mol C cm⁻³ water. */
  readonly CthresC_molC_per_cm3_water: number;
  readonly CthresO_molC_per_cm3_water: number;
  /** D_L,w: diffusion coefficient of dissolved low-molecular-weight C in water, cm² d⁻¹. */
  readonly DLw_cm2_per_d: number;
  /** D_H,w: diffusion coefficient of high-molecular-weight C (mucilage) in water, cm² d⁻¹. */
  readonly DHw_cm2_per_d: number;
  /**
   * k_C,L / k_O,L: substrate affinities (Table A2's k_C,S, k_O,S), multiplied by C_L^l per water
   * volume so that C_L^l·k is a rate: cm³ water mol C⁻¹ d⁻¹. The values already contain the
   * calibration's division by a fixed θ ≈ 0.29 (RHIZOSPHERE.md).
   */
  readonly kC_cm3_per_molC_d: number;
  readonly kO_cm3_per_molC_d: number;
  /** k_d,Z: deactivation rate coefficients, d⁻¹ (Eqs D23–D24). */
  readonly kdC_per_d: number;
  readonly kdO_per_d: number;
  /** k_r,Z: reactivation rate coefficients, d⁻¹ (Eqs D25–D26). */
  readonly krC_per_d: number;
  readonly krO_per_d: number;
  /** K_L: half-saturation of enzymes targeting C_H, compared with C_H^l, mol C cm⁻³ water (Eq D31). */
  readonly KL_molC_per_cm3_water: number;
  /** k_max,Z: maximum maintenance rate coefficients, d⁻¹ (Eqs D12–D22). */
  readonly kmaxC_per_d: number;
  readonly kmaxO_per_d: number;
  /** μ_max,Z: maximum growth rate coefficients, d⁻¹ (Eqs D8–D9). */
  readonly muMaxC_per_d: number;
  readonly muMaxO_per_d: number;
  /** v_max,depoly: maximum depolymerisation rate, d⁻¹ (Eq D31). */
  readonly vMaxDepoly_per_d: number;
  /** p_L (Table A2 ρ_L): fraction of decayed microbial C returned as C_H, – (Eqs D1–D2). */
  readonly pL: number;
  /** Y_M (Table A2 "Y"): maintenance yield, – (Eqs D3–D6, D32). */
  readonly YM: number;
  /** Y_C, Y_O: growth yields on C_L^l, – (Eqs D7, D32). */
  readonly YC: number;
  readonly YO: number;
  /** Initial C_L^l and C_H^l of the set, mol C cm⁻³ water (Table A2). */
  readonly CLinit_molC_per_cm3_water: number;
  readonly CHinit_molC_per_cm3_water: number;
}

/**
 * Parameters common to all sets (004 Sec. 2.2.5, Table A2, App. D; published code where the paper
 * is silent — RHIZOSPHERE.md). Water potentials are heads in cm (converted once from hPa here).
 */
export interface RhizosphereConstants {
  /** a: sharpness of the activity switch φ (Eqs D27–D28), –. */
  readonly switchSharpness: number;
  /** C_lim: minimal active pool below which only growth acts (Eqs D16–D17), mol C cm⁻³ soil. */
  readonly Clim_molC_per_cm3_soil: number;
  /** ψ_A2D: deactivation threshold suction (Eq D29), cm (positive magnitude). */
  readonly psiA2D_cm: number;
  /** τ = ψ_D2A/ψ_A2D (Eq D30), –. */
  readonly tau: number;
  /** ω_DA: exponent of Eqs D29–D30, –. */
  readonly omegaDA: number;
  /** ψ_opt: head above which water does not limit activity (Eq D10), cm (negative). */
  readonly psiOpt_cm: number;
  /** ψ_th: head below which activity stops (Eq D10), cm (negative). */
  readonly psiTh_cm: number;
  /** α of Eq D10 (Moyano et al. 2013), –. */
  readonly alphaMoyano: number;
  /** k_ads: adsorption rate, cm³ water mol C⁻¹ d⁻¹ (Eq 24, Sec. 2.2.5). */
  readonly kAds_cm3_per_molC_d: number;
  /** k_des: desorption rate, d⁻¹ (Eq 24, Sec. 2.2.5). */
  readonly kDes_per_d: number;
  /** C_L,max^s: sorption capacity, mol C cm⁻³ soil (Eq 25). */
  readonly CsMax_molC_per_cm3_soil: number;
  /** Initial microbial pools, mol C cm⁻³ soil (published code; not in the paper). */
  readonly COaInit_molC_per_cm3_soil: number;
  readonly COdInit_molC_per_cm3_soil: number;
  readonly CCaInit_molC_per_cm3_soil: number;
  readonly CCdInit_molC_per_cm3_soil: number;
}

/** Sorption capacity C_L,max^s = ρ_b·k_csm·k_clay+silt / M_C (004 Eq 25), mol C cm⁻³ soil. */
export function sorptionCapacity(bulkDensity_g_per_cm3: number, kcsm: number, kClaySilt: number): number {
  return (bulkDensity_g_per_cm3 * kcsm * kClaySilt) / MOLAR_MASS_C_G_PER_MOL;
}

const SET = '004 Table A2 / Sircan et al. (2025), per parameter set';

/** Declared per-set parameters (the sets give the values; ranges bound what a user may supply). */
export const BIOKINETIC_PARAMS = declareParams('rhizosphere.biokinetics', [
  { name: 'betaC', symbol: 'β_C', unit: '1', min: 0, max: 1, source: SET, description: 'dormant-state reduction of copiotroph maintenance' },
  { name: 'betaO', symbol: 'β_O', unit: '1', min: 0, max: 1, source: SET, description: 'dormant-state reduction of oligotroph maintenance' },
  { name: 'CthresC_molC_per_cm3_water', symbol: 'C_thres,C', unit: 'mol C cm-3 water', min: 0, max: 1e-2, source: SET, description: 'C_L^l threshold of copiotroph (de)activation' },
  { name: 'CthresO_molC_per_cm3_water', symbol: 'C_thres,O', unit: 'mol C cm-3 water', min: 0, max: 1e-2, source: SET, description: 'C_L^l threshold of oligotroph (de)activation' },
  { name: 'DLw_cm2_per_d', symbol: 'D_L,w', unit: 'cm2 d-1', min: 0, max: 10, source: SET, description: 'diffusion coefficient of C_L in water' },
  { name: 'DHw_cm2_per_d', symbol: 'D_H,w', unit: 'cm2 d-1', default: 3.456e-3, min: 0, max: 10, source: '004 Table A2', description: 'diffusion coefficient of C_H (mucilage) in water' },
  { name: 'kC_cm3_per_molC_d', symbol: 'k_C,L (Table A2 k_C,S)', unit: 'cm3 water molC-1 d-1', min: 0, max: 1e10, source: SET, description: 'copiotroph affinity to C_L^l' },
  { name: 'kO_cm3_per_molC_d', symbol: 'k_O,L (Table A2 k_O,S)', unit: 'cm3 water molC-1 d-1', min: 0, max: 1e10, source: SET, description: 'oligotroph affinity to C_L^l' },
  { name: 'kdC_per_d', symbol: 'k_d,C', unit: 'd-1', min: 0, max: 1e3, source: SET, description: 'copiotroph deactivation rate coefficient' },
  { name: 'kdO_per_d', symbol: 'k_d,O', unit: 'd-1', min: 0, max: 1e3, source: SET, description: 'oligotroph deactivation rate coefficient' },
  { name: 'krC_per_d', symbol: 'k_r,C', unit: 'd-1', min: 0, max: 1e3, source: SET, description: 'copiotroph reactivation rate coefficient' },
  { name: 'krO_per_d', symbol: 'k_r,O', unit: 'd-1', min: 0, max: 1e3, source: SET, description: 'oligotroph reactivation rate coefficient' },
  { name: 'KL_molC_per_cm3_water', symbol: 'K_L', unit: 'mol C cm-3 water', min: 0, max: 1, source: SET, description: 'half-saturation of depolymerising enzymes' },
  { name: 'kmaxC_per_d', symbol: 'k_max,C', unit: 'd-1', min: 0, max: 1e2, source: SET, description: 'copiotroph maximum maintenance rate' },
  { name: 'kmaxO_per_d', symbol: 'k_max,O', unit: 'd-1', min: 0, max: 1e2, source: SET, description: 'oligotroph maximum maintenance rate' },
  { name: 'muMaxC_per_d', symbol: 'μ_max,C', unit: 'd-1', min: 0, max: 1e2, source: SET, description: 'copiotroph maximum growth rate' },
  { name: 'muMaxO_per_d', symbol: 'μ_max,O', unit: 'd-1', min: 0, max: 1e2, source: SET, description: 'oligotroph maximum growth rate' },
  { name: 'vMaxDepoly_per_d', symbol: 'v_max,depoly', unit: 'd-1', min: 0, max: 1e2, source: SET, description: 'maximum depolymerisation rate' },
  { name: 'pL', symbol: 'p_L (Table A2 ρ_L)', unit: '1', min: 0, max: 1, source: SET, description: 'fraction of decayed microbial C becoming C_H' },
  { name: 'YM', symbol: 'Y_M (Table A2 Y)', unit: '1', min: 1e-6, max: 1, source: SET, description: 'maintenance yield' },
  { name: 'YC', symbol: 'Y_C', unit: '1', min: 1e-6, max: 1, source: SET, description: 'copiotroph growth yield' },
  { name: 'YO', symbol: 'Y_O', unit: '1', min: 1e-6, max: 1, source: SET, description: 'oligotroph growth yield' },
  { name: 'CLinit_molC_per_cm3_water', symbol: 'C_L,init^l', unit: 'mol C cm-3 water', min: 0, max: 1e-1, source: SET, description: 'initial dissolved low-molecular-weight C' },
  { name: 'CHinit_molC_per_cm3_water', symbol: 'C_H,init^l', unit: 'mol C cm-3 water', min: 0, max: 1e-1, source: SET, description: 'initial high-molecular-weight C' },
] as const);

const BULK_DENSITY = 1.51; // g cm⁻³, 004 Sec. 2.2.5
const K_CSM = 0.079; // illite-dominated Selhausen soil, 004 Sec. 2.2.5 (Ahrens et al. 2020)
const K_CLAY_SILT = 0.45; // fraction clay + fine silt, 004 Sec. 2.2.5 (Wang et al. 2018)

export const RHIZOSPHERE_CONSTANT_PARAMS = declareParams('rhizosphere.constants', [
  { name: 'switchSharpness', symbol: 'a', unit: '1', default: 0.1, min: 1e-3, max: 10, source: '004 Table A2', description: 'sharpness of the activity switch φ_Z' },
  { name: 'Clim_molC_per_cm3_soil', symbol: 'C_Z,lim^a', unit: 'mol C cm-3 soil', default: 1e-10, min: 0, max: 1e-6, source: 'published code (RHIZOSPHERE.md); not in 004', description: 'active pool below which only growth acts' },
  { name: 'psiA2D_cm', symbol: 'ψ_m,soil,A2D', unit: 'cm (suction magnitude)', default: 4600 * CM_PER_HPA, min: 1, max: 1e7, source: '004 Table A2: 4600 hPa (Wang et al. 2021)', description: 'deactivation threshold suction' },
  { name: 'tau', symbol: 'τ', unit: '1', default: 0.39, min: 0, max: 10, source: '004 Table A2', description: 'ratio of activation to deactivation threshold' },
  { name: 'omegaDA', symbol: 'ω_DA', unit: '1', default: 3.38, min: 0.1, max: 20, source: '004 Table A2', description: 'exponent of f_A2D, f_D2A' },
  { name: 'psiOpt_cm', symbol: 'ψ_m,soil,opt', unit: 'cm', default: -30 * CM_PER_HPA, min: -1e4, max: 0, source: '004 Table A2: −30 hPa (Moyano et al. 2013)', description: 'head above which water does not limit activity' },
  { name: 'psiTh_cm', symbol: 'ψ_m,soil,th', unit: 'cm', default: -158000 * CM_PER_HPA, min: -1e8, max: -1, source: '004 Table A2: −158000 hPa (Moyano et al. 2013)', description: 'head below which activity stops' },
  { name: 'alphaMoyano', symbol: 'α', unit: '1', default: 1.47, min: 0.01, max: 10, source: '004 Table A2 (Moyano et al. 2013)', description: 'curvature of f_A (Eq D10)' },
  { name: 'kAds_cm3_per_molC_d', symbol: 'k_ads', unit: 'cm3 water molC-1 d-1', default: 23265.14, min: 0, max: 1e8, source: '004 Sec. 2.2.5 (Ahrens et al. 2020); Table A2 value is SI', description: 'adsorption rate' },
  { name: 'kDes_per_d', symbol: 'k_des', unit: 'd-1', default: 4.47, min: 0, max: 1e4, source: '004 Sec. 2.2.5 (Ahrens et al. 2020); Table A2 value is SI', description: 'desorption rate' },
  { name: 'CsMax_molC_per_cm3_soil', symbol: 'C_L,max^s', unit: 'mol C cm-3 soil', default: sorptionCapacity(BULK_DENSITY, K_CSM, K_CLAY_SILT), min: 0, max: 1, source: '004 Eq 25: ρ_b 1.51 · k_csm 0.079 · k_clay+silt 0.45 / M_C', description: 'sorption capacity' },
  { name: 'COaInit_molC_per_cm3_soil', symbol: 'C_O,init^a', unit: 'mol C cm-3 soil', default: 9.1667e-7, min: 0, max: 1, source: 'published code (RHIZOSPHERE.md)', description: 'initial active oligotrophs' },
  { name: 'COdInit_molC_per_cm3_soil', symbol: 'C_O,init^d', unit: 'mol C cm-3 soil', default: 8.3333e-6, min: 0, max: 1, source: 'published code (RHIZOSPHERE.md)', description: 'initial dormant oligotrophs' },
  { name: 'CCaInit_molC_per_cm3_soil', symbol: 'C_C,init^a', unit: 'mol C cm-3 soil', default: 8.3333e-7, min: 0, max: 1, source: 'published code (RHIZOSPHERE.md)', description: 'initial active copiotrophs' },
  { name: 'CCdInit_molC_per_cm3_soil', symbol: 'C_C,init^d', unit: 'mol C cm-3 soil', default: 8.3333e-6, min: 0, max: 1, source: 'published code (RHIZOSPHERE.md)', description: 'initial dormant copiotrophs' },
] as const);

/** The default constants (every value from {@link RHIZOSPHERE_CONSTANT_PARAMS}). */
export const DEFAULT_RHIZOSPHERE_CONSTANTS: RhizosphereConstants = Object.freeze(
  Object.fromEntries(RHIZOSPHERE_CONSTANT_PARAMS.map((p) => [p.name, p.default])) as unknown as RhizosphereConstants,
);
