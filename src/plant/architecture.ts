import { SeededRng } from '../numerics/random.js';
import { ageAtLength, developmentalAgeAtLength, lengthAtAge, type GrowthLaw } from './growth-law.js';
import { ORGAN_TYPE_NUMBER, organParams, type GrowthFunction, type OrganKind, type OrganTypeParams, type PlantParameters } from './xml-params.js';
import { SegmentNetwork } from './segments.js';
import { code004GrowingTime_d, code004PotentialIncrement_cm } from './departures.js';

/**
 * Plant architecture after the rules of CRootBox/CPlantBox (Schnepf et al. 2018, Ann. Bot. 121:1033;
 * Giraud et al. 2023, in silico Plants 5:diad009): organs of typed parameters grow by a potential
 * law (growth-law.ts), lay down straight segments of at most dx with a node at every branching
 * point, bend by tropism, and create laterals at lb, lb + ln, … up to lmax − la. The seed emits the
 * tap root, basal (seminal) roots, the main stem and tillers; stems carry leaves. Randomness
 * (parameter deviations, tropism, insertion azimuth) comes from one seeded generator.
 *
 * Simplifications against CPlantBox (docs/PLANT.md): basal roots use root subType 4 if defined,
 * else the tap root type; tillers use the main stem type; no shoot-borne roots, no senescence, no
 * hydro-/chemotropism; leaves are flat blades of constant width beyond a sheath of length lb;
 * dxMin is read but not used.
 */
export type Vec3 = [number, number, number];

/** Organs stay "growing" until they reach this fraction of lmax (CPlantBox: active while length < lmax). */
const ACTIVE_LENGTH_FRACTION = 0.999;
/** Lengths below this are treated as zero when laying down segments, cm (round-off guard). */
const LENGTH_EPS_CM = 1e-12;

export class Organ {
  readonly id: number;
  readonly kind: OrganKind;
  readonly params: OrganTypeParams;
  readonly parent: Organ | null;
  /** Global node index the organ starts from. */
  readonly baseNode: number;
  readonly created_d: number;
  /** Time growth starts (creation + emergence delay), d. */
  readonly emerge_d: number;
  readonly law: GrowthLaw;
  readonly radius_cm: number;
  readonly theta_rad: number;
  readonly ldelay_d: number;
  readonly la_cm: number;
  /** Branching positions along the organ, cm, and the lateral type for each (null: none). */
  readonly branchPos_cm: number[];
  readonly branchType: (OrganTypeParams | null)[];
  nextBranch = 0;
  /** Current length, cm, and developmental age (age at which the potential law gives this length), d. */
  length_cm = 0;
  devAge_d = 0;
  /** Global node indices along the organ; nodes[0] = baseNode. */
  readonly nodes: number[];
  /** Arc length from the base at each entry of `nodes`, cm. */
  readonly nodeArc_cm: number[] = [0];
  /** Maximal length of the organ's segment ending at nodes[i] (index i ≥ 1), cm. */
  readonly segCap_cm: number[] = [0];
  heading: Vec3;
  readonly initialHeading: Vec3;
  readonly laterals: Organ[] = [];
  /** Realised elongation in the last step, cm. */
  lastElongation_cm = 0;

