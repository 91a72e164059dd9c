import { BandLU, type BandMatrix } from '../numerics/linalg/banded.js';
import { ColoredFdJacobian } from '../numerics/ode/fd-jacobian.js';
import { Rodas4 } from '../numerics/ode/rodas4.js';
import { ReturnCode, newOdeStats, type OdeOptions, type OdeProblem, type OdeStats, type StageLinearSolver } from '../numerics/ode/types.js';
import { sparsityFromEntries, type SparsityPattern } from '../numerics/linalg/sparsity.js';
import type { ConductivityAveraging } from '../soil/darcy.js';
import { radialGrid, type Grid1D } from '../soil/grid1d.js';
import { headFromThetaExtended, limitedRootFlux, molSoluteFaceFlux, molWaterFluxes, newMolWork, type MolWork } from '../soil/mol-transport.js';
import { waterContent, type VanGenuchtenMualem } from '../soil/van-genuchten.js';
import { CARBON_VARS, JAC_COLS, JAC_NCOLS, JAC_ROWS, NV, V, addCellMicrobialRates, cellReactions, cellReactionsJacobianInto, initialCellState, waterFactors, type KineticsOptions, type MicrobialRateTotals, type WaterFactors } from './kinetics.js';
import type { ZoneMeans } from './constraints.js';
import { PerirhizalStageSolver } from './perirhizal-stage.js';
import { DEFAULT_RHIZOSPHERE_CONSTANTS, type BiokineticParams, type RhizosphereConstants } from './parameters.js';

/** Geometry of one perirhizal domain: a soil cylinder of length L between the root surface r_in and r_out. */
export interface PerirhizalDomainGeometry {
  /** r_in: root radius, cm. */
  readonly rIn_cm: number;
  /** r_out: outer radius of the perirhizal zone (004 Eq 26), cm. */
  readonly rOut_cm: number;
  /** L: root segment length, cm. */
  readonly length_cm: number;
}

export interface PerirhizalOptions {
  readonly soil: VanGenuchtenMualem;
  readonly params: BiokineticParams;
  readonly constants?: RhizosphereConstants;
  /** Radial cells per domain (004's runs: 9). */
  readonly cells?: number;
  /** Cell faces log-spaced (refined towards the root, 004) or uniform. */
  readonly spacing?: 'log' | 'linear';
  /** ψ_crit,x: critical xylem potential limiting uptake at the root surface (004 Eq B12), cm. */
  readonly psiCrit_cm?: number;
  /** Face conductivity from the two cells (default arithmetic mean). */
  readonly conductivityAveraging?: ConductivityAveraging;
  /** Microbial water limitation (Eqs D10, D29, D30); off reproduces 004 App. I step [a]. */
  readonly waterLimitation?: boolean;
  /**
   * Specific storage for water contents above θ_s, cm⁻¹: there h = (θ − θ_s)/S_s, so that a
   * saturated domain stays solvable (the θ-form of Richards' equation is otherwise undefined).
   */
  readonly specificStorage_per_cm?: number;
  /** Integrator tolerances (relative; absolute for θ and for carbon amounts per cm³ soil). */
  readonly rtol?: number;
  readonly atolTheta?: number;
  /**
   * One absolute tolerance for every carbon pool, mol C cm⁻³ soil. Without it each pool gets its
   * own (the default): atol_v = {@link atolPoolFraction} × s_v, s_v the pool's typical magnitude
   * ({@link carbonPoolScales}), and at least 1e−14.
   */
  readonly atolCarbon_molC_per_cm3?: number;
  /** Per-pool absolute tolerance as a fraction of the pool's typical magnitude (default: rtol). */
  readonly atolPoolFraction?: number;
  /** Largest internal step, d (default: no limit). */
  readonly hMax_d?: number;
  /**
   * How RODAS4 gets the Jacobian: 'hybrid' (default: analytic transport of C_L, C_H, per-cell
   * finite differences of the reactions, coloured differences for θ — 4 right-hand sides plus 8
   * reaction sweeps), 'sparse' (coloured finite differences of the whole right-hand side, 12
   * evaluations for 9 cells) or 'dense' (one difference per column, dense LU; a baseline).
   */
  readonly jacobian?: 'hybrid' | 'sparse' | 'dense';
  /**
   * How RODAS4 solves its stage systems with the hybrid Jacobian: 'block' (default: cell blocks
   * coupled through θ, C_L, C_H, {@link PerirhizalStageSolver}) or 'band' (band LU of the whole
   * band, the solver before; kept as a baseline). The other Jacobians always use the band LU.
   */
  readonly stageSolver?: 'block' | 'band';
  readonly maxStepsPerAdvance?: number;
}

/** Plain-data state of a {@link PerirhizalBatch} (geometry as [r_in, r_out, L] per domain). */
export interface PerirhizalState {
  readonly kind: 'perirhizal';
  readonly nDomains: number;
  readonly time_d: number;
  readonly minCarbonPool: number;
  readonly geometry: Float64Array;
  readonly state: Float64Array;
  readonly hNext: Float64Array;
  readonly waterUptake: Float64Array;
  readonly exudation: Float64Array;
  readonly mucilage: Float64Array;
  readonly sourceWater: Float64Array;
  readonly sourceL: Float64Array;
  readonly sourceH: Float64Array;
  readonly initialWater: Float64Array;
  readonly initialCarbon: Float64Array;
  readonly cumExudation: Float64Array;
  readonly cumMucilage: Float64Array;
  readonly cumSourceWater: Float64Array;
  readonly cumSourceCarbon: Float64Array;
}

/** Per-domain water and carbon accounts, all cumulative since construction. */
export interface DomainBalance {
  /** Water in the domain now and at start, cm³. */
  water_cm3: number;
  initialWater_cm3: number;
  /** Water taken up by the root (negative: released), cm³. */
  rootUptake_cm3: number;
  /** Water added by volumetric exchange sources, cm³. */
  sourceWater_cm3: number;
  /** water − initial − sources + uptake, cm³. */
  waterError_cm3: number;
  /** Carbon in the domain now and at start (all pools incl. CO₂), mol C. */
  carbon_molC: number;
  initialCarbon_molC: number;
  exudation_molC: number;
  mucilage_molC: number;
  sourceCarbon_molC: number;
  /** carbon − initial − inputs, mol C. */
  carbonError_molC: number;
}

/**
 * Layout of one domain in `state`: the cumulative root water uptake (cm³) first, then the cells.
 * (The accumulator comes first so that the Jacobian stays banded: only its own row depends on the
 * first cell.)
 */
const CELL0 = 1;

/**
 * A batch of 1D axisymmetric perirhizal soil models (004 Sec. 2.2.2, 2.2.4, App. B2, C2, D), one per
 * root segment, each integrated with RODAS4 over a coupling interval with its boundary fluxes held
 * constant. Storage is structure-of-arrays over typed arrays: `state` holds, per domain, the
 * cumulative root water uptake (cm³) followed by nCells × 9 amounts per cm³ soil (cell-major,
 * variables {@link V}); nothing is allocated per step.
 *
 * Per cell: Richards' equation in θ-form (water content is the state, h = h(θ), so water mass is
 * the integrated quantity), C_L^l with advection (upwind) and Millington–Quirk diffusion, C_H^l
 * with diffusion only, kinetic sorption of C_L, the microbial kinetics D1–D32 and CO₂.
 * Inner boundary (r_in): prescribed water uptake limited by ψ_crit (Eq B12), prescribed exudation
 * into C_L^l (Eq C13) and mucilage into C_H^l (Eq C17). Outer boundary (r_out): no flux; the 3D
 * coupling enters through per-cell volumetric sources (Eqs B6, C7).
 */
