import { ORGAN_ROOT, SegmentNetwork } from '../plant/segments.js';
import { XylemSolver } from '../plant/xylem.js';
import type { PlantModel, PlantModelState, PlantStepResult } from '../plant/plant-model.js';
import type { Weather } from '../plant/weather.js';
import { ReturnCode } from '../numerics/ode/types.js';

/**
 * The root side of the coupling: what the fixed-point iteration asks of the plant (004 App. F
 * "plant water"). Two implementations: {@link StaticRootSystem} (prescribed architecture, kr/kx,
 * transpiration and collar limit: the root-water-uptake problems, no growth, no carbon) and
 * {@link PlantRootSide} (the growing plant of 004 with stomata, sucrose, exudation, mucilage).
 */
export interface RootSide {
  /** Segment network (segment s joins parent[s + 1] to node s + 1). */
  readonly net: SegmentNetwork;
  /** True for segments that exchange with the soil (root segments). */
  isRootSegment(s: number): boolean;
  /**
   * Plant water for one iterate: given per segment the soil matric head at the root surface ψ_rsi
   * (cm) and the soil–root interface conductances K_sri for uptake and release (004 Eq 4, d⁻¹),
   * fill `uptake_cm3_per_d[s]` (soil → root, negative = release) for every segment.
   */
  solveWater(t_d: number, psiRsi_cm: Float64Array, kSriUptake_per_d: Float64Array, kSriRelease_per_d: Float64Array, uptake_cm3_per_d: Float64Array): RootWaterResult;
  /** Mean xylem pressure head of segment s after the last {@link solveWater} (its two nodes), cm; absent where there is no xylem. */
  segmentXylemHead_cm?(s: number): number;
  /** The radial uptake conductance of segment s in the last {@link solveWater}, min(k_r, K_sri) (004 Eq 3), d⁻¹. */
  segmentUptakeK_per_d?(s: number): number;
}

export interface RootWaterResult {
  readonly converged: boolean;
  /** Collar (root-system base) xylem pressure head, cm. */
  readonly collarPsi_cm: number;
  /** Actual transpiration (= net uptake, no storage), cm³ d⁻¹. */
  readonly transpiration_cm3_per_d: number;
  /** Potential transpiration, cm³ d⁻¹ (static root systems; the plant's is stomatal). */
  readonly potentialTranspiration_cm3_per_d: number;
  /** True when the collar limit held the head (water-limited). */
  readonly collarLimited: boolean;
}

/** Prescribed root system for water-only coupling (root-water-uptake kind; Khare et al. 2022 C1.2). */
export interface StaticRootSystemSpec {
  /** Node coordinates, cm; node 0 is the collar; parent[k] < k, parent[0] = −1. */
  readonly x_cm: ArrayLike<number>;
  readonly y_cm: ArrayLike<number>;
  readonly z_cm: ArrayLike<number>;
  readonly parent: ArrayLike<number>;
  /** Per segment (node k − 1 → k): radius, cm. */
  readonly radius_cm: ArrayLike<number>;
  /** Per segment radial conductivity k_r, cm d⁻¹ per cm of head (d⁻¹). Mutable: age-dependent tables can update it. */
  readonly kr_per_d: Float64Array;
  /** Per segment axial conductance k_x, cm³ d⁻¹ (flow per unit head gradient). */
  readonly kx_cm3_per_d: Float64Array;
  /** Potential transpiration at time t, cm³ d⁻¹ (the coupling asks at the sub-step midpoint). */
  readonly potentialTranspiration_cm3_per_d: (t_d: number) => number;
  /** Collar pressure head limit (e.g. −15000 cm): below it the collar holds this head. */
  readonly collarLimit_cm: number;
}

/**
 * Static root system: xylem by the exact segment elements of {@link XylemSolver} with a collar head
 * chosen so that net uptake = potential transpiration (Illinois regula falsi on the piecewise
 * linear, monotone collar flow), or the collar limit when the soil cannot supply it.
 */
export class StaticRootSystem implements RootSide {
  readonly net: SegmentNetwork;
  readonly spec: StaticRootSystemSpec;
  /** Xylem heads of the last solve, cm. */
  readonly psiX_cm: Float64Array;
  private readonly xylem = new XylemSolver();
  private readonly gUp: Float64Array;
  private readonly gRel: Float64Array;
  private readonly radial: Float64Array;
  private readonly psiOuter: Float64Array;
  private lastCollar = Number.NaN;

  constructor(spec: StaticRootSystemSpec) {
    this.spec = spec;
    this.net = SegmentNetwork.fromArrays(spec.x_cm, spec.y_cm, spec.z_cm, spec.parent, spec.radius_cm);
    const ns = this.net.segmentCount;
    this.gUp = new Float64Array(ns);
    this.gRel = new Float64Array(ns);
    this.radial = new Float64Array(ns);
    this.psiOuter = new Float64Array(ns);
    this.psiX_cm = new Float64Array(ns + 1).fill(-500);
  }

  isRootSegment(): boolean {
    return true;
  }

