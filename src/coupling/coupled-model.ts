import { ReturnCode } from '../numerics/ode/types.js';
import { CARBON_VARS, NV, V, type MicrobialRateTotals } from '../rhizosphere/kinetics.js';
import { PerirhizalBatch, type PerirhizalState } from '../rhizosphere/perirhizal.js';
import { DEFAULT_RHIZOSPHERE_CONSTANTS, type BiokineticParams, type RhizosphereConstants } from '../rhizosphere/parameters.js';
import { radialGrid } from '../soil/grid1d.js';
import { hydraulicConductivity, waterContent, type VanGenuchtenMualem } from '../soil/van-genuchten.js';
import type { VoxelGrid } from '../soil/voxel-grid.js';
import { PerDomainSecant, SECANT_OMEGA_MAX } from './secant.js';
import { AitkenRelaxation } from './aitken.js';
import { AndersonAcceleration } from './anderson.js';
import { outerRadii, voxelOfPoint, type PerirhizalWeights } from './geometry.js';
import { MacroscaleSoil, type MacroscaleState } from './macroscale.js';
import { repartitionVoxel, type RepartitionDomain } from './repartition.js';
import { OneDReuse } from './reuse.js';
import { PlantRootSide, PrescribedUptake, StaticRootSystem, type PlantRootSideState, type RootSide } from './root-side.js';
import { splitSolute, splitWater, type SplitResult } from './splits.js';

/** Relative tolerances of the fixed-point iteration, one per quantity (all must hold, ≥ minIterates). */
export interface CouplingTolerances {
  /** max over segments |Δψ_rsi| / max(|ψ_rsi|, 1 cm) between iterates. */
  readonly psiRsi: number;
  /** |Δψ_x,collar| / max(|ψ_x|, 1 cm). */
  readonly psiCollar: number;
  /** max over domains |ΔW_1D| / W_1D (water content of each 1D model). */
  readonly water1D: number;
  /** max over domains |ΔC_1D| / C_1D (total carbon of each 1D model). */
  readonly carbon1D: number;
  /** max over rooted voxels |3D − Σ1D| / Σ1D for water and for the dissolved carbon C_L + C_H. */
  readonly mismatch: number;
  /**
   * In dynamic soil with a root side that solves its own water (plant or {@link StaticRootSystem}; not
   * {@link PrescribedUptake}, whose demand Eq B12 is meant to cut): |supplied − transpired| / transpired of
   * an outer step (what the 1D models gave the roots against what the xylem solve took; they part where
   * Eq B12 limits the uptake within a long sub-step). Above it the step is repeated with twice the
   * sub-steps; sub-steps are only removed again below 1 % of it. With and without `waterPredictor1D`.
   * Not in static soil (the supply is the plant's own uptake there: no Eq B12 cut, residual ~0).
   * Default 1e−9 (the balance check of the coupled kind), dimensionless, > 0 (Infinity: off).
   */
  readonly plantWater: number;
}

/**
 * Defaults, chosen above the noise floor of the inner solvers (1D RODAS4 at rtol 1e−8 iterates stop
 * improving at ~1e−7 in ψ_rsi and ~5e−8 in 1D water), so that a converged sub-step is at the fixed
 * point to the accuracy the 1D models resolve.
 */
export const DEFAULT_TOLERANCES: CouplingTolerances = { psiRsi: 1e-5, psiCollar: 1e-5, water1D: 1e-7, carbon1D: 1e-8, mismatch: 1e-8, plantWater: 1e-9 };

/**
 * Default of {@link CoupledConfig.skip1D}: at 1e−10 the coupled state is as far from an accurate
 * fixed point (1D rtol 1e−8, coupling tolerances ÷100) as re-solving every domain is (docs/COUPLING.md, Cost).
 */
export const DEFAULT_SKIP_1D = 1e-10;

/**
 * Default of {@link CoupledConfig.correct1D}: at 2e−9 the coupled state's distance to the accurate fixed
 * point (1D rtol 1e−8, coupling tolerances ÷100) is ≤ 1.4× that without correction in every pool at days
 * 10 and 20 but C_H^l at day 20 (1.8×, at 4e−13 of its field maximum); 25 % fewer RODAS4 steps at day 20
 * (docs/COUPLING.md, Cost).
 */
export const DEFAULT_CORRECT_1D = 2e-9;

/** Default of {@link CoupledConfig.rtol1D}: the RODAS4 relative tolerance of the 1D models, as the single-root kind. */
export const DEFAULT_RTOL_1D = 1e-6;

/** psiAveraging 'surrogate': at most this many plant water solves per iterate against the per-domain 1D models. */
export const SURROGATE_INNER_MAX = 40;
/** Most sub-steps per outer step (a failed sub-step doubles them up to this). */
export const MAX_SUB_STEPS = 64;
/**
 * Largest plant–1D water residual of a converged sub-step (|Σ q_plant − q_1D| / Σ q_plant) that the Eq B12
 * supply limit closes (CoupledConfig.supplyLimit); above it the sub-step is re-run with more sub-steps (the
 * supply-limited answer of a too-long sub-step parts from the sub-stepped one: 11 % lower transpiration at a plain
 * residual of 0.43 from 1 sub-step in test/coupling/plant-water-residual.test.ts's box, docs/COUPLING.md).
 */
export const SUPPLY_LIMIT_MAX_RESIDUAL = 1e-2;
/** Iterates after the supply limit's first flux-mode domain within which the sub-step must converge (else re-run; at the cap the step is re-run without the flux phase). */
export const SUPPLY_LIMIT_MAX_ITERATES = 30;
/**
 * Supply residual (the cut domains' deficit relative to the plant's uptake) the flux phase closes to at the sub-step
 * cap, where the Eq B12 cuts and the whole fixed point move together (earlyDry at the wilting point, day 17.47,
 * 2026-12-03); elsewhere tolerances.plantWater. Each such sub-step's plant–1D water gap is then ≤ this fraction of
 * its uptake (measured there: 1e-8 … 6e-8 of each step's).
 */
export const SUPPLY_LIMIT_CAP_RESIDUAL = 1e-6;
/**
 * Eq B12 flux mode: a cut domain's uptake is prescribed to the plant through an element of this fraction of the
 * segment's radial conductance, at the head that passes the target at the segment's last xylem head; the xylem's drift
 * between solves then moves that uptake this many times less than through the physical element (1).
 */
export const SUPPLY_LIMIT_SOFT = 1e-6;
/** psiAveraging 'surrogate': the inner fixed point stops at this fraction of tolerances.psiRsi. */
export const SURROGATE_INNER_TOL = 0.1;
/** psiAveraging 'surrogate': a domain's slope dθ/dq is updated only from a change of θ above this fraction of θ after a full 1D solve (it adapts its steps: noise ~rtol1D). */
export const SURROGATE_SLOPE_DTHETA = 1e-4;
/** The same after a water-only 1D solve (along the step plan of the last full solve: θ smooth in q, round-off only). */
export const SURROGATE_SLOPE_DTHETA_WATER = 1e-11;
/** psiAveraging 'surrogate': per-segment relaxation factors of the inner secant are clamped to [this, 2]. */
export const SURROGATE_OMEGA_MIN = 1e-4;