export class PerirhizalBatch {
  /** Number of domains (grows with {@link addDomains}; the typed arrays below are reallocated then: re-read them). */
  nDomains: number;
  readonly nCells: number;
  /** Unknowns per domain: nCells·9 + 1 (cumulative uptake). */
  readonly stride: number;
  state: Float64Array;
  readonly grids: Grid1D[];
  readonly soil: VanGenuchtenMualem;
  readonly params: BiokineticParams;
  readonly constants: RhizosphereConstants;
  readonly spacing: 'log' | 'linear';

  /** Prescribed root water uptake per root surface, cm³ cm⁻² d⁻¹ (positive: soil → root). */
  waterUptake_cm_per_d: Float64Array;
  /** Prescribed exudation into C_L^l per root surface, mol C cm⁻² d⁻¹ (q_exud, Eq 16). */
  exudation_molC_per_cm2_d: Float64Array;
  /** Prescribed mucilage release into C_H^l per root surface, mol C cm⁻² d⁻¹ (q_mucil, Eq 20). */
  mucilage_molC_per_cm2_d: Float64Array;
  /** Per-cell volumetric exchange sources (nDomains·nCells): water cm³ cm⁻³ d⁻¹, C_L and C_H mol C cm⁻³ d⁻¹. */
  sourceWater_per_d: Float64Array;
  sourceL_molC_per_cm3_d: Float64Array;
  sourceH_molC_per_cm3_d: Float64Array;

  /** Simulated time, d. */
  time_d = 0;
  /**
   * Water frozen: dθ/dt = 0 and no water fluxes (so no advection), root uptake and water sources
   * ignored. For 004's static-soil runs, where the soil keeps its water; exact there (θ is then
   * constant), and it drops the θ columns of the Jacobian (3 of its 4 right-hand sides).
   */
  frozenWater = false;
  readonly stats: OdeStats = newOdeStats();
  /** Lowest value any carbon pool took at the end of an advance (negative values are within tolerance). */
  minCarbonPool = Number.POSITIVE_INFINITY;
  /**
   * Step plans (off by default): each domain's accepted RODAS4 step sizes of its last advance are kept,
   * and an advance of that domain over the same interval (same start time and dt, e.g. the next
   * fixed-point iterate of the coupling from the restored start of its sub-step) proposes them again,
   * so it does not repeat the rejected attempts (Rodas4.stepPlan). Scratch, not part of
   * {@link saveState}: whoever repeats intervals clears them ({@link clearStepPlans}) where a repeat
   * must be bitwise that of a fresh run (the coupling: at the start of every sub-step).
   */
  stepPlans = false;
  private plans: ({ t0: number; dt: number; h: Float64Array; n: number; hNext: number } | undefined)[] = [];

  /** RODAS4 work of the water-only solves ({@link advanceWater}), apart from {@link stats}. */
  readonly waterStats: OdeStats = newOdeStats();
  private readonly integrator: Rodas4;
  private readonly kineticsOptions: KineticsOptions;
  private readonly problem: DomainProblem;
  private readonly waterIntegrator: Rodas4;
  private readonly waterProblem: WaterProblem;
  private readonly yWater: Float64Array;
  private readonly waterOptions: OdeOptions;
  /** Error limit of the planned water-only steps: sqrt(stride / (nCells + 1)). */
  private readonly planErrorLimit: number;
  private readonly y: Float64Array;
  private hNext: Float64Array;
  private readonly odeOptions: OdeOptions;
  private initialWater: Float64Array;
  private initialCarbon: Float64Array;
  private cumExudation: Float64Array;
  private cumMucilage: Float64Array;
  private cumSourceWater: Float64Array;
  private cumSourceCarbon: Float64Array;

  constructor(domains: readonly PerirhizalDomainGeometry[], initialHead_cm: number | ArrayLike<number>, options: PerirhizalOptions) {
    const nc = options.cells ?? 9;
    this.nDomains = domains.length;
    this.nCells = nc;
    this.stride = nc * NV + 1;
    this.soil = options.soil;
    this.params = options.params;
    this.constants = options.constants ?? DEFAULT_RHIZOSPHERE_CONSTANTS;
    const spacing = options.spacing ?? 'log';
    this.spacing = spacing;
    this.grids = domains.map((d) => radialGrid(d.rIn_cm, d.rOut_cm, nc, d.length_cm, spacing));
    const N = this.nDomains;
    this.state = new Float64Array(N * this.stride);
    this.waterUptake_cm_per_d = new Float64Array(N);
    this.exudation_molC_per_cm2_d = new Float64Array(N);
    this.mucilage_molC_per_cm2_d = new Float64Array(N);
    this.sourceWater_per_d = new Float64Array(N * nc);
    this.sourceL_molC_per_cm3_d = new Float64Array(N * nc);
    this.sourceH_molC_per_cm3_d = new Float64Array(N * nc);
    this.initialWater = new Float64Array(N);
    this.initialCarbon = new Float64Array(N);
    this.cumExudation = new Float64Array(N);
    this.cumMucilage = new Float64Array(N);
    this.cumSourceWater = new Float64Array(N);
    this.cumSourceCarbon = new Float64Array(N);
    this.hNext = new Float64Array(N);

    for (let d = 0; d < N; d++) {
      const h0 = typeof initialHead_cm === 'number' ? initialHead_cm : initialHead_cm[d];
      const theta = waterContent(h0, this.soil);
      for (let i = 0; i < nc; i++) initialCellState(theta, this.params, this.constants, this.state, this.offset(d, i));
      this.initialWater[d] = this.domainWater(d);
      this.initialCarbon[d] = this.domainCarbon(d);
    }

    this.kineticsOptions = { waterLimitation: options.waterLimitation ?? true };
    this.problem = new DomainProblem(this, {
      psiCrit_cm: options.psiCrit_cm ?? -15000,
      averaging: options.conductivityAveraging ?? 'arithmetic',
      kinetics: this.kineticsOptions,
      specificStorage: options.specificStorage_per_cm ?? 1e-4,
      hybridJacobian: (options.jacobian ?? 'hybrid') === 'hybrid',
      blockStageSolver: (options.stageSolver ?? 'block') === 'block',
    });
    this.integrator = new Rodas4(options.jacobian === 'dense' ? { n: this.problem.n } : this.problem);
    this.y = new Float64Array(this.stride);
    const atolTheta = options.atolTheta ?? 1e-10;
    const rtol = options.rtol ?? 1e-6;
    const atolPool = new Float64Array(NV);
    if (options.atolCarbon_molC_per_cm3 !== undefined) atolPool.fill(options.atolCarbon_molC_per_cm3);
    else {
      const scales = carbonPoolScales(this.soil.thetaS, this.params, this.constants);
      const fraction = options.atolPoolFraction ?? rtol;
      for (const v of CARBON_VARS) atolPool[v] = Math.max(1e-14, fraction * scales[v]);
    }
    const atol = new Float64Array(this.stride);
    atol[0] = 1e-9; // cumulative uptake, cm³
    for (let i = 0; i < nc; i++) {
      atol[CELL0 + i * NV + V.theta] = atolTheta;
      for (const v of CARBON_VARS) atol[CELL0 + i * NV + v] = atolPool[v];
    }
    this.problem.negativeTolerance = atol;
    this.problem.fdScale = Float64Array.from(atol, (a) => a / rtol);
    this.odeOptions = { rtol, atol, hMax: options.hMax_d, maxSteps: options.maxStepsPerAdvance ?? 200_000 };
    this.waterProblem = new WaterProblem(this.problem, nc, atolTheta / rtol);
    this.waterIntegrator = new Rodas4(this.waterProblem);
    this.yWater = new Float64Array(nc + 1);
    this.planErrorLimit = Math.sqrt(this.stride / (nc + 1));
    const atolW = new Float64Array(nc + 1).fill(atolTheta);
    atolW[0] = atol[0];
    this.waterOptions = { rtol, atol: atolW, hMax: options.hMax_d, maxSteps: options.maxStepsPerAdvance ?? 200_000 };
  }

