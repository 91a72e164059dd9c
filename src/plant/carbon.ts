import { solveTree } from '../numerics/linalg/tree.js';
import type { CarbonParams } from './plant-params.js';

/**
 * Sieve-tube sucrose and starch on the plant network (004 Eqs 12–20), one implicit step.
 *
 * Unknown: sucrose carbon concentration C (mol C cm⁻³ sieve tube) at every node; each node owns half
 * the sieve-tube volume of its segments. Along a segment between nodes p and k, Münch flow (Eq 12)
 * carries J = C·k_st·(P_p − P_k) with the sieve-tube pressure head P = β C + ψ_x + z (osmotic +
 * xylem + gravity; β = R T/12 per mol C), k_st = k_x,st/(μ l). It is discretised as
 *   J = k_st β C̄ (C_p − C_k) + k_st (φ_p − φ_k) C_up,   φ = ψ_x + z, C̄ = (C_p + C_k)/2,
 * whose first term is exact for the osmotic part (∫C dC) and whose second is upwinded; with C̄
 * frozen at the previous Picard iterate, backward Euler gives an M-matrix on the tree, so C ≥ 0 and
 * the step costs O(n) per iteration ({@link solveTree}).
 *
 * Sinks and sources per node, each linear in the new C with coefficients frozen at the iterate:
 * assimilation (source), maintenance respiration R_m = R_m,pot·C/(K_M + C), growth uptake
 * G·(C − C_min)⁺/(K_G + C − C_min), exudation K_lat,st·S_tip·(C − C_L^l) at growing tips (Eqs 15–16),
 * starch synthesis/degradation k_targ·V·(C − C_targ) (Eq 18, degradation limited by the starch
 * present), mucilage k_mucil·S_tip·starch/V from tip starch (Eqs 17, 19–20, implicit). Every flux is
 * evaluated with the same coefficients and the same C that solved the linear system, so the carbon
 * budget closes to the round-off of the linear solve whether or not Picard has converged.
 */
export interface SucroseProblem {
  readonly n: number;
  readonly parent: Int32Array;
  readonly dt_d: number;
  /** Sieve-tube volume per node, cm³. */
  readonly volume_cm3: Float64Array;
  /** Münch conductance per segment (index = distal node − 1), cm³ d⁻¹ per cm of head. */
  readonly conductance_cm3_per_d_cm: Float64Array;
  /** Xylem total head ψ_x + z per node, cm. */
  readonly phi_cm: Float64Array;
  /** Osmotic head per sucrose-carbon concentration β, cm per (mol C cm⁻³). */
  readonly osmoticHead_cm_per_molC_cm3: number;
  /** Assimilated carbon entering each node, mol C d⁻¹. */
  readonly source_molC_per_d: Float64Array;
  /** Potential (unlimited) maintenance respiration drawn at each node, mol C d⁻¹. */
  readonly maintenancePotential_molC_per_d: Float64Array;
  /** Growth demand (structure + growth respiration) drawn at each node, mol C d⁻¹. */
  readonly growthDemand_molC_per_d: Float64Array;
  /** Exudation coefficient K_lat,st·S_tip at growing-tip nodes, cm³ d⁻¹ (0 elsewhere). */
  readonly exudationCoef_cm3_per_d: Float64Array;
  /** Mucilage coefficient k_mucil·S_tip at growing-tip nodes, cm³ d⁻¹ (0 elsewhere). */
  readonly mucilageCoef_cm3_per_d: Float64Array;
  /** C_L^l in the soil water at the root surface, per node (tips), mol C cm⁻³ water. */
  readonly soilConc_molC_per_cm3: Float64Array;
  readonly params: CarbonParams;
}

/** Carbon state per node: sucrose and starch amounts, mol C (updated in place by {@link stepSucrose}). */
export interface CarbonState {
  sucrose_molC: Float64Array;
  starch_molC: Float64Array;
}

