import { CM_PER_HPA } from '../core/units.js';
import { hydraulicConductivity, type VanGenuchtenMualem } from '../soil/van-genuchten.js';
import { PlantArchitecture, type ArchitectureState, type CreationEvent, type Organ } from './architecture.js';
import { osmoticHeadPerConcentration, SucroseSolver, type CarbonState } from './carbon.js';
import { CARBON_UMOL_M2_S_TO_MOL_CM2_D, leafConditionsFor, leafGasExchange, stomatalWaterFactor, WATER_MOL_M2_S_TO_CM_PER_D, type GasExchange, type LeafConditions } from './leaf.js';
import { code004PotentialRateOf_cm_per_d, DEFAULT_PLANT_LAWS, mucilageCoefficient_cm3_per_d, type PlantLaws } from './departures.js';
import type { CarbonParams, HydraulicParams, LeafParams } from './plant-params.js';
import type { PlantParameters } from './xml-params.js';
import { XylemSolver, type LeafDemand } from './xylem.js';
import { ReturnCode } from '../numerics/ode/types.js';
import type { Weather } from './weather.js';

/**
 * The plant model: a growing CPlantBox-style plant whose xylem water, leaf gas exchange and
 * sieve-tube carbon are solved every step (004 Sec. 2.1–2.2; time loop of 004 Fig. 4 without the
 * soil): (1) basal roots and tillers due are emitted; (2) water: xylem + stomata to a consistent
 * transpiration (inner fixed point, xylem.ts); (3) carbon: assimilation, Münch transport, starch,
 * respiration, carbon- and water-limited growth demand, exudation and mucilage (carbon.ts);
 * (4) organs elongate by the growth carbon they obtained. Water and carbon budgets are computed
 * every step from the same fluxes that changed the state.
 *
 * The plant–soil interface (ready for 1D perirhizal coupling, docs/PLANT.md): per root segment the
 * plant takes the soil matric head and C_L^l at the root surface ({@link RootSurfaceSoil}) and
 * returns per segment the water release, exudation and mucilage ({@link PlantStepResult}) plus the
 * segment geometry ({@link segmentGeometry}) and the creation events of new segments.
 */
export interface RootSurfaceSoil {
  /** Soil matric head at the root surface per segment index (root segments are read), cm. */
  readonly psi_cm: Float64Array;
  /** Dissolved low-molecular C (C_L^l) at the root surface per segment index, mol C cm⁻³ water. */
  readonly cL_molC_per_cm3_water: Float64Array;
  /**
   * Soil–root interface conductance K_sri (004 Eq 4) per segment for uptake and for release, d⁻¹ (flux per
   * root surface per cm of head). When absent, the plant evaluates Eq 4 with {@link PlantModelOptions.soil}:
   * K(ψ)/Δr for uptake and K_s/Δr for release.
   */
  readonly kSriUptake_per_d?: Float64Array;
  readonly kSriRelease_per_d?: Float64Array;
}

export interface PlantModelOptions {
  readonly plant: PlantParameters;
  readonly seed: number;
  readonly leaf: LeafParams;
  readonly hydraulics: HydraulicParams;
  readonly carbon: CarbonParams;
  /** Soil hydraulics for Eq 4 when the soil side does not give K_sri. */
  readonly soil: VanGenuchtenMualem;
  /** Δr_root–1DS of Eq 4: distance from the root surface to the first soil node, cm. */
  readonly interfaceDistance_cm: number;
  /** Time up to which the plant grows at its potential without water or carbon (004: day 10), d. */
  readonly structuralUntil_d: number;
  /** Step of the structural pre-growth, d. */
  readonly structuralStep_d?: number;
  /** Exudation (Eq 16) and mucilage (Eqs 19–20) laws, src/plant/departures.ts; default {@link DEFAULT_PLANT_LAWS}. */
  readonly laws?: PlantLaws;
}

/** Per-step carbon amounts (mol C) and water (cm³); all over the step. */
export interface PlantStepBudget {
  t0_d: number;
  t1_d: number;
  assimilation_molC: number;
  maintenance_molC: number;
  growthRespiration_molC: number;
  structuralGrowth_molC: number;
  exudation_molC: number;
  mucilage_molC: number;
  sucroseChange_molC: number;
  starchChange_molC: number;
  /** assimilation − respiration − growth − exudation − mucilage − Δstorage, mol C. */
  carbonError_molC: number;
  /** |carbonError| / (assimilation + |all other terms|) for the step (relative to the step's throughput). */
  carbonRelativeError: number;
  transpiration_cm3: number;
  rootUptake_cm3: number;
  waterRelativeError: number;
  /** Highest exudation rate per root surface over the growing tips in the step, mol C cm⁻² d⁻¹. */
  peakTipExudation_molC_per_cm2_d: number;
}

export interface PlantStepResult {
  readonly budget: PlantStepBudget;
  /** Per segment: water released to the soil (negative = uptake), cm³ d⁻¹ (root segments; 0 elsewhere). */
  readonly waterRelease_cm3_per_d: Float64Array;
  /** Per segment: exudation into the soil (004 Eq 16 × tip surface), mol C d⁻¹. */
  readonly exudation_molC_per_d: Float64Array;
  /** Per segment: mucilage release (004 Eq 20 × tip surface), mol C d⁻¹. */
  readonly mucilage_molC_per_d: Float64Array;
  /** Segments created during the step (with creation times). */
  readonly newSegments: readonly CreationEvent[];
  /** Diagnostics. */
  readonly xylemIterations: number;
  readonly xylemConverged: boolean;
  /** Success, or ConvergenceFailure when the xylem + stomata solve did not converge. */
  readonly retcode: ReturnCode;
  readonly picardIterations: number;
  /** Max relative change of the sieve-tube (and mesophyll) concentrations in the last Picard iteration. */
  readonly picardChange: number;
}

type OrganClass = 0 | 1 | 2 | 3; // tap/seminal root, lateral root, stem, leaf
const TAP = 0;
const LATERAL = 1;
const STEM = 2;
const LEAF = 3;