  /** Offset of cell i of domain d in `state` (add a variable index {@link V}). */
  offset(d: number, i: number): number {
    return d * this.stride + CELL0 + i * NV;
  }

  /** Water taken up by the root of domain d since the start (negative: released), cm³. */
  rootUptake_cm3(d: number): number {
    return this.state[d * this.stride];
  }

  /** Water in domain d, cm³. */
  domainWater(d: number): number {
    const g = this.grids[d];
    let w = 0;
    for (let i = 0; i < this.nCells; i++) w += g.volume[i] * this.state[this.offset(d, i) + V.theta];
    return w;
  }

  /** Total carbon (all pools incl. CO₂) in domain d, mol C. */
  domainCarbon(d: number): number {
    let c = 0;
    for (const v of CARBON_VARS) c += this.poolTotal(d, v);
    return c;
  }

  /** Amount of state variable `v` (a carbon pool) in domain d, mol C (volume-integrated). */
  poolTotal(d: number, v: number): number {
    const g = this.grids[d];
    let s = 0;
    for (let i = 0; i < this.nCells; i++) s += g.volume[i] * this.state[this.offset(d, i) + v];
    return s;
  }

  /**
   * Mean pools of the cells of domain d whose centres lie within [rMin, rMax] (cm): dissolved C per
   * cm³ water (amount over water volume), microbes per cm³ soil. Used by 004 Table G2's checks.
   */
  zoneMeans(d: number, rMin_cm: number, rMax_cm: number): ZoneMeans {
    const g = this.grids[d];
    let vol = 0, water = 0, L = 0, H = 0, O = 0, C = 0, Oa = 0, Ca = 0;
    for (let i = 0; i < this.nCells; i++) {
      const r = g.centers[i];
      if (r < rMin_cm || r > rMax_cm) continue;
      const o = this.offset(d, i);
      const v = g.volume[i];
      vol += v;
      water += v * this.state[o + V.theta];
      L += v * this.state[o + V.L];
      H += v * this.state[o + V.H];
      O += v * (this.state[o + V.Oa] + this.state[o + V.Od]);
      C += v * (this.state[o + V.Ca] + this.state[o + V.Cd]);
      Oa += v * this.state[o + V.Oa];
      Ca += v * this.state[o + V.Ca];
    }
    return {
      CL_molC_per_cm3_water: L / water,
      CH_molC_per_cm3_water: H / water,
      CO_molC_per_cm3_soil: O / vol,
      CC_molC_per_cm3_soil: C / vol,
      COa_molC_per_cm3_soil: Oa / vol,
      CCa_molC_per_cm3_soil: Ca / vol,
    };
  }

  /**
   * The Jacobian ∂f/∂y of domain d at its current state, as RODAS4 would use it ('hybrid' or
   * coloured 'sparse' differences). For diagnostics and tests.
   */
  jacobianAt(d: number, method: 'hybrid' | 'sparse'): BandMatrix {
    const fd = new ColoredFdJacobian(this.problem);
    const J = fd.newMatrix();
    const y = this.state.slice(d * this.stride, (d + 1) * this.stride);
    this.problem.domain = d;
    if (method === 'hybrid') {
      this.problem.hybridJacobianInto(0, y, J);
    } else {
      const f0 = new Float64Array(this.stride);
      this.problem.rhs(0, y, f0);
      fd.evaluate(this.problem, 0, y, f0, J, this.problem.fdScale);
    }
    return J;
  }

  /**
   * Solve one RODAS4 stage system (α I − J) x = rhs with the block solver or the band LU (for
   * tests: both must give the same x); J as {@link jacobianAt} returns it.
   */
  solveStageSystem(J: BandMatrix, alpha: number, rhs: Float64Array, solver: 'block' | 'band'): Float64Array {
    const x = rhs.slice();
    if (solver === 'block') {
      const s = new PerirhizalStageSolver(this.nCells, CELL0, () => this.frozenWater);
      if (!s.factor(J, alpha)) throw new Error('solveStageSystem: singular');
      s.solve(x);
    } else {
      const lu = new BandLU(J.n, J.kl, J.ku);
      lu.matrix.copyFrom(J);
      lu.matrix.shiftScale(alpha, -1);
      if (!lu.factor()) throw new Error('solveStageSystem: singular');
      lu.solve(x);
    }
    return x;
  }

  /** Matric head of cell i of domain d, cm. */
  head(d: number, i: number): number {
    return this.problem.headOf(this.state[this.offset(d, i) + V.theta]);
  }

  /** Matric head at water content θ (the cells' h(θ), with specific storage above θ_s), cm. */
  headOfTheta(theta: number): number {
    return this.problem.headOf(theta);
  }

  /**
   * Add Σ over every cell of every domain of volume·(gross growth, CO₂ production) at the current
   * state to `out` (mol C d⁻¹; Eqs D8, D9, D32; water factors at each cell's head). A diagnostic for
   * CO₂ per unit microbial growth (issue 9): it reads the state and changes nothing.
   */
  addMicrobialRates(out: MicrobialRateTotals): MicrobialRateTotals {
    const wf: WaterFactors = { fA: 1, fA2D: 0, fD2A: 1 };
    const kin = this.kineticsOptions;
    for (let d = 0; d < this.nDomains; d++) {
      const g = this.grids[d];
      for (let i = 0; i < this.nCells; i++) {
        const o = this.offset(d, i);
        const theta = this.state[o + V.theta];
        waterFactors(this.problem.headOf(theta), this.constants, kin, wf);
        addCellMicrobialRates(theta, wf, this.state, o, this.params, this.constants, g.volume[i], out);
      }
    }
    return out;
  }

  /** Balance accounts of domain d. */
  balance(d: number): DomainBalance {
    const water = this.domainWater(d);
    const uptake = this.rootUptake_cm3(d);
    const carbon = this.domainCarbon(d);
    const cin = this.cumExudation[d] + this.cumMucilage[d] + this.cumSourceCarbon[d];
    return {
      water_cm3: water,
      initialWater_cm3: this.initialWater[d],
      rootUptake_cm3: uptake,
      sourceWater_cm3: this.cumSourceWater[d],
      waterError_cm3: water - this.initialWater[d] - this.cumSourceWater[d] + uptake,
      carbon_molC: carbon,
      initialCarbon_molC: this.initialCarbon[d],
      exudation_molC: this.cumExudation[d],
      mucilage_molC: this.cumMucilage[d],
      sourceCarbon_molC: this.cumSourceCarbon[d],
      carbonError_molC: carbon - this.initialCarbon[d] - cin,
    };
  }

