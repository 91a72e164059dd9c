import { describe, expect, it } from 'vitest';
import {
  code004GrowingTime_d,
  code004PotentialIncrement_cm,
  code004PotentialRateOf_cm_per_d,
  PLANT_PRESETS,
  type PlantLaws,
} from '../../src/plant/departures.js';
import { CARBON_PARAMS, HYDRAULIC_PARAMS, LEAF_PARAMS, paramDefaults, resolveParams } from '../../src/plant/plant-params.js';
import { PlantModel } from '../../src/plant/plant-model.js';
import { BASELINE_WEATHER, weatherAt } from '../../src/plant/weather.js';
import { lengthAtAge } from '../../src/plant/growth-law.js';
import { parsePlantXml } from '../../src/plant/xml-params.js';
import { readTextFile } from '../../src/io/files.js';
import { dataPath } from '../../src/io/paths.js';
import { SOILS } from '../../src/soil/van-genuchten.js';
import { resolveScenario } from '../../src/scenarios/index.js';
import { buildCoupledModel, type ResolvedCoupled } from '../../src/scenarios/coupled.js';

const cp = paramDefaults(CARBON_PARAMS);
const xmlFile = dataPath('plant/Triticum_aestivum_test_2021_1cm.xml');
const wheat = parsePlantXml(readTextFile(xmlFile), xmlFile);

// 004's code written out as it is (CPlantBox runPM.cpp PhloemFlux::waterLimitedGrowth with growth.h ExponentialGrowth):
// age_ = getAge(Linit, rmax, k); e = max(0, getLength(age_ + dt) − getLength(age_)); stems lose the part of dt in the growth pause.
const getLength = (t: number, r: number, k: number) => k * (1 - Math.exp(-(r / k) * t));
const getAge = (l: number, r: number, k: number) => { const a = (-k / r) * Math.log(1 - l / k); return Number.isFinite(a) ? a : 1e9; };
const codeE = (k: number, L: number, r: number, dt: number) => { const a = getAge(L, r, k); return Math.max(0, getLength(a + dt, r, k) - getLength(a, r, k)); };
const codeDt = (age: number, dt: number, start: number, end: number) => {
  if (age + dt > start) {
    if (age + dt < end) return 0;
    const before = age < start ? Math.min(dt, start - age) : 0;
    const after = age + dt > end ? Math.min(dt, Math.max(age + dt - end, 0)) : 0;
    return before + after;
  }
  return dt;
};

