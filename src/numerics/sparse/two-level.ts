import { BandLU } from '../linalg/banded.js';
import { spmv, type CsrMatrix } from './csr.js';
import type { Preconditioner } from './precond.js';

/**
 * Two-level preconditioner: a fine preconditioner (e.g. ILU(0)) followed by a Galerkin coarse-grid
 * correction on aggregates (piecewise-constant prolongation P: unknown i belongs to aggregate
 * `aggregateOf[i]`):
 *   z = M⁻¹r;  z ← z + P·A_c⁻¹·Pᵀ(r − A·z),  A_c = PᵀAP.
 * The coarse matrix is factorised by band LU (bandwidth taken from its pattern), so aggregates
 * should be numbered so that coupled aggregates have close numbers. Removes the smooth,
 * long-range error that ILU(0) leaves (Saad 2003, Sec. 13.8 on two-level methods); on a box grid
 * with one aggregate per horizontal layer this solves the vertical long-wave part of a nearly
 * saturated soil exactly.
 */
export class TwoLevelPreconditioner implements Preconditioner {
  private readonly coarse: BandLU;
  private readonly nc: number;
  /** For every fine entry k, the position of (agg(row), agg(col)) in the coarse band storage. */
  private coarseIndex: Int32Array | undefined;
  private A: CsrMatrix | undefined;
  private readonly t: Float64Array;
  private readonly rc: Float64Array;

  constructor(
    private readonly fine: Preconditioner,
    private readonly aggregateOf: Int32Array,
    aggregates: number,
    private readonly pattern: CsrMatrix,
  ) {
    this.nc = aggregates;
    let bw = 0;
    for (let i = 0; i < pattern.n; i++) {
      for (let k = pattern.rowPtr[i]; k < pattern.rowPtr[i + 1]; k++) bw = Math.max(bw, Math.abs(aggregateOf[i] - aggregateOf[pattern.colIdx[k]]));
    }
    bw = Math.min(bw, aggregates - 1);
    this.coarse = new BandLU(aggregates, bw, bw);
    this.t = new Float64Array(pattern.n);
    this.rc = new Float64Array(aggregates);
  }

  setup(A: CsrMatrix): boolean {
    if (A.rowPtr !== this.pattern.rowPtr || A.colIdx !== this.pattern.colIdx) throw new Error('TwoLevelPreconditioner: matrix pattern differs from the one given at construction');
    if (!this.fine.setup(A)) return false;
    this.A = A;
    const M = this.coarse.matrix;
    if (!this.coarseIndex) {
      this.coarseIndex = new Int32Array(A.nnz);
      for (let i = 0; i < A.n; i++) {
        for (let k = A.rowPtr[i]; k < A.rowPtr[i + 1]; k++) this.coarseIndex[k] = M.index(this.aggregateOf[i], this.aggregateOf[A.colIdx[k]]);
      }
    }
    M.fill(0);
    const ci = this.coarseIndex;
    for (let k = 0; k < A.nnz; k++) M.data[ci[k]] += A.values[k];
    return this.coarse.factor();
  }

  apply(r: Float64Array, z: Float64Array): void {
    const A = this.A;
    if (!A) throw new Error('TwoLevelPreconditioner.apply called before setup');
    this.fine.apply(r, z);
    const { t, rc, aggregateOf } = this;
    spmv(A, z, t);
    rc.fill(0);
    for (let i = 0; i < A.n; i++) rc[aggregateOf[i]] += r[i] - t[i];
    this.coarse.solve(rc);
    for (let i = 0; i < A.n; i++) z[i] += rc[aggregateOf[i]];
  }
}
