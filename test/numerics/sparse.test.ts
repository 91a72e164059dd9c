import { describe, expect, it } from 'vitest';
import {
  bicgstab,
  csrFromEntries,
  Ilu0Preconditioner,
  IdentityPreconditioner,
  JacobiPreconditioner,
  TwoLevelPreconditioner,
  pcg,
  ReturnCode,
  spmv,
  type CsrMatrix,
} from '../../src/numerics/index.js';

/** 5-point Laplacian on an m×m grid (Dirichlet), scaled by h⁻², plus optional upwind convection c·∂u/∂x. */
function poisson2d(m: number, convection = 0): CsrMatrix {
  const n = m * m;
  const rows: number[] = [];
  const cols: number[] = [];
  const id = (i: number, j: number) => i + m * j;
  for (let j = 0; j < m; j++)
    for (let i = 0; i < m; i++) {
      for (const [di, dj] of [[1, 0], [-1, 0], [0, 1], [0, -1]]) {
        const a = i + di;
        const b = j + dj;
        if (a >= 0 && a < m && b >= 0 && b < m) {
          rows.push(id(i, j));
          cols.push(id(a, b));
        }
      }
    }
  const A = csrFromEntries(n, rows, cols);
  const h = 1 / (m + 1);
  for (let j = 0; j < m; j++)
    for (let i = 0; i < m; i++) {
      const r = id(i, j);
      A.values[A.diagPos[r]] = 4 / (h * h) + convection / h;
      if (i > 0) A.values[A.position(r, id(i - 1, j))] = -1 / (h * h) - convection / h;
      if (i < m - 1) A.values[A.position(r, id(i + 1, j))] = -1 / (h * h);
      if (j > 0) A.values[A.position(r, id(i, j - 1))] = -1 / (h * h);
      if (j < m - 1) A.values[A.position(r, id(i, j + 1))] = -1 / (h * h);
    }
  return A;
}