/** Viscosity of water (Vogel equation, A = 2.414e−5 Pa s, B = 247.8 K, C = 140 K), Pa s. */
export function waterViscosity_Pa_s(t_C: number): number {
  return 2.414e-5 * Math.pow(10, 247.8 / (t_C + 273.15 - 140));
}

/** Pa s → cm(head)·d, so that flow = k·Δhead with k = π r⁴/(8 μ l) in cm³ d⁻¹ per cm. */
const PA_S_TO_CM_D = 1 / (98.0665 * 86400);

type TypedArray = Float64Array | Int32Array | Uint8Array;

function isTypedArray(v: unknown): v is TypedArray {
  return v instanceof Float64Array || v instanceof Int32Array || v instanceof Uint8Array;
}

/** Plain-data state of a {@link PlantModel} ({@link PlantModel.saveState}). */
export interface PlantModelState {
  kind: 'plant';
  arch: ArchitectureState;
  time_d: number;
  /** Every typed-array field of the model by name (node, segment and leaf arrays, work arrays). */
  arrays: Record<string, Float64Array | Int32Array | Uint8Array>;
  carbon: Record<string, Float64Array>;
  cap: number;
  leafCap: number;
  leafCount: number;
  lastSegmentCount: number;
  cumulative: PlantModel['cumulative'];
  initialStorage_molC: number;
  /** The xylem solver's leaf warm starts. */
  xylem: { psiOx: Float64Array };
}

export class PlantModel {
  readonly arch: PlantArchitecture;
  readonly opts: PlantModelOptions;
  time_d = 0;
  /** Node arrays (capacity ≥ nodeCount). */
  psi_cm = new Float64Array(0);
  carbon: Required<CarbonState> = { sucrose_molC: new Float64Array(0), starch_molC: new Float64Array(0), mesophyll_molC: new Float64Array(0), mesophyllStarch_molC: new Float64Array(0) };
  /** Per-segment geometry and exchange of the last step. */
  segLength_cm = new Float64Array(0);
  radialOut_cm3_per_d = new Float64Array(0);
  exudation_molC_per_d = new Float64Array(0);
  mucilage_molC_per_d = new Float64Array(0);
  growingTip = new Uint8Array(0);
  /** Leaf segments and their last gas exchange. */
  leafSegments = new Int32Array(0);
  leafArea_cm2 = new Float64Array(0);
  leafAnet_umol_m2_s = new Float64Array(0);
  leafPsiOx_cm = new Float64Array(0);
  private readonly xylem = new XylemSolver();
  private readonly sucrose = new SucroseSolver();
  private readonly cond: LeafConditions = {} as LeafConditions;
  private readonly gx: GasExchange = {} as GasExchange;
  private cap = 0;
  private leafCap = 0;
  // Per-segment scratch.
  private segClass = new Uint8Array(0);
  private kx = new Float64Array(0);
  private gUp = new Float64Array(0);
  /** Radial uptake conductance per length of segment s in the last water solve, perimeter × min(k_r, K_sri) (Eq 3), cm d⁻¹. */
  uptakeConductance_cm_per_d(s: number): number {
    return this.gUp[s];
  }
  private gRel = new Float64Array(0);
  private psiOuter = new Float64Array(0);
  private segStructC = new Float64Array(0);
  private kst = new Float64Array(0);
  // Per-node scratch.
  private volume = new Float64Array(0);
  private mesoVolume = new Float64Array(0);
  private loadCap = new Float64Array(0);
  private phi = new Float64Array(0);
  private source = new Float64Array(0);
  private rmPot = new Float64Array(0);
  private grDemand = new Float64Array(0);
  private exCoef = new Float64Array(0);
  private muCoef = new Float64Array(0);
  private soilC = new Float64Array(0);
  private tipSegOfNode = new Int32Array(0);
  /** Growth demand per organ of the current step, mol C d⁻¹. */
  private demandOf = new Float64Array(0);
  /** Potential elongation of each organ in the current step, cm (the cap of its carbon-limited elongation). */
  private potentialOf = new Float64Array(0);
  /** Cumulative budget since the start of the coupled (carbon) phase. */
  readonly cumulative = { assimilation_molC: 0, maintenance_molC: 0, growthRespiration_molC: 0, structuralGrowth_molC: 0, exudation_molC: 0, mucilage_molC: 0, transpiration_cm3: 0, rootUptake_cm3: 0, carbonError_molC: 0, waterError_cm3: 0 };
  /** Storage (sucrose + starch) at the start of the coupled phase, mol C. */
  initialStorage_molC = 0;

  constructor(opts: PlantModelOptions) {
    this.opts = opts;
    this.arch = new PlantArchitecture(opts.plant, { seed: opts.seed });
    const dt = opts.structuralStep_d ?? 1 / 24;
    while (this.arch.time_d < opts.structuralUntil_d - 1e-12) this.arch.growPotential(Math.min(dt, opts.structuralUntil_d - this.arch.time_d));
    this.time_d = this.arch.time_d;
    this.ensureCapacity();
    this.updateGeometry();
    const c0 = opts.carbon.initialSucrose_molC_per_cm3;
    const cm0 = opts.carbon.initialMesophyll_molC_per_cm3;
    for (let k = 0; k < this.arch.net.nodeCount; k++) {
      this.carbon.sucrose_molC[k] = c0 * this.volume[k];
      this.carbon.mesophyll_molC[k] = cm0 * this.mesoVolume[k];
      this.psi_cm[k] = -300;
    }
    this.initialStorage_molC = this.storage();
  }

  /**
   * The plant's whole state as plain data (typed arrays, numbers, strings): the architecture
   * (organs, network, random generator, pending seed events), clock, xylem heads, carbon pools
   * (sieve-tube and mesophyll sucrose and starch), leaf states, per-segment exchange of the last
   * step, cumulative budgets and every per-segment/per-node work array (copied as they are, so a
   * restored plant steps bit for bit as the saved one would).
   */
  saveState(): PlantModelState {
    const arrays: Record<string, TypedArray> = {};
    for (const [k, v] of Object.entries(this)) if (isTypedArray(v)) arrays[k] = v.slice();
    const carbon: Record<string, Float64Array> = {};
    for (const [k, v] of Object.entries(this.carbon)) carbon[k] = v.slice();
    return {
      kind: 'plant', arch: this.arch.saveState(), time_d: this.time_d, arrays, carbon, cap: this.cap, leafCap: this.leafCap, leafCount: this.leafCount,
      lastSegmentCount: this.lastSegmentCount, cumulative: { ...this.cumulative }, initialStorage_molC: this.initialStorage_molC, xylem: this.xylem.saveState(),
    };
  }

