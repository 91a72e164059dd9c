import { performance } from 'node:perf_hooks';
import { dataPath } from '../src/io/paths.js';
import { readCsvFile } from '../src/io/files.js';
import { integrateRk4Fixed, type OdeProblem } from '../src/numerics/index.js';
import {
  DECAY_CONSTANT_PER_YEAR,
  atmosphereAbsoluteAt,
  cleanHorizons,
  fitEqualAreaSpline,
  layerTableFromCsv,
  loadCurve,
  onePoolAbsolute,
  preBombStartYear,
  runBudget,
  runDepth,
  splineLayerMeans,
  type ProfileWarning,
} from '../src/profile/index.js';
import { timeIt, type BenchSuite } from './harness.js';

/**
 * The closed form as mpspline2 writes it (dense R⁻¹, Z = I + 6nλ·QᵀR⁻¹Q, s̄ = Z⁻¹y, b = 6R⁻¹Q·s̄) by
 * Gauss–Jordan inversion: the baseline for the banded solve in src/profile/spline.ts.
 */
function denseSplineMeans(tops: Float64Array, bottoms: Float64Array, y: Float64Array, lambda: number): Float64Array {
  const n = tops.length;
  const m = n - 1;
  const inv = (A: number[][]): number[][] => {
    const k = A.length;
    const M = A.map((r, i) => [...r, ...Array.from({ length: k }, (_, j) => (i === j ? 1 : 0))]);
    for (let c = 0; c < k; c++) {
      let p = c;
      for (let r = c + 1; r < k; r++) if (Math.abs(M[r][c]) > Math.abs(M[p][c])) p = r;
      [M[c], M[p]] = [M[p], M[c]];
      const d = M[c][c];
      for (let j = 0; j < 2 * k; j++) M[c][j] /= d;
      for (let r = 0; r < k; r++) if (r !== c) {
        const f = M[r][c];
        for (let j = 0; j < 2 * k; j++) M[r][j] -= f * M[c][j];
      }
    }
    return M.map((r) => r.slice(k));
  };
  const h = (i: number) => bottoms[i] - tops[i];
  const R = Array.from({ length: m }, (_, i) => Array.from({ length: m }, (_, j) => (i === j ? 2 * (h(i) + h(i + 1)) + 6 * (tops[i + 1] - bottoms[i]) : Math.abs(i - j) === 1 ? h(Math.max(i, j)) : 0)));
  const Ri = inv(R);
  // QᵀR⁻¹Q with Q[i][i] = −1, Q[i][i+1] = 1.
  const RQ = Array.from({ length: m }, (_, i) => Array.from({ length: n }, (_, j) => (j < m ? -Ri[i][j] : 0) + (j >= 1 ? Ri[i][j - 1] : 0)));
  const Z = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : 0) + 6 * n * lambda * ((i < m ? -RQ[i][j] : 0) + (i >= 1 ? RQ[i - 1][j] : 0))));
  const Zi = inv(Z);
  return Float64Array.from(Zi.map((r) => r.reduce((s, v, j) => s + v * y[j], 0)));
}

