import { InputError, InputErrors } from '../core/errors.js';
import type { CsrMatrix } from '../numerics/sparse/csr.js';
import { bicgstab, KrylovWorkspace } from '../numerics/sparse/krylov.js';
import { Ilu0Preconditioner, type Preconditioner } from '../numerics/sparse/precond.js';
import { TwoLevelPreconditioner } from '../numerics/sparse/two-level.js';
import { ReturnCode } from '../numerics/ode/types.js';
import { boundaryInflow, dFaceConductivity, validateBoundary, type BoundaryCondition } from './boundary.js';
import { averageConductivity, type ConductivityAveraging } from './darcy.js';
import { FLUX_ROUNDING, MixedFormRichards, validateRichardsInput, type RichardsOptions } from './richards-stepper.js';
import type { VanGenuchtenMualem } from './van-genuchten.js';
import { faceCouplingMatrix, type VoxelGrid } from './voxel-grid.js';

/**
 * Richards equation (004 Eq 6) on a 3D voxel grid (004 App. B1): the macroscale soil. The root
 * water exchange of B1–B2 enters through `source_per_d` (S_θ per voxel, cm³ water cm⁻³ soil d⁻¹),
 * which the coupling fills between steps. Lateral sides are periodic or impermeable (VoxelGrid);
 * the top and bottom layers take the boundary conditions of boundary.ts, applied to every column.
 */
export interface Richards3DProblem {
  readonly grid: VoxelGrid;
  readonly soils: readonly VanGenuchtenMualem[];
  /** Soil index of each voxel (default: all 0). */
  readonly soilOfCell?: Int32Array;
  readonly top: BoundaryCondition;
  readonly bottom: BoundaryCondition;
  /** Initial pressure head, cm: one value or one per voxel. */
  readonly initialHead_cm: number | Float64Array;
  /** S_θ per voxel, cm³ water cm⁻³ soil d⁻¹ (negative = uptake), read at every step. */
  readonly source_per_d?: Float64Array;
  /** Face conductivity averaging (default arithmetic). */
  readonly averaging?: ConductivityAveraging;
  /** As Richards1DProblem.kRegularizationHead_cm (default 0 = exact K). */
  readonly kRegularizationHead_cm?: number;
}

export interface Richards3DOptions extends RichardsOptions {
  /** BiCGSTAB relative tolerance of each Newton correction (default 1e−6: an inexact Newton step; the convergence test is on the exact residual). */
  linearRtol?: number;
  /** Default 400. */
  maxLinearIterations?: number;
  /**
   * Coarse correction of the ILU(0) preconditioner: 'layers' (default) adds a two-level
   * correction with one aggregate per horizontal layer (exact for the vertical long-wave error of
   * wet, nearly saturated columns, where ILU(0) alone stalls); 'none' uses ILU(0) only.
   */
  coarseCorrection?: 'layers' | 'none';
}

/**
 * Mixed-form implicit Euler with Newton on the voxel grid ({@link MixedFormRichards}). The
 * Jacobian (7-point stencil plus periodic couplings) is a CSR matrix whose pattern is built once;
 * every Newton iteration refreshes its values in place and solves with BiCGSTAB preconditioned by
 * ILU(0) on the same pattern plus a coarse correction on horizontal layers. Darcy fluxes are computed once per face, so water is conserved to
 * the Newton residual.
 */
export class Richards3D extends MixedFormRichards {
  readonly problem: Richards3DProblem;
  readonly grid: VoxelGrid;
  /** Darcy flux through each face from faceA to faceB, cm³ d⁻¹, at the state of the last step. */
  readonly faceFlux_cm3_per_d: Float64Array;
  /** Inflow through the top and bottom face of each column, cm³ d⁻¹, at the state of the last step. */
  readonly topInflow_cm3_per_d: Float64Array;
  readonly bottomInflow_cm3_per_d: Float64Array;
  /** Number of columns whose top / bottom `fluxLimitedByHead` condition holds its limit head. */
  topLimitedColumns = 0;
  bottomLimitedColumns = 0;

