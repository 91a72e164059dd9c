import type { BandMatrix } from '../numerics/linalg/banded.js';
import { CoupledBlockTridiagonalLU } from '../numerics/linalg/block-tridiagonal.js';
import type { StageLinearSolver } from '../numerics/ode/types.js';
import { NV, V } from './kinetics.js';

/**
 * A cell's block: m consecutive cell variables from `first` (so the block sits in place in the
 * state vector, stride 9 between cells) and the local indices coupling to the neighbours. With
 * moving water θ and the seven carbon pools the rates depend on (CO₂ is eliminated); with frozen
 * water θ decouples as well (its row and column of J are zero).
 */
interface BlockLayout {
  readonly first: number;
  readonly m: number;
  readonly couple: readonly number[];
}
const DYNAMIC: BlockLayout = { first: V.theta, m: 8, couple: [0, 1, 2] }; // θ, θC_L, θC_H couple
const FROZEN: BlockLayout = { first: V.L, m: 7, couple: [0, 1] }; // θC_L, θC_H couple

/** Band offsets of the entries of J a layout reads (computed once per band shape). */
interface GatherTables {
  readonly ldab: number;
  readonly kv: number;
  readonly diag: Int32Array;
  readonly lower: Int32Array;
  readonly upper: Int32Array;
  readonly co2: Int32Array;
}

/**
 * Stage solver of RODAS4 for one perirhizal domain (unknowns: the cumulative uptake at index 0,
 * then nCells × 9 cell variables, cell-major): (α I − J) x = b by block elimination instead of the
 * band LU of the whole band (n = 82, kl = 11, ku = 9 for 9 cells). The structure of J
 * ({@link perirhizalSparsity} and the hybrid Jacobian):
 *
 * - no rate depends on CO₂ and nothing on the cumulative uptake: their columns of J are zero, so
 *   they are solved last, x_CO₂ = (b_CO₂ + Σ_c J(CO₂, c) x_c)/α and x_0 = (b_0 + J(0, θ_0) x_θ0)/α;
 * - the remaining 8 unknowns of a cell form a dense block (7 with frozen water, where θ's row and
 *   column are zero and x_θ = b_θ/α), and neighbouring cells couple only through θ, θC_L, θC_H
 *   (C_L and C_H alone when frozen): a {@link CoupledBlockTridiagonalLU} with m = 8, c = 3 (7, 2).
 *
 * The result is the same solution as the band LU to round-off (pivoting is within cells; test). Used
 * with the hybrid Jacobian only: its frozen-water θ columns are exactly zero (the finite-difference
 * Jacobians would put the ∂(reaction)/∂θ there).
 */
export class PerirhizalStageSolver implements StageLinearSolver {
  private readonly nCells: number;
  private readonly cell0: number;
  private readonly isFrozen: () => boolean;
  private readonly dynamic: CoupledBlockTridiagonalLU;
  private readonly frozen: CoupledBlockTridiagonalLU;
  private dynamicTables?: GatherTables;
  private frozenTables?: GatherTables;
  /** J(CO₂, block unknown a) per cell (nCells × m), and J(0, θ_0). */
  private readonly co2Row: Float64Array;
  private j0Theta = 0;
  private alpha = 1;
  private frozenNow = false;

  /** `cell0`: index of the first cell's first variable; `isFrozen`: whether the water is frozen (read at each factorisation). */
  constructor(nCells: number, cell0: number, isFrozen: () => boolean) {
    this.nCells = nCells;
    this.cell0 = cell0;
    this.isFrozen = isFrozen;
    this.dynamic = new CoupledBlockTridiagonalLU(nCells, DYNAMIC.m, DYNAMIC.couple);
    this.frozen = new CoupledBlockTridiagonalLU(nCells, FROZEN.m, FROZEN.couple);
    this.co2Row = new Float64Array(nCells * DYNAMIC.m);
  }

