import { describe, expect, it } from 'vitest';
import { solveTree, solveTridiagonal } from '../../src/numerics/index.js';
import { denseSolve } from '../helpers/dense.js';


describe('tree-structured linear solve (O(n) elimination)', () => {
  it('matches dense Gaussian elimination on a random branched nonsymmetric M-matrix within 1e-12 relative', () => {
    const n = 60;
    let seed = 7;
    const rnd = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    const parent = new Int32Array(n);
    parent[0] = -1;
    for (let k = 1; k < n; k++) parent[k] = Math.floor(rnd() * k);
    const diag = new Float64Array(n), lower = new Float64Array(n), upper = new Float64Array(n), rhs = new Float64Array(n);
    const A = Array.from({ length: n }, () => new Array<number>(n).fill(0));
    for (let k = 1; k < n; k++) {
      lower[k] = -rnd();
      upper[k] = -rnd();
      A[k][parent[k]] = lower[k];
      A[parent[k]][k] = upper[k];
    }
    for (let k = 0; k < n; k++) {
      let s = 0.5 + rnd();
      for (let j = 0; j < n; j++) s += Math.abs(A[j][k]);
      diag[k] = s;
      A[k][k] = s;
      rhs[k] = rnd() - 0.5;
    }
    const x = new Float64Array(n);
    expect(solveTree(n, parent, diag, lower, upper, rhs, x, new Float64Array(n), new Float64Array(n))).toBe(true);
    const ref = denseSolve(A, [...rhs]);
    const err = Math.max(...ref.map((v, i) => Math.abs(v - x[i]) / Math.max(...ref.map(Math.abs))));
    console.log(`tree solve vs dense LU: max relative error ${err.toExponential(2)}`);
    expect(err).toBeLessThan(1e-12);
  });

  it('equals the Thomas algorithm on a chain (parent[k] = k − 1) to round-off', () => {
    const n = 500;
    const parent = Int32Array.from({ length: n }, (_, k) => k - 1);
    const diag = new Float64Array(n).fill(2.5), lower = new Float64Array(n).fill(-1), upper = new Float64Array(n).fill(-1.2);
    const rhs = Float64Array.from({ length: n }, (_, i) => Math.sin(i));
    const x = new Float64Array(n), y = new Float64Array(n);
    solveTree(n, parent, diag, lower, upper, rhs, x, new Float64Array(n), new Float64Array(n));
    // Thomas convention: row i has lower[i] x[i−1] + upper[i] x[i+1]; the tree's upper[k] is A[k−1][k].
    const upThomas = new Float64Array(n).fill(-1.2);
    solveTridiagonal(n, lower, diag, upThomas, rhs, y, new Float64Array(n));
    const err = Math.max(...Array.from(x, (v, i) => Math.abs(v - y[i])));
    console.log(`tree vs Thomas on a chain: max abs difference ${err.toExponential(2)}`);
    expect(err).toBeLessThan(1e-13);
  });
});
