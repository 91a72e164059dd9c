import { describe, expect, it } from 'vitest';
import { BandMatrix, ReturnCode, Rodas4, integrateRk4Fixed, newOdeStats, solveOde, type OdeProblem } from '../../src/numerics/index.js';

/**
 * Robertson's chemical kinetics (Hairer & Wanner 1996, Sec. IV.1; stiff test set "ROBER").
 * Published reference values: y(40) from H&W IV.1 (10 digits), y(1e11) from the test set of
 * Mazzia & Magherini (RADAU at tolerance 1.1e−18).
 */
const robertson: OdeProblem = {
  n: 3,
  rhs(_t, y, f) {
    f[0] = -0.04 * y[0] + 1e4 * y[1] * y[2];
    f[2] = 3e7 * y[1] * y[1];
    f[1] = -f[0] - f[2];
  },
  jacobian(_t, y, J) {
    J.set(0, 0, -0.04);
    J.set(0, 1, 1e4 * y[2]);
    J.set(0, 2, 1e4 * y[1]);
    J.set(2, 1, 6e7 * y[1]);
    J.set(1, 0, 0.04);
    J.set(1, 1, -1e4 * y[2] - 6e7 * y[1]);
    J.set(1, 2, -1e4 * y[1]);
  },
};
const ROBER_40 = [0.7158270687, 9.185534764e-6, 0.2841637457];
const ROBER_1E11 = [0.2083340149701255e-7, 0.8333360770334713e-13, 0.999999979166505];

/** Van der Pol with μ = 1000 in the scaled form of the test set (ε = 1/μ² = 1e−6, t ∈ [0, 2]). */
const vdp: OdeProblem = {
  n: 2,
  rhs(_t, y, f) {
    f[0] = y[1];
    f[1] = ((1 - y[0] * y[0]) * y[1] - y[0]) / 1e-6;
  },
};
const VDP_2 = [1.706167732170483, -0.8928097010247975];

describe('RODAS4 on published stiff test problems', () => {
  it('Robertson at t = 40 matches Hairer & Wanner’s 10-digit values (max rel. error ≤ 1e-7)', () => {
    const sol = solveOde(robertson, [1, 0, 0], [0, 40], { rtol: 1e-10, atol: new Float64Array([1e-14, 1e-20, 1e-14]) });
    expect(sol.retcode).toBe(ReturnCode.Success);
    const y = sol.u[0];
    const rel = Math.max(...ROBER_40.map((r, i) => Math.abs(y[i] - r) / r));
    console.log(`Robertson t=40: max relative error ${rel.toExponential(2)} (reference has 10 digits); steps ${sol.stats.accepted}, rejected ${sol.stats.rejected}`);
    expect(rel).toBeLessThan(1e-7);
    // Mass y1 + y2 + y3 = 1 is a linear invariant: Rosenbrock steps keep it to round-off.
    expect(Math.abs(y[0] + y[1] + y[2] - 1)).toBeLessThan(1e-13);
  });

  it('Robertson at t = 1e11 matches the test-set reference (max rel. error ≤ 1e-5)', () => {
    const sol = solveOde(robertson, [1, 0, 0], [0, 1e11], { rtol: 1e-10, atol: new Float64Array([1e-14, 1e-22, 1e-14]), h0: 1e-8 });
    expect(sol.retcode).toBe(ReturnCode.Success);
    const y = sol.u[0];
    const rel = Math.max(...ROBER_1E11.map((r, i) => Math.abs(y[i] - r) / r));
    console.log(`Robertson t=1e11: max relative error ${rel.toExponential(2)}; steps ${sol.stats.accepted}`);
    expect(rel).toBeLessThan(1e-5);
  });

  it('van der Pol μ=1000 at t = 2 (scaled) matches the test-set reference (abs. error ≤ 1e-6)', () => {
    const sol = solveOde(vdp, [2, 0], [0, 2], { rtol: 1e-10, atol: 1e-10 });
    expect(sol.retcode).toBe(ReturnCode.Success);
    const y = sol.u[0];
    const err = Math.max(Math.abs(y[0] - VDP_2[0]), Math.abs(y[1] - VDP_2[1]));
    console.log(`van der Pol μ=1000: max abs error ${err.toExponential(2)}; steps ${sol.stats.accepted}, rejected ${sol.stats.rejected}, FD Jacobians ${sol.stats.jacobianEvaluations}`);
    expect(err).toBeLessThan(1e-6);
  });

  it('error decreases with the tolerance on van der Pol (tolerance proportionality)', () => {
    const errs: number[] = [];
    for (const tol of [1e-5, 1e-7, 1e-9]) {
      const y = solveOde(vdp, [2, 0], [0, 2], { rtol: tol, atol: tol }).u[0];
      errs.push(Math.abs(y[0] - VDP_2[0]) + Math.abs(y[1] - VDP_2[1]));
    }
    console.log(`van der Pol error at rtol 1e-5/1e-7/1e-9: ${errs.map((e) => e.toExponential(2)).join(', ')}`);
    expect(errs[1]).toBeLessThan(errs[0]);
    expect(errs[2]).toBeLessThan(errs[1]);
  });
});

