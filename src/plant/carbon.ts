import { solveTree } from '../numerics/linalg/tree.js';
import { exudationFloor_molC_per_cm3, type ExudationLaw, type MaintenanceLaw } from './departures.js';
import type { CarbonParams } from './plant-params.js';

/**
 * Sieve-tube sucrose and starch on the plant network (004 Eqs 12–20), one implicit step.
 *
 * Unknown: sucrose carbon concentration C (mol C cm⁻³ sieve tube) at every node; the caller gives each
 * node its volume (the plant model gives a node the segment it ends: the exuding tip node is the last
 * segment, as in Eq 15). Along a segment between nodes p and k, Münch flow (Eq 12)
 * carries J = C·k_st·(P_p − P_k) with the sieve-tube pressure head P = β C + ψ_x + z (osmotic +
 * xylem + gravity; β = R T/12 per mol C), k_st = k_x,st/(μ l). It is discretised as
 *   J = k_st β C̄ (C_p − C_k) + k_st (φ_p − φ_k) C_up,   φ = ψ_x + z, C̄ = (C_p + C_k)/2,
 * whose first term is exact for the osmotic part (∫C dC) and whose second is upwinded; with C̄
 * frozen at the previous Picard iterate, backward Euler gives an M-matrix on the tree, so C ≥ 0 and
 * the step costs O(n) per iteration ({@link solveTree}).
 *
 * Sinks and sources per node, each affine in the new C with coefficients frozen at the iterate:
 * assimilation (into the sieve tube, or into the leaf mesophyll where the node has one), maintenance
 * respiration R_m = R_m,pot·C/(K_M + C), growth uptake G·(C − C_min)⁺/(K_G + C − C_min), exudation
 * K_lat,st·S_tip·(C − C_thr − C_L^l)⁺ at growing tips (Eqs 15–16 above the sucrose kept for growth and
 * storage; affine K S (C − C_thr − C_L^l) on the active set of the iterate), starch synthesis/degradation
 * k_targ·V·(C − C_targ) (Eq 18, degradation limited by the starch present), mucilage k_mucil·S_tip·starch/V
 * from tip starch (Eqs 17, 19–20, implicit). Leaf mesophyll (004: S_other,st includes the "inflow from the
 * mesophyll compartment"): its own sucrose and starch (target C_targ,meso) and active loading into the sieve
 * tube F = V_max,load l C_m/(K_load + C_m) e^{−β_load C} (CPlantBox PiafMunch2.cpp after Stanfield & Bartlett
 * 2022), eliminated locally per node so the tree solve is unchanged.
 *
 * Every flux is evaluated with the same coefficients and the same C that solved the linear system, so the
 * carbon budget closes to the round-off of the linear solve whether or not Picard has converged. Picard
 * converges to 1e−12 in practice: the iterate is under-relaxed (½ after four iterations, ¼ after thirty;
 * frozen coefficients of stiff sinks, e.g. growth switching on at dusk, otherwise oscillate), and a starch
 * pool limited within the step synthesises again when its node ends above the target (at most
 * {@link MAX_FLIPS} re-activations).
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
  /** Mucilage coefficient k_mucil·S_tip at growing-tip nodes, cm³ d⁻¹ (0 elsewhere; Eqs 19–20). */
  readonly mucilageCoef_cm3_per_d: Float64Array;
  /** C_L^l in the soil water at the root surface, per node (tips), mol C cm⁻³ water. */
  readonly soilConc_molC_per_cm3: Float64Array;
  /**
   * Leaf mesophyll volume per node, cm³ (absent or 0: no mesophyll). Where present, the node's assimilation
   * enters the mesophyll, which loads the sieve tube actively (004 Sec. 2.2.3, S_other,st "inflow from the
   * mesophyll compartment") and keeps its own starch.
   */
  readonly mesophyllVolume_cm3?: Float64Array;
  /** Loading capacity V_max,load × blade length per node, mol C d⁻¹ (with {@link mesophyllVolume_cm3}). */
  readonly loadingCapacity_molC_per_d?: Float64Array;
  readonly params: CarbonParams;
  /**
   * Form of Eq 16 (src/plant/departures.ts): `threshold` (default) K S (C − C_thr − C_L^l)⁺, `eq16` as printed
   * K S (C − C_L^l)⁺, `code004` 004's code K S (C − C_thr − (C_L^l − CSTimin_exud)⁺)⁺.
   */
  readonly exudationLaw?: ExudationLaw;
  /**
   * Maintenance respiration (src/plant/departures.ts): `independent` (default) R_m,pot C/(K_M + C) next to growth;
   * `code004` one use U = (R_m,pot + G)(C − C_min)⁺/(K_G + (C − C_min)⁺) with R_m = min(U, R_m,pot), growth U − R_m.
   */
  readonly maintenanceLaw?: MaintenanceLaw;
}

