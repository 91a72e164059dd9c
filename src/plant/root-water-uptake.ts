import { ReturnCode } from '../numerics/ode/types.js';
import { Richards3D } from '../soil/richards3d.js';
import type { RichardsState, RichardsStats } from '../soil/richards-stepper.js';
import type { VanGenuchtenMualem } from '../soil/van-genuchten.js';
import type { VoxelGrid } from '../soil/voxel-grid.js';
import { conductivityAt, type ConductivityTable } from './conductivity.js';
import { SegmentNetwork } from './segments.js';
import { XylemSolver } from './xylem.js';

/**
 * Root water uptake of a static root system in 3D voxel soil with the **classic sink** (the RSA
 * benchmark C1.2 class, Khare et al. 2022; Schnepf et al. 2020): no perirhizal models, each
 * segment exchanges water with the matric head of the voxel holding its centre,
 * q_s = 2πr_s k_r ∫(ψ_x − ψ_voxel) (004 Eqs 1–3 with K_sri → ∞: the soil resistance around the root
 * is ignored, which is why the classic sink overestimates uptake on coarse grids).
 *
 * One coupling step [t, t + Δt] (sequential, as CPlantBox–DuMux couple the classic sink):
 * 1. xylem (plant/xylem.ts, exact elements) with the soil heads at t and the collar condition:
 *    the step-mean potential transpiration T̄_pot = mean·(1 − [sin 2πt₁ − sin 2πt₀]/(2πΔt)) of the
 *    sinusoid T_pot(t) = mean·(1 − cos 2πt) (peak 2 × mean at noon, t in days, midnight at
 *    integer t), or the collar head `collarLimit_cm` when T̄_pot cannot be sustained above it;
 *    the network is linear in the collar head (k_r is the same for uptake and release), so the
 *    collar head for T̄_pot is found exactly from two solves;
 * 2. the per-segment exchange becomes the voxel source S_θ = Σ q_s / V (cm³ cm⁻³ d⁻¹);
 * 3. 3D Richards (soil/richards3d.ts) over Δt with those sources.
 * Soil water change = −(uptake) to the Richards residual; uptake = transpiration to the xylem
 * solve's residual (both reported).
 */
export interface StaticRootSystem {
  /** Node coordinates, cm; node 0 is the collar. */
  readonly x: ArrayLike<number>;
  readonly y: ArrayLike<number>;
  readonly z: ArrayLike<number>;
  /** Parent node (parents before children; −1 for node 0). */
  readonly parent: ArrayLike<number>;
  /** Per segment s (distal node s + 1): radius, cm, and root type (the key of the conductivity tables). */
  readonly radius_cm: ArrayLike<number>;
  readonly type: ArrayLike<number>;
  /** Creation time of each node, d (NaN = unknown: only age-independent tables then). */
  readonly nodeTime_d: ArrayLike<number>;
}

export interface ClassicUptakeOptions {
  readonly roots: StaticRootSystem;
  /** Age of the root system at simulation time 0 is measured from this node time, d (segment age = observation + t − node time). */
  readonly observationTime_d: number;
  readonly kr_per_d: ConductivityTable;
  readonly kx_cm3_per_d: ConductivityTable;
  readonly grid: VoxelGrid;
  readonly soil: VanGenuchtenMualem;
  /** Initial matric head per voxel, cm. */
  readonly initialHead_cm: Float64Array;
  /** Mean of the sinusoidal potential transpiration, cm³ d⁻¹. */
  readonly transpirationMean_cm3_per_d: number;
  /** Lowest xylem head at the collar, cm. */
  readonly collarLimit_cm: number;
}

/** What one step did (volumes over the step, cm³). */
export interface UptakeStep {
  readonly potential_cm3: number;
  readonly actual_cm3: number;
  readonly collarHead_cm: number;
  /** The collar held its limit head (water-limited). */
  readonly limited: boolean;
  /** Relative water balance of the xylem solve (uptake vs collar outflow). */
  readonly xylemRelativeError: number;
  readonly soil: ReturnCode;
}

/** The full state, for retries and checkpoints (plain data and typed arrays). */
export interface ClassicUptakeState {
  readonly t_d: number;
  readonly soil: RichardsState;
  readonly soilStats: RichardsStats;
  readonly psiX_cm: Float64Array;
  readonly uptake_cm3_per_d: Float64Array;
}

/** Voxel index of a point, or −1 outside the grid. */
export function voxelOf(grid: VoxelGrid, x: number, y: number, z: number): number {
  const find = (faces: Float64Array, v: number): number => {
    if (!(v >= faces[0] && v <= faces[faces.length - 1])) return -1;
    let lo = 0;
    let hi = faces.length - 1;
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (faces[mid] <= v) lo = mid;
      else hi = mid;
    }
    return lo;
  };
  const i = find(grid.xFaces, x);
  const j = find(grid.yFaces, y);
  const k = find(grid.zFaces, z);
  return i < 0 || j < 0 || k < 0 ? -1 : grid.index(i, j, k);
}

export class ClassicRootWaterUptake {
  readonly net: SegmentNetwork;
  readonly grid: VoxelGrid;
  readonly soil: Richards3D;
  /** Voxel of each segment (its centre). */
  readonly segmentVoxel: Int32Array;
  /** Xylem pressure head per node, cm (last step). */
  readonly psiX_cm: Float64Array;
  /** Uptake per segment over the last step, cm³ d⁻¹ (positive = from soil into the root). */
  readonly uptake_cm3_per_d: Float64Array;
  t_d = 0;
  private readonly opts: ClassicUptakeOptions;
  private readonly xylem = new XylemSolver();
  private readonly source: Float64Array;
  private readonly kx: Float64Array;
  private readonly g: Float64Array;
  private readonly psiOuter: Float64Array;
  private readonly radial: Float64Array;
  private readonly psiTry: Float64Array;