describe('RODAS4 convergence order', () => {
  // Prothero–Robinson: y' = λ(y − g) + g', exact y = g = sin t; non-autonomous and stiff for λ ≪ 0.
  const pr = (lambda: number): OdeProblem => ({
    n: 1,
    nonAutonomous: true,
    rhs(t, y, f) {
      f[0] = lambda * (y[0] - Math.sin(t)) + Math.cos(t);
    },
    jacobian(_t, _y, J) {
      J.set(0, 0, lambda);
    },
  });
  // Non-stiff nonlinear system with a known solution: y1' = −y2, y2' = y1 (rotation) + Lotka-like coupling-free.
  const osc: OdeProblem = {
    n: 2,
    rhs(_t, y, f) {
      f[0] = -y[1] * (1 + 0.1 * (y[0] * y[0] + y[1] * y[1] - 1));
      f[1] = y[0] * (1 + 0.1 * (y[0] * y[0] + y[1] * y[1] - 1));
    },
  };

  function observedOrder(problem: OdeProblem, y0: number[], T: number, exact: number[], hs: number[]): number[] {
    const errs = hs.map((h) => {
      const y = Float64Array.from(y0);
      const code = new Rodas4(problem).integrate(problem, 0, T, y, { fixedStep: h });
      expect(code).toBe(ReturnCode.Success);
      return Math.max(...exact.map((e, i) => Math.abs(y[i] - e)));
    });
    const orders: number[] = [];
    for (let k = 1; k < hs.length; k++) orders.push(Math.log(errs[k - 1] / errs[k]) / Math.log(hs[k - 1] / hs[k]));
    return orders;
  }

  it('observed order on a nonlinear non-stiff problem is 4 ± 0.2', () => {
    // |y| = 1 is invariant, so the exact solution is the rotation with unit angular speed.
    const T = 2;
    const orders = observedOrder(osc, [1, 0], T, [Math.cos(T), Math.sin(T)], [0.2, 0.1, 0.05, 0.025]);
    console.log(`observed orders (nonlinear oscillator): ${orders.map((o) => o.toFixed(3)).join(', ')}`);
    expect(Math.abs(orders[orders.length - 1] - 4)).toBeLessThan(0.2);
  });

  it('on stiff Prothero–Robinson (λ = −1e6) the error stays at round-off level for all h (stiff accuracy, L-stability)', () => {
    const T = 1;
    const hs = [0.1, 0.05, 0.025];
    for (const h of hs) {
      const y = new Float64Array([0]);
      new Rodas4(pr(-1e6)).integrate(pr(-1e6), 0, T, y, { fixedStep: h });
      const err = Math.abs(y[0] - Math.sin(T));
      console.log(`Prothero–Robinson λ=-1e6, h=${h}: error ${err.toExponential(2)}`);
      expect(err).toBeLessThan(1e-6);
    }
  });

  it('on mildly stiff Prothero–Robinson (λ = −10) the observed order is 4 ± 0.3', () => {
    const orders = observedOrder(pr(-10), [0], 1, [Math.sin(1)], [0.1, 0.05, 0.025, 0.0125]);
    console.log(`observed orders (Prothero–Robinson λ=-10): ${orders.map((o) => o.toFixed(3)).join(', ')}`);
    expect(Math.abs(orders[orders.length - 1] - 4)).toBeLessThan(0.3);
  });
});