  factor(J: BandMatrix, alpha: number): boolean {
    const frozen = this.isFrozen();
    this.frozenNow = frozen;
    this.alpha = alpha;
    const T = frozen ? this.frozen : this.dynamic;
    const t = this.tables(J, frozen);
    const data = J.data;
    const { diag, lower, upper } = T;
    const m = T.m;
    const nd = t.diag.length;
    // (−J) + α on the diagonal: the same operations as BandMatrix.shiftScale(α, −1).
    for (let k = 0; k < nd; k++) {
      const q = t.diag[k];
      diag[k] = q < 0 ? 0 : -data[q];
    }
    for (let i = 0; i < this.nCells; i++) for (let a = 0; a < m; a++) diag[i * m * m + a * m + a] += alpha;
    const cc = t.lower.length / this.nCells;
    for (let k = cc; k < t.lower.length; k++) {
      const q = t.lower[k];
      lower[k] = q < 0 ? 0 : -data[q];
    }
    for (let k = 0; k < t.upper.length - cc; k++) {
      const q = t.upper[k];
      upper[k] = q < 0 ? 0 : -data[q];
    }
    const co2 = this.co2Row;
    for (let k = 0; k < t.co2.length; k++) {
      const q = t.co2[k];
      co2[k] = q < 0 ? 0 : data[q];
    }
    const col0 = this.cell0 + V.theta;
    this.j0Theta = frozen || col0 > J.ku ? 0 : data[t.kv - col0 + col0 * t.ldab];
    return T.factor();
  }

  solve(rhs: Float64Array): void {
    const frozen = this.frozenNow;
    const T = frozen ? this.frozen : this.dynamic;
    const L = frozen ? FROZEN : DYNAMIC;
    const m = L.m;
    const alpha = this.alpha;
    const co2 = this.co2Row;
    T.solve(rhs, this.cell0 + L.first, NV);
    for (let i = 0; i < this.nCells; i++) {
      const o = this.cell0 + i * NV;
      const bo = o + L.first;
      let s = rhs[o + V.CO2];
      for (let a = 0; a < m; a++) s += co2[i * m + a] * rhs[bo + a];
      rhs[o + V.CO2] = s / alpha;
      if (frozen) rhs[o + V.theta] /= alpha;
    }
    // Row 0 (cumulative uptake): α x_0 − J(0, θ_0) x_θ0 = b_0.
    rhs[0] = (rhs[0] + this.j0Theta * rhs[this.cell0 + V.theta]) / alpha;
  }

  private tables(J: BandMatrix, frozen: boolean): GatherTables {
    const kv = J.kl + J.ku;
    const cached = frozen ? this.frozenTables : this.dynamicTables;
    if (cached && cached.ldab === J.ldab && cached.kv === kv) return cached;
    const L = frozen ? FROZEN : DYNAMIC;
    const { first, m, couple } = L;
    const c = couple.length;
    const nc = this.nCells;
    // Outside the band J is structurally zero (−1: read as 0; e.g. a 1-cell domain's band is narrower than its block).
    const at = (i: number, j: number) => (i - j > J.kl || j - i > J.ku ? -1 : kv + i - j + j * J.ldab);
    const t: GatherTables = {
      ldab: J.ldab, kv,
      diag: new Int32Array(nc * m * m), lower: new Int32Array(nc * c * c), upper: new Int32Array(nc * c * c), co2: new Int32Array(nc * m),
    };
    for (let i = 0; i < nc; i++) {
      const bo = this.cell0 + i * NV + first;
      for (let a = 0; a < m; a++) {
        for (let b = 0; b < m; b++) t.diag[i * m * m + a * m + b] = at(bo + a, bo + b);
        t.co2[i * m + a] = at(this.cell0 + i * NV + V.CO2, bo + a);
      }
      for (let a = 0; a < c; a++) {
        for (let b = 0; b < c; b++) {
          if (i > 0) t.lower[i * c * c + a * c + b] = at(bo + couple[a], bo - NV + couple[b]);
          if (i < nc - 1) t.upper[i * c * c + a * c + b] = at(bo + couple[a], bo + NV + couple[b]);
        }
      }
    }
    if (frozen) this.frozenTables = t;
    else this.dynamicTables = t;
    return t;
  }
}
