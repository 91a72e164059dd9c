import { describe, expect, it } from 'vitest';
import {
  SOILS,
  effectiveSaturation,
  headFromWaterContent,
  hydraulicConductivity,
  moistureCapacity,
  validateVanGenuchten,
  waterContent,
} from '../../src/soil/index.js';

const heads = [-0.01, -1, -10, -100, -330, -1000, -15000, -1e5];
/**
 * Heads where the inverse is well conditioned for every soil: near saturation 1 − Se ~ (α|h|)^n is
 * below 1e−8 for sand at h = −0.01 cm, so h(θ) there carries only ~eps/(1 − Se) relative accuracy
 * (checked separately, in absolute terms).
 */
const roundTripHeads = [-1, -10, -100, -330, -1000, -15000];

describe('van Genuchten–Mualem hydraulics', () => {
  for (const [name, soil] of Object.entries(SOILS)) {
    it(`${name}: h → θ → h round trip within 1e-9 relative (h ≥ −15000 cm)`, () => {
      let worst = 0;
      for (const h of roundTripHeads) {
        const back = headFromWaterContent(waterContent(h, soil), soil);
        worst = Math.max(worst, Math.abs(back - h) / Math.abs(h));
      }
      console.log(`${name}: worst round-trip relative error ${worst.toExponential(2)}`);
      expect(worst).toBeLessThan(1e-9);
      // Near saturation: absolute error below 1e-6 cm.
      expect(Math.abs(headFromWaterContent(waterContent(-0.01, soil), soil) + 0.01)).toBeLessThan(1e-6);
    });

    it(`${name}: C(h) equals (θs − θr)·dSe/dh by central differences within 1e-6 relative`, () => {
      // Differencing Se (not θ) avoids the cancellation θ − θr in very dry soil.
      let worst = 0;
      for (const h of roundTripHeads) {
        const d = 1e-4 * Math.abs(h);
        const fd = ((soil.thetaS - soil.thetaR) * (effectiveSaturation(h + d, soil) - effectiveSaturation(h - d, soil))) / (2 * d);
        const c = moistureCapacity(h, soil);
        worst = Math.max(worst, Math.abs(c - fd) / Math.abs(fd));
      }
      console.log(`${name}: worst C(h) vs finite difference ${worst.toExponential(2)}`);
      expect(worst).toBeLessThan(1e-6);
    });

    it(`${name}: limits — θ(0) = θs, K(0) = Ks, Se → 0 and K → 0 as h → −∞, monotone in h`, () => {
      expect(waterContent(0, soil)).toBe(soil.thetaS);
      expect(waterContent(5, soil)).toBe(soil.thetaS);
      expect(hydraulicConductivity(0, soil)).toBe(soil.Ks_cm_per_d);
      // Se ~ (α|h|)^{−(n−1)}: slow for n = 1.1 (clay), so compare with that asymptote.
      const h = -1e12;
      const asym = Math.pow(soil.alpha_per_cm * -h, -(soil.n - 1));
      expect(Math.abs(effectiveSaturation(h, soil) / asym - 1)).toBeLessThan(1e-6);
      expect(hydraulicConductivity(h, soil)).toBeLessThan(1e-6 * soil.Ks_cm_per_d);
      let prevT = -Infinity;
      let prevK = -Infinity;
      for (const h of [...heads].reverse()) {
        const t = waterContent(h, soil);
        const k = hydraulicConductivity(h, soil);
        expect(t).toBeGreaterThan(prevT);
        expect(k).toBeGreaterThan(prevK);
        prevT = t;
        prevK = k;
      }
    });
  }

  it('matches hand-computed values for the benchmark loam at h = −100 cm', () => {
    // Se = (1 + (0.04·100)^1.6)^(−0.375); computed independently below.
    const se = Math.pow(1 + Math.pow(4, 1.6), -0.375);
    expect(effectiveSaturation(-100, SOILS.loam)).toBeCloseTo(se, 15);
    expect(waterContent(-100, SOILS.loam)).toBeCloseTo(0.08 + 0.35 * se, 15);
    const m = 0.375;
    const kExpected = 50 * Math.sqrt(se) * (1 - Math.pow(1 - Math.pow(se, 1 / m), m)) ** 2;
    expect(Math.abs(hydraulicConductivity(-100, SOILS.loam) / kExpected - 1)).toBeLessThan(1e-13);
  });

  it('validation names the field, the value and the expectation', () => {
    const errs = validateVanGenuchten({ ...SOILS.loam, n: 0.9, thetaS: 0.05 });
    expect(errs.join('\n')).toMatch(/n: got 0.9, expected a number in \[1.0001, 10\]/);
    expect(validateVanGenuchten({ ...SOILS.loam, thetaS: 0.95 }).join('\n')).toMatch(/thetaS: got 0.95, expected a number in \[0.05, 0.9\]/);
    expect(errs.join('\n')).toMatch(/thetaS: got 0.05, expected > thetaR/);
  });
});
