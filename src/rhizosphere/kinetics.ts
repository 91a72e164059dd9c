import type { BiokineticParams, RhizosphereConstants } from './parameters.js';

/**
 * State of one soil cell, as amounts per cm³ soil (the conserved quantities). Index constants
 * for the structure-of-arrays layout used everywhere in the rhizosphere module.
 */
export const V = {
  /** θ, volumetric water content, cm³ water cm⁻³ soil. */
  theta: 0,
  /** θ·C_L^l, dissolved low-molecular-weight C, mol C cm⁻³ soil. */
  L: 1,
  /** θ·C_H^l, high-molecular-weight C (mucilage), mol C cm⁻³ soil. */
  H: 2,
  /** C_L^s, sorbed low-molecular-weight C, mol C cm⁻³ soil. */
  Ls: 3,
  /** C_O^a, C_O^d, C_C^a, C_C^d: active/dormant oligotrophs and copiotrophs, mol C cm⁻³ soil. */
  Oa: 4,
  Od: 5,
  Ca: 6,
  Cd: 7,
  /** Cumulative microbial CO₂-C, mol C cm⁻³ soil (not transported, 004 after Eq D32). */
  CO2: 8,
} as const;

/** Number of state variables per cell. */
export const NV = 9;

/** Names of the state variables in index order (for tables). */
export const STATE_NAMES = ['theta', 'CL_dissolved', 'CH_dissolved', 'CL_sorbed', 'CO_active', 'CO_dormant', 'CC_active', 'CC_dormant', 'CO2'] as const;

/** The carbon variables (every index except θ). */
export const CARBON_VARS = [V.L, V.H, V.Ls, V.Oa, V.Od, V.Ca, V.Cd, V.CO2] as const;

/**
 * f_A(ψ): water limitation of microbial and enzyme access to solutes (004 Eq D10, Moyano et al.
 * 2013), –. 1 above ψ_opt, 0 below ψ_th, 1 − (log10(ψ/ψ_opt)/log10(ψ_th/ψ_opt))^α in between
 * (ψ, ψ_opt, ψ_th negative heads, their ratios positive).
 */
export function waterAccessFactor(psi_cm: number, c: RhizosphereConstants): number {
  if (psi_cm > c.psiOpt_cm) return 1;
  if (psi_cm < c.psiTh_cm) return 0;
  const x = Math.log10(psi_cm / c.psiOpt_cm) / Math.log10(c.psiTh_cm / c.psiOpt_cm);
  return 1 - Math.pow(x, c.alphaMoyano);
}

/** f_A2D(|ψ|) = 1/(1 + (ψ_A2D/|ψ|)^ω): drought-driven deactivation (004 Eq D29 with suction magnitudes, RHIZOSPHERE.md), –. */
export function deactivationWaterFactor(psi_cm: number, c: RhizosphereConstants): number {
  const s = Math.abs(psi_cm);
  if (s === 0) return 0;
  return 1 / (1 + Math.pow(c.psiA2D_cm / s, c.omegaDA));
}

/** f_D2A(|ψ|) = 1/(1 + (|ψ|/(τ·ψ_A2D))^ω): water allowing reactivation (004 Eq D30, suction magnitudes), –. */
export function reactivationWaterFactor(psi_cm: number, c: RhizosphereConstants): number {
  const s = Math.abs(psi_cm);
  return 1 / (1 + Math.pow(s / (c.tau * c.psiA2D_cm), c.omegaDA));
}

/** φ_Z = 1/(exp((C_thres,Z − C_L^l)/(a·C_thres,Z)) + 1): C_L^l switch of (de)activation (004 Eqs D27–D28), –. */
export function activitySwitch(CL_molC_per_cm3_water: number, Cthres: number, a: number): number {
  return 1 / (Math.exp((Cthres - CL_molC_per_cm3_water) / (a * Cthres)) + 1);
}

/** Per-process rates of one cell, mol C cm⁻³ soil d⁻¹ (optional diagnostics of {@link cellReactions}). */
export interface ReactionRates {
  growthO: number;
  growthC: number;
  /** S_Muptake,L (Eq D18). */
  maintenanceUptake: number;
  /** S_decay ≡ S_Mdecay (Eq D11). */
  decay: number;
  deactivationO: number;
  deactivationC: number;
  reactivationO: number;
  reactivationC: number;
  depolymerisation: number;
  /** Net adsorption ∂C_L^s/∂t (Eq 24). */
  sorption: number;
  /** ∂CO₂/∂t (Eq D32). */
  co2: number;
}

