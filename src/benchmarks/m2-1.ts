import { ReturnCode } from '../numerics/ode/types.js';
import { Richards1D, SOILS, uniformPlanarGrid, type Grid1D, type VanGenuchtenMualem } from '../soil/index.js';
import { Curve, nrmse, readCsvColumns, readResultRows } from './common.js';
import { registerBenchmark, type BenchmarkCase, type BenchmarkReport } from './registry.js';

/**
 * Benchmark M2.1 (Schnepf et al. 2020; Vanderborght et al. 2005, Fig. 4): infiltration into a
 * 200 cm profile at h = −400 cm, 100 cm d⁻¹ at the surface while it is unsaturated and h = 0
 * once it ponds, free drainage at the bottom; θ profiles of sand, loam and clay at three times.
 */
export const M21_SOILS = ['sand', 'loam', 'clay'] as const;
export type M21Soil = (typeof M21_SOILS)[number];

/** Output times per soil, d (the notebooks' `tv`). */
export const M21_TIMES_D: Record<M21Soil, readonly number[]> = { sand: [0.1, 0.2, 0.3], loam: [0.2, 0.5, 1.0], clay: [0.1, 0.2, 0.5] };
export const M21_DEPTH_CM = 200;
export const M21_INITIAL_HEAD_CM = -400;
export const M21_INFLUX_CM_PER_D = 100;
/** Simulators whose results ship with the benchmark (data/benchmarks/M2.1/numerical_results). */
export const M21_SIMULATORS = ['Dumux', 'OpenSimRoot', 'RSWMS', 'SRI'] as const;

export interface M21Settings {
  /** Cells of the uniform vertical grid. */
  cells: number;
  /** Largest θ change per step. */
  maxDeltaTheta: number;
  /** K regularisation head near saturation, cm (0 = exact van Genuchten–Mualem K). */
  kRegularizationHead_cm: number;
}

/**
 * rhizocarb's settings per soil: Δz = 0.125 cm, 0.0625 cm for clay (the shape error halves per
 * grid doubling; at these grids it is below every shipped simulator's), Δθ ≤ 0.01 per step (0.005
 * changes the errors by < 3 %). Sand and loam use the exact K; the clay (n = 1.1) cannot be solved on h without
 * regularising K within 1 cm of saturation (see Richards1DProblem.kRegularizationHead_cm).
 */
export const M21_SETTINGS: Record<M21Soil, M21Settings> = {
  sand: { cells: 1600, maxDeltaTheta: 0.01, kRegularizationHead_cm: 0 },
  loam: { cells: 1600, maxDeltaTheta: 0.01, kRegularizationHead_cm: 0 },
  clay: { cells: 3200, maxDeltaTheta: 0.01, kRegularizationHead_cm: -1 },
};

export function m21Grid(cells: number, area_cm2 = 1): Grid1D {
  return uniformPlanarGrid(-M21_DEPTH_CM, 0, cells, area_cm2);
}

/** The M2.1 boundary conditions and initial state for one soil (shared by the 1D and 3D runs). */
export function m21Conditions(soil: M21Soil): {
  soil: VanGenuchtenMualem;
  upper: { kind: 'fluxLimitedByHead'; flux_cm_per_d: number; limitHead_cm: number };
  lower: { kind: 'freeDrainage' };
  initialHead_cm: number;
} {
  return {
    soil: SOILS[soil],
    upper: { kind: 'fluxLimitedByHead', flux_cm_per_d: M21_INFLUX_CM_PER_D, limitHead_cm: 0 },
    lower: { kind: 'freeDrainage' },
    initialHead_cm: M21_INITIAL_HEAD_CM,
  };
}

/** Analytic θ(z) of the travelling-wave solution (recomputed, data/benchmarks/M2.1), per soil and time. */
export function m21Reference(): Map<string, { z_cm: Float64Array; theta: Float64Array }> {
  const c = readCsvColumns('M2.1/analytic_reference_recomputed.csv');
  const out = new Map<string, { z: number[]; th: number[] }>();
  for (let i = 0; i < c.soil.length; i++) {
    const key = `${c.soil[i]}@${Number(c.time_d[i])}`;
    if (!out.has(key)) out.set(key, { z: [], th: [] });
    out.get(key)!.z.push(Number(c.depth_cm[i]));
    out.get(key)!.th.push(Number(c.theta[i]));
  }
  return new Map([...out].map(([k, v]) => [k, { z_cm: Float64Array.from(v.z), theta: Float64Array.from(v.th) }]));
}

/** The benchmark metric: nRMSE of a simulated θ(z) profile, interpolated at the analytic depths. */
export function m21Error(ref: { z_cm: Float64Array; theta: Float64Array }, profile: Curve): number | null {
  const sim = Array.from(ref.z_cm, (z) => profile.at(z));
  return nrmse(ref.theta, sim);
}

