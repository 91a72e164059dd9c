import { InputError, InputErrors } from '../core/errors.js';
import type { CsrMatrix } from '../numerics/sparse/csr.js';
import { bicgstab, KrylovWorkspace, type KrylovResult } from '../numerics/sparse/krylov.js';
import { Ilu0Preconditioner } from '../numerics/sparse/precond.js';
import { ReturnCode } from '../numerics/ode/types.js';
import { sorptionIssues, totalDerivative, totalFromDissolved, type SorptionIsotherm } from './sorption.js';
import { faceCouplingMatrix, type VoxelGrid } from './voxel-grid.js';

/**
 * The water state of one step that solute transport follows: water contents at the start and end
 * of the step and the Darcy fluxes of the step (implicit Euler: the end-of-step fluxes). A
 * {@link Richards3D} right after `step()` is one.
 */
export interface WaterStepFields {
  readonly lastDt_d: number;
  readonly thetaOld: Float64Array;
  readonly theta: Float64Array;
  /** cm³ d⁻¹ from grid.faceA to grid.faceB, per face. */
  readonly faceFlux_cm3_per_d: Float64Array;
  /** Inflow through the top / bottom face of each column, cm³ d⁻¹. */
  readonly topInflow_cm3_per_d: Float64Array;
  readonly bottomInflow_cm3_per_d: Float64Array;
}

/**
 * Advection–diffusion of one dissolved species in the 3D voxel soil (004 Eqs 21–23, App. C1):
 *   ∂(θC)/∂t + ∇·(q C) − ∇·(D(θ)∇C) = S,  D = D_w·θ^(10/3)/θ_s² (Millington–Quirk, Eq 23),
 * C in mol cm⁻³ water, S in mol cm⁻³ soil d⁻¹ (S_X of Eq C1: the 1D-model exchange or voxel
 * reactions, filled by the caller between steps).
 */
export interface Transport3DProblem {
  readonly grid: VoxelGrid;
  /** Saturated water content θ_s (= porosity φ of Eq 23) per voxel, or one value. */
  readonly thetaS: number | Float64Array;
  /** D_w, diffusion coefficient in free water, cm² d⁻¹ (e.g. 004 Table A2: D_L,w, D_H,w). */
  readonly diffusionInWater_cm2_per_d: number;
  /** Carried by the water flux (true for C_L; false for mucilage C_H, 004 Sec. 2.2.4). Default true. */
  readonly advection?: boolean;
  /** Initial concentration, mol cm⁻³ water. */
  readonly initialConcentration_mol_per_cm3_water: number | Float64Array;
  /** S per voxel, mol cm⁻³ soil d⁻¹, read at every step. */
  readonly source_mol_per_cm3_per_d?: Float64Array;
  /** Concentration of water entering through the top / bottom, mol cm⁻³ water (default 0). Leaving water carries the voxel's C. */
  readonly topInflowConcentration_mol_per_cm3_water?: number;
  readonly bottomInflowConcentration_mol_per_cm3_water?: number;
  /**
   * Equilibrium sorption (src/soil/sorption.ts), default none. The storage term becomes
   * ∂(θC + ρ_b S(C))/∂t; linear: one solve per step, Freundlich/Langmuir: Newton iterations on
   * C (each one BiCGSTAB solve) until max|ΔC| ≤ newtonRtol·max|C|.
   */
  readonly sorption?: SorptionIsotherm;
}

/** Plain-data state of a {@link Transport3D}. */
export interface Transport3DState {
  readonly kind: 'transport3d';
  readonly c: Float64Array;
  readonly mass0: number;
  readonly massNow: number;
  readonly inflow: number;
  readonly sourceTotal: number;
  readonly steps: number;
}

export interface Transport3DOptions {
  /** BiCGSTAB relative tolerance (default 1e−14: solute mass is conserved to the linear residual). */
  linearRtol?: number;
  maxLinearIterations?: number;
  /** Nonlinear sorption: relative Newton tolerance on C (default 1e−13) and iteration cap (default 50). */
  newtonRtol?: number;
  maxNewtonIterations?: number;
}

/** Solute balance since the start, mol. */
export interface SoluteBalance {
  readonly massChange_mol: number;
  readonly boundaryInflow_mol: number;
  readonly sources_mol: number;
  readonly error_mol: number;
  /** |error| / max(|mass change|, |inflow| + |sources|, initial mass, 1e−300). */
  readonly relativeError: number;
}

