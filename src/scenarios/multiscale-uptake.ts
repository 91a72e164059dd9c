import { CoupledModel, StaticRootSystem, type CoupledConfig, type RootWaterResult } from '../coupling/index.js';
import { ReturnCode } from '../numerics/ode/types.js';
import { conductivityAt, type ConductivityTable } from '../plant/conductivity.js';
import { voxelOf, type ClassicUptakeOptions, type UptakeStep } from '../plant/root-water-uptake.js';
import type { BiokineticParams } from '../rhizosphere/parameters.js';

/**
 * The `sink: multiscale` variant of root-water-uptake: the same static root system, conductivity
 * tables, transpiration and collar limit as {@link ClassicRootWaterUptake}, coupled through the
 * multiscale model of src/coupling (one perirhizal 1D model per segment inside its voxel, Eq 26
 * radii, fixed-point iteration: `CoupledModel` with a `StaticRootSystem` root side, dynamic soil
 * water). The 1D models carry TraiRhizo carbon pools (`params`), which do not affect water.
 *
 * Adapter (no change to src/coupling): the root side is wrapped to record the per-segment uptake of
 * the last iterate (for sink-by-depth.csv and the VTK) and to return the step-mean potential
 * transpiration of the sub-step the coupling asks for (it passes the sub-step midpoint).
 */
export class MultiscaleRootWaterUptake {
  readonly model: CoupledModel;
  readonly root: StaticRootSystem;
  readonly segmentVoxel: Int32Array;
  /** Per-segment uptake of the last iterate, cm³ d⁻¹ (soil → root). */
  readonly uptake_cm3_per_d: Float64Array;
  private readonly opts: ClassicUptakeOptions;
  private dtOuter = 1 / 72;
  private lastResult: RootWaterResult | undefined;

  constructor(opts: ClassicUptakeOptions, params: BiokineticParams, coupling: Partial<Pick<CoupledConfig, 'psiAveraging' | 'acceleration' | 'skip1D'>> = {}) {
    this.opts = opts;
    const r = opts.roots;
    const ns = r.x.length - 1;
    const kr = new Float64Array(ns);
    const kx = new Float64Array(ns);
    this.root = new StaticRootSystem({
      x_cm: r.x, y_cm: r.y, z_cm: r.z, parent: r.parent, radius_cm: r.radius_cm, kr_per_d: kr, kx_cm3_per_d: kx,
      potentialTranspiration_cm3_per_d: (tMid) => {
        const h = this.dtOuter / (2 * this.model.subSteps);
        return this.potentialTranspiration(tMid - h, tMid + h);
      },
      collarLimit_cm: opts.collarLimit_cm,
    });
    this.uptake_cm3_per_d = new Float64Array(ns);
    const inner = this.root;
    const rec = this.uptake_cm3_per_d;
    const self = this;
    const side = {
      net: inner.net,
      isRootSegment: () => true,
      solveWater(t: number, psi: Float64Array, kU: Float64Array, kR: Float64Array, uptake: Float64Array): RootWaterResult {
        const res = inner.solveWater(t, psi, kU, kR, uptake);
        rec.set(uptake.subarray(0, rec.length));
        self.lastResult = res;
        return res;
      },
    };
    this.segmentVoxel = new Int32Array(ns);
    for (let s = 0; s < ns; s++) {
      const k = s + 1;
      const p = r.parent[k];
      this.segmentVoxel[s] = voxelOf(opts.grid, (r.x[k] + r.x[p]) / 2, (r.y[k] + r.y[p]) / 2, (r.z[k] + r.z[p]) / 2);
    }
    this.setConductivities(0.5 / 72);
    this.model = CoupledModel.create({ grid: opts.grid, soil: opts.soil, params, initialHead_cm: opts.initialHead_cm, root: side, soilWater: 'dynamic', ...coupling });
  }

  get t_d(): number {
    return this.model.time_d;
  }

  get psiX_cm(): Float64Array {
    return this.root.psiX_cm;
  }

  get soilHead_cm(): Float64Array {
    return this.model.macro.richards.h_cm;
  }

  potentialTranspiration(t0_d: number, t1_d: number): number {
    const m = this.opts.transpirationMean_cm3_per_d;
    return m * (1 - (Math.sin(2 * Math.PI * t1_d) - Math.sin(2 * Math.PI * t0_d)) / (2 * Math.PI * (t1_d - t0_d)));
  }

  private setConductivities(tMid: number): void {
    const o = this.opts;
    const r = o.roots;
    const sp = this.root.spec;
    for (let s = 0; s < sp.kr_per_d.length; s++) {
      const age = o.observationTime_d + tMid - r.nodeTime_d[s + 1];
      sp.kr_per_d[s] = conductivityAt(o.kr_per_d as ConductivityTable, r.type[s], age);
      sp.kx_cm3_per_d[s] = conductivityAt(o.kx_cm3_per_d as ConductivityTable, r.type[s], age);
    }
  }

  advance(dt_d: number): UptakeStep & { iterates: number[]; subSteps: number; mismatch: number; balanceRelative: number } {
    const t0 = this.model.time_d;
    this.dtOuter = dt_d;
    this.setConductivities(t0 + dt_d / 2);
    const before = this.model.cumulativeBalance().rootUptake_cm3;
    const rc = this.model.advance(dt_d);
    const d = this.model.diagnostics()!;
    const uptake_cm3 = this.model.cumulativeBalance().rootUptake_cm3 - before;
    const Tpot = this.potentialTranspiration(t0, t0 + dt_d);
    return {
      potential_cm3: Tpot * dt_d,
      actual_cm3: uptake_cm3,
      collarHead_cm: d.collarPsi_cm,
      limited: this.lastResult?.collarLimited ?? false,
      xylemRelativeError: 0,
      soil: rc === ReturnCode.Success && d.converged ? ReturnCode.Success : rc === ReturnCode.Success ? ReturnCode.MaxIters : rc,
      iterates: d.iterates,
      subSteps: d.subSteps,
      mismatch: Math.max(d.mismatch.water, 0),
      balanceRelative: d.balance.waterRelative,
    };
  }
}
