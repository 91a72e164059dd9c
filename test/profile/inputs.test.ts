import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { dataPath } from '../../src/io/paths.js';
import { STANDARD_LAYERS, rootFractions, schenkJacksonCumulative } from '../../src/profile/inputs.js';
import { JACKSON_BETA_PARAMS, biomeDefaultBnpp, biomeDefaultFBnpp, jacksonBeta } from '../../src/profile/params.js';
import { quantileType7, summariseDraws } from '../../src/profile/stats.js';
import { SeededRng as Rng } from '../../src/numerics/random.js';
import { parseCsv } from '../../src/core/csv.js';

describe('root distributions → I_root fractions by layer', () => {
  it('β fractions over the 001 layers sum to 1 and equal (β^d1 − β^d2)/(1 − β^200) to 1e-15', () => {
    const d = [...STANDARD_LAYERS['001']];
    const { fractions, belowDeepest } = rootFractions({ kind: 'beta', beta: 0.961 }, d);
    let err = Math.abs(fractions.reduce((a, b) => a + b, 0) - 1);
    for (let j = 0; j < 7; j++) err = Math.max(err, Math.abs(fractions[j] - (0.961 ** d[j] - 0.961 ** d[j + 1]) / (1 - 0.961 ** 200)));
    console.log(`β fractions: ${Array.from(fractions, (f) => f.toFixed(4)).join(', ')}; error ${err.toExponential(2)}; below 200 cm ${belowDeepest.toExponential(2)}`);
    expect(err).toBeLessThan(1e-15);
  });

  it('Schenk & Jackson logistic: r(D50) = 0.5 and r(D95) = 0.95 exactly, for every shipped profile with D50 < D95', () => {
    const t = parseCsv(readFileSync(dataPath('roots/root_profiles_D50D95.csv'), 'latin1'), 'root_profiles_D50D95.csv');
    const i50 = t.header.indexOf('D50');
    const i95 = t.header.indexOf('D95');
    let worst = 0;
    let n = 0;
    for (const row of t.rows) {
      const d50 = Number(row[i50]) * 100; // m → cm
      const d95 = Number(row[i95]) * 100;
      if (!(d50 > 0 && d95 > d50)) continue;
      n++;
      worst = Math.max(worst, Math.abs(schenkJacksonCumulative(d50, d50, d95) - 0.5), Math.abs(schenkJacksonCumulative(d95, d50, d95) - 0.95));
    }
    console.log(`Schenk & Jackson: ${n} profiles, worst |r − {0.5, 0.95}| = ${worst.toExponential(2)}`);
    expect(n).toBeGreaterThan(400);
    expect(worst).toBeLessThan(1e-12);
  });

  it('an observed root profile that is uniform per cm gives fractions ∝ layer thickness within 1e-12', () => {
    const { fractions } = rootFractions({ kind: 'observed', topsCm: [0, 30, 70], bottomsCm: [30, 70, 100], rootMass: [30, 40, 30] }, [0, 20, 40, 60, 80, 100]);
    const err = Math.max(...Array.from(fractions, (f) => Math.abs(f - 0.2)));
    console.log(`uniform observed roots: max |fraction − 0.2| = ${err.toExponential(2)}`);
    expect(err).toBeLessThan(1e-12);
  });
});

describe('parameters and defaults', () => {
  it("the declared Jackson β values equal the shipped CSV, status included (UNVERIFIED ones are flagged)", () => {
    const t = parseCsv(readFileSync(dataPath('roots/jackson1996_beta_by_biome.csv'), 'utf8'));
    expect(t.rows.length).toBe(JACKSON_BETA_PARAMS.length);
    for (const row of t.rows) {
      const j = jacksonBeta(row[0] as never);
      expect(j.beta).toBe(Number(row[1]));
      expect(j.unverified).toBe(row[2] === 'UNVERIFIED');
    }
  });

  it("001's biome defaults: shrubland 5.42, cropland 4.42, tundra 0.90, boreal 2.36, else the global 3.50; f_BNPP 0.377 (forests ~0.30)", () => {
    expect(biomeDefaultBnpp('mediterranean_montane_shrubland').value).toBe(5.42);
    expect(biomeDefaultBnpp('tundra').value).toBe(0.9);
    expect(biomeDefaultBnpp('desert')).toMatchObject({ value: 3.5, biomeSpecific: false });
    expect(biomeDefaultFBnpp('temperate_forest').value).toBe(0.3);
    expect(biomeDefaultFBnpp(undefined).value).toBe(0.377);
  });
});

describe('seeded random numbers and draw summaries', () => {
  it('same seed → same draws; uniform mean 0.5 ± 0.005 and normal mean 0 ± 0.01, sd 1 ± 0.01 over 1e5 draws', () => {
    const a = new Rng(7), b = new Rng(7);
    for (let i = 0; i < 10; i++) expect(a.uniform()).toBe(b.uniform());
    const r = new Rng(123);
    let su = 0, sn = 0, sn2 = 0;
    const N = 100000;
    for (let i = 0; i < N; i++) {
      su += r.uniform();
      const z = r.normal();
      sn += z;
      sn2 += z * z;
    }
    const mean = sn / N, sd = Math.sqrt(sn2 / N - mean * mean);
    console.log(`RNG: uniform mean ${(su / N).toFixed(4)}, normal mean ${mean.toFixed(4)} sd ${sd.toFixed(4)} (expected errors ~0.001, 0.003, 0.002)`);
    expect(Math.abs(su / N - 0.5)).toBeLessThan(0.005);
    expect(Math.abs(mean)).toBeLessThan(0.01);
    expect(Math.abs(sd - 1)).toBeLessThan(0.01);
  });

  it('lognormal draws keep the requested mean and CV (±2 %), quantiles follow R type 7', () => {
    const r = new Rng(9);
    const x = Float64Array.from({ length: 200000 }, () => r.lognormalMeanCv(10, 0.3));
    const s = summariseDraws(x);
    const sd = Math.sqrt(x.reduce((a, v) => a + (v - s.mean) ** 2, 0) / x.length);
    console.log(`lognormal(mean 10, cv 0.3): mean ${s.mean.toFixed(3)}, cv ${(sd / s.mean).toFixed(4)}`);
    expect(Math.abs(s.mean - 10) / 10).toBeLessThan(0.02);
    expect(Math.abs(sd / s.mean - 0.3) / 0.3).toBeLessThan(0.02);
    expect(quantileType7([1, 2, 3, 4], 0.25)).toBe(1.75); // R: quantile(1:4, 0.25) = 1.75
    expect(summariseDraws([1, 2, 3, 4, 5]).relunc).toBeCloseTo((4.9 - 1.1) / 2 / 3, 12);
    // Skewed by hand: [1, 2, 3, 4, 100] (+ a NaN, dropped): median 3, mean 22, q2.5 = 1 + 0.1·1 = 1.1,
    // q97.5 = 4 + 0.9·96 = 90.4; relative uncertainty over the median (90.4 − 1.1)/2/3 = 14.8833
    // (over the mean it would be 2.0295).
    const k = summariseDraws([100, 3, NaN, 1, 4, 2]);
    expect([k.median, k.mean, k.n]).toEqual([3, 22, 5]);
    expect(k.q025).toBeCloseTo(1.1, 12);
    expect(k.q975).toBeCloseTo(90.4, 12);
    expect(k.relunc).toBeCloseTo(14.883333333333333, 12);
  });
});
