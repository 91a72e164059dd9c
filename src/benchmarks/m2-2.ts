import { ReturnCode } from '../numerics/ode/types.js';
import { planarGrid, Richards1D, SOILS, type Grid1D, type VanGenuchtenMualem } from '../soil/index.js';
import { Curve, nrmse, readCsvColumns, readResultRows } from './common.js';
import { registerBenchmark, type BenchmarkCase, type BenchmarkReport } from './registry.js';

/**
 * Benchmark M2.2 (Schnepf et al. 2020; Vanderborght et al. 2005, Fig. 5, Eqs 39–47): evaporation
 * from a 100 cm profile with no flux at the bottom; the potential rate applies while the surface
 * head stays above −10000 cm, then the surface holds −10000 cm. Compared: the actual evaporation
 * rate over time.
 */
export interface M22Scenario {
  readonly name: 'sand' | 'loam1' | 'loam2' | 'clay';
  readonly soil: VanGenuchtenMualem;
  readonly initialHead_cm: number;
  readonly potentialEvaporation_cm_per_d: number;
  /** Simulated period, d (the notebook's plot ranges; also the ranges of the shipped results). */
  readonly duration_d: number;
}

export const M22_SCENARIOS: readonly M22Scenario[] = [
  { name: 'sand', soil: SOILS.sand, initialHead_cm: -40, potentialEvaporation_cm_per_d: 0.1, duration_d: 1 },
  { name: 'loam1', soil: SOILS.loam, initialHead_cm: -200, potentialEvaporation_cm_per_d: 0.1, duration_d: 10 },
  { name: 'loam2', soil: SOILS.loam, initialHead_cm: -200, potentialEvaporation_cm_per_d: 0.3, duration_d: 2 },
  { name: 'clay', soil: SOILS.clay, initialHead_cm: -200, potentialEvaporation_cm_per_d: 0.3, duration_d: 6 },
];
export const M22_DEPTH_CM = 100;
export const M22_CRITICAL_HEAD_CM = -10000;
export const M22_SIMULATORS = ['Dumux', 'OpenSimRoot', 'RSWMS', 'SRI'] as const;

/**
 * Analytic actual evaporation rate, cm d⁻¹ (Vanderborght et al. 2005 Eqs 44–47): the potential
 * rate E_p until t_pot = S_w²/(2E_p²), then S_w/(2·sqrt(t' + t − t_pot)) with t' = S_w²/(4E_p²),
 * from the desorptivity S_w and t_pot recomputed in data/benchmarks/M2.2.
 */
export function m22Analytic(scenario: M22Scenario): (t_d: number) => number {
  const c = readCsvColumns('M2.2/analytic_summary_recomputed.csv');
  const i = c.scenario.indexOf(scenario.name);
  if (i < 0) throw new Error(`M2.2 summary has no scenario ${scenario.name}`);
  const tPot = Number(c.t_pot_end_d[i]);
  const sw = Number(c.sorptivity_cm_per_sqrt_d[i]);
  const ep = scenario.potentialEvaporation_cm_per_d;
  const tDash = (sw * sw) / (4 * ep * ep);
  return (t) => (t < tPot ? ep : sw / (2 * Math.sqrt(tDash + t - tPot)));
}

/**
 * Vertical grid refined towards the surface: Δz = `top_cm` at the surface, growing by `growth`
 * per cell up to `max_cm` (evaporation fronts are millimetres thick at the surface).
 */
export function surfaceRefinedGrid(depth_cm: number, top_cm: number, growth: number, max_cm: number): Grid1D {
  const faces = [0];
  let dz = top_cm;
  while (faces[faces.length - 1] > -depth_cm) {
    faces.push(Math.max(faces[faces.length - 1] - dz, -depth_cm));
    dz = Math.min(dz * growth, max_cm);
  }
  // Merge a sliver at the bottom into the last cell.
  const m = faces.length;
  if (m > 2 && faces[m - 2] - faces[m - 1] < 0.5 * (faces[m - 3] - faces[m - 2])) faces.splice(m - 2, 1);
  return planarGrid(faces.reverse());
}

