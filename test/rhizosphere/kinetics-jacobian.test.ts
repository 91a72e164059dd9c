import { describe, expect, it } from 'vitest';
import { SeededRng } from '../../src/numerics/random.js';
import { NV, V, cellReactions, cellReactionsJacobian, namedSet, waterFactors, DEFAULT_RHIZOSPHERE_CONSTANTS } from '../../src/rhizosphere/index.js';

describe('analytic Jacobian of the TraiRhizo reactions', () => {
  it('equals central finite differences of cellReactions (3 sets × 500 random states, ≤ 1e-6 relative to the row scale)', () => {
    const rng = new SeededRng(21);
    const c = DEFAULT_RHIZOSPHERE_CONSTANTS;
    let worst = 0;
    for (const name of ['highCO2', 'highMB', 'lowMUptake'] as const) {
      const p = namedSet(name);
      for (let trial = 0; trial < 500; trial++) {
        const theta = 0.1 + 0.3 * rng.uniform();
        const psi = -(10 ** (1 + 3.5 * rng.uniform()));
        const w = waterFactors(psi, c, { waterLimitation: true }, { fA: 1, fA2D: 0, fD2A: 1 });
        const y = new Float64Array(NV);
        y[V.theta] = theta;
        y[V.L] = theta * 10 ** (-7 + 3 * rng.uniform());
        y[V.H] = theta * 10 ** (-7 + 3 * rng.uniform());
        y[V.Ls] = 10 ** (-5 + 2 * rng.uniform());
        for (const v of [V.Oa, V.Od, V.Ca, V.Cd]) y[v] = 10 ** (-8 + 3 * rng.uniform());
        const J = new Float64Array(NV * NV);
        cellReactionsJacobian(theta, w, y, 0, p, c, (r, col, v) => (J[r * NV + col] = v));
        const f1 = new Float64Array(NV);
        const f2 = new Float64Array(NV);
        const rowScale = new Float64Array(NV);
        const Jfd = new Float64Array(NV * NV);
        for (let col = V.L; col <= V.Cd; col++) {
          const h = 1e-6 * Math.abs(y[col]);
          const yp = y.slice();
          const ym = y.slice();
          yp[col] += h;
          ym[col] -= h;
          f1.fill(0);
          f2.fill(0);
          cellReactions(theta, w, yp, 0, p, c, f1);
          cellReactions(theta, w, ym, 0, p, c, f2);
          for (let r = V.L; r <= V.CO2; r++) {
            Jfd[r * NV + col] = (f1[r] - f2[r]) / (2 * h);
            rowScale[r] = Math.max(rowScale[r], Math.abs(Jfd[r * NV + col] * y[col]));
          }
        }
        for (let r = V.L; r <= V.CO2; r++)
          for (let col = V.L; col <= V.Cd; col++) {
            if (!(rowScale[r] > 0)) continue;
            const e = (Math.abs(J[r * NV + col] - Jfd[r * NV + col]) * y[col]) / rowScale[r];
            worst = Math.max(worst, e);
          }
      }
    }
    console.log(`analytic vs central-difference reaction Jacobian: worst error ${worst.toExponential(2)} of the row scale`);
    expect(worst).toBeLessThan(1e-6);
  });
});