  /**
   * Batch-wide relative balance errors: |Σ error| over the throughput (initial stock plus the
   * absolute inputs and outputs) — water and carbon.
   */
  relativeBalanceErrors(): { water: number; carbon: number } {
    let we = 0, ws = 0, ce = 0, cs = 0;
    for (let d = 0; d < this.nDomains; d++) {
      const b = this.balance(d);
      we += b.waterError_cm3;
      ws += b.initialWater_cm3 + Math.abs(b.sourceWater_cm3) + Math.abs(b.rootUptake_cm3);
      ce += b.carbonError_molC;
      cs += b.initialCarbon_molC + Math.abs(b.exudation_molC) + Math.abs(b.mucilage_molC) + Math.abs(b.sourceCarbon_molC);
    }
    return { water: Math.abs(we) / ws, carbon: Math.abs(ce) / cs };
  }

  /**
   * Append domains (new root segments): each with its geometry and its cells' initial amounts per
   * cm³ soil (`cells[i·9 + v]`, variables {@link V}), or, without `cells`, uniform at `head_cm`
   * with the set's initial concentrations. Returns the index of the first new domain. The per-domain
   * typed arrays are reallocated: re-read them after this call.
   */
  addDomains(domains: readonly PerirhizalDomainGeometry[], init: { cells?: readonly Float64Array[]; head_cm?: number } = {}): number {
    const first = this.nDomains;
    const N = first + domains.length;
    const nc = this.nCells;
    const grow = (a: Float64Array, per: number): Float64Array => {
      const b = new Float64Array(N * per);
      b.set(a.subarray(0, first * per));
      return b;
    };
    this.state = grow(this.state, this.stride);
    this.waterUptake_cm_per_d = grow(this.waterUptake_cm_per_d, 1);
    this.exudation_molC_per_cm2_d = grow(this.exudation_molC_per_cm2_d, 1);
    this.mucilage_molC_per_cm2_d = grow(this.mucilage_molC_per_cm2_d, 1);
    this.sourceWater_per_d = grow(this.sourceWater_per_d, nc);
    this.sourceL_molC_per_cm3_d = grow(this.sourceL_molC_per_cm3_d, nc);
    this.sourceH_molC_per_cm3_d = grow(this.sourceH_molC_per_cm3_d, nc);
    this.initialWater = grow(this.initialWater, 1);
    this.initialCarbon = grow(this.initialCarbon, 1);
    this.cumExudation = grow(this.cumExudation, 1);
    this.cumMucilage = grow(this.cumMucilage, 1);
    this.cumSourceWater = grow(this.cumSourceWater, 1);
    this.cumSourceCarbon = grow(this.cumSourceCarbon, 1);
    this.hNext = grow(this.hNext, 1);
    this.nDomains = N;
    for (let k = 0; k < domains.length; k++) {
      const d = first + k;
      const g = domains[k];
      this.grids[d] = radialGrid(g.rIn_cm, g.rOut_cm, nc, g.length_cm, this.spacing);
      const cells = init.cells?.[k];
      if (cells) this.state.set(cells.subarray(0, nc * NV), this.offset(d, 0));
      else {
        const theta = waterContent(init.head_cm ?? -100, this.soil);
        for (let i = 0; i < nc; i++) initialCellState(theta, this.params, this.constants, this.state, this.offset(d, i));
      }
      this.initialWater[d] = this.domainWater(d);
      this.initialCarbon[d] = this.domainCarbon(d);
    }
    return first;
  }

  /**
   * Re-mesh domain d to a new geometry with new cell amounts (per cm³ soil, `cells[i·9 + v]`): the
   * re-partition on root growth (004 App. E). The change of content is booked as a transfer into
   * the domain's balance (initial amounts shift by it), so {@link balance} stays closed.
   */
  setDomain(d: number, geometry: PerirhizalDomainGeometry, cells: Float64Array, grid?: Grid1D): void {
    const w0 = this.domainWater(d);
    const c0 = this.domainCarbon(d);
    // `grid`: the caller's radialGrid of this geometry (the batch's spacing and cell count), to build it once.
    this.grids[d] = grid ?? radialGrid(geometry.rIn_cm, geometry.rOut_cm, this.nCells, geometry.length_cm, this.spacing);
    this.state.set(cells.subarray(0, this.nCells * NV), this.offset(d, 0));
    this.initialWater[d] += this.domainWater(d) - w0;
    this.initialCarbon[d] += this.domainCarbon(d) - c0;
  }

  /** Forget every domain's step plan ({@link stepPlans}). */
  clearStepPlans(): void {
    this.plans.length = 0;
  }

  /** Copy of the cell amounts of domain d (nCells·9, per cm³ soil). */
  cellsOf(d: number): Float64Array {
    return this.state.slice(this.offset(d, 0), this.offset(d, 0) + this.nCells * NV);
  }

  /** Full state as plain data (typed arrays, structured-clone/JSON-able): geometry, amounts, fluxes, accounts, step sizes. */
  saveState(): PerirhizalState {
    const n = this.nDomains;
    const geom = new Float64Array(3 * n);
    for (let d = 0; d < n; d++) {
      const g = this.grids[d];
      geom[3 * d] = g.faces[0];
      geom[3 * d + 1] = g.faces[this.nCells];
      geom[3 * d + 2] = g.length;
    }
    return {
      kind: 'perirhizal', nDomains: n, time_d: this.time_d, minCarbonPool: this.minCarbonPool, geometry: geom,
      state: this.state.slice(), hNext: this.hNext.slice(),
      waterUptake: this.waterUptake_cm_per_d.slice(), exudation: this.exudation_molC_per_cm2_d.slice(), mucilage: this.mucilage_molC_per_cm2_d.slice(),
      sourceWater: this.sourceWater_per_d.slice(), sourceL: this.sourceL_molC_per_cm3_d.slice(), sourceH: this.sourceH_molC_per_cm3_d.slice(),
      initialWater: this.initialWater.slice(), initialCarbon: this.initialCarbon.slice(), cumExudation: this.cumExudation.slice(),
      cumMucilage: this.cumMucilage.slice(), cumSourceWater: this.cumSourceWater.slice(), cumSourceCarbon: this.cumSourceCarbon.slice(),
    };
  }

