import { InputError } from '../core/errors.js';
import { BandLowRankSolver, BandMatrix } from '../numerics/index.js';
import { rootFractions, type RootDistribution } from '../profile/inputs.js';
import { DECAY_CONSTANT_PER_YEAR } from '../profile/radiocarbon/units.js';
import type { ZoneRates } from './params.js';

/**
 * The pedon model of ZONES.md (a concrete reading of paper 002): a layered profile with four carbon
 * pools per layer — POC (particulate), MAOC (mineral-associated), DOC (dissolved), MIC (microbial
 * biomass) — each carrying a radiocarbon tracer R = (A/A_std)·C and an age tracer, a vegetation
 * zone of influence (VZI) above a mineral-matrix zone (MMZI) separated by a dynamic boundary z_b(t).
 *
 * Per layer i (stocks in g C m⁻², rates in yr⁻¹; φ_i = share of the layer above z_b; every zone
 * rate r_i = φ_i·r_VZI + (1 − φ_i)·r_MMZI; f_bio = Q10^((T−T_ref)/10)·f_W on k_POC, k_U, k_M):
 *
 *   dPOC/dt  = I_P − k_POC·POC                                    + bioturbation
 *   dDOC/dt  = I_D + k_POC·POC + k_d·MAOC + (1 − f_nec)·k_M·MIC
 *              − (k_U·g + k_s·s)·DOC                              + advection
 *   dMIC/dt  = CUE·k_U·g·DOC − k_M·MIC                            + bioturbation
 *   dMAOC/dt = I_M + k_s·s·DOC + f_nec·k_M·MIC − k_d·MAOC         + bioturbation
 *   CO₂      = (1 − CUE)·k_U·g·DOC
 *
 * with the mineral saturation s = max(0, 1 − MAOC/Q_max), Q_max = ρ_b·k_csm·k_clay+fine silt·Δz
 * (004 Eq 25, in g C), and the substrate-dilution factor g = c/(K_dil + c) (1 when K_dil = 0).
 * Transport: DOC advection with the percolating water (upwind, rate q/(θ·Δz), leaching out of the
 * bottom), bioturbation as diffusion of the particulate pools (POC, MAOC, MIC) with a coefficient
 * per zone (plus tillage mixing in the plough layer), and an optional "anecic" link: a volume
 * exchange v between a surface band and the burrow band [z_b, z_an,max] (002).
 *
 * Time stepping is implicit Euler on the linear system with s and g frozen at the start of each step
 * (linearly implicit; exact for the linear sub-cases): (I − Δt·A)·C⁺ = C + Δt·I and for ¹⁴C
 * ((1 + Δt·λ)I − Δt·A)·R⁺ = R + Δt·F̄_atm·I. A is banded (kl = ku = 4 in the layer-major ordering);
 * the anecic link is a rank-6 term solved exactly by Sherman–Morrison–Woodbury. Every column of A
 * loses to the outside only through CO₂ and leaching, so carbon and ¹⁴C are conserved to round-off;
 * the balances are measured every step. Steady states are found directly: −A·C* = I (a fixed point
 * on s and g when those are active), (λI − A)·R* = F₀·I, −A·Age* = C*.
 */
export const POOLS = ['POC', 'MAOC', 'DOC', 'MIC'] as const;
export type PoolName = (typeof POOLS)[number];
export const NPOOL = 4;
const P = 0;
const M = 1;
const D = 2;
const B = 3;
/** Particulate pools moved by bioturbation, tillage and the anecic link. */
const PARTICULATE = [P, M, B] as const;
const LAMBDA = DECAY_CONSTANT_PER_YEAR;

export interface PedonGrid {
  readonly n: number;
  readonly top_cm: Float64Array;
  readonly bottom_cm: Float64Array;
  readonly thickness_cm: Float64Array;
  readonly mid_cm: Float64Array;
  readonly depth_cm: number;
}

/** A grid from layer boundaries (cm, from 0, strictly increasing; may be uneven). */
export function pedonGrid(boundaries_cm: readonly number[]): PedonGrid {
  const ok = boundaries_cm.length >= 2 && boundaries_cm[0] === 0 && boundaries_cm.every((b, i) => Number.isFinite(b) && (i === 0 || b > boundaries_cm[i - 1]));
  if (!ok) throw new InputError({ keyPath: 'grid.boundaries_cm', value: boundaries_cm.join(','), expected: 'layer boundaries in cm starting at 0, strictly increasing' });
  const n = boundaries_cm.length - 1;
  const top = Float64Array.from(boundaries_cm.slice(0, n));
  const bottom = Float64Array.from(boundaries_cm.slice(1));
  return { n, top_cm: top, bottom_cm: bottom, thickness_cm: bottom.map((b, i) => b - top[i]), mid_cm: bottom.map((b, i) => 0.5 * (b + top[i])), depth_cm: boundaries_cm[n] };
}