/**
 * Shape error: the metric after shifting the simulated profile vertically by the δ (cm) that
 * minimises it (coarse scan over ±20 cm, then golden-section refinement). Separates the shape of
 * the front from its position, which the reference fixes by hand (x_a of the notebook).
 */
export function m21ShapeError(ref: { z_cm: Float64Array; theta: Float64Array }, profile: Curve): { error: number | null; shift_cm: number } {
  const f = (d: number): number => m21Error(ref, new ShiftedCurve(profile, d) as unknown as Curve) ?? Number.POSITIVE_INFINITY;
  let best = 0;
  let fBest = f(0);
  for (let d = -20; d <= 20; d += 0.1) {
    const v = f(d);
    if (v < fBest) [best, fBest] = [d, v];
  }
  let a = best - 0.1;
  let b = best + 0.1;
  const gr = (Math.sqrt(5) - 1) / 2;
  for (let k = 0; k < 40; k++) {
    const c = b - gr * (b - a);
    const d = a + gr * (b - a);
    if (f(c) < f(d)) b = d;
    else a = c;
  }
  const shift = 0.5 * (a + b);
  const e = f(shift);
  return { error: Number.isFinite(e) ? e : null, shift_cm: shift };
}

/** A profile moved up by δ cm: value at z is the original value at z − δ. */
class ShiftedCurve {
  constructor(private readonly base: Curve, private readonly d: number) {}
  at(z: number): number {
    return this.base.at(z - this.d);
  }
}

/** Profiles of the shipped simulators: [simulator][soil index · 3 + time index] (null when unusable). */
export function m21OtherProfiles(): Record<string, (Curve | null)[]> {
  const out: Record<string, (Curve | null)[]> = {};
  for (const sim of M21_SIMULATORS) {
    const rows = readResultRows(`M2.1/numerical_results/${sim}.txt`);
    out[sim] = Array.from({ length: 9 }, (_, k) => {
      const z = rows[2 * k];
      const th = rows[2 * k + 1];
      // Rows with fewer than 3 values (RSWMS clay) carry no profile.
      return z && th && Math.min(z.length, th.length) >= 3 ? new Curve(z, th) : null;
    });
  }
  return out;
}

export interface M21Run {
  retcode: ReturnCode;
  /** θ profile (z_cm → θ) at each output time. */
  profiles: Curve[];
  balanceRelativeError: number;
  steps: number;
  newtonIterations: number;
  ponded: boolean;
}

/** Run rhizocarb's 1D solver for one soil. */
export function runM21(soil: M21Soil, s: M21Settings = M21_SETTINGS[soil], times_d: readonly number[] = M21_TIMES_D[soil]): M21Run {
  const grid = m21Grid(s.cells);
  const c = m21Conditions(soil);
  const solver = new Richards1D(
    { grid, soils: [c.soil], upper: c.upper, lower: c.lower, initialHead_cm: c.initialHead_cm, kRegularizationHead_cm: s.kRegularizationHead_cm },
    { maxDeltaTheta: s.maxDeltaTheta, dtInitial_d: 1e-6 },
  );
  const profiles: Curve[] = [];
  let retcode = ReturnCode.Success;
  let ponded = false;
  for (const t of times_d) {
    retcode = solver.advanceTo(t);
    if (retcode !== ReturnCode.Success) break;
    ponded ||= solver.upperLimited;
    profiles.push(profileCurve(grid, solver.theta));
  }
  return { retcode, profiles, balanceRelativeError: solver.balance().relativeError, steps: solver.stats.accepted, newtonIterations: solver.stats.newtonIterations, ponded };
}

/** θ(z) through the cell centres, extended to the surface and bottom faces with the edge cells' values. */
export function profileCurve(grid: Grid1D, theta: ArrayLike<number>): Curve {
  const n = grid.n;
  const z = [grid.faces[0], ...grid.centers, grid.faces[n]];
  const th = [theta[0], ...Array.from({ length: n }, (_, i) => theta[i]), theta[n - 1]];
  return new Curve(z, th);
}