/**
 * Implicit Euler, upwind advection and two-point diffusion (harmonic mean of the voxel D), one
 * linear solve per water step with BiCGSTAB + ILU(0) on a CSR pattern built once. Face fluxes are
 * applied with opposite signs to the two voxels, so the solute mass Σ V θ C changes only by
 * boundary inflow and sources, up to the linear-solver residual.
 */
export class Transport3D {
  readonly problem: Transport3DProblem;
  readonly grid: VoxelGrid;
  /** Concentration per voxel, mol cm⁻³ water. */
  readonly c: Float64Array;
  readonly stats = { steps: 0, linearIterations: 0, newtonIterations: 0 };
  /** Result of the last linear solve. */
  lastSolve: KrylovResult | undefined;

  private readonly thetaS: Float64Array;
  private readonly A: CsrMatrix;
  private readonly posAB: Int32Array;
  private readonly posBA: Int32Array;
  private readonly rhs: Float64Array;
  private readonly D: Float64Array;
  private readonly iso: SorptionIsotherm;
  private readonly diagFlux: Float64Array;
  private readonly rhsFlux: Float64Array;
  private readonly storedOld: Float64Array;
  private readonly cPrev: Float64Array;
  private readonly ilu: Ilu0Preconditioner;
  private readonly kws: KrylovWorkspace;
  private readonly opts: Required<Transport3DOptions>;
  private mass0 = Number.NaN;
  private massNow = Number.NaN;
  private inflow = 0;
  private sourceTotal = 0;

  constructor(problem: Transport3DProblem, options: Transport3DOptions = {}) {
    const errs = validateTransport3D(problem);
    if (errs.length) throw errs.length === 1 ? errs[0] : new InputErrors(errs);
    this.problem = problem;
    const grid = problem.grid;
    this.grid = grid;
    const n = grid.n;
    this.c = new Float64Array(n);
    const c0 = problem.initialConcentration_mol_per_cm3_water;
    if (typeof c0 === 'number') this.c.fill(c0);
    else this.c.set(c0);
    this.thetaS = typeof problem.thetaS === 'number' ? new Float64Array(n).fill(problem.thetaS) : Float64Array.from(problem.thetaS);
    const coupling = faceCouplingMatrix(grid);
    this.A = coupling.matrix;
    this.posAB = coupling.posAB;
    this.posBA = coupling.posBA;
    this.rhs = new Float64Array(n);
    this.D = new Float64Array(n);
    this.ilu = new Ilu0Preconditioner(n);
    this.kws = new KrylovWorkspace(n);
    this.opts = {
      linearRtol: options.linearRtol ?? 1e-14,
      maxLinearIterations: options.maxLinearIterations ?? 500,
      newtonRtol: options.newtonRtol ?? 1e-13,
      maxNewtonIterations: options.maxNewtonIterations ?? 50,
    };
    this.iso = problem.sorption ?? { kind: 'none' };
    const nonlinear = this.iso.kind === 'freundlich' || this.iso.kind === 'langmuir';
    this.diagFlux = new Float64Array(nonlinear ? n : 0);
    this.rhsFlux = new Float64Array(nonlinear ? n : 0);
    this.storedOld = new Float64Array(nonlinear ? n : 0);
    this.cPrev = new Float64Array(nonlinear ? n : 0);
  }

  /** Solute mass Σ V (θC + ρ_b S(C)), mol, for water contents θ (dissolved only without sorption). */
  mass(theta: Float64Array): number {
    let m = 0;
    for (let i = 0; i < this.grid.n; i++) m += this.grid.volume[i] * totalFromDissolved(this.iso, theta[i], this.c[i]);
    return m;
  }

  /** Effective diffusion D = D_w·θ^(10/3)/θ_s² (004 Eq 23), cm² d⁻¹. */
  effectiveDiffusion(theta: number, thetaS: number): number {
    return (this.problem.diffusionInWater_cm2_per_d * Math.pow(theta, 10 / 3)) / (thetaS * thetaS);
  }

