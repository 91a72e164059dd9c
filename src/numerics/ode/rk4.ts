import type { OdeProblem } from './types.js';

/**
 * Classical fourth-order Runge–Kutta with a fixed step (explicit; for non-stiff problems and as
 * an independent reference integration in tests). Advances `y` in place from t0 to t1 in
 * `steps` equal steps; returns the number of right-hand-side evaluations.
 */
export function integrateRk4Fixed(problem: OdeProblem, t0: number, t1: number, y: Float64Array, steps: number): number {
  const n = problem.n;
  const k1 = new Float64Array(n);
  const k2 = new Float64Array(n);
  const k3 = new Float64Array(n);
  const k4 = new Float64Array(n);
  const tmp = new Float64Array(n);
  const h = (t1 - t0) / steps;
  for (let s = 0; s < steps; s++) {
    const t = t0 + s * h;
    problem.rhs(t, y, k1);
    for (let i = 0; i < n; i++) tmp[i] = y[i] + 0.5 * h * k1[i];
    problem.rhs(t + 0.5 * h, tmp, k2);
    for (let i = 0; i < n; i++) tmp[i] = y[i] + 0.5 * h * k2[i];
    problem.rhs(t + 0.5 * h, tmp, k3);
    for (let i = 0; i < n; i++) tmp[i] = y[i] + h * k3[i];
    problem.rhs(t + h, tmp, k4);
    for (let i = 0; i < n; i++) y[i] += (h / 6) * (k1[i] + 2 * k2[i] + 2 * k3[i] + k4[i]);
  }
  return 4 * steps;
}
