import { describe, expect, it } from 'vitest';
import { integrateRk4Fixed, type OdeProblem } from '../../src/numerics/index.js';
import { DECAY_CONSTANT_PER_YEAR, atmosphereAbsoluteAt, expm, loadCurve, multiPoolForward, onePoolDelta14C, preBombStartYear } from '../../src/profile/radiocarbon/index.js';

describe('multi-pool (compartment matrix) radiocarbon model', () => {
  const curve = loadCurve('Hua2022', 'NH2');

  it('expm reproduces the analytic exponential of a rotation-plus-decay 2×2 matrix within 1e-14', () => {
    // X = [[−a, b], [−b, −a]]·t → e^{−at}·[[cos bt, sin bt], [−sin bt, cos bt]].
    const a = 0.3, b = 2, t = 7;
    const X = Float64Array.from([-a * t, b * t, -b * t, -a * t]);
    const E = new Float64Array(4);
    expm(2, X, E);
    const e = Math.exp(-a * t);
    const ref = [e * Math.cos(b * t), e * Math.sin(b * t), -e * Math.sin(b * t), e * Math.cos(b * t)];
    const err = Math.max(...ref.map((r, i) => Math.abs(r - E[i])));
    console.log(`expm 2×2 rotation-decay: max error ${err.toExponential(2)}`);
    expect(err).toBeLessThan(1e-14);
  });

  it('one pool equals the one-pool exact solution within 1e-9 ‰ (two independent exact methods)', () => {
    let worst = 0;
    for (const tau of [3, 30, 300, 3000]) {
      for (const year of [1964, 1990.3, 2015]) {
        const mp = multiPoolForward({ matrix_per_year: [[-1 / tau]], inputs_per_year: [2.5] }, curve, year);
        worst = Math.max(worst, Math.abs(mp.bulkDelta14C_permil - onePoolDelta14C(curve, tau, year)));
        expect(mp.stocks[0]).toBeCloseTo(2.5 * tau, 9);
      }
    }
    console.log(`multi-pool (n = 1) vs one-pool: worst difference ${worst.toExponential(2)} ‰`);
    expect(worst).toBeLessThan(1e-9);
  });

  it('two parallel pools give the stock-weighted mean of two one-pool runs within 1e-9 ‰', () => {
    const mp = multiPoolForward({ matrix_per_year: [[-1 / 5, 0], [0, -1 / 500]], inputs_per_year: [3, 1] }, curve, 2001);
    const c1 = 3 * 5, c2 = 500;
    const ref = (c1 * onePoolDelta14C(curve, 5, 2001) + c2 * onePoolDelta14C(curve, 500, 2001)) / (c1 + c2);
    const err = Math.abs(mp.bulkDelta14C_permil - ref);
    console.log(`parallel pools: |bulk − weighted one-pool| = ${err.toExponential(2)} ‰; system turnover ${mp.systemTurnoverYears.toFixed(3)} yr`);
    expect(err).toBeLessThan(1e-9);
    expect(mp.systemTurnoverYears).toBeCloseTo((c1 + c2) / 4, 10);
  });

  it('a two-pool series model (fast → slow, 30 % transfer) matches an independent RK4 integration within 1e-7 ‰', () => {
    const k1 = 1 / 4, k2 = 1 / 200, f = 0.3;
    const A = [[-k1, 0], [f * k1, -k2]];
    const I = [1, 0];
    const year = 2012.5;
    const mp = multiPoolForward({ matrix_per_year: A, inputs_per_year: I }, curve, year);
    // Reference: RK4 on R (¹⁴C content) from the analytic pre-bomb steady state.
    const g = DECAY_CONSTANT_PER_YEAR;
    const t0 = preBombStartYear(curve);
    const a0 = atmosphereAbsoluteAt(curve, t0);
    const C1 = 1 / k1, C2 = (f * k1 * C1) / k2;
    const R1 = a0 / (k1 + g), R2 = (f * k1 * R1) / (k2 + g);
    const p: OdeProblem = {
      n: 2,
      rhs(t, y, d) {
        const atm = atmosphereAbsoluteAt(curve, Math.min(t, year));
        d[0] = atm - (k1 + g) * y[0];
        d[1] = f * k1 * y[0] - (k2 + g) * y[1];
      },
    };
    const y = new Float64Array([R1, R2]);
    const knots = [t0, ...Array.from(curve.years).filter((t) => t > t0 && t < year), year];
    for (let i = 0; i + 1 < knots.length; i++) integrateRk4Fixed(p, knots[i], knots[i + 1], y, 8);
    const ref = [((y[0] / C1) - 1) * 1000, ((y[1] / C2) - 1) * 1000];
    const err = Math.max(Math.abs(ref[0] - mp.poolDelta14C_permil[0]), Math.abs(ref[1] - mp.poolDelta14C_permil[1]));
    console.log(`series two-pool vs RK4: pools ${Array.from(mp.poolDelta14C_permil, (v) => v.toFixed(4)).join(', ')} ‰, max difference ${err.toExponential(2)} ‰`);
    expect(err).toBeLessThan(1e-7);
  });

  it('rejects a matrix that is not compartmental, naming the entry', () => {
    expect(() => multiPoolForward({ matrix_per_year: [[0.1]], inputs_per_year: [1] }, curve, 2000)).toThrow(/matrix_per_year\[0\]\[0\]/);
    expect(() => multiPoolForward({ matrix_per_year: [[-0.1, -0.2], [0, -0.1]], inputs_per_year: [1, 1] }, curve, 2000)).toThrow(/transfer rate/);
  });
});