export interface CoupledConfig {
  readonly grid: VoxelGrid;
  readonly soil: VanGenuchtenMualem;
  readonly params: BiokineticParams;
  readonly constants?: RhizosphereConstants;
  /** Initial matric head, one value or per voxel, cm (004: hydrostatic, mean −100 cm). */
  readonly initialHead_cm: number | Float64Array;
  /** The plant (PlantRootSide) or a prescribed root system (StaticRootSystem). */
  readonly root: RootSide;
  /**
   * 'dynamic': root water fluxes change the soil; 'static': the plant transpires against ψ_rsi but
   * the soil keeps its water (004's runs outside the dry spells, COUPLING.md "static soil").
   */
  readonly soilWater?: 'dynamic' | 'static';
  /** Eq 26 weights (default volume). */
  readonly weights?: PerirhizalWeights;
  /** Radial cells per 1D model (default 9, geometric). */
  readonly cells?: number;
  readonly minIterates?: number;
  readonly maxIterates?: number;
  /** Sub-step control aims at this many iterates per sub-step (default 10). */
  readonly targetIterates?: number;
  readonly tolerances?: Partial<CouplingTolerances>;
  /** Acceleration of the exchange fluxes Q: Aitken dynamic relaxation or none (default). */
  readonly acceleration?: 'none' | 'aitken';
  /**
   * ψ_rsi given to the plant from iterate 4 on: 'reference' = mean of all previous iterates of the
   * sub-step (the reference code; converges only as 1/k), 'relaxed' = mean of the last two
   * (default; damps two-cycles, same fixed point), 'none' = the last iterate, 'aitken' = Irons–Tuck
   * dynamic relaxation of ψ_rsi from iterate 2 on (ω₀ = 0.5; for an overshooting plant–soil
   * feedback, where two-point averaging leaves a period-3 cycle: docs/ROOT-WATER-UPTAKE.md),
   * 'anderson' = Anderson acceleration of ψ_rsi from iterate 2 on (depth {@link CoupledConfig.andersonDepth},
   * scaled by max(|ψ_rsi|, 1 cm); same fixed point, docs/COUPLING.md "Cost"), 'secant' = a relaxation
   * factor per segment from the secant of its own residual r = G(ψ) − ψ over the last two iterates,
   * ω = −Δψ/Δr clamped to [SECANT_OMEGA_MIN, SECANT_OMEGA_MAX] (a 1D root-finder per segment for
   * the steep, decreasing map of a drying root surface; same fixed point), kept inside the segment's bracket of
   * the root once its residual has changed sign three times ({@link PerDomainSecant}, src/coupling/secant.ts:
   * breaks the cycles of a tiny domain at the uptake/release switch), 'surrogate' = in dynamic soil
   * (static soil: as 'secant') a per-domain linear model of the 1D response θ(q) of the innermost cell's water
   * content to the uptake, h = h(θ) (secant slope of the domain's last two 1D solves; the first from the
   * start of the sub-step) and, before every 1D solve, the fixed point of plant water solves (cheap) against those models
   * ({@link SURROGATE_INNER_MAX} solves at most, per-segment secant, to {@link SURROGATE_INNER_TOL} ×
   * tolerances.psiRsi): a secant (quasi-Newton) step per domain with the plant's coupling of all segments
   * (the collar) solved exactly, instead of one relaxed step per 1D solve (same fixed point and
   * convergence test; docs/COUPLING.md "Surrogate ψ_rsi").
   */
  readonly psiAveraging?: 'reference' | 'relaxed' | 'none' | 'aitken' | 'anderson' | 'secant' | 'surrogate';
  /**
   * Eq B12 supply limit in the plant water solve (dynamic soil with a plant or static root system;
   * default false: an option until full runs measure it). When ψ_rsi has converged but the plant's uptake q from a segment exceeds what its
   * 1D model supplied (Eq B12 cut the inner boundary flux to K(h₀)(h₀ − ψ_crit)/Δr₀ for part of the
   * sub-step), that domain goes into flux mode for the rest of the sub-step: its uptake is prescribed
   * to the plant (SUPPLY_LIMIT_SOFT), first what the 1D model supplied, then by the secant of the
   * deficit q − q_1D towards the request at which the cut begins, never rising within the sub-step.
   * The sub-step then converges with the plant transpiring what the soil gave (the cut domains'
   * deficit summed ≤ tolerances.plantWater, SUPPLY_LIMIT_CAP_RESIDUAL at the sub-step cap) instead of
   * being re-run with more sub-steps; at the cap a flux phase that does not converge is dropped for
   * the step (StepDiagnostics.supplyLimitDropped). Needs RootSide.segmentXylemHead_cm and
   * segmentUptakeK_per_d. No effect where no domain is cut (bitwise the same iterates). false
   * (default): the 1D head, residual control by sub-steps only.
   */
  readonly supplyLimit?: boolean;
  /** History depth of psiAveraging 'anderson' (default 3). */
  readonly andersonDepth?: number;
  /**
   * Re-use of 1D solves between iterates of a sub-step: a domain whose exchange inputs changed by at
   * most this fraction of its content (water; dissolved C_L + C_H) since its last solve keeps that
   * result, with the inputs it was solved with (booked as such: conservative); the plant water solve
   * is re-used when ψ_rsi is unchanged. 'off' re-solves every domain every iterate (the reference code).
   * Default {@link DEFAULT_SKIP_1D}; at most the smallest of the water1D, carbon1D and mismatch tolerances.
   */
  readonly skip1D?: number | 'off';
  /**
   * Correction instead of re-solve (with `skip1D` on): a domain whose water inputs pass the `skip1D`
   * test, whose exudation and mucilage are unchanged and whose C_L, C_H sources changed since its last
   * solve by at most this fraction of its dissolved carbon keeps that solve's result plus the source
   * change × δt in each cell (booked: the 1D models get exactly what the 3D books; the reactions'
   * response to the change is what is left out). Default {@link DEFAULT_CORRECT_1D}; 'off': such
   * domains are solved again.
   */
  readonly correct1D?: number | 'off';
  /**
   * Carry each 1D model's accepted RODAS4 step sizes from one fixed-point iterate to the next of the same
   * sub-step as its first proposals (PerirhizalBatch.stepPlans; default true): the repeated solve skips
   * the rejected attempts of the last one. Scratch, cleared at every sub-step start (not in saveState).
   */
  readonly stepPlans1D?: boolean;
  /**
   * Water-only predictor iterates in dynamic soil (docs/COUPLING.md "Water predictor"): after the first
   * (full) iterate of a sub-step, iterates whose last water measures (ψ_rsi, collar ψ_x, 1D water,
   * 1D–3D water mismatch) have not yet converged solve only the water of the 1D models
   * ({@link PerirhizalBatch.advanceWater}, along each domain's step plan of the last full solve), with the
   * carbon exchange held; then full iterates run and the usual convergence test decides (back to the
   * predictor whenever a full iterate's water measures fail). Exact for 004's one-way coupling (the 1D
   * water does not depend on the carbon pools; exudation and mucilage lag one step). Default false;
   * ignored in static soil (no water iterates there).
   */
  readonly waterPredictor1D?: boolean;
  readonly waterLimitation?: boolean;
  /** RODAS4 relative tolerance of the 1D models (default {@link DEFAULT_RTOL_1D} = 1e−6, as the single-root kind). */
  readonly rtol1D?: number;
  /** Critical head of the soil at the root surface (Eq B12), cm. */
  readonly psiCrit_cm?: number;
  /** Called after every iterate (diagnostics, tests): iterate number and the 1D–3D mismatch measures before closure. */
  readonly onIterate?: (info: { iterate: number; mismatchWater: number; mismatchCarbon: number; change: StepDiagnostics['change']; worstPsi: { domain: number; given_cm: number; before_cm: number; after_cm: number; uptake_cm3_per_d: number; realised_cm3_per_d: number }; supply?: { domains: number; residual: number; fluxDomains: number; change: number } }) => void;
}

/** Per-step diagnostics ({@link CoupledModel.diagnostics}). */
export interface StepDiagnostics {
  t0_d: number;
  t1_d: number;
  /**
   * Gross microbial growth (Eqs D8 + D9) and CO₂ production (Eq D32) over the step in the whole soil,
   * mol C: the trapezoidal rule on the rates at the step start and every sub-step end. Only with
   * {@link CoupledModel.trackMicrobialRates} (a diagnostic: it changes no state).
   */
  microbial?: { grossGrowth_molC: number; co2Production_molC: number };
  subSteps: number;
  retries: number;
  /**
   * True when the Eq B12 flux phase did not converge at the sub-step cap and the step was taken without it (its
   * plant–1D residual then stays, as with supplyLimit off: the whole-system water balance shows it).
   */
  supplyLimitDropped?: boolean;
  /** Iterates of each sub-step. */
  iterates: number[];
  /** Last iterate's measures (max over the step's sub-steps). */
  change: { psiRsi: number; psiCollar: number; water1D: number; carbon1D: number };
  /** max 1D–3D relative mismatch before closure (water, dissolved C). */
  mismatch: { water: number; carbon: number };
  /** Amounts moved from 3D to 1D by the closure after convergence (cm³, mol C; |Σ|). */
  closure: { water_cm3: number; carbon_molC: number };
  /** Whole-system balance errors of the step (soil + plant + carbon in transit), absolute and relative. */
  balance: { water_cm3: number; waterRelative: number; carbon_molC: number; carbonRelative: number };
  /**
   * Plant-side water of the step, cm³: what the soil supplied to the roots (static soil: the fixed
   * reservoir's supply = Σ the plant's root uptake at the converged iterates; dynamic: the realised
   * 1D uptake) and what the plant transpired (collar flux of the same iterates). The plant stores no
   * water, so supplied − transpired is the plant part of the whole-system water error.
   */
  plantWater: { supplied_cm3: number; transpired_cm3: number };
  /** Times a split or sink cap applied, negative releases clipped. */
  caps: number;
  clippedReleases: number;
  /**
   * Lowest value any 1D carbon pool took at the end of a 1D solve so far, mol C cm⁻³ soil (trap 6:
   * RODAS4 rejects steps with a pool below −atol, 1e−14, so a negative value here is within that).
   */
  minCarbonPool_molC_per_cm3: number;
  /** Core-ms by part. */
  time_ms: { plant: number; oneD: number; threeD: number; exchange: number };
  /** 1D domain solves in the step (all iterates and sub-steps; = domains × iterates without `skip1D`), and plant water solves. */
  solves: { oneD: number; plant: number; water1D: number };
  /** Full iterates of each sub-step (= {@link iterates} without `waterPredictor1D`). */
  fullIterates: number[];
  domains: number;
  rootedVoxels: number;
  /** Actual transpiration (= Σ realised uptake given to the soil; in static mode the plant's), cm³ d⁻¹ at the last iterate. */
  transpiration_cm3_per_d: number;
  collarPsi_cm: number;
  converged: boolean;
}

/** Pool totals of one scale (mol C; water cm³). */
export interface ScaleTotals {
  volume_cm3: number;
  water_cm3: number;
  /** By variable name: CL_dissolved … CO2, mol C. */
  pools: Record<string, number>;
}

const POOL_NAMES = ['CL_dissolved', 'CH_dissolved', 'CL_sorbed', 'CO_active', 'CO_dormant', 'CC_active', 'CC_dormant', 'CO2'] as const;

export interface CoupledState {
  readonly kind: 'coupled';
  readonly time_d: number;
  readonly batch: PerirhizalState;
  readonly macro: MacroscaleState;
  readonly segDomain: Int32Array;
  readonly domainSeg: Int32Array;
  readonly domainVoxel: Int32Array;
  readonly everRooted: Uint8Array;
  readonly exud: Float64Array;
  readonly mucil: Float64Array;
  readonly subSteps: number;
  readonly cumulative: Float64Array;
  readonly soilWater: 'static' | 'dynamic';
  /** Exchange rates of the last sub-step per voxel (warm start of the next), [water, C_L, C_H] per d. */
  readonly lastQ: Float64Array;
  /** The root side: warm starts of a static root system, or the whole plant (PlantRootSide.saveState); absent for other root sides. */
  readonly root?: { psiX_cm: Float64Array; collar_cm: number } | PlantRootSideState;
}

/**
 * The multiscale coupling of 004 (App. B, C, E, F): a root side (plant or prescribed root system),
 * one 1D perirhizal model per below-ground root segment ({@link PerirhizalBatch}) and the 3D
 * reactive voxel soil ({@link MacroscaleSoil}), advanced in one conserving loop. See the module
 * index (src/coupling/index.ts) for the contract.
 */
export class CoupledModel {
  readonly config: CoupledConfig;
  readonly grid: VoxelGrid;
  readonly batch: PerirhizalBatch;
  readonly macro: MacroscaleSoil;
  readonly root: RootSide;
  readonly tol: CouplingTolerances;
  time_d = 0;
  /** Sub-steps per outer step (adapted). */
  subSteps = 1;
  private segDomain = new Int32Array(0);
  private domainSeg: number[] = [];
  private domainVoxel: number[] = [];
  /** Voxel → its domains (rebuilt when domains are added). */
  private voxelDomains = new Map<number, number[]>();
  private rootedList: number[] = [];
  private everRooted: Uint8Array;
  /** Exudation and mucilage per segment for the current step (lagged from the last plant step), mol C d⁻¹. */
  private exud = new Float64Array(0);
  private mucil = new Float64Array(0);
  private last: StepDiagnostics | undefined;
  /** Cumulative: [uptake cm³, exud+mucil applied mol C, plant carbon error, soil water err, soil carbon err, clipped mol C]. */
  /** [uptake, soil inputs, plant C error, soil water error, soil C error, clipped, supplied to plant, transpired]. */
  private cumulative = new Float64Array(8);
  private readonly psiCrit: number;
  private readonly thetaWilt: number;
  private readonly aitken = new AitkenRelaxation();
  private lastQ = new Float64Array(0);
  private soilWaterMode: 'static' | 'dynamic' = 'dynamic';
  private stepUptake = new Float64Array(0);
  /** The 1D re-use bookkeeping (scratch: reset at every sub-step start; not in saveState). */
  private reuse1D: OneDReuse | undefined;
  /** Buffer of the 1D state at the start of the current sub-step (scratch, overwritten by the next sub-step). */
  private subStepStart: PerirhizalState | undefined;
  /**
   * Integrate the microbial rates over each step into {@link StepDiagnostics.microbial} (for CO₂ per unit
   * microbial growth, issue 9). Off by default; costs one pass of the rate laws over every cell per sub-step.
   */
  trackMicrobialRates = false;

