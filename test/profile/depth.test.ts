import { describe, expect, it } from 'vitest';
import { betaCumulative, betaExtrapolate, betaLayerFraction, fitBeta, socDensity_MgC_per_ha, socStock_MgC } from '../../src/profile/depth.js';
import { SeededRng as Rng } from '../../src/numerics/random.js';

/** Cumulative stock at layer bottoms of a profile whose density follows Y = 1 − β^d exactly (total 100 Mg C ha⁻¹ to 300 cm). */
function syntheticCumulative(beta: number, bottoms: number[]): number[] {
  return bottoms.map((d) => (100 * betaCumulative(beta, d)) / betaCumulative(beta, 300));
}

describe('SOC density and stocks (003 Eqs 1–2)', () => {
  it('density = SOC × BD × D / 10: 20 g/kg × 1.3 g/cm³ × 20 cm = 52 Mg C/ha; with 25 % coarse fragments 39; stock = density × area', () => {
    expect(socDensity_MgC_per_ha(20, 1.3, 20)).toBeCloseTo(52, 12);
    expect(socDensity_MgC_per_ha(20, 1.3, 20, 0.25)).toBeCloseTo(39, 12);
    // Independent unit check: 20 g kg⁻¹ × 1.3 g cm⁻³ × 20 cm = 0.52 g C cm⁻² = 0.52 × 1e8 g ha⁻¹ = 52 Mg ha⁻¹.
    expect((20 / 1000) * 1.3 * 20 * 1e8 / 1e6).toBeCloseTo(52, 10);
    expect(socStock_MgC(52, 1e6) / 1e9).toBeCloseTo(0.052, 12); // Pg C over a million hectares
  });
});

describe('β depth function (003 Eqs 3–4)', () => {
  it('β = 0.966 puts 29.2 %, 49.9 %, 74.9 % of roots above 10, 20, 40 cm (Jackson et al. 1996 abstract: 30/50/75 %)', () => {
    const got = [10, 20, 40].map((d) => 100 * betaCumulative(0.966, d));
    console.log(`β 0.966: ${got.map((g) => g.toFixed(1)).join(', ')} %`);
    expect(got.map((g) => Math.round(g * 10) / 10)).toEqual([29.2, 49.9, 74.9]);
    expect(betaLayerFraction(0.966, 0, 200, 200)).toBeCloseTo(1, 14);
  });

  it('the fit recovers a known β from exact synthetic profiles within 1e-9, for several layerings', () => {
    let worst = 0;
    for (const beta of [0.93, 0.9645, 0.9756, 0.9831, 0.995]) {
      for (const bottoms of [[10, 20, 40, 60, 100], [5, 15, 30, 60, 100, 200], [20, 40, 60, 80, 100]]) {
        const fit = fitBeta(bottoms, syntheticCumulative(beta, bottoms));
        worst = Math.max(worst, Math.abs(fit.beta - beta));
      }
    }
    console.log(`β recovery from exact synthetic profiles: worst |β̂ − β| = ${worst.toExponential(2)}`);
    expect(worst).toBeLessThan(1e-9);
  });

  it('with 5 % multiplicative noise on layer stocks, β̂ stays within 0.003 of β in 95 % of 200 seeded profiles', () => {
    const rng = new Rng(42);
    const beta = 0.9756;
    const bottoms = [10, 20, 30, 50, 70, 100];
    const errs: number[] = [];
    for (let r = 0; r < 200; r++) {
      const cum = syntheticCumulative(beta, bottoms);
      const layers = cum.map((c, i) => (c - (i > 0 ? cum[i - 1] : 0)) * (1 + 0.05 * rng.normal()));
      const noisy = layers.map((_, i) => layers.slice(0, i + 1).reduce((a, b) => a + b, 0));
      errs.push(Math.abs(fitBeta(bottoms, noisy).beta - beta));
    }
    errs.sort((a, b) => a - b);
    console.log(`noisy β fits: median |error| ${errs[100].toExponential(2)}, 95th percentile ${errs[190].toExponential(2)}`);
    expect(errs[190]).toBeLessThan(0.003);
  });

  it("003's β statistics are consistent: count-weighted ecosystem means give the overall mean within 1e-4, all inside the 5–95 % range, and the mean β puts 42.6 % of the first metre in the top 20 cm", () => {
    // 003 Results 3.1: 758 cropland, 219 forest, 244 grassland observations; means 0.9761, 0.9750, 0.9743; overall 0.9756 (5–95 %: 0.9645–0.9831).
    const weighted = (758 * 0.9761 + 219 * 0.975 + 244 * 0.9743) / 1221;
    const top20 = betaCumulative(0.9756, 20) / betaCumulative(0.9756, 100);
    const x100 = betaExtrapolate(0.9756, 1, 20, 100);
    console.log(`003: weighted ecosystem mean ${weighted.toFixed(5)} vs stated 0.9756; top-20 cm share ${(100 * top20).toFixed(1)} %; X100/X20 = ${x100.toFixed(3)}; Jobbágy & Jackson β 0.9786 → ${(100 * betaCumulative(0.9786, 20) / betaCumulative(0.9786, 100)).toFixed(1)} %`);
    expect(Math.abs(weighted - 0.9756)).toBeLessThan(1e-4);
    for (const b of [0.9761, 0.975, 0.9743, 0.9756, 0.9766, 0.9786]) expect(b > 0.9645 && b < 0.9831).toBe(true);
    expect(top20).toBeCloseTo(0.426, 3);
    expect(x100 * top20).toBeCloseTo(1, 12); // Eq 4 is the inverse of the top-20 share
  });

  it('Eq 4 extrapolation is exact for a β profile: X100 from X20 equals the true stock above 100 cm to 1e-12', () => {
    const beta = 0.97;
    const x20 = 100 * betaCumulative(beta, 20);
    const x100 = 100 * betaCumulative(beta, 100);
    expect(Math.abs(betaExtrapolate(beta, x20, 20, 100) - x100)).toBeLessThan(1e-12);
  });
});
