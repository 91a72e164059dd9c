import { describe, expect, it } from 'vitest';
import { ReturnCode } from '../../src/numerics/index.js';
import {
  Transport3D,
  uniformVoxelGrid,
  type WaterStepFields,
  dissolvedFromTotal,
  molSoluteFaceFlux,
  newMolWork,
  retardationFactor,
  sorbed,
  totalFromDissolved,
  uniformPlanarGrid,
  type Grid1D,
  type SorptionIsotherm,
} from '../../src/soil/index.js';

// A saturated-flow column 0 ≤ x ≤ L: constant θ, Darcy flux q, effective diffusion θ·D, Dirichlet
// C0 at the inlet face, free (advective) outflow. State per cell: [θ, T], T = θC + ρ_b S(C).
const theta = 0.3;
const q = 0.3; // cm d⁻¹ → pore velocity v = 1 cm d⁻¹
const Dpore = 0.5; // cm² d⁻¹ (dispersion coefficient D of the ADE)
const C0 = 1e-6; // mol cm⁻³ water
const rhoB = 1.5;

/** Complementary error function, Numerical Recipes erfcc (relative error < 1.2e−7 everywhere). */
function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
  return x >= 0 ? r : 2 - r;
}

/** Ogata–Banks (1961): R ∂C/∂t = D ∂²C/∂x² − v ∂C/∂x, C(0,t) = C0, C(x,0) = 0, x ≥ 0. */
function ogataBanks(x: number, t: number, R: number, D: number, v: number): number {
  const s = 2 * Math.sqrt(D * R * t);
  return 0.5 * C0 * (erfc((R * x - v * t) / s) + Math.exp((v * x) / D) * erfc((R * x + v * t) / s));
}

interface ColumnRun {
  c: Float64Array;
  massError: number;
}

/** Method of lines with the module's face fluxes (state = total T), SSP-RK3 in time. */
function runColumn(grid: Grid1D, iso: SorptionIsotherm, cInit: number, tEnd: number, dt: number): ColumnRun {
  const n = grid.n;
  const work = newMolWork(n);
  work.mq.fill(1);
  work.Q.fill(q * grid.length);
  const De = theta * Dpore;
  const y = new Float64Array(2 * n);
  for (let i = 0; i < n; i++) {
    y[2 * i] = theta;
    y[2 * i + 1] = totalFromDissolved(iso, theta, cInit);
  }
  const rhs = (s: Float64Array, out: Float64Array): number => {
    const F = new Float64Array(n + 1);
    for (let k = 1; k < n; k++) F[k] = molSoluteFaceFlux(grid, s, 2, 0, 1, k, De, true, iso, work);
    const c0 = dissolvedFromTotal(iso, theta, s[1]);
    const cn = dissolvedFromTotal(iso, theta, s[2 * n - 1]);
    F[0] = q * grid.length * C0 + (De * grid.faceArea[0] * (C0 - c0)) / grid.distance[0];
    F[n] = q * grid.length * cn;
    for (let i = 0; i < n; i++) {
      out[2 * i] = 0;
      out[2 * i + 1] = (F[i] - F[i + 1]) / grid.volume[i];
    }
    return F[0] - F[n];
  };
  const k1 = new Float64Array(2 * n);
  const y1 = new Float64Array(2 * n);
  const y2 = new Float64Array(2 * n);
  const mass = (s: Float64Array): number => {
    let m = 0;
    for (let i = 0; i < n; i++) m += grid.volume[i] * s[2 * i + 1];
    return m;
  };
  const m0 = mass(y);
  let inflow = 0;
  const steps = Math.round(tEnd / dt);
  for (let st = 0; st < steps; st++) {
    const b0 = rhs(y, k1);
    for (let j = 0; j < 2 * n; j++) y1[j] = y[j] + dt * k1[j];
    const b1 = rhs(y1, k1);
    for (let j = 0; j < 2 * n; j++) y2[j] = 0.75 * y[j] + 0.25 * (y1[j] + dt * k1[j]);
    const b2 = rhs(y2, k1);
    for (let j = 0; j < 2 * n; j++) y[j] = y[j] / 3 + (2 / 3) * (y2[j] + dt * k1[j]);
    inflow += dt * (b0 / 6 + b1 / 6 + (2 * b2) / 3);
  }
  const c = new Float64Array(n);
  for (let i = 0; i < n; i++) c[i] = dissolvedFromTotal(iso, theta, y[2 * i + 1]);
  const dM = mass(y) - m0;
  return { c, massError: Math.abs(dM - inflow) / Math.max(Math.abs(inflow), Math.abs(m0)) };
}

