import { describe, expect, it } from 'vitest';
import {
  BASELINE_WEATHER, CARBON_UMOL_M2_S_TO_MOL_CM2_D, CODE004_DAY, DRY_SPELL_WEATHER, LEAF_PARAMS, PLANT_PRESETS, WATER_MOL_M2_S_TO_CM_PER_D,
  leafConditionsFor, leafGasExchange, paramDefaults, weatherAt, type GasExchange, type LeafConditions, type Weather,
} from '../../src/plant/index.js';
import { resolveScenario } from '../../src/scenarios/index.js';
import { buildCoupledModel, type ResolvedCoupled } from '../../src/scenarios/coupled.js';

/**
 * 004's leaf written out independently of src/plant/leaf.ts, in the code's units (mol, hPa, cm, d) and with the
 * code's literal constants: CPlantBox src/functional/Photosynthesis.cpp/.h of m-giraud/Giraud2025_CarbonStabilisation
 * @ e54495a (initVcVjRd l.563–586, photoC3_init l.629–658, loopCalcs l.749–789, photoC3_loop l.664–671,
 * getAg4Phloem l.471), fixedPointIter2 plantParameters.py phloemParam (g0, a1, a3, alpha, theta, gm, SPAD 41),
 * weatherFunctions.py weather() (rbl, rcanopy, rair, ea) and PhloemPhotosynthesis.py (resistance2conductance,
 * computeAtmosphereData), helpfull.py getPsiAir.
 */
function code004(TairC: number, Qlight: number, RH: number, es: number, Patm: number, cs: number, fw: number, pg: number, zMid: number, hp: number) {
  const R_ph = 83.143, Tref = 293.2, S = 700, Mh2o = 18, rho_h2o = 1000;
  const TleafK = TairC + 273.15;
  const Arrhenius = (Ea: number) => Math.exp((Ea / (R_ph * 0.1 * Tref)) * (1 - Tref / TleafK));
  const thermalBreakdown = (Ed: number) => 1 / (1 + Math.exp((S * TleafK - Ed) / (R_ph * 0.1 * TleafK)));
  const SPAD = 41;
  const Chl = (0.114 * SPAD ** 2 + 7.39 * SPAD + 10.6) / 10;
  const Vcrefmax = (1.28 * Chl + 8.33) * 1e-6;
  const oi = 210e-3;
  const Ko = 256e-3 * Arrhenius(36000), Kc = 302e-6 * Arrhenius(59430), delta = 42.75e-6 * Arrhenius(37830);
  const Rd = 0.015 * Vcrefmax * Arrhenius(53000);
  const Vcmax = Vcrefmax * Arrhenius(58520) * thermalBreakdown(220000);
  const Jrefmax = Vcrefmax * 1.5;
  const Jmax = Math.min(Jrefmax * Arrhenius(37000) * thermalBreakdown(220000), Jrefmax);
  const alpha = 0.4, theta = 0.6;
  const coefb = -(alpha * Qlight + Jmax), coefc = alpha * Qlight * Jmax;
  const J = (-coefb - Math.sqrt(coefb ** 2 - 4 * theta * coefc)) / (2 * theta);
  const deltagco2 = Math.max(0, (delta + (Kc * Rd * (1 + oi / Ko)) / Vcmax) / (1 - Rd / Vcmax));
  const a1 = 0.6 / 0.4, g0 = 8e-6, gm = 0.03;
  const ci = Math.max((cs * a1 * fw + deltagco2) / (1 + a1 * fw), deltagco2);
  const Vc = Math.max(Math.min(Math.max((Vcmax * (ci - delta)) / (ci + Kc * (1 + oi / Ko)), 0), Vcmax), 0);
  const Vj = Math.max(((J / 4) * (ci - delta)) / (ci + 2 * delta), 0);
  const An = Math.min(Vc, Vj) - Rd;
  const gco2 = Math.max(g0 + (fw * a1 * (An + Rd)) / (ci - deltagco2), 0);
  // weather(): resistances (s/m) for canopy height hp (m); computeAtmosphereData: conductances / a2.
  const rbl = 1 / 1000 / 2.5e-5;
  const rcanopy = ((2 / 3) * hp) / 2 / 1e-1;
  const rair = hp > 0 ? (Math.log((2 - (2 / 3) * hp) / (0.123 * hp)) * Math.log((2 - (2 / 3) * hp) / (0.1 * hp))) / (0.41 * 0.41 * 2) : 1;
  const r2c = (r: number) => 1 / (((r / 100) * R_ph * (TairC + 273.15)) / Patm * 1000 * (1 / 10000));
  const a2_bl = 1.37, a2_canopy = 1, a2_air = 1, a2_stomata = 1.6;
  const g_bl = r2c(rbl) / a2_bl, g_canopy = r2c(rcanopy) / a2_canopy, g_air = r2c(rair) / a2_air;
  const gtotOx = gco2 > 0 && gm * fw > 0 ? 1 / (1 / (gco2 * a2_stomata) + 1 / (gm * fw) + 1 / (g_bl * a2_bl) + 1 / (g_canopy * a2_canopy) + 1 / (g_air * a2_air)) : 0;
  const HRleaf = Math.exp((Mh2o * (pg + zMid) * 0.9806806) / (rho_h2o * R_ph * TleafK));
  const ea_leaf = es * HRleaf;
  const psi_air = (Math.log(RH) * rho_h2o * R_ph * (TairC + 237.3)) / Mh2o * (1 / 0.9806806); // getPsiAir
  const ea_ = Math.exp(psi_air / ((rho_h2o * R_ph * (TairC + 237.3)) / Mh2o * (1 / 0.9806806))) * es; // l.711
  const Jw = ((gtotOx * 1000 * (ea_leaf - ea_)) / Patm) * (Mh2o / rho_h2o) * 24 * 3600 * 1e-4; // cm3 cm-2 d-1 (one face)
  const Ag = (An / 12) * 24 * 60 * 60 * 1000 / 10000 * 12e-3; // l.471 mmol Suc cm-2 d-1 → mol C cm-2 d-1 (one face)
  return { An, Rd, ci, gco2, Jw, Ag };
}