/** Even layers of `layer_cm` to `depth_cm` (default 0–200 cm by 2 cm, ZONES.md). */
export function uniformPedonGrid(depth_cm = 200, layer_cm = 2): PedonGrid {
  const n = Math.round(depth_cm / layer_cm);
  if (!(n >= 1) || Math.abs(n * layer_cm - depth_cm) > 1e-9 * depth_cm) throw new InputError({ keyPath: 'grid', value: { depth_cm, layer_cm }, expected: 'a depth that is a whole number of layers' });
  return pedonGrid(Array.from({ length: n + 1 }, (_, i) => i * layer_cm));
}

/** Soil properties per layer (arrays of the grid's length). */
export interface PedonSoil {
  readonly bulkDensity_g_per_cm3: Float64Array;
  readonly clayFineSiltFraction: Float64Array;
  readonly clayMineralFactor: Float64Array;
  readonly waterContent: Float64Array;
  /** false: no mineral capacity (s = 1, linear sorption). */
  readonly sorptionCapacity: boolean;
}

/** Drivers of the boundary z_b (ZONES.md "Dynamic boundary"). */
export interface BoundaryDrivers {
  /** f_v: the vegetation target is the depth holding this share of root inputs. */
  readonly rootFraction: number;
  /** Geology: the target never goes below the parent material (cm; Infinity = none). */
  readonly parentMaterialDepth_cm: number;
  /** Hydrology: zero-flux plane depth (cm; NaN = no water model) and its weight in the target. */
  readonly zeroFluxPlane_cm: number;
  readonly hydrologyWeight: number;
  /** τ_b, years. */
  readonly timeConstant_yr: number;
  /** γ_SOC of the feedback rule (0 = off). */
  readonly feedbackExponent: number;
  /** A prescribed z_b(t) (piecewise linear in years; held beyond its ends) instead of the rule. */
  readonly prescribed?: readonly { readonly year: number; readonly depth_cm: number }[];
}

export interface Tillage {
  readonly depth_cm: number;
  readonly mixing_cm2_per_yr: number;
  readonly decompositionFactor: number;
}

/** One land use: plant inputs, roots, litter quality, tillage, climate, water, boundary drivers, zone rates. */
export interface LandUse {
  readonly name: string;
  /** Aboveground litter reaching the soil surface, g C m⁻² yr⁻¹ (after harvest). */
  readonly abovegroundLitter_gC_per_m2_yr: number;
  readonly litterSurfaceLossFraction: number;
  readonly abovegroundDocFraction: number;
  readonly litterQuality: number;
  /** I_root, g C m⁻² yr⁻¹ (BNPP), distributed by `rootDistribution` over the profile. */
  readonly rootInput_gC_per_m2_yr: number;
  readonly rootDistribution: RootDistribution;
  /** f_loss: one value, or a profile (linear in depth between points, held beyond). */
  readonly leakFraction: number | readonly { readonly depth_cm: number; readonly fraction: number }[];
  readonly rootLitterFraction: number;
  readonly rhizodepositFraction: number;
  readonly rhizoMaocFraction: number;
  /** Root inputs below z_b: moved into the VZI in proportion (002: plant inputs enter the VZI only), or allowed. */
  readonly belowBoundary: 'reallocate' | 'allow';
  readonly tillage?: Tillage;
  readonly temperature_C: number;
  readonly q10: number;
  readonly referenceTemperature_C: number;
  readonly moistureFactor: number;
  readonly percolation_cm_per_yr: number;
  readonly boundary: BoundaryDrivers;
  readonly anecic: { readonly exchange_cm_per_yr: number; readonly sourceDepth_cm: number; readonly maxDepth_cm: number };
  readonly zones: { readonly vzi: ZoneRates; readonly mmzi: ZoneRates };
}

/** Amounts of one step (g C m⁻² over the step; R in the same units × A/A_std). */
export interface StepFluxes {
  dt_yr: number;
  /** Inputs to the soil pools (after the leak and the surface litter loss). */
  inputC: number;
  inputR: number;
  /** Root-derived input before the leak, the leak (rhizosphere CO₂) and surface litter CO₂. */
  rootInputC: number;
  rhizosphereCO2C: number;
  rhizosphereCO2R: number;
  litterCO2C: number;
  litterCO2R: number;
  /** Heterotrophic CO₂ of the soil pools by zone (layers split by φ). */
  co2VziC: number;
  co2MmziC: number;
  co2C: number;
  co2R: number;
  leachC: number;
  leachR: number;
  decayR: number;
  /** Net downward carbon across the boundary face by mechanism. */
  boundaryAdvectionC: number;
  boundaryBioturbationC: number;
  boundaryAnecicC: number;
  /** Share of root inputs the root profile puts below z_b (reallocated into the VZI when so configured). */
  rootShareBelowBoundary: number;
  /** Balance residuals of the step: ΔC − (inputs − outputs), and the same for ¹⁴C. */
  carbonResidual: number;
  c14Residual: number;
}