export interface M22Run {
  retcode: ReturnCode;
  t_d: Float64Array;
  evaporation_cm_per_d: Float64Array;
  balanceRelativeError: number;
  steps: number;
}

export const M22_GRID = { top_cm: 0.001, growth: 1.05, max_cm: 0.5 };
/** Spacing of the reference table (analytic_reference_recomputed.csv), d: rhizocarb's primary sampling. */
export const M22_REFERENCE_STEP_D = 0.01;

/** The reference table's times in (0, duration]. */
export function m22ReferenceTimes(sc: M22Scenario): number[] {
  const n = Math.round(sc.duration_d / M22_REFERENCE_STEP_D);
  return Array.from({ length: n }, (_, k) => (k + 1) * M22_REFERENCE_STEP_D);
}

/** Run rhizocarb for one scenario; the evaporation rate (cm d⁻¹) is sampled at the given times (sorted, > 0). */
export function runM22(
  sc: M22Scenario,
  times_d: readonly number[] = m22ReferenceTimes(sc),
  grid = surfaceRefinedGrid(M22_DEPTH_CM, M22_GRID.top_cm, M22_GRID.growth, M22_GRID.max_cm),
  gravity = true,
): M22Run {
  const solver = new Richards1D(
    {
      grid,
      gravity,
      soils: [sc.soil],
      initialHead_cm: sc.initialHead_cm,
      lower: { kind: 'noFlux' },
      upper: { kind: 'fluxLimitedByHead', flux_cm_per_d: -sc.potentialEvaporation_cm_per_d, limitHead_cm: M22_CRITICAL_HEAD_CM },
    },
    { dtInitial_d: 1e-7, maxDeltaTheta: 0.01 },
  );
  const t = Float64Array.from(times_d);
  const e = new Float64Array(t.length);
  let retcode = ReturnCode.Success;
  for (let k = 0; k < t.length; k++) {
    retcode = solver.advanceTo(t[k]);
    if (retcode !== ReturnCode.Success) break;
    e[k] = -solver.boundaryInflows().upper_cm3_per_d / grid.faceArea[grid.n];
  }
  return { retcode, t_d: t, evaporation_cm_per_d: e, balanceRelativeError: solver.balance().relativeError, steps: solver.stats.accepted };
}

/** The metric: nRMSE of E(t) against the analytic rate at the series' own times within [0, duration]. */
export function m22Error(sc: M22Scenario, t: ArrayLike<number>, e: ArrayLike<number>): number | null {
  const f = m22Analytic(sc);
  const ref: number[] = [];
  const sim: number[] = [];
  for (let k = 0; k < Math.min(t.length, e.length); k++) {
    if (!(t[k] >= 0 && t[k] <= sc.duration_d * (1 + 1e-9))) continue;
    ref.push(f(t[k]));
    sim.push(Math.abs(e[k]));
  }
  return nrmse(ref, sim);
}

/** Shipped results: name → per scenario (t, E) (pairs 4–7: finer grids; 0–3: "(coarse grid)"). */
export function m22Others(): Record<string, ({ t: number[]; e: number[] } | null)[]> {
  const out: Record<string, ({ t: number[]; e: number[] } | null)[]> = {};
  for (const sim of M22_SIMULATORS) {
    const rows = readResultRows(`M2.2/numerical_results/${sim}.txt`);
    const pair = (k: number) => (rows[2 * k] && rows[2 * k + 1] ? { t: rows[2 * k], e: rows[2 * k + 1] } : null);
    out[sim] = [4, 5, 6, 7].map(pair);
    out[`${sim} (coarse grid)`] = [0, 1, 2, 3].map(pair);
  }
  return out;
}

export const M22_METRIC = 'nRMSE of the actual evaporation rate E(t) against the analytic rate (Vanderborght et al. 2005 Eqs 44–47) at each series\' own times in [0, T]; RMSE / (max E_ref − min E_ref)';