const lp = paramDefaults(LEAF_PARAMS);

function ours(w: Weather, fw: number, guardHead: number, hp: number): GasExchange {
  const c = leafConditionsFor('code004', lp, w, {} as LeafConditions, hp);
  return leafGasExchange('code004', fw, c, lp, {} as GasExchange, guardHead);
}

describe("004's leaf photosynthesis form (plant.laws.photosynthesis code004)", () => {
  it("port against the code's formulas written out independently: noon baseline, noon dry, night", () => {
    const cases = [
      { name: 'noon baseline', w: weatherAt(20, BASELINE_WEATHER, CODE004_DAY), fw: 1, pg: -3000, z: 15, hp: 0.3 },
      { name: 'noon baseline, fw 0.55', w: weatherAt(20, BASELINE_WEATHER, CODE004_DAY), fw: 0.55, pg: -9000, z: 25, hp: 0.45 },
      { name: 'noon dry', w: weatherAt(20, DRY_SPELL_WEATHER, CODE004_DAY), fw: 0.8, pg: -7000, z: 20, hp: 0.3 },
      { name: 'night dry', w: weatherAt(20.5, DRY_SPELL_WEATHER, CODE004_DAY), fw: 1, pg: -1000, z: 10, hp: 0.2 },
      { name: 'night baseline, no plant height', w: weatherAt(20.5, BASELINE_WEATHER, CODE004_DAY), fw: 0.9, pg: -500, z: 0, hp: 0 },
    ];
    let worst = 0;
    const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(Math.abs(b), 1e-30);
    for (const k of cases) {
      const w = k.w;
      const ref = code004(w.t_C, w.par_umol_m2_s * 1e-6, w.rh, w.es_hPa, w.pAir_hPa, w.co2_umol_per_mol * 1e-6, k.fw, k.pg, k.z, k.hp);
      const g = ours(w, k.fw, k.pg + k.z, k.hp);
      const errs = {
        An: rel(g.anet, ref.An * 1e6),
        ci: rel(g.ci, ref.ci * 1e6),
        gco2: rel(g.gsw / 1.6, ref.gco2),
        Jw: rel(g.transpiration * WATER_MOL_M2_S_TO_CM_PER_D, ref.Jw),
        source: rel(g.source * CARBON_UMOL_M2_S_TO_MOL_CM2_D, ref.Ag),
      };
      const e = Math.max(...Object.values(errs));
      worst = Math.max(worst, e);
      console.log(`${k.name} (T ${w.t_C.toFixed(2)} °C, PAR ${w.par_umol_m2_s.toFixed(0)}, fw ${k.fw}): A_n ${g.anet.toFixed(4)} (code ${(ref.An * 1e6).toFixed(4)}) µmol m-2 s-1, c_i ${g.ci.toFixed(2)}, g_co2 ${(g.gsw / 1.6).toExponential(4)} mol m-2 s-1, E ${(g.transpiration * WATER_MOL_M2_S_TO_CM_PER_D).toExponential(4)} (code ${ref.Jw.toExponential(4)}) cm3 cm-2 d-1; worst relative error ${e.toExponential(2)}`);
    }
    console.log(`code004 leaf vs the code's formulas: worst relative error ${worst.toExponential(2)}`);
    expect(worst).toBeLessThan(1e-12);
  });

  it('night: A_n = −R_d goes to the phloem (negative), stomata at g₀; day: no VPD term, so only T moves A_n at f_w = 1', () => {
    const night = ours(weatherAt(20.5, BASELINE_WEATHER, CODE004_DAY), 1, -1000, 0.3);
    expect(night.anet).toBeLessThan(0);
    expect(night.source).toBe(night.anet);
    expect(night.agross).toBe(0);
    expect(night.gsw).toBeCloseTo(1.6 * lp.g0co2004_mol_m2_s, 15);
    const noonB = ours(weatherAt(20, BASELINE_WEATHER, CODE004_DAY), 1, 0, 0.3);
    const noonD = ours(weatherAt(20, DRY_SPELL_WEATHER, CODE004_DAY), 1, 0, 0.3);
    console.log(`code004 per face: noon baseline A_n ${noonB.anet.toFixed(3)}, dry ${noonD.anet.toFixed(3)}, night ${night.anet.toFixed(3)} µmol m-2 s-1; transpiration noon baseline ${(noonB.transpiration * 1e3).toFixed(4)}, dry ${(noonD.transpiration * 1e3).toFixed(4)} mmol m-2 s-1`);
    expect(noonD.anet).toBeLessThan(noonB.anet); // J_max capped at 20 °C, V_cmax peaked, R_d rising
    expect(noonB.source).toBe(noonB.anet);
    // The leuning law keeps passing gross assimilation (0 at night).
    const cL = leafConditionsFor('leuning', lp, weatherAt(20.5, BASELINE_WEATHER, CODE004_DAY), {} as LeafConditions);
    expect(leafGasExchange('leuning', 1, cL, lp, {} as GasExchange).source).toBe(0);
  });

  it('preset paper004 sets code004 and the coupled kind gets it (laws, leaf values; a night step loses R_d)', () => {
    expect(PLANT_PRESETS.paper004.laws.photosynthesis).toBe('code004');
    expect(PLANT_PRESETS.rhizocarb.laws.photosynthesis).toBeUndefined();
    const build = (plant: Record<string, unknown>) => buildCoupledModel(resolveScenario({ kind: 'coupled', name: 'c', plant, time: { start_d: 5, end_d: 5.1 }, weather: { dayShape: 'sinusoidal3' } }) as unknown as ResolvedCoupled).plant;
    const p4 = build({ preset: 'paper004' });
    const rz = build({});
    const over = build({ preset: 'paper004', laws: { photosynthesis: 'leuning' } });
    expect(p4.opts.laws?.photosynthesis).toBe('code004');
    expect(p4.opts.leaf.gasExchangeFaces).toBe(2);
    expect(p4.opts.leaf.vcmaxRef004_umol_m2_s).toBe(72.998672);
    expect(rz.opts.laws?.photosynthesis ?? 'leuning').toBe('leuning');
    expect(over.opts.laws?.photosynthesis).toBe('leuning');
    const soil = { psi_cm: new Float64Array(20000).fill(-100), cL_molC_per_cm3_water: new Float64Array(20000).fill(5e-6) };
    const nightStep = (m: typeof p4) => m.step(1 / 72, weatherAt(5.5, BASELINE_WEATHER, CODE004_DAY), soil).budget;
    const b4 = nightStep(p4);
    const bz = nightStep(rz);
    console.log(`coupled-built plant, one night step: assimilation paper004 ${b4.assimilation_molC.toExponential(3)} mol C (net, −R_d), rhizocarb ${bz.assimilation_molC.toExponential(3)}; carbon errors ${b4.carbonRelativeError.toExponential(1)} / ${bz.carbonRelativeError.toExponential(1)}`);
    expect(b4.assimilation_molC).toBeLessThan(0);
    expect(bz.assimilation_molC).toBe(0);
    expect(b4.carbonRelativeError).toBeLessThan(1e-9);
  }, 60_000);
});