  /**
   * {@link saveState} into the arrays of `into` (no allocation) when it was saved from a batch of the same
   * shape (domain count and cells); otherwise a new state. The values are exactly those of saveState; `into`
   * is overwritten, so the caller must own it (a buffer no one else holds).
   */
  saveStateInto(into: PerirhizalState | undefined): PerirhizalState {
    if (!into || into.nDomains !== this.nDomains || into.state.length !== this.state.length || into.sourceL.length !== this.sourceL_molC_per_cm3_d.length) return this.saveState();
    const n = this.nDomains;
    const geom = into.geometry;
    for (let d = 0; d < n; d++) {
      const g = this.grids[d];
      geom[3 * d] = g.faces[0];
      geom[3 * d + 1] = g.faces[this.nCells];
      geom[3 * d + 2] = g.length;
    }
    into.state.set(this.state);
    into.hNext.set(this.hNext);
    into.waterUptake.set(this.waterUptake_cm_per_d);
    into.exudation.set(this.exudation_molC_per_cm2_d);
    into.mucilage.set(this.mucilage_molC_per_cm2_d);
    into.sourceWater.set(this.sourceWater_per_d);
    into.sourceL.set(this.sourceL_molC_per_cm3_d);
    into.sourceH.set(this.sourceH_molC_per_cm3_d);
    into.initialWater.set(this.initialWater);
    into.initialCarbon.set(this.initialCarbon);
    into.cumExudation.set(this.cumExudation);
    into.cumMucilage.set(this.cumMucilage);
    into.cumSourceWater.set(this.cumSourceWater);
    into.cumSourceCarbon.set(this.cumSourceCarbon);
    const w = into as { -readonly [K in keyof PerirhizalState]: PerirhizalState[K] };
    w.time_d = this.time_d;
    w.minCarbonPool = this.minCarbonPool;
    return into;
  }

  /** Restore a {@link saveState} (the domain count may differ: domains are rebuilt from the saved geometry). */
  restoreState(s: PerirhizalState): void {
    if (s.nDomains !== this.nDomains) {
      this.grids.length = 0;
      this.nDomains = 0;
      const geoms: PerirhizalDomainGeometry[] = [];
      for (let d = 0; d < s.nDomains; d++) geoms.push({ rIn_cm: s.geometry[3 * d], rOut_cm: s.geometry[3 * d + 1], length_cm: s.geometry[3 * d + 2] });
      this.state = new Float64Array(0);
      this.addDomains(geoms, { head_cm: -100 });
    } else {
      for (let d = 0; d < s.nDomains; d++) {
        const g = this.grids[d];
        if (g.faces[0] !== s.geometry[3 * d] || g.faces[this.nCells] !== s.geometry[3 * d + 1] || g.length !== s.geometry[3 * d + 2]) {
          this.grids[d] = radialGrid(s.geometry[3 * d], s.geometry[3 * d + 1], this.nCells, s.geometry[3 * d + 2], this.spacing);
        }
      }
    }
    this.time_d = s.time_d;
    this.minCarbonPool = s.minCarbonPool;
    this.state.set(s.state);
    this.hNext.set(s.hNext);
    this.waterUptake_cm_per_d.set(s.waterUptake);
    this.exudation_molC_per_cm2_d.set(s.exudation);
    this.mucilage_molC_per_cm2_d.set(s.mucilage);
    this.sourceWater_per_d.set(s.sourceWater);
    this.sourceL_molC_per_cm3_d.set(s.sourceL);
    this.sourceH_molC_per_cm3_d.set(s.sourceH);
    this.initialWater.set(s.initialWater);
    this.initialCarbon.set(s.initialCarbon);
    this.cumExudation.set(s.cumExudation);
    this.cumMucilage.set(s.cumMucilage);
    this.cumSourceWater.set(s.cumSourceWater);
    this.cumSourceCarbon.set(s.cumSourceCarbon);
  }

  /**
   * Water-only advance (the predictor of the coupling's fixed-point iteration, CoupledConfig.waterPredictor1D):
   * θ and the cumulative uptake of every domain by dt with the current inner water flux and water
   * sources, the carbon pools left as they are (the water equation does not depend on them: 004's
   * one-way coupling, {@link DomainProblem.waterState}). A domain with a step plan over this interval
   * (the accepted steps of its last full {@link advance}) retraces those steps as long as their θ error
   * alone would not have made the full solve reject them (error ≤ sqrt(stride/(nCells+1)) in the
   * water-only RMS norm; at the first that would, RODAS4's controller takes over), so its θ is, to
   * round-off, what a full advance along the same steps gives (Rosenbrock stages of a
   * block-triangular Jacobian: the θ block is the same finite difference of the same water
   * right-hand side); without a plan RODAS4 controls the water error alone. Accounts, carbon, step
   * plans and the full solver's step proposals are not touched (callers restore the state before the
   * next full advance). Work counted in {@link waterStats}.
   */
  advanceWater(dt_d: number): ReturnCode {
    if (!(dt_d > 0)) throw new RangeError(`advanceWater: dt must be > 0 d, got ${dt_d}`);
    if (this.frozenWater) return ReturnCode.Success;
    const { yWater: y, stride, nCells: nc } = this;
    let code = ReturnCode.Success;
    for (let d = 0; d < this.nDomains; d++) {
      const base = d * stride;
      y[0] = this.state[base];
      for (let i = 0; i < nc; i++) y[1 + i] = this.state[base + CELL0 + i * NV + V.theta];
      this.problem.domain = d;
      const plan = this.stepPlans ? this.plans[d] : undefined;
      const usePlan = plan !== undefined && plan.t0 === this.time_d && plan.dt === dt_d;
      this.waterIntegrator.stepPlan = usePlan ? plan : undefined;
      // A planned step whose θ error alone would not have made the full solve reject it (same RMS norm over stride unknowns) is kept.
      this.waterIntegrator.stepPlanErrorLimit = usePlan ? this.planErrorLimit : 1;
      // Without a plan: the full solver's proposal (part of the saved state, so a resumed run repeats this solve).
      this.waterIntegrator.hNext = this.hNext[d];
      const c = this.waterIntegrator.integrate(this.waterProblem, this.time_d, this.time_d + dt_d, y, this.waterOptions, this.waterStats);
      this.state[base] = y[0];
      for (let i = 0; i < nc; i++) this.state[base + CELL0 + i * NV + V.theta] = y[1 + i];
      if (c !== ReturnCode.Success && code === ReturnCode.Success) code = c;
    }
    if (code === ReturnCode.Success) this.time_d += dt_d;
    return code;
  }