describe("potential growth law code004 (004's Rmax_st, plant.laws.potentialGrowth)", () => {
  it("increment (lmax − L)(1 − e^{−Rmax dt/lmax}) equals the code's getAge/getLength route and hand numbers; pause and rates as the code", () => {
    // Hand numbers (python: −(k − L)·math.expm1(−r dt/k)): tap root 60 cm long 20 at 4.8 cm d⁻¹ for 20 min; leaf 43/5 at 16 for 20 min and 1 d; lateral 4/3.9 at 1.2 for 0.5 d.
    const cases: [number, number, number, number, number][] = [
      [60, 20, 4.8, 1 / 72, 0.04441976222882747],
      [43, 5, 16, 1 / 72, 0.1958758538325327],
      [43, 5, 16, 1, 11.80697545783398],
      [4, 3.9, 1.2, 0.5, 0.013929202357494232],
    ];
    let worstHand = 0;
    let worstCode = 0;
    for (const [k, L, r, dt, hand] of cases) {
      const e = code004PotentialIncrement_cm(k, L, r, dt);
      worstHand = Math.max(worstHand, Math.abs(e - hand) / hand);
      worstCode = Math.max(worstCode, Math.abs(e - codeE(k, L, r, dt)) / hand);
    }
    // The XML law for the same leaf and tap root (r 4 and 2.4 cm d⁻¹): 0.0491 and 0.0222 cm in 20 min, 4× and 2× less.
    const xmlLeaf = lengthAtAge({ lmax_cm: 43, r_cm_per_d: 4, gf: 3, pauseStart_d: Infinity, pauseEnd_d: Infinity }, (-43 / 4) * Math.log(1 - 5 / 43) + 1 / 72) - 5;
    console.log(`code004 increment: worst error vs hand numbers ${worstHand.toExponential(1)}, vs the code's getAge/getLength route ${worstCode.toExponential(1)}; leaf 43/5 cm in 20 min ${cases[1][4].toFixed(4)} cm (XML law ${xmlLeaf.toFixed(4)} cm)`);
    expect(worstHand).toBeLessThan(1e-14);
    expect(worstCode).toBeLessThan(1e-12); // the code's route loses digits in log(1 − L/k)
    expect(xmlLeaf).toBeCloseTo(0.049063905380883455, 12);
    expect(code004PotentialIncrement_cm(43, 43, 16, 1)).toBe(0);
    // Stem growth pause (wheat: delayNGStart 4, delayNGEnd 24 d of organ age), as the code: a step ending inside the pause grows 0.
    for (const [age, dt] of [[1, 0.5], [3.9, 0.2], [10, 1 / 72], [23.9, 0.2], [23.99, 0.02], [30, 1]]) {
      expect(code004GrowingTime_d(age, dt, 4, 24)).toBeCloseTo(codeDt(age, dt, 4, 24), 15);
    }
    expect(code004GrowingTime_d(23.9, 0.2, 4, 24)).toBeCloseTo(0.1, 14);
    expect(code004GrowingTime_d(3.9, 0.2, 4, 24)).toBe(0);
    expect(code004GrowingTime_d(5, 1, Infinity, Infinity)).toBe(1);
    // Rates by organ type and subType rank (runPM.h Rmax_st_perType, MappedPlant::mapSubTypes): wheat roots 1, 2, 3; stem 1; leaf 1.
    const rate = (kind: 'root' | 'stem' | 'leaf', st: number) => code004PotentialRateOf_cm_per_d(cp, wheat, kind, st);
    expect([rate('root', 1), rate('root', 2), rate('root', 3), rate('stem', 1), rate('leaf', 1)]).toEqual([4.8, 3.0, 1.2, 4, 16]);
    const twoLeaves = { organs: [...wheat.organs, { ...wheat.organs.find((o) => o.organType === 'leaf')!, subType: 2 }] };
    expect(() => code004PotentialRateOf_cm_per_d(cp, twoLeaves, 'leaf', 2)).toThrow(/leaf subType rank 1 has no Rmax_st/);
    expect(PLANT_PRESETS.paper004.laws.potentialGrowth).toBe('code004');
    expect(PLANT_PRESETS.rhizocarb.laws.potentialGrowth).toBeUndefined(); // xml
    expect(() => resolveParams(CARBON_PARAMS, { rmaxLeaf1_cm_per_d: 0 }, 'f.yaml', 'parameters.carbon')).toThrow(/rmaxLeaf1_cm_per_d/);
  });

  const run = (laws: PlantLaws | undefined, preset: boolean, steps: number, check?: (m: PlantModel) => () => void) => {
    const p = PLANT_PRESETS.paper004;
    const m = new PlantModel({
      plant: wheat, seed: 1, leaf: { ...paramDefaults(LEAF_PARAMS), ...(preset ? p.leaf : {}) }, hydraulics: paramDefaults(HYDRAULIC_PARAMS), carbon: { ...cp, ...(preset ? p.carbon : {}) },
      soil: SOILS.loam, interfaceDistance_cm: 0.01, structuralUntil_d: 10, laws,
    });
    const soil = { psi_cm: new Float64Array(20000).fill(-100), cL_molC_per_cm3_water: new Float64Array(20000).fill(5e-6) };
    const dt = 1 / 72;
    let worst = 0;
    for (let i = 0; i < steps; i++) {
      const after = check?.(m);
      worst = Math.max(worst, m.step(dt, weatherAt(m.time_d + dt / 2, BASELINE_WEATHER), soil).budget.carbonRelativeError);
      after?.();
    }
    const c = m.cumulative;
    const total = Math.abs(c.assimilation_molC - c.maintenance_molC - c.growthRespiration_molC - c.structuralGrowth_molC - c.exudation_molC - c.mucilage_molC - (m.storage() - m.initialStorage_molC)) / c.assimilation_molC;
    const lengths = { root: m.arch.totalLength('root'), stem: m.arch.totalLength('stem'), leaf: m.arch.totalLength('leaf') };
    return { worst, total, lengths, ...c };
  };

  it('wheat from day 10, one day: every organ stays within the code\'s potential increment and lmax; faster than the XML law allows somewhere', () => {
    let violations = 0;
    let worstExcess = -Infinity;
    let aboveXml = 0;
    let checked = 0;
    const r = run({ exudation: 'code004', mucilage: 'code004', maintenance: 'code004', potentialGrowth: 'code004' }, true, 72, (m) => {
      const t0 = m.time_d;
      const t1 = t0 + 1 / 72;
      const before = m.arch.organs.map((o) => {
        const ts = Math.max(t0, o.emerge_d);
        const dt = t1 - ts > 0 ? codeDt(ts - o.emerge_d, t1 - ts, o.law.pauseStart_d, o.law.pauseEnd_d) : 0;
        const rmax = { root: [4.8, 3.0, 1.2][o.params.subType - 1], stem: 4, leaf: 16 }[o.kind];
        const xml = lengthAtAge(o.law, o.devAge_d + Math.max(t1 - ts, 0)) - o.length_cm;
        return { o, L0: o.length_cm, allowed: dt > 0 && o.length_cm < o.law.lmax_cm ? codeE(o.law.lmax_cm, o.length_cm, rmax, dt) : 0, xml };
      });
      return () => {
        for (const b of before) {
          const grown = b.o.length_cm - b.L0;
          checked++;
          worstExcess = Math.max(worstExcess, grown - b.allowed);
          if (grown > b.allowed * (1 + 1e-9) + 1e-13 || b.o.length_cm > b.o.law.lmax_cm) violations++;
          if (grown > b.xml * (1 + 1e-6) + 1e-12) aboveXml++;
        }
      };
    });
    console.log(`code004, paper004 values, day 10–11: ${checked} organ-steps, ${violations} beyond the code's increment or lmax (largest growth − allowed ${worstExcess.toExponential(2)} cm), ${aboveXml} grew more than the XML law allows; carbon error worst step ${r.worst.toExponential(1)}`);
    expect(violations).toBe(0);
    expect(aboveXml).toBeGreaterThan(0);
  }, 60_000);

  it('carbon closes ≤ 1e-9 with code004 (rhizocarb values and paper004), and the law changes the growth demand', () => {
    const base = run(undefined, false, 54);
    const code = run({ exudation: 'threshold', mucilage: 'eq19-20', potentialGrowth: 'code004' }, false, 54);
    const p4xml = run({ ...PLANT_PRESETS.paper004.laws, potentialGrowth: 'xml' }, true, 54);
    const p4 = run(PLANT_PRESETS.paper004.laws, true, 54);
    const f = (x: number) => (1e3 * x).toFixed(4);
    for (const [name, r] of Object.entries({ base, code, p4xml, p4 })) {
      console.log(`${name}: structural growth ${f(r.structuralGrowth_molC)} growth resp. ${f(r.growthRespiration_molC)} maintenance ${f(r.maintenance_molC)} exudation ${f(r.exudation_molC)} mmol C; lengths root ${r.lengths.root.toFixed(1)} stem ${r.lengths.stem.toFixed(2)} leaf ${r.lengths.leaf.toFixed(2)} cm; carbon error worst step ${r.worst.toExponential(1)}, total ${r.total.toExponential(1)}`);
      expect(r.worst).toBeLessThan(1e-9);
      expect(r.total).toBeLessThan(1e-9);
    }
    // Faster potential: more carbon into structure (growth uptake is demand-limited in part of the day).
    expect(code.structuralGrowth_molC).toBeGreaterThan(base.structuralGrowth_molC);
    expect(p4.structuralGrowth_molC).toBeGreaterThan(p4xml.structuralGrowth_molC);
  }, 60_000);

  it('the law reaches the coupled kind: paper004 gives code004, plant.laws overrides it', () => {
    const laws = (plant: Record<string, unknown>) => buildCoupledModel(resolveScenario({ kind: 'coupled', name: 'c', time: { start_d: 2, end_d: 2.1 }, plant }) as unknown as ResolvedCoupled).plant.opts.laws;
    expect(laws({ preset: 'paper004' })?.potentialGrowth).toBe('code004');
    expect(laws({ preset: 'paper004', laws: { potentialGrowth: 'xml' } })?.potentialGrowth).toBe('xml');
    expect(laws({})?.potentialGrowth ?? 'xml').toBe('xml');
    expect(() => resolveScenario({ kind: 'coupled', name: 'c', plant: { laws: { potentialGrowth: 'fast' } } })).toThrow(/plant\.laws\.potentialGrowth/);
  }, 60_000);
});