registerBenchmark({
  name: 'm2.2',
  description: 'evaporation from sand, loam (0.1 and 0.3 cm/d), clay (Vanderborght et al. 2005 Fig. 5): actual evaporation rate vs the analytic solution',
  async run(): Promise<BenchmarkReport> {
    const others = m22Others();
    const cases: BenchmarkCase[] = [];
    const noGravityCases: BenchmarkCase[] = [];
    const balance: Record<string, number> = {};
    M22_SCENARIOS.forEach((sc, i) => {
      // One run sampled at the reference times and at every shipped series' own times.
      const refTimes = m22ReferenceTimes(sc);
      const all = new Set(refTimes);
      for (const series of Object.values(others)) for (const t of series[i]?.t ?? []) if (t > 0 && t <= sc.duration_d) all.add(t);
      const times = [...all].sort((a, b) => a - b);
      const r = runM22(sc, times);
      if (r.retcode !== ReturnCode.Success) throw new Error(`M2.2 ${sc.name}: solver returned ${r.retcode}`);
      const at = new Map(times.map((t, k) => [t, r.evaporation_cm_per_d[k]]));
      const sample = (ts: readonly number[]) => ts.filter((t) => at.has(t));
      balance[`water balance relative error, ${sc.name}`] = r.balanceRelativeError;
      const o: Record<string, number | null> = {};
      const details: Record<string, number | null> = { steps: r.steps };
      for (const [name, series] of Object.entries(others)) {
        const s = series[i];
        o[name] = s ? m22Error(sc, s.t, s.e) : null;
        if (s && !name.includes('coarse')) {
          const ts = sample(s.t);
          details[`rhizocarb at ${name}'s times`] = m22Error(sc, ts, ts.map((t) => at.get(t)!));
        }
      }
      const tr = sample(refTimes);
      const label = `${sc.name} (E_p = ${sc.potentialEvaporation_cm_per_d} cm/d, ${sc.duration_d} d)`;
      cases.push({ name: label, error: m22Error(sc, tr, tr.map((t) => at.get(t)!)) ?? Number.NaN, others: o, details });
      // The analytic solution neglects gravity: the same run without it checks the solver against it directly.
      const ng = runM22(sc, refTimes, undefined, false);
      if (ng.retcode !== ReturnCode.Success) throw new Error(`M2.2 ${sc.name} (no gravity): solver returned ${ng.retcode}`);
      balance[`water balance relative error, ${sc.name}, no gravity`] = ng.balanceRelativeError;
      noGravityCases.push({ name: `${label}, gravity neglected as in the analytic solution`, error: m22Error(sc, ng.t_d, ng.evaporation_cm_per_d) ?? Number.NaN, others: o, details: { steps: ng.steps } });
    });
    cases.push(...noGravityCases);
    return {
      benchmark: 'm2.2',
      metric: M22_METRIC,
      cases,
      balance,
      notes: [
        'Reference: the analytic rate of Vanderborght et al. (2005) (desorptivity approximation, Eqs 39–43), recomputed from the notebook formulas. It neglects gravity, while the benchmark problem (Richards equation with gravity, no flux at 100 cm) does not: with gravity the sand rate after 1 d is 12 % below the analytic one (capillary rise against gravity at K(−40 cm) ≈ 1.6e−3 cm/d), loam and clay are affected less. The first rows solve the problem as stated; the "gravity neglected" rows solve it under the analytic solution\'s own assumption, which isolates the numerical error. The shipped results (same in both row groups) follow the no-gravity curve closely.',
        'Shipped results: row pairs 4–7 (finer grids) are listed under the simulator\'s name, pairs 0–3 as "(coarse grid)".',
        `rhizocarb: surface-refined grid (Δz ${M22_GRID.top_cm} cm at the surface growing ×${M22_GRID.growth} to ${M22_GRID.max_cm} cm), flux ↔ head switching inside the Newton iteration. Its error is taken at the reference table's times (every ${M22_REFERENCE_STEP_D} d); the metric depends on where a series is sampled (coarse samplings skip the steep start of the falling-rate stage), so the details also give rhizocarb's error at each shipped simulator's own times.`,
      ],
    };
  },
});