/** Realised amounts over the step, mol C, per node. */
export interface SucroseStepFluxes {
  maintenance: Float64Array;
  growthUptake: Float64Array;
  exudation: Float64Array;
  mucilage: Float64Array;
  starchSynthesis: Float64Array;
}

export interface SucroseStepStats {
  picardIterations: number;
  /** Max relative change of C in the last Picard iteration. */
  picardChange: number;
  linearSolveOk: boolean;
}

/** Workspace for {@link stepSucrose}; grows with the network, allocates nothing per step otherwise. */
export class SucroseSolver {
  private cap = 0;
  c = new Float64Array(0);
  private cIt = new Float64Array(0);
  private diag = new Float64Array(0);
  private lower = new Float64Array(0);
  private upper = new Float64Array(0);
  private rhs = new Float64Array(0);
  private piv = new Float64Array(0);
  private y = new Float64Array(0);
  private kRm = new Float64Array(0);
  private kGr = new Float64Array(0);
  private kSt = new Float64Array(0);
  private starchFixed = new Float64Array(0);
  private starchLimited = new Uint8Array(0);
  readonly fluxes: SucroseStepFluxes = { maintenance: new Float64Array(0), growthUptake: new Float64Array(0), exudation: new Float64Array(0), mucilage: new Float64Array(0), starchSynthesis: new Float64Array(0) };

  private ensure(n: number): void {
    if (n <= this.cap) return;
    const c = Math.max(n, 2 * this.cap, 64);
    this.cap = c;
    const f = () => new Float64Array(c);
    this.c = f();
    this.cIt = f();
    this.diag = f();
    this.lower = f();
    this.upper = f();
    this.rhs = f();
    this.piv = f();
    this.y = f();
    this.kRm = f();
    this.kGr = f();
    this.kSt = f();
    this.starchFixed = f();
    this.starchLimited = new Uint8Array(c);
    this.fluxes.maintenance = f();
    this.fluxes.growthUptake = f();
    this.fluxes.exudation = f();
    this.fluxes.mucilage = f();
    this.fluxes.starchSynthesis = f();
  }

