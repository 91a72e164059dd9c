import { describe, expect, it } from 'vitest';
import { fvcbAtCi, gasExchange, leafConditions, stomatalWaterFactor } from '../../src/plant/leaf.js';
import { LEAF_PARAMS, paramDefaults } from '../../src/plant/plant-params.js';
import { BASELINE_WEATHER, diurnalFactor, saturationVapourPressure_hPa, weatherAt } from '../../src/plant/weather.js';

const p = paramDefaults(LEAF_PARAMS);

describe('weather: truncated sinusoid (RHIZOSPHERE.md)', () => {
  it('night values outside 6–18 h, day values at noon, PAR 0 at night', () => {
    const noon = weatherAt(12.5, BASELINE_WEATHER);
    const night = weatherAt(12.1, BASELINE_WEATHER);
    expect(noon.t_C).toBeCloseTo(22, 12);
    expect(noon.rh).toBeCloseTo(0.6, 12);
    expect(noon.par_umol_m2_s).toBeCloseTo(960, 9);
    expect(night.t_C).toBe(15.8);
    expect(night.par_umol_m2_s).toBe(0);
    expect(diurnalFactor(10.375)).toBeCloseTo(Math.SQRT1_2, 12); // 9:00 → sin(π/4)
    // Bolton (1980): 23.37 hPa at 20 °C (tabulated 23.39); VPD = e_s(1 − RH) in kPa.
    expect(Math.abs(saturationVapourPressure_hPa(20) - 23.37)).toBeLessThan(0.02);
    expect(noon.vpd_kPa).toBeCloseTo((saturationVapourPressure_hPa(22) * 0.4) / 10, 12);
  });
});

describe('leaf gas exchange: FvCB + Leuning + Tuzet water stress', () => {
  it('at 25 °C the temperature functions are 1: V_cmax = V_cmax,25, Γ* = 42.75, R_d = 0.015 V_cmax', () => {
    const c = leafConditions(p, { t_C: 25, rh: 0.5, pAir_hPa: 1013, par_umol_m2_s: 1e6, co2_umol_per_mol: 350, es_hPa: 31.7, vpd_kPa: 1.585 });
    expect(Math.abs(c.vcmax - p.vcmax25_umol_m2_s) / p.vcmax25_umol_m2_s).toBeLessThan(1e-12);
    expect(Math.abs(c.gammaStar - 42.75)).toBeLessThan(1e-12);
    expect(Math.abs(c.rd - 0.015 * p.vcmax25_umol_m2_s)).toBeLessThan(1e-12);
    // Very high light: J → J_max (non-rectangular hyperbola), here within 0.2 %.
    expect(Math.abs(c.j / (p.jmaxToVcmax * p.vcmax25_umol_m2_s) - 1)).toBeLessThan(2e-3);
  });

  it('the coupled solution satisfies demand, supply and the Leuning law to 1e-10 relative for many conditions', () => {
    let worst = 0;
    for (const t of [12, 18, 25, 31]) {
      for (const par of [50, 300, 960]) {
        for (const rh of [0.45, 0.7, 0.9]) {
          for (const fw of [1, 0.5, 0.05]) {
            const es = saturationVapourPressure_hPa(t);
            const c = leafConditions(p, { t_C: t, rh, pAir_hPa: 1010, par_umol_m2_s: par, co2_umol_per_mol: 350, es_hPa: es, vpd_kPa: (es * (1 - rh)) / 10 });
            const g = gasExchange(fw, c, p);
            const demand = fvcbAtCi(g.ci, c); // A from FvCB at the returned c_i
            const supply = (g.gsw / 1.6) * (c.cs - g.ci); // A from diffusion through the stomata
            const leuning = p.g0_mol_m2_s + (g.anet > 0 ? (p.a1 * fw * g.anet * c.vpdFactor) / (c.cs - c.gammaStar) : 0);
            const scale = Math.max(Math.abs(g.anet), 1e-3);
            worst = Math.max(worst, Math.abs(demand - g.anet) / scale, Math.abs(supply - g.anet) / scale, Math.abs(leuning - g.gsw) / g.gsw);
          }
        }
      }
    }
    console.log(`FvCB–Leuning coupling: worst relative residual ${worst.toExponential(2)}`);
    expect(worst).toBeLessThan(1e-10);
  });

  it('darkness: A_n = −R_d and g_s = g₀; transpiration = g_tot·VPD/p', () => {
    const w = weatherAt(10.0, BASELINE_WEATHER);
    const c = leafConditions(p, w);
    const g = gasExchange(1, c, p);
    expect(g.anet).toBeCloseTo(-c.rd, 12);
    expect(g.agross).toBe(0);
    expect(g.gsw).toBe(p.g0_mol_m2_s);
    const gt = 1 / (1 / p.g0_mol_m2_s + 1 / p.gbw_mol_m2_s);
    expect(g.transpiration).toBeCloseTo((gt * w.es_hPa * (1 - w.rh)) / w.pAir_hPa, 15);
  });

  it('Tuzet water factor: 1 at ψ = 0, ½ at ψ_f (to e^{s_f ψ_f}), decreasing; stressed leaves assimilate less', () => {
    expect(stomatalWaterFactor(0, p)).toBeCloseTo(1, 12);
    const half = stomatalWaterFactor(p.fwPsiCrit_hPa * 1.019716, p);
    expect(Math.abs(half - 0.5 * (1 + Math.exp(p.fwSlope_per_hPa * p.fwPsiCrit_hPa)))).toBeLessThan(1e-12);
    let prev = 2;
    for (let psi = 0; psi > -30000; psi -= 500) {
      const f = stomatalWaterFactor(psi, p);
      expect(f).toBeLessThan(prev);
      prev = f;
    }
    const c = leafConditions(p, weatherAt(10.5, BASELINE_WEATHER));
    expect(gasExchange(0.2, c, p).anet).toBeLessThan(gasExchange(1, c, p).anet);
    expect(gasExchange(0.2, c, p).transpiration).toBeLessThan(gasExchange(1, c, p).transpiration);
  });
});