  private readonly averaging: ConductivityAveraging;
  private readonly dQa: Float64Array;
  private readonly dQb: Float64Array;
  private readonly topDeriv: Float64Array;
  private readonly bottomDeriv: Float64Array;
  private readonly J: CsrMatrix;
  private readonly posAB: Int32Array;
  private readonly posBA: Int32Array;
  private readonly precond: Preconditioner;
  private readonly kws: KrylovWorkspace;
  private readonly bOut = new Float64Array(2);
  private readonly linearRtol: number;
  private readonly maxLinearIterations: number;

  constructor(problem: Richards3DProblem, options: Richards3DOptions = {}) {
    const errs = validateRichards3D(problem);
    if (errs.length) throw errs.length === 1 ? errs[0] : new InputErrors(errs);
    const grid = problem.grid;
    super(grid.n, grid.volume, problem.soils, problem.soilOfCell ?? null, problem.kRegularizationHead_cm ?? 0, problem.initialHead_cm, options);
    this.problem = problem;
    this.grid = grid;
    this.averaging = problem.averaging ?? 'arithmetic';
    const nf = grid.faceCount;
    const layer = grid.topCells.length;
    this.faceFlux_cm3_per_d = new Float64Array(nf);
    this.dQa = new Float64Array(nf);
    this.dQb = new Float64Array(nf);
    this.topInflow_cm3_per_d = new Float64Array(layer);
    this.bottomInflow_cm3_per_d = new Float64Array(layer);
    this.topDeriv = new Float64Array(layer);
    this.bottomDeriv = new Float64Array(layer);
    const coupling = faceCouplingMatrix(grid);
    this.J = coupling.matrix;
    this.posAB = coupling.posAB;
    this.posBA = coupling.posBA;
    const ilu = new Ilu0Preconditioner(grid.n);
    if ((options.coarseCorrection ?? 'layers') === 'layers') {
      const layerOf = new Int32Array(grid.n);
      for (let i = 0; i < grid.nx; i++) for (let j = 0; j < grid.ny; j++) for (let k = 0; k < grid.nz; k++) layerOf[grid.index(i, j, k)] = k;
      this.precond = new TwoLevelPreconditioner(ilu, layerOf, grid.nz, this.J);
    } else this.precond = ilu;
    this.kws = new KrylovWorkspace(grid.n);
    this.linearRtol = options.linearRtol ?? 1e-6;
    this.maxLinearIterations = options.maxLinearIterations ?? 400;
    this.initialize();
  }

  protected sources(): Float64Array | undefined {
    return this.problem.source_per_d;
  }

  protected computeFluxes(x: Float64Array): void {
    const grid = this.grid;
    const { faceA, faceB, faceArea, faceDistance, faceGravity } = grid;
    const { K, dK } = this;
    const avg = this.averaging;
    const Q = this.faceFlux_cm3_per_d;
    for (let f = 0; f < Q.length; f++) {
      const a = faceA[f];
      const b = faceB[f];
      const d = faceDistance[f];
      const grad = (x[b] - x[a]) / d + faceGravity[f];
      const upstreamA = grad < 0;
      const Kf = averageConductivity(K[a], K[b], avg, upstreamA);
      const A = faceArea[f];
      Q[f] = -Kf * A * grad;
      this.dQa[f] = -A * (dFaceConductivity(K[b], K[a], avg, !upstreamA, dK[a]) * grad - Kf / d);
      this.dQb[f] = -A * (dFaceConductivity(K[a], K[b], avg, upstreamA, dK[b]) * grad + Kf / d);
    }
    const p = this.problem;
    const soilOf = this.soilOfCell;
    this.topLimitedColumns = 0;
    this.bottomLimitedColumns = 0;
    for (let m = 0; m < grid.topCells.length; m++) {
      const c = grid.topCells[m];
      this.topLimitedColumns += boundaryInflow(p.top, 'upper', this.tNew, x[c], K[c], dK[c], grid.topArea[m], grid.topDistance, 1, p.soils[soilOf ? soilOf[c] : 0], avg, this.bOut);
      this.topInflow_cm3_per_d[m] = this.bOut[0];
      this.topDeriv[m] = this.bOut[1];
      const cb = grid.bottomCells[m];
      this.bottomLimitedColumns += boundaryInflow(p.bottom, 'lower', this.tNew, x[cb], K[cb], dK[cb], grid.bottomArea[m], grid.bottomDistance, 1, p.soils[soilOf ? soilOf[cb] : 0], avg, this.bOut);
      this.bottomInflow_cm3_per_d[m] = this.bOut[0];
      this.bottomDeriv[m] = this.bOut[1];
    }
  }