  /** Restore a state from {@link saveState} of a plant built from the same options. */
  restoreState(s: PlantModelState): void {
    this.arch.restoreState(s.arch);
    this.time_d = s.time_d;
    const self = this as unknown as Record<string, TypedArray>;
    for (const [k, v] of Object.entries(s.arrays)) {
      if (!isTypedArray(self[k])) throw new Error(`plant state: unknown array ${k}`);
      self[k] = v.slice();
    }
    for (const [k, v] of Object.entries(s.carbon)) (this.carbon as unknown as Record<string, Float64Array>)[k] = v.slice();
    this.cap = s.cap;
    this.leafCap = s.leafCap;
    this.leafCount = s.leafCount;
    this.lastSegmentCount = s.lastSegmentCount;
    Object.assign(this.cumulative, s.cumulative);
    this.initialStorage_molC = s.initialStorage_molC;
    this.xylem.restoreState(s.xylem);
    this.lastStep = undefined;
  }

  /** Total sucrose + starch, mol C. */
  storage(): number {
    return this.totalSucrose() + this.totalStarch();
  }

  /** Water released to the soil per segment at the last step (roots; 0 for stems and leaves), cm³ d⁻¹; a copy. */
  waterRelease(): Float64Array {
    const ns = this.arch.net.segmentCount;
    const out = new Float64Array(ns);
    const done = Math.min(ns, this.lastSegmentCount);
    for (let s = 0; s < done; s++) {
      const c = this.segClass[s];
      if (c === TAP || c === LATERAL) out[s] = this.radialOut_cm3_per_d[s];
    }
    return out;
  }

  /** Sieve-tube volume per node at the last step, cm³ (a view). */
  nodeVolume(): Float64Array {
    return this.volume.subarray(0, this.arch.net.nodeCount);
  }

  /** Segments that existed during the last step (later ones have no exchange yet). */
  lastSegmentCount = 0;

  /** Total one-sided leaf blade area, cm². */
  leafArea(): number {
    let a = 0;
    for (let j = 0; j < this.leafCount; j++) a += this.leafArea_cm2[j];
    return a;
  }

  /** Total sucrose (sieve tubes and leaf mesophyll), mol C. */
  totalSucrose(): number {
    let s = 0;
    const n = this.arch.net.nodeCount;
    for (let k = 0; k < n; k++) s += this.carbon.sucrose_molC[k] + this.carbon.mesophyll_molC[k];
    return s;
  }

  /** Total starch (sieve-tube tissue and leaf mesophyll), mol C. */
  totalStarch(): number {
    let s = 0;
    const n = this.arch.net.nodeCount;
    for (let k = 0; k < n; k++) s += this.carbon.starch_molC[k] + this.carbon.mesophyllStarch_molC[k];
    return s;
  }

  /** Leaf mesophyll sucrose and starch, mol C. */
  mesophyllStorage(): { sucrose_molC: number; starch_molC: number } {
    let a = 0;
    let b = 0;
    const n = this.arch.net.nodeCount;
    for (let k = 0; k < n; k++) {
      a += this.carbon.mesophyll_molC[k];
      b += this.carbon.mesophyllStarch_molC[k];
    }
    return { sucrose_molC: a, starch_molC: b };
  }

  private ensureCapacity(): void {
    const n = this.arch.net.nodeCount;
    if (n <= this.cap) return;
    const c = Math.max(n, 2 * this.cap, 256);
    const grow = <T extends Float64Array | Uint8Array | Int32Array>(a: T): T => {
      const b = new (a.constructor as new (m: number) => T)(c);
      b.set(a);
      return b;
    };
    this.psi_cm = grow(this.psi_cm);
    this.carbon.sucrose_molC = grow(this.carbon.sucrose_molC);
    this.carbon.starch_molC = grow(this.carbon.starch_molC);
    this.carbon.mesophyll_molC = grow(this.carbon.mesophyll_molC);
    this.carbon.mesophyllStarch_molC = grow(this.carbon.mesophyllStarch_molC);
    this.segLength_cm = grow(this.segLength_cm);
    this.radialOut_cm3_per_d = grow(this.radialOut_cm3_per_d);
    this.exudation_molC_per_d = grow(this.exudation_molC_per_d);
    this.mucilage_molC_per_d = grow(this.mucilage_molC_per_d);
    this.growingTip = grow(this.growingTip);
    this.segClass = grow(this.segClass);
    this.kx = grow(this.kx);
    this.gUp = grow(this.gUp);
    this.gRel = grow(this.gRel);
    this.psiOuter = grow(this.psiOuter);
    this.segStructC = grow(this.segStructC);
    this.kst = grow(this.kst);
    this.volume = grow(this.volume);
    this.mesoVolume = grow(this.mesoVolume);
    this.loadCap = grow(this.loadCap);
    this.phi = grow(this.phi);
    this.source = grow(this.source);
    this.rmPot = grow(this.rmPot);
    this.grDemand = grow(this.grDemand);
    this.exCoef = grow(this.exCoef);
    this.muCoef = grow(this.muCoef);
    this.soilC = grow(this.soilC);
    this.tipSegOfNode = grow(this.tipSegOfNode);
    this.cap = c;
  }

  /** Class of an organ for parameter lookup. */
  private classOf(o: Organ): OrganClass {
    if (o.kind === 'leaf') return LEAF;
    if (o.kind === 'stem') return STEM;
    return o.params.subType === 1 || o.params.subType === 4 ? TAP : LATERAL;
  }