  constructor(opts: ClassicUptakeOptions) {
    this.opts = opts;
    const r = opts.roots;
    this.net = SegmentNetwork.fromArrays(r.x, r.y, r.z, r.parent, r.radius_cm);
    const ns = this.net.segmentCount;
    this.grid = opts.grid;
    this.segmentVoxel = new Int32Array(ns);
    for (let s = 0; s < ns; s++) {
      const k = s + 1;
      const p = r.parent[k];
      const v = voxelOf(opts.grid, (r.x[k] + r.x[p]) / 2, (r.y[k] + r.y[p]) / 2, (r.z[k] + r.z[p]) / 2);
      if (v < 0) throw new RangeError(`segment ${s}: centre outside the soil domain`);
      this.segmentVoxel[s] = v;
    }
    this.source = new Float64Array(opts.grid.n);
    this.soil = new Richards3D({ grid: opts.grid, soils: [opts.soil], top: { kind: 'noFlux' }, bottom: { kind: 'noFlux' }, initialHead_cm: opts.initialHead_cm, source_per_d: this.source }, { dtMax_d: 1 / 24 });
    this.psiX_cm = new Float64Array(this.net.nodeCount).fill(opts.collarLimit_cm / 2);
    this.psiTry = new Float64Array(this.net.nodeCount);
    this.uptake_cm3_per_d = new Float64Array(ns);
    this.kx = new Float64Array(ns);
    this.g = new Float64Array(ns);
    this.psiOuter = new Float64Array(ns);
    this.radial = new Float64Array(ns);
  }

  /** Step-mean potential transpiration over [t0, t1], cm³ d⁻¹. */
  potentialTranspiration(t0_d: number, t1_d: number): number {
    const m = this.opts.transpirationMean_cm3_per_d;
    return m * (1 - (Math.sin(2 * Math.PI * t1_d) - Math.sin(2 * Math.PI * t0_d)) / (2 * Math.PI * (t1_d - t0_d)));
  }

  /** Transpiration (collar outflow) with the collar at head h, cm³ d⁻¹; leaves the solution in psiTry and radial. */
  private solveAt(h_cm: number, warm: Float64Array): { T: number; balance: number } {
    this.psiTry.set(warm);
    const res = this.xylem.solve(this.net, { kx_cm3_per_d: this.kx, gUptake_cm_per_d: this.g, gRelease_cm_per_d: this.g, psiOuter_cm: this.psiOuter }, null, this.psiTry, this.radial, { collarHead_cm: h_cm, flowTolerance_cm3_per_d: 1e-12 });
    return { T: -res.collarInflow_cm3_per_d, balance: res.waterBalanceRelativeError };
  }

  /** One coupling step of length dt_d (see the class comment). */
  advance(dt_d: number): UptakeStep {
    const o = this.opts;
    const r = o.roots;
    const net = this.net;
    const ns = net.segmentCount;
    const t0 = this.t_d;
    const t1 = t0 + dt_d;
    const tMid = t0 + dt_d / 2;
    const h = this.soil.h_cm;
    for (let s = 0; s < ns; s++) {
      const age = o.observationTime_d + tMid - r.nodeTime_d[s + 1];
      const type = r.type[s];
      this.kx[s] = conductivityAt(o.kx_cm3_per_d, type, age);
      this.g[s] = 2 * Math.PI * net.radius_cm[s] * conductivityAt(o.kr_per_d, type, age);
      this.psiOuter[s] = h[this.segmentVoxel[s]];
    }
    const Tpot = this.potentialTranspiration(t0, t1);
    const lim = this.solveAt(o.collarLimit_cm, this.psiX_cm);
    let collar = o.collarLimit_cm;
    let limited = true;
    let balance = lim.balance;
    if (lim.T > Tpot) {
      // Linear in the collar head: T(h) = T(lim) + (h − lim)·slope; slope from a second solve at h = 0.
      const limPsi = this.psiTry.slice();
      const zero = this.solveAt(0, limPsi);
      const slope = (zero.T - lim.T) / (0 - o.collarLimit_cm);
      collar = o.collarLimit_cm + (Tpot - lim.T) / slope;
      const fin = this.solveAt(collar, limPsi);
      balance = fin.balance;
      limited = false;
    }
    this.psiX_cm.set(this.psiTry);
    this.source.fill(0);
    let actual = 0;
    for (let s = 0; s < ns; s++) {
      const q = -this.radial[s]; // radialOut is out of the xylem; uptake is into it
      this.uptake_cm3_per_d[s] = q;
      actual += q;
      const v = this.segmentVoxel[s];
      this.source[v] -= q / this.grid.volume[v];
    }
    const rc = this.soil.advanceTo(t1);
    this.t_d = t1;
    return { potential_cm3: Tpot * dt_d, actual_cm3: actual * dt_d, collarHead_cm: collar, limited, xylemRelativeError: balance, soil: rc };
  }

  saveState(): ClassicUptakeState {
    return { t_d: this.t_d, soil: this.soil.saveState(), soilStats: { ...this.soil.stats }, psiX_cm: this.psiX_cm.slice(), uptake_cm3_per_d: this.uptake_cm3_per_d.slice() };
  }

  restoreState(s: ClassicUptakeState): void {
    this.t_d = s.t_d;
    this.soil.restoreState(s.soil);
    Object.assign(this.soil.stats, s.soilStats);
    this.psiX_cm.set(s.psiX_cm);
    this.uptake_cm3_per_d.set(s.uptake_cm3_per_d);
  }
}
