import { describe, expect, it } from 'vitest';
import { BandLU, CoupledBlockTridiagonalLU, SeededRng } from '../../src/numerics/index.js';
import { UNROLLED_SHAPES } from '../../src/numerics/linalg/block-tridiagonal-kernels.js';

describe('block-tridiagonal LU with coupling through a few unknowns', () => {
  it('solves random systems (dense blocks needing pivoting, diffusive coupling) to the band LU reference and a known solution', () => {
    const rng = new SeededRng(11);
    const r = () => rng.uniform();
    let worstKnown = 0;
    let worstBand = 0;
    for (let trial = 0; trial < 60; trial++) {
      const nb = 1 + (trial % 9);
      const m = 2 + (trial % 7);
      const couple = m >= 3 ? [0, 2] : [1];
      const c = couple.length;
      const n = nb * m;
      const T = new CoupledBlockTridiagonalLU(nb, m, couple);
      const bw = Math.min(2 * m - 1, n - 1);
      const band = new BandLU(n, bw, bw);
      const A = (i: number, j: number, v: number) => band.matrix.set(i, j, v);
      for (let i = 0; i < nb; i++) {
        for (let a = 0; a < m; a++) {
          for (let b = 0; b < m; b++) {
            // Within a block: general entries (not diagonally dominant: pivoting needed) …
            const v = 2 * r() - 1;
            T.diag[i * m * m + a * m + b] = v;
            A(i * m + a, i * m + b, v);
          }
        }
        // … plus a diffusion-like coupling −d to the neighbours with +d on the coupled diagonal.
        for (let a = 0; a < c; a++) {
          for (let b = 0; b < c; b++) {
            const dl = i > 0 ? -r() : 0;
            const du = i < nb - 1 ? -r() : 0;
            if (i > 0) {
              T.lower[i * c * c + a * c + b] = dl;
              A(i * m + couple[a], (i - 1) * m + couple[b], dl);
            }
            if (i < nb - 1) {
              T.upper[i * c * c + a * c + b] = du;
              A(i * m + couple[a], (i + 1) * m + couple[b], du);
            }
            const k = i * m * m + couple[a] * m + couple[a];
            T.diag[k] += 3;
            band.matrix.set(i * m + couple[a], i * m + couple[a], T.diag[k]);
          }
        }
      }
      const xTrue = Float64Array.from({ length: n }, () => 2 * r() - 1);
      const rhs = new Float64Array(n);
      band.matrix.multiply(xTrue, rhs);
      const xBand = rhs.slice();
      expect(band.factor()).toBe(true);
      band.solve(xBand);
      const x = new Float64Array(n + 3);
      x.set(rhs, 3);
      expect(T.factor()).toBe(true);
      T.solve(x, 3);
      for (let i = 0; i < n; i++) {
        worstKnown = Math.max(worstKnown, Math.abs(x[3 + i] - xTrue[i]));
        worstBand = Math.max(worstBand, Math.abs(x[3 + i] - xBand[i]));
      }
    }
    console.log(`block-tridiagonal LU: worst error vs known solution ${worstKnown.toExponential(2)}, vs band LU ${worstBand.toExponential(2)} (|x| ≤ 1)`);
    expect(worstKnown).toBeLessThan(1e-9);
    expect(worstBand).toBeLessThan(1e-9);
  });

  it('unrolled kernels (m = 7, c = 2 and m = 8, c = 3: the perirhizal stage systems) are bitwise the generic loops, pivoting included', () => {
    const rng = new SeededRng(5);
    const r = () => rng.uniform();
    let swaps = 0;
    let worstKnown = 0;
    for (const [m, c] of UNROLLED_SHAPES) {
      for (let trial = 0; trial < 40; trial++) {
        const nb = 1 + (trial % 9);
        const couple = Array.from({ length: c }, (_, k) => k);
        const A = new CoupledBlockTridiagonalLU(nb, m, couple);
        const B = new CoupledBlockTridiagonalLU(nb, m, couple);
        for (let k = 0; k < A.diag.length; k++) A.diag[k] = 2 * r() - 1;
        for (let i = 0; i < nb; i++) for (let a = 0; a < c; a++) A.diag[i * m * m + a * m + a] += 3;
        for (let k = 0; k < A.lower.length; k++) {
          A.lower[k] = (k % (c * c)) % (c + 1) === 0 ? -r() : 0.1 * (2 * r() - 1);
          A.upper[k] = -r();
        }
        if (trial === 1) A.diag[0] = 0; // a zero pivot: a row must be taken from below
        B.diag.set(A.diag);
        B.lower.set(A.lower);
        B.upper.set(A.upper);
        const D = A.diag.slice();
        expect(A.factor()).toBe(true);
        expect(B.factorGeneric()).toBe(true);
        expect(Array.from(A.diag)).toEqual(Array.from(B.diag));
        const piv = (A as unknown as { piv: Int32Array }).piv;
        for (let k = 0; k < piv.length; k++) if (piv[k] !== k % m) swaps++;
        // Stride 9 with an offset, as in the stage solver; a known solution.
        const stride = 9;
        const off = 2;
        const xTrue = Float64Array.from({ length: nb * m }, () => 2 * r() - 1);
        const rhs = new Float64Array(off + nb * stride + 1).fill(7);
        for (let i = 0; i < nb; i++) {
          for (let a = 0; a < m; a++) {
            let s = 0;
            for (let b = 0; b < m; b++) s += D[i * m * m + a * m + b] * xTrue[i * m + b];
            if (a < c) {
              for (let b = 0; b < c; b++) {
                if (i > 0) s += A.lower[i * c * c + a * c + b] * xTrue[(i - 1) * m + b];
                if (i < nb - 1) s += A.upper[i * c * c + a * c + b] * xTrue[(i + 1) * m + b];
              }
            }
            rhs[off + i * stride + a] = s;
          }
        }
        const x1 = rhs.slice();
        const x2 = rhs.slice();
        A.solve(x1, off, stride);
        B.solveGeneric(x2, off, stride);
        for (let k = 0; k < x1.length; k++) expect(Object.is(x1[k], x2[k])).toBe(true);
        for (let i = 0; i < nb; i++) for (let a = 0; a < m; a++) worstKnown = Math.max(worstKnown, Math.abs(x1[off + i * stride + a] - xTrue[i * m + a]));
        expect(x1[off + m]).toBe(7); // entries between blocks untouched
      }
    }
    console.log(`unrolled block kernels: bitwise equal to the generic loops in 80 systems (${swaps} row swaps); worst error vs known solution ${worstKnown.toExponential(2)}`);
    expect(swaps).toBeGreaterThan(0);
    expect(worstKnown).toBeLessThan(1e-9);
  });

  it('reports a singular block', () => {
    const T = new CoupledBlockTridiagonalLU(2, 2, [0]);
    T.diag.set([1, 2, 2, 4], 0); // rank 1
    T.diag.set([1, 0, 0, 1], 4);
    expect(T.factor()).toBe(false);
    expect(() => new CoupledBlockTridiagonalLU(2, 2, [1, 0])).toThrow(RangeError);
  });
});