  /**
   * Structural carbon of an organ from its base to arc length L, mol C: ρ × volume, with the volume of a
   * cylinder (roots, stems) or, for leaves, of a flat organ of thickness a whose first lb cm are sheath of
   * width Width_petiole and the rest blade of width Width_blade (CPlantBox Leaf::orgVolume, cuboid leaves).
   */
  private structuralCarbon(o: Organ, L: number): number {
    const rho = this.opts.carbon.structuralC_molC_per_cm3;
    if (o.kind !== 'leaf') return rho * Math.PI * o.radius_cm * o.radius_cm * L;
    const lb = o.params.lb_cm.mean;
    return rho * o.radius_cm * (o.params.sheathWidth_cm * Math.min(L, lb) + o.params.bladeWidth_cm * Math.max(L - lb, 0));
  }

  /** Elongation from arc length L0 that builds `c` mol C of structure (inverse of {@link structuralCarbon}), cm. */
  private elongationForCarbon(o: Organ, L0: number, c: number): number {
    const rho = this.opts.carbon.structuralC_molC_per_cm3;
    if (o.kind !== 'leaf') return c / (rho * Math.PI * o.radius_cm * o.radius_cm);
    const lb = o.params.lb_cm.mean;
    const perSheath = rho * o.radius_cm * o.params.sheathWidth_cm;
    const perBlade = rho * o.radius_cm * o.params.bladeWidth_cm;
    const inSheath = L0 < lb ? Math.min(c / perSheath, lb - L0) : 0;
    return inSheath + (c - inSheath * perSheath) / perBlade;
  }

  /**
   * Node where an organ's growth draws carbon and whose xylem head sets its turgor factor: the tip for
   * roots and stems; for leaves the upper end of the basal growth zone (grass leaves elongate in their
   * basal intercalary meristem; CPlantBox CPB_to_PM::getGrowingNodes, leafGrowthZone).
   */
  /**
   * The head the stomatal factor f_w of leaf j reads (PlantLaws.stomatalHead), cm: its outer-xylem head ψ_ox
   * (`guard-cell`), or the mean xylem head of its segment's two nodes (`xylem`, 004's code Photosynthesis.cpp l.755),
   * as in the xylem solve that gave `psi_cm`.
   */
  private stomatalHead_cm(j: number, psiOx_cm: number): number {
    if (this.laws.stomatalHead !== 'xylem') return psiOx_cm;
    const k = this.leafSegments[j] + 1;
    return 0.5 * (this.psi_cm[k] + this.psi_cm[this.arch.net.parent[k]]);
  }

  private growthNode(o: Organ): number {
    if (o.kind !== 'leaf') return o.tipNode;
    const zone = this.opts.carbon.leafGrowthZone_cm;
    for (let i = 1; i < o.nodes.length; i++) if (o.nodeArc_cm[i] >= zone) return o.nodes[i];
    return o.tipNode;
  }

  /** Blade length of organ segment i (arc interval beyond the sheath lb), cm. */
  private bladeLength(o: Organ, i: number): number {
    const a0 = o.nodeArc_cm[i - 1];
    const a1 = o.nodeArc_cm[i];
    const lb = o.params.lb_cm.mean;
    return Math.max(0, a1 - Math.max(a0, lb));
  }

  /** Per-segment geometry, classes, structural carbon and sieve-tube volumes (after growth). */
  private updateGeometry(): void {
    const net = this.arch.net;
    const vol = this.volume;
    vol.fill(0, 0, net.nodeCount);
    this.mesoVolume.fill(0, 0, net.nodeCount);
    this.loadCap.fill(0, 0, net.nodeCount);
    const cp = this.opts.carbon;
    let nLeaf = 0;
    for (const o of this.arch.organs) {
      const cls = this.classOf(o);
      const area = this.sieveArea(cls);
      for (let i = 1; i < o.nodes.length; i++) {
        const k = o.nodes[i];
        const s = k - 1;
        const l = o.nodeArc_cm[i] - o.nodeArc_cm[i - 1];
        this.segLength_cm[s] = l;
        this.segClass[s] = cls;
        this.segStructC[s] = this.structuralCarbon(o, o.nodeArc_cm[i]) - this.structuralCarbon(o, o.nodeArc_cm[i - 1]);
        // A segment's compartments belong to its distal node (the node that carries its exchange with the
        // soil, its assimilation and its sinks): sieve tubes, and for leaf blades the mesophyll (blade volume).
        vol[k] += area * l;
        const bl = cls === LEAF ? this.bladeLength(o, i) : 0;
        if (bl > 0) {
          this.mesoVolume[k] += cp.mesophyllVolumeFraction * o.params.bladeWidth_cm * o.radius_cm * bl;
          this.loadCap[k] += cp.loadingRate_molC_per_cm_d * bl;
          nLeaf++;
        }
      }
    }
    if (nLeaf > this.leafCap) {
      this.leafCap = Math.max(nLeaf, 2 * this.leafCap, 32);
      const grow = (a: Float64Array) => {
        const b = new Float64Array(this.leafCap);
        b.set(a.subarray(0, Math.min(a.length, this.leafCap)));
        return b;
      };
      const seg = new Int32Array(this.leafCap);
      seg.set(this.leafSegments.subarray(0, Math.min(this.leafSegments.length, this.leafCap)));
      this.leafSegments = seg;
      this.leafArea_cm2 = grow(this.leafArea_cm2);
      this.leafAnet_umol_m2_s = grow(this.leafAnet_umol_m2_s);
      const ox = new Float64Array(this.leafCap).fill(NaN);
      ox.set(this.leafPsiOx_cm.subarray(0, Math.min(this.leafPsiOx_cm.length, this.leafCap)));
      this.leafPsiOx_cm = ox;
    }
    let j = 0;
    for (const o of this.arch.organs) {
      if (o.kind !== 'leaf') continue;
      for (let i = 1; i < o.nodes.length; i++) {
        const bl = this.bladeLength(o, i);
        if (bl <= 0) continue;
        this.leafSegments[j] = o.nodes[i] - 1;
        this.leafArea_cm2[j] = o.params.bladeWidth_cm * bl * Math.min(1, o.params.areaMax_cm2 / (o.params.bladeWidth_cm * Math.max(o.law.lmax_cm - o.params.lb_cm.mean, 1e-9)));
        j++;
      }
    }
    this.leafCount = j;
  }