  static create(config: CoupledConfig): CoupledModel {
    return new CoupledModel(config);
  }

  constructor(config: CoupledConfig) {
    this.config = config;
    this.grid = config.grid;
    this.root = config.root;
    this.tol = { ...DEFAULT_TOLERANCES, ...config.tolerances };
    if (!(this.tol.plantWater > 0)) throw new RangeError(`tolerances.plantWater must be > 0 (Infinity: no plant–1D water residual control), got ${this.tol.plantWater}`);
    const skip = config.skip1D ?? DEFAULT_SKIP_1D;
    const skipMax = Math.min(this.tol.water1D, this.tol.carbon1D, this.tol.mismatch);
    // A kept solve can leave a 1D–3D mismatch up to its skip tolerance: above the convergence tolerances the loop could stall.
    if (skip !== 'off' && !(skip >= 0 && skip <= skipMax)) throw new RangeError(`skip1D must be 'off' or in [0, ${skipMax}] (the smallest of the 1D water, 1D carbon and mismatch tolerances), got ${skip}`);
    const corr = config.correct1D ?? DEFAULT_CORRECT_1D;
    if (corr !== 'off' && !(corr >= 0 && corr <= 1e-6)) throw new RangeError(`correct1D must be 'off' or in [0, 1e-6], got ${corr}`);
    this.psiCrit = config.psiCrit_cm ?? -15000;
    this.thetaWilt = waterContent(-15000, config.soil);
    const constants = config.constants ?? DEFAULT_RHIZOSPHERE_CONSTANTS;
    this.macro = new MacroscaleSoil({ grid: config.grid, soil: config.soil, params: config.params, constants, initialHead_cm: config.initialHead_cm, waterLimitation: config.waterLimitation, staticWater: config.soilWater === 'static' });
    this.batch = new PerirhizalBatch([], -100, { soil: config.soil, params: config.params, constants, cells: config.cells ?? 9, waterLimitation: config.waterLimitation, rtol: config.rtol1D ?? DEFAULT_RTOL_1D, psiCrit_cm: this.psiCrit });
    this.soilWaterMode = config.soilWater ?? 'dynamic';
    this.batch.frozenWater = this.soilWaterMode === 'static';
    this.everRooted = new Uint8Array(config.grid.n);
    this.time_d = config.root instanceof PlantRootSide ? config.root.plant.time_d : 0;
    this.syncDomains();
  }

  // ---------------------------------------------------------------- domains and re-partition

  /** Map new root segments to voxels, update geometry (Eq 26) and re-partition changed voxels (App. E). */
  private syncDomains(): number {
    const net = this.root.net;
    const ns = net.segmentCount;
    if (this.segDomain.length < ns) {
      const a = new Int32Array(Math.max(ns, 2 * this.segDomain.length)).fill(-1);
      a.set(this.segDomain);
      this.segDomain = a;
    }
    const newSegs: number[] = [];
    for (let s = 0; s < ns; s++) {
      if (this.segDomain[s] >= 0 || this.segDomain[s] === -2) continue;
      if (!this.root.isRootSegment(s)) continue;
      const k = s + 1;
      const p = net.parent[k];
      const len = net.segmentLength(s);
      if (!(len > 1e-6)) continue; // a tip that has not grown yet: mapped when it has a length
      const v = voxelOfPoint(this.grid, 0.5 * (net.x[k] + net.x[p]), 0.5 * (net.y[k] + net.y[p]), 0.5 * (net.z[k] + net.z[p]));
      if (v < 0) {
        this.segDomain[s] = -2; // above ground or outside: no soil exchange, for life
        continue;
      }
      newSegs.push(s);
      this.domainSeg.push(s);
      this.domainVoxel.push(v);
      this.segDomain[s] = this.domainSeg.length - 1;
    }
    const nd = this.domainSeg.length;
    const rIn = new Float64Array(nd);
    const len = new Float64Array(nd);
    const rOut = new Float64Array(nd);
    for (let d = 0; d < nd; d++) {
      const s = this.domainSeg[d];
      rIn[d] = net.radius_cm[s];
      len[d] = Math.max(net.segmentLength(s), 1e-6);
    }
    outerRadii(this.domainVoxel, rIn, len, this.grid.volume, this.config.weights ?? 'volume', rOut);
    // Voxels to re-partition: those with a new domain or a domain whose geometry changed.
    const changed = new Set<number>();
    const first = this.batch.nDomains;
    for (let d = first; d < nd; d++) changed.add(this.domainVoxel[d]);
    for (let d = 0; d < first; d++) {
      const g = this.batch.grids[d];
      const nc = this.batch.nCells;
      if (Math.abs(g.faces[nc] - rOut[d]) > 1e-13 * rOut[d] || Math.abs(g.length - len[d]) > 1e-13 * len[d] || g.faces[0] !== rIn[d]) changed.add(this.domainVoxel[d]);
    }
    if (nd > first) {
      this.batch.addDomains(Array.from({ length: nd - first }, (_, k) => ({ rIn_cm: rIn[first + k], rOut_cm: rOut[first + k], length_cm: len[first + k] })), { head_cm: -100 });
      this.indexVoxels();
    }
    const nc = this.batch.nCells;
    const limits = { thetaS: this.config.soil.thetaS, thetaWilt: this.thetaWilt };
    for (const v of changed) {
      const ds = this.voxelDomains.get(v)!;
      const content = new Float64Array(NV);
      for (let q = 0; q < NV; q++) content[q] = this.macro.content(v, q);
      const doms: RepartitionDomain[] = ds.map((d) => {
        const isNew = d >= first;
        const newGrid = radialGrid(rIn[d], rOut[d], nc, len[d], 'log');
        return isNew ? { newGrid } : { oldGrid: this.batch.grids[d], oldCells: this.batch.cellsOf(d), newGrid };
      });
      const cells = repartitionVoxel(doms, content, limits);
      ds.forEach((d, k) => this.batch.setDomain(d, { rIn_cm: rIn[d], rOut_cm: rOut[d], length_cm: len[d] }, cells[k], doms[k].newGrid));
      this.macro.reactive[v] = 0;
      this.everRooted[v] = 1;
    }
    if (this.exud.length < ns) {
      const grow = (a: Float64Array) => {
        const b = new Float64Array(Math.max(ns, 2 * a.length));
        b.set(a);
        return b;
      };
      this.exud = grow(this.exud);
      this.mucil = grow(this.mucil);
    }
    return changed.size;
  }

  // ---------------------------------------------------------------- helpers

  /** Rebuild voxel → domains and the rooted-voxel list (after domains were added or restored). */
  private indexVoxels(): void {
    this.voxelDomains.clear();
    for (let d = 0; d < this.domainSeg.length; d++) {
      const v = this.domainVoxel[d];
      let l = this.voxelDomains.get(v);
      if (!l) this.voxelDomains.set(v, (l = []));
      l.push(d);
    }
    this.rootedList = [...this.voxelDomains.keys()].sort((a, b) => a - b);
    // Per voxel, so it survives new domains (the warm start of the next sub-step's exchange).
    if (this.lastQ.length !== 3 * this.grid.n) this.lastQ = new Float64Array(3 * this.grid.n);
  }

  /**
   * psiAveraging 'surrogate': ψ_rsi for the next 1D solve from the fixed point of the plant water solve
   * against each domain's model h = h(Θ + S (q − Q)) (its last 1D solve's uptake Q and innermost θ Θ, slope S),
   * by a per-segment secant on r = h(q(ψ)) − ψ starting from the last 1D heads. Returns the plant solves made
   * (the caller's real solve at the returned ψ_rsi follows).
   */
  private surrogatePsi(
    tMid: number, nd: number, psiIter: Float64Array, psiSeg: Float64Array, kU: Float64Array, kR: Float64Array, uptakeSeg: Float64Array, psiTol: number,
    w: { surQ: Float64Array; surT: Float64Array; surS: Float64Array; surC: Float64Array; surX: Float64Array; surXp: Float64Array; surR: Float64Array; surRp: Float64Array; surQp: Float64Array; surW: Float64Array },
  ): number {
    const { surQ, surT, surS, surC, surX, surXp, surR, surRp, surQp, surW } = w;
    const seg = this.domainSeg;
    const b = this.batch;
    surX.set(psiIter.subarray(0, nd));
    let solves = 0;
    for (let j = 0; j < SURROGATE_INNER_MAX; j++) {
      for (let d = 0; d < nd; d++) psiSeg[seg[d]] = surX[d];
      const rw = this.root.solveWater(tMid, psiSeg, kU, kR, uptakeSeg);
      solves++;
      if (!rw.converged) break;
      let worst = 0;
      for (let d = 0; d < nd; d++) {
        const q = uptakeSeg[seg[d]];
        const x = surX[d];
        // θ of the model, kept at or above θ(ψ_crit) (Eq B12 holds the root surface there).
        const th = Math.max(surT[d] + surS[d] * (q - surQ[d]), this.thetaWilt);
        const r = b.headOfTheta(th) - x;
        worst = Math.max(worst, Math.abs(r) / Math.max(Math.abs(x), 1));
        if (j > 0) {
          const dx = x - surXp[d];
          const dr = r - surRp[d];
          if (Math.abs(dx) > 1e-12 * Math.max(Math.abs(x), 1)) {
            const c = (q - surQp[d]) / dx;
            if (c >= 0 && Number.isFinite(c)) surC[d] = c;
            if (dr !== 0) {
              const om = -dx / dr;
              if (om > 0) surW[d] = Math.min(Math.max(om, SURROGATE_OMEGA_MIN), SECANT_OMEGA_MAX);
            }
          }
        } else {
          // First step: ω = 1/(1 − (dh/dθ) S c) of the linear model, c = dq/dψ_rsi as last observed (else |q/(ψ − ψ_collar)|).
          let c = surC[d];
          if (!(c >= 0)) c = Number.isFinite(rw.collarPsi_cm) && Math.abs(x - rw.collarPsi_cm) > 1 ? Math.abs(q / (x - rw.collarPsi_cm)) : 0;
          const dth = 1e-6 * th;
          const dhdth = (b.headOfTheta(th + dth) - b.headOfTheta(th)) / dth;
          const om = 1 / (1 - dhdth * surS[d] * c);
          surW[d] = Number.isFinite(om) ? Math.min(Math.max(om, SURROGATE_OMEGA_MIN), 1) : 1;
        }
        surXp[d] = x;
        surRp[d] = r;
        surQp[d] = q;
        surR[d] = r;
      }
      if (worst <= SURROGATE_INNER_TOL * psiTol) break;
      for (let d = 0; d < nd; d++) surX[d] += surW[d] * surR[d];
    }
    for (let d = 0; d < nd; d++) psiSeg[seg[d]] = surX[d];
    return solves;
  }

