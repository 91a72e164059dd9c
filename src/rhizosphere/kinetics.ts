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

/** Microbial rates summed over cells, mol C d⁻¹ (a diagnostic of the current state; issue 9, "CO₂ per unit microbial growth"). */
export interface MicrobialRateTotals {
  /** Gross microbial growth, Σ V·(growth_O + growth_C) (Eqs D8 + D9), mol C d⁻¹. */
  growth_molC_per_d: number;
  /** Microbial CO₂ production, Σ V·∂CO₂/∂t (Eq D32), mol C d⁻¹. */
  co2_molC_per_d: number;
}

const RATE_SCRATCH = new Float64Array(NV);
const DY_SCRATCH = new Float64Array(NV);
const RATES_SCRATCH: ReactionRates = {
  growthO: 0, growthC: 0, maintenanceUptake: 0, decay: 0, deactivationO: 0, deactivationC: 0,
  reactivationO: 0, reactivationC: 0, depolymerisation: 0, sorption: 0, co2: 0,
};

/**
 * Add volume·(gross growth, CO₂ production) of one cell at its current state to `out` (mol C d⁻¹):
 * the rates of {@link cellReactions} (Eqs D8, D9, D32), nothing else computed or changed.
 */
export function addCellMicrobialRates(
  theta: number,
  w: WaterFactors,
  y: Float64Array,
  o: number,
  p: BiokineticParams,
  c: RhizosphereConstants,
  volume_cm3: number,
  out: MicrobialRateTotals,
): void {
  // cellReactions reads y[o + …] and adds to dydt[o + …]: shift the cell into a scratch of one cell.
  for (let v = 0; v < NV; v++) RATE_SCRATCH[v] = y[o + v];
  cellReactions(theta, w, RATE_SCRATCH, 0, p, c, DY_SCRATCH, RATES_SCRATCH);
  out.growth_molC_per_d += volume_cm3 * (RATES_SCRATCH.growthO + RATES_SCRATCH.growthC);
  out.co2_molC_per_d += volume_cm3 * RATES_SCRATCH.co2;
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

/** Scratch gradients (7 carbon pools that rates depend on: C_L, C_H, C_L^s, C_O^a, C_O^d, C_C^a, C_C^d). */
const NG = 7;
const G = Array.from({ length: 40 }, () => new Float64Array(NG));
/** Columns of the gradient slots (V indices), and of {@link cellReactionsJacobianInto}. */
export const JAC_COLS = [V.L, V.H, V.Ls, V.Oa, V.Od, V.Ca, V.Cd] as const;

/** Gradient slot i ← (∂/∂L, ∂/∂H, ∂/∂Ls, ∂/∂Oa, ∂/∂Od, ∂/∂Ca, ∂/∂Cd); module scratch, no allocation. */
function gr(i: number, L: number, H: number, S: number, Oa: number, Od: number, Ca: number, Cd: number): Float64Array {
  const a = G[i];
  a[0] = L; a[1] = H; a[2] = S; a[3] = Oa; a[4] = Od; a[5] = Ca; a[6] = Cd;
  return a;
}

/**
 * Analytic Jacobian of {@link cellReactions} with respect to the cell's carbon pools (θ and the
 * water factors held): ∂(dy[o + r])/∂y[o + c] for r = L … CO₂, c = L … C_C^d, written by
 * `put(r, c, value)` (rows and columns are {@link V} indices). Forward-mode differentiation of the
 * same expressions, branch for branch (the max/min switches take the derivative of the active
 * side, as the finite differences did for perturbations that stay on one side). Checked against
 * finite differences in the tests.
 */
export function cellReactionsJacobian(
  theta: number,
  w: WaterFactors,
  y: Float64Array,
  o: number,
  p: BiokineticParams,
  c: RhizosphereConstants,
  put: (row: number, col: number, value: number) => void,
): void {
  cellReactionsJacobianInto(theta, w, y, o, p, c, PUT_SCRATCH, 0);
  for (let r = 0; r < JAC_ROWS; r++) for (let j = 0; j < NG; j++) put(r + 1, JAC_COLS[j], PUT_SCRATCH[r * NG + j]);
}

/** Rows of {@link cellReactionsJacobianInto}: V.L … V.CO2 (θ's row is not a reaction). */
export const JAC_ROWS = NV - 1;
/** Columns of {@link cellReactionsJacobianInto}: V.L … V.C_C^d (no rate depends on θ through this Jacobian, nor on CO₂). */
export const JAC_NCOLS = 7;
const PUT_SCRATCH = new Float64Array((NV - 1) * 7);

/**
 * {@link cellReactionsJacobian} into a dense row-major block: out[outOff + (r − 1)·7 + j] =
 * ∂(dy[o + r])/∂y[o + JAC_COLS[j]] for r = V.L … V.CO2 and the columns V.L … V.C_C^d in order
 * (assigned, not added). No closure call per entry: the form the perirhizal Jacobian uses.
 */
export function cellReactionsJacobianInto(
  theta: number,
  w: WaterFactors,
  y: Float64Array,
  o: number,
  p: BiokineticParams,
  c: RhizosphereConstants,
  out: Float64Array,
  outOff: number,
): void {
  // Gradient slots: 0 L, 1 H, 2 Ls, 3 Oa, 4 Od, 5 Ca, 6 Cd.
  const Lr = y[o + V.L] / theta;
  const Hr = y[o + V.H] / theta;
  const CL = Math.max(Lr, 0);
  const CH = Math.max(Hr, 0);
  const Ls = Math.max(y[o + V.Ls], 0);
  const COa = Math.max(y[o + V.Oa], 0);
  const COd = Math.max(y[o + V.Od], 0);
  const CCa = Math.max(y[o + V.Ca], 0);
  const CCd = Math.max(y[o + V.Cd], 0);
  const dCL = Lr > 0 ? 1 / theta : 0;
  const dCH = Hr > 0 ? 1 / theta : 0;
  const dLs = y[o + V.Ls] > 0 ? 1 : 0;
  const dOa = y[o + V.Oa] > 0 ? 1 : 0;
  const dOd = y[o + V.Od] > 0 ? 1 : 0;
  const dCa = y[o + V.Ca] > 0 ? 1 : 0;
  const dCd = y[o + V.Cd] > 0 ? 1 : 0;
  const { fA, fA2D, fD2A } = w;
  const Clim = c.Clim_molC_per_cm3_soil;
  const COaBar = Math.max(0, COa - Clim);
  const CCaBar = Math.max(0, CCa - Clim);
  const dOaBar = COa - Clim > 0 ? dOa : 0;
  const dCaBar = CCa - Clim > 0 ? dCa : 0;
  const uO = CL * p.kO_cm3_per_molC_d;
  const uC = CL * p.kC_cm3_per_molC_d;
  const duO = dCL * p.kO_cm3_per_molC_d;
  const duC = dCL * p.kC_cm3_per_molC_d;
  const gO = (p.muMaxO_per_d * uO) / (p.muMaxO_per_d + uO);
  const gC = (p.muMaxC_per_d * uC) / (p.muMaxC_per_d + uC);
  const dgO = ((p.muMaxO_per_d * p.muMaxO_per_d) / (p.muMaxO_per_d + uO) ** 2) * duO;
  const dgC = ((p.muMaxC_per_d * p.muMaxC_per_d) / (p.muMaxC_per_d + uC) ** 2) * duC;
  const mO = Math.max(COa, Clim);
  const mC = Math.max(CCa, Clim);
  const dmO = COa > Clim ? dOa : 0;
  const dmC = CCa > Clim ? dCa : 0;
  const growthO = gr(0, fA * dgO * mO, 0, 0, fA * gO * dmO, 0, 0, 0);
  const growthC = gr(1, fA * dgC * mC, 0, 0, 0, 0, fA * gC * dmC, 0);
  const satO = (fA * (p.kmaxO_per_d * uO)) / (p.kmaxO_per_d + uO);
  const satC = (fA * (p.kmaxC_per_d * uC)) / (p.kmaxC_per_d + uC);
  const dsatO = ((fA * p.kmaxO_per_d * p.kmaxO_per_d) / (p.kmaxO_per_d + uO) ** 2) * duO;
  const dsatC = ((fA * p.kmaxC_per_d * p.kmaxC_per_d) / (p.kmaxC_per_d + uC) ** 2) * duC;
  const uptOa = gr(2, dsatO * COaBar, 0, 0, satO * dOaBar, 0, 0, 0);
  const uptOd = gr(3, dsatO * p.betaO * COd, 0, 0, 0, satO * p.betaO * dOd, 0, 0);
  const uptCa = gr(4, dsatC * CCaBar, 0, 0, 0, 0, satC * dCaBar, 0);
  const uptCd = gr(5, dsatC * p.betaC * CCd, 0, 0, 0, 0, 0, satC * p.betaC * dCd);
  const decOa = gr(6, -uptOa[0], 0, 0, p.kmaxO_per_d * dOaBar - uptOa[3], 0, 0, 0);
  const decOd = gr(7, -uptOd[0], 0, 0, 0, p.kmaxO_per_d * p.betaO * dOd - uptOd[4], 0, 0);
  const decCa = gr(8, -uptCa[0], 0, 0, 0, 0, p.kmaxC_per_d * dCaBar - uptCa[5], 0);
  const decCd = gr(9, -uptCd[0], 0, 0, 0, 0, 0, p.kmaxC_per_d * p.betaC * dCd - uptCd[6]);
  const decay = G[10];
  const uptake = G[11];
  for (let j = 0; j < NG; j++) {
    decay[j] = decOa[j] + decOd[j] + decCa[j] + decCd[j];
    uptake[j] = uptOa[j] + uptOd[j] + uptCa[j] + uptCd[j];
  }
  const a = c.switchSharpness;
  const phiO = activitySwitch(CL, p.CthresO_molC_per_cm3_water, a);
  const phiC = activitySwitch(CL, p.CthresC_molC_per_cm3_water, a);
  const dphiO = ((phiO * (1 - phiO)) / (a * p.CthresO_molC_per_cm3_water)) * dCL;
  const dphiC = ((phiC * (1 - phiC)) / (a * p.CthresC_molC_per_cm3_water)) * dCL;
  const fdO = Math.max(1 - phiO, fA2D);
  const fdC = Math.max(1 - phiC, fA2D);
  const deactO = gr(12, (1 - phiO >= fA2D ? -dphiO : 0) * p.kdO_per_d * COaBar, 0, 0, fdO * p.kdO_per_d * dOaBar, 0, 0, 0);
  const deactC = gr(13, (1 - phiC >= fA2D ? -dphiC : 0) * p.kdC_per_d * CCaBar, 0, 0, 0, 0, fdC * p.kdC_per_d * dCaBar, 0);
  const frO = Math.min(phiO, fD2A);
  const frC = Math.min(phiC, fD2A);
  const reactO = gr(14, (phiO <= fD2A ? dphiO : 0) * p.krO_per_d * COd, 0, 0, 0, frO * p.krO_per_d * dOd, 0, 0);
  const reactC = gr(15, (phiC <= fD2A ? dphiC : 0) * p.krC_per_d * CCd, 0, 0, 0, 0, 0, frC * p.krC_per_d * dCd);
  const KL = p.KL_molC_per_cm3_water;
  const mm = (fA * p.vMaxDepoly_per_d * CH) / (KL + CH);
  const dmm = ((fA * p.vMaxDepoly_per_d * KL) / (KL + CH) ** 2) * dCH;
  const depoly = gr(16, 0, dmm * COaBar, 0, mm * dOaBar, 0, 0, 0);
  const sorption = gr(17, c.kAds_cm3_per_molC_d * dCL * (c.CsMax_molC_per_cm3_soil - Ls), 0, (-c.kAds_cm3_per_molC_d * CL - c.kDes_per_d) * dLs, 0, 0, 0, 0);
  const invYM = 1 / p.YM;
  // Row r − 1 of `out` is V index r (V.L = 1 … V.CO2 = 8).
  for (let j = 0; j < NG; j++) {
    const q = outOff + j;
    out[q + (V.L - 1) * NG] = depoly[j] + (1 - p.pL) * decay[j] - growthO[j] / p.YO - growthC[j] / p.YC - uptake[j] - sorption[j];
    out[q + (V.H - 1) * NG] = -depoly[j] + p.pL * decay[j];
    out[q + (V.Ls - 1) * NG] = sorption[j];
    out[q + (V.Oa - 1) * NG] = growthO[j] - deactO[j] + reactO[j] - decOa[j] * invYM;
    out[q + (V.Od - 1) * NG] = deactO[j] - reactO[j] - decOd[j] * invYM;
    out[q + (V.Ca - 1) * NG] = growthC[j] - deactC[j] + reactC[j] - decCa[j] * invYM;
    out[q + (V.Cd - 1) * NG] = deactC[j] - reactC[j] - decCd[j] * invYM;
    out[q + (V.CO2 - 1) * NG] = ((1 - p.YO) / p.YO) * growthO[j] + ((1 - p.YC) / p.YC) * growthC[j] + (1 - p.YM) * invYM * decay[j] + uptake[j];
  }
}