  leafCount = 0;

  private sieveArea(cls: OrganClass): number {
    const c = this.opts.carbon;
    switch (cls) {
      case TAP: return c.tapSieveTubes * Math.PI * c.tapSieveTubeRadius_cm ** 2;
      case LATERAL: return c.lateralSieveTubes * Math.PI * c.lateralSieveTubeRadius_cm ** 2;
      case STEM: return c.stemSieveTubes * Math.PI * c.stemSieveTubeRadius_cm ** 2;
      default: return c.leafSieveTubes * Math.PI * c.leafSieveTubeRadius_cm ** 2;
    }
  }

  /** Hagen–Poiseuille Σ n r⁴ of the sieve tubes (× β_st), cm⁴ (divide by μ l for the conductance). */
  private sieveR4(cls: OrganClass): number {
    const c = this.opts.carbon;
    const b = c.sieveTubeConductanceFactor * (Math.PI / 8);
    switch (cls) {
      case TAP: return b * c.tapSieveTubes * c.tapSieveTubeRadius_cm ** 4;
      case LATERAL: return b * c.lateralSieveTubes * c.lateralSieveTubeRadius_cm ** 4;
      case STEM: return b * c.stemSieveTubes * c.stemSieveTubeRadius_cm ** 4;
      default: return b * c.leafSieveTubes * c.leafSieveTubeRadius_cm ** 4;
    }
  }

  /** Hagen–Poiseuille π/8 Σ n r⁴ of the xylem vessels, cm⁴. */
  private xylemR4(cls: OrganClass): number {
    const h = this.opts.hydraulics;
    const q = Math.PI / 8;
    switch (cls) {
      case TAP: return q * h.tapVessels * h.tapVesselRadius_cm ** 4;
      case LATERAL: return q * (h.lateralVesselsA * h.lateralVesselRadiusA_cm ** 4 + h.lateralVesselsB * h.lateralVesselRadiusB_cm ** 4);
      case STEM: return q * h.stemBundles * (h.stemVesselsA * h.stemVesselRadiusA_cm ** 4 + h.stemVesselsB * h.stemVesselRadiusB_cm ** 4);
      default: return q * h.leafBundles * (h.leafVesselsA * h.leafVesselRadiusA_cm ** 4 + h.leafVesselsB * h.leafVesselRadiusB_cm ** 4);
    }
  }

  /**
   * Water only (004 Eqs 1–4 with stomata): the xylem heads and the radial root fluxes of the current
   * network for the given soil at the root surface, without growing or changing carbon. The coupling
   * calls it once per fixed-point iterate (004 App. F "plant water"); {@link step} calls it once.
   * Returns the xylem result; per-segment fluxes are in {@link radialOut_cm3_per_d} (a view).
   */
  solveWater(weather: Weather, soil: RootSurfaceSoil): { converged: boolean; transpiration_cm3_per_d: number; collarPsi_cm: number } {
    this.ensureCapacity();
    this.updateGeometry();
    this.lastSegmentCount = this.arch.net.segmentCount;
    const xr = this.hydraulics(weather, soil);
    let transp = 0;
    for (let j = 0; j < this.leafCount; j++) transp += this.radialOut_cm3_per_d[this.leafSegments[j]];
    return { converged: xr.newton.retcode === ReturnCode.Success, transpiration_cm3_per_d: transp, collarPsi_cm: this.psi_cm[0] };
  }

  /** plant.laws.photosynthesis (departures.ts); absent: `leuning`. */
  /** The laws of this plant (PlantModelOptions.laws, missing: {@link DEFAULT_PLANT_LAWS}). */
  private get laws(): PlantLaws {
    return this.opts.laws ?? DEFAULT_PLANT_LAWS;
  }

  private get photosynthesisLaw() {
    return this.laws.photosynthesis ?? 'leuning';
  }

  /** Plant height as 004's code takes it for its canopy and air resistances (highest node z / 100, cyl3plant.py l.107), m. */
  private canopyHeight_m(): number {
    const z = this.arch.net.z;
    let top = 0;
    for (let k = 0; k < this.arch.net.nodeCount; k++) if (z[k] > top) top = z[k];
    return top / 100;
  }

  /** Mean height of leaf j's segment ends, cm (004's code adds it to the guard-cell head in the Kelvin term, Photosynthesis.cpp l.746–749). */
  private leafMidZ_cm(j: number): number {
    const net = this.arch.net;
    const k = this.leafSegments[j] + 1;
    return 0.5 * (net.z[net.parent[k]] + net.z[k]);
  }