function maxAbsDiff(a: Float64Array, b: Float64Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

/** Manufactured solution: b = A·x*, x* smooth and known, so the solver's answer is checked against x*, not itself. */
function manufactured(A: CsrMatrix): { xStar: Float64Array; b: Float64Array } {
  const xStar = new Float64Array(A.n);
  for (let i = 0; i < A.n; i++) xStar[i] = Math.sin(0.37 * i) + 0.1 * (i % 7);
  const b = new Float64Array(A.n);
  spmv(A, xStar, b);
  return { xStar, b };
}

describe('CSR matrices and Krylov solvers', () => {
  it('CSR pattern: duplicates merged, diagonal always present, position() finds every entry', () => {
    const A = csrFromEntries(4, [0, 0, 1, 3, 3, 2], [1, 1, 3, 0, 2, 2]);
    expect(Array.from(A.rowPtr)).toEqual([0, 2, 4, 5, 8]);
    expect(Array.from(A.colIdx)).toEqual([0, 1, 1, 3, 2, 0, 2, 3]);
    for (let i = 0; i < 4; i++) expect(A.colIdx[A.diagPos[i]]).toBe(i);
    expect(A.position(3, 2)).toBe(6);
    expect(A.position(2, 0)).toBe(-1);
    expect(() => csrFromEntries(2, [0], [5])).toThrow(/outside 2×2/);
  });

  it('ILU(0) of a tridiagonal matrix is its exact LU: BiCGSTAB converges in 1 iteration to 1e-12', () => {
    const n = 50;
    const rows: number[] = [];
    const cols: number[] = [];
    for (let i = 0; i < n; i++) {
      if (i > 0) rows.push(i), cols.push(i - 1);
      if (i < n - 1) rows.push(i), cols.push(i + 1);
    }
    const A = csrFromEntries(n, rows, cols);
    for (let i = 0; i < n; i++) {
      A.values[A.diagPos[i]] = 3 + Math.cos(i);
      if (i > 0) A.values[A.position(i, i - 1)] = -1.2;
      if (i < n - 1) A.values[A.position(i, i + 1)] = -0.7;
    }
    const { xStar, b } = manufactured(A);
    const M = new Ilu0Preconditioner(n);
    expect(M.setup(A)).toBe(true);
    const x = new Float64Array(n);
    const res = bicgstab(A, b, x, M, { rtol: 1e-14 });
    const err = maxAbsDiff(x, xStar);
    console.log(`tridiagonal ILU(0)-BiCGSTAB: ${res.iterations} iteration(s), max error ${err.toExponential(2)}`);
    expect(res.retcode).toBe(ReturnCode.Success);
    expect(res.iterations).toBe(1);
    expect(err).toBeLessThan(1e-12);
  });

  it('PCG on the 2D Poisson matrix (SPD, 40×40): recovers the manufactured solution to 1e-8, ILU(0) needs fewer iterations than Jacobi', () => {
    const A = poisson2d(40);
    const { xStar, b } = manufactured(A);
    const out: Record<string, number> = {};
    for (const [name, M] of [
      ['none', new IdentityPreconditioner()],
      ['jacobi', new JacobiPreconditioner(A.n)],
      ['ilu0', new Ilu0Preconditioner(A.n)],
    ] as const) {
      expect(M.setup(A)).toBe(true);
      const x = new Float64Array(A.n);
      const res = pcg(A, b, x, M, { rtol: 1e-13, maxIterations: 2000 });
      expect(res.retcode).toBe(ReturnCode.Success);
      const err = maxAbsDiff(x, xStar);
      expect(err).toBeLessThan(1e-8);
      out[name] = res.iterations;
    }
    console.log(`PCG iterations, 40×40 Poisson, rtol 1e-13: ${JSON.stringify(out)}`);
    expect(out.ilu0).toBeLessThan(out.jacobi);
  });

  it('BiCGSTAB on a non-symmetric convection–diffusion matrix (30×30, upwind): manufactured solution to 1e-8', () => {
    const A = poisson2d(30, 200);
    const { xStar, b } = manufactured(A);
    const M = new Ilu0Preconditioner(A.n);
    M.setup(A);
    const x = new Float64Array(A.n);
    const res = bicgstab(A, b, x, M, { rtol: 1e-13 });
    const err = maxAbsDiff(x, xStar);
    console.log(`BiCGSTAB+ILU(0) convection–diffusion: ${res.iterations} iterations, max error ${err.toExponential(2)}, ‖r‖/‖b‖ ${(res.residualNorm / res.rhsNorm).toExponential(2)}`);
    expect(res.retcode).toBe(ReturnCode.Success);
    expect(err).toBeLessThan(1e-8);
    expect(res.residualNorm / res.rhsNorm).toBeLessThan(1e-12);
  });

  it('reports MaxIters (no throw) when the iteration budget is too small', () => {
    const A = poisson2d(20);
    const { b } = manufactured(A);
    const M = new IdentityPreconditioner();
    const res = pcg(A, b, new Float64Array(A.n), M, { rtol: 1e-14, maxIterations: 3 });
    expect(res.retcode).toBe(ReturnCode.MaxIters);
    expect(res.iterations).toBe(3);
  });

  it('two-level (ILU(0) + aggregate coarse correction): on a tall anisotropic column anchored only at its top it needs ≥ 5× fewer BiCGSTAB iterations than ILU(0) alone, same solution to 1e-7', () => {
    // 4 × 300 grid, columns contiguous (row index fastest in z), lateral coupling 1, vertical 4,
    // Dirichlet only above the top layer: the slow vertical mode ILU(0) misses.
    const nx = 4;
    const nz = 300;
    const n = nx * nz;
    const id = (i: number, k: number) => k + nz * i;
    const rows: number[] = [];
    const cols: number[] = [];
    for (let i = 0; i < nx; i++)
      for (let k = 0; k < nz; k++) {
        if (k + 1 < nz) rows.push(id(i, k), id(i, k + 1)), cols.push(id(i, k + 1), id(i, k));
        const ip = (i + 1) % nx;
        rows.push(id(i, k), id(ip, k)), cols.push(id(ip, k), id(i, k));
      }
    const A = csrFromEntries(n, rows, cols);
    const add = (a: number, b: number, w: number) => {
      A.values[A.diagPos[a]] += w;
      A.values[A.diagPos[b]] += w;
      A.values[A.position(a, b)] -= w;
      A.values[A.position(b, a)] -= w;
    };
    for (let i = 0; i < nx; i++)
      for (let k = 0; k < nz; k++) {
        if (k + 1 < nz) add(id(i, k), id(i, k + 1), 4);
        add(id(i, k), id((i + 1) % nx, k), 1);
        if (k === nz - 1) A.values[A.diagPos[id(i, k)]] += 8;
      }
    const { xStar, b } = manufactured(A);
    const layerOf = Int32Array.from({ length: n }, (_, c) => c % nz);
    const iters: Record<string, number> = {};
    for (const [name, M] of [
      ['ilu0', new Ilu0Preconditioner(n)],
      ['two-level', new TwoLevelPreconditioner(new Ilu0Preconditioner(n), layerOf, nz, A)],
    ] as const) {
      expect(M.setup(A)).toBe(true);
      const x = new Float64Array(n);
      const res = bicgstab(A, b, x, M, { rtol: 1e-12, maxIterations: 5000 });
      expect(res.retcode).toBe(ReturnCode.Success);
      expect(maxAbsDiff(x, xStar)).toBeLessThan(1e-7);
      iters[name] = res.iterations;
    }
    console.log(`tall column, rtol 1e-12: BiCGSTAB iterations ${JSON.stringify(iters)}`);
    expect(iters['two-level'] * 5).toBeLessThanOrEqual(iters.ilu0);
  });
});
