import { describe, expect, it } from 'vitest';
import { integrateRk4Fixed, type OdeProblem } from '../../src/numerics/index.js';
import {
  CurveRangeError,
  DECAY_CONSTANT_PER_YEAR,
  absoluteFraction,
  absoluteToDelta14C,
  atmosphereAbsoluteAt,
  conventionalAgeToDelta14C,
  conventionalAgeToFractionModern,
  decayRateFromSteadyState,
  delta14CPermil,
  delta14CToAbsolute,
  delta14CToConventionalAge,
  delta14CToFractionModern,
  fractionModern,
  fractionModernToConventionalAge,
  fractionModernToDelta14C,
  invertOnePool,
  loadCurve,
  onePoolAbsolute,
  onePoolDelta14C,
  preBombStartYear,
  steadyStateAbsolute,
  zoneFromLatitude,
  ZONES,
  type AtmosphericCurve,
} from '../../src/profile/radiocarbon/index.js';

/** Independent reference: classical RK4 on each curve piece with `sub` equal substeps (steps aligned with the curve's kinks). */
function rk4Reference(curve: AtmosphericCurve, turnoverYears: number, year: number, sub: number): number {
  const k = 1 / turnoverYears;
  const t0 = preBombStartYear(curve);
  const problem: OdeProblem = {
    n: 1,
    rhs(t, y, f) {
      f[0] = k * atmosphereAbsoluteAt(curve, Math.min(t, year)) - (k + DECAY_CONSTANT_PER_YEAR) * y[0];
    },
  };
  const y = new Float64Array([(k / (k + DECAY_CONSTANT_PER_YEAR)) * atmosphereAbsoluteAt(curve, t0)]);
  const knots = [t0, ...Array.from(curve.years).filter((t) => t > t0 && t < year), year];
  for (let i = 0; i + 1 < knots.length; i++) integrateRk4Fixed(problem, knots[i], knots[i + 1], y, sub);
  return y[0];
}

describe('radiocarbon unit conversions (Stuiver & Polach 1977)', () => {
  it('Δ14C → F14C → Δ14C, F14C → age → F14C, Δ14C → age → Δ14C and Δ14C → A/Astd → Δ14C round-trip within 1e-12 relative', () => {
    let worst = 0;
    for (const year of [1950, 1963.5, 1997, 2019.375, 2025]) {
      for (const d of [-999, -700, -250, -30, 0, 12.5, 150, 900]) {
        const D = delta14CPermil(d);
        const back1 = fractionModernToDelta14C(delta14CToFractionModern(D, year), year);
        const back2 = conventionalAgeToDelta14C(delta14CToConventionalAge(D, year), year);
        const back3 = absoluteToDelta14C(delta14CToAbsolute(D));
        for (const b of [back1, back2, back3]) worst = Math.max(worst, Math.abs(b - d) / Math.max(1, Math.abs(d)));
      }
    }
    for (const f of [0.001, 0.3, 0.97, 1, 1.2]) {
      const back = conventionalAgeToFractionModern(fractionModernToConventionalAge(fractionModern(f)));
      worst = Math.max(worst, Math.abs(back - f) / f);
    }
    console.log(`unit conversions: worst round-trip relative error ${worst.toExponential(2)}`);
    expect(worst).toBeLessThan(1e-12);
  });

  it('anchor values: F14C = 1 is age 0 and Δ14C = 0 in 1950; F14C = 0.5 is 8033·ln 2 = 5568 yr BP (the Libby half-life)', () => {
    expect(fractionModernToConventionalAge(fractionModern(1))).toBe(-0);
    expect(fractionModernToDelta14C(fractionModern(1), 1950)).toBe(0);
    const halfLife = fractionModernToConventionalAge(fractionModern(0.5));
    console.log(`F14C 0.5 → ${halfLife.toFixed(3)} yr BP (Libby half-life 5568)`);
    expect(Math.abs(halfLife - 5568)).toBeLessThan(0.5); // 8033 is 5568/ln 2 rounded to the year
    expect(absoluteToDelta14C(absoluteFraction(1.1))).toBeCloseTo(100, 12);
  });

  it("Δ14C from F14C reproduces the Hua et al. (2022) and (2013) files' own Δ14C column on every row within 0.1 ‰ (4-decimal F14C rounding ≤ 0.06 ‰)", () => {
    let worst = 0;
    let rows = 0;
    for (const id of ['Hua2022', 'Hua2013'] as const) {
      for (const zone of ZONES) {
        // The F14C column is not loaded into curves; recompute it from Δ (inverse) and compare
        // with the published Δ: a self-consistency check of the conversion against the data.
        const c = loadCurve(id, zone);
        rows += c.years.length;
        for (let i = 0; i < c.years.length; i++) {
          const f = delta14CToFractionModern(delta14CPermil(c.delta14C_permil[i]), c.years[i]);
          const rounded = fractionModern(Math.round(f * 1e4) / 1e4);
          worst = Math.max(worst, Math.abs(fractionModernToDelta14C(rounded, c.years[i]) - c.delta14C_permil[i]));
        }
      }
    }
    console.log(`Hua 2022/2013 (${rows} rows): worst |Δ14C(F14C rounded to 4 dp) − Δ14C| = ${worst.toFixed(4)} ‰`);
    expect(worst).toBeLessThan(0.1);
  });
});

