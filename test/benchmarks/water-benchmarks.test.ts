import { describe, expect, it } from 'vitest';
import { Curve, nrmse, readCsvColumns } from '../../src/benchmarks/common.js';
import { m21Reference, m21ShapeError, runM21 } from '../../src/benchmarks/m2-1.js';
import { M22_SCENARIOS, m22Analytic, m22Error, m22Others, runM22, m22ReferenceTimes } from '../../src/benchmarks/m2-2.js';
import { ReturnCode } from '../../src/numerics/index.js';

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