  /**
   * Advance every domain by dt (d) with the current boundary fluxes and sources held constant.
   * Returns Success or the first failure code (that domain keeps its last accepted state and the
   * batch time is not advanced). With `only`, just those domains are integrated (the others keep
   * their state; used for the well-mixed voxels of the macroscale soil).
   */
  advance(dt_d: number, only?: ArrayLike<number>): ReturnCode {
    if (!(dt_d > 0)) throw new RangeError(`advance: dt must be > 0 d, got ${dt_d}`);
    const { y, stride, nCells: nc } = this;
    let code = ReturnCode.Success;
    const count = only ? only.length : this.nDomains;
    for (let q = 0; q < count; q++) {
      const d = only ? only[q] : q;
      const base = d * stride;
      for (let k = 0; k < stride; k++) y[k] = this.state[base + k];
      this.problem.domain = d;
      this.integrator.hNext = this.hNext[d];
      this.problem.internalRhs = 0;
      const plan = this.stepPlans ? this.plans[d] : undefined;
      this.integrator.stepPlan = plan && plan.t0 === this.time_d && plan.dt === dt_d ? plan : undefined;
      this.integrator.recordSteps = this.stepPlans;
      const c = this.integrator.integrate(this.problem, this.time_d, this.time_d + dt_d, y, this.odeOptions, this.stats);
      this.stats.rhsEvaluations += this.problem.internalRhs;
      this.hNext[d] = this.integrator.hNext;
      if (this.stepPlans) {
        const r = this.integrator;
        this.plans[d] = c === ReturnCode.Success ? { t0: this.time_d, dt: dt_d, h: r.recorded.slice(0, r.recordedCount), n: r.recordedCount, hNext: r.hNext } : undefined;
      }
      for (let k = 0; k < stride; k++) this.state[base + k] = y[k];
      if (c !== ReturnCode.Success) {
        if (code === ReturnCode.Success) code = c;
        continue;
      }
      // Prescribed inputs are constant over the interval, so their integrals are exact.
      const g = this.grids[d];
      const area0 = g.faceArea[0];
      this.cumExudation[d] += this.exudation_molC_per_cm2_d[d] * area0 * dt_d;
      this.cumMucilage[d] += this.mucilage_molC_per_cm2_d[d] * area0 * dt_d;
      for (let i = 0; i < nc; i++) {
        if (!this.frozenWater) this.cumSourceWater[d] += this.sourceWater_per_d[d * nc + i] * g.volume[i] * dt_d;
        this.cumSourceCarbon[d] += (this.sourceL_molC_per_cm3_d[d * nc + i] + this.sourceH_molC_per_cm3_d[d * nc + i]) * g.volume[i] * dt_d;
        for (const v of CARBON_VARS) {
          const val = y[CELL0 + i * NV + v];
          if (val < this.minCarbonPool) this.minCarbonPool = val;
        }
      }
    }
    if (code === ReturnCode.Success) this.time_d += dt_d;
    return code;
  }
}

/**
 * Typical magnitude of each carbon pool, mol C cm⁻³ soil (indexed by {@link V}; θ entry 0): the
 * set's initial state at saturation θ_s (dissolved C_L, C_H are θ·C_init, so this bounds them
 * from above for the initial solution), its sorbed equilibrium, the initial microbial pools; CO₂
 * (cumulative, starts at 0) takes the total initial microbial carbon, the pool it is respired from.
 * Used to scale the absolute tolerances per pool.
 */
export function carbonPoolScales(thetaS: number, p: BiokineticParams, c: RhizosphereConstants): Float64Array {
  const s = new Float64Array(NV);
  initialCellState(thetaS, p, c, s, 0);
  s[V.theta] = 0;
  s[V.CO2] = s[V.Oa] + s[V.Od] + s[V.Ca] + s[V.Cd];
  return s;
}

interface ProblemSettings {
  psiCrit_cm: number;
  averaging: ConductivityAveraging;
  kinetics: KineticsOptions;
  specificStorage: number;
  hybridJacobian: boolean;
  blockStageSolver: boolean;
}

const SQRT_EPS = Math.sqrt(Number.EPSILON);

/** Offset of J(i, j) in LAPACK band storage (kv = kl + ku); a module function, no closure per Jacobian. */
function bandAt(kv: number, ldab: number, i: number, j: number): number {
  return kv + i - j + j * ldab;
}

/** The ODE system of one domain (the batch points it at a domain before each integration). */
class DomainProblem implements OdeProblem {
  readonly n: number;
  readonly sparsity: SparsityPattern;
  domain = 0;
  negativeTolerance: Float64Array;
  /** Finite-difference increment scale per unknown (atol/rtol). */
  fdScale: Float64Array;
  /** Right-hand-side evaluations made inside {@link jacobian} since the batch last reset it. */
  internalRhs = 0;
  /** Set when the hybrid Jacobian is used; RODAS4 differentiates the whole right-hand side otherwise. */
  readonly jacobian?: (t: number, y: Float64Array, J: BandMatrix) => void;
  /** Block solver of the stage systems (hybrid Jacobian only). */
  readonly stageSolver?: StageLinearSolver;
  private readonly batch: PerirhizalBatch;
  private readonly yTmp: Float64Array;
  private readonly f0: Float64Array;
  private readonly f1: Float64Array;
  /** One cell's reaction Jacobian (rows V.L … V.CO2, columns V.L … V.C_C^d). */
  private readonly reactionJac = new Float64Array(JAC_ROWS * JAC_NCOLS);
  private readonly s: ProblemSettings;
  private readonly work: MolWork;
  private readonly factors: WaterFactors[];
  private readonly factorHead: Float64Array;
  private readonly thetaR: number;

  constructor(batch: PerirhizalBatch, settings: ProblemSettings) {
    this.batch = batch;
    this.s = settings;
    const nc = batch.nCells;
    this.n = batch.stride;
    this.work = newMolWork(nc);
    this.factors = Array.from({ length: nc }, () => ({ fA: 1, fA2D: 0, fD2A: 1 }));
    this.factorHead = new Float64Array(nc).fill(Number.NaN);
    this.thetaR = batch.soil.thetaR;
    this.negativeTolerance = new Float64Array(this.n);
    this.fdScale = new Float64Array(this.n).fill(1e-8);
    this.sparsity = perirhizalSparsity(nc);
    this.yTmp = new Float64Array(this.n);
    this.f0 = new Float64Array(this.n);
    this.f1 = new Float64Array(this.n);
    if (settings.hybridJacobian) this.jacobian = (t, y, J) => this.hybridJacobian(t, y, J);
    if (settings.hybridJacobian && settings.blockStageSolver) this.stageSolver = new PerirhizalStageSolver(nc, CELL0, () => batch.frozenWater);
  }

  /** The hybrid Jacobian regardless of the configured method (diagnostics). */
  hybridJacobianInto(t: number, y: Float64Array, J: BandMatrix): void {
    this.hybridJacobian(t, y, J);
  }