  /** Innermost-cell matric head of every domain, by segment (for the plant), cm. */
  private rootSurface(psiSeg: Float64Array, kU: Float64Array, kR: Float64Array, cL?: Float64Array): void {
    const b = this.batch;
    const soil = this.config.soil;
    for (let d = 0; d < b.nDomains; d++) {
      const s = this.domainSeg[d];
      const h = b.head(d, 0);
      const g = b.grids[d];
      const dr = 0.5 * (g.faces[1] - g.faces[0]);
      psiSeg[s] = h;
      kU[s] = hydraulicConductivity(h, soil) / dr;
      kR[s] = soil.Ks_cm_per_d / dr;
      if (cL) {
        const o = b.offset(d, 0);
        cL[s] = Math.max(b.state[o + V.L] / b.state[o + V.theta], 0);
      }
    }
  }

  /** Σ over the voxel's 1D models of θ, C_L and C_H (cm³, mol C) into out[o], out[o + 1], out[o + 2] (each summed as {@link voxelSum1D} does). */
  private voxelSums1D(v: number, out: Float64Array, o: number): void {
    const b = this.batch;
    const st = b.state;
    const nc = b.nCells;
    let w = 0;
    let l = 0;
    let h = 0;
    for (const d of this.voxelDomains.get(v)!) {
      const vol = b.grids[d].volume;
      for (let i = 0; i < nc; i++) {
        const k = b.offset(d, i);
        w += vol[i] * st[k + V.theta];
        l += vol[i] * st[k + V.L];
        h += vol[i] * st[k + V.H];
      }
    }
    out[o] = w;
    out[o + 1] = l;
    out[o + 2] = h;
  }

  private voxelSum1D(v: number, q: number): number {
    let s = 0;
    for (const d of this.voxelDomains.get(v)!) {
      const g = this.batch.grids[d];
      for (let i = 0; i < this.batch.nCells; i++) s += g.volume[i] * this.batch.state[this.batch.offset(d, i) + q];
    }
    return s;
  }

  // ---------------------------------------------------------------- the step

  /**
   * Step contract: one outer step of duration dt_d (004: 20 min). Grows nothing itself: a plant
   * root side grows at the end of the step (carbon solve) and its new segments are mapped and
   * re-partitioned at the start of the next. Sub-steps and retries inside. Returns Success or the
   * failure code of the last retry (the state is then the start-of-step state).
   */
  advance(dt_d: number): ReturnCode {
    const t0 = this.time_d;
    const diag: StepDiagnostics = {
      t0_d: t0, t1_d: t0 + dt_d, subSteps: 0, retries: 0, supplyLimitDropped: false, iterates: [], change: { psiRsi: 0, psiCollar: 0, water1D: 0, carbon1D: 0 },
      mismatch: { water: 0, carbon: 0 }, closure: { water_cm3: 0, carbon_molC: 0 }, balance: { water_cm3: 0, waterRelative: 0, carbon_molC: 0, carbonRelative: 0 }, plantWater: { supplied_cm3: 0, transpired_cm3: 0 },
      caps: 0, clippedReleases: 0, minCarbonPool_molC_per_cm3: Number.NaN, time_ms: { plant: 0, oneD: 0, threeD: 0, exchange: 0 }, solves: { oneD: 0, plant: 0, water1D: 0 }, fullIterates: [], domains: 0, rootedVoxels: 0, transpiration_cm3_per_d: 0, collarPsi_cm: Number.NaN, converged: true,
    };
    let tx = performance.now();
    this.syncDomains();
    diag.time_ms.exchange += performance.now() - tx;
    diag.domains = this.batch.nDomains;
    diag.rootedVoxels = this.rootedList.length;
    const soil0 = this.macro.totals();
    const b0 = this.batch.saveState();
    const stride = this.batch.stride;
    const cum0 = Float64Array.from({ length: this.batch.nDomains }, (_, d) => this.batch.state[d * stride]);
    const m0 = this.macro.saveState();
    let uptakeStep = 0;
    let inputStep = 0;
    let supplied = 0;
    let transpired = 0;
    let code: ReturnCode = ReturnCode.Success;
    const predictorOn = (this.config.waterPredictor1D ?? false) && this.soilWaterMode === 'dynamic';
    // Plant–1D water residual control (tolerances.plantWater): where the 1D models' uptake can part from the xylem's.
    const residualControl = this.soilWaterMode === 'dynamic' && !(this.root instanceof PrescribedUptake);
    const supplyLimited = this.supplyLimitApplies();
    let plantResidual = 0;
    // Microbial rates (diagnostic, trackMicrobialRates): sampled at the step start (after the new domains) and every sub-step end.
    const rates0 = this.trackMicrobialRates ? this.microbialRates() : undefined;
    let growthStep = 0;
    let co2Step = 0;
    // One more attempt with the supply limit: the step without its flux phase at the cap.
    for (let attempt = 0; attempt < (supplyLimited ? 8 : 7); attempt++) {
      const n = this.subSteps;
      const dts = dt_d / n;
      let ratesPrev = rates0;
      growthStep = 0;
      co2Step = 0;
      uptakeStep = 0;
      inputStep = 0;
      supplied = 0;
      transpired = 0;
      diag.iterates = [];
      diag.fullIterates = [];
      code = ReturnCode.Success;
      for (let k = 0; k < n; k++) {
        const r = this.subStep(t0 + k * dts, dts, diag);
        if (r.code !== ReturnCode.Success) {
          code = r.code;
          break;
        }
        uptakeStep += r.uptake_cm3;
        inputStep += r.input_molC;
        supplied += r.supplied_cm3;
        transpired += r.transpired_cm3;
        if (ratesPrev) {
          const r1 = this.microbialRates();
          growthStep += 0.5 * (ratesPrev.growth_molC_per_d + r1.growth_molC_per_d) * dts;
          co2Step += 0.5 * (ratesPrev.co2_molC_per_d + r1.co2_molC_per_d) * dts;
          ratesPrev = r1;
        }
      }
      // The plant–1D water residual of the step decides whether the sub-steps were short enough.
      plantResidual = Math.abs(supplied - transpired) / Math.max(Math.abs(supplied), Math.abs(transpired), 1e-300);
      if (code === ReturnCode.Success && residualControl && plantResidual > this.tol.plantWater && this.subSteps < MAX_SUB_STEPS && attempt < 6) code = ReturnCode.ConvergenceFailure;
      if (code === ReturnCode.Success) break;
      diag.retries++;
      this.batch.restoreState(b0);
      this.macro.restoreState(m0);
      this.subSteps = Math.min(2 * this.subSteps, MAX_SUB_STEPS);
    }
    diag.subSteps = this.subSteps;
    if (rates0) diag.microbial = { grossGrowth_molC: growthStep, co2Production_molC: co2Step };
    diag.minCarbonPool_molC_per_cm3 = this.batch.minCarbonPool;
    if (code !== ReturnCode.Success) {
      this.last = diag;
      return code;
    }
    // Realised root water uptake per segment over the step (what the soil lost to each root).
    const ns0 = this.root.net.segmentCount;
    if (this.stepUptake.length < ns0) this.stepUptake = new Float64Array(Math.max(ns0, 2 * this.stepUptake.length));
    this.stepUptake.fill(0);
    for (let d = 0; d < this.batch.nDomains; d++) this.stepUptake[this.domainSeg[d]] = (this.batch.state[d * stride] - cum0[d]) / dt_d;
    // Adapt the number of sub-steps towards the target iterate count.
    // With the water predictor the full iterates set the cost (its water-only iterates are cheap): they are counted.
    const maxIt = Math.max(...(predictorOn ? diag.fullIterates : diag.iterates));
    const target = this.config.targetIterates ?? 10;
    if (maxIt > target) this.subSteps = Math.min(this.subSteps + 1, MAX_SUB_STEPS);
    // With the supply limit the flux phase closes the residual in every sub-step, so the iterates alone decide.
    else if (maxIt < target / 2 && this.subSteps > 1 && (!residualControl || (supplyLimited && !diag.supplyLimitDropped) || plantResidual <= 0.01 * this.tol.plantWater)) this.subSteps--;

    // Carbon and growth of the plant over the step (exudation, mucilage for the NEXT step).
    let plantCarbonErr = 0;
    if (this.root instanceof PlantRootSide) {
      const tp = performance.now();
      const ns = this.root.net.segmentCount;
      const psi = new Float64Array(ns).fill(-100);
      const kU = new Float64Array(ns);
      const kR = new Float64Array(ns);
      const cL = new Float64Array(ns);
      this.rootSurface(psi, kU, kR, cL);
      const res = this.root.step(dt_d, t0 + dt_d / 2, psi, cL, kU, kR);
      plantCarbonErr = res.budget.carbonError_molC;
      if (res.retcode !== ReturnCode.Success) diag.converged = false;
      if (this.exud.length < ns) this.syncDomains();
      this.exud.fill(0);
      this.mucil.fill(0);
      let clipped = 0;
      for (let s = 0; s < ns; s++) {
        const e = res.exudation_molC_per_d[s];
        const m = res.mucilage_molC_per_d[s];
        // Releases go to the soil only from segments with a 1D model; a negative release is clipped (counted, booked).
        if (this.segDomain[s] >= 0) {
          this.exud[s] = Math.max(e, 0);
          this.mucil[s] = Math.max(m, 0);
          if (e < 0 || m < 0) diag.clippedReleases++;
          clipped += (Math.max(e, 0) - e + Math.max(m, 0) - m) * dt_d;
        } else clipped -= (e + m) * dt_d;
      }
      this.cumulative[5] += clipped;
      diag.time_ms.plant += performance.now() - tp;
    }
    this.time_d = t0 + dt_d;

    // Whole-system balance of the step.
    const soil1 = this.macro.totals();
    const werr = soil1.water_cm3 - soil0.water_cm3 + uptakeStep;
    const cerr = soil1.carbon_molC - soil0.carbon_molC - inputStep;
    diag.balance.water_cm3 = werr;
    diag.balance.waterRelative = Math.abs(werr) / Math.max(soil0.water_cm3, Math.abs(uptakeStep));
    diag.balance.carbon_molC = cerr + plantCarbonErr;
    diag.balance.carbonRelative = Math.abs(cerr + plantCarbonErr) / Math.max(soil0.carbon_molC, Math.abs(inputStep));
    this.cumulative[0] += uptakeStep;
    this.cumulative[1] += inputStep;
    this.cumulative[2] += plantCarbonErr;
    this.cumulative[3] += werr;
    this.cumulative[4] += cerr;
    this.cumulative[6] += supplied;
    this.cumulative[7] += transpired;
    diag.plantWater = { supplied_cm3: supplied, transpired_cm3: transpired };
    this.last = diag;
    return ReturnCode.Success;
  }