  constructor(args: {
    id: number; params: OrganTypeParams; parent: Organ | null; baseNode: number; created_d: number; emerge_d: number; heading: Vec3;
    rng: SeededRng; plant: PlantParameters;
  }) {
    const { params: p, rng } = args;
    this.id = args.id;
    this.kind = p.organType;
    this.params = p;
    this.parent = args.parent;
    this.baseNode = args.baseNode;
    this.created_d = args.created_d;
    this.emerge_d = args.emerge_d;
    this.nodes = [args.baseNode];
    this.heading = [...args.heading];
    this.initialHeading = [...args.heading];
    const lmax = rng.realize(p.lmax_cm.mean, p.lmax_cm.dev);
    this.law = {
      lmax_cm: lmax,
      r_cm_per_d: rng.realize(p.r_cm_per_d.mean, p.r_cm_per_d.dev),
      gf: p.growthFunction,
      pauseStart_d: p.growthPauseStart_d,
      pauseEnd_d: p.growthPauseEnd_d,
    };
    this.radius_cm = Math.max(rng.realize(p.a_cm.mean, p.a_cm.dev), 1e-6);
    this.theta_rad = rng.realize(p.theta_rad.mean, p.theta_rad.dev);
    this.ldelay_d = rng.realize(p.ldelay_d.mean, p.ldelay_d.dev);
    const lb = rng.realize(p.lb_cm.mean, p.lb_cm.dev);
    this.la_cm = rng.realize(p.la_cm.mean, p.la_cm.dev);
    this.branchPos_cm = [];
    this.branchType = [];
    if (p.successors.length > 0 && p.ln_cm.mean > 0) {
      // Number of branching points: CRootBox rounds (lmax − la − lb)/ln + 1 for roots; CPlantBox stems truncate.
      const nobReal = (lmax - this.la_cm - lb) / p.ln_cm.mean + 1;
      const nob = Math.max(p.organType === 'root' ? Math.round(nobReal) : Math.floor(nobReal), nobReal > 0 ? 1 : 0);
      let pos = lb;
      for (let k = 0; k < nob; k++) {
        // Stems create all their laterals (leaves) when they reach lb, dxMin apart (CPlantBox Stem::simulate;
        // the internodes elongate later, which rhizocarb does not draw); roots branch every ln.
        if (k > 0) pos += p.organType === 'stem' ? Math.max(p.dxMin_cm, 1e-3) : Math.max(rng.realize(p.ln_cm.mean, p.ln_cm.dev), 1e-5);
        if (pos > lmax) break;
        this.branchPos_cm.push(pos);
        this.branchType.push(chooseSuccessor(p, args.plant, rng));
      }
    }
  }

  /** True while the organ elongates (emerged at `t_d` and below lmax). */
  isGrowing(t_d: number): boolean {
    return t_d >= this.emerge_d && this.length_cm < ACTIVE_LENGTH_FRACTION * this.law.lmax_cm;
  }

  /** The organ's tip node (its base node while it has no segment). */
  get tipNode(): number {
    return this.nodes[this.nodes.length - 1];
  }

  /** Number of own segments. */
  get segmentCount(): number {
    return this.nodes.length - 1;
  }
}

/** Plain-data state of an {@link Organ} (its parameters by organ type and subType; parent and laterals by organ id). */
export interface OrganState {
  id: number; kind: OrganKind; subType: number; parent: number; baseNode: number; created_d: number; emerge_d: number;
  law: { lmax_cm: number; r_cm_per_d: number; gf: GrowthFunction; pauseStart_d: number; pauseEnd_d: number };
  radius_cm: number; theta_rad: number; ldelay_d: number; la_cm: number;
  branchPos_cm: number[]; branchType: ([OrganKind, number] | null)[]; nextBranch: number;
  length_cm: number; devAge_d: number; nodes: number[]; nodeArc_cm: number[]; segCap_cm: number[];
  heading: number[]; initialHeading: number[]; laterals: number[]; lastElongation_cm: number;
}

function organState(o: Organ): OrganState {
  return {
    id: o.id, kind: o.kind, subType: o.params.subType, parent: o.parent ? o.parent.id : -1, baseNode: o.baseNode, created_d: o.created_d, emerge_d: o.emerge_d,
    law: { lmax_cm: o.law.lmax_cm, r_cm_per_d: o.law.r_cm_per_d, gf: o.law.gf, pauseStart_d: o.law.pauseStart_d, pauseEnd_d: o.law.pauseEnd_d },
    radius_cm: o.radius_cm, theta_rad: o.theta_rad, ldelay_d: o.ldelay_d, la_cm: o.la_cm,
    branchPos_cm: [...o.branchPos_cm], branchType: o.branchType.map((b) => (b ? [b.organType, b.subType] : null)), nextBranch: o.nextBranch,
    length_cm: o.length_cm, devAge_d: o.devAge_d, nodes: [...o.nodes], nodeArc_cm: [...o.nodeArc_cm], segCap_cm: [...o.segCap_cm],
    heading: [...o.heading], initialHeading: [...o.initialHeading], laterals: o.laterals.map((l) => l.id), lastElongation_cm: o.lastElongation_cm,
  };
}