/** Carbon state per node: sucrose and starch amounts, mol C (updated in place by {@link SucroseSolver.step}). */
export interface CarbonState {
  sucrose_molC: Float64Array;
  starch_molC: Float64Array;
  /** Leaf mesophyll sucrose and starch, mol C (needed when the problem has a mesophyll). */
  mesophyll_molC?: Float64Array;
  mesophyllStarch_molC?: Float64Array;
}

/** Realised amounts over the step, mol C, per node. */
export interface SucroseStepFluxes {
  maintenance: Float64Array;
  growthUptake: Float64Array;
  exudation: Float64Array;
  mucilage: Float64Array;
  starchSynthesis: Float64Array;
  /** Phloem loading from the mesophyll into the sieve tube, mol C. */
  loading: Float64Array;
  /** Starch synthesis (negative: degradation) in the mesophyll, mol C. */
  mesophyllStarchSynthesis: Float64Array;
}

export interface SucroseStepStats {
  picardIterations: number;
  /** Max relative change of C in the last Picard iteration. */
  picardChange: number;
  linearSolveOk: boolean;
}

/** Re-activations of a starch pool limited within one step (guards against cycling). */
const MAX_FLIPS = 2;

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
  private kEx = new Float64Array(0);
  private exFloor = new Float64Array(0);
  private starchFixed = new Float64Array(0);
  private starchLimited = new Uint8Array(0);
  // Mesophyll: iterate concentration, loading and starch coefficients, new concentration.
  private cmIt = new Float64Array(0);
  private cm = new Float64Array(0);
  private kLoad = new Float64Array(0);
  private kSm = new Float64Array(0);
  private mStarchFixed = new Float64Array(0);
  private mStarchLimited = new Uint8Array(0);
  private flips = new Uint8Array(0);
  readonly fluxes: SucroseStepFluxes = { maintenance: new Float64Array(0), growthUptake: new Float64Array(0), exudation: new Float64Array(0), mucilage: new Float64Array(0), starchSynthesis: new Float64Array(0), loading: new Float64Array(0), mesophyllStarchSynthesis: new Float64Array(0) };

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
    this.kEx = f();
    this.exFloor = f();
    this.starchFixed = f();
    this.starchLimited = new Uint8Array(c);
    this.cmIt = f();
    this.cm = f();
    this.kLoad = f();
    this.kSm = f();
    this.mStarchFixed = f();
    this.mStarchLimited = new Uint8Array(c);
    this.flips = new Uint8Array(c);
    this.fluxes.loading = f();
    this.fluxes.mesophyllStarchSynthesis = f();
    this.fluxes.maintenance = f();
    this.fluxes.growthUptake = f();
    this.fluxes.exudation = f();
    this.fluxes.mucilage = f();
    this.fluxes.starchSynthesis = f();
  }

  /** One backward-Euler step with Picard iterations on the frozen coefficients; updates `state` in place. */
  step(pb: SucroseProblem, state: CarbonState, maxPicard = 80, tol = 1e-12): SucroseStepStats {
    const n = pb.n;
    this.ensure(n);
    const { c, cIt, diag, lower, upper, rhs, kRm, kGr, kSt, kEx, exFloor, starchFixed, starchLimited, cm, cmIt, kLoad, kSm, mStarchFixed, mStarchLimited, flips } = this;
    const p = pb.params;
    const dt = pb.dt_d;
    const V = pb.volume_cm3;
    const beta = pb.osmoticHead_cm_per_molC_cm3;
    const Vm = pb.mesophyllVolume_cm3;
    const cap = pb.loadingCapacity_molC_per_d;
    const Qm = state.mesophyll_molC;
    const Sm = state.mesophyllStarch_molC;
    if (Vm && !(cap && Qm && Sm)) throw new Error('SucroseSolver: a mesophyll needs loading capacities and mesophyll state arrays');
    const hasMeso = (k: number) => Vm !== undefined && Vm[k] > 0;
    const exLaw = pb.exudationLaw ?? 'threshold';
    const shared = pb.maintenanceLaw === 'code004';
    for (let k = 0; k < n; k++) {
      cIt[k] = V[k] > 0 ? state.sucrose_molC[k] / V[k] : p.initialSucrose_molC_per_cm3;
      starchLimited[k] = 0;
      mStarchLimited[k] = 0;
      flips[k] = 0;
      cmIt[k] = hasMeso(k) ? Qm![k] / Vm![k] : 0;
      cm[k] = cmIt[k];
      kLoad[k] = 0;
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
        const excess = ci - p.growthMinC_molC_per_cm3;
        if (shared) {
          // 004 code (Fu_lim): maintenance and growth share one Michaelis–Menten use above C_min; kGr carries it all.
          kRm[k] = 0;
          const u = pb.maintenancePotential_molC_per_d[k] + pb.growthDemand_molC_per_d[k];
          kGr[k] = excess > 0 && ci > 0 ? (u * excess) / ((p.kmGrowth_molC_per_cm3 + excess) * ci) : 0;
        } else {
          kRm[k] = pb.maintenancePotential_molC_per_d[k] / (p.kmMaintenance_molC_per_cm3 + ci);
          kGr[k] = excess > 0 && ci > 0 ? (pb.growthDemand_molC_per_d[k] * excess) / ((p.kmGrowth_molC_per_cm3 + excess) * ci) : 0;
        }
        kSt[k] = starchLimited[k] ? 0 : p.starchRate_per_d * V[k];
        starchFixed[k] = starchLimited[k] ? state.starch_molC[k] / dt : 0;
        // Exudation K S (C − floor)⁺ (floor = C_thr + C_L^l by default, see exudationLaw): affine K S (C − floor)
        // where active (active set from the iterate).
        exFloor[k] = exudationFloor_molC_per_cm3(exLaw, p, pb.soilConc_molC_per_cm3[k]);
        kEx[k] = pb.exudationCoef_cm3_per_d[k] > 0 && ci > exFloor[k] ? pb.exudationCoef_cm3_per_d[k] : 0;
        diag[k] = V[k] / dt + kRm[k] + kGr[k] + kSt[k] + kEx[k];
        rhs[k] = state.sucrose_molC[k] / dt + kSt[k] * p.starchTarget_molC_per_cm3 + starchFixed[k] + kEx[k] * exFloor[k];
        if (hasMeso(k)) {
          // Mesophyll (backward Euler, eliminated locally): V_m dC_m/dt = A − F − S_m, with the loading
          // F = k_L C_m, k_L = V_max,load l /(K_load + C_m) · e^{−β_load C_st} (Michaelis–Menten in the mesophyll,
          // feedback of the sieve-tube concentration), and starch S_m = k_S,m V_m (C_m − C_targ,m), both frozen
          // at the iterate. F is then a known inflow of the sieve-tube node.
          const cmi = Math.max(cmIt[k], 0);
          kLoad[k] = (cap![k] / (p.loadingHalfSaturation_molC_per_cm3 + cmi)) * Math.exp(-p.loadingFeedback_cm3_per_molC * ci);
          kSm[k] = mStarchLimited[k] ? 0 : p.mesophyllStarchRate_per_d * Vm![k];
          mStarchFixed[k] = mStarchLimited[k] ? Sm![k] / dt : 0;
          cm[k] = (Qm![k] / dt + pb.source_molC_per_d[k] + kSm[k] * p.mesophyllStarchTarget_molC_per_cm3 + mStarchFixed[k]) / (Vm![k] / dt + kLoad[k] + kSm[k]);
          if (cm[k] < 0) {
            // Only a negative source (net A_n at night, plant.laws.photosynthesis code004) gets here: the mesophyll goes into
            // debt and loads nothing, as 004's code (PiafMunch2.cpp l.158, 203: loading of max(0, C_meso)).
            kLoad[k] = 0;
            cm[k] = (Qm![k] / dt + pb.source_molC_per_d[k] + kSm[k] * p.mesophyllStarchTarget_molC_per_cm3 + mStarchFixed[k]) / (Vm![k] / dt + kSm[k]);
          }
          rhs[k] += kLoad[k] * cm[k];
        } else rhs[k] += pb.source_molC_per_d[k];
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
      // A limited node whose solution lies above the target synthesises starch again (a few switches per step at most).
      let switched = false;
      for (let k = 0; k < n; k++) {
        if (!starchLimited[k] && kSt[k] > 0) {
          const s = dt * kSt[k] * (c[k] - p.starchTarget_molC_per_cm3);
          if (state.starch_molC[k] + s < 0) {
            starchLimited[k] = 1;
            switched = true;
          }
        } else if (starchLimited[k] && c[k] > p.starchTarget_molC_per_cm3 && flips[k] < MAX_FLIPS) {
          starchLimited[k] = 0;
          flips[k]++;
          switched = true;
        }
        if (hasMeso(k)) {
          if (!mStarchLimited[k] && kSm[k] > 0 && Sm![k] + dt * kSm[k] * (cm[k] - p.mesophyllStarchTarget_molC_per_cm3) < 0) {
            mStarchLimited[k] = 1;
            switched = true;
          } else if (mStarchLimited[k] && cm[k] > p.mesophyllStarchTarget_molC_per_cm3 && flips[k] < MAX_FLIPS) {
            mStarchLimited[k] = 0;
            flips[k]++;
            switched = true;
          }
        }
      }
      change = 0;
      // Under-relaxed update of the iterate after the first iterations (damps the oscillation of frozen
      // coefficients of stiff sinks, e.g. growth switching on at dusk); the fluxes stay those of the last solve.
      // Over the three 004 scenarios every step then reaches the tolerance within 70 iterations (mean 33).
      const w = it <= 4 ? 1 : it <= 30 ? 0.5 : 0.25;
      for (let k = 0; k < n; k++) {
        const d = Math.abs(c[k] - cIt[k]) / Math.max(Math.abs(c[k]), 1e-12);
        if (d > change) change = d;
        cIt[k] = w * c[k] + (1 - w) * cIt[k];
        if (hasMeso(k)) {
          const dm = Math.abs(cm[k] - cmIt[k]) / Math.max(Math.abs(cm[k]), 1e-12);
          if (dm > change) change = dm;
          cmIt[k] = w * cm[k] + (1 - w) * cmIt[k];
        }
      }
      if (change <= tol && !switched) break;
    }
    if (it > maxPicard) it = maxPicard;
    // Realised fluxes with the coefficients of the last linear solve (exact budget).
    const fl = this.fluxes;
    for (let k = 0; k < n; k++) {
      const ck = c[k];
      if (shared) {
        // Maintenance first (R_m = min(U, R_m,pot)), growth the rest; their sum is the solved use U.
        const use = dt * kGr[k] * ck;
        fl.maintenance[k] = Math.min(use, dt * pb.maintenancePotential_molC_per_d[k]);
        fl.growthUptake[k] = use - fl.maintenance[k];
      } else {
        fl.maintenance[k] = dt * kRm[k] * ck;
        fl.growthUptake[k] = dt * kGr[k] * ck;
      }
      fl.exudation[k] = dt * kEx[k] * (ck - exFloor[k]);
      const synth = dt * (kSt[k] * (ck - p.starchTarget_molC_per_cm3) - starchFixed[k]);
      fl.starchSynthesis[k] = synth;
      const starchPre = state.starch_molC[k] + synth;
      // Mucilage from tip starch (Eqs 19–20: k_mucil S_tip · starch/V), implicit: starch·k S dt/(V + k S dt).
      const km = pb.mucilageCoef_cm3_per_d[k];
      let muc = 0;
      if (km > 0) muc = V[k] > 0 ? (starchPre * (dt * km)) / (V[k] + dt * km) : starchPre;
      fl.mucilage[k] = muc;
      state.starch_molC[k] = starchPre - muc;
      state.sucrose_molC[k] = V[k] * ck;
      if (hasMeso(k)) {
        // Same coefficients and C_m as the last solve: the mesophyll balance closes exactly.
        fl.loading[k] = dt * kLoad[k] * cm[k];
        const ms = dt * (kSm[k] * (cm[k] - p.mesophyllStarchTarget_molC_per_cm3) - mStarchFixed[k]);
        fl.mesophyllStarchSynthesis[k] = ms;
        Sm![k] += ms;
        Qm![k] = Vm![k] * cm[k];
      } else {
        fl.loading[k] = 0;
        fl.mesophyllStarchSynthesis[k] = 0;
      }
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
