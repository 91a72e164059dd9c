import { dataPath } from '../io/paths.js';
import { SegmentNetwork } from '../plant/segments.js';
import { XylemSolver, headAlongSegment } from '../plant/xylem.js';
import { registerBenchmark, type BenchmarkReport } from './registry.js';
import { readSimulatorProfiles } from './two-row-results.js';
import { readCsvColumns } from './common.js';

/**
 * Benchmark M3.1 (Schnepf et al. 2020, Front. Plant Sci. 11:316): xylem flow in a single vertical
 * root of 50 cm in static soil. Parameters from the benchmark notebook (data/benchmarks/M3.1…/PROVENANCE.md).
 */
export const M31 = {
  length_cm: 50,
  radius_cm: 0.2,
  kx_cm3_per_d: 0.0432,
  kr_per_d: 1.73e-4,
  psiSoil_cm: -200,
  psiCollar_cm: -1000,
} as const;

/**
 * Analytic solution (Roose & Fowler 2004; benchmark notebook), cm: ψ(z) = ψ_s + d1 e^{√c z} + d2 e^{−√c z},
 * c = 2π a k_r / k_x, ψ(0) = ψ_collar and no flux at the tip z = −L (dψ/dz = −1 with gravity, z up).
 */
export function m31Analytic(z_cm: number): number {
  const { length_cm: L, radius_cm: a, kx_cm3_per_d: kx, kr_per_d: kr, psiSoil_cm: ps, psiCollar_cm: p0 } = M31;
  const s = Math.sqrt((2 * Math.PI * a * kr) / kx);
  // d1 + d2 = p0 − ps;  s d1 e^{−sL} − s d2 e^{sL} = −1.
  const e1 = Math.exp(-s * L);
  const e2 = Math.exp(s * L);
  const d1 = (-1 + s * e2 * (p0 - ps)) / (s * (e1 + e2));
  const d2 = p0 - ps - d1;
  return ps + d1 * Math.exp(s * z_cm) + d2 * Math.exp(-s * z_cm);
}

export interface M31Solution {
  /** Node depths and heads, cm. */
  readonly z_cm: Float64Array;
  readonly psi_cm: Float64Array;
  /** Head at any depth from the exact element solution, cm. */
  headAt(z_cm: number): number;
  readonly waterBalanceRelativeError: number;
  readonly collarInflow_cm3_per_d: number;
}

/** Solve M3.1 with rhizocarb's xylem solver on a root cut at the given node depths (0 > z₁ > … > −L). */
export function solveM31(nodeDepths_cm: readonly number[]): M31Solution {
  const z = [0, ...nodeDepths_cm];
  const n = z.length;
  const zeros = new Array<number>(n).fill(0);
  const parent = Array.from({ length: n }, (_, k) => k - 1);
  const net = SegmentNetwork.fromArrays(zeros, zeros, z, parent, new Array<number>(n - 1).fill(M31.radius_cm));
  const g = 2 * Math.PI * M31.radius_cm * M31.kr_per_d;
  const kx = new Float64Array(n - 1).fill(M31.kx_cm3_per_d);
  const gArr = new Float64Array(n - 1).fill(g);
  const psiO = new Float64Array(n - 1).fill(M31.psiSoil_cm);
  const psi = new Float64Array(n).fill(M31.psiSoil_cm);
  const out = new Float64Array(n - 1);
  const res = new XylemSolver().solve(net, { kx_cm3_per_d: kx, gUptake_cm_per_d: gArr, gRelease_cm_per_d: gArr, psiOuter_cm: psiO }, null, psi, out, {
    collarHead_cm: M31.psiCollar_cm,
    flowTolerance_cm3_per_d: 1e-13,
  });
  const zArr = Float64Array.from(z);
  return {
    z_cm: zArr,
    psi_cm: psi,
    waterBalanceRelativeError: res.waterBalanceRelativeError,
    collarInflow_cm3_per_d: res.collarInflow_cm3_per_d,
    headAt(zq: number): number {
      for (let k = 1; k < n; k++) {
        if (zq <= zArr[k - 1] && zq >= zArr[k]) {
          return headAlongSegment(psi[k - 1], psi[k], M31.psiSoil_cm, M31.kx_cm3_per_d, g, zArr[k - 1] - zArr[k], zArr[k - 1] - zq);
        }
      }
      return NaN;
    },
  };
}

function rmse(errors: readonly number[]): number {
  return Math.sqrt(errors.reduce((s, e) => s + e * e, 0) / errors.length);
}

/** The benchmark report: RMSE (cm) of each simulator's heads against the analytic solution at its own points. */
export function m31Report(segments = 50): BenchmarkReport {
  const dir = dataPath('benchmarks/M3.1_single_root_xylem');
  const refCols = Object.values(readCsvColumns('M3.1_single_root_xylem/analytic_reference_recomputed.csv')) as number[][];
  const ref = refCols[0].map((_, i) => refCols.map((c) => c[i]));
  const depths = Array.from({ length: segments }, (_, i) => (-M31.length_cm * (i + 1)) / segments);
  const sol = solveM31(depths);
  // rhizocarb against the closed form at the reference depths (the CSV prints 6 decimals only).
  const errs = ref.map(([z]) => sol.headAt(z) - m31Analytic(z));
  const closedForm = ref.map(([z, p]) => m31Analytic(z) - p);
  const others: Record<string, number | null> = {};
  for (const [name, prof] of readSimulatorProfiles(`${dir}/numerical_results`)) {
    const e: number[] = [];
    for (let i = 0; i < prof.z_cm.length; i++) if (prof.z_cm[i] <= 0 && prof.z_cm[i] >= -M31.length_cm) e.push(prof.psi_cm[i] - m31Analytic(prof.z_cm[i]));
    others[name] = e.length ? rmse(e) : null;
  }
  return {
    benchmark: 'M3.1',
    metric: 'RMSE of xylem pressure head against the analytic solution at each simulator\'s own points, cm',
    cases: [
      {
        name: 'single root 50 cm, static soil',
        error: rmse(errs),
        others,
        details: {
          maxAbsError_cm: Math.max(...errs.map(Math.abs)),
          segments,
          tipHead_cm: sol.psi_cm[sol.psi_cm.length - 1],
          analyticTipHead_cm: m31Analytic(-M31.length_cm),
          closedFormVsRecomputedCsvMaxAbs_cm: Math.max(...closedForm.map(Math.abs)),
          collarInflow_cm3_per_d: sol.collarInflow_cm3_per_d,
        },
      },
    ],
    notes: [
      'rhizocarb solves each segment exactly (Meunier et al. 2017 hybrid analytical solution), so the error is round-off for any segmentation.',
      'Other simulators: files of the benchmark repository (RSA-benchmarks/collaborative-comparison @ b1654ad2); RSWMS NaN columns dropped, SRI depths negated.',
    ],
    balance: { waterRelativeError: sol.waterBalanceRelativeError },
  };
}

registerBenchmark({
  name: 'm3.1',
  description: 'xylem flow in a single root in static soil against the analytic solution (Schnepf et al. 2020)',
  run: async () => m31Report(),
});