/** Organs from their states (two passes: objects, then parent and lateral links). */
function organsFromState(states: readonly OrganState[], plant: PlantParameters): Organ[] {
  const organs = states.map((st) => {
    const o = Object.create(Organ.prototype) as Organ;
    Object.assign(o, {
      id: st.id, kind: st.kind, params: organParams(plant, st.kind, st.subType), parent: null, baseNode: st.baseNode, created_d: st.created_d, emerge_d: st.emerge_d,
      law: { ...st.law }, radius_cm: st.radius_cm, theta_rad: st.theta_rad, ldelay_d: st.ldelay_d, la_cm: st.la_cm,
      branchPos_cm: [...st.branchPos_cm], branchType: st.branchType.map((b) => (b ? organParams(plant, b[0], b[1]) : null)), nextBranch: st.nextBranch,
      length_cm: st.length_cm, devAge_d: st.devAge_d, nodes: [...st.nodes], nodeArc_cm: [...st.nodeArc_cm], segCap_cm: [...st.segCap_cm],
      heading: [...st.heading] as Vec3, initialHeading: [...st.initialHeading] as Vec3, laterals: [], lastElongation_cm: st.lastElongation_cm,
    });
    return o;
  });
  states.forEach((st, i) => {
    Object.assign(organs[i], { parent: st.parent >= 0 ? organs[st.parent] : null });
    for (const l of st.laterals) organs[i].laterals.push(organs[l]);
  });
  return organs;
}

/** Plain-data state of a {@link PlantArchitecture}: clock, generator, pending seed events, creation events, the network and every organ. */
export interface ArchitectureState {
  time_d: number;
  rng: { gen: number[]; spare: number; spare32: number };
  seedEvents: { time_d: number; kind: 'basal' | 'tiller' }[];
  events: { segment: Int32Array; organ: Int32Array; time_d: Float64Array };
  leafCount: number;
  net: { nodeCount: number; x: Float64Array; y: Float64Array; z: Float64Array; parent: Int32Array; nodeCreated_d: Float64Array; organ: Int32Array; organType: Uint8Array; subType: Int16Array; radius_cm: Float64Array };
  organs: OrganState[];
}

function chooseSuccessor(p: OrganTypeParams, plant: PlantParameters, rng: SeededRng): OrganTypeParams | null {
  if (p.successors.length === 1 && p.successors[0].probability >= 1) {
    const s = p.successors[0];
    return organParams(plant, s.organType, s.subType);
  }
  let u = rng.uniform();
  for (const s of p.successors) {
    if (u < s.probability) return organParams(plant, s.organType, s.subType);
    u -= s.probability;
  }
  return null;
}

/** A unit vector rotated from `h` by polar angle `alpha` at azimuth `beta` (around h), rad. */
export function rotateHeading(h: Vec3, alpha: number, beta: number): Vec3 {
  // Orthonormal frame (h, u, w).
  const ax = Math.abs(h[0]) < 0.9 ? [1, 0, 0] : [0, 1, 0];
  let u: Vec3 = [h[1] * ax[2] - h[2] * ax[1], h[2] * ax[0] - h[0] * ax[2], h[0] * ax[1] - h[1] * ax[0]];
  const nu = Math.hypot(u[0], u[1], u[2]);
  u = [u[0] / nu, u[1] / nu, u[2] / nu];
  const w: Vec3 = [h[1] * u[2] - h[2] * u[1], h[2] * u[0] - h[0] * u[2], h[0] * u[1] - h[1] * u[0]];
  const ca = Math.cos(alpha);
  const sa = Math.sin(alpha);
  const cb = Math.cos(beta);
  const sb = Math.sin(beta);
  const v: Vec3 = [
    ca * h[0] + sa * (cb * u[0] + sb * w[0]),
    ca * h[1] + sa * (cb * u[1] + sb * w[1]),
    ca * h[2] + sa * (cb * u[2] + sb * w[2]),
  ];
  const nv = Math.hypot(v[0], v[1], v[2]);
  return [v[0] / nv, v[1] / nv, v[2] / nv];
}

