import { describe, expect, it } from 'vitest';
import { Curve, nrmse, readCsvColumns } from '../../src/benchmarks/common.js';
import { m21Reference, m21ShapeError, runM21 } from '../../src/benchmarks/m2-1.js';
import { M22_SCENARIOS, m22Analytic, m22Error, m22Others, runM22, m22ReferenceTimes } from '../../src/benchmarks/m2-2.js';
import { ReturnCode } from '../../src/numerics/index.js';
import { c11ProfileError, runC11, steadyRateOnset } from '../../src/benchmarks/c1-1.js';
import { SOILS } from '../../src/soil/index.js';

describe('benchmark helpers', () => {
  it('nRMSE = RMSE / range of the reference; Curve interpolates linearly and averages repeated abscissae', () => {
    expect(nrmse([0, 1, 2, 3], [0, 1, 2, 5])).toBeCloseTo(1 / 3, 14); // sqrt(4/4)/3
    const c = new Curve([2, 0, 1, 1], [4, 0, 1, 3]);
    expect(Array.from(c.x)).toEqual([0, 1, 2]);
    expect(c.at(1)).toBe(2);
    expect(c.at(1.5)).toBe(3);
    expect(Number.isNaN(c.at(3))).toBe(true);
  });
});

describe('M2.2 evaporation (Vanderborght et al. 2005)', () => {
  it('the closed-form analytic rate from t_pot and S_w reproduces the shipped 1001-point reference table within 5e-6 cm/d (both files carry 6 significant digits)', () => {
    const tab = readCsvColumns('M2.2/analytic_reference_recomputed.csv');
    const cols = ['sand_evap_cm_per_d', 'loam1_evap_cm_per_d', 'loam2_evap_cm_per_d', 'clay_evap_cm_per_d'];
    let worst = 0;
    M22_SCENARIOS.forEach((sc, j) => {
      const f = m22Analytic(sc);
      tab.time_d.forEach((t, k) => {
        worst = Math.max(worst, Math.abs(f(Number(t)) - Number(tab[cols[j]][k])));
      });
    });
    console.log(`analytic evaporation: max deviation from the shipped table ${worst.toExponential(2)} cm/d`);
    expect(worst).toBeLessThan(5e-6);
  });

  it('loam, E_p = 0.3 cm/d, gravity neglected as in the analytic solution: nRMSE < 0.03 (DuMux 0.023), water balance < 1e-9', () => {
    const sc = M22_SCENARIOS[2];
    const r = runM22(sc, m22ReferenceTimes(sc), undefined, false);
    expect(r.retcode).toBe(ReturnCode.Success);
    const e = m22Error(sc, r.t_d, r.evaporation_cm_per_d)!;
    const d = m22Others().Dumux[2]!;
    console.log(`M2.2 loam2 (no gravity): rhizocarb nRMSE ${e.toExponential(3)}, DuMux ${m22Error(sc, d.t, d.e)!.toExponential(3)}; balance ${r.balanceRelativeError.toExponential(2)}; ${r.steps} steps`);
    expect(e).toBeLessThan(0.03);
    expect(r.balanceRelativeError).toBeLessThan(1e-9);
  });
});

describe('M2.1 infiltration (Vanderborght et al. 2005)', () => {
  it('loam at 0.2 d: the shape error of the front halves with the grid (400 → 800 cells) and is below DuMux\'s (4.7e-2) at 800', () => {
    const ref = m21Reference().get('loam@0.2')!;
    const e: number[] = [];
    for (const cells of [400, 800]) {
      const r = runM21('loam', { cells, maxDeltaTheta: 0.01, kRegularizationHead_cm: 0 }, [0.2]);
      expect(r.retcode).toBe(ReturnCode.Success);
      expect(r.balanceRelativeError).toBeLessThan(1e-10);
      e.push(m21ShapeError(ref, r.profiles[0]).error!);
    }
    console.log(`M2.1 loam 0.2 d shape error: ${e.map((x) => x.toExponential(2)).join(' → ')} (ratio ${(e[0] / e[1]).toFixed(2)})`);
    expect(e[0] / e[1]).toBeGreaterThan(1.6);
    expect(e[1]).toBeLessThan(0.047);
  });
});

