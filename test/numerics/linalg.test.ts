import { describe, expect, it } from 'vitest';
import { BandLU, BandMatrix, bandSparsity, colorColumns, patternBandwidth, solveTridiagonal, solveTridiagonalBatch, sparsityFromEntries } from '../../src/numerics/index.js';

/** Deterministic pseudo-random numbers (LCG) so failures reproduce. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (1664525 * s + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

describe('tridiagonal (Thomas) solver', () => {
  it('reproduces a known solution of a diagonally dominant system to 1e-13', () => {
    const n = 200;
    const r = rng(1);
    const lo = new Float64Array(n), di = new Float64Array(n), up = new Float64Array(n);
    const xTrue = new Float64Array(n), rhs = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      lo[i] = -r();
      up[i] = -r();
      di[i] = 2.5 + r();
      xTrue[i] = Math.sin(i);
    }
    for (let i = 0; i < n; i++) rhs[i] = di[i] * xTrue[i] + (i > 0 ? lo[i] * xTrue[i - 1] : 0) + (i < n - 1 ? up[i] * xTrue[i + 1] : 0);
    const x = new Float64Array(n);
    expect(solveTridiagonal(n, lo, di, up, rhs, x, new Float64Array(n))).toBe(true);
    const err = maxAbsDiff(x, xTrue);
    console.log(`tridiagonal n=200 max error ${err.toExponential(2)}`);
    expect(err).toBeLessThan(1e-13);
  });

  it('batched solve equals one-by-one solves exactly', () => {
    const n = 9, count = 50;
    const r = rng(7);
    const N = n * count;
    const lo = new Float64Array(N), di = new Float64Array(N), up = new Float64Array(N), rhs = new Float64Array(N);
    for (let i = 0; i < N; i++) {
      lo[i] = -r(); up[i] = -r(); di[i] = 3 + r(); rhs[i] = r() - 0.5;
    }
    const xb = new Float64Array(N);
    expect(solveTridiagonalBatch(count, n, lo, di, up, rhs, xb, new Float64Array(n))).toBe(-1);
    for (let s = 0; s < count; s++) {
      const sl = (a: Float64Array) => a.slice(s * n, (s + 1) * n);
      const x = new Float64Array(n);
      solveTridiagonal(n, sl(lo), sl(di), sl(up), sl(rhs), x, new Float64Array(n));
      expect(maxAbsDiff(x, sl(xb))).toBe(0);
    }
  });

  it('reports a zero pivot instead of returning garbage', () => {
    const z = new Float64Array(3);
    expect(solveTridiagonal(3, z, z, z, z, new Float64Array(3), new Float64Array(3))).toBe(false);
  });
});

describe('band LU with partial pivoting (LAPACK dgbtf2/dgbtrs)', () => {
  for (const [n, kl, ku] of [
    [1, 0, 0],
    [5, 1, 1],
    [30, 3, 2],
    [81, 17, 17],
    [12, 11, 11],
  ] as const) {
    it(`solves random ${n}×${n} band (kl=${kl}, ku=${ku}) systems needing pivoting to 1e-10 relative`, () => {
      const r = rng(n * 100 + kl);
      const A = new BandMatrix(n, kl, ku);
      for (let j = 0; j < n; j++) for (let i = Math.max(0, j - ku); i <= Math.min(n - 1, j + kl); i++) A.set(i, j, r() - 0.5);
      // Small diagonal forces row interchanges.
      for (let i = 0; i < n; i++) A.set(i, i, 1e-3 * (r() - 0.5));
      const xTrue = Float64Array.from({ length: n }, (_, i) => Math.cos(0.3 * i) + 1);
      const b = new Float64Array(n);
      A.multiply(xTrue, b);
      const lu = new BandLU(n, kl, ku);
      lu.matrix.copyFrom(A);
      expect(lu.factor()).toBe(true);
      lu.solve(b);
      const rel = maxAbsDiff(b, xTrue) / 2;
      console.log(`band LU n=${n} kl=${kl} ku=${ku}: max error ${rel.toExponential(2)}`);
      expect(rel).toBeLessThan(1e-10);
    });
  }

  it('flags an exactly singular matrix', () => {
    const lu = new BandLU(3, 1, 1);
    lu.matrix.set(0, 0, 1);
    lu.matrix.set(1, 1, 0);
    lu.matrix.set(2, 2, 1);
    expect(lu.factor()).toBe(false);
    expect(lu.info).toBe(2);
  });
});

describe('column colouring for finite-difference Jacobians', () => {
  it('a tridiagonal pattern needs exactly 3 colours and no two same-coloured columns share a row', () => {
    const p = bandSparsity(20, 1, 1);
    const { colors, count } = colorColumns(p);
    expect(count).toBe(3);
    checkColoring(p.n, p.colPtr, p.rowIdx, colors);
  });

  it('a block-local pattern with a few coupled variables needs far fewer colours than its bandwidth', () => {
    // 9 cells × 9 variables; variables 0..2 couple to neighbour cells, the rest are cell-local.
    const nv = 9, nc = 9, n = nv * nc;
    const entries: [number, number][] = [];
    for (let c = 0; c < nc; c++)
      for (let v = 0; v < nv; v++) {
        const j = c * nv + v;
        for (let w = 0; w < nv; w++) entries.push([c * nv + w, j]);
        if (v < 3) for (const d of [-1, 1]) if (c + d >= 0 && c + d < nc) for (let w = 0; w < 3; w++) entries.push([(c + d) * nv + w, j]);
      }
    const p = sparsityFromEntries(n, entries);
    const { colors, count } = colorColumns(p);
    checkColoring(n, p.colPtr, p.rowIdx, colors);
    const { kl, ku } = patternBandwidth(p);
    console.log(`block-local 81×81 pattern: ${count} colours; colouring by bandwidth would need ${kl + ku + 1}`);
    expect(count).toBeLessThanOrEqual(15);
    expect(count).toBeLessThan(kl + ku + 1);
  });
});

function checkColoring(n: number, colPtr: Int32Array, rowIdx: Int32Array, colors: Int32Array): void {
  const seen = new Map<string, number>();
  for (let j = 0; j < n; j++)
    for (let k = colPtr[j]; k < colPtr[j + 1]; k++) {
      const key = `${rowIdx[k]}:${colors[j]}`;
      expect(seen.has(key), `row ${rowIdx[k]} has two columns of colour ${colors[j]}`).toBe(false);
      seen.set(key, j);
    }
}