/**
 * Independent reference: the same finite-volume stencil written out here in the C-form
 * (θ + ρ_b S′(C)) dC/dt = net flux / V with the isotherm derivative coded inline (no sorption
 * module, no inversion), forward Euler with a small step.
 */
function referenceColumn(grid: Grid1D, dSdC: (c: number) => number, cInit: number, tEnd: number, dt: number, inlet: 'concentration' | 'flux' = 'concentration'): Float64Array {
  const n = grid.n;
  const De = theta * Dpore;
  const A = grid.length;
  const c = new Float64Array(n).fill(cInit);
  const F = new Float64Array(n + 1);
  const steps = Math.round(tEnd / dt);
  for (let st = 0; st < steps; st++) {
    F[0] = q * A * C0 + (inlet === 'flux' ? 0 : (De * A * (C0 - c[0])) / grid.distance[0]);
    for (let k = 1; k < n; k++) F[k] = q * A * c[k - 1] - (De * A * (c[k] - c[k - 1])) / grid.distance[k];
    F[n] = q * A * c[n - 1];
    for (let i = 0; i < n; i++) c[i] += (dt * (F[i] - F[i + 1])) / (grid.volume[i] * (theta + rhoB * dSdC(c[i])));
  }
  return c;
}

/**
 * Resident concentration for a third-type (flux) inlet, q·C0 = qC − θD ∂C/∂x at x = 0, C(x,0) = 0
 * (van Genuchten & Alves 1982, solution A2; Lindstrom et al. 1967).
 */
function fluxInletSolution(x: number, t: number, R: number, D: number, v: number): number {
  const s = 2 * Math.sqrt(D * R * t);
  const a = (R * x - v * t) / s;
  return (
    C0 *
    (0.5 * erfc(a) + Math.sqrt((v * v * t) / (Math.PI * D * R)) * Math.exp(-a * a) - 0.5 * (1 + (v * x) / D + (v * v * t) / (D * R)) * Math.exp((v * x) / D) * erfc((R * x + v * t) / s))
  );
}

/**
 * The 3D transport on a 1 × 1 × n voxel column z ∈ [−L, 0] with steady downward flow q (top inflow
 * at C0, bottom outflow), D_w chosen so that the Millington–Quirk D equals θ·D.
 */
function run3d(n: number, L: number, iso: SorptionIsotherm, cInit: number, tEnd: number, dt: number): { c: Float64Array; balance: number; newton: number } {
  const g = uniformVoxelGrid([0, 1, 1], [0, 1, 1], [-L, 0, n]);
  const thetaS = 0.4;
  const th = new Float64Array(g.n).fill(theta);
  const water: WaterStepFields = {
    lastDt_d: dt,
    thetaOld: th,
    theta: th,
    faceFlux_cm3_per_d: new Float64Array(g.faceCount).fill(-q),
    topInflow_cm3_per_d: new Float64Array([q]),
    bottomInflow_cm3_per_d: new Float64Array([-q]),
  };
  const Dw = (theta * Dpore * thetaS * thetaS) / Math.pow(theta, 10 / 3);
  const tr = new Transport3D({ grid: g, thetaS, diffusionInWater_cm2_per_d: Dw, initialConcentration_mol_per_cm3_water: cInit, topInflowConcentration_mol_per_cm3_water: C0, sorption: iso });
  const steps = Math.round(tEnd / dt);
  for (let k = 0; k < steps; k++) expect(tr.step(water)).toBe(ReturnCode.Success);
  // Depth order (top first) to compare with x = −z.
  return { c: Float64Array.from({ length: n }, (_, i) => tr.c[n - 1 - i]), balance: tr.balance().relativeError, newton: tr.stats.newtonIterations / steps };
}

function norms(a: Float64Array, b: (i: number) => number, dx: number): { l2: number; linf: number } {
  let s = 0;
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i] - b(i)) / C0;
    s += d * d * dx;
    m = Math.max(m, d);
  }
  return { l2: Math.sqrt(s), linf: m };
}