  /** Hydraulic inputs per segment, then the xylem + stomata solve (the first part of {@link step}). */
  private hydraulics(weather: Weather, soil: RootSurfaceSoil) {
    const arch = this.arch;
    const net = arch.net;
    const ns = net.segmentCount;
    const hp = this.opts.hydraulics;
    const cp = this.opts.carbon;
    const lp = this.opts.leaf;
    void cp;
    // ---- Hydraulic inputs per segment.
    const muX = waterViscosity_Pa_s(weather.t_C) * PA_S_TO_CM_D;
    const krTap = hp.krTap_cm_per_hPa_d / CM_PER_HPA;
    const krLat = hp.krLateral_cm_per_hPa_d / CM_PER_HPA;
    const krLeaf = hp.krLeaf_cm_per_hPa_d / CM_PER_HPA;
    const kxByClass = [this.xylemR4(TAP) / muX, this.xylemR4(LATERAL) / muX, this.xylemR4(STEM) / muX, this.xylemR4(LEAF) / muX];
    this.growingTip.fill(0, 0, ns);
    for (let s = 0; s < ns; s++) {
      this.kx[s] = kxByClass[this.segClass[s]];
      this.gUp[s] = 0;
      this.gRel[s] = 0;
      this.psiOuter[s] = 0;
    }
    const soilP = this.opts.soil;
    const dr = this.opts.interfaceDistance_cm;
    for (const o of arch.organs) {
      const cls = this.classOf(o);
      if (o.kind === 'root') {
        const kr = cls === TAP ? krTap : krLat;
        const L = o.length_cm;
        const zone = hp.immatureZone_cm;
        const perim = 2 * Math.PI * o.radius_cm;
        for (let i = 1; i < o.nodes.length; i++) {
          const s = o.nodes[i] - 1;
          const a0 = o.nodeArc_cm[i - 1];
          const a1 = o.nodeArc_cm[i];
          const l = a1 - a0;
          const imm = l > 0 ? Math.max(0, a1 - Math.max(a0, L - zone)) / l : 1;
          const krEff = kr * (imm + (1 - imm) * hp.matureKrFraction);
          const psiS = soil.psi_cm[s];
          const kUp = soil.kSriUptake_per_d ? soil.kSriUptake_per_d[s] : hydraulicConductivity(psiS, soilP) / dr;
          const kRel = soil.kSriRelease_per_d ? soil.kSriRelease_per_d[s] : soilP.Ks_cm_per_d / dr;
          this.gUp[s] = perim * Math.min(krEff, kUp);
          this.gRel[s] = perim * Math.min(krEff, kRel);
          this.psiOuter[s] = psiS;
        }
      }
    }
    for (let j = 0; j < this.leafCount; j++) {
      const s = this.leafSegments[j];
      const l = Math.max(this.segLength_cm[s], 1e-12);
      // Perimeter of both blade faces over the blade part of the segment (Eq 3, leaves).
      const g = ((2 * this.leafArea_cm2[j]) / l) * krLeaf;
      this.gUp[s] = g;
      this.gRel[s] = g;
    }

    // ---- Water: xylem + stomata (inner fixed point).
    const law = this.photosynthesisLaw;
    leafConditionsFor(law, lp, weather, this.cond, this.canopyHeight_m());
    const self = this;
    const areaToFlux = WATER_MOL_M2_S_TO_CM_PER_D;
    const faces = lp.gasExchangeFaces;
    const emax = leafGasExchange(law, 1, this.cond, lp, this.gx).transpiration * areaToFlux;
    // f_w reads ψ_ox (guard cell) or the leaf segment's mean xylem head (004's code), PlantLaws.stomatalHead.
    const fwXylem = this.laws.stomatalHead === 'xylem';
    const leaves: LeafDemand = {
      segments: this.leafSegments,
      count: this.leafCount,
      dependsOnXylemHead: fwXylem,
      demand(i, psiOx, psiXylemMean) {
        return faces * self.leafArea_cm2[i] * leafGasExchange(law, stomatalWaterFactor(fwXylem ? psiXylemMean : psiOx, lp), self.cond, lp, self.gx, psiOx + self.leafMidZ_cm(i)).transpiration * areaToFlux;
      },
      demandMax(i) {
        return faces * self.leafArea_cm2[i] * emax;
      },
    };
    for (let j = 0; j < this.leafCount; j++) this.xylem.psiOx[j] = this.leafPsiOx_cm[j];
    const xr = this.xylem.solve(net, { kx_cm3_per_d: this.kx, gUptake_cm_per_d: this.gUp, gRelease_cm_per_d: this.gRel, psiOuter_cm: this.psiOuter }, leaves, this.psi_cm, this.radialOut_cm3_per_d, {
      flowTolerance_cm3_per_d: 1e-12 * Math.max(1, emax * this.leafArea()),
    });
    for (let j = 0; j < this.leafCount; j++) this.leafPsiOx_cm[j] = xr.psiOx_cm[j];
    return xr;
  }

  /**
   * Step contract (docs/COUPLING.md): {@link step} over dt_d with this weather and root-surface
   * soil; the result is kept in {@link lastStep}. Returns ConvergenceFailure when the xylem solve
   * did not converge (the step is still taken: the plant has no retry of its own).
   */
  advance(dt_d: number, forcing: { weather: Weather; soil: RootSurfaceSoil }): ReturnCode {
    this.lastStep = this.step(dt_d, forcing.weather, forcing.soil);
    return this.lastStep.retcode;
  }

  /** Result of the last {@link advance}. */
  lastStep: PlantStepResult | undefined;