function newFluxes(): StepFluxes {
  return { dt_yr: 0, inputC: 0, inputR: 0, rootInputC: 0, rhizosphereCO2C: 0, rhizosphereCO2R: 0, litterCO2C: 0, litterCO2R: 0, co2VziC: 0, co2MmziC: 0, co2C: 0, co2R: 0, leachC: 0, leachR: 0, decayR: 0, boundaryAdvectionC: 0, boundaryBioturbationC: 0, boundaryAnecicC: 0, rootShareBelowBoundary: 0, carbonResidual: 0, c14Residual: 0 };
}

/** Linear interpolation in a depth table (held beyond its ends). */
function depthTable(points: readonly { readonly depth_cm: number; readonly fraction: number }[], z: number): number {
  if (z <= points[0].depth_cm) return points[0].fraction;
  for (let k = 1; k < points.length; k++) {
    if (z <= points[k].depth_cm) {
      const a = points[k - 1];
      const b = points[k];
      return a.fraction + ((z - a.depth_cm) / (b.depth_cm - a.depth_cm)) * (b.fraction - a.fraction);
    }
  }
  return points[points.length - 1].fraction;
}

/** z_b prescribed at `year` (piecewise linear, held beyond the ends). */
export function prescribedBoundary(table: readonly { readonly year: number; readonly depth_cm: number }[], year: number): number {
  if (year <= table[0].year) return table[0].depth_cm;
  for (let k = 1; k < table.length; k++) {
    if (year <= table[k].year) {
      const a = table[k - 1];
      const b = table[k];
      return a.depth_cm + ((year - a.year) / (b.year - a.year)) * (b.depth_cm - a.depth_cm);
    }
  }
  return table[table.length - 1].depth_cm;
}

export class PedonModel {
  readonly grid: PedonGrid;
  readonly soil: PedonSoil;
  readonly n: number;
  /** Carbon, radiocarbon (A/A_std × C) and age mass (C × mean age) per layer and pool: index 4·layer + pool. */
  readonly C: Float64Array;
  readonly R: Float64Array;
  readonly ageMass: Float64Array;
  /** Cumulative heterotrophic + rhizosphere CO₂ per layer since the last {@link resetCumulative}, and its ¹⁴C. */
  readonly co2CumC: Float64Array;
  readonly co2CumR: Float64Array;
  /** Current boundary depth z_b, cm, and its target. */
  zb_cm: number;
  zbTarget_cm: number;
  private landUse!: LandUse;
  /** Per layer: root fraction (normalised over the profile), leak, MAOC capacity, zone share φ. */
  private readonly rootFrac: Float64Array;
  private readonly leak: Float64Array;
  private readonly qmax: Float64Array;
  readonly phi: Float64Array;
  private readonly saturation: Float64Array;
  private readonly dilution: Float64Array;
  /** Assembly: rates A (band), inputs, respiration coefficient per unknown, bottom leaching rate. */
  private readonly rates: BandMatrix;
  private readonly inputs: Float64Array;
  private readonly resp: Float64Array;
  private readonly respVziShare: Float64Array;
  private leachRate = 0;
  private readonly solverC: BandLowRankSolver;
  private readonly solverR: BandLowRankSolver;
  private readonly lowU: Float64Array;
  private readonly lowV: Float64Array;
  private lowRank = 0;
  private readonly work: Float64Array;
  private readonly rootIn: Float64Array;
  private rootShareBelow = 0;
  private rhizoLayerC: Float64Array;
  private litterCO2Rate = 0;
  /** Boundary-face transport coefficients of the last assembly. */
  private faceD: Float64Array;
  private advRate: Float64Array;
  private anecic: { source: Float64Array; target: Float64Array; LS: number; LT: number; v: number } | undefined;
  /** Feedback reference ρ_VZI (set by {@link setFeedbackReference}). */
  private feedbackReference = NaN;
  readonly fluxes: StepFluxes = newFluxes();

