import { describe, expect, it } from 'vitest';
import { BandLU, denseLuFactor, denseLuSolve } from '../../src/numerics/index.js';

/** Deterministic pseudo-random numbers (LCG) so failures reproduce. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (1664525 * s + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe('dense LU with partial pivoting', () => {
  it('solves random general matrices (n = 1…12, batched blocks at offsets) to the reference solution', () => {
    const r = rng(7);
    let worstKnown = 0;
    let worstBand = 0;
    for (let trial = 0; trial < 200; trial++) {
      const n = 1 + (trial % 12);
      const off = 3 + trial; // blocks inside a larger batch array
      const a = new Float64Array(off + n * n + 5);
      const A = (i: number, j: number) => a[off + i * n + j];
      for (let k = 0; k < n * n; k++) a[off + k] = 2 * r() - 1; // not diagonally dominant: pivoting needed
      const xTrue = Float64Array.from({ length: n }, () => 2 * r() - 1);
      const b = new Float64Array(n + 2);
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) b[1 + i] += A(i, j) * xTrue[j];
      // Independent reference: the band LU of the same matrix with full bandwidth (kl = ku = n − 1).
      const band = new BandLU(n, n - 1, n - 1);
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) band.matrix.set(i, j, A(i, j));
      expect(band.factor()).toBe(true);
      const xBand = b.slice(1, 1 + n);
      band.solve(xBand);
      const piv = new Int32Array(n + 4);
      expect(denseLuFactor(a, n, piv, off, 4)).toBe(true);
      denseLuSolve(a, n, piv, b, off, 4, 1);
      let scale = 0;
      for (let i = 0; i < n; i++) scale = Math.max(scale, Math.abs(xTrue[i]));
      for (let i = 0; i < n; i++) {
        worstKnown = Math.max(worstKnown, Math.abs(b[1 + i] - xTrue[i]) / scale);
        worstBand = Math.max(worstBand, Math.abs(b[1 + i] - xBand[i]) / scale);
      }
      expect(b[0]).toBe(0); // nothing outside the addressed block touched
      expect(b[n + 1]).toBe(0);
    }
    console.log(`dense LU, 200 random matrices n=1..12: max rel. error vs known x ${worstKnown.toExponential(2)}, vs band LU (kl=ku=n-1) ${worstBand.toExponential(2)}`);
    expect(worstKnown).toBeLessThan(1e-9);
    expect(worstBand).toBeLessThan(1e-9);
  });

  it('pivots on a zero leading entry and reports a singular matrix', () => {
    // [[0,2,1],[1,1,0],[2,0,3]] x = [5,3,5] has x = [1,2,1] (by hand).
    const a = Float64Array.of(0, 2, 1, 1, 1, 0, 2, 0, 3);
    const piv = new Int32Array(3);
    expect(denseLuFactor(a, 3, piv)).toBe(true);
    const b = Float64Array.of(5, 3, 5);
    denseLuSolve(a, 3, piv, b);
    const err = Math.max(Math.abs(b[0] - 1), Math.abs(b[1] - 2), Math.abs(b[2] - 1));
    console.log(`dense LU, 3x3 with zero pivot: max error ${err.toExponential(2)}`);
    expect(err).toBeLessThan(1e-14);
    expect(denseLuFactor(Float64Array.of(1, 2, 2, 4), 2, new Int32Array(2))).toBe(false);
  });
});
