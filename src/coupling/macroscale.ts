import { ReturnCode } from '../numerics/ode/types.js';
import { CARBON_VARS, NV, V, initialCellState, type MicrobialRateTotals } from '../rhizosphere/kinetics.js';
import { WellMixedCells, type WellMixedState } from '../rhizosphere/well-mixed.js';
import { DEFAULT_RHIZOSPHERE_CONSTANTS, type BiokineticParams, type RhizosphereConstants } from '../rhizosphere/parameters.js';
import { Richards3D } from '../soil/richards3d.js';
import type { RichardsState } from '../soil/richards-stepper.js';
import { Transport3D, type Transport3DState, type WaterStepFields } from '../soil/transport3d.js';
import type { VanGenuchtenMualem } from '../soil/van-genuchten.js';
import { hydrostaticHeads, type VoxelGrid } from '../soil/voxel-grid.js';

/**
 * The macroscale (3D voxel) soil of 004 App. B1, C1 as one reactive model: Richards' equation for
 * water, transport of C_L^l (advection + diffusion) and C_H^l (diffusion) between voxels, per-voxel
 * sources from the coupling, and in voxels without roots the TraiRhizo kinetics (App. D) of the
 * same rate laws as the 1D models: {@link WellMixedCells}, one well-mixed cell per voxel (no fluxes,
 * water content held over the reaction step; RODAS4 with the analytic reaction Jacobian and an 8×8
 * dense LU). Microbes, sorbed C and CO₂ never move
 * between voxels. Operator splitting per step: water → transport of C_L, C_H (with sources) →
 * reactions in the reactive voxels; each part conserves, so the whole does.
 *
 * `pools` holds per voxel the 9 amounts per cm³ soil of {@link V} (θ, θC_L, θC_H, C_L^s, microbes,
 * CO₂), kept in sync with the solvers after every advance.
 */
export interface MacroscaleSoilOptions {
  readonly grid: VoxelGrid;
  readonly soil: VanGenuchtenMualem;
  readonly params: BiokineticParams;
  readonly constants?: RhizosphereConstants;
  /** Initial matric head per voxel or one value, cm. */
  readonly initialHead_cm: number | Float64Array;
  readonly waterLimitation?: boolean;
  /** Water frozen: no Richards solve, zero fluxes (004's static soil outside dry spells). */
  readonly staticWater?: boolean;
}

export interface MacroscaleState {
  readonly kind: 'macroscale';
  readonly richards: RichardsState;
  readonly transportL: Transport3DState;
  readonly transportH: Transport3DState;
  readonly pools: Float64Array;
  readonly kinetics: WellMixedState;
}

export class MacroscaleSoil {
  readonly grid: VoxelGrid;
  readonly richards: Richards3D;
  readonly transportL: Transport3D;
  readonly transportH: Transport3D;
  /** n·9 amounts per cm³ soil (variables {@link V}). */
  readonly pools: Float64Array;
  /** Sources per voxel: water cm³ cm⁻³ d⁻¹, C_L and C_H mol C cm⁻³ soil d⁻¹ (filled by the coupling). */
  readonly sourceWater_per_d: Float64Array;
  readonly sourceL_molC_per_cm3_d: Float64Array;
  readonly sourceH_molC_per_cm3_d: Float64Array;
  /** 1 where the voxel runs reactions (no roots), 0 where its 1D models do. */
  readonly reactive: Uint8Array;
  staticWater: boolean;
  /** Timings, core-ms by part (water, transport, reactions). */
  readonly time_ms = { water: 0, transport: 0, reactions: 0 };
  private readonly kinetics: WellMixedCells;
  private staticFields: WaterStepFields;
  private readonly reactiveList: Int32Array;
  private reactiveCount = 0;