describe('RODAS4 behaviour', () => {
  it('keeps a linear invariant to round-off (≤ 1e-10 at stiffness 1e4) with a finite-difference Jacobian', () => {
    // A ⇄ B → C with fast exchange: total mass conserved.
    const p: OdeProblem = {
      n: 3,
      rhs(_t, y, f) {
        const ab = 1e4 * y[0] - 50 * y[1] * y[1];
        const bc = 3 * y[1];
        f[0] = -ab;
        f[1] = ab - bc;
        f[2] = bc;
      },
    };
    const sol = solveOde(p, [1, 0, 0], [0, 10], { rtol: 1e-6, atol: 1e-12 });
    const y = sol.u[0];
    const drift = Math.abs(y[0] + y[1] + y[2] - 1);
    console.log(`linear invariant drift over 10 time units: ${drift.toExponential(2)}`);
    expect(drift).toBeLessThan(1e-10);
  });

  it('rejects inadmissible candidate states and still reaches the end', () => {
    // y' = −100 y: large steps overshoot below zero only with a non-L-stable method; force rejections with a strict check.
    let calls = 0;
    const p: OdeProblem = {
      n: 1,
      rhs(_t, y, f) {
        f[0] = -100 * y[0] + 1;
      },
      isAdmissible(y) {
        calls++;
        return y[0] >= 0 && calls > 3; // reject the first three candidates that pass error control
      },
    };
    const stats = newOdeStats();
    const y = new Float64Array([1]);
    const code = new Rodas4(p).integrate(p, 0, 1, y, { rtol: 1e-8, atol: 1e-12 }, stats);
    expect(code).toBe(ReturnCode.Success);
    expect(stats.inadmissible).toBe(3);
    expect(Math.abs(y[0] - (0.01 + 0.99 * Math.exp(-100)))).toBeLessThan(1e-9);
  });

  it('returns MaxIters instead of throwing when the step budget is exhausted', () => {
    const code = new Rodas4(vdp).integrate(vdp, 0, 2, new Float64Array([2, 0]), { rtol: 1e-10, atol: 1e-10, maxSteps: 10 });
    expect(code).toBe(ReturnCode.MaxIters);
  });

  it('a recorded step plan replays the accepted steps: bitwise the same solution and next proposal, no rejected attempts', () => {
    const r = new Rodas4(vdp);
    const opts = { rtol: 1e-6, atol: 1e-8 };
    r.recordSteps = true;
    r.hNext = 0.5; // a too large first proposal: the free run pays rejections
    const s1 = newOdeStats();
    const y1 = new Float64Array([2, 0]);
    expect(r.integrate(vdp, 0, 0.5, y1, opts, s1)).toBe(ReturnCode.Success);
    const plan = { h: r.recorded.slice(0, r.recordedCount), n: r.recordedCount, hNext: r.hNext };
    expect(plan.n).toBe(s1.accepted);
    r.hNext = 0.5;
    r.stepPlan = plan;
    const s2 = newOdeStats();
    const y2 = new Float64Array([2, 0]);
    expect(r.integrate(vdp, 0, 0.5, y2, opts, s2)).toBe(ReturnCode.Success);
    console.log(`step plan: free run ${s1.accepted} accepted + ${s1.rejected} rejected, replay ${s2.accepted} + ${s2.rejected}`);
    expect(s1.rejected).toBeGreaterThan(0);
    expect(s2.rejected).toBe(0);
    expect(Array.from(y2)).toEqual(Array.from(y1));
    expect(r.hNext).toBe(plan.hNext);
    expect(r.stepPlan).toBeUndefined();
    // A perturbed start: the plan is only a proposal, the controller takes over at a rejection.
    r.stepPlan = plan;
    const y3 = new Float64Array([2.001, 0]);
    expect(r.integrate(vdp, 0, 0.5, y3, opts)).toBe(ReturnCode.Success);
    expect(Math.abs(y3[0] - y1[0])).toBeLessThan(1e-2);
  });

  it('returns Unstable when the right-hand side is NaN', () => {
    const p: OdeProblem = { n: 1, rhs: (_t, _y, f) => void (f[0] = NaN) };
    expect(new Rodas4(p).integrate(p, 0, 1, new Float64Array([1]))).toBe(ReturnCode.Unstable);
  });

  it('a banded finite-difference Jacobian equals the analytic one (heat equation, 1e-6 relative)', () => {
    const n = 20;
    const heat: OdeProblem = {
      n,
      lowerBandwidth: 1,
      upperBandwidth: 1,
      rhs(_t, y, f) {
        for (let i = 0; i < n; i++) f[i] = (i > 0 ? y[i - 1] : 0) - 2 * y[i] + (i < n - 1 ? y[i + 1] : 0) - y[i] * y[i] * y[i];
      },
    };
    const y0 = Float64Array.from({ length: n }, (_, i) => Math.sin(i));
    // Integrate one step both ways and compare.
    const withAnalytic: OdeProblem = {
      ...heat,
      jacobian(_t, y, J: BandMatrix) {
        for (let i = 0; i < n; i++) {
          J.set(i, i, -2 - 3 * y[i] * y[i]);
          if (i > 0) J.set(i, i - 1, 1);
          if (i < n - 1) J.set(i, i + 1, 1);
        }
      },
    };
    const a = Float64Array.from(y0);
    const b = Float64Array.from(y0);
    new Rodas4(heat).integrate(heat, 0, 0.5, a, { fixedStep: 0.1 });
    new Rodas4(withAnalytic).integrate(withAnalytic, 0, 0.5, b, { fixedStep: 0.1 });
    let m = 0;
    for (let i = 0; i < n; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
    console.log(`FD vs analytic Jacobian, 5 fixed steps: max difference ${m.toExponential(2)}`);
    expect(m).toBeLessThan(1e-6);
  });
});

describe('RK4 reference integrator', () => {
  it('is fourth order on y′ = −y (observed order 4 ± 0.1)', () => {
    const p: OdeProblem = { n: 1, rhs: (_t, y, f) => void (f[0] = -y[0]) };
    const errs = [10, 20, 40].map((steps) => {
      const y = new Float64Array([1]);
      integrateRk4Fixed(p, 0, 1, y, steps);
      return Math.abs(y[0] - Math.exp(-1));
    });
    const order = Math.log2(errs[1] / errs[2]);
    console.log(`RK4 observed order ${order.toFixed(3)}`);
    expect(Math.abs(order - 4)).toBeLessThan(0.1);
  });
});