  constructor(grid: PedonGrid, soil: PedonSoil, landUse: LandUse) {
    this.grid = grid;
    this.soil = soil;
    const n = (this.n = grid.n);
    for (const [k, a] of Object.entries(soil)) if (a instanceof Float64Array && a.length !== n) throw new RangeError(`soil.${k} has ${a.length} layers, the grid ${n}`);
    const N = NPOOL * n;
    this.C = new Float64Array(N);
    this.R = new Float64Array(N);
    this.ageMass = new Float64Array(N);
    this.co2CumC = new Float64Array(n);
    this.co2CumR = new Float64Array(n);
    this.rootFrac = new Float64Array(n);
    this.leak = new Float64Array(n);
    this.qmax = new Float64Array(n);
    this.phi = new Float64Array(n);
    this.saturation = new Float64Array(n).fill(1);
    this.dilution = new Float64Array(n).fill(1);
    const bw = Math.min(NPOOL, N - 1);
    this.rates = new BandMatrix(N, bw, bw);
    this.inputs = new Float64Array(N);
    this.resp = new Float64Array(N);
    this.respVziShare = new Float64Array(N);
    this.solverC = new BandLowRankSolver(N, bw, bw, 2 * PARTICULATE.length);
    this.solverR = new BandLowRankSolver(N, bw, bw, 2 * PARTICULATE.length);
    this.lowU = new Float64Array(N * 2 * PARTICULATE.length);
    this.lowV = new Float64Array(N * 2 * PARTICULATE.length);
    this.work = new Float64Array(N);
    this.rootIn = new Float64Array(n);
    this.rhizoLayerC = new Float64Array(n);
    this.faceD = new Float64Array(n + 1);
    this.advRate = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      this.qmax[i] = soil.sorptionCapacity ? 1e4 * soil.bulkDensity_g_per_cm3[i] * soil.clayMineralFactor[i] * soil.clayFineSiltFraction[i] * grid.thickness_cm[i] : Infinity;
    }
    this.zb_cm = grid.depth_cm;
    this.zbTarget_cm = grid.depth_cm;
    this.setLandUse(landUse);
    this.zb_cm = this.zbTarget_cm;
  }

  get currentLandUse(): LandUse {
    return this.landUse;
  }

  /** Change the land use (a transition): inputs, roots, rates and boundary drivers from now on. */
  setLandUse(lu: LandUse): void {
    const f = lu.rootLitterFraction + lu.rhizodepositFraction + lu.rhizoMaocFraction;
    if (!(Math.abs(f - 1) < 1e-9)) throw new InputError({ keyPath: 'landUse.rootLitterFraction + rhizodepositFraction + rhizoMaocFraction', value: f, expected: 'fractions of the bulk root input summing to 1' });
    this.landUse = lu;
    const g = this.grid;
    const b = [0, ...g.bottom_cm];
    this.rootFrac.set(rootFractions(lu.rootDistribution, b).fractions);
    for (let i = 0; i < this.n; i++) this.leak[i] = typeof lu.leakFraction === 'number' ? lu.leakFraction : depthTable(lu.leakFraction, g.mid_cm[i]);
    this.zbTarget_cm = this.boundaryTarget();
  }

  /** Depth holding `fraction` of the root inputs (linear within a layer). */
  rootDepth(fraction: number): number {
    const g = this.grid;
    let cum = 0;
    for (let i = 0; i < this.n; i++) {
      const next = cum + this.rootFrac[i];
      if (next >= fraction) return g.top_cm[i] + (this.rootFrac[i] > 0 ? ((fraction - cum) / this.rootFrac[i]) * g.thickness_cm[i] : 0);
      cum = next;
    }
    return g.depth_cm;
  }

  /** Mean SOC density (g C m⁻² cm⁻¹) of the VZI and the MMZI for the current z_b. */
  zoneDensities(): { vzi: number; mmzi: number } {
    let sv = 0, hv = 0, sm = 0, hm = 0;
    for (let i = 0; i < this.n; i++) {
      const phi = this.zoneShare(i, this.zb_cm);
      const soc = this.layerSoc(i);
      const h = this.grid.thickness_cm[i];
      sv += phi * soc;
      hv += phi * h;
      sm += (1 - phi) * soc;
      hm += (1 - phi) * h;
    }
    return { vzi: hv > 0 ? sv / hv : NaN, mmzi: hm > 0 ? sm / hm : NaN };
  }

  /** Record the current ρ_VZI as the feedback reference (done after spin-up). */
  setFeedbackReference(): void {
    this.feedbackReference = this.zoneDensities().vzi;
    this.zbTarget_cm = this.boundaryTarget();
  }

  /**
   * The boundary rule (ZONES.md): vegetation target = depth holding f_v of root inputs; capped by
   * the parent material (geology); blended with the zero-flux plane when given (hydrology, weight
   * w_h); times the SOC feedback (ρ_VZI/ρ_VZI,ref)^γ — a carbon-richer vegetation zone (structure,
   * biological activity) reaches deeper, a depleted one retreats; ρ_VZI is the mean SOC density of
   * the VZI and ρ_VZI,ref its value after spin-up, so the spin-up state is unaffected; kept within
   * the profile.
   */
  boundaryTarget(): number {
    const bd = this.landUse.boundary;
    let z = this.rootDepth(bd.rootFraction);
    z = Math.min(z, bd.parentMaterialDepth_cm);
    if (Number.isFinite(bd.zeroFluxPlane_cm)) z = (1 - bd.hydrologyWeight) * z + bd.hydrologyWeight * bd.zeroFluxPlane_cm;
    if (bd.feedbackExponent !== 0 && Number.isFinite(this.feedbackReference) && this.feedbackReference > 0) {
      const ratio = this.zoneDensities().vzi / this.feedbackReference;
      if (ratio > 0 && Number.isFinite(ratio)) z *= ratio ** bd.feedbackExponent;
    }
    return this.clampBoundary(Math.min(z, bd.parentMaterialDepth_cm));
  }

  private clampBoundary(z: number): number {
    return Math.min(this.grid.depth_cm, Math.max(0.5 * this.grid.thickness_cm[0], z));
  }

  /** Share φ of layer i above depth z. */
  zoneShare(i: number, z: number): number {
    const g = this.grid;
    return Math.min(1, Math.max(0, (z - g.top_cm[i]) / g.thickness_cm[i]));
  }

  layerSoc(i: number): number {
    const o = NPOOL * i;
    return this.C[o] + this.C[o + 1] + this.C[o + 2] + this.C[o + 3];
  }

  totalCarbon(): number {
    let s = 0;
    for (let k = 0; k < this.C.length; k++) s += this.C[k];
    return s;
  }

  totalRadiocarbon(): number {
    let s = 0;
    for (let k = 0; k < this.R.length; k++) s += this.R[k];
    return s;
  }

  resetCumulative(): void {
    this.co2CumC.fill(0);
    this.co2CumR.fill(0);
  }

  private updateZoneShares(): void {
    for (let i = 0; i < this.n; i++) this.phi[i] = this.zoneShare(i, this.zb_cm);
  }

  /** Freeze the nonlinear factors (saturation s, dilution g) at the current state. */
  private freezeFactors(): void {
    const g = this.grid;
    const lu = this.landUse;
    this.updateZoneShares();
    for (let i = 0; i < this.n; i++) {
      this.saturation[i] = Number.isFinite(this.qmax[i]) ? Math.max(0, 1 - this.C[NPOOL * i + M] / this.qmax[i]) : 1;
      const phi = this.phi[i];
      const K = phi * lu.zones.vzi.dilutionHalfSaturation_gC_per_m3 + (1 - phi) * lu.zones.mmzi.dilutionHalfSaturation_gC_per_m3;
      if (K > 0) {
        const c = Math.max(0, this.C[NPOOL * i + D]) / (g.thickness_cm[i] / 100);
        this.dilution[i] = c / (K + c);
      } else this.dilution[i] = 1;
    }
  }

  /** Whether any nonlinear factor is active (capacity-limited sorption or substrate dilution). */
  get nonlinear(): boolean {
    const z = this.landUse.zones;
    return this.soil.sorptionCapacity || z.vzi.dilutionHalfSaturation_gC_per_m3 > 0 || z.mmzi.dilutionHalfSaturation_gC_per_m3 > 0;
  }

  /** Assemble the rates A (band + low-rank anecic part) and the inputs for the current z_b and frozen factors. */
  private assemble(): void {
    const { n, grid: g, landUse: lu, rates, inputs, resp } = this;
    const zb = this.zb_cm;
    this.updateZoneShares();
    rates.fill(0);
    inputs.fill(0);
    resp.fill(0);
    const bio = lu.q10 ** ((lu.temperature_C - lu.referenceTemperature_C) / 10) * lu.moistureFactor;
    const V = lu.zones.vzi;
    const W = lu.zones.mmzi;
    const till = lu.tillage;
    const add = (r: number, c: number, v: number): void => rates.add(r, c, v);
    for (let i = 0; i < n; i++) {
      const phi = this.phi[i];
      const mix = (k: keyof ZoneRates): number => phi * V[k] + (1 - phi) * W[k];
      const tillShare = till ? Math.min(1, Math.max(0, (till.depth_cm - g.top_cm[i]) / g.thickness_cm[i])) : 0;
      const kP = mix('kPoc_per_yr') * bio * lu.litterQuality * (1 + tillShare * ((till?.decompositionFactor ?? 1) - 1));
      const kU = mix('kUptake_per_yr') * bio * this.dilution[i];
      const cue = mix('cue');
      const kMd = mix('kMicrobialDeath_per_yr') * bio;
      const fN = mix('necromassToMaocFraction');
      const kS = mix('kSorption_per_yr') * this.saturation[i];
      const kD = mix('kDesorption_per_yr');
      const a = (lu.percolation_cm_per_yr / (this.soil.waterContent[i] * g.thickness_cm[i]));
      this.advRate[i] = a;
      const o = NPOOL * i;
      add(o + P, o + P, -kP);
      add(o + D, o + P, kP);
      add(o + D, o + D, -(kU + kS + a));
      add(o + B, o + D, cue * kU);
      add(o + M, o + D, kS);
      resp[o + D] = (1 - cue) * kU;
      this.respVziShare[o + D] = phi;
      if (i + 1 < n) add(o + NPOOL + D, o + D, a);
      else this.leachRate = a;
      add(o + B, o + B, -kMd);
      add(o + M, o + B, fN * kMd);
      add(o + D, o + B, (1 - fN) * kMd);
      add(o + M, o + M, -kD);
      add(o + D, o + M, kD);
    }
    // Bioturbation (+ tillage) between layers i and i+1 (face k = i+1).
    this.faceD.fill(0);
    for (let i = 0; i + 1 < n; i++) {
      const zFace = g.bottom_cm[i];
      const w = Math.min(1, Math.max(0, (zb - g.mid_cm[i]) / (g.mid_cm[i + 1] - g.mid_cm[i])));
      let Db = w * V.bioturbation_cm2_per_yr + (1 - w) * W.bioturbation_cm2_per_yr;
      if (till && zFace < till.depth_cm) Db += till.mixing_cm2_per_yr;
      this.faceD[i + 1] = Db;
      if (Db === 0) continue;
      const c = Db / (g.mid_cm[i + 1] - g.mid_cm[i]);
      const ci = c / g.thickness_cm[i];
      const cj = c / g.thickness_cm[i + 1];
      for (const p of PARTICULATE) {
        const a = NPOOL * i + p;
        const b = a + NPOOL;
        add(a, a, -ci);
        add(b, a, ci);
        add(b, b, -cj);
        add(a, b, cj);
      }
    }
    this.assembleAnecic();
    this.assembleInputs();
  }

  /** Anecic link: diagonal removals in the band, gains as a rank-2-per-pool term (U·Vᵀ). */
  private assembleAnecic(): void {
    const { n, grid: g, landUse: lu } = this;
    const an = lu.anecic;
    this.lowRank = 0;
    this.anecic = undefined;
    if (!(an.exchange_cm_per_yr > 0)) return;
    const z0 = an.sourceDepth_cm;
    const z1 = Math.max(this.zb_cm, z0);
    const z2 = Math.min(an.maxDepth_cm, g.depth_cm);
    if (!(z2 > z1)) return;
    const source = new Float64Array(n);
    const target = new Float64Array(n);
    let LS = 0, LT = 0;
    for (let i = 0; i < n; i++) {
      source[i] = Math.max(0, Math.min(z0, g.bottom_cm[i]) - g.top_cm[i]);
      target[i] = Math.max(0, Math.min(z2, g.bottom_cm[i]) - Math.max(z1, g.top_cm[i]));
      LS += source[i];
      LT += target[i];
    }
    const v = an.exchange_cm_per_yr;
    this.anecic = { source, target, LS, LT, v };
    const N = NPOOL * n;
    const U = this.lowU;
    const Vv = this.lowV;
    U.fill(0);
    Vv.fill(0);
    let r = 0;
    // Down: layer i of the source band loses v·ov_i/(L_S·Δz_i)·X_i; the target band gains that flux
    // × ov_j/L_T (a rank-1 term per pool). Up: the reverse.
    const link = (from: Float64Array, Lfrom: number, to: Float64Array, Lto: number, p: number): void => {
      for (let i = 0; i < n; i++) {
        const idx = NPOOL * i + p;
        if (from[i] > 0) {
          const rate = (v * from[i]) / (Lfrom * g.thickness_cm[i]);
          this.rates.add(idx, idx, -rate);
          Vv[r * N + idx] = rate;
        }
        if (to[i] > 0) U[r * N + idx] = to[i] / Lto;
      }
      r++;
    };
    for (const p of PARTICULATE) {
      link(source, LS, target, LT, p);
      link(target, LT, source, LS, p);
    }
    this.lowRank = r;
  }

  private assembleInputs(): void {
    const { n, landUse: lu, inputs } = this;
    // Root inputs: the root profile, restricted to the VZI (reallocated) unless allowed below.
    let inside = 0;
    for (let i = 0; i < n; i++) inside += this.rootFrac[i] * this.phi[i];
    this.rootShareBelow = Math.max(0, 1 - inside);
    const realloc = lu.belowBoundary === 'reallocate' && inside > 0;
    this.litterCO2Rate = lu.abovegroundLitter_gC_per_m2_yr * lu.litterSurfaceLossFraction;
    const ag = lu.abovegroundLitter_gC_per_m2_yr - this.litterCO2Rate;
    inputs[P] += ag * (1 - lu.abovegroundDocFraction);
    inputs[D] += ag * lu.abovegroundDocFraction;
    for (let i = 0; i < n; i++) {
      const share = realloc ? (this.rootFrac[i] * this.phi[i]) / inside : this.rootFrac[i];
      const root = lu.rootInput_gC_per_m2_yr * share;
      this.rootIn[i] = root;
      const bulk = root * (1 - this.leak[i]);
      this.rhizoLayerC[i] = root * this.leak[i];
      const o = NPOOL * i;
      inputs[o + P] += bulk * lu.rootLitterFraction;
      inputs[o + D] += bulk * lu.rhizodepositFraction;
      inputs[o + M] += bulk * lu.rhizoMaocFraction;
    }
  }

  /** Bulk-soil input per layer (after the leak), g C m⁻² yr⁻¹ — the "true I_bulk" of the closed loop. */
  bulkInputs(): Float64Array {
    this.assemble();
    const out = new Float64Array(this.n);
    for (let i = 0; i < this.n; i++) {
      const o = NPOOL * i;
      out[i] = this.inputs[o] + this.inputs[o + 1] + this.inputs[o + 2] + this.inputs[o + 3];
    }
    return out;
  }

  /** Root input per layer before the leak (I_root), g C m⁻² yr⁻¹, as last assembled. */
  rootInputs(): Float64Array {
    this.assemble();
    return Float64Array.from(this.rootIn);
  }

  /** Load S = α·I + β·A (+ low-rank β·U·Vᵀ) into a solver and factor it. */
  private load(solver: BandLowRankSolver, alpha: number, beta: number): void {
    const m = solver.band.matrix;
    m.data.set(this.rates.data);
    m.shiftScale(alpha, beta);
    const N = NPOOL * this.n;
    solver.rank = this.lowRank;
    for (let k = 0; k < this.lowRank; k++) {
      for (let i = 0; i < N; i++) {
        solver.U[k * N + i] = beta * this.lowU[k * N + i];
        solver.V[k * N + i] = this.lowV[k * N + i];
      }
    }
    if (!solver.factor()) throw new Error('pedon: singular system matrix (every pool must lose carbon)');
  }

  /**
   * Steady state for the current land use and boundary and a constant atmosphere A/A_std = `atmosphere`:
   * C* from −A·C* = I directly (with s, g iterated to a fixed point when active), then
   * (λI − A)·R* = F₀·I and −A·Age* = C*. Returns the fixed-point iterations used.
   */
  steadyState(atmosphere: number, options: { readonly maxIterations?: number; readonly tolerance?: number; readonly year?: number } = {}): { iterations: number; change: number } {
    const N = NPOOL * this.n;
    const maxIt = options.maxIterations ?? 5000;
    const tol = options.tolerance ?? 1e-13;
    this.zb_cm = this.boundaryTarget();
    this.zbTarget_cm = this.zb_cm;
    const pres = this.landUse.boundary.prescribed;
    if (pres) this.zb_cm = this.zbTarget_cm = this.clampBoundary(prescribedBoundary(pres, options.year ?? pres[0].year));
    const nonlinear = this.nonlinear;
    this.saturation.fill(1);
    this.dilution.fill(1);
    let it = 0;
    let change = 0;
    const sNew = new Float64Array(this.n);
    const gNew = new Float64Array(this.n);
    for (; it < maxIt; it++) {
      this.assemble();
      this.load(this.solverC, 0, -1);
      this.work.set(this.inputs);
      this.solverC.solve(this.work);
      this.C.set(this.work);
      if (!nonlinear) {
        it++;
        break;
      }
      // Damped fixed point on the frozen factors.
      const sOld = Float64Array.from(this.saturation);
      const gOld = Float64Array.from(this.dilution);
      this.freezeFactors();
      sNew.set(this.saturation);
      gNew.set(this.dilution);
      change = 0;
      for (let i = 0; i < this.n; i++) {
        this.saturation[i] = 0.5 * sOld[i] + 0.5 * sNew[i];
        this.dilution[i] = 0.5 * gOld[i] + 0.5 * gNew[i];
        change = Math.max(change, Math.abs(sNew[i] - sOld[i]), Math.abs(gNew[i] - gOld[i]));
      }
      if (change < tol) {
        it++;
        break;
      }
    }
    // Final solves with the converged factors.
    this.assemble();
    this.load(this.solverC, 0, -1);
    this.work.set(this.inputs);
    this.solverC.solve(this.work);
    this.C.set(this.work);
    for (let k = 0; k < N; k++) this.ageMass[k] = this.C[k];
    this.solverC.solve(this.ageMass);
    this.load(this.solverR, LAMBDA, -1);
    for (let k = 0; k < N; k++) this.R[k] = this.inputs[k] * atmosphere;
    this.solverR.solve(this.R);
    return { iterations: it, change };
  }

  /**
   * One implicit step of `dt` years ending at `year` (for a prescribed boundary), with the mean
   * atmospheric A/A_std over the step. Fluxes and balance residuals of the step land in {@link fluxes}.
   */
  step(dt: number, atmosphere: number, year: number): StepFluxes {
    const { n, C, R } = this;
    const N = NPOOL * n;
    const f = this.fluxes;
    const c0 = this.totalCarbon();
    const r0 = this.totalRadiocarbon();
    this.freezeFactors();
    this.assemble();
    // Carbon and age share S_C = I − Δt·A; radiocarbon (1 + Δt·λ)·I − Δt·A.
    this.load(this.solverC, 1, -dt);
    for (let k = 0; k < N; k++) C[k] += dt * this.inputs[k];
    this.solverC.solve(C);
    for (let k = 0; k < N; k++) this.ageMass[k] += dt * C[k];
    this.solverC.solve(this.ageMass);
    this.load(this.solverR, 1 + dt * LAMBDA, -dt);
    for (let k = 0; k < N; k++) R[k] += dt * atmosphere * this.inputs[k];
    this.solverR.solve(R);
    // Fluxes over the step from the new state (implicit Euler).
    let inC = 0;
    for (let k = 0; k < N; k++) inC += this.inputs[k];
    let co2C = 0, co2R = 0, co2V = 0, co2M = 0, rhizoC = 0, rootC = 0;
    for (let i = 0; i < n; i++) {
      const k = NPOOL * i + D;
      const cC = dt * this.resp[k] * C[k];
      const cR = dt * this.resp[k] * R[k];
      const rz = dt * this.rhizoLayerC[i];
      co2C += cC;
      co2R += cR;
      co2V += cC * this.respVziShare[k];
      co2M += cC * (1 - this.respVziShare[k]);
      rhizoC += rz;
      rootC += dt * this.rootIn[i];
      this.co2CumC[i] += cC + rz;
      this.co2CumR[i] += cR + rz * atmosphere;
    }
    const kb = NPOOL * (n - 1) + D;
    const leachC = dt * this.leachRate * C[kb];
    const leachR = dt * this.leachRate * R[kb];
    const decayR = dt * LAMBDA * this.totalRadiocarbon();
    f.dt_yr = dt;
    f.inputC = dt * inC;
    f.inputR = dt * inC * atmosphere;
    f.rootInputC = rootC;
    f.rhizosphereCO2C = rhizoC;
    f.rhizosphereCO2R = rhizoC * atmosphere;
    f.litterCO2C = dt * this.litterCO2Rate;
    f.litterCO2R = dt * this.litterCO2Rate * atmosphere;
    f.co2C = co2C;
    f.co2R = co2R;
    f.co2VziC = co2V;
    f.co2MmziC = co2M;
    f.leachC = leachC;
    f.leachR = leachR;
    f.decayR = decayR;
    f.rootShareBelowBoundary = this.rootShareBelow;
    f.carbonResidual = this.totalCarbon() - c0 - (f.inputC - co2C - leachC);
    f.c14Residual = this.totalRadiocarbon() - r0 - (f.inputR - co2R - leachR - decayR);
    this.boundaryFluxes(dt);
    // Boundary: prescribed, or relaxation towards the target (exact exponential over the step).
    const bd = this.landUse.boundary;
    if (bd.prescribed) {
      this.zb_cm = this.zbTarget_cm = this.clampBoundary(prescribedBoundary(bd.prescribed, year));
    } else {
      this.zbTarget_cm = this.boundaryTarget();
      this.zb_cm = this.zbTarget_cm + (this.zb_cm - this.zbTarget_cm) * Math.exp(-dt / bd.timeConstant_yr);
    }
    return f;
  }

  /** Net downward transport across the grid face nearest to z_b over the last step. */
  private boundaryFluxes(dt: number): void {
    const { n, grid: g, C } = this;
    const f = this.fluxes;
    f.boundaryAdvectionC = f.boundaryBioturbationC = f.boundaryAnecicC = 0;
    let face = 0;
    let best = Infinity;
    for (let k = 1; k < n; k++) {
      const d = Math.abs(g.bottom_cm[k - 1] - this.zb_cm);
      if (d < best) {
        best = d;
        face = k;
      }
    }
    if (face === 0 || this.zb_cm >= g.depth_cm - 1e-9) return;
    const i = face - 1;
    f.boundaryAdvectionC = dt * this.advRate[i] * C[NPOOL * i + D];
    const c = this.faceD[face] / (g.mid_cm[i + 1] - g.mid_cm[i]);
    let bio = 0;
    for (const p of PARTICULATE) bio += c * (C[NPOOL * i + p] / g.thickness_cm[i] - C[NPOOL * (i + 1) + p] / g.thickness_cm[i + 1]);
    f.boundaryBioturbationC = dt * bio;
    const an = this.anecic;
    if (an) {
      let down = 0;
      for (let k = 0; k < n; k++) {
        for (const p of PARTICULATE) {
          const x = C[NPOOL * k + p] / g.thickness_cm[k];
          down += (an.v * an.source[k] * x) / an.LS - (an.v * an.target[k] * x) / an.LT;
        }
      }
      f.boundaryAnecicC = dt * down;
    }
  }

  /** Δ14C (‰) of an amount pair (C, R). */
  static delta14C(c: number, r: number): number {
    return c > 0 ? (r / c - 1) * 1000 : NaN;
  }
}
