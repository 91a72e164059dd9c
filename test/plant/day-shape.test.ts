import { describe, expect, it } from 'vitest';
import { CODE004_DAY, CODE004_STEP_D, DEFAULT_DAY, DRY_SPELL_WEATHER, diurnalFactor, weatherAt } from '../../src/plant/index.js';
import { resolveScenario } from '../../src/scenarios/index.js';
import { buildCoupledModel, type ResolvedCoupled } from '../../src/scenarios/coupled.js';

// 004's code, fixedPointIter2 modules/helpfull.py::sinusoidal3, written out as the code has it (two cosines at
// the step's start T and end T + dt, T = t + 0.5 as weatherFunctions.py calls it), to check the closed form.
const code004 = (t: number, dt: number) => {
  const T = t + 0.5;
  return Math.max(0, 0.75 + (Math.cos(2 * Math.PI * (T - 0.5)) + Math.cos(2 * Math.PI * (T + dt - 0.5))) / 2) / 1.75;
};

describe("day shapes: PLANT.md's truncated sine and 004's code sinusoidal3", () => {
  it("sinusoidal3 equals the code's two-cosine form for the step centred on t; dark 0.385–0.615; daily mean 0.450", () => {
    let worst = 0;
    for (let k = 0; k <= 2000; k++) {
      const t = 10 + (k / 2000) * 2;
      worst = Math.max(worst, Math.abs(diurnalFactor(t, CODE004_DAY) - code004(t - CODE004_STEP_D / 2, CODE004_STEP_D)));
    }
    // Light peaks at integer days (the code's phase), zero around x.5.
    expect(diurnalFactor(18, CODE004_DAY)).toBeCloseTo((0.75 + Math.cos(Math.PI / 72)) / 1.75, 14);
    expect(diurnalFactor(18.5, CODE004_DAY)).toBe(0);
    expect(diurnalFactor(18.38, CODE004_DAY)).toBeGreaterThan(0);
    expect(diurnalFactor(18.39, CODE004_DAY)).toBe(0);
    expect(diurnalFactor(18.61, CODE004_DAY)).toBe(0);
    expect(diurnalFactor(18.62, CODE004_DAY)).toBeGreaterThan(0);
    // Daily means by the midpoint rule on 1e5 points (independent of the closed form): 0.450 and 0.318 (= 1/π for a 12-h half sine).
    const mean = (f: (t: number) => number) => { let a = 0; const n = 100000; for (let i = 0; i < n; i++) a += f(20 + (i + 0.5) / n); return a / n; };
    const m3 = mean((t) => code004(t - CODE004_STEP_D / 2, CODE004_STEP_D));
    const mT = mean((t) => diurnalFactor(t, DEFAULT_DAY));
    console.log(`sinusoidal3 vs the code's two-cosine form: worst difference ${worst.toExponential(2)}; daily mean factor sinusoidal3 ${m3.toFixed(4)}, truncated sine 6–18 h ${mT.toFixed(4)} (1/π = ${(1 / Math.PI).toFixed(4)})`);
    expect(worst).toBeLessThan(1e-13); // round-off of cos at t ≈ 10–12 d
    expect(m3).toBeCloseTo(0.450, 3);
    expect(mT).toBeCloseTo(1 / Math.PI, 5);
    // The weather follows the factor: dry-spell temperature at the code's peak and at x.5.
    expect(weatherAt(18.5, DRY_SPELL_WEATHER, CODE004_DAY).t_C).toBe(DRY_SPELL_WEATHER.tNight_C);
    expect(weatherAt(18.5, DRY_SPELL_WEATHER, CODE004_DAY).par_umol_m2_s).toBe(0);
    expect(weatherAt(18, DRY_SPELL_WEATHER, CODE004_DAY).par_umol_m2_s).toBeCloseTo(DRY_SPELL_WEATHER.parDay_umol_m2_s * diurnalFactor(18, CODE004_DAY), 9);
  });

  it('scenario key weather.dayShape: truncated-sine by default in the plant and coupled kinds; sinusoidal3 accepted; anything else is an error naming the key', () => {
    const plant = resolveScenario({ kind: 'plant', name: 'p' }) as unknown as { weather: { dayShape: string } };
    expect(plant.weather.dayShape).toBe('truncated-sine');
    const coupled = resolveScenario({ kind: 'coupled', name: 'c', weather: { dayShape: 'sinusoidal3' } }) as unknown as { weather: { dayShape: string } };
    expect(coupled.weather.dayShape).toBe('sinusoidal3');
    expect(() => resolveScenario({ kind: 'coupled', name: 'c', weather: { dayShape: 'square' } })).toThrow(/weather\.dayShape/);
    // The coupled model gets the shape the scenario names: PAR at x.5 (truncated sine's noon, sinusoidal3's night) and at an integer day.
    const rootWeather = (dayShape: string) => buildCoupledModel(resolveScenario({ kind: 'coupled', name: 'c', time: { start_d: 2, end_d: 2.1 }, weather: { dayShape } }) as unknown as ResolvedCoupled).root.weather;
    const s3 = rootWeather('sinusoidal3');
    const ts = rootWeather('truncated-sine');
    expect(s3(2.5).par_umol_m2_s).toBe(0);
    expect(s3(3).par_umol_m2_s).toBeCloseTo(960 * diurnalFactor(3, CODE004_DAY), 9);
    expect(ts(2.5).par_umol_m2_s).toBeCloseTo(960, 9);
    expect(ts(3).par_umol_m2_s).toBe(0);
  }, 60_000);
});