/** A segment created during a growth step (for coupling: new perirhizal domains). */
export interface CreationEvent {
  readonly segment: number;
  readonly organ: number;
  readonly time_d: number;
}

export interface ArchitectureOptions {
  /** Seed of the random generator (same seed, same plant). */
  readonly seed: number;
}

interface SeedEvent {
  readonly time_d: number;
  readonly kind: 'basal' | 'tiller';
}

export class PlantArchitecture {
  readonly params: PlantParameters;
  readonly net: SegmentNetwork;
  readonly organs: Organ[] = [];
  time_d = 0;
  private readonly rng: SeededRng;
  private seedEvents: SeedEvent[] = [];
  private events: CreationEvent[] = [];
  private leafCount = 0;

  constructor(params: PlantParameters, options: ArchitectureOptions) {
    this.params = params;
    this.rng = new SeededRng(options.seed);
    this.net = new SegmentNetwork(params.seed.seedPos_cm);
    const s = params.seed;
    for (let k = 0; k < s.maxBasal; k++) this.seedEvents.push({ time_d: s.firstBasal_d + k * s.basalDelay_d, kind: 'basal' });
    if (params.organs.some((o) => o.organType === 'stem')) {
      for (let k = 0; k < s.maxTillers; k++) this.seedEvents.push({ time_d: s.firstTiller_d + k * s.tillerDelay_d, kind: 'tiller' });
    }
    this.seedEvents.sort((a, b) => a.time_d - b.time_d);
    this.addOrgan(organParams(params, 'root', 1), null, 0, 0, 0, [0, 0, -1]);
    const stem = params.organs.find((o) => o.organType === 'stem' && o.subType === 1);
    if (stem) this.addOrgan(stem, null, 0, 0, 0, [0, 0, 1]);
  }

  private addOrgan(p: OrganTypeParams, parent: Organ | null, baseNode: number, created_d: number, emerge_d: number, heading: Vec3): Organ {
    const o = new Organ({ id: this.organs.length, params: p, parent, baseNode, created_d, emerge_d, heading, rng: this.rng, plant: this.params });
    this.organs.push(o);
    if (parent) parent.laterals.push(o);
    return o;
  }

  /** Emit basal roots and tillers whose time lies in (time, t1]. */
  private seedEmissions(t1: number): void {
    while (this.seedEvents.length > 0 && this.seedEvents[0].time_d <= t1) {
      const ev = this.seedEvents.shift()!;
      if (ev.kind === 'basal') {
        const p = this.params.organs.find((o) => o.organType === 'root' && o.subType === 4) ?? organParams(this.params, 'root', 1);
        const h = rotateHeading([0, 0, -1], this.rng.realize(p.theta_rad.mean, p.theta_rad.dev), 2 * Math.PI * this.rng.uniform());
        this.addOrgan(p, null, 0, ev.time_d, ev.time_d, h);
      } else {
        const p = organParams(this.params, 'stem', 1);
        const h = rotateHeading([0, 0, 1], this.rng.realize(p.theta_rad.mean, p.theta_rad.dev), 2 * Math.PI * this.rng.uniform());
        this.addOrgan(p, null, 0, ev.time_d, ev.time_d, h);
      }
    }
  }

  /** Potential elongation of `organ` over [t0, t1], cm (0 before emergence or at lmax). */
  potentialIncrement(organ: Organ, t0: number, t1: number): number {
    const dt = t1 - Math.max(t0, organ.emerge_d);
    if (dt <= 0) return 0;
    return Math.max(lengthAtAge(organ.law, organ.devAge_d + dt) - organ.length_cm, 0);
  }