  constructor(o: MacroscaleSoilOptions) {
    const grid = o.grid;
    const n = grid.n;
    this.grid = grid;
    this.staticWater = o.staticWater ?? false;
    this.sourceWater_per_d = new Float64Array(n);
    this.sourceL_molC_per_cm3_d = new Float64Array(n);
    this.sourceH_molC_per_cm3_d = new Float64Array(n);
    this.richards = new Richards3D(
      { grid, soils: [o.soil], top: { kind: 'noFlux' }, bottom: { kind: 'noFlux' }, initialHead_cm: o.initialHead_cm, source_per_d: this.sourceWater_per_d },
      { dtInitial_d: 1e-3, dtMax_d: 1 / 72 },
    );
    const constants = o.constants ?? DEFAULT_RHIZOSPHERE_CONSTANTS;
    // One well-mixed cell per voxel, integrated in place on `pools`.
    this.kinetics = new WellMixedCells(n, { soil: o.soil, params: o.params, constants, waterLimitation: o.waterLimitation });
    this.pools = new Float64Array(n * NV);
    for (let c = 0; c < n; c++) initialCellState(this.richards.theta[c], o.params, constants, this.pools, c * NV);
    const cL = Float64Array.from({ length: n }, (_, c) => this.pools[c * NV + V.L] / this.pools[c * NV + V.theta]);
    const cH = Float64Array.from({ length: n }, (_, c) => this.pools[c * NV + V.H] / this.pools[c * NV + V.theta]);
    this.transportL = new Transport3D({ grid, thetaS: o.soil.thetaS, diffusionInWater_cm2_per_d: o.params.DLw_cm2_per_d, advection: true, initialConcentration_mol_per_cm3_water: cL, source_mol_per_cm3_per_d: this.sourceL_molC_per_cm3_d });
    this.transportH = new Transport3D({ grid, thetaS: o.soil.thetaS, diffusionInWater_cm2_per_d: o.params.DHw_cm2_per_d, advection: false, initialConcentration_mol_per_cm3_water: cH, source_mol_per_cm3_per_d: this.sourceH_molC_per_cm3_d });
    this.reactive = new Uint8Array(n).fill(1);
    this.reactiveList = new Int32Array(n);
    const r = this.richards;
    this.staticFields = { lastDt_d: 0, thetaOld: r.theta, theta: r.theta, faceFlux_cm3_per_d: new Float64Array(grid.faceCount), topInflow_cm3_per_d: new Float64Array(grid.topCells.length), bottomInflow_cm3_per_d: new Float64Array(grid.topCells.length) };
  }

  /** Amount of variable v in voxel c: cm³ water (θ) or mol C. */
  content(c: number, v: number): number {
    return this.pools[c * NV + v] * this.grid.volume[c];
  }

  /** Σ over voxels of the water, cm³, and of all carbon pools, mol C. */
  totals(): { water_cm3: number; carbon_molC: number } {
    let w = 0;
    let cC = 0;
    for (let c = 0; c < this.grid.n; c++) {
      w += this.content(c, V.theta);
      for (const v of CARBON_VARS) cC += this.content(c, v);
    }
    return { water_cm3: w, carbon_molC: cC };
  }

  /** Set the amounts (per cm³ soil) of the carbon pools that do not move between voxels, and C_L, C_H. */
  setCarbon(c: number, amounts_per_cm3: ArrayLike<number>): void {
    const th = this.pools[c * NV + V.theta];
    for (const v of CARBON_VARS) this.pools[c * NV + v] = amounts_per_cm3[v];
    this.transportL.c[c] = amounts_per_cm3[V.L] / th;
    this.transportH.c[c] = amounts_per_cm3[V.H] / th;
  }

