import { describe, expect, it } from 'vitest';
import { osmoticHeadPerConcentration, SucroseSolver, type SucroseProblem } from '../../src/plant/carbon.js';
import { exudationFloor_molC_per_cm3, mucilageCoefficient_cm3_per_d, PLANT_PRESETS, type ExudationLaw, type MucilageLaw, type PlantLaws } from '../../src/plant/departures.js';
import { CARBON_PARAMS, HYDRAULIC_PARAMS, LEAF_PARAMS, paramDefaults, resolveParams } from '../../src/plant/plant-params.js';
import { PlantModel } from '../../src/plant/plant-model.js';
import { BASELINE_WEATHER, DRY_SPELL_WEATHER, weatherAt } from '../../src/plant/weather.js';
import { leafConditionsFor, leafGasExchange, stomatalWaterFactor, type GasExchange, type LeafConditions } from '../../src/plant/leaf.js';
import { parsePlantXml } from '../../src/plant/xml-params.js';
import { readTextFile } from '../../src/io/files.js';
import { dataPath } from '../../src/io/paths.js';
import { SOILS } from '../../src/soil/van-genuchten.js';

const cp = paramDefaults(CARBON_PARAMS);

/** One tip node with exudation and mucilage, no transport, no starch exchange. */
function tip(over: Partial<SucroseProblem>): SucroseProblem {
  const z = () => new Float64Array(1);
  return {
    n: 1, parent: Int32Array.of(-1), dt_d: 0.05, volume_cm3: Float64Array.of(1e-4), conductance_cm3_per_d_cm: z(), phi_cm: z(),
    osmoticHead_cm_per_molC_cm3: osmoticHeadPerConcentration(20), source_molC_per_d: z(), maintenancePotential_molC_per_d: z(), growthDemand_molC_per_d: z(),
    exudationCoef_cm3_per_d: z(), mucilageCoef_cm3_per_d: z(), soilConc_molC_per_cm3: z(), params: { ...cp, starchRate_per_d: 0 }, ...over,
  };
}