describe('atmospheric curves', () => {
  it('ship five zones of Hua 2022 (939/936 rows, 1941.21–2019.375) and refuse past the end naming the curve and its last year', () => {
    for (const zone of ZONES) {
      const c = loadCurve('Hua2022', zone);
      expect(c.years.length).toBe(zone.startsWith('NH') ? 939 : 936);
      expect(c.endYear).toBe(2019.375);
    }
    const c = loadCurve('Hua2022', 'NH1');
    expect(() => onePoolDelta14C(c, 30, 2021)).toThrow(CurveRangeError);
    expect(() => onePoolDelta14C(c, 30, 2021)).toThrow(/2019\.375.*Hua2022/);
  });

  it('extension rules are named and recorded: forecast reaches 2025, hold-last holds the last value', () => {
    const f = loadCurve('Hua2022', 'NH1', 'forecast');
    expect(f.endYear).toBe(2025);
    expect(f.extendedFromYear).toBe(2019.375);
    expect(f.citation).toMatch(/forecast/);
    expect(atmosphereAbsoluteAt(f, 2025)).toBeCloseTo(1 + -11.4712177819819 / 1000, 12);
    const h = loadCurve('Hua2013', 'NH1', 'hold-last');
    expect(atmosphereAbsoluteAt(h, 2030)).toBe(h.absolute[h.absolute.length - 1]);
    expect(() => onePoolDelta14C(f, 30, 2026)).toThrow(/2025/);
  });

  it('every curve loads for every zone, with the pre-bomb start at 1950.0 or the first point after it', () => {
    for (const id of ['Hua2022', 'Hua2013', 'Graven2017', 'ISRaD-annual'] as const) {
      for (const zone of ZONES) {
        const c = loadCurve(id, zone);
        expect(c.years.length).toBeGreaterThan(50);
        expect(preBombStartYear(c)).toBeGreaterThanOrEqual(1950);
        expect(preBombStartYear(c)).toBeLessThanOrEqual(1950.5);
      }
    }
  });

  it('zones from latitude follow the documented bands', () => {
    expect([60, 45.2, 37.5, 10, -5, -21, -41].map(zoneFromLatitude)).toEqual(['NH1', 'NH1', 'NH2', 'NH3', 'SH3', 'SH12', 'SH12']);
    expect(() => zoneFromLatitude(123)).toThrow(/latitude/);
  });
});

describe('one-pool model (001 Eqs 1–3)', () => {
  const curve = loadCurve('Hua2022', 'NH1');

  it('before 1950 it is the analytic steady state k/(k+γ)·A_atm(1950) (Eq 2) to 1e-15, and Eq 3 returns k', () => {
    const a0 = atmosphereAbsoluteAt(curve, 1950);
    let worst = 0;
    let worstK = 0;
    for (const tau of [0.5, 3, 30, 300, 3000, 30000, 3e5]) {
      const k = 1 / tau;
      const analytic = (k / (k + 1 / 8267)) * a0;
      for (const year of [1900, 1949.99, 1950]) worst = Math.max(worst, Math.abs(onePoolAbsolute(curve, tau, year) - analytic));
      worstK = Math.max(worstK, Math.abs(decayRateFromSteadyState(steadyStateAbsolute(k, a0), a0) - k) / k);
    }
    console.log(`pre-bomb steady state: worst |A − k/(k+γ)·A0| = ${worst.toExponential(2)}; Eq 3 k recovery worst relative ${worstK.toExponential(2)}`);
    expect(worst).toBeLessThan(1e-15);
    expect(worstK).toBeLessThan(1e-9);
  });

  it('under the bomb curve it matches an independent RK4 integration (h ≈ 1/96 yr) within 1e-7 ‰ (RK4 truncation, ∝ (h/τ)⁴), and RK4 converges to it at order 4 ± 0.3', () => {
    let worst = 0;
    for (const zone of ['NH1', 'SH3'] as const) {
      const c = loadCurve('Hua2022', zone);
      for (const tau of [1, 8, 40, 250, 4000]) {
        for (const year of [1963.7, 1985, 2010.5]) {
          const exact = onePoolDelta14C(c, tau, year);
          const ref = (rk4Reference(c, tau, year, 8) - 1) * 1000;
          worst = Math.max(worst, Math.abs(exact - ref));
        }
      }
    }
    // Observed order on a fast pool (τ = 0.05 yr, so the RK4 error stays far above round-off).
    const errs = [4, 8, 16].map((sub) => Math.abs(rk4Reference(curve, 0.05, 1975, sub) - onePoolAbsolute(curve, 0.05, 1975)));
    const order = Math.log2(errs[1] / errs[2]);
    console.log(`one-pool exact vs RK4: worst difference ${worst.toExponential(2)} ‰; RK4 errors ${errs.map((e) => e.toExponential(2)).join(', ')} → observed order ${order.toFixed(2)}`);
    expect(worst).toBeLessThan(1e-7);
    expect(Math.abs(order - 4)).toBeLessThan(0.3);
  });

  it('tracks the atmosphere for τ → 0 and tends to −1000 ‰ for τ → ∞', () => {
    const atm = (atmosphereAbsoluteAt(curve, 2005) - 1) * 1000;
    const fast = onePoolDelta14C(curve, 1e-4, 2005);
    const slow = onePoolDelta14C(curve, 1e9, 2005);
    console.log(`τ = 1e-4 yr: Δ14C ${fast.toFixed(4)} vs atmosphere ${atm.toFixed(4)}; τ = 1e9 yr: ${slow.toFixed(4)} ‰`);
    expect(Math.abs(fast - atm)).toBeLessThan(0.01); // lag k⁻¹·dA/dt ≈ 1e-4 yr × 10 ‰/yr
    expect(slow + 1000).toBeLessThan(0.01);
  });
});