  /** The Eq B12 supply limit acts: configured, dynamic soil, a root side with a xylem (not prescribed uptake). */
  private supplyLimitApplies(): boolean {
    const r = this.root;
    return (this.config.supplyLimit ?? false) && this.soilWaterMode === 'dynamic' && !(r instanceof PrescribedUptake) && r.segmentXylemHead_cm !== undefined && r.segmentUptakeK_per_d !== undefined;
  }

  /** One sub-step: the fixed-point loop (App. F), closure and reactions in voxels without roots. */
  private subStep(t: number, dt: number, diag: StepDiagnostics): { code: ReturnCode; uptake_cm3: number; input_molC: number; supplied_cm3: number; transpired_cm3: number } {
    const b = this.batch;
    const macro = this.macro;
    const nd = b.nDomains;
    const nc = b.nCells;
    const stride = b.stride;
    const cfg = this.config;
    const tol = this.tol;
    const soilStatic = this.soilWaterMode === 'static';
    const minIt = Math.max(cfg.minIterates ?? 4, 1);
    const maxIt = cfg.maxIterates ?? 100;
    const averaging = cfg.psiAveraging ?? 'relaxed';
    let tx = performance.now();
    const b0 = (this.subStepStart = b.saveStateInto(this.subStepStart));
    const m0 = macro.saveState();
    b.stepPlans = cfg.stepPlans1D ?? true;
    b.clearStepPlans();
    const ns = this.root.net.segmentCount;
    const psiSeg = new Float64Array(ns).fill(-100);
    const kU = new Float64Array(ns);
    const kR = new Float64Array(ns);
    const uptakeSeg = new Float64Array(ns);
    this.rootSurface(psiSeg, kU, kR);
    const psiHist: Float64Array[] = [];
    const psiIter = new Float64Array(nd);
    for (let d = 0; d < nd; d++) psiIter[d] = psiSeg[this.domainSeg[d]];
    const rooted = this.rootedList;
    const nr = rooted.length;
    // Exchange amounts over the sub-step per rooted voxel: [water cm³, C_L mol, C_H mol].
    let Q: Float64Array = new Float64Array(3 * nr);
    for (let r = 0; r < nr; r++) for (let q = 0; q < 3; q++) Q[3 * r + q] = this.lastQ[3 * rooted[r] + q] * dt;
    const Qnew = new Float64Array(3 * nr);
    const before = new Float64Array(3 * nr);
    for (let r = 0; r < nr; r++) {
      before[3 * r] = macro.content(rooted[r], V.theta);
      before[3 * r + 1] = macro.content(rooted[r], V.L);
      before[3 * r + 2] = macro.content(rooted[r], V.H);
    }
    const sum1D0 = new Float64Array(3 * nr);
    for (let r = 0; r < nr; r++) this.voxelSums1D(rooted[r], sum1D0, 3 * r);
    const sum1D = new Float64Array(3 * nr);
    const uptake0 = new Float64Array(nd);
    const allDomains = Int32Array.from({ length: nd }, (_, d) => d);
    for (let d = 0; d < nd; d++) uptake0[d] = b.state[d * stride];
    const w1Dprev = new Float64Array(nd).fill(Number.NaN);
    const c1Dprev = new Float64Array(nd).fill(Number.NaN);
    let collarPrev = Number.NaN;
    const split: SplitResult = { total: 0, capped: false };
    let maxPer = 1;
    for (const l of this.voxelDomains.values()) maxPer = Math.max(maxPer, l.length);
    const work = new Float64Array(maxPer * nc);
    const aux = new Float64Array(maxPer * nc);
    const volumes = new Float64Array(maxPer * nc);
    let converged = false;
    let k = 0;
    let uptakeTotal = 0;
    let inputTotal = 0;
    let plantUptake = 0;
    let plantTranspiration = 0;
    this.aitken.reset();
    const skip1D = cfg.skip1D ?? DEFAULT_SKIP_1D;
    const correct1D = cfg.correct1D ?? DEFAULT_CORRECT_1D;
    const corrTol = correct1D === 'off' ? 0 : correct1D;
    // One instance while the tolerances hold: its state buffers are reused (begin() resets the rest).
    if (skip1D !== 'off' && (!this.reuse1D || this.reuse1D.tolerances.skip !== skip1D || this.reuse1D.tolerances.correct !== corrTol)) this.reuse1D = new OneDReuse(skip1D, corrTol);
    const reuse = skip1D === 'off' ? undefined : this.reuse1D;
    reuse?.begin(b, V.theta, V.L, V.H);
    const psiPrev = new Float64Array(ns);
    let rwPrev: ReturnType<RootSide['solveWater']> | undefined;
    diag.time_ms.exchange += performance.now() - tx;
    const aitX = new Float64Array(nd);
    const aitR = new Float64Array(nd);
    let aitW = 0.5;
    // Secant state per domain (src/coupling/secant.ts): 'secant', and 'surrogate' in static soil (which iterates as 'secant').
    const secant = averaging === 'secant' || averaging === 'surrogate' ? new PerDomainSecant(nd) : undefined;
    const anderson = averaging === 'anderson' ? new AndersonAcceleration(cfg.andersonDepth ?? 3) : undefined;
    // Surrogate state per domain (dynamic soil): last 1D solve's uptake q and innermost θ, slope dθ/dq, the
    // plant's observed dq/dψ_rsi; the start-of-sub-step θ. Empty otherwise.
    const surrogate = averaging === 'surrogate' && !soilStatic;
    const nSur = surrogate ? nd : 0;
    const surQ = new Float64Array(nSur);
    const surT = new Float64Array(nSur);
    const surS = new Float64Array(nSur);
    const surC = new Float64Array(nSur).fill(Number.NaN);
    const surT0 = Float64Array.from({ length: nSur }, (_, d) => b.state[b.offset(d, 0) + V.theta]);
    const surX = new Float64Array(nSur);
    const surXp = new Float64Array(nSur);
    const surR = new Float64Array(nSur);
    const surRp = new Float64Array(nSur);
    const surQp = new Float64Array(nSur);
    const surW = new Float64Array(nSur);
    // Water predictor: 3D carbon sources of the last full iterate (held in water-only iterates).
    const predictor = (cfg.waterPredictor1D ?? false) && !soilStatic;
    // Eq B12 supply limit (cfg.supplyLimit): per domain flux mode on/off, its prescribed uptake, the conductance and
    // K_sri of its prescribed-uptake element.
    /** Realised uptake of domain d over the sub-step so far (the 1D inner boundary flux after Eq B12), cm³ d⁻¹. */
    const realised = (d: number) => (b.state[d * stride] - uptake0[d]) / dt;
    /** Eq B12 cut the plant's request q to the supply `real`. */
    const isCut = (q: number, real: number) => q > 0 && real < q * (1 - 1e-12);
    const limitOn = !diag.supplyLimitDropped && this.supplyLimitApplies();
    const nLim = limitOn ? nd : 0;
    const limOn = new Uint8Array(nLim);
    const limQT = new Float64Array(nLim);
    // The domain's last cut request and its deficit (secant on f = q − q_1D).
    const limQc = new Float64Array(nLim).fill(Number.NaN);
    const limFc = new Float64Array(nLim);
    const limGs = new Float64Array(nLim);
    const limKs = new Float64Array(nLim);
    const kUs = new Float64Array(limitOn ? ns : 0);
    let limActive = 0;
    let limStart = 0;
    let limResidual = 0;
    let limChange = 0;
    const xylemHead = (sg: number) => this.root.segmentXylemHead_cm!(sg);
    // The supply residual the flux phase closes to: tolerances.plantWater, at the sub-step cap SUPPLY_LIMIT_CAP_RESIDUAL.
    const supplyTol = this.subSteps >= MAX_SUB_STEPS ? Math.max(tol.plantWater, SUPPLY_LIMIT_CAP_RESIDUAL) : tol.plantWater;
    const src3L = new Float64Array(predictor ? nr : 0);
    const src3H = new Float64Array(predictor ? nr : 0);
    let waterOkLast = false;
    let fullIts = 0;
    let mmCLast = Number.POSITIVE_INFINITY;
    for (k = 1; k <= maxIt; k++) {
      const waterOnly = predictor && k > 1 && !waterOkLast;
      // --- plant water with the (averaged) root-surface heads.
      const tp = performance.now();
      if (surrogate) {
        if (k === 1) for (let d = 0; d < nd; d++) psiSeg[this.domainSeg[d]] = psiIter[d];
        else diag.solves.plant += this.surrogatePsi(t + dt / 2, nd, psiIter, psiSeg, kU, kR, uptakeSeg, tol.psiRsi, { surQ, surT, surS, surC, surX, surXp, surR, surRp, surQp, surW });
      } else if (averaging === 'secant' || averaging === 'surrogate') {
        // Per segment: x_k = x_{k−1} + ω (G(x_{k−1}) − x_{k−1}), ω from the secant of the residual (1 until two points).
        if (k === 1) aitX.set(psiIter.subarray(0, nd));
        else secant!.update(aitX, psiIter, nd);
        for (let d = 0; d < nd; d++) psiSeg[this.domainSeg[d]] = aitX[d];
      } else if (anderson) {
        // x_k from the last input x_{k−1} (aitX) and its 1D result G(x_{k−1}) (psiIter).
        if (k === 1) aitX.set(psiIter.subarray(0, nd));
        else {
          for (let d = 0; d < nd; d++) aitR[d] = Math.max(Math.abs(psiIter[d]), 1);
          anderson.update(aitX, psiIter, aitR, aitX);
        }
        for (let d = 0; d < nd; d++) psiSeg[this.domainSeg[d]] = aitX[d];
      } else if (averaging === 'aitken') {
        // Irons–Tuck dynamic relaxation of ψ_rsi: x_{k+1} = x_k + ω_k (G(x_k) − x_k), G = the 1D result.
        if (k === 1) aitX.set(psiIter.subarray(0, nd));
        else {
          let num = 0;
          let den = 0;
          for (let d = 0; d < nd; d++) {
            const r = psiIter[d] - aitX[d];
            const dr = r - aitR[d];
            num += aitR[d] * dr;
            den += dr * dr;
            aitR[d] = r;
          }
          if (k > 2 && den > 0) aitW = Math.max(-1, Math.min(1, (-aitW * num) / den));
          if (!(Math.abs(aitW) > 1e-3)) aitW = 0.5;
          for (let d = 0; d < nd; d++) aitX[d] += aitW * aitR[d];
        }
        for (let d = 0; d < nd; d++) psiSeg[this.domainSeg[d]] = aitX[d];
      } else if (k >= 4 && averaging !== 'none' && psiHist.length >= 2) {
        for (let d = 0; d < nd; d++) {
          let s = 0;
          const from = averaging === 'reference' ? 0 : psiHist.length - 2;
          for (let j = from; j < psiHist.length; j++) s += psiHist[j][d];
          psiSeg[this.domainSeg[d]] = s / (psiHist.length - from);
        }
      } else for (let d = 0; d < nd; d++) psiSeg[this.domainSeg[d]] = psiIter[d];
      // Domains in Eq B12 flux mode (cut at a converged ψ_rsi): their prescribed uptake (SUPPLY_LIMIT_SOFT), not a
      // soil head, and not averaged.
      let kUsolve = kU;
      if (limActive > 0) {
        kUs.set(kU.subarray(0, ns));
        kUsolve = kUs;
        for (let d = 0; d < nd; d++) {
          if (!limOn[d]) continue;
          const sg = this.domainSeg[d];
          kUs[sg] = limKs[d];
          psiSeg[sg] = xylemHead(sg) + limQT[d] / limGs[d];
          if (aitX.length) aitX[d] = psiIter[d];
          secant?.resetComponent(d);
        }
      }
      let same = reuse !== undefined && rwPrev !== undefined && limActive === 0;
      for (let q = 0; same && q < ns; q++) same = psiSeg[q] === psiPrev[q];
      // Same ψ_rsi (and t, K_sri) as the last solve: its result (uptakeSeg still holds it).
      const rw = same ? rwPrev! : this.root.solveWater(t + dt / 2, psiSeg, kUsolve, kR, uptakeSeg);
      // The prescribed-uptake elements' conductance from this solve (uptake over head difference).
      if (limActive > 0) {
        for (let d = 0; d < nd; d++) {
          if (!limOn[d]) continue;
          const sg = this.domainSeg[d];
          const g = uptakeSeg[sg] / (psiSeg[sg] - xylemHead(sg));
          if (g > 0 && Number.isFinite(g)) limGs[d] = g;
        }
      }
      if (!same) {
        diag.solves.plant++;
        psiPrev.set(psiSeg.subarray(0, ns));
        rwPrev = rw;
      }
      diag.time_ms.plant += performance.now() - tp;
      diag.transpiration_cm3_per_d = rw.transpiration_cm3_per_d;
      plantUptake = 0;
      for (let q = 0; q < ns; q++) plantUptake += uptakeSeg[q];
      plantTranspiration = rw.transpiration_cm3_per_d;
      diag.collarPsi_cm = rw.collarPsi_cm;
      if (!rw.converged) diag.converged = false;

      // --- 1D solves from the start of the sub-step.
      tx = performance.now();
      b.restoreState(b0);
      inputTotal = 0;
      for (let d = 0; d < nd; d++) {
        const s = this.domainSeg[d];
        const g = b.grids[d];
        const area = g.faceArea[0];
        b.waterUptake_cm_per_d[d] = soilStatic ? 0 : uptakeSeg[s] / area;
        b.exudation_molC_per_cm2_d[d] = this.exud[s] / area;
        b.mucilage_molC_per_cm2_d[d] = this.mucil[s] / area;
        inputTotal += (this.exud[s] + this.mucil[s]) * dt;
      }
      for (let r = 0; r < nr; r++) {
        const ds = this.voxelDomains.get(rooted[r])!;
        const m = ds.length * nc;
        let j = 0;
        for (const d of ds) {
          const g = b.grids[d];
          for (let i = 0; i < nc; i++, j++) {
            volumes[j] = g.volume[i];
            let th = b.state[b.offset(d, i) + V.theta];
            if (i === 0) th -= (b.waterUptake_cm_per_d[d] * g.faceArea[0] * dt) / g.volume[0];
            aux[j] = th;
          }
        }
        const vol = volumes.subarray(0, m);
        const out = work.subarray(0, m);
        for (let q = 0; q < 3; q++) {
          if (q === 0) splitWater(Q[3 * r], vol, aux.subarray(0, m), cfg.soil.thetaS, this.thetaWilt, out, split);
          else {
            j = 0;
            const cont = aux.subarray(0, m);
            for (const d of ds) for (let i = 0; i < nc; i++, j++) cont[j] = b.state[b.offset(d, i) + (q === 1 ? V.L : V.H)] * b.grids[d].volume[i];
            splitSolute(Q[3 * r + q], cont, 1e-14, out, split);
          }
          if (split.capped) diag.caps++;
          const tgt = q === 0 ? b.sourceWater_per_d : q === 1 ? b.sourceL_molC_per_cm3_d : b.sourceH_molC_per_cm3_d;
          j = 0;
          for (const d of ds) for (let i = 0; i < nc; i++, j++) tgt[d * nc + i] = out[j] / (volumes[j] * dt);
          if (q > 0) Q[3 * r + q] = split.total; // the amount the 1D models actually got is what 3D books
          else Q[3 * r] = split.total;
        }
      }
      let solveList: Int32Array | undefined;
      if (reuse && !waterOnly) {
        solveList = reuse.select(b, dt);
        if (solveList.length < nd) {
          // Voxels with kept domains: book what their 1D models actually get.
          for (let r = 0; r < nr; r++) {
            const ds = this.voxelDomains.get(rooted[r])!;
            if (!ds.some((d) => reuse.skipped(d))) continue;
            let qw = 0;
            let ql = 0;
            let qh = 0;
            for (const d of ds) {
              const g = b.grids[d];
              for (let i = 0; i < nc; i++) {
                qw += b.sourceWater_per_d[d * nc + i] * g.volume[i] * dt;
                ql += b.sourceL_molC_per_cm3_d[d * nc + i] * g.volume[i] * dt;
                qh += b.sourceH_molC_per_cm3_d[d * nc + i] * g.volume[i] * dt;
              }
            }
            Q[3 * r] = qw;
            Q[3 * r + 1] = ql;
            Q[3 * r + 2] = qh;
          }
          reuse.restoreSkipped(b, dt);
        } else solveList = undefined;
      }
      diag.time_ms.exchange += performance.now() - tx;
      const t1 = performance.now();
      const c1 = waterOnly ? b.advanceWater(dt) : solveList ? b.advance(dt, solveList) : b.advance(dt);
      if (waterOnly) diag.solves.water1D += nd;
      else {
        diag.solves.oneD += solveList ? solveList.length : nd;
        fullIts++;
      }
      diag.time_ms.oneD += performance.now() - t1;
      tx = performance.now();
      if (reuse && !waterOnly && c1 === ReturnCode.Success) reuse.record(b, solveList ?? allDomains);
      diag.time_ms.exchange += performance.now() - tx;
      if (c1 !== ReturnCode.Success) return { code: c1, uptake_cm3: 0, input_molC: 0, supplied_cm3: 0, transpired_cm3: 0 };

      // --- 3D solve from the start of the sub-step with the realised 1D exchange.
      tx = performance.now();
      macro.restoreState(m0);
      macro.sourceWater_per_d.fill(0);
      macro.sourceL_molC_per_cm3_d.fill(0);
      macro.sourceH_molC_per_cm3_d.fill(0);
      uptakeTotal = 0;
      for (let r = 0; r < nr; r++) {
        const v = rooted[r];
        let up = 0;
        for (const d of this.voxelDomains.get(v)!) up += b.state[d * stride] - uptake0[d];
        uptakeTotal += up;
        const Vv = this.grid.volume[v];
        macro.sourceWater_per_d[v] = -up / (Vv * dt);
        this.voxelSums1D(v, sum1D, 3 * r);
        if (waterOnly) {
          // The 1D carbon is that of the start of the sub-step: hold the last full iterate's carbon sources.
          macro.sourceL_molC_per_cm3_d[v] = src3L[r];
          macro.sourceH_molC_per_cm3_d[v] = src3H[r];
          continue;
        }
        const dL = sum1D[3 * r + 1] - sum1D0[3 * r + 1] - Q[3 * r + 1];
        const dH = sum1D[3 * r + 2] - sum1D0[3 * r + 2] - Q[3 * r + 2];
        macro.sourceL_molC_per_cm3_d[v] = dL / (Vv * dt);
        macro.sourceH_molC_per_cm3_d[v] = dH / (Vv * dt);
        if (predictor) {
          src3L[r] = macro.sourceL_molC_per_cm3_d[v];
          src3H[r] = macro.sourceH_molC_per_cm3_d[v];
        }
      }
      diag.time_ms.exchange += performance.now() - tx;
      const t3 = performance.now();
      // Reactions after convergence only: with transport first they do not change Q within the sub-step.
      const c3 = macro.advance(dt, false);
      diag.time_ms.threeD += performance.now() - t3;
      if (c3 !== ReturnCode.Success) return { code: c3, uptake_cm3: 0, input_molC: 0, supplied_cm3: 0, transpired_cm3: 0 };

      // --- new exchange, convergence measures.
      tx = performance.now();
      let mmW = 0;
      let mmC = 0;
      for (let r = 0; r < nr; r++) {
        const v = rooted[r];
        const Vv = this.grid.volume[v];
        Qnew[3 * r] = macro.content(v, V.theta) - before[3 * r] - macro.sourceWater_per_d[v] * Vv * dt;
        Qnew[3 * r + 1] = macro.content(v, V.L) - before[3 * r + 1] - macro.sourceL_molC_per_cm3_d[v] * Vv * dt;
        Qnew[3 * r + 2] = macro.content(v, V.H) - before[3 * r + 2] - macro.sourceH_molC_per_cm3_d[v] * Vv * dt;
        // The 1D models have not changed since the 3D sources were set.
        const w1 = sum1D[3 * r];
        const l1 = sum1D[3 * r + 1];
        const h1 = sum1D[3 * r + 2];
        mmW = Math.max(mmW, Math.abs(macro.content(v, V.theta) - w1) / w1);
        if (!waterOnly) mmC = Math.max(mmC, Math.abs(macro.content(v, V.L) + macro.content(v, V.H) - l1 - h1) / Math.max(l1 + h1, 1e-300));
      }
      // A water-only iterate has no carbon measures: its dissolved-carbon mismatch is that of the last full one.
      if (waterOnly) mmC = mmCLast;
      else mmCLast = mmC;
      let dPsi = 0;
      let dW = 0;
      let dC = 0;
      let worstD = -1;
      let worstBefore = Number.NaN;
      limResidual = 0;
      limChange = 0;
      let limCutDeficit = 0;
      let limResidualFlux = 0;
      let limUptake = 0;
      for (let d = 0; d < nd; d++) {
        const h = b.head(d, 0);
        let ch = Math.abs(h - psiIter[d]) / Math.max(Math.abs(psiIter[d]), 1);
        if (limitOn) {
          // Eq B12 supply limit: the plant's uptake q from this segment against what the 1D model supplied.
          const sg = this.domainSeg[d];
          const q = uptakeSeg[sg];
          const real = realised(d);
          limUptake += Math.abs(q);
          limResidual += q - real;
          if (limOn[d]) {
            limResidualFlux += q - real;
            // Cut again: the prescribed uptake falls towards the request q* at which the cut begins, by the secant of
            // the deficit f = q − q_1D over the domain's last two cut requests (first: to what the 1D model supplied).
            // Monotone, it never rises within the sub-step (no cycle; overshooting below q* costs at most that step).
            // Converged by the deficit summed over the domains, not by the artificial head.
            if (isCut(q, real)) {
              const f = q - real;
              limCutDeficit += f;
              let slope = 1;
              if (!Number.isNaN(limQc[d]) && limQc[d] !== q) {
                const sf = (f - limFc[d]) / (q - limQc[d]);
                if (Number.isFinite(sf) && sf > 0) slope = Math.min(Math.max(sf, 1e-3), 1);
              }
              limQc[d] = q;
              limFc[d] = f;
              limQT[d] = Math.min(limQT[d], q - f / slope);
            }
            ch = 0;
          }
        }
        if (ch > dPsi || worstD < 0) {
          worstD = d;
          worstBefore = psiIter[d];
        }
        dPsi = Math.max(dPsi, ch);
        psiIter[d] = h;
        if (surrogate) {
          // The domain's response: uptake given to this solve → innermost θ after it; slope from the last two solves.
          const q = uptakeSeg[this.domainSeg[d]];
          const th = b.state[b.offset(d, 0) + V.theta];
          let sl = Number.NaN;
          if (k === 1) {
            // First slope: the secant from the start of the sub-step if it lies within that of the innermost cell's
            // own mass balance (−δt/V₀: no redistribution), else that bound (the other inputs moved θ as well).
            const massBalance = -dt / b.grids[d].volume[0];
            sl = Math.abs(q) > 0 ? (th - surT0[d]) / q : Number.NaN;
            if (!(sl < 0 && sl >= massBalance)) sl = massBalance;
          }
          // A slope only from a change of θ above the 1D solver's noise: a water-only solve retraces the step plan of the
          // domain's last full solve (θ smooth in q), a full solve adapts its steps (noise ~rtol1D). Else the last one stays.
          else if (Math.abs(th - surT[d]) > (waterOnly ? SURROGATE_SLOPE_DTHETA_WATER : SURROGATE_SLOPE_DTHETA) * th && q !== surQ[d]) sl = (th - surT[d]) / (q - surQ[d]);
          if (sl <= 0 && Number.isFinite(sl)) surS[d] = sl;
          surQ[d] = q;
          surT[d] = th;
        }
        // Static soil: the 1D water is frozen (θ constant), its change 0.
        const w = soilStatic && k > 1 ? w1Dprev[d] : b.domainWater(d);
        if (k > 1) dW = Math.max(dW, Math.abs(w - w1Dprev[d]) / w);
        w1Dprev[d] = w;
        // Carbon: between full iterates (a water-only iterate leaves the start-of-sub-step carbon).
        if (waterOnly) continue;
        const c = b.domainCarbon(d);
        if (fullIts > 1) dC = Math.max(dC, Math.abs(c - c1Dprev[d]) / Math.max(c, 1e-300));
        else if (predictor) dC = Number.POSITIVE_INFINITY;
        c1Dprev[d] = c;
      }
      // limChange ≤ 1: the prescribed uptakes have converged.
      if (limActive > 0) limChange = limCutDeficit / Math.max(limUptake, 1e-300) / supplyTol;
      psiHist.push(psiIter.slice());
      const dCollar = k > 1 ? Math.abs(rw.collarPsi_cm - collarPrev) / Math.max(Math.abs(collarPrev), 1) : Infinity;
      collarPrev = rw.collarPsi_cm;
      diag.change = { psiRsi: dPsi, psiCollar: Number.isFinite(dCollar) ? dCollar : 0, water1D: dW, carbon1D: dC };
      if (cfg.onIterate) {
        const sw = worstD >= 0 ? this.domainSeg[worstD] : -1;
        const worstPsi = { domain: worstD, given_cm: sw >= 0 ? psiSeg[sw] : Number.NaN, before_cm: worstBefore, after_cm: worstD >= 0 ? psiIter[worstD] : Number.NaN, uptake_cm3_per_d: sw >= 0 ? uptakeSeg[sw] : Number.NaN, realised_cm3_per_d: worstD >= 0 ? realised(worstD) : Number.NaN };
        cfg.onIterate({ iterate: k, mismatchWater: mmW, mismatchCarbon: mmC, change: diag.change, worstPsi, supply: { domains: limActive, residual: limResidual / Math.max(limUptake, 1e-300), fluxDomains: limResidualFlux / Math.max(limUptake, 1e-300), change: limChange } });
      }
      diag.mismatch.water = Math.max(diag.mismatch.water, mmW);
      diag.mismatch.carbon = Math.max(diag.mismatch.carbon, mmC);
      const collarOk = Number.isNaN(rw.collarPsi_cm) || dCollar <= tol.psiCollar;
      waterOkLast = k > 1 && dPsi <= tol.psiRsi && collarOk && dW <= tol.water1D && mmW <= tol.mismatch;
      // Supply limit: once ψ_rsi has converged, the plant's uptake must also match the 1D models' supply (the step's
      // plant–1D water residual); domains the 1D models cut go into flux mode.
      // Only residuals ≤ SUPPLY_LIMIT_MAX_RESIDUAL (larger ones: the sub-step is too long for the Eq B12 dynamics, it is
      // re-run with more sub-steps) or at the sub-step cap; a flux phase that has not converged within
      // SUPPLY_LIMIT_MAX_ITERATES iterates fails the sub-step (re-run with more sub-steps).
      const resRel = Math.abs(limResidual) / Math.max(limUptake, 1e-300);
      // At the cap the step is then re-run without the flux phase (e.g. every domain cut: the plant's inflows all
      // prescribed leave its xylem heads undetermined).
      if (limActive > 0 && k - limStart > SUPPLY_LIMIT_MAX_ITERATES) {
        if (this.subSteps >= MAX_SUB_STEPS) diag.supplyLimitDropped = true;
        return { code: ReturnCode.ConvergenceFailure, uptake_cm3: 0, input_molC: 0, supplied_cm3: 0, transpired_cm3: 0 };
      }
      if (limActive > 0 && limChange > 1) waterOkLast = false;
      if (limitOn && waterOkLast && resRel > 0.5 * supplyTol && (resRel <= SUPPLY_LIMIT_MAX_RESIDUAL || this.subSteps >= MAX_SUB_STEPS)) {
        if (limActive === 0) limStart = k;
        for (let d = 0; d < nd; d++) {
          if (limOn[d]) continue;
          const sg = this.domainSeg[d];
          const q = uptakeSeg[sg];
          const real = realised(d);
          if (!isCut(q, real)) continue;
          limOn[d] = 1;
          limActive++;
          // The prescribed-uptake element: K_sri SUPPLY_LIMIT_SOFT times the segment's min(k_r, K_sri) (so it sets the
          // element's conductance), its conductance first SUPPLY_LIMIT_SOFT times the segment's dq/dψ_rsi, then
          // measured after each solve; the uptake prescribed is what the 1D model supplied.
          let gp = q / (psiSeg[sg] - xylemHead(sg));
          if (!(gp > 0 && Number.isFinite(gp))) gp = b.grids[d].faceArea[0] * kU[sg];
          limGs[d] = SUPPLY_LIMIT_SOFT * gp;
          limKs[d] = SUPPLY_LIMIT_SOFT * this.root.segmentUptakeK_per_d!(sg);
          limQT[d] = real;
          limQc[d] = q;
          limFc[d] = q - real;
          waterOkLast = false;
        }
      }
      const ok = !waterOnly && k >= minIt && waterOkLast && dC <= tol.carbon1D && mmC <= tol.mismatch;
      // Next exchange: plain fixed point or Aitken-relaxed.
      if (cfg.acceleration === 'aitken') Q = this.aitken.update(Q, Qnew, before);
      else Q.set(Qnew);
      diag.time_ms.exchange += performance.now() - tx;
      if (ok) {
        converged = true;
        break;
      }
      // The last mismatch measures are the converged ones; restart the max for the next iterate.
      diag.mismatch.water = mmW;
      diag.mismatch.carbon = mmC;
    }
    diag.iterates.push(Math.min(k, maxIt));
    diag.fullIterates.push(fullIts);
    if (!converged) return { code: ReturnCode.ConvergenceFailure, uptake_cm3: 0, input_molC: 0, supplied_cm3: 0, transpired_cm3: 0 };
    for (let r = 0; r < nr; r++) for (let q = 0; q < 3; q++) this.lastQ[3 * rooted[r] + q] = Qnew[3 * r + q] / dt;

    // --- closure: the 3D voxel is the reference; move the (converged, tiny) mismatch into the 1D cells.
    tx = performance.now();
    for (let r = 0; r < nr; r++) {
      const v = rooted[r];
      const ds = this.voxelDomains.get(v)!;
      for (const q of [V.theta, V.L, V.H]) {
        const tot = this.voxelSum1D(v, q);
        const res = macro.content(v, q) - tot;
        if (res === 0) continue;
        // Spread by content (water, and solutes alike): never takes more than a cell holds for |res| ≪ content.
        for (const d of ds) for (let i = 0; i < nc; i++) b.state[b.offset(d, i) + q] *= 1 + res / tot;
        if (q === V.theta) diag.closure.water_cm3 += Math.abs(res);
        else diag.closure.carbon_molC += Math.abs(res);
      }
      // Pools that do not move between voxels: the 3D voxel takes the sum of its 1D models.
      const amounts = new Float64Array(NV);
      for (const q of CARBON_VARS) amounts[q] = this.voxelSum1D(v, q) / this.grid.volume[v];
      amounts[V.L] = macro.content(v, V.L) / this.grid.volume[v];
      amounts[V.H] = macro.content(v, V.H) / this.grid.volume[v];
      macro.setCarbon(v, amounts);
    }
    diag.time_ms.exchange += performance.now() - tx;
    // --- reactions in voxels without roots (after transport: operator splitting).
    const t3 = performance.now();
    const c3 = macro.react(dt);
    diag.time_ms.threeD += performance.now() - t3;
    if (c3 !== ReturnCode.Success) return { code: c3, uptake_cm3: 0, input_molC: 0, supplied_cm3: 0, transpired_cm3: 0 };
    // Plant water: static soil is a fixed reservoir that supplies the plant's uptake; dynamic soil supplies what the 1D models lost.
    const supplied_cm3 = soilStatic ? plantUptake * dt : uptakeTotal;
    return { code: ReturnCode.Success, uptake_cm3: uptakeTotal, input_molC: inputTotal, supplied_cm3, transpired_cm3: Number.isFinite(plantTranspiration) ? plantTranspiration * dt : supplied_cm3 };
  }