describe('equilibrium sorption isotherms (src/soil/sorption.ts)', () => {
  const isotherms: SorptionIsotherm[] = [
    { kind: 'linear', bulkDensity_g_per_cm3: rhoB, Kd_cm3_per_g: 0.4 },
    { kind: 'freundlich', bulkDensity_g_per_cm3: rhoB, Kf: 0.4 * Math.pow(C0, 0.3), nF: 0.7 },
    { kind: 'freundlich', bulkDensity_g_per_cm3: rhoB, Kf: 0.4 * Math.pow(C0, -0.5), nF: 1.5 },
    { kind: 'langmuir', bulkDensity_g_per_cm3: rhoB, Smax_mol_per_g: 6e-7, KL_cm3_per_mol: 1e6 },
  ];

  it('inversion total → C recovers C to ≤ 1e-14 relative over 12 decades', () => {
    let worst = 0;
    for (const iso of isotherms) {
      for (let e = -12; e <= 0; e += 0.25) {
        const c = C0 * Math.pow(10, e);
        const back = dissolvedFromTotal(iso, theta, totalFromDissolved(iso, theta, c));
        worst = Math.max(worst, Math.abs(back - c) / c);
      }
      expect(dissolvedFromTotal(iso, theta, 0)).toBe(0);
    }
    console.log(`isotherm inversion worst relative error ${worst.toExponential(2)}`);
    expect(worst).toBeLessThan(1e-14);
    expect(sorbed(isotherms[3], 1e3)).toBeLessThan(6e-7);
  });

  it('linear K_d vs Ogata–Banks (R = 1 + ρ_b K_d/θ = 3): first-order convergence, mass to round-off', () => {
    const iso = isotherms[0];
    const R = retardationFactor(iso, theta, 0);
    expect(R).toBeCloseTo(3, 14);
    const tEnd = 6;
    const errs: { l2: number; linf: number }[] = [];
    for (const n of [100, 200, 400]) {
      const grid = uniformPlanarGrid(0, 16, n, 1);
      const dx = 16 / n;
      const dt = Math.min(0.4 * (R * dx * dx) / (2 * Dpore), 0.1);
      const run = runColumn(grid, iso, 0, tEnd, tEnd / Math.ceil(tEnd / dt));
      const e = norms(run.c, (i) => ogataBanks(grid.centers[i], tEnd, R, Dpore, q / theta), dx);
      console.log(`linear isotherm vs Ogata–Banks, n=${n}: L2 ${e.l2.toExponential(3)} cm^0.5, L∞ ${e.linf.toExponential(3)} (of C0); mass balance ${run.massError.toExponential(2)} rel`);
      expect(run.massError).toBeLessThan(1e-10);
      errs.push(e);
    }
    const order = Math.log2(errs[1].linf / errs[2].linf);
    console.log(`observed order (L∞, n=200→400) ${order.toFixed(2)} (upwind advection: 1)`);
    expect(order).toBeGreaterThan(0.8);
    expect(errs[2].linf).toBeLessThan(8e-3);
    expect(errs[2].l2).toBeLessThan(1.1e-2);
  });

  const nonlinear: [string, SorptionIsotherm, (c: number) => number, number][] = [
    ['Freundlich n_F = 0.7', isotherms[1], (c) => 0.4 * Math.pow(C0, 0.3) * 0.7 * Math.pow(c, -0.3), 0.01 * C0],
    ['Freundlich n_F = 1.5', isotherms[2], (c) => 0.4 * Math.pow(C0, -0.5) * 1.5 * Math.pow(Math.max(c, 0), 0.5), 0],
    ['Langmuir', isotherms[3], (c) => (6e-7 * 1e6) / (1 + 1e6 * c) ** 2, 0],
  ];
  for (const [name, iso, dSdC, cInit] of nonlinear) {
    it(`${name} vs an independent explicit C-form solution; mass to round-off`, () => {
      const n = 160;
      const grid = uniformPlanarGrid(0, 16, n, 1);
      const dx = 16 / n;
      const tEnd = 6;
      const run = runColumn(grid, iso, cInit, tEnd, tEnd / 1000);
      const ref1 = referenceColumn(grid, dSdC, cInit, tEnd, tEnd / 8000);
      const ref2 = referenceColumn(grid, dSdC, cInit, tEnd, tEnd / 16000);
      const e1 = norms(run.c, (i) => ref1[i], dx);
      const e2 = norms(run.c, (i) => ref2[i], dx);
      console.log(`${name}: vs reference dt/8 L∞ ${e1.linf.toExponential(3)}, dt/16 L∞ ${e2.linf.toExponential(3)} (L2 ${e2.l2.toExponential(3)}); mass balance ${run.massError.toExponential(2)} rel`);
      expect(run.massError).toBeLessThan(1e-10);
      expect(e2.linf).toBeLessThan(1e-3);
      // The difference is the reference's forward-Euler error: it halves with the reference step.
      expect(e2.linf).toBeLessThan(0.7 * e1.linf);
      // The front moved (the run is not trivially the initial state).
      expect(run.c[Math.round(1 / dx)]).toBeGreaterThan(0.3 * C0);
    });
  }

  it('3D transport, linear K_d (R = 3) vs the flux-inlet analytical solution; solute balance ≤ 1e-10', () => {
    const iso = isotherms[0];
    const tEnd = 6;
    const errs: number[] = [];
    for (const [n, dt] of [
      [200, 0.02],
      [400, 0.01],
    ] as const) {
      const r = run3d(n, 16, iso, 0, tEnd, dt);
      const dx = 16 / n;
      const e = norms(r.c, (i) => fluxInletSolution((i + 0.5) * dx, tEnd, 3, Dpore, q / theta), dx);
      console.log(`3D linear isotherm vs flux-inlet solution, n=${n}, dt=${dt}: L2 ${e.l2.toExponential(3)}, L∞ ${e.linf.toExponential(3)} (of C0); balance ${r.balance.toExponential(2)}`);
      expect(r.balance).toBeLessThan(1e-10);
      errs.push(e.linf);
    }
    console.log(`observed order (Δx and Δt halved) ${Math.log2(errs[0] / errs[1]).toFixed(2)}`);
    expect(errs[1]).toBeLessThan(1.5e-2);
    expect(errs[1]).toBeLessThan(0.6 * errs[0]);
  });

  for (const [name, iso, dSdC, cInit] of [nonlinear[0], nonlinear[2]]) {
    it(`3D transport, ${name} (Newton on the storage) vs the independent explicit C-form solution; balance ≤ 1e-10`, () => {
      const n = 80;
      const grid = uniformPlanarGrid(0, 16, n, 1);
      const dx = 16 / n;
      const tEnd = 6;
      const ref = referenceColumn(grid, dSdC, cInit, tEnd, tEnd / 8000, 'flux');
      const errs: number[] = [];
      for (const dt of [0.04, 0.02]) {
        const r = run3d(n, 16, iso, cInit, tEnd, dt);
        const e = norms(r.c, (i) => ref[i], dx);
        console.log(`3D ${name}, dt=${dt}: vs reference L∞ ${e.linf.toExponential(3)} (L2 ${e.l2.toExponential(3)}); balance ${r.balance.toExponential(2)}; ${r.newton.toFixed(1)} Newton iterations/step`);
        expect(r.balance).toBeLessThan(1e-10);
        errs.push(e.linf);
      }
      // Implicit Euler: the difference is first order in Δt.
      console.log(`3D ${name}: observed order in Δt ${Math.log2(errs[0] / errs[1]).toFixed(2)}`);
      expect(errs[1]).toBeLessThan(0.6 * errs[0]);
      expect(errs[1]).toBeLessThan(2e-2);
    });
  }

  it('3D transport rejects a bad isotherm naming the field, value and expectation', () => {
    const g = uniformVoxelGrid([0, 1, 1], [0, 1, 1], [-2, 0, 2]);
    const make = (sorption: SorptionIsotherm) => () => new Transport3D({ grid: g, thetaS: 0.4, diffusionInWater_cm2_per_d: 1, initialConcentration_mol_per_cm3_water: 0, sorption });
    expect(make({ kind: 'linear', bulkDensity_g_per_cm3: 1.4, Kd_cm3_per_g: -1 })).toThrow(/sorption\.Kd_cm3_per_g.*-1.*K_d ≥ 0/s);
    expect(make({ kind: 'freundlich', bulkDensity_g_per_cm3: 1.4, Kf: 1, nF: 0 })).toThrow(/sorption\.nF.*n_F > 0/s);
    expect(make({ kind: 'langmuir', bulkDensity_g_per_cm3: 0, Smax_mol_per_g: 1e-6, KL_cm3_per_mol: 1e5 })).toThrow(/sorption\.bulkDensity_g_per_cm3/);
  });
});