  /**
   * Potential elongation of `organ` over [t0, t1] under 004's code (potential growth law `code004`,
   * src/plant/departures.ts), cm: (lmax − L)(1 − e^{−Rmax dt/lmax}) at rate `rmax_cm_per_d`, dt from
   * emergence and without a stem's growth pause (organ age = time since emergence).
   */
  potentialIncrementCode004(organ: Organ, t0: number, t1: number, rmax_cm_per_d: number): number {
    const ts = Math.max(t0, organ.emerge_d);
    if (t1 - ts <= 0) return 0;
    const dt = code004GrowingTime_d(ts - organ.emerge_d, t1 - ts, organ.law.pauseStart_d, organ.law.pauseEnd_d);
    return code004PotentialIncrement_cm(organ.law.lmax_cm, organ.length_cm, rmax_cm_per_d, dt);
  }

  /**
   * Elongate `organ` over [t0, t1]: by its full potential when `full` (developmental age advances by
   * the time grown, which keeps l(t) exact for any sub-stepping), otherwise by `dl_cm` ≤ potential: the
   * XML law's, or `maxIncrement_cm` when given (another potential law, e.g. {@link potentialIncrementCode004});
   * never beyond lmax. Lays down segments and creates laterals at branching points passed; returns the elongation, cm.
   */
  elongate(organ: Organ, t0: number, t1: number, full: boolean, dl_cm = 0, maxIncrement_cm?: number): number {
    const dt = t1 - Math.max(t0, organ.emerge_d);
    if (dt <= 0) {
      organ.lastElongation_cm = 0;
      return 0;
    }
    const L0 = organ.length_cm;
    let L1: number;
    if (full) {
      organ.devAge_d += dt;
      L1 = lengthAtAge(organ.law, organ.devAge_d);
    } else {
      const cap = maxIncrement_cm === undefined ? lengthAtAge(organ.law, organ.devAge_d + dt) : Math.min(L0 + Math.max(maxIncrement_cm, 0), Math.max(organ.law.lmax_cm, L0));
      L1 = Math.min(L0 + Math.max(dl_cm, 0), cap);
      organ.devAge_d = L1 > L0 ? developmentalAgeAtLength(organ.law, L1, organ.devAge_d) : organ.devAge_d;
      if (!Number.isFinite(organ.devAge_d)) organ.devAge_d = ageAtLength(organ.law, L1 * (1 - 1e-15));
    }
    const dl = Math.max(L1 - L0, 0);
    organ.length_cm = Math.max(L1, L0);
    organ.lastElongation_cm = dl;
    if (dl > 0) {
      const ts = Math.max(t0, organ.emerge_d);
      // Time at which the tip passed arc length a: exact through the growth law for potential growth
      // (no pause), linear within the step otherwise.
      const a0 = ageAtLength(organ.law, L0);
      const exact = full && !Number.isFinite(organ.law.pauseStart_d);
      const timeAt = (a: number) => (exact ? Math.min(ts + (ageAtLength(organ.law, a) - a0), t1) : ts + ((t1 - ts) * (a - L0)) / dl);
      this.layDown(organ, L0, dl, timeAt);
    }
    return dl;
  }