  // ---------------------------------------------------------------- events

  /**
   * Spell reset (COUPLING.md): every voxel and 1D cell to hydrostatic ψ = ψ̄ − (z − z̄) (z̄ the mean
   * voxel elevation); dissolved solute moles kept, solid pools untouched. The water added or removed
   * is booked (returned, cm³) and excluded from the step balances.
   */
  resetHydrostatic(meanHead_cm: number): number {
    const changed = this.macro.resetHydrostatic(meanHead_cm);
    const b = this.batch;
    for (let d = 0; d < b.nDomains; d++) {
      const v = this.domainVoxel[d];
      const th = this.macro.pools[v * NV + V.theta];
      const cells = b.cellsOf(d);
      for (let i = 0; i < b.nCells; i++) cells[i * NV + V.theta] = th;
      b.setDomain(d, { rIn_cm: b.grids[d].faces[0], rOut_cm: b.grids[d].faces[b.nCells], length_cm: b.grids[d].length }, cells);
    }
    return changed;
  }

  /** Switch the soil water between static (frozen, 004 outside spells) and dynamic (spells) from the next step on. */
  setSoilWater(mode: 'static' | 'dynamic'): void {
    this.soilWaterMode = mode;
    this.macro.staticWater = mode === 'static';
    this.batch.frozenWater = mode === 'static';
  }