describe('age inversion', () => {
  it('recovers τ from forward output on both branches (fast and slow) within 1e-9 relative, all zones, 1965–2019', () => {
    let worst = 0;
    let cases = 0;
    let fast = 0;
    for (const zone of ZONES) {
      const c = loadCurve('Hua2022', zone);
      for (const year of [1966, 1978.5, 1995, 2010, 2019]) {
        for (const tau of [0.7, 2, 5, 12, 30, 80, 250, 1000, 6000, 40000]) {
          const d = onePoolDelta14C(c, tau, year);
          const inv = invertOnePool(c, delta14CPermil(d), year);
          const hit = inv.roots.reduce((best, r) => (Math.abs(r.turnoverYears - tau) < Math.abs(best.turnoverYears - tau) ? r : best));
          const rel = Math.abs(hit.turnoverYears - tau) / tau;
          worst = Math.max(worst, rel);
          cases++;
          if (hit.branch === 'fast') fast++;
          expect(hit.branch).toBe(tau < inv.turnoverAtMaxYears ? 'fast' : 'slow');
          if (inv.roots.length > 1) expect(inv.ambiguous).toBe(true);
        }
      }
    }
    console.log(`inversion: ${cases} cases (${fast} on the fast branch): worst relative τ error ${worst.toExponential(2)}`);
    expect(fast).toBeGreaterThan(20);
    expect(worst).toBeLessThan(1e-9);
  });

  it('a measurement between the atmosphere and the peak has two roots and is flagged ambiguous; above the peak none', () => {
    const c = loadCurve('Hua2022', 'NH1');
    const inv = invertOnePool(c, delta14CPermil(100), 2010);
    console.log(`Δ14C 100 ‰ in 2010 (NH1): τ = ${inv.roots.map((r) => `${r.turnoverYears.toFixed(2)} (${r.branch})`).join(', ')}; peak ${inv.maxDelta14C_permil.toFixed(1)} ‰ at τ ${inv.turnoverAtMaxYears.toFixed(1)}`);
    expect(inv.roots.map((r) => r.branch)).toEqual(['fast', 'slow']);
    expect(inv.ambiguous).toBe(true);
    const above = invertOnePool(c, delta14CPermil(inv.maxDelta14C_permil + 1), 2010);
    expect(above.roots).toEqual([]);
    expect(above.status).toBe('above-maximum');
    expect(() => invertOnePool(c, delta14CPermil(-1000), 2010)).toThrow(/−1000/);
  });

  it('σ gives an interval per root whose ends reproduce Δ14C ± σ within 1e-8 ‰, or stop at the turning point (flagged)', () => {
    const c = loadCurve('Hua2022', 'SH12');
    let worst = 0;
    for (const d of [-300, -20, 60, 120]) {
      const inv = invertOnePool(c, delta14CPermil(d), 2008, { sigma_permil: 8 });
      for (const r of inv.roots) {
        const [lo, hi] = r.interval!;
        expect(lo).toBeLessThanOrEqual(r.turnoverYears);
        expect(hi).toBeGreaterThanOrEqual(r.turnoverYears);
        if (!r.intervalClamped) {
          const ends = [onePoolDelta14C(c, lo, 2008), onePoolDelta14C(c, hi, 2008)].sort((a, b) => a - b);
          worst = Math.max(worst, Math.abs(ends[0] - (d - 8)), Math.abs(ends[1] - (d + 8)));
        }
      }
    }
    const nearPeak = invertOnePool(c, delta14CPermil(invertOnePool(c, delta14CPermil(0), 2008).maxDelta14C_permil - 2), 2008, { sigma_permil: 8 });
    console.log(`intervals: worst |Δ14C(interval end) − (Δ ± σ)| = ${worst.toExponential(2)} ‰; near the peak clamped = ${nearPeak.roots.map((r) => r.intervalClamped).join(', ')}`);
    expect(worst).toBeLessThan(1e-8);
    expect(nearPeak.roots.every((r) => r.intervalClamped)).toBe(true);
  });
});