  /**
   * Advance the plant by dt (d) under `weather` with the soil at the root surface given per segment.
   * Returns the step's budgets and the per-segment exchange with the soil.
   */
  step(dt_d: number, weather: Weather, soil: RootSurfaceSoil): PlantStepResult {
    const arch = this.arch;
    const net = arch.net;
    const t0 = this.time_d;
    const t1 = t0 + dt_d;
    const eventsBefore = arch.eventCount;
    const organsBefore = arch.beginStep(t1);
    this.ensureCapacity();
    this.updateGeometry();
    const n = net.nodeCount;
    const ns = n - 1;
    this.lastSegmentCount = ns;
    const hp = this.opts.hydraulics;
    const cp = this.opts.carbon;
    const lp = this.opts.leaf;

    // Water limitation of expansion growth (Lockhart 1965; CPlantBox PhloemFlux F_ψ): linear in the turgor
    // ψ_x − ψ_osmo above the yield threshold, 1 at ψ_x = 0.
    const growthFactor = (psi: number) => {
      const turgor = psi - cp.growthOsmoticHead_cm;
      const f = (turgor - cp.growthYieldTurgor_cm) / (-cp.growthOsmoticHead_cm - cp.growthYieldTurgor_cm);
      return f <= 0 ? 0 : f >= 1 ? 1 : f;
    };

    const xr = this.hydraulics(weather, soil);
    const faces = lp.gasExchangeFaces;
    // Growing tips (exudation and mucilage sites, 004 Eqs 15–20): the last segment of every root in its growth
    // phase (emerged, below lmax; CPlantBox Organ::isActive). Not tied to the last step's elongation: 004 finds
    // exudation exactly when growth is water-limited at midday (Sec. 3.2), which a per-step criterion would switch off.
    for (const o of arch.organs) {
      if (o.kind === 'root' && o.segmentCount > 0 && o.isGrowing(t0)) this.growingTip[o.tipNode - 1] = 1;
    }
    let transp = 0;
    let uptake = 0;
    for (let s = 0; s < ns; s++) {
      const cls = this.segClass[s];
      if (cls === TAP || cls === LATERAL) uptake -= this.radialOut_cm3_per_d[s];
    }

    // ---- Assimilation per leaf segment → sieve-tube source at its nodes.
    this.source.fill(0, 0, n);
    let assim = 0;
    for (let j = 0; j < this.leafCount; j++) {
      const s = this.leafSegments[j];
      const psiOx = xr.psiOx_cm[j];
      this.leafPsiOx_cm[j] = psiOx;
      leafGasExchange(this.photosynthesisLaw, stomatalWaterFactor(this.stomatalHead_cm(j, psiOx), lp), this.cond, lp, this.gx, psiOx + this.leafMidZ_cm(j));
      this.leafAnet_umol_m2_s[j] = this.gx.anet;
      transp += this.radialOut_cm3_per_d[s];
      const a = faces * this.gx.source * CARBON_UMOL_M2_S_TO_MOL_CM2_D * this.leafArea_cm2[j]; // mol C d⁻¹ (gross or net A, plant.laws.photosynthesis)
      assim += a * dt_d;
      this.source[s + 1] += a;
    }

    // ---- Carbon sinks per node.
    const q10 = Math.pow(cp.q10, (weather.t_C - cp.maintenanceTref_C) / 10);
    const mByClass = [cp.maintenanceRoot_per_d, cp.maintenanceRoot_per_d, cp.maintenanceStem_per_d, cp.maintenanceLeaf_per_d];
    const muSt = cp.sapViscosity_Pa_s * PA_S_TO_CM_D;
    const r4ByClass = [this.sieveR4(TAP), this.sieveR4(LATERAL), this.sieveR4(STEM), this.sieveR4(LEAF)];
    this.rmPot.fill(0, 0, n);
    this.grDemand.fill(0, 0, n);
    this.exCoef.fill(0, 0, n);
    this.muCoef.fill(0, 0, n);
    this.soilC.fill(0, 0, n);
    this.tipSegOfNode.fill(-1, 0, n);
    for (let k = 0; k < n; k++) this.phi[k] = this.psi_cm[k] + net.z[k];
    for (let s = 0; s < ns; s++) {
      const k = s + 1;
      const rm = mByClass[this.segClass[s]] * q10 * this.segStructC[s];
      this.rmPot[k] += rm;
      // Segments shorter than 1e−3 cm are treated as well mixed with their parent node (bounded conductance).
      this.kst[s] = r4ByClass[this.segClass[s]] / (muSt * Math.max(this.segLength_cm[s], 1e-3));
    }
    if (this.demandOf.length < organsBefore) {
      this.demandOf = new Float64Array(2 * organsBefore);
      this.potentialOf = new Float64Array(2 * organsBefore);
    }
    const demandOf = this.demandOf;
    demandOf.fill(0, 0, organsBefore);
    // Potential elongation (plant.laws.potentialGrowth, departures.ts): the XML law, or 004 code's Rmax_st law.
    const code004Growth = this.laws.potentialGrowth === 'code004';
    const potentialOf = this.potentialOf;
    for (let i = 0; i < organsBefore; i++) {
      const o = arch.organs[i];
      const dl = code004Growth
        ? arch.potentialIncrementCode004(o, t0, t1, code004PotentialRateOf_cm_per_d(cp, this.opts.plant, o.kind, o.params.subType))
        : arch.potentialIncrement(o, t0, t1);
      potentialOf[i] = dl;
      if (dl <= 0) continue;
      const tip = this.growthNode(o);
      const dC = this.structuralCarbon(o, o.length_cm + dl) - this.structuralCarbon(o, o.length_cm);
      const d = (dC * growthFactor(this.psi_cm[tip])) / cp.growthEfficiency / dt_d;
      demandOf[i] = d;
      this.grDemand[tip] += d;
    }
    const kExud = cp.exudationConductivity_cm_per_d;
    const laws = this.laws;
    for (let s = 0; s < ns; s++) {
      if (!this.growingTip[s]) continue;
      const k = s + 1;
      const surf = 2 * Math.PI * net.radius_cm[s] * this.segLength_cm[s];
      this.exCoef[k] = kExud * surf;
      this.muCoef[k] = mucilageCoefficient_cm3_per_d(laws.mucilage, cp, surf, this.volume[k]);
      this.soilC[k] = soil.cL_molC_per_cm3_water[s];
      this.tipSegOfNode[k] = s;
    }

    // ---- Sieve-tube step.
    const suc0 = this.totalSucrose();
    const st0 = this.totalStarch();
    const stor0 = suc0 + st0;
    const stats = this.sucrose.step(
      {
        n,
        parent: net.parent,
        dt_d,
        volume_cm3: this.volume,
        conductance_cm3_per_d_cm: this.kst,
        phi_cm: this.phi,
        osmoticHead_cm_per_molC_cm3: osmoticHeadPerConcentration(weather.t_C),
        source_molC_per_d: this.source,
        maintenancePotential_molC_per_d: this.rmPot,
        growthDemand_molC_per_d: this.grDemand,
        exudationCoef_cm3_per_d: this.exCoef,
        mucilageCoef_cm3_per_d: this.muCoef,
        soilConc_molC_per_cm3: this.soilC,
        mesophyllVolume_cm3: this.mesoVolume,
        loadingCapacity_molC_per_d: this.loadCap,
        params: cp,
        exudationLaw: laws.exudation,
        maintenanceLaw: laws.maintenance,
      },
      this.carbon,
    );
    const fl = this.sucrose.fluxes;
    let rm = 0;
    let ex = 0;
    let mu = 0;
    let peakExud = 0;
    this.exudation_molC_per_d.fill(0, 0, ns);
    this.mucilage_molC_per_d.fill(0, 0, ns);
    for (let k = 0; k < n; k++) {
      rm += fl.maintenance[k];
      ex += fl.exudation[k];
      mu += fl.mucilage[k];
      const s = this.tipSegOfNode[k];
      if (s >= 0) {
        this.exudation_molC_per_d[s] = fl.exudation[k] / dt_d;
        this.mucilage_molC_per_d[s] = fl.mucilage[k] / dt_d;
        const surf = this.exCoef[k] / kExud;
        if (surf > 0) peakExud = Math.max(peakExud, fl.exudation[k] / dt_d / surf);
      }
    }

    // ---- Growth: each organ gets its share of the uptake at its tip node; organs elongate.
    let uptakeUsed = 0;
    const Y = cp.growthEfficiency;
    for (let i = 0; i < organsBefore; i++) {
      const o = arch.organs[i];
      const d = demandOf[i];
      if (d <= 0) {
        arch.elongate(o, t0, t1, false, 0);
        continue;
      }
      const tip = this.growthNode(o);
      const share = (fl.growthUptake[tip] * d) / this.grDemand[tip];
      const L0 = o.length_cm;
      const want = this.elongationForCarbon(o, L0, share * Y);
      const got = arch.elongate(o, t0, t1, false, want, code004Growth ? potentialOf[i] : undefined);
      const used = (this.structuralCarbon(o, L0 + got) - this.structuralCarbon(o, L0)) / Y;
      uptakeUsed += used;
      // Carbon not turned into length (organ reached its potential) stays in the sieve tube.
      this.carbon.sucrose_molC[tip] += share - used;
    }
    arch.endStep(t1);
    this.time_d = t1;
    this.ensureCapacity();
    // New nodes start from their parent's xylem head (Newton's initial guess next step); their sieve-tube content is 0.
    for (let k = n; k < net.nodeCount; k++) this.psi_cm[k] = this.psi_cm[net.parent[k]];

    // ---- Budgets (from the same fluxes that changed the state).
    const suc1 = this.totalSucrose();
    const st1 = this.totalStarch();
    const stor1 = suc1 + st1;
    const growthResp = (1 - Y) * uptakeUsed;
    const structural = Y * uptakeUsed;
    const err = assim - rm - growthResp - structural - ex - mu - (stor1 - stor0);
    const throughput = Math.abs(assim) + rm + uptakeUsed + Math.abs(ex) + mu + Math.abs(stor1 - stor0);
    const budget: PlantStepBudget = {
      t0_d: t0,
      t1_d: t1,
      assimilation_molC: assim,
      maintenance_molC: rm,
      growthRespiration_molC: growthResp,
      structuralGrowth_molC: structural,
      exudation_molC: ex,
      mucilage_molC: mu,
      sucroseChange_molC: suc1 - suc0,
      starchChange_molC: st1 - st0,
      carbonError_molC: err,
      carbonRelativeError: throughput > 0 ? Math.abs(err) / throughput : 0,
      transpiration_cm3: transp * dt_d,
      rootUptake_cm3: uptake * dt_d,
      waterRelativeError: xr.waterBalanceRelativeError,
      peakTipExudation_molC_per_cm2_d: peakExud,
    };
    const c = this.cumulative;
    c.assimilation_molC += assim;
    c.maintenance_molC += rm;
    c.growthRespiration_molC += growthResp;
    c.structuralGrowth_molC += structural;
    c.exudation_molC += ex;
    c.mucilage_molC += mu;
    c.transpiration_cm3 += transp * dt_d;
    c.rootUptake_cm3 += uptake * dt_d;
    c.carbonError_molC += err;
    c.waterError_cm3 += (uptake - transp) * dt_d;
    return {
      budget,
      waterRelease_cm3_per_d: this.radialOut_cm3_per_d,
      exudation_molC_per_d: this.exudation_molC_per_d,
      mucilage_molC_per_d: this.mucilage_molC_per_d,
      newSegments: arch.creationEventsSince(eventsBefore),
      xylemIterations: xr.newton.iterations,
      xylemConverged: xr.newton.retcode === ReturnCode.Success,
      retcode: xr.newton.retcode === ReturnCode.Success ? ReturnCode.Success : ReturnCode.ConvergenceFailure,
      picardIterations: stats.picardIterations,
      picardChange: stats.picardChange,
    };
  }
}