  /** Current soil-water mode. */
  get soilWater(): 'static' | 'dynamic' {
    return this.soilWaterMode;
  }

  // ---------------------------------------------------------------- accessors

  /** Diagnostics of the last {@link advance}. */
  diagnostics(): StepDiagnostics | undefined {
    return this.last;
  }

  /** Cumulative balances since creation. */
  cumulativeBalance(): { rootUptake_cm3: number; soilInputs_molC: number; waterError_cm3: number; carbonError_molC: number; clippedReleases_molC: number; suppliedToPlant_cm3: number; transpired_cm3: number; plantWaterError_cm3: number } {
    const c = this.cumulative;
    return { rootUptake_cm3: c[0], soilInputs_molC: c[1], waterError_cm3: c[3], carbonError_molC: c[4] + c[2], clippedReleases_molC: c[5], suppliedToPlant_cm3: c[6], transpired_cm3: c[7], plantWaterError_cm3: c[6] - c[7] };
  }

  /** Voxel fields (copies): θ, matric head (cm) and the 8 carbon pools per cm³ soil. */
  voxelFields(): { theta: Float64Array; psi_cm: Float64Array; pools: Record<string, Float64Array>; rooted: Uint8Array } {
    const n = this.grid.n;
    const pools: Record<string, Float64Array> = {};
    CARBON_VARS.forEach((v, j) => (pools[POOL_NAMES[j]] = Float64Array.from({ length: n }, (_, c) => this.macro.pools[c * NV + v])));
    const rooted = new Uint8Array(n);
    for (const v of this.rootedList) rooted[v] = 1;
    return { theta: Float64Array.from({ length: n }, (_, c) => this.macro.pools[c * NV]), psi_cm: this.macro.richards.h_cm.slice(), pools, rooted };
  }