  /**
   * Step contract: advance water, transport and reactions over dt_d with the current sources.
   * Returns the first failure code (then restore a saved state to retry).
   */
  advance(dt_d: number, reactions = true): ReturnCode {
    const n = this.grid.n;
    const r = this.richards;
    let t0 = performance.now();
    if (this.staticWater) {
      this.staticFields = { ...this.staticFields, lastDt_d: dt_d };
      const cL = this.transportL.step(this.staticFields);
      const cH = this.transportH.step(this.staticFields);
      this.time_ms.transport += performance.now() - t0;
      if (cL !== ReturnCode.Success) return cL;
      if (cH !== ReturnCode.Success) return cH;
    } else {
      const tEnd = r.t_d + dt_d;
      let steps = 0;
      while (r.t_d < tEnd * (1 - 1e-15) - 1e-300) {
        if (++steps > 100_000) return ReturnCode.MaxIters;
        const remaining = tEnd - r.t_d;
        let target = r.dt_d;
        if (remaining <= 1.05 * r.dt_d) target = remaining;
        else if (remaining < 2 * r.dt_d) target = remaining / 2;
        const tw = performance.now();
        const s = r.step(target);
        if (tEnd - r.t_d < 1e-12 * Math.max(1, tEnd)) r.t_d = tEnd;
        const tt = performance.now();
        this.time_ms.water += tt - tw;
        if (s.retcode !== ReturnCode.Success) return s.retcode;
        const cL = this.transportL.step(r);
        const cH = this.transportH.step(r);
        this.time_ms.transport += performance.now() - tt;
        if (cL !== ReturnCode.Success) return cL;
        if (cH !== ReturnCode.Success) return cH;
      }
    }
    for (let c = 0; c < n; c++) {
      const th = r.theta[c];
      this.pools[c * NV + V.theta] = th;
      this.pools[c * NV + V.L] = th * this.transportL.c[c];
      this.pools[c * NV + V.H] = th * this.transportH.c[c];
    }
    return reactions ? this.react(dt_d) : ReturnCode.Success;
  }

  /** Add Σ over the reactive voxels (no roots) of volume·(gross growth, CO₂ production) now to `out`, mol C d⁻¹ (diagnostic). */
  addMicrobialRates(out: MicrobialRateTotals): MicrobialRateTotals {
    const list: number[] = [];
    for (let c = 0; c < this.grid.n; c++) if (this.reactive[c]) list.push(c);
    return this.kinetics.addMicrobialRates(this.pools, list, this.grid.volume, out);
  }

  /** Reactions over dt_d in the reactive voxels (well-mixed cells, water content held); the split's second half. */
  react(dt_d: number): ReturnCode {
    const n = this.grid.n;
    const t0 = performance.now();
    let m = 0;
    for (let c = 0; c < n; c++) if (this.reactive[c]) this.reactiveList[m++] = c;
    this.reactiveCount = m;
    let code: ReturnCode = ReturnCode.Success;
    if (m > 0) code = this.kinetics.advance(this.pools, dt_d, this.reactiveList.subarray(0, m));
    for (let q = 0; q < m; q++) {
      const c = this.reactiveList[q];
      const th = this.pools[c * NV + V.theta];
      this.transportL.c[c] = this.pools[c * NV + V.L] / th;
      this.transportH.c[c] = this.pools[c * NV + V.H] / th;
    }
    this.time_ms.reactions += performance.now() - t0;
    return code;
  }

  /**
   * Reset the water to hydrostatic heads ψ̄ − (z − z̄) (spell start/end, COUPLING.md); dissolved
   * moles kept (concentrations follow the new θ). Returns the water added, cm³ (booked as a reset:
   * the Richards balance is re-based).
   */
  resetHydrostatic(meanHead_cm: number): number {
    const r = this.richards;
    const w0 = r.storage();
    const st = r.saveState();
    const h = hydrostaticHeads(this.grid, meanHead_cm);
    r.restoreState({ ...st, h_cm: h, thetaOld: st.thetaOld });
    const added = r.storage() - w0;
    r.restoreState({ ...r.saveState(), storage0_cm3: st.storage0_cm3 + added, thetaOld: r.theta.slice() });
    for (let c = 0; c < this.grid.n; c++) {
      const th = r.theta[c];
      this.pools[c * NV + V.theta] = th;
      this.transportL.c[c] = this.pools[c * NV + V.L] / th;
      this.transportH.c[c] = this.pools[c * NV + V.H] / th;
    }
    return added;
  }

  /** Voxels that ran reactions in the last advance. */
  get reactiveVoxels(): number {
    return this.reactiveCount;
  }

  saveState(): MacroscaleState {
    return { kind: 'macroscale', richards: this.richards.saveState(), transportL: this.transportL.saveState(), transportH: this.transportH.saveState(), pools: this.pools.slice(), kinetics: this.kinetics.saveState() };
  }

  restoreState(s: MacroscaleState): void {
    this.richards.restoreState(s.richards);
    this.transportL.restoreState(s.transportL);
    this.transportH.restoreState(s.transportH);
    this.pools.set(s.pools);
    this.kinetics.restoreState(s.kinetics);
  }
}