/** Segment geometry for outputs and coupling (see docs/PLANT.md). */
export interface SegmentGeometry {
  readonly count: number;
  readonly x0: Float64Array; readonly y0: Float64Array; readonly z0: Float64Array;
  readonly x1: Float64Array; readonly y1: Float64Array; readonly z1: Float64Array;
  readonly radius_cm: Float64Array;
  readonly length_cm: Float64Array;
  /** Age of the segment's distal node, d. */
  readonly age_d: Float64Array;
  /** CPlantBox organ type (2 root, 3 stem, 4 leaf) and subType. */
  readonly organType: Uint8Array;
  readonly subType: Int16Array;
  readonly organ: Int32Array;
  /** Parent segment (−1 at the seed). */
  readonly parentSegment: Int32Array;
  /** 1 for the last segment of a root that was growing (exuding) in the last step. */
  readonly growingTip: Uint8Array;
}

/** Per-segment geometry of the current plant (copies). */
export function segmentGeometry(m: PlantModel): SegmentGeometry {
  const net = m.arch.net;
  const ns = net.segmentCount;
  const g = {
    count: ns,
    x0: new Float64Array(ns), y0: new Float64Array(ns), z0: new Float64Array(ns),
    x1: new Float64Array(ns), y1: new Float64Array(ns), z1: new Float64Array(ns),
    radius_cm: net.radius_cm.slice(0, ns),
    length_cm: new Float64Array(ns),
    age_d: new Float64Array(ns),
    organType: net.organType.slice(0, ns),
    subType: net.subType.slice(0, ns),
    organ: net.organ.slice(0, ns),
    parentSegment: new Int32Array(ns),
    growingTip: new Uint8Array(ns),
  };
  for (let s = 0; s < ns; s++) {
    const k = s + 1;
    const p = net.parent[k];
    g.x0[s] = net.x[p]; g.y0[s] = net.y[p]; g.z0[s] = net.z[p];
    g.x1[s] = net.x[k]; g.y1[s] = net.y[k]; g.z1[s] = net.z[k];
    g.length_cm[s] = net.segmentLength(s);
    g.age_d[s] = m.time_d - net.nodeCreated_d[k];
    g.parentSegment[s] = p - 1;
  }
  g.growingTip.set(m.growingTip.subarray(0, ns));
  return g;
}

