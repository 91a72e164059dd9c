import { describe, expect, it } from 'vitest';
import { cleanHorizons, fitEqualAreaSpline, integrateClampedQuadratic, splineLayerMeans, splineProfile, splineValueAt } from '../../src/profile/spline.js';
import type { ProfileWarning } from '../../src/profile/warnings.js';

const f64 = (a: number[]): Float64Array => Float64Array.from(a);

describe('equal-area spline (SPLINE.md)', () => {
  it('compatibility mode reproduces the mpspline2 README check values within 5e-7 (they are printed to 6 decimals)', () => {
    const warnings: ProfileWarning[] = [];
    const r = splineProfile({ profile: '1', tops: [0, 20, 40, 60], bottoms: [10, 30, 50, 70], values: [6, 4, 3, 10] }, [0, 5, 15, 30, 60, 100, 200], { lambda: 0.1, mode: 'mpspline2' }, warnings);
    const expected = [6.10516, 5.618341, 4.316876, 4.192058, 9.7324];
    const err = Math.max(...expected.map((e, i) => Math.abs(r.means[i] - e)));
    console.log(`mpspline2 check values: ${Array.from(r.means, (v) => v.toFixed(6)).join(', ')}; max |error| ${err.toExponential(2)}`);
    expect(err).toBeLessThan(5e-7);
    expect(Number.isNaN(r.means[5])).toBe(true); // 100–200 cm: below the last horizon, NA
    expect(warnings).toEqual([]);
  });

  it("reproduces mpspline2's own unit-test parameters (s̄₁, b1₁, γ₁, α₁ for 5.4/5.3/5.6/7.0 in 10 cm horizons) within 1e-12", () => {
    const s = fitEqualAreaSpline(f64([0, 10, 20, 30]), f64([10, 20, 30, 40]), f64([5.4, 5.3, 5.6, 7.0]), 0.1);
    const got = [s.fittedMeans[0], s.b1[0], s.gamma[0], s.alpha[0], s.b0[0]];
    const ref = [5.3938765799840498, -0.015308550039877671, -0.00076542750199388358, 5.4193908300505127, 0];
    const err = Math.max(...ref.map((v, i) => Math.abs(got[i] - v)));
    console.log(`mpspline2 test_mpspline.R parameters: max |error| ${err.toExponential(2)}`);
    expect(err).toBeLessThan(1e-12);
  });

  it('is C¹ with zero end slopes, and the exact mean over each horizon equals s̄ to 1e-12 (gaps included)', () => {
    const tops = f64([0, 12, 30, 55]);
    const bottoms = f64([12, 25, 50, 80]);
    const s = fitEqualAreaSpline(tops, bottoms, f64([30, 18, 7, 3]), 0.1);
    let jump = 0;
    for (const x of [12, 25, 30, 50, 55]) jump = Math.max(jump, Math.abs(splineValueAt(s, x - 1e-9) - splineValueAt(s, x)));
    const { means } = splineLayerMeans(s, [0, 12], { vlow: -1e9, vhigh: 1e9 });
    let meanErr = Math.abs(means[0] - s.fittedMeans[0]);
    for (let i = 1; i < 4; i++) meanErr = Math.max(meanErr, Math.abs(splineLayerMeans(s, [tops[i], bottoms[i]], { vlow: -1e9, vhigh: 1e9 }).means[0] - s.fittedMeans[i]));
    console.log(`continuity: max jump ${jump.toExponential(2)}; exact horizon mean vs s̄: ${meanErr.toExponential(2)}`);
    expect(jump).toBeLessThan(1e-7);
    expect(meanErr).toBeLessThan(1e-12);
    expect(s.b0[0]).toBe(0);
    expect(s.b1[3]).toBe(0);
  });

  it('in exact mode the mean over each horizon → the data as λ → 0 (error ∝ λ: slope 1.00 ± 0.05 on log–log)', () => {
    const tops = f64([0, 10, 25, 45, 70]);
    const bottoms = f64([10, 25, 40, 70, 100]);
    const y = f64([12, 9, 5, 2.5, 1.2]);
    const errs: number[] = [];
    const lambdas = [1e-2, 1e-3, 1e-4, 1e-5, 1e-6];
    for (const lam of lambdas) {
      const s = fitEqualAreaSpline(tops, bottoms, y, lam);
      let e = 0;
      for (let i = 0; i < 5; i++) e = Math.max(e, Math.abs(splineLayerMeans(s, [tops[i], bottoms[i]], { mode: 'exact' }).means[0] - y[i]));
      errs.push(e);
    }
    const slope = Math.log10(errs[3] / errs[4]) / Math.log10(lambdas[3] / lambdas[4]);
    console.log(`λ → 0: max |horizon mean − y| = ${errs.map((e) => e.toExponential(2)).join(', ')} for λ = ${lambdas.join(', ')}; slope ${slope.toFixed(3)}`);
    expect(errs[4]).toBeLessThan(1e-5);
    expect(Math.abs(slope - 1)).toBeLessThan(0.05);
  });

  it('the mpspline2 left Riemann sum differs from the exact integral mean by 0.1–2 % on the README profile (SPLINE.md: 0.7–1.8 %)', () => {
    const args = { profile: '1', tops: [0, 20, 40, 60], bottoms: [10, 30, 50, 70], values: [6, 4, 3, 10] };
    const d = [0, 5, 15, 30, 60, 100];
    const compat = splineProfile(args, d, { mode: 'mpspline2' }, []);
    const exact = splineProfile(args, d, { mode: 'exact' }, []);
    const rel = Array.from(exact.means, (e, i) => Math.abs(compat.means[i] - e) / e);
    console.log(`compat vs exact relative differences: ${rel.map((r) => (100 * r).toFixed(2) + ' %').join(', ')}`);
    expect(Math.max(...rel)).toBeLessThan(0.02);
  });

  it('exact clamped integration matches a fine midpoint sum within 1e-9', () => {
    const [c0, c1, c2] = [-1, 3, -0.5];
    const exact = integrateClampedQuadratic(c0, c1, c2, 0, 6, 0, 3);
    let mid = 0;
    const N = 200000;
    for (let k = 0; k < N; k++) {
      const t = ((k + 0.5) * 6) / N;
      mid += Math.min(3, Math.max(0, c0 + c1 * t + c2 * t * t)) * (6 / N);
    }
    console.log(`clamped quadratic: exact ${exact.toFixed(10)} vs midpoint ${mid.toFixed(10)}`);
    expect(Math.abs(exact - mid)).toBeLessThan(1e-9);
  });

  it('reports every repair and drop, and rejects overlapping profiles (as mpspline2 does, but never silently)', () => {
    const w: ProfileWarning[] = [];
    const c = cleanHorizons({ profile: 'P', tops: [NaN, 20, -5, 40, 60, 55], bottoms: [10, 30, 0, 40, NaN, 60], values: [1, 2, 3, 4, 5, NaN] }, w);
    expect(w.map((x) => x.code)).toEqual(['dropped-missing-value', 'repaired-first-top', 'repaired-last-bottom', 'dropped-negative-depth', 'dropped-zero-or-inverted']);
    expect(Array.from(c.tops)).toEqual([0, 20, 60]);
    expect(Array.from(c.bottoms)).toEqual([10, 30, 70]);
    const w2: ProfileWarning[] = [];
    const o = cleanHorizons({ profile: 'Q', tops: [0, 30, 50, 90], bottoms: [30, 60, 100, 120], values: [1, 2, 3, 4] }, w2);
    expect(o.rejected).toBe(true);
    expect(w2[0].code).toBe('rejected-overlap');
    expect(w2[0].message).toMatch(/overlaps/);
  });

  it('a single horizon is copied to the layers it covers, NA elsewhere', () => {
    const w: ProfileWarning[] = [];
    const r = splineProfile({ profile: 'S', tops: [0], bottoms: [10], values: [5.4] }, [0, 5, 15, 30], { mode: 'mpspline2' }, w);
    expect(Array.from(r.means.slice(0, 2))).toEqual([5.4, 5.4]);
    expect(Number.isNaN(r.means[2])).toBe(true);
    expect(w[0].code).toBe('single-horizon');
  });
});