  /** Warm starts (xylem heads, collar head) as plain data: repeated steps from a restored state are identical. */
  saveState(): { psiX_cm: Float64Array; collar_cm: number } {
    return { psiX_cm: this.psiX_cm.slice(), collar_cm: this.lastCollar };
  }

  restoreState(s: { psiX_cm: Float64Array; collar_cm: number }): void {
    this.psiX_cm.set(s.psiX_cm);
    this.lastCollar = s.collar_cm;
  }

  segmentXylemHead_cm(s: number): number {
    return 0.5 * (this.psiX_cm[this.net.parent[s + 1]] + this.psiX_cm[s + 1]);
  }

  segmentUptakeK_per_d(s: number): number {
    return this.gUp[s] / (2 * Math.PI * this.net.radius_cm[s]);
  }

  solveWater(t_d: number, psiRsi: Float64Array, kUp: Float64Array, kRel: Float64Array, uptake: Float64Array): RootWaterResult {
    const ns = this.net.segmentCount;
    const sp = this.spec;
    let psiTotMax = -Infinity;
    for (let s = 0; s < ns; s++) {
      const perim = 2 * Math.PI * this.net.radius_cm[s];
      this.gUp[s] = perim * Math.min(sp.kr_per_d[s], kUp[s]);
      this.gRel[s] = perim * Math.min(sp.kr_per_d[s], kRel[s]);
      this.psiOuter[s] = psiRsi[s];
      psiTotMax = Math.max(psiTotMax, psiRsi[s] + 0.5 * (this.net.z[s + 1] + this.net.z[this.net.parent[s + 1]]));
    }
    const T = sp.potentialTranspiration_cm3_per_d(t_d);
    const inputs = { kx_cm3_per_d: sp.kx_cm3_per_d, gUptake_cm_per_d: this.gUp, gRelease_cm_per_d: this.gRel, psiOuter_cm: this.psiOuter };
    let converged = true;
    const f = (h: number): number => {
      const r = this.xylem.solve(this.net, inputs, null, this.psiX_cm, this.radial, { collarHead_cm: h, flowTolerance_cm3_per_d: 1e-12 * Math.max(1, T) });
      if (r.newton.retcode !== ReturnCode.Success) converged = false;
      return r.netOutflow_cm3_per_d + T;
    };
    const lo0 = sp.collarLimit_cm;
    let collar: number;
    let limited = false;
    const flo0 = f(lo0);
    if (flo0 >= 0) {
      collar = lo0;
      limited = true;
    } else {
      let lo = lo0;
      let flo = flo0;
      let hi = Math.max(psiTotMax - this.net.z[0] + 1, lo + 1);
      let fhi = f(hi);
      let x = Number.isFinite(this.lastCollar) && this.lastCollar > lo && this.lastCollar < hi ? this.lastCollar : lo - (flo * (hi - lo)) / (fhi - flo);
      let side = 0;
      for (let it = 0; it < 200; it++) {
        const fx = f(x);
        if (Math.abs(fx) <= 1e-12 * Math.max(T, 1e-300) || hi - lo < 1e-12 * Math.max(1, Math.abs(x))) break;
        if (fx < 0) {
          lo = x;
          flo = fx;
          if (side === -1) fhi /= 2;
          side = -1;
        } else {
          hi = x;
          fhi = fx;
          if (side === 1) flo /= 2;
          side = 1;
        }
        x = lo - (flo * (hi - lo)) / (fhi - flo);
      }
      collar = x;
    }
    f(collar);
    this.lastCollar = collar;
    let tr = 0;
    for (let s = 0; s < ns; s++) {
      uptake[s] = -this.radial[s];
      tr += uptake[s];
    }
    return { converged, collarPsi_cm: collar, transpiration_cm3_per_d: tr, potentialTranspiration_cm3_per_d: T, collarLimited: limited };
  }
}

/**
 * A root side that prescribes the uptake of every root segment (cm³ d⁻¹, soil → root) with no
 * xylem: the inner boundary of each 1D model then carries this flux until the Eq B12 limit at
 * ψ_crit takes over (single-root benchmarks such as C1.1 through the coupled path).
 */
export class PrescribedUptake implements RootSide {
  readonly net: SegmentNetwork;
  private readonly rate: (s: number, t_d: number) => number;

  constructor(net: SegmentNetwork, uptake_cm3_per_d: (segment: number, t_d: number) => number) {
    this.net = net;
    this.rate = uptake_cm3_per_d;
  }

  isRootSegment(): boolean {
    return true;
  }

  solveWater(t_d: number, _psi: Float64Array, _kUp: Float64Array, _kRel: Float64Array, uptake: Float64Array): RootWaterResult {
    let tr = 0;
    for (let s = 0; s < this.net.segmentCount; s++) tr += uptake[s] = this.rate(s, t_d);
    return { converged: true, collarPsi_cm: Number.NaN, transpiration_cm3_per_d: tr, potentialTranspiration_cm3_per_d: tr, collarLimited: false };
  }
}

/** Plain-data state of a {@link PlantRootSide}. */
export interface PlantRootSideState {
  kind: 'plantRootSide';
  plant: PlantModelState;
  psi: Float64Array;
  cL: Float64Array;
  kU: Float64Array;
  kR: Float64Array;
}