  /**
   * Realised root water uptake per segment over the last step (soil → root, cm³ d⁻¹; the 1D models'
   * inner boundary flux after the Eq B12 limit; 0 for segments without a 1D model). A view: copy to keep.
   */
  segmentUptake_cm3_per_d(): Float64Array {
    return this.stepUptake.subarray(0, this.root.net.segmentCount);
  }

  /** Segments that have a 1D model, in domain order. */
  segmentsWithModels(): Int32Array {
    return Int32Array.from(this.domainSeg);
  }

  /** Domain of segment s (−1: none). */
  domainOfSegment(s: number): number {
    return s < this.segDomain.length ? Math.max(this.segDomain[s], -1) : -1;
  }

  /** Radial profile of segment s's 1D model: cell centres and faces (cm), θ, head and the pools per cm³ soil. */
  radialProfile(s: number): { segment: number; voxel: number; faces_cm: Float64Array; centers_cm: Float64Array; theta: Float64Array; psi_cm: Float64Array; pools: Record<string, Float64Array> } | undefined {
    const d = this.domainOfSegment(s);
    if (d < 0) return undefined;
    const b = this.batch;
    const nc = b.nCells;
    const pools: Record<string, Float64Array> = {};
    CARBON_VARS.forEach((v, j) => (pools[POOL_NAMES[j]] = Float64Array.from({ length: nc }, (_, i) => b.state[b.offset(d, i) + v])));
    return {
      segment: s, voxel: this.domainVoxel[d], faces_cm: b.grids[d].faces.slice(), centers_cm: b.grids[d].centers.slice(),
      theta: Float64Array.from({ length: nc }, (_, i) => b.state[b.offset(d, i)]), psi_cm: Float64Array.from({ length: nc }, (_, i) => b.head(d, i)), pools,
    };
  }

  /**
   * Pool totals per scale (004 Sec. 2.4): macroscale = voxels rooted at any time so far, bulk soil =
   * voxels rooted now (3D contents), perirhizal_trunc = every 1D model cut at `truncate_cm` (0.06)
   * from the root surface (the cut cell by its partial volume, value interpolated between cell
   * centres), microscale = every 1D cell.
   */
  poolTotals(truncate_cm = 0.06): { macroscale: ScaleTotals; bulkSoil: ScaleTotals; perirhizalTrunc: ScaleTotals; microscale: ScaleTotals } {
    const mk = (): ScaleTotals => ({ volume_cm3: 0, water_cm3: 0, pools: Object.fromEntries(POOL_NAMES.map((p) => [p, 0])) });
    const macro = mk();
    const bulk = mk();
    const trunc = mk();
    const micro = mk();
    const addVoxel = (t: ScaleTotals, c: number) => {
      const Vv = this.grid.volume[c];
      t.volume_cm3 += Vv;
      t.water_cm3 += this.macro.content(c, V.theta);
      CARBON_VARS.forEach((v, j) => (t.pools[POOL_NAMES[j]] += this.macro.content(c, v)));
    };
    const rootedNow = new Set(this.rootedList);
    for (let c = 0; c < this.grid.n; c++) {
      if (this.everRooted[c]) addVoxel(macro, c);
      if (rootedNow.has(c)) addVoxel(bulk, c);
    }
    const b = this.batch;
    const nc = b.nCells;
    for (let d = 0; d < b.nDomains; d++) {
      const g = b.grids[d];
      const rCut = g.faces[0] + truncate_cm;
      for (let i = 0; i < nc; i++) {
        const o = b.offset(d, i);
        micro.volume_cm3 += g.volume[i];
        micro.water_cm3 += g.volume[i] * b.state[o];
        CARBON_VARS.forEach((v, j) => (micro.pools[POOL_NAMES[j]] += g.volume[i] * b.state[o + v]));
        if (g.faces[i] >= rCut) continue;
        const full = g.faces[i + 1] <= rCut;
        const vol = full ? g.volume[i] : Math.PI * (rCut * rCut - g.faces[i] * g.faces[i]) * g.length;
        // Partial cell: value interpolated between cell centres at the mid-radius of the kept part.
        const val = (q: number) => {
          if (full) return b.state[o + q];
          const rm = 0.5 * (g.faces[i] + rCut);
          const j = rm < g.centers[i] ? Math.max(i - 1, 0) : Math.min(i + 1, nc - 1);
          if (j === i) return b.state[o + q];
          const w = (rm - g.centers[i]) / (g.centers[j] - g.centers[i]);
          return (1 - w) * b.state[o + q] + w * b.state[b.offset(d, j) + q];
        };
        trunc.volume_cm3 += vol;
        trunc.water_cm3 += vol * val(V.theta);
        CARBON_VARS.forEach((v, j) => (trunc.pools[POOL_NAMES[j]] += vol * val(v)));
      }
    }
    return { macroscale: macro, bulkSoil: bulk, perirhizalTrunc: trunc, microscale: micro };
  }

  /**
   * Microbial gross growth (Eqs D8 + D9) and CO₂ production (Eq D32) now, summed over the reactive
   * voxels and every 1D cell, mol C d⁻¹: the rates at the current state (a diagnostic; the coupled
   * kind integrates step-end samples of it for CO₂ per unit microbial growth, issue 9).
   */
  microbialRates(): MicrobialRateTotals {
    const out: MicrobialRateTotals = { growth_molC_per_d: 0, co2_molC_per_d: 0 };
    this.macro.addMicrobialRates(out);
    this.batch.addMicrobialRates(out);
    return out;
  }

  /** Sum over 1D domains of a voxel for variable v (cm³ or mol C), and the voxel's 3D content. */
  voxelContents(v: number, q: number): { oneD: number; threeD: number; domains: number } {
    const ds = this.voxelDomains.get(v);
    return { oneD: ds ? this.voxelSum1D(v, q) : 0, threeD: this.macro.content(v, q), domains: ds?.length ?? 0 };
  }

  // ---------------------------------------------------------------- state

  /** Full state as plain data (typed arrays), with the root side's (static root system or plant). */
  saveState(): CoupledState {
    return {
      kind: 'coupled', time_d: this.time_d, batch: this.batch.saveState(), macro: this.macro.saveState(), segDomain: this.segDomain.slice(),
      domainSeg: Int32Array.from(this.domainSeg), domainVoxel: Int32Array.from(this.domainVoxel), everRooted: this.everRooted.slice(),
      exud: this.exud.slice(), mucil: this.mucil.slice(), subSteps: this.subSteps, cumulative: this.cumulative.slice(), soilWater: this.soilWaterMode,
      lastQ: this.lastQ.slice(), root: this.root instanceof StaticRootSystem || this.root instanceof PlantRootSide ? this.root.saveState() : undefined,
    };
  }

  restoreState(s: CoupledState): void {
    this.time_d = s.time_d;
    this.batch.restoreState(s.batch);
    this.macro.restoreState(s.macro);
    this.segDomain = s.segDomain.slice();
    this.domainSeg = Array.from(s.domainSeg);
    this.domainVoxel = Array.from(s.domainVoxel);
    this.everRooted = Uint8Array.from(s.everRooted);
    this.exud = Float64Array.from(s.exud);
    this.mucil = Float64Array.from(s.mucil);
    this.subSteps = s.subSteps;
    this.cumulative = new Float64Array(8);
    this.cumulative.set(s.cumulative.subarray(0, 8));
    this.setSoilWater(s.soilWater);
    if (s.root && this.root instanceof StaticRootSystem && !('kind' in s.root)) this.root.restoreState(s.root);
    if (s.root && this.root instanceof PlantRootSide && 'kind' in s.root) this.root.restoreState(s.root);
    this.indexVoxels();
    this.lastQ = Float64Array.from(s.lastQ);
    this.macro.reactive.fill(1);
    for (const v of this.rootedList) this.macro.reactive[v] = 0;
  }
}