/** Switch for the water effects on microbes (App. I ran the calibration without them). */
export interface KineticsOptions {
  readonly waterLimitation: boolean;
}

/** The three water factors of a cell (Eqs D10, D29, D30), –. */
export interface WaterFactors {
  fA: number;
  fA2D: number;
  fD2A: number;
}

/** Fill `out` with f_A, f_A2D, f_D2A at head ψ (1, 0, 1 when water limitation is off). */
export function waterFactors(psi_cm: number, c: RhizosphereConstants, opts: KineticsOptions, out: WaterFactors): WaterFactors {
  if (opts.waterLimitation) {
    out.fA = waterAccessFactor(psi_cm, c);
    out.fA2D = deactivationWaterFactor(psi_cm, c);
    out.fD2A = reactivationWaterFactor(psi_cm, c);
  } else {
    out.fA = 1;
    out.fA2D = 0;
    out.fD2A = 1;
  }
  return out;
}

/**
 * Microbial kinetics (004 App. D, Eqs D1–D32, as resolved in RHIZOSPHERE.md) and kinetic sorption
 * (Eq 24) of one cell, ADDED to `dydt` at offset `o` (units: mol C cm⁻³ soil d⁻¹).
 *
 * `y[o + V.*]` holds the cell's amounts per cm³ soil, `theta` its water content and `w` the water
 * factors at its matric head ({@link waterFactors}). Carbon is conserved exactly: the eight carbon rates sum to zero for any state
 * (S_decay ≡ S_Mdecay, S_Muptake,L ≡ S_uptake,L, CO₂ includes maintenance uptake).
 *
 * Rate laws read concentrations through max(·, 0): a pool that is negative within the integration
 * tolerance gives zero rate instead of a rate of the wrong sign. The states themselves are never
 * modified (no clipping); since each rate is computed once and applied to every pool it moves,
 * conservation is unaffected.
 */