export const profileSuite: BenchSuite = {
  name: 'profile',
  async run() {
    // 1. depth + ages over the ISRaD subset (4,755 layers).
    const t = readCsvFile(dataPath('israd/ISRaD_vonFromm2024_layer14C_subset.csv'));
    const table = layerTableFromCsv(t, []);
    const t0 = performance.now();
    runDepth(table, {}, []); // cold: limb tables of every (zone, year) built
    const cold = (performance.now() - t0) / 1000;
    const warm = timeIt(() => void runDepth(table, {}, []), 2);

    // 2. one-pool forward: exact stepping vs RK4 (8 substeps per curve piece) to 2010.
    const curve = loadCurve('Hua2022', 'NH1');
    let tau = 10;
    const tExact = timeIt(() => {
      tau = tau === 10 ? 11 : 10;
      onePoolAbsolute(curve, tau, 2010);
    });
    const t0c = preBombStartYear(curve);
    const knots = [t0c, ...Array.from(curve.years).filter((y) => y > t0c && y < 2010), 2010];
    const tRk4 = timeIt(() => {
      const k = 1 / tau;
      const p: OdeProblem = { n: 1, rhs: (tt, y, f) => void (f[0] = k * atmosphereAbsoluteAt(curve, tt) - (k + DECAY_CONSTANT_PER_YEAR) * y[0]) };
      const y = new Float64Array([(k / (k + DECAY_CONSTANT_PER_YEAR)) * atmosphereAbsoluteAt(curve, t0c)]);
      for (let i = 0; i + 1 < knots.length; i++) integrateRk4Fixed(p, knots[i], knots[i + 1], y, 8);
    }, 0.5);

    // 3. spline: banded closed form vs the dense form of mpspline2, on the ISRaD profiles' SOC stock.
    const profiles: { tops: Float64Array; bottoms: Float64Array; y: Float64Array }[] = [];
    for (const rows of table.profiles.values()) {
      const ok = rows.filter((i) => Number.isFinite(table.stock_MgC_per_ha[i]) && table.top_cm[i] >= 0 && table.bottom_cm[i] > table.top_cm[i]);
      ok.sort((a, b) => table.top_cm[a] - table.top_cm[b]);
      if (ok.length < 2 || ok.some((i, k) => k > 0 && table.top_cm[i] < table.bottom_cm[ok[k - 1]])) continue;
      profiles.push({ tops: Float64Array.from(ok, (i) => table.top_cm[i]), bottoms: Float64Array.from(ok, (i) => table.bottom_cm[i]), y: Float64Array.from(ok, (i) => table.stock_MgC_per_ha[i] / (table.bottom_cm[i] - table.top_cm[i])) });
    }
    const depths = [0, 20, 40, 60, 80, 100];
    const tBand = timeIt(() => {
      for (const p of profiles) splineLayerMeans(fitEqualAreaSpline(p.tops, p.bottoms, p.y, 0.1), depths);
    }, 0.5);
    const tDense = timeIt(() => {
      for (const p of profiles) denseSplineMeans(p.tops, p.bottoms, p.y, 0.1);
    }, 0.5);
    // 3b. the whole per-profile spline path of `spline`/`depth`: input checks (cleanHorizons), fit, layer means.
    const raws = [...table.profiles].map(([id, rows]) => ({ profile: id, tops: rows.map((i) => table.top_cm[i]), bottoms: rows.map((i) => table.bottom_cm[i]), values: rows.map((i) => table.stock_MgC_per_ha[i] / (table.bottom_cm[i] - table.top_cm[i])), labels: rows.map((i) => table.label[i]) }));
    let cleanProfiles = 0;
    const tPath = timeIt(() => {
      cleanProfiles = 0;
      for (const raw of raws) {
        const c = cleanHorizons(raw, []);
        if (c.rejected || c.tops.length < 2) continue;
        splineLayerMeans(fitEqualAreaSpline(c.tops, c.bottoms, c.values, 0.1), depths);
        cleanProfiles++;
      }
    }, 0.5);
    let maxDiff = 0;
    for (const p of profiles.slice(0, 50)) {
      const a = fitEqualAreaSpline(p.tops, p.bottoms, p.y, 0.1).fittedMeans;
      const b = denseSplineMeans(p.tops, p.bottoms, p.y, 0.1);
      for (let i = 0; i < a.length; i++) maxDiff = Math.max(maxDiff, Math.abs(a[i] - b[i]) / Math.max(1e-12, Math.abs(b[i])));
    }

    // 4. budget Monte Carlo on the example sites (3 sites, 27 layers).
    const w: ProfileWarning[] = [];
    const sites = layerTableFromCsv(readCsvFile('examples/profile/sites.csv'), w);
    const tBudget = timeIt(() => void runBudget(sites, { draws: 500 }, []), 1);

    return [
      { name: 'depth + ages, ISRaD subset (4,755 layers), warm', value: table.n / warm, unit: 'layers/s', ratio: cold / warm, baseline: 'faster than the cold first run', note: `${(warm * 1e3).toFixed(0)} ms warm, ${(cold * 1e3).toFixed(0)} ms cold` },
      { name: 'depth + ages, ISRaD subset, cold (limb tables built)', value: table.n / cold, unit: 'layers/s' },
      { name: 'one-pool forward to 2010, exact piecewise-linear', value: 1 / tExact, unit: 'runs/s', ratio: tRk4 / tExact, baseline: 'RK4 with 8 substeps per curve piece', note: `${(tExact * 1e6).toFixed(1)} µs per run` },
      { name: 'equal-area spline, banded (2n−1, bw 2), ISRaD stocks', value: profiles.length / tBand, unit: 'profiles/s', ratio: tDense / tBand, baseline: 'dense closed form as mpspline2', note: `${profiles.length} profiles; fitted means agree to ${maxDiff.toExponential(1)} relative` },
      { name: 'spline path (checks + fit + layer means), ISRaD profiles', value: raws.length / tPath, unit: 'profiles/s', note: `${raws.length} profiles (${cleanProfiles} splined), ${((tPath / raws.length) * 1e6).toFixed(1)} µs per profile` },
      { name: 'budget with 500 Monte Carlo draws, example sites', value: (3 * 500) / tBudget, unit: 'site-draws/s', note: `${(tBudget * 1e3).toFixed(0)} ms for 3 sites` },
    ];
  },
};