  /** Extend the organ's geometry by `dl` cm from arc length L0 (tip node moves, new nodes every dx and at branching points). */
  private layDown(organ: Organ, L0: number, dl: number, timeAt: (arc_cm: number) => number): void {
    const net = this.net;
    const p = organ.params;
    const typeNum = ORGAN_TYPE_NUMBER[organ.kind];
    let arc = L0;
    let remaining = dl;
    // A branching point at the current tip (e.g. lb = 0) is served before growing on.
    this.branchAtTip(organ, arc, timeAt(arc));
    while (remaining > LENGTH_EPS_CM) {
      const nSeg = organ.segmentCount;
      const tipArc = organ.nodeArc_cm[nSeg];
      const full = nSeg === 0 || arc - organ.nodeArc_cm[nSeg - 1] >= organ.segCap_cm[nSeg] - LENGTH_EPS_CM;
      if (full) {
        // Start a new segment at the tip with a new heading (tropism) and a cap of dx or the distance to the next branch point.
        const nextBranch = organ.nextBranch < organ.branchPos_cm.length ? organ.branchPos_cm[organ.nextBranch] : Infinity;
        const cap = Math.min(p.dx_cm, nextBranch - tipArc > LENGTH_EPS_CM ? nextBranch - tipArc : p.dx_cm);
        if (nSeg > 0) organ.heading = this.tropism(organ, Math.min(cap, p.dx_cm));
        const tip = organ.tipNode;
        const k = net.addNode(tip, net.x[tip], net.y[tip], net.z[tip], timeAt(arc), organ.id, typeNum, p.subType, organ.radius_cm);
        organ.nodes.push(k);
        organ.nodeArc_cm.push(arc);
        organ.segCap_cm.push(cap);
        this.events.push({ segment: k - 1, organ: organ.id, time_d: timeAt(arc) });
      }
      const i = organ.segmentCount;
      const segStart = organ.nodeArc_cm[i - 1];
      const room = organ.segCap_cm[i] - (arc - segStart);
      const step = Math.min(room, remaining);
      arc += step;
      remaining -= step;
      const segLen = arc - segStart;
      const base = organ.nodes[i - 1];
      const tipNode = organ.nodes[i];
      const h = organ.heading;
      net.x[tipNode] = net.x[base] + h[0] * segLen;
      net.y[tipNode] = net.y[base] + h[1] * segLen;
      net.z[tipNode] = net.z[base] + h[2] * segLen;
      organ.nodeArc_cm[i] = arc;
      if (segLen >= organ.segCap_cm[i] - LENGTH_EPS_CM) this.branchAtTip(organ, arc, timeAt(arc));
    }
  }

  /** Create the laterals whose branching point lies at the organ's current tip arc length. */
  private branchAtTip(organ: Organ, arc: number, t_d: number): void {
    while (organ.nextBranch < organ.branchPos_cm.length && organ.branchPos_cm[organ.nextBranch] <= arc + LENGTH_EPS_CM) {
      const lat = organ.branchType[organ.nextBranch];
      organ.nextBranch++;
      if (!lat) continue;
      // Stems delay their k-th lateral by k × the time delay (CPlantBox: delay × number of laterals before).
      const k = organ.laterals.length;
      const delay = this.emergenceDelay(organ, lat, organ.branchPos_cm[organ.nextBranch - 1], organ.kind === 'stem' ? k : 1);
      const theta = this.rng.realize(lat.theta_rad.mean, lat.theta_rad.dev);
      // Leaves alternate on the stem (distichous grasses); root laterals at a random azimuth.
      const beta = lat.organType === 'leaf' ? Math.PI * this.leafCount++ : 2 * Math.PI * this.rng.uniform();
      this.addOrgan(lat, organ, organ.tipNode, t_d, t_d + delay, rotateHeading(organ.heading, theta, beta));
    }
  }

  /** Delay between creation of a lateral and its growth, d (CPlantBox DelayDefinition). */
  private emergenceDelay(parent: Organ, lateral: OrganTypeParams, branchPos_cm: number, multiplier: number): number {
    const def = parent.kind === 'root' ? this.params.seed.delayDefinition : this.params.seed.delayDefinitionShoot;
    if (def === 1) return multiplier * parent.ldelay_d;
    if (def === 2) return multiplier * this.rng.realize(lateral.ldelay_d.mean, lateral.ldelay_d.dev);
    // Distance based: the time the parent needs to grow its apical zone beyond the branching point.
    const laEff = Math.max(parent.la_cm - parent.params.ln_cm.mean / 2, 0);
    const a1 = ageAtLength(parent.law, branchPos_cm + laEff);
    const a0 = ageAtLength(parent.law, branchPos_cm);
    return Number.isFinite(a1) && Number.isFinite(a0) ? Math.max(a1 - a0, 0) : 0;
  }