export function cellReactions(
  theta: number,
  w: WaterFactors,
  y: Float64Array,
  o: number,
  p: BiokineticParams,
  c: RhizosphereConstants,
  dydt: Float64Array,
  rates?: ReactionRates,
): void {
  const CL = Math.max(y[o + V.L] / theta, 0); // mol C cm⁻³ water
  const CH = Math.max(y[o + V.H] / theta, 0); // mol C cm⁻³ water
  const Ls = Math.max(y[o + V.Ls], 0);
  const COa = Math.max(y[o + V.Oa], 0);
  const COd = Math.max(y[o + V.Od], 0);
  const CCa = Math.max(y[o + V.Ca], 0);
  const CCd = Math.max(y[o + V.Cd], 0);

  const { fA, fA2D, fD2A } = w;
  const Clim = c.Clim_molC_per_cm3_soil;
  const COaBar = Math.max(0, COa - Clim); // Eq D16
  const CCaBar = Math.max(0, CCa - Clim); // Eq D17

  // Growth (Eqs D8, D9): uses max(C_Z^a, C_lim).
  const uO = CL * p.kO_cm3_per_molC_d; // d⁻¹
  const uC = CL * p.kC_cm3_per_molC_d;
  const growthO = (fA * ((p.muMaxO_per_d * uO) / (p.muMaxO_per_d + uO))) * Math.max(COa, Clim);
  const growthC = (fA * ((p.muMaxC_per_d * uC) / (p.muMaxC_per_d + uC))) * Math.max(CCa, Clim);

  // Maintenance uptake (Eqs D19–D22) and maintenance decay (Eqs D12–D15).
  const satO = (fA * (p.kmaxO_per_d * uO)) / (p.kmaxO_per_d + uO); // d⁻¹
  const satC = (fA * (p.kmaxC_per_d * uC)) / (p.kmaxC_per_d + uC);
  const uptOa = satO * COaBar;
  const uptOd = satO * p.betaO * COd;
  const uptCa = satC * CCaBar;
  const uptCd = satC * p.betaC * CCd;
  const decOa = p.kmaxO_per_d * COaBar - uptOa;
  const decOd = p.kmaxO_per_d * p.betaO * COd - uptOd;
  const decCa = p.kmaxC_per_d * CCaBar - uptCa;
  const decCd = p.kmaxC_per_d * p.betaC * CCd - uptCd;
  const decay = decOa + decOd + decCa + decCd; // S_decay ≡ S_Mdecay (Eq D11)
  const uptake = uptOa + uptOd + uptCa + uptCd; // S_Muptake,L ≡ S_uptake,L (Eq D18)

  // (De)activation (Eqs D23–D30).
  const a = c.switchSharpness;
  const phiO = activitySwitch(CL, p.CthresO_molC_per_cm3_water, a);
  const phiC = activitySwitch(CL, p.CthresC_molC_per_cm3_water, a);
  const deactO = Math.max(1 - phiO, fA2D) * p.kdO_per_d * COaBar;
  const deactC = Math.max(1 - phiC, fA2D) * p.kdC_per_d * CCaBar;
  const reactO = Math.min(phiO, fD2A) * p.krO_per_d * COd;
  const reactC = Math.min(phiC, fD2A) * p.krC_per_d * CCd;

  // Depolymerisation by active oligotrophs (Eq D31).
  const depoly = ((fA * p.vMaxDepoly_per_d * CH) / (p.KL_molC_per_cm3_water + CH)) * COaBar;

  // Kinetic sorption (Eq 24).
  const sorption = c.kAds_cm3_per_molC_d * CL * (c.CsMax_molC_per_cm3_soil - Ls) - c.kDes_per_d * Ls;

  const invYM = 1 / p.YM;
  dydt[o + V.L] += depoly + (1 - p.pL) * decay - growthO / p.YO - growthC / p.YC - uptake - sorption; // Eq D1 + S_ads
  dydt[o + V.H] += -depoly + p.pL * decay; // Eq D2
  dydt[o + V.Ls] += sorption;
  dydt[o + V.Oa] += growthO - deactO + reactO - decOa * invYM; // Eq D3
  dydt[o + V.Od] += deactO - reactO - decOd * invYM; // Eq D4
  dydt[o + V.Ca] += growthC - deactC + reactC - decCa * invYM; // Eq D5
  dydt[o + V.Cd] += deactC - reactC - decCd * invYM; // Eq D6
  const co2 = ((1 - p.YO) / p.YO) * growthO + ((1 - p.YC) / p.YC) * growthC + (1 - p.YM) * invYM * decay + uptake; // Eq D32
  dydt[o + V.CO2] += co2;

  if (rates) {
    rates.growthO = growthO;
    rates.growthC = growthC;
    rates.maintenanceUptake = uptake;
    rates.decay = decay;
    rates.deactivationO = deactO;
    rates.deactivationC = deactC;
    rates.reactivationO = reactO;
    rates.reactivationC = reactC;
    rates.depolymerisation = depoly;
    rates.sorption = sorption;
    rates.co2 = co2;
  }
}

/** Equilibrium sorbed amount for a dissolved concentration: k_ads·C·C_max/(k_ads·C + k_des), mol C cm⁻³ soil (Eq 24 at steady state). */
export function equilibriumSorbed(CL_molC_per_cm3_water: number, c: RhizosphereConstants): number {
  const k = c.kAds_cm3_per_molC_d * CL_molC_per_cm3_water;
  return (k * c.CsMax_molC_per_cm3_soil) / (k + c.kDes_per_d);
}

/**
 * Fill one cell's initial state (amounts per cm³ soil) from a water content and the set's initial
 * concentrations: C_L^l, C_H^l from the set, C_L^s in sorption equilibrium, microbes from the
 * constants, CO₂ = 0 (RHIZOSPHERE.md).
 */
export function initialCellState(theta: number, p: BiokineticParams, c: RhizosphereConstants, y: Float64Array, o: number): void {
  y[o + V.theta] = theta;
  y[o + V.L] = theta * p.CLinit_molC_per_cm3_water;
  y[o + V.H] = theta * p.CHinit_molC_per_cm3_water;
  y[o + V.Ls] = equilibriumSorbed(p.CLinit_molC_per_cm3_water, c);
  y[o + V.Oa] = c.COaInit_molC_per_cm3_soil;
  y[o + V.Od] = c.COdInit_molC_per_cm3_soil;
  y[o + V.Ca] = c.CCaInit_molC_per_cm3_soil;
  y[o + V.Cd] = c.CCdInit_molC_per_cm3_soil;
  y[o + V.CO2] = 0;
}