  /** Advance C over the water step just taken by `water` (same Δt, θ and fluxes). */
  step(water: WaterStepFields): ReturnCode {
    const grid = this.grid;
    const n = grid.n;
    const dt = water.lastDt_d;
    const V = grid.volume;
    const A = this.A;
    const v = A.values;
    const diag = A.diagPos;
    const p = this.problem;
    const adv = p.advection ?? true;
    const S = p.source_mol_per_cm3_per_d;
    if (Number.isNaN(this.mass0)) this.mass0 = this.mass(water.thetaOld);
    v.fill(0);
    let src = 0;
    const iso = this.iso;
    const nonlinear = iso.kind === 'freundlich' || iso.kind === 'langmuir';
    // Linear storage (none, K_d): (θ + ρ_b K_d)·C; nonlinear: the storage is added per Newton iteration below.
    const buffer = iso.kind === 'linear' ? iso.bulkDensity_g_per_cm3 * iso.Kd_cm3_per_g : 0;
    for (let i = 0; i < n; i++) {
      v[diag[i]] = nonlinear ? 0 : (V[i] * (water.theta[i] + buffer)) / dt;
      this.rhs[i] = (V[i] * totalFromDissolved(iso, water.thetaOld[i], this.c[i])) / dt + (S ? V[i] * S[i] : 0);
      if (S) src += V[i] * S[i];
      this.D[i] = this.effectiveDiffusion(water.theta[i], this.thetaS[i]);
    }
    const Q = water.faceFlux_cm3_per_d;
    for (let f = 0; f < grid.faceCount; f++) {
      const a = grid.faceA[f];
      const b = grid.faceB[f];
      const Da = this.D[a];
      const Db = this.D[b];
      const Df = Da + Db > 0 ? (2 * Da * Db) / (Da + Db) : 0;
      const g = (Df * grid.faceArea[f]) / grid.faceDistance[f];
      const q = adv ? Q[f] : 0;
      const out = q > 0 ? q : 0; // a → b, carried with C_a
      const inn = q < 0 ? -q : 0; // b → a, carried with C_b
      v[diag[a]] += out + g;
      v[this.posAB[f]] += -inn - g;
      v[diag[b]] += inn + g;
      v[this.posBA[f]] += -out - g;
    }
    let inflow = 0;
    const cTop = p.topInflowConcentration_mol_per_cm3_water ?? 0;
    const cBot = p.bottomInflowConcentration_mol_per_cm3_water ?? 0;
    for (let m = 0; m < grid.topCells.length; m++) {
      inflow += this.boundaryColumn(grid.topCells[m], adv ? water.topInflow_cm3_per_d[m] : 0, cTop);
      inflow += this.boundaryColumn(grid.bottomCells[m], adv ? water.bottomInflow_cm3_per_d[m] : 0, cBot);
    }
    const rc = nonlinear ? this.newtonSolve(water.theta, dt) : this.linearSolve();
    if (rc !== ReturnCode.Success) return rc;
    // Outflow through the boundaries at the new concentrations.
    for (let m = 0; m < grid.topCells.length; m++) {
      const qt = adv ? water.topInflow_cm3_per_d[m] : 0;
      const qb = adv ? water.bottomInflow_cm3_per_d[m] : 0;
      if (qt < 0) inflow += qt * this.c[grid.topCells[m]];
      if (qb < 0) inflow += qb * this.c[grid.bottomCells[m]];
    }
    this.inflow += dt * inflow;
    this.sourceTotal += dt * src;
    this.massNow = this.mass(water.theta);
    this.stats.steps++;
    return ReturnCode.Success;
  }

  private linearSolve(): ReturnCode {
    if (!this.ilu.setup(this.A)) return ReturnCode.SingularMatrix;
    const res = bicgstab(this.A, this.rhs, this.c, this.ilu, { rtol: this.opts.linearRtol, maxIterations: this.opts.maxLinearIterations }, this.kws);
    this.lastSolve = res;
    this.stats.linearIterations += res.iterations;
    return res.retcode;
  }

  /**
   * Newton on V(T(θ, C) − T_old)/Δt + A_flux·C = b for a nonlinear isotherm, T = θC + ρ_b S(C):
   * at iterate C^k the storage is linearised, T(C) ≈ T(C^k) + T′(C^k)(C − C^k), so each iteration
   * solves (A_flux + V T′/Δt) C = b + V(T_old − T(C^k) + T′(C^k) C^k)/Δt. On entry the matrix
   * holds the flux part only and rhs = V T_old/Δt + sources + inflow. T′ is evaluated at
   * max(C, 1e−300) (Freundlich n_F < 1 has T′(0) = ∞).
   */
  private newtonSolve(theta: Float64Array, dt: number): ReturnCode {
    const n = this.grid.n;
    const V = this.grid.volume;
    const v = this.A.values;
    const diag = this.A.diagPos;
    const iso = this.iso;
    for (let i = 0; i < n; i++) {
      this.diagFlux[i] = v[diag[i]];
      this.rhsFlux[i] = this.rhs[i];
    }
    for (let it = 0; it < this.opts.maxNewtonIterations; it++) {
      let cMax = 0;
      for (let i = 0; i < n; i++) {
        const ck = this.c[i];
        const dT = totalDerivative(iso, theta[i], Math.max(ck, 1e-300));
        v[diag[i]] = this.diagFlux[i] + (V[i] * dT) / dt;
        this.rhs[i] = this.rhsFlux[i] + (V[i] * (dT * ck - totalFromDissolved(iso, theta[i], ck))) / dt;
        this.cPrev[i] = ck;
        cMax = Math.max(cMax, Math.abs(ck));
      }
      const rc = this.linearSolve();
      this.stats.newtonIterations++;
      if (rc !== ReturnCode.Success) return rc;
      let dMax = 0;
      for (let i = 0; i < n; i++) {
        dMax = Math.max(dMax, Math.abs(this.c[i] - this.cPrev[i]));
        cMax = Math.max(cMax, Math.abs(this.c[i]));
      }
      if (dMax <= this.opts.newtonRtol * cMax) return ReturnCode.Success;
    }
    return ReturnCode.ConvergenceFailure;
  }