  /** One backward-Euler step with Picard iterations on the frozen coefficients; updates `state` in place. */
  step(pb: SucroseProblem, state: CarbonState, maxPicard = 30, tol = 1e-12): SucroseStepStats {
    const n = pb.n;
    this.ensure(n);
    const { c, cIt, diag, lower, upper, rhs, kRm, kGr, kSt, starchFixed, starchLimited } = this;
    const p = pb.params;
    const dt = pb.dt_d;
    const V = pb.volume_cm3;
    const beta = pb.osmoticHead_cm_per_molC_cm3;
    for (let k = 0; k < n; k++) {
      cIt[k] = V[k] > 0 ? state.sucrose_molC[k] / V[k] : p.initialSucrose_molC_per_cm3;
      starchLimited[k] = 0;
    }
    // Zero-volume nodes (new tips) start from their parent's concentration.
    for (let k = 1; k < n; k++) if (!(V[k] > 0)) cIt[k] = cIt[pb.parent[k]];
    let it = 0;
    let change = Infinity;
    let ok = true;
    for (it = 1; it <= maxPicard; it++) {
      // Frozen coefficients at the iterate.
      for (let k = 0; k < n; k++) {
        const ci = Math.max(cIt[k], 0);
        kRm[k] = pb.maintenancePotential_molC_per_d[k] / (p.kmMaintenance_molC_per_cm3 + ci);
        const excess = ci - p.growthMinC_molC_per_cm3;
        kGr[k] = excess > 0 && ci > 0 ? (pb.growthDemand_molC_per_d[k] * excess) / ((p.kmGrowth_molC_per_cm3 + excess) * ci) : 0;
        kSt[k] = starchLimited[k] ? 0 : p.starchRate_per_d * V[k];
        starchFixed[k] = starchLimited[k] ? state.starch_molC[k] / dt : 0;
        diag[k] = V[k] / dt + kRm[k] + kGr[k] + kSt[k] + pb.exudationCoef_cm3_per_d[k];
        rhs[k] = state.sucrose_molC[k] / dt + pb.source_molC_per_d[k] + pb.exudationCoef_cm3_per_d[k] * pb.soilConc_molC_per_cm3[k] + kSt[k] * p.starchTarget_molC_per_cm3 + starchFixed[k];
      }
      for (let k = 1; k < n; k++) {
        const q = pb.parent[k];
        const kst = pb.conductance_cm3_per_d_cm[k - 1];
        const w = kst * beta * 0.5 * (Math.max(cIt[q], 0) + Math.max(cIt[k], 0));
        const F = kst * (pb.phi_cm[q] - pb.phi_cm[k]);
        const Fp = F > 0 ? F : 0;
        const Fm = F < 0 ? -F : 0;
        diag[q] += w + Fp;
        upper[k] = -w - Fm;
        diag[k] += w + Fm;
        lower[k] = -w - Fp;
      }
      if (!solveTree(n, pb.parent, diag, lower, upper, rhs, c, this.piv, this.y)) {
        ok = false;
        break;
      }
      // Starch degradation may not exceed the starch present (plus this step's mucilage is drawn from what remains).
      let switched = false;
      for (let k = 0; k < n; k++) {
        if (!starchLimited[k] && kSt[k] > 0) {
          const s = dt * kSt[k] * (c[k] - p.starchTarget_molC_per_cm3);
          if (state.starch_molC[k] + s < 0) {
            starchLimited[k] = 1;
            switched = true;
          }
        }
      }
      change = 0;
      for (let k = 0; k < n; k++) {
        const d = Math.abs(c[k] - cIt[k]) / Math.max(Math.abs(c[k]), 1e-12);
        if (d > change) change = d;
        cIt[k] = c[k];
      }
      if (change <= tol && !switched) break;
    }
    if (it > maxPicard) it = maxPicard;
    // Realised fluxes with the coefficients of the last linear solve (exact budget).
    const fl = this.fluxes;
    for (let k = 0; k < n; k++) {
      const ck = c[k];
      fl.maintenance[k] = dt * kRm[k] * ck;
      fl.growthUptake[k] = dt * kGr[k] * ck;
      fl.exudation[k] = dt * pb.exudationCoef_cm3_per_d[k] * (ck - pb.soilConc_molC_per_cm3[k]);
      const synth = dt * (kSt[k] * (ck - p.starchTarget_molC_per_cm3) - starchFixed[k]);
      fl.starchSynthesis[k] = synth;
      const starchPre = state.starch_molC[k] + synth;
      // Mucilage from tip starch, implicit: starch/(1 + dt k_m S/V); all of it when V = 0.
      const km = pb.mucilageCoef_cm3_per_d[k];
      let muc = 0;
      if (km > 0) muc = V[k] > 0 ? (starchPre * (dt * km)) / (V[k] + dt * km) : starchPre;
      fl.mucilage[k] = muc;
      state.starch_molC[k] = starchPre - muc;
      state.sucrose_molC[k] = V[k] * ck;
    }
    return { picardIterations: it, picardChange: change, linearSolveOk: ok };
  }
}

/** Osmotic head per sucrose-carbon concentration β = R T/12 (van 't Hoff), cm per (mol C cm⁻³), at temperature T (°C). */
export function osmoticHeadPerConcentration(t_C: number): number {
  const R = 8.314; // J mol⁻¹ K⁻¹
  const PA_PER_CM = 98.0665; // Pa per cm of water head
  const MOL_C_PER_MOL_SUCROSE = 12;
  return (1e6 * R * (t_C + 273.15)) / (MOL_C_PER_MOL_SUCROSE * PA_PER_CM);
}