  protected netOutflow(r: Float64Array): void {
    const grid = this.grid;
    r.fill(0);
    const Q = this.faceFlux_cm3_per_d;
    for (let f = 0; f < Q.length; f++) {
      r[grid.faceA[f]] += Q[f];
      r[grid.faceB[f]] -= Q[f];
    }
    for (let m = 0; m < grid.topCells.length; m++) {
      r[grid.topCells[m]] -= this.topInflow_cm3_per_d[m];
      r[grid.bottomCells[m]] -= this.bottomInflow_cm3_per_d[m];
    }
  }

  protected boundaryRates(out: Float64Array): void {
    let top = 0;
    let bottom = 0;
    for (let m = 0; m < this.topInflow_cm3_per_d.length; m++) {
      top += this.topInflow_cm3_per_d[m];
      bottom += this.bottomInflow_cm3_per_d[m];
    }
    out[0] = bottom;
    out[1] = top;
  }

  protected addFluxScales(scale: Float64Array): void {
    const grid = this.grid;
    const { K } = this;
    const h = this.h_cm;
    const rel = this.opts.fluxRelativeTolerance;
    const Q = this.faceFlux_cm3_per_d;
    for (let f = 0; f < Q.length; f++) {
      const a = grid.faceA[f];
      const b = grid.faceB[f];
      const add = rel * Math.abs(Q[f]) + (FLUX_ROUNDING * 0.5 * (K[a] + K[b]) * grid.faceArea[f] * (Math.abs(h[a]) + Math.abs(h[b]))) / grid.faceDistance[f];
      scale[a] += add;
      scale[b] += add;
    }
    for (let m = 0; m < grid.topCells.length; m++) {
      const ct = grid.topCells[m];
      const cb = grid.bottomCells[m];
      scale[ct] += rel * Math.abs(this.topInflow_cm3_per_d[m]) + (FLUX_ROUNDING * K[ct] * grid.topArea[m] * Math.abs(h[ct])) / grid.topDistance;
      scale[cb] += rel * Math.abs(this.bottomInflow_cm3_per_d[m]) + (FLUX_ROUNDING * K[cb] * grid.bottomArea[m] * Math.abs(h[cb])) / grid.bottomDistance;
    }
  }

  protected solveLinear(_x: Float64Array, r: Float64Array, dx: Float64Array): boolean {
    const grid = this.grid;
    const J = this.J;
    const v = J.values;
    const diag = J.diagPos;
    v.fill(0);
    const dt = this.dtStep;
    for (let c = 0; c < grid.n; c++) v[diag[c]] = (grid.volume[c] * this.C[c]) / dt;
    for (let f = 0; f < grid.faceCount; f++) {
      const a = grid.faceA[f];
      const b = grid.faceB[f];
      v[diag[a]] += this.dQa[f];
      v[this.posAB[f]] += this.dQb[f];
      v[this.posBA[f]] -= this.dQa[f];
      v[diag[b]] -= this.dQb[f];
    }
    for (let m = 0; m < grid.topCells.length; m++) {
      v[diag[grid.topCells[m]]] -= this.topDeriv[m];
      v[diag[grid.bottomCells[m]]] -= this.bottomDeriv[m];
    }
    if (!this.precond.setup(J)) return false;
    dx.fill(0);
    const res = bicgstab(J, r, dx, this.precond, { rtol: this.linearRtol, maxIterations: this.maxLinearIterations }, this.kws);
    this.stats.linearIterations += res.iterations;
    return res.retcode === ReturnCode.Success;
  }
}

/** Check a problem; returns every problem found (empty when valid). */
export function validateRichards3D(p: Richards3DProblem): InputError[] {
  return [
    ...validateRichardsInput(p, p.soilOfCell, p.grid.n, 'soilOfCell', 'voxel'),
    ...validateBoundary(p.bottom, 'lower', 'bottom', true),
    ...validateBoundary(p.top, 'upper', 'top', true),
  ];
}