  /** Heading of a new segment: best of N random bends (σ√dx) under the organ's tropism (CRootBox). */
  private tropism(organ: Organ, dx_cm: number): Vec3 {
    const p = organ.params;
    if (p.tropismSigma <= 0) return organ.heading;
    const nFloor = Math.floor(p.tropismN);
    const trials = Math.max(1, nFloor + (this.rng.uniform() < p.tropismN - nFloor ? 1 : 0));
    // Above-ground organs are negatively gravitropic (CPlantBox's gravitropism for stems and leaves points up).
    const up = organ.kind !== 'root';
    let best: Vec3 = organ.heading;
    let bestObj = Infinity;
    for (let k = 0; k < trials; k++) {
      const alpha = p.tropismSigma * this.rng.normal() * Math.sqrt(dx_cm);
      const beta = 2 * Math.PI * this.rng.uniform();
      const h = rotateHeading(organ.heading, alpha, beta);
      let obj: number;
      if (p.tropismType === 1) obj = up ? -h[2] : h[2];
      else if (p.tropismType === 0) obj = Math.abs(h[2]);
      else {
        const h0 = organ.initialHeading;
        obj = -(h[0] * h0[0] + h[1] * h0[1] + h[2] * h0[2]);
      }
      if (obj < bestObj) {
        bestObj = obj;
        best = h;
      }
    }
    return best;
  }

  /** Begin a step to t1: emit basal roots and tillers due by then. Returns the number of organs before the step. */
  beginStep(t1: number): number {
    const before = this.organs.length;
    this.seedEmissions(t1);
    return before;
  }

  /** Grow every organ at its potential over `dt_d` (organs created during the step grow for the rest of it). */
  growPotential(dt_d: number): void {
    const t0 = this.time_d;
    const t1 = t0 + dt_d;
    this.beginStep(t1);
    for (let i = 0; i < this.organs.length; i++) this.elongate(this.organs[i], t0, t1, true);
    this.time_d = t1;
  }

  /** Finish a step of limited growth (advances the clock). */
  endStep(t1: number): void {
    this.time_d = t1;
  }

  /** Creation events since index `from` (see {@link eventCount}). */
  creationEventsSince(from: number): readonly CreationEvent[] {
    return this.events.slice(from);
  }

  get eventCount(): number {
    return this.events.length;
  }

  /** The whole architecture as plain data (typed arrays, numbers, strings): a restored plant grows on identically. */
  saveState(): ArchitectureState {
    const n = this.net;
    const ev = this.events;
    return {
      time_d: this.time_d, rng: this.rng.saveState(), seedEvents: this.seedEvents.map((e) => ({ ...e })),
      events: { segment: Int32Array.from(ev, (e) => e.segment), organ: Int32Array.from(ev, (e) => e.organ), time_d: Float64Array.from(ev, (e) => e.time_d) },
      leafCount: this.leafCount,
      net: { nodeCount: n.nodeCount, x: n.x.slice(), y: n.y.slice(), z: n.z.slice(), parent: n.parent.slice(), nodeCreated_d: n.nodeCreated_d.slice(), organ: n.organ.slice(), organType: n.organType.slice(), subType: n.subType.slice(), radius_cm: n.radius_cm.slice() },
      organs: this.organs.map(organState),
    };
  }

  /** Restore a state from {@link saveState} of an architecture built from the same parameters. */
  restoreState(s: ArchitectureState): void {
    this.time_d = s.time_d;
    this.rng.restoreState(s.rng);
    this.seedEvents = s.seedEvents.map((e) => ({ ...e }));
    this.events = Array.from(s.events.segment, (seg, i) => ({ segment: seg, organ: s.events.organ[i], time_d: s.events.time_d[i] }));
    this.leafCount = s.leafCount;
    const n = this.net;
    n.nodeCount = s.net.nodeCount;
    n.x = s.net.x.slice();
    n.y = s.net.y.slice();
    n.z = s.net.z.slice();
    n.parent = s.net.parent.slice();
    n.nodeCreated_d = s.net.nodeCreated_d.slice();
    n.organ = s.net.organ.slice();
    n.organType = s.net.organType.slice();
    n.subType = s.net.subType.slice();
    n.radius_cm = s.net.radius_cm.slice();
    this.organs.length = 0;
    this.organs.push(...organsFromState(s.organs, this.params));
  }

  /** Organ lengths summed by kind, cm. */
  totalLength(kind: OrganKind): number {
    let s = 0;
    for (const o of this.organs) if (o.kind === kind) s += o.length_cm;
    return s;
  }
}