  /**
   * ∂f/∂y assembled from three parts (entries outside the pattern stay zero):
   * 1. columns θ_i: coloured forward differences of the whole right-hand side (cells i ≡ c mod 3
   *    together; θ moves h, K, D and every concentration, so differences are simplest and exact to
   *    first order);
   * 2. columns θC_L, θC_H: the transport part analytically (the face fluxes are linear in the
   *    concentrations for fixed θ: upwind advection and Millington–Quirk diffusion);
   * 3. columns of all carbon pools: the reaction part analytically ({@link cellReactionsJacobianInto},
   *    reactions are local; it replaced forward differences of one cell's reactions at a time).
   * Cost: 4 right-hand sides (1 with frozen water) + one analytic sweep, against 12 right-hand sides
   * for colouring the whole system (9 cells). Checked against the coloured Jacobian in the tests.
   */
  private hybridJacobian(t: number, y: Float64Array, J: BandMatrix): void {
    const b = this.batch;
    const nc = b.nCells;
    const g = b.grids[this.domain];
    const p = b.params;
    const { f0, f1, yTmp, fdScale } = this;
    const w = this.work;
    const data = J.data;
    const ldab = J.ldab;
    const kv = J.kl + J.ku;

    // Base state: fluxes, heads, Millington–Quirk factors and water factors of y (and f(y) for the θ
    // differences; with frozen water there are none, and the water state alone is needed).
    if (b.frozenWater) this.waterState(y);
    else {
      this.rhs(t, y, f0);
      this.internalRhs++;
    }

    // (2) Transport of C_L and C_H, analytic, face by face (mol d⁻¹ per mol cm⁻³ soil).
    for (let k = 1; k < nc; k++) {
      const a = k - 1;
      const oa = CELL0 + a * NV;
      const ob = CELL0 + k * NV;
      const ta = y[oa + V.theta];
      const tb = y[ob + V.theta];
      const geom = (0.5 * (w.mq[a] + w.mq[k]) * g.faceArea[k]) / g.distance[k];
      const q = w.Q[k];
      const va = g.volume[a];
      const vb = g.volume[k];
      // F_L = upwind(q·c) − D_L·geom·(c_b − c_a), c = y/θ
      const dLa = (q > 0 ? q / ta : 0) + (p.DLw_cm2_per_d * geom) / ta;
      const dLb = (q < 0 ? q / tb : 0) - (p.DLw_cm2_per_d * geom) / tb;
      data[bandAt(kv, ldab, oa + V.L, oa + V.L)] -= dLa / va;
      data[bandAt(kv, ldab, oa + V.L, ob + V.L)] -= dLb / va;
      data[bandAt(kv, ldab, ob + V.L, oa + V.L)] += dLa / vb;
      data[bandAt(kv, ldab, ob + V.L, ob + V.L)] += dLb / vb;
      const dHa = (p.DHw_cm2_per_d * geom) / ta;
      const dHb = -(p.DHw_cm2_per_d * geom) / tb;
      data[bandAt(kv, ldab, oa + V.H, oa + V.H)] -= dHa / va;
      data[bandAt(kv, ldab, oa + V.H, ob + V.H)] -= dHb / va;
      data[bandAt(kv, ldab, ob + V.H, oa + V.H)] += dHa / vb;
      data[bandAt(kv, ldab, ob + V.H, ob + V.H)] += dHb / vb;
    }

    // (3) Reactions: analytic, cell by cell (the water factors are those of the base evaluation). The band
    // offset of (o + 1 + r, o + JAC_COLS[j]) is that of (1 + r, JAC_COLS[j]) plus o·ldab.
    const rj = this.reactionJac;
    const rOff = this.reactionOffsets(kv, ldab);
    const nr = JAC_ROWS * JAC_NCOLS;
    for (let i = 0; i < nc; i++) {
      const o = CELL0 + i * NV;
      cellReactionsJacobianInto(y[o + V.theta], this.factors[i], y, o, p, b.constants, rj, 0);
      const shift = o * ldab;
      for (let k = 0; k < nr; k++) data[rOff[k] + shift] += rj[k];
    }

    yTmp.set(y);
    // (1) θ columns: coloured differences of the whole right-hand side (none when the water is frozen:
    // the θ rows vanish, so the θ components of every Rosenbrock stage are 0 and the columns unused).
    for (let c = 0; c < (b.frozenWater ? 0 : 3); c++) {
      for (let i = c; i < nc; i += 3) {
        const j = CELL0 + i * NV + V.theta;
        const s = Math.max(Math.abs(y[j]), fdScale[j]);
        yTmp[j] = y[j] + SQRT_EPS * s;
      }
      this.rhs(t, yTmp, f1);
      this.internalRhs++;
      for (let i = c; i < nc; i += 3) {
        const j = CELL0 + i * NV + V.theta;
        const inv = 1 / (yTmp[j] - y[j]);
        yTmp[j] = y[j];
        const o = CELL0 + i * NV;
        for (let r = 0; r < NV; r++) data[bandAt(kv, ldab, o + r, j)] = (f1[o + r] - f0[o + r]) * inv;
        for (let side = -1; side <= 1; side += 2) {
          const nb = i + side;
          if (nb < 0 || nb >= nc) continue;
          const q = CELL0 + nb * NV;
          data[bandAt(kv, ldab, q + V.theta, j)] = (f1[q + V.theta] - f0[q + V.theta]) * inv;
          data[bandAt(kv, ldab, q + V.L, j)] = (f1[q + V.L] - f0[q + V.L]) * inv;
          data[bandAt(kv, ldab, q + V.H, j)] = (f1[q + V.H] - f0[q + V.H]) * inv;
        }
        if (i === 0) data[bandAt(kv, ldab, 0, j)] = (f1[0] - f0[0]) * inv;
      }
    }
  }

  /** Band offsets of the reaction block entries (1 + r, JAC_COLS[j]), row-major as {@link cellReactionsJacobianInto} writes them (per band shape). */
  private reactionOffsets(kv: number, ldab: number): Int32Array {
    const t = this.rOffsets;
    if (t && this.rOffKv === kv && this.rOffLdab === ldab) return t;
    const out = new Int32Array(JAC_ROWS * JAC_NCOLS);
    for (let r = 0; r < JAC_ROWS; r++) for (let j = 0; j < JAC_NCOLS; j++) out[r * JAC_NCOLS + j] = bandAt(kv, ldab, 1 + r, JAC_COLS[j]);
    this.rOffsets = out;
    this.rOffKv = kv;
    this.rOffLdab = ldab;
    return out;
  }

  private rOffsets: Int32Array | undefined;
  private rOffKv = -1;
  private rOffLdab = -1;

  /** h(θ), cm, with h = (θ − θ_s)/S_s above saturation. */
  headOf(theta: number): number {
    return headFromThetaExtended(theta, this.batch.soil, this.s.specificStorage);
  }

  /**
   * Water part of the state at y: h, K and the Millington–Quirk factors (cached per θ), the face
   * water fluxes Q (cm³ d⁻¹, +r outward; root boundary per Eq B12, no flux at r_out; all zero with
   * frozen water) and each cell's water factors (reused while its head is unchanged).
   */
  private waterState(y: Float64Array, stride: number = NV, iTheta: number = CELL0 + V.theta, factors = true): void {
    const b = this.batch;
    const d = this.domain;
    const nc = b.nCells;
    const g = b.grids[d];
    const w = this.work;
    const { h, K, Q } = w;
    // Frozen water: no Darcy fluxes (Q is all zero).
    molWaterFluxes(g, y, stride, iTheta, b.soil, this.s.specificStorage, this.s.averaging, 0, w, !b.frozenWater);
    if (b.frozenWater) Q.fill(0);
    else {
      Q[0] = g.faceArea[0] * limitedRootFlux(b.waterUptake_cm_per_d[d], K[0], h[0], this.s.psiCrit_cm, g.distance[0]);
      Q[nc] = 0;
    }
    if (!factors) return;
    for (let i = 0; i < nc; i++) {
      if (h[i] !== this.factorHead[i]) {
        waterFactors(h[i], b.constants, this.s.kinetics, this.factors[i]);
        this.factorHead[i] = h[i];
      }
    }
  }

  /**
   * The water rows alone, for a state with θ of cell i at y[iTheta + i·stride] and the cumulative
   * uptake at y[0]: dy[iTheta + i·stride] = dθ_i/dt, dy[0] = −Q_0 (the same arithmetic as {@link rhs}).
   */
  waterRhs(y: Float64Array, stride: number, iTheta: number, dy: Float64Array): void {
    const b = this.batch;
    const nc = b.nCells;
    const g = b.grids[this.domain];
    this.waterState(y, stride, iTheta, false);
    const Q = this.work.Q;
    const srcBase = this.domain * nc;
    for (let i = 0; i < nc; i++) dy[iTheta + i * stride] = b.frozenWater ? 0 : (Q[i] - Q[i + 1]) / g.volume[i] + b.sourceWater_per_d[srcBase + i];
    dy[0] = -Q[0];
  }

