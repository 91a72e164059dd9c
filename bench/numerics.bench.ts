import { BandLU, Rodas4, solveTridiagonal, type OdeProblem } from '../src/numerics/index.js';
import { timeIt, type BenchSuite } from './harness.js';

/** Numerics kernels: Thomas solve, band LU, one RODAS4 run on a stiff problem. */
export const numericsSuite: BenchSuite = {
  name: 'numerics',
  async run() {
    const n = 10_000;
    const lo = new Float64Array(n).fill(-1), di = new Float64Array(n).fill(2.5), up = new Float64Array(n).fill(-1);
    const rhs = new Float64Array(n).fill(1), x = new Float64Array(n), s = new Float64Array(n);
    const tThomas = timeIt(() => void solveTridiagonal(n, lo, di, up, rhs, x, s));

    const nb = 81, k = 17;
    const lu = new BandLU(nb, k, k);
    const fillBand = () => {
      for (let j = 0; j < nb; j++) for (let i = Math.max(0, j - k); i <= Math.min(nb - 1, j + k); i++) lu.matrix.set(i, j, i === j ? 40 : Math.sin(i + 2 * j));
    };
    const tBand = timeIt(() => {
      fillBand();
      lu.factor();
    });
    const tFill = timeIt(fillBand);

    const vdp: OdeProblem = {
      n: 2,
      rhs(_t, y, f) {
        f[0] = y[1];
        f[1] = ((1 - y[0] * y[0]) * y[1] - y[0]) / 1e-6;
      },
    };
    const integ = new Rodas4(vdp);
    let steps = 0;
    const tVdp = timeIt(() => {
      const y = new Float64Array([2, 0]);
      integ.hNext = 0;
      const st = { steps: 0, accepted: 0, rejected: 0, inadmissible: 0, rhsEvaluations: 0, jacobianEvaluations: 0, factorizations: 0, linearSolves: 0, newtonIterations: 0 };
      integ.integrate(vdp, 0, 2, y, { rtol: 1e-6, atol: 1e-6 }, st);
      steps = st.steps;
    });
    return [
      { name: 'Thomas tridiagonal solve', value: n / tThomas, unit: 'cells/s', note: `${((tThomas / n) * 1e9).toFixed(1)} ns/cell` },
      { name: 'band LU factorisation 81×81, kl=ku=17', value: 1 / Math.max(tBand - tFill, 1e-12), unit: 'factorisations/s' },
      { name: 'RODAS4 van der Pol μ=1000, rtol 1e-6', value: steps / tVdp, unit: 'steps/s', note: `${steps} steps, ${(tVdp * 1e3).toFixed(1)} ms per solve` },
    ];
  },
};