describe('plant departures from 004 as options (src/plant/departures.ts)', () => {
  it('Eq 16 floors by hand: threshold C_thr + C_L, eq16 C_L, code004 C_thr + (C_L − CSTimin_exud)⁺', () => {
    const p = { exudationThreshold_molC_per_cm3: 4.8e-3, exudationCodeSoilThreshold_molC_per_cm3: 2.4e-3 };
    expect(exudationFloor_molC_per_cm3('threshold', p, 5e-6)).toBeCloseTo(4.805e-3, 15);
    expect(exudationFloor_molC_per_cm3('eq16', p, 5e-6)).toBe(5e-6);
    expect(exudationFloor_molC_per_cm3('code004', p, 5e-6)).toBe(4.8e-3); // C_L ≪ CSTimin_exud: the soil does not matter
    expect(exudationFloor_molC_per_cm3('code004', p, 3e-3)).toBeCloseTo(4.8e-3 + 0.6e-3, 15);
  });

  it('each exudation law: one tip node equals the backward-Euler closed form V(C − C0)/dt = −K (C − floor), to 1e-13', () => {
    const V = 1e-4;
    const K = 0.05 * 0.1;
    const dt = 0.05;
    const c0 = 8e-3;
    const cl = 3e-3;
    const got: Record<string, number> = {};
    for (const law of ['threshold', 'eq16', 'code004'] as ExudationLaw[]) {
      const pb = tip({ exudationLaw: law, exudationCoef_cm3_per_d: Float64Array.of(K), soilConc_molC_per_cm3: Float64Array.of(cl) });
      const st = { sucrose_molC: Float64Array.of(c0 * V), starch_molC: Float64Array.of(0) };
      const s = new SucroseSolver();
      s.step(pb, st);
      const floor = exudationFloor_molC_per_cm3(law, cp, cl);
      const expected = ((V * c0) / dt + K * floor) / (V / dt + K);
      const err = Math.abs(st.sucrose_molC[0] / V - expected) / expected;
      console.log(`exudation law ${law}: floor ${floor.toExponential(3)} mol C cm⁻³, exuded ${s.fluxes.exudation[0].toExponential(4)} mol C, closed-form error ${err.toExponential(1)}`);
      expect(err).toBeLessThan(1e-13);
      expect(Math.abs(s.fluxes.exudation[0] - dt * K * (expected - floor)) / s.fluxes.exudation[0]).toBeLessThan(1e-12);
      // Budget of the node: what left the sieve tube is what was exuded.
      expect(Math.abs(c0 * V - st.sucrose_molC[0] - s.fluxes.exudation[0]) / s.fluxes.exudation[0]).toBeLessThan(1e-12);
      got[law] = s.fluxes.exudation[0];
    }
    // What the options change: no threshold exudes most; the code's soil term (C_L above CSTimin_exud) less than C_L itself.
    expect(got.eq16).toBeGreaterThan(got.code004);
    expect(got.code004).toBeGreaterThan(got.threshold);
  });

  it('each mucilage law: tip starch released as starch·c dt/(V + c dt) with c = k_mucil S (Eqs 19–20) or k_mucil,code V (004 code), to 1e-14', () => {
    const V = 2e-5;
    const S = 0.126; // 2π·0.02 cm·1 cm
    const dt = 1 / 72;
    const s0 = 3e-7;
    for (const law of ['eq19-20', 'code004'] as MucilageLaw[]) {
      const c = mucilageCoefficient_cm3_per_d(law, cp, S, V);
      const pb = tip({ dt_d: dt, volume_cm3: Float64Array.of(V), mucilageCoef_cm3_per_d: Float64Array.of(c) });
      const st = { sucrose_molC: Float64Array.of(4.8e-3 * V), starch_molC: Float64Array.of(s0) };
      const sol = new SucroseSolver();
      sol.step(pb, st);
      // Hand form: eq19-20 rate k S/V = 1·0.126/2e-5 = 6300 d⁻¹; code004 rate k = 1 d⁻¹.
      const rate = law === 'code004' ? 1 : (1 * S) / V;
      const expected = (s0 * rate * dt) / (1 + rate * dt);
      const err = Math.abs(sol.fluxes.mucilage[0] - expected) / expected;
      console.log(`mucilage law ${law}: first-order rate ${rate.toFixed(1)} d⁻¹, released ${sol.fluxes.mucilage[0].toExponential(4)} of ${s0} mol C starch, error ${err.toExponential(1)}`);
      expect(err).toBeLessThan(1e-14);
      expect(Math.abs(st.starch_molC[0] + sol.fluxes.mucilage[0] - s0)).toBeLessThan(1e-22);
    }
  });

  it('maintenance law code004 (CPlantBox Fu_lim): one node equals the backward-Euler closed form of V(C − C0)/dt = A − (R + G)x/(K + x), x = C − C_min; R_m = min(U, R) first', () => {
    // Hand numbers: C_min = K = 2.4e-3 mol C cm⁻³ (CSTimin = KMfu = 0.2 mmol sucrose cm⁻³), V = 1e-4 cm³, dt = 0.05 d.
    const V = 1e-4;
    const dt = 0.05;
    const cmin = 2.4e-3;
    const K = 2.4e-3;
    for (const [c0, A, R, G] of [
      [6e-3, 2e-6, 3e-6, 4e-6], // sucrose well above C_min: maintenance at its potential, growth the rest
      [3e-3, 0, 3e-6, 0], // no growth demand, little sucrose above C_min: maintenance limited below R
      [2.0e-3, 0, 3e-6, 4e-6], // below C_min: no maintenance, no growth (the independent law would respire)
    ]) {
      const pb = tip({ maintenanceLaw: 'code004', dt_d: dt, volume_cm3: Float64Array.of(V), source_molC_per_d: Float64Array.of(A), maintenancePotential_molC_per_d: Float64Array.of(R), growthDemand_molC_per_d: Float64Array.of(G) });
      const st = { sucrose_molC: Float64Array.of(c0 * V), starch_molC: Float64Array.of(0) };
      const s = new SucroseSolver();
      s.step(pb, st);
      // Closed form: with y = x0 + A dt/V (x0 = c0 − C_min), x solves V x/dt + U x/(K + x) = V y/dt, U = R + G:
      // x² + (K + U dt/V − y) x − y K = 0, the positive root (if y ≤ 0 nothing is used and x = y).
      const y = c0 - cmin + (A * dt) / V;
      const U = R + G;
      const b = K + (U * dt) / V - y;
      const x = y > 0 ? (-b + Math.sqrt(b * b + 4 * y * K)) / 2 : y;
      const use = y > 0 ? (dt * U * x) / (K + x) : 0;
      const rm = Math.min(use, dt * R);
      const c = st.sucrose_molC[0] / V;
      console.log(`maintenance code004 c0 ${c0}: C ${c.toExponential(6)} (closed form ${(x + cmin).toExponential(6)}), R_m ${s.fluxes.maintenance[0].toExponential(4)} (${rm.toExponential(4)}), growth ${s.fluxes.growthUptake[0].toExponential(4)} (${(use - rm).toExponential(4)}) mol C`);
      expect(Math.abs(c - (x + cmin)) / (x + cmin)).toBeLessThan(1e-12);
      expect(Math.abs(s.fluxes.maintenance[0] - rm)).toBeLessThan(1e-10 * Math.max(rm, 1e-12));
      expect(Math.abs(s.fluxes.growthUptake[0] - (use - rm))).toBeLessThan(1e-10 * Math.max(use, 1e-12));
      // Node budget: C0 V + A dt = C V + R_m + growth.
      expect(Math.abs(c0 * V + A * dt - st.sucrose_molC[0] - s.fluxes.maintenance[0] - s.fluxes.growthUptake[0])).toBeLessThan(1e-20);
    }
  });

  it('preset paper004 holds the code values (krm1 0.1 d⁻¹ at 20 °C for all organs, two leaf faces, code laws) and resolves within the registry ranges', () => {
    const p = PLANT_PRESETS.paper004;
    expect(p.laws).toEqual({ exudation: 'code004', mucilage: 'code004', maintenance: 'code004', stomatalHead: 'xylem', potentialGrowth: 'code004', photosynthesis: 'code004' });
    const carbon = resolveParams(CARBON_PARAMS, p.carbon as Record<string, number>, '', 'parameters.carbon');
    expect([carbon.maintenanceLeaf_per_d, carbon.maintenanceStem_per_d, carbon.maintenanceRoot_per_d, carbon.maintenanceTref_C]).toEqual([0.1, 0.1, 0.1, 20]);
    expect(resolveParams(LEAF_PARAMS, p.leaf as Record<string, number>, '', 'parameters.leaf').gasExchangeFaces).toBe(2);
    expect(PLANT_PRESETS.rhizocarb.carbon).toEqual({});
    expect(PLANT_PRESETS.rhizocarb.laws).toEqual({ exudation: 'threshold', mucilage: 'eq19-20' });
  });

  it('wheat, half a day from day 10 with each option: carbon closes ≤ 1e-9 and each option changes what it claims', () => {
    const xml = dataPath('plant/Triticum_aestivum_test_2021_1cm.xml');
    const plant = parsePlantXml(readTextFile(xml), xml);
    const run = (o: { laws?: PlantLaws; carbon?: Record<string, number>; leaf?: Record<string, number> }) => {
      const m = new PlantModel({
        plant, seed: 1, leaf: { ...paramDefaults(LEAF_PARAMS), ...o.leaf }, hydraulics: paramDefaults(HYDRAULIC_PARAMS), carbon: { ...cp, ...o.carbon },
        soil: SOILS.loam, interfaceDistance_cm: 0.01, structuralUntil_d: 10, laws: o.laws,
      });
      const soil = { psi_cm: new Float64Array(20000).fill(-100), cL_molC_per_cm3_water: new Float64Array(20000).fill(5e-6) };
      const dt = 1 / 72;
      let worst = 0;
      for (let i = 0; i < 54; i++) worst = Math.max(worst, m.step(dt, weatherAt(m.time_d + dt / 2, BASELINE_WEATHER), soil).budget.carbonRelativeError); // 0–18 h: day and dusk
      const c = m.cumulative;
      const total = Math.abs(c.assimilation_molC - c.maintenance_molC - c.growthRespiration_molC - c.structuralGrowth_molC - c.exudation_molC - c.mucilage_molC - (m.storage() - m.initialStorage_molC)) / c.assimilation_molC;
      return { worst, total, ...c };
    };
    const base = run({});
    const eq16 = run({ laws: { exudation: 'eq16', mucilage: 'eq19-20' } });
    const mucCode = run({ laws: { exudation: 'threshold', mucilage: 'code004' } });
    const maint = run({ carbon: PLANT_PRESETS.paper004.carbon as Record<string, number> });
    const maintCode = run({ laws: { exudation: 'threshold', mucilage: 'eq19-20', maintenance: 'code004' }, carbon: PLANT_PRESETS.paper004.carbon as Record<string, number> });
    const photo = run({ laws: { exudation: 'threshold', mucilage: 'eq19-20', photosynthesis: 'code004' } });
    const all = run({ laws: PLANT_PRESETS.paper004.laws, carbon: PLANT_PRESETS.paper004.carbon as Record<string, number>, leaf: PLANT_PRESETS.paper004.leaf as Record<string, number> });
    const f = (x: number) => (1e3 * x).toFixed(4);
    for (const [name, r] of Object.entries({ base, eq16, mucCode, maint, maintCode, photo, all })) {
      console.log(`${name}: exudation ${f(r.exudation_molC)} mucilage ${f(r.mucilage_molC)} maintenance ${f(r.maintenance_molC)} assimilation ${f(r.assimilation_molC)} mmol C; carbon error worst step ${r.worst.toExponential(1)}, total ${r.total.toExponential(1)}`);
      expect(r.worst).toBeLessThan(1e-9);
      expect(r.total).toBeLessThan(1e-9);
    }
    expect(eq16.exudation_molC).toBeGreaterThan(1.2 * base.exudation_molC); // no threshold: more exudation
    expect(mucCode.mucilage_molC).toBeLessThan(0.5 * base.mucilage_molC); // 1 d⁻¹ on the amount vs k S/V ≈ 10³ d⁻¹
    expect(Math.abs(mucCode.exudation_molC - base.exudation_molC)).toBeLessThan(0.02 * base.exudation_molC); // the mucilage law leaves exudation (nearly) alone
    expect(maint.maintenance_molC).toBeGreaterThan(3 * base.maintenance_molC); // 0.1 d⁻¹ vs 0.009–0.027 d⁻¹
    expect(all.assimilation_molC).toBeGreaterThan(1.3 * base.assimilation_molC); // two faces
    expect(maintCode.maintenance_molC).toBeLessThan(maint.maintenance_molC); // no maintenance below C_min, shared with growth
    expect(photo.assimilation_molC).not.toBeCloseTo(base.assimilation_molC, 6); // 004's leaf: net A_n (negative at night 0–6 h), Tuzet c_i
  });

  it("stomatalHead xylem (004 code, Photosynthesis.cpp l.755): each leaf's A_n is the gas exchange at f_w of its segment's mean xylem head; more assimilation than guard-cell in dry soil; carbon closes", () => {
    const xml = dataPath('plant/Triticum_aestivum_test_2021_1cm.xml');
    const plant = parsePlantXml(readTextFile(xml), xml);
    const leaf = { ...paramDefaults(LEAF_PARAMS), ...(PLANT_PRESETS.paper004.leaf as Record<string, number>) };
    const carbon = { ...cp, ...(PLANT_PRESETS.paper004.carbon as Record<string, number>) };
    const run = (stomatalHead: 'guard-cell' | 'xylem') => {
      const m = new PlantModel({
        plant, seed: 1, leaf, hydraulics: paramDefaults(HYDRAULIC_PARAMS), carbon, soil: SOILS.loam, interfaceDistance_cm: 0.01, structuralUntil_d: 10,
        laws: { ...PLANT_PRESETS.paper004.laws, stomatalHead },
      });
      const soil = { psi_cm: new Float64Array(20000).fill(-3000), cL_molC_per_cm3_water: new Float64Array(20000).fill(5e-6) };
      const dt = 1 / 72;
      let worst = 0;
      let w = weatherAt(10, DRY_SPELL_WEATHER);
      for (let i = 0; i < 36; i++) {
        w = weatherAt(m.time_d + dt / 2, DRY_SPELL_WEATHER); // 0–12 h: morning to noon of a dry-spell day
        worst = Math.max(worst, m.step(dt, w, soil).budget.carbonRelativeError);
      }
      return { m, w, worst };
    };
    const g = run('guard-cell');
    const x = run('xylem');
    // The last step's A_n per leaf against the leaf model (the preset's photosynthesis law) evaluated at the head each law names.
    const law = PLANT_PRESETS.paper004.laws.photosynthesis ?? 'leuning';
    const cond = leafConditionsFor(law, leaf, x.w, {} as LeafConditions);
    const gasExchange = (fw: number) => leafGasExchange(law, fw, cond, leaf, {} as GasExchange);
    const parent = x.m.arch.net.parent;
    let errX = 0, errG = 0, gap = 0;
    for (let j = 0; j < x.m.leafCount; j++) {
      const k = x.m.leafSegments[j] + 1;
      const mean = 0.5 * (x.m.psi_cm[k] + x.m.psi_cm[parent[k]]);
      errX = Math.max(errX, Math.abs(x.m.leafAnet_umol_m2_s[j] - gasExchange(stomatalWaterFactor(mean, leaf)).anet));
      gap = Math.max(gap, mean - x.m.leafPsiOx_cm[j]);
    }
    for (let j = 0; j < g.m.leafCount; j++) errG = Math.max(errG, Math.abs(g.m.leafAnet_umol_m2_s[j] - gasExchange(stomatalWaterFactor(g.m.leafPsiOx_cm[j], leaf)).anet));
    console.log(`f_w head: A_n vs leaf model at the named head, max |Δ| xylem ${errX.toExponential(1)}, guard-cell ${errG.toExponential(1)} µmol m⁻² s⁻¹; ψ̄_x − ψ_ox up to ${gap.toFixed(0)} cm; assimilation guard-cell ${(1e3 * g.m.cumulative.assimilation_molC).toFixed(4)}, xylem ${(1e3 * x.m.cumulative.assimilation_molC).toFixed(4)} mmol C; carbon worst step ${Math.max(g.worst, x.worst).toExponential(1)}`);
    expect(errX).toBeLessThan(1e-9);
    expect(errG).toBeLessThan(1e-9);
    expect(gap).toBeGreaterThan(100);
    expect(x.m.cumulative.assimilation_molC).toBeGreaterThan(g.m.cumulative.assimilation_molC);
    expect(Math.max(g.worst, x.worst)).toBeLessThan(1e-9);
  });
});