  /** θ above θ_r in every cell (the water part of {@link isAdmissible}). */
  waterAdmissible(y: Float64Array, stride: number, iTheta: number): boolean {
    for (let i = 0; i < this.batch.nCells; i++) if (!(y[iTheta + i * stride] > this.thetaR)) return false;
    return true;
  }

  rhs(_t: number, y: Float64Array, dy: Float64Array): void {
    const b = this.batch;
    const d = this.domain;
    const nc = b.nCells;
    const g = b.grids[d];
    const p = b.params;
    const w = this.work;
    const Q = w.Q;
    this.waterState(y);
    const area0 = g.faceArea[0];
    const srcBase = d * nc;
    for (let i = 0; i < nc; i++) {
      dy[CELL0 + i * NV + V.theta] = b.frozenWater ? 0 : (Q[i] - Q[i + 1]) / g.volume[i] + b.sourceWater_per_d[srcBase + i];
    }
    dy[0] = -Q[0]; // cumulative uptake, cm³ d⁻¹

    // Solutes: face fluxes (mol d⁻¹, +r outward); C_L advection (upwind) + diffusion, C_H diffusion only.
    let FLprev = b.exudation_molC_per_cm2_d[d] * area0; // into cell 0 from the root (Eq C13)
    let FHprev = b.mucilage_molC_per_cm2_d[d] * area0; // (Eq C17)
    for (let i = 0; i < nc; i++) {
      let FL = 0;
      let FH = 0;
      if (i < nc - 1) {
        FL = molSoluteFaceFlux(g, y, NV, CELL0 + V.theta, CELL0 + V.L, i + 1, p.DLw_cm2_per_d, true, 0, w);
        FH = molSoluteFaceFlux(g, y, NV, CELL0 + V.theta, CELL0 + V.H, i + 1, p.DHw_cm2_per_d, false, 0, w);
      }
      const o = CELL0 + i * NV;
      const vol = g.volume[i];
      dy[o + V.L] = (FLprev - FL) / vol + b.sourceL_molC_per_cm3_d[srcBase + i];
      dy[o + V.H] = (FHprev - FH) / vol + b.sourceH_molC_per_cm3_d[srcBase + i];
      dy[o + V.Ls] = 0;
      dy[o + V.Oa] = 0;
      dy[o + V.Od] = 0;
      dy[o + V.Ca] = 0;
      dy[o + V.Cd] = 0;
      dy[o + V.CO2] = 0;
      cellReactions(y[o + V.theta], this.factors[i], y, o, p, b.constants, dy);
      FLprev = FL;
      FHprev = FH;
    }
  }

  /** Water content above θ_r and carbon pools not below −atol (negatives within tolerance are zero to the integrator). */
  isAdmissible(y: Float64Array): boolean {
    const nc = this.batch.nCells;
    const tol = this.negativeTolerance;
    for (let i = 0; i < nc; i++) {
      const o = CELL0 + i * NV;
      if (!(y[o + V.theta] > this.thetaR)) return false;
      for (let v = 1; v < NV; v++) if (y[o + v] < -tol[o + v]) return false;
    }
    return true;
  }
}

/**
 * The water part of one domain (unknowns: cumulative uptake, then θ of each cell): the same right-hand
 * side and the same θ-column finite differences as {@link DomainProblem} (bitwise the same entries: same
 * increments, same water fluxes), band LU of the tridiagonal system.
 */
class WaterProblem implements OdeProblem {
  readonly n: number;
  readonly sparsity: SparsityPattern;
  private readonly full: DomainProblem;
  private readonly nc: number;
  private readonly yFull: Float64Array;
  private readonly fFull: Float64Array;
  private readonly f0: Float64Array;
  private readonly f1: Float64Array;
  private readonly yTmp: Float64Array;
  private readonly fdScale: number;

  constructor(full: DomainProblem, nc: number, fdScale: number) {
    this.full = full;
    this.nc = nc;
    this.n = nc + 1;
    this.fdScale = fdScale;
    const entries: [number, number][] = [[0, 0], [0, 1]];
    for (let i = 0; i < nc; i++) for (let j = Math.max(0, i - 1); j <= Math.min(nc - 1, i + 1); j++) entries.push([1 + i, 1 + j]);
    this.sparsity = sparsityFromEntries(this.n, entries);
    this.yFull = new Float64Array(full.n);
    this.fFull = new Float64Array(full.n);
    this.f0 = new Float64Array(this.n);
    this.f1 = new Float64Array(this.n);
    this.yTmp = new Float64Array(this.n);
  }

  rhs(t: number, y: Float64Array, dy: Float64Array): void {
    this.full.waterRhs(y, 1, 1, dy);
  }

  /** θ columns by the coloured differences of {@link DomainProblem}'s hybrid Jacobian (3 colours, same increments). */
  jacobian(t: number, y: Float64Array, J: BandMatrix): void {
    const { f0, f1, yTmp, nc } = this;
    const data = J.data;
    const ldab = J.ldab;
    const kv = J.kl + J.ku;
    this.rhs(t, y, f0);
    this.full.internalRhs++;
    yTmp.set(y);
    for (let c = 0; c < 3; c++) {
      for (let i = c; i < nc; i += 3) {
        const j = 1 + i;
        const s = Math.max(Math.abs(y[j]), this.fdScale);
        yTmp[j] = y[j] + SQRT_EPS * s;
      }
      this.rhs(t, yTmp, f1);
      this.full.internalRhs++;
      for (let i = c; i < nc; i += 3) {
        const j = 1 + i;
        const inv = 1 / (yTmp[j] - y[j]);
        yTmp[j] = y[j];
        for (let nb = Math.max(0, i - 1); nb <= Math.min(nc - 1, i + 1); nb++) data[bandAt(kv, ldab, 1 + nb, j)] = (f1[1 + nb] - f0[1 + nb]) * inv;
        if (i === 0) data[bandAt(kv, ldab, 0, j)] = (f1[0] - f0[0]) * inv;
      }
    }
  }

  isAdmissible(y: Float64Array): boolean {
    return this.full.waterAdmissible(y, 1, 1);
  }
}

/**
 * Structural Jacobian pattern of one domain: within a cell every carbon rate depends on θ and the
 * carbon pools (not on CO₂); across faces θ couples to θ, θC_L to (θ, θC_L), θC_H to (θ, θC_H);
 * the cumulative-uptake row (index 0) depends on the first cell's θ.
 */
export function perirhizalSparsity(nc: number): SparsityPattern {
  const entries: [number, number][] = [[0, 0], [0, CELL0 + V.theta]];
  for (let i = 0; i < nc; i++) {
    const o = CELL0 + i * NV;
    entries.push([o, o]);
    for (let r = 1; r < NV; r++) for (let c = 0; c < NV - 1; c++) entries.push([o + r, o + c]);
    for (const j of [i - 1, i + 1]) {
      if (j < 0 || j >= nc) continue;
      const q = CELL0 + j * NV;
      entries.push([o + V.theta, q + V.theta]);
      entries.push([o + V.L, q + V.theta], [o + V.L, q + V.L]);
      entries.push([o + V.H, q + V.theta], [o + V.H, q + V.H]);
    }
  }
  return sparsityFromEntries(nc * NV + 1, entries);
}