describe('C1.1 single root (Schnepf et al. 2020)', () => {
  it('steady-rate solution: at the shipped scan\'s outer heads it reproduces the shipped onset times within 0.01 d and profiles within 0.5 % of the head range; the exact onset lies at most one scan step (≤ 0.31 d) earlier', () => {
    const times = readCsvColumns('C1.1/analytic_stress_onset_times_recomputed.csv');
    const prof = readCsvColumns('C1.1/analytic_stress_onset_profiles_recomputed.csv');
    let worstT = 0;
    let worstH = 0;
    let worstExact = 0;
    times.soil.forEach((s, i) => {
      const soil = SOILS[s as 'sand' | 'loam' | 'clay'];
      const q = Number(times.q_root_cm_per_d[i]);
      const atScan = steadyRateOnset(soil, q, Number(times.h_out_at_onset_cm[i]));
      worstT = Math.max(worstT, Math.abs(atScan.onset_d - Number(times.t_stress_onset_d_pi[i])));
      prof.soil.forEach((ps, k) => {
        if (ps !== s || Number(prof.q_root_cm_per_d[k]) !== q) return;
        worstH = Math.max(worstH, Math.abs(atScan.head(Number(prof.r_cm[k])) - Number(prof.h_cm[k])) / (15000 + Number(times.h_out_at_onset_cm[i])));
      });
      const exact = steadyRateOnset(soil, q);
      const d = Number(times.t_stress_onset_d_pi[i]) - exact.onset_d;
      expect(d).toBeGreaterThan(-1e-3);
      worstExact = Math.max(worstExact, d);
    });
    console.log(`C1.1 analytic: onset at the scan's h_out max |Δt| ${worstT.toExponential(2)} d, profile ${worstH.toExponential(2)} of the range; exact onset earlier by ≤ ${worstExact.toFixed(3)} d`);
    expect(worstT).toBeLessThan(0.01);
    expect(worstH).toBeLessThan(5e-3);
    expect(worstExact).toBeLessThan(0.31);
  });

  it('clay, q = 0.1 cm/d: rhizocarb\'s onset is within 0.01 d of the steady-rate time and its profile nRMSE < 5e-3 (best shipped simulator 2.7e-2)', () => {
    const ref = steadyRateOnset(SOILS.clay, 0.1);
    const run = runC11(SOILS.clay, 0.1);
    expect(run.retcode).toBe(ReturnCode.Success);
    const e = c11ProfileError(ref, run.r_cm, run.h_cm)!;
    console.log(`C1.1 clay 0.1: onset ${run.onset_d.toFixed(4)} d (analytic ${ref.onset_d.toFixed(4)} d), profile nRMSE ${e.toExponential(2)}, balance ${run.balanceRelativeError.toExponential(2)}`);
    expect(Math.abs(run.onset_d - ref.onset_d)).toBeLessThan(0.01);
    expect(e).toBeLessThan(5e-3);
    expect(run.balanceRelativeError).toBeLessThan(1e-8);
  });
});

describe('benchmark command', () => {
  it('registers m2.1, m2.2, c1.1 and m2.1-3d; c1.1 reports JSON cases with an error for rhizocarb and every shipped simulator', async () => {
    const { benchmarkRegistry } = await import('../../src/benchmarks/index.js');
    const reg = benchmarkRegistry();
    for (const name of ['m2.1', 'm2.2', 'c1.1', 'm2.1-3d']) expect(reg.has(name)).toBe(true);
    const report = JSON.parse(JSON.stringify(await reg.get('c1.1')!.run()));
    expect(report.cases).toHaveLength(12);
    for (const c of report.cases) {
      expect(Number.isFinite(c.error)).toBe(true);
      expect(Object.keys(c.others)).toEqual(['CPlantBox-DuMux', 'DuMux_CYL', 'OpenSimRoot', 'RSWMS']);
    }
    const worstBalance = Math.max(...(Object.values(report.balance) as number[]));
    console.log(`c1.1 via the registry: ${report.cases.length} cases, worst water balance ${worstBalance.toExponential(2)}`);
    expect(worstBalance).toBeLessThan(1e-8);
  });
});