/** Assemble the report rows: rhizocarb's error and every shipped simulator's, per soil and time. */
export function m21Cases(profiles: Record<M21Soil, Curve[]>, extraDetails?: (soil: M21Soil, j: number) => Record<string, number | string | null>): BenchmarkCase[] {
  const ref = m21Reference();
  const others = m21OtherProfiles();
  const cases: BenchmarkCase[] = [];
  const shapeCases: BenchmarkCase[] = [];
  M21_SOILS.forEach((soil, si) => {
    M21_TIMES_D[soil].forEach((t, j) => {
      const r = ref.get(`${soil}@${t}`);
      if (!r) throw new Error(`M2.1 reference for ${soil} at ${t} d missing from the shipped data`);
      const p = profiles[soil][j];
      const o: Record<string, number | null> = {};
      const oShape: Record<string, number | null> = {};
      for (const sim of M21_SIMULATORS) {
        const c = others[sim][3 * si + j];
        o[sim] = c ? m21Error(r, c) : null;
        oShape[sim] = c ? m21ShapeError(r, c).error : null;
      }
      const shape = p ? m21ShapeError(r, p) : { error: null, shift_cm: Number.NaN };
      cases.push({ name: `${soil} t=${t} d`, error: p ? (m21Error(r, p) ?? Number.NaN) : Number.NaN, others: o, details: { ...extraDetails?.(soil, j), frontShift_cm: shape.shift_cm } });
      shapeCases.push({ name: `${soil} t=${t} d, shape (best shift)`, error: shape.error ?? Number.NaN, others: oShape, details: { frontShift_cm: shape.shift_cm } });
    });
  });
  return [...cases, ...shapeCases];
}

export const M21_METRIC = 'nRMSE of θ(z) against the analytic travelling-wave profile (simulated θ interpolated at the 400 analytic depths; RMSE / (max θ_ref − min θ_ref))';

export const M21_NOTES = [
  'The travelling wave fixes the front shape, not its position: the notebook places it by hand (midpoint θ at 43, 41, 27.5 cm depth at 0.1, 0.2, 0.1 d for sand, loam, clay, read off Vanderborght et al. Fig. 4). The "shape (best shift)" rows repeat the metric after moving each simulated profile by the depth shift that minimises it (rhizocarb\'s shift in frontShift_cm), so front shape and front position can be judged separately.',
  'Reference: travelling-wave solution of Vanderborght et al. (2005) recomputed from the notebook formulas (400 θ points per curve); it describes the wetting front only (θ_i + 1e−3 … θ_sur − 1e−3) and is itself an approximation of the Richards solution.',
  'The comparison notebook labels the third clay time 0.3 d although the solution is evaluated at 0.5 d; rhizocarb uses 0.5 d.',
  'RSWMS ships no usable clay profile (2 values per row): its clay errors are missing. SRI row 11 has one value fewer than row 12: pairs are truncated to the shorter row.',
];

registerBenchmark({
  name: 'm2.1',
  description: 'infiltration into sand, loam, clay (Vanderborght et al. 2005 Fig. 4): θ profiles vs the analytic front, 1D',
  async run(): Promise<BenchmarkReport> {
    const profiles = {} as Record<M21Soil, Curve[]>;
    const balance: Record<string, number> = {};
    const runs = {} as Record<M21Soil, M21Run>;
    for (const soil of M21_SOILS) {
      const r = runM21(soil);
      if (r.retcode !== ReturnCode.Success) throw new Error(`M2.1 ${soil}: solver returned ${r.retcode}`);
      runs[soil] = r;
      profiles[soil] = r.profiles;
      balance[`water balance relative error, ${soil}`] = r.balanceRelativeError;
    }
    const cases = m21Cases(profiles, (soil) => ({ steps: runs[soil].steps, newtonIterations: runs[soil].newtonIterations }));
    return {
      benchmark: 'm2.1',
      metric: M21_METRIC,
      cases,
      balance,
      notes: [
        ...M21_NOTES,
        `rhizocarb: mixed-form implicit Euler + Newton, ${M21_SETTINGS.loam.cells} cells (Δz = ${M21_DEPTH_CM / M21_SETTINGS.loam.cells} cm; clay ${M21_SETTINGS.clay.cells}), arithmetic face K, Δθ ≤ ${M21_SETTINGS.loam.maxDeltaTheta} per step; exact K for sand and loam; clay K linear for ${M21_SETTINGS.clay.kRegularizationHead_cm} < h < 0 cm.`,
        'Clay (n = 1.1): K falls by ~19 % within 1e−10 cm of saturation, so every h-based scheme regularises it in some way; rhizocarb\'s clay front position depends on that choice (front shift −2.5 cm with K linear over −1 < h < 0 cm, −3.2 cm over −0.1 cm, −3.5 cm over −0.03 cm, 800 cells) while the front shape does not: judge clay by the shape rows.',
        'Grid convergence (loam, t = 0.2 d, exact K): shape error 6.5e−2, 3.8e−2, 2.0e−2 at 400, 800, 1600 cells; the front shift converges to ≈ −0.95 cm (−0.74, −0.85, −0.91): the converged solution lies ~1 cm above the hand-placed reference front, so the unshifted error grows as the grid is refined (0.25, 0.29, 0.31).',
      ],
    };
  },
});