  /** Boundary face of a column: inflowing water brings C_in (right-hand side), outflowing water carries the voxel's C (diagonal). Returns the solute inflow known before the solve, mol d⁻¹. */
  private boundaryColumn(cell: number, qin: number, cIn: number): number {
    if (qin > 0) {
      this.rhs[cell] += qin * cIn;
      return qin * cIn;
    }
    if (qin < 0) this.A.values[this.A.diagPos[cell]] -= qin;
    return 0;
  }

  /** Full state as plain data (concentrations and the balance accumulators). */
  saveState(): Transport3DState {
    return { kind: 'transport3d', c: this.c.slice(), mass0: this.mass0, massNow: this.massNow, inflow: this.inflow, sourceTotal: this.sourceTotal, steps: this.stats.steps };
  }

  restoreState(s: Transport3DState): void {
    this.c.set(s.c);
    this.mass0 = s.mass0;
    this.massNow = s.massNow;
    this.inflow = s.inflow;
    this.sourceTotal = s.sourceTotal;
    this.stats.steps = s.steps;
  }

  balance(): SoluteBalance {
    const dM = Number.isNaN(this.massNow) ? 0 : this.massNow - this.mass0;
    const err = dM - (this.inflow + this.sourceTotal);
    const ref = Math.max(Math.abs(dM), Math.abs(this.inflow) + Math.abs(this.sourceTotal), Number.isNaN(this.mass0) ? 0 : Math.abs(this.mass0), 1e-300);
    return { massChange_mol: dM, boundaryInflow_mol: this.inflow, sources_mol: this.sourceTotal, error_mol: err, relativeError: Math.abs(err) / ref };
  }
}

export function validateTransport3D(p: Transport3DProblem): InputError[] {
  const errs: InputError[] = [];
  const n = p.grid.n;
  if (!(p.diffusionInWater_cm2_per_d >= 0 && Number.isFinite(p.diffusionInWater_cm2_per_d))) {
    errs.push(new InputError({ keyPath: 'diffusionInWater_cm2_per_d', value: p.diffusionInWater_cm2_per_d, expected: 'a diffusion coefficient ≥ 0, cm² d⁻¹' }));
  }
  const ts = typeof p.thetaS === 'number' ? [p.thetaS] : Array.from(p.thetaS);
  if (typeof p.thetaS !== 'number' && p.thetaS.length !== n) errs.push(new InputError({ keyPath: 'thetaS', value: p.thetaS.length, expected: `one value or one per voxel (${n})` }));
  if (ts.some((t) => !(t > 0 && t <= 1))) errs.push(new InputError({ keyPath: 'thetaS', value: ts.find((t) => !(t > 0 && t <= 1)), expected: 'a saturated water content in (0, 1]' }));
  const c0 = p.initialConcentration_mol_per_cm3_water;
  if (typeof c0 !== 'number' && c0.length !== n) errs.push(new InputError({ keyPath: 'initialConcentration_mol_per_cm3_water', value: c0.length, expected: `one value or one per voxel (${n})` }));
  if (p.sorption) for (const e of sorptionIssues(p.sorption)) errs.push(new InputError({ keyPath: `sorption.${e.field}`, value: e.value, expected: e.expected }));
  if (p.source_mol_per_cm3_per_d && p.source_mol_per_cm3_per_d.length !== n) {
    errs.push(new InputError({ keyPath: 'source_mol_per_cm3_per_d', value: p.source_mol_per_cm3_per_d.length, expected: `one source per voxel (${n})` }));
  }
  return errs;
}