/**
 * The growing plant of 004 as root side: water from {@link PlantModel.solveWater} at the weather of
 * the sub-step; carbon (sucrose, exudation, mucilage, growth) once per outer step in {@link step}.
 */
export class PlantRootSide implements RootSide {
  readonly plant: PlantModel;
  readonly weather: (t_d: number) => Weather;
  private psi = new Float64Array(0);
  private cL = new Float64Array(0);
  private kU = new Float64Array(0);
  private kR = new Float64Array(0);
  /** Result of the last carbon/growth {@link step} (budget, per-segment releases), for output. */
  lastStep: PlantStepResult | undefined;

  constructor(plant: PlantModel, weather: (t_d: number) => Weather) {
    this.plant = plant;
    this.weather = weather;
  }

  get net(): SegmentNetwork {
    return this.plant.arch.net;
  }

  /**
   * The plant's state ({@link PlantModel.saveState}) and this side's soil buffers, as plain data.
   * The one-step lag of exudation and mucilage lives in the coupled model's state (its releases of
   * the next step), so CoupledModel.saveState with this side holds everything a resumed run needs.
   */
  saveState(): PlantRootSideState {
    return { kind: 'plantRootSide', plant: this.plant.saveState(), psi: this.psi.slice(), cL: this.cL.slice(), kU: this.kU.slice(), kR: this.kR.slice() };
  }

  restoreState(s: PlantRootSideState): void {
    this.plant.restoreState(s.plant);
    this.psi = s.psi.slice();
    this.cL = s.cL.slice();
    this.kU = s.kU.slice();
    this.kR = s.kR.slice();
    this.lastStep = undefined;
  }

  isRootSegment(s: number): boolean {
    return this.net.organType[s] === ORGAN_ROOT;
  }

  private ensure(ns: number): void {
    if (this.psi.length >= ns) return;
    const c = Math.max(ns, 2 * this.psi.length, 1024);
    this.psi = new Float64Array(c);
    this.cL = new Float64Array(c);
    this.kU = new Float64Array(c);
    this.kR = new Float64Array(c);
  }

  segmentXylemHead_cm(s: number): number {
    const psi = this.plant.psi_cm;
    return 0.5 * (psi[this.net.parent[s + 1]] + psi[s + 1]);
  }

  segmentUptakeK_per_d(s: number): number {
    return this.plant.uptakeConductance_cm_per_d(s) / (2 * Math.PI * this.net.radius_cm[s]);
  }

  solveWater(t_d: number, psiRsi: Float64Array, kUp: Float64Array, kRel: Float64Array, uptake: Float64Array): RootWaterResult {
    const ns = this.net.segmentCount;
    this.ensure(ns);
    this.psi.set(psiRsi.subarray(0, ns));
    this.kU.set(kUp.subarray(0, ns));
    this.kR.set(kRel.subarray(0, ns));
    const r = this.plant.solveWater(this.weather(t_d), { psi_cm: this.psi, cL_molC_per_cm3_water: this.cL, kSriUptake_per_d: this.kU, kSriRelease_per_d: this.kR });
    const out = this.plant.radialOut_cm3_per_d;
    let tr = 0;
    for (let s = 0; s < ns; s++) {
      uptake[s] = this.isRootSegment(s) ? -out[s] : 0;
      tr += uptake[s];
    }
    return { converged: r.converged, collarPsi_cm: r.collarPsi_cm, transpiration_cm3_per_d: r.transpiration_cm3_per_d, potentialTranspiration_cm3_per_d: Number.NaN, collarLimited: false };
  }

  /**
   * Carbon and growth over the outer step (004 Fig. 4 steps 1 and 5): sucrose transport, growth
   * demand, exudation and mucilage with C_L^l of each segment's innermost 1D cell and the converged
   * ψ_rsi; organs elongate (new segments appear). Returns the plant step result.
   */
  step(dt_d: number, t_mid_d: number, psiRsi: Float64Array, cL: Float64Array, kUp: Float64Array, kRel: Float64Array): PlantStepResult {
    const ns = this.net.segmentCount;
    this.ensure(ns + 1);
    this.psi.set(psiRsi.subarray(0, ns));
    this.cL.set(cL.subarray(0, ns));
    this.kU.set(kUp.subarray(0, ns));
    this.kR.set(kRel.subarray(0, ns));
    // Capacity for segments the step may add (their soil values are read only from the next step on).
    const cap = Math.max(this.psi.length, 2 * ns + 1024);
    const grow = (a: Float64Array, fill: number) => {
      const b = new Float64Array(cap).fill(fill);
      b.set(a.subarray(0, ns));
      return b;
    };
    const soil = { psi_cm: grow(this.psi, -100), cL_molC_per_cm3_water: grow(this.cL, 0), kSriUptake_per_d: grow(this.kU, 0), kSriRelease_per_d: grow(this.kR, 0) };
    this.lastStep = this.plant.step(dt_d, this.weather(t_mid_d), soil);
    return this.lastStep;
  }
}
