import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { z } from 'zod';
import { InputError, InputErrors } from '../core/errors.js';
import { readTextFile } from '../io/files.js';
import { dataPath } from '../io/paths.js';
import { lineChartSvg, type Series } from '../io/plot.js';
import { pvdString, vtkSegmentsString, type PvdEntry } from '../io/vtk.js';
import { tableDictionaryCsv, tableToCsv, tableToParquet, type Column, type Table } from '../io/table.js';
import {
  BASELINE_WEATHER,
  CARBON_PARAMS,
  DRY_SPELL_WEATHER,
  EXUDATION_LAWS,
  HYDRAULIC_PARAMS,
  MUCILAGE_LAWS,
  MAINTENANCE_LAWS,
  STOMATAL_HEADS,
  PHOTOSYNTHESIS_LAWS,
  POTENTIAL_GROWTH_LAWS,
  PLANT_PRESET_NAMES,
  PLANT_PRESETS,
  presetOverrides,
  LEAF_PARAMS,
  PlantModel,
  parsePlantXml,
  resolveParams,
  segmentGeometry,
  weatherAt,
  CODE004_DAY,
  DAY_SHAPE_KINDS,
  type ExudationLaw,
  type MucilageLaw,
  type MaintenanceLaw,
  type StomatalHead,
  type PhotosynthesisLaw,
  type PotentialGrowthLaw,
  type PlantLaws,
  type PlantPresetName,
  type PlantStepResult,
  type RootSurfaceSoil,
  type WeatherRegime,
} from '../plant/index.js';
import { formatKeyPath } from './load.js';
import { doc, paramOverrides } from './params-schema.js';
import { registerScenarioKind, type Check, type KindResult, type RunContext, type ScenarioContext, type WorkEstimate } from './registry.js';
import { resolveSoil, soilCrossCheck, soilSchema, type ResolvedSoil } from './schemas.js';
import { headFromWaterContent, waterContent } from '../soil/van-genuchten.js';

export function sha256Hex(text: string | Uint8Array): string {
  return createHash('sha256').update(text).digest('hex');
}

/**
 * Scenario kind `plant`: the plant of 004 in a soil of prescribed matric head and C_L^l (no soil
 * model): structural growth to `time.start_d`, then water, carbon, carbon- and water-limited growth,
 * exudation and mucilage to `time.end_d`; optionally a dry spell (soil head and weather switched,
 * RHIZOSPHERE.md). Writes time series, root-system snapshots (table + VTK), plots and the summary
 * with the plant's carbon and water balance errors and 004's plausibility numbers (PLANT.md).
 */
const regime = z
  .strictObject({
    tNight_C: z.number().min(-60).max(60).meta(doc('night air temperature (physical range of the model: −60 to 60 °C)', '°C')),
    tDay_C: z.number().min(-60).max(60).meta(doc('day air temperature (−60 to 60 °C)', '°C')),
    rhNight: z.number().gt(0).lt(1).meta(doc('night relative humidity', '1')),
    rhDay: z.number().gt(0).lt(1).meta(doc('day relative humidity', '1')),
    pAir_hPa: z.number().min(300).max(1200).meta(doc('air pressure', 'hPa')),
    parDay_umol_m2_s: z.number().min(0).max(3000).meta(doc('photosynthetically active radiation at the peak of the day', 'µmol m-2 s-1')),
    co2_umol_per_mol: z.number().positive().max(5000).meta(doc('atmospheric CO₂ mole fraction', 'µmol mol-1')),
  })
  .partial();

const weatherValues = (w: WeatherRegime) => Object.entries(w).map(([k, v]) => `${k} ${v}`).join(', ');

/** Hard limits, checked before anything is allocated. */
export const PLANT_LIMITS = { steps: 500_000, snapshots: 1000 } as const;
/**
 * Documented work limit in plant step-days: Σ over steps of the plant's age (the cost of a step
 * grows with the plant). The shipped 15-day baseline is 1.9e4 step-days (≈ 25 s); the limit is
 * about 20 minutes.
 */
export const PLANT_WORK_LIMIT = 1_000_000;

const DEFAULT_PLANT_XML = 'plant/Triticum_aestivum_test_2021_1cm.xml';

/** `plant.preset` of the plant and coupled kinds (src/plant/departures.ts). */
export const plantPresetSchema = z
  .enum(PLANT_PRESET_NAMES as [PlantPresetName, ...PlantPresetName[]])
  .default('rhizocarb')
  .meta(doc(`plant variant: ${PLANT_PRESET_NAMES.map((n) => `${n} — ${PLANT_PRESETS[n].description}`).join('; ')} (src/plant/departures.ts); in the plant kind parameters.* override the preset's values`));

/** `plant.laws` of the plant and coupled kinds: the exudation, mucilage, maintenance, stomatal-head, potential growth and photosynthesis laws, missing keys from the preset. */
export const plantLawsSchema = z
  .strictObject({
    exudation: z.enum(EXUDATION_LAWS as [ExudationLaw, ...ExudationLaw[]]).optional().meta(doc('004 Eq 16: threshold (K(C_st − C_thr − C_L^l)⁺, rhizocarb), eq16 (as printed, no threshold), code004 (004 code: K(C_st − C_thr − (C_L^l − CSTimin_exud)⁺)⁺)')),
    mucilage: z.enum(MUCILAGE_LAWS as [MucilageLaw, ...MucilageLaw[]]).optional().meta(doc('004 Eqs 19–20: eq19-20 (k_mucil cm d⁻¹ × S_tip × starch/V, rhizocarb), code004 (004 code: k_mucil,code d⁻¹ × tip starch)')),
    maintenance: z.enum(MAINTENANCE_LAWS as [MaintenanceLaw, ...MaintenanceLaw[]]).optional().meta(doc('maintenance respiration: independent (R_m,pot C/(K_M + C) next to growth, rhizocarb), code004 (004 code, CPlantBox Fu_lim: one use (R_m,pot + G)(C − C_min)⁺/(K_G + (C − C_min)⁺), maintenance first, none below C_min)')),
    stomatalHead: z.enum(STOMATAL_HEADS as [StomatalHead, ...StomatalHead[]]).optional().meta(doc("head the stomatal factor f_w reads: guard-cell (the leaf's outer-xylem head ψ_ox, rhizocarb), xylem (004 code, CPlantBox Photosynthesis.cpp: mean xylem head of the leaf segment)")),
    potentialGrowth: z.enum(POTENTIAL_GROWTH_LAWS as [PotentialGrowthLaw, ...PotentialGrowthLaw[]]).optional().meta(doc("potential growth after time.start_d (growth demand and elongation cap): xml (the XML law at its rate r, rhizocarb), code004 (004 code, CPlantBox PhloemFlux::waterLimitedGrowth: (lmax − L)(1 − e^{−Rmax dt/lmax}) at Rmax_st, parameters.carbon.rmax*_cm_per_d: roots 4.8/3.0/1.2, stem 4, leaves 16 cm d⁻¹)")),
    photosynthesis: z.enum(PHOTOSYNTHESIS_LAWS as [PhotosynthesisLaw, ...PhotosynthesisLaw[]]).optional().meta(doc("leaf photosynthesis and stomata: leuning (FvCB + Leuning g_s with VPD term, V_cmax at 25 °C, gross A to the phloem, rhizocarb), code004 (004 code, CPlantBox Photosynthesis.cpp: Tuzet c_i = (c_s a₁ f_w + Γ)/(1 + a₁ f_w), no VPD term, V_cmax and J_max ≤ J_ref from 20 °C, mesophyll g_m in the water path, net A_n to the phloem, negative at night; values: the plant.leaf *004* parameters)")),
  })
  .default({})
  .meta(doc("exudation, mucilage, maintenance, stomatal-head, potential growth and leaf photosynthesis laws; missing keys from the preset"));

export const plantScenarioSchema = z.strictObject({
  kind: z.literal('plant').meta(doc('scenario kind')),
  name: z.string().default('plant').meta(doc('name of the run')),
  description: z.string().optional().meta(doc('free text')),
  plant: z
    .strictObject({
      file: z.string().optional().meta(doc(`CPlantBox XML parameter file, relative to the scenario file (default: the shipped wheat of 004, data/${DEFAULT_PLANT_XML})`)),
      sha256: z.string().regex(/^[0-9a-f]{64}$/).optional().meta(doc('SHA-256 of the XML file; resolved scenarios record it and a run refuses a file that changed since')),
      seed: z.int().default(1).meta(doc('random seed of the root architecture (branching, tropism)')),
      preset: plantPresetSchema,
      laws: plantLawsSchema,
    })
    .default({ seed: 1, preset: 'rhizocarb', laws: {} })
    .meta(doc('the plant: architecture parameters and seed')),
  time: z
    .strictObject({
      start_d: z.number().nonnegative().default(10).meta(doc('days after sowing at which water and carbon simulation starts (structural growth only before)', 'd', '004 Sec. 2.3')),
      end_d: z.number().positive().default(25).meta(doc('days after sowing at which the run ends', 'd', '004 Sec. 2.3')),
      step_min: z.number().positive('a step > 0 min').max(1440, 'a step ≤ 1440 min (one day)').default(20).meta(doc('time step', 'min')),
    })
    .default({ start_d: 10, end_d: 25, step_min: 20 })
    .meta(doc('simulated period')),
  soil: z
    .strictObject({
      hydraulics: soilSchema.default('loam'),
      psi_cm: z.number().max(0, 'a matric head ≤ 0 cm').min(-1e6, 'a matric head ≥ −10⁶ cm (air-dry soil; drier is outside the hydraulic model)').default(-100).meta(doc('prescribed soil matric head at every root surface', 'cm', 'RHIZOSPHERE.md (004 baseline)')),
      cL_molC_per_cm3_water: z.number().nonnegative('a concentration ≥ 0 mol C cm⁻³ water').default(5e-6).meta(doc('prescribed C_L^l at the root surface (exudation gradient)', 'mol C cm-3 water')),
      interfaceDistance_cm: z.number().positive('a distance > 0 cm').default(0.01).meta(doc('distance over which root and soil heads are coupled at the root surface', 'cm')),
    })
    .default({ hydraulics: 'loam', psi_cm: -100, cL_molC_per_cm3_water: 5e-6, interfaceDistance_cm: 0.01 })
    .meta(doc('the soil the plant sees (prescribed; no soil model in this kind)')),
  drySpell: z
    .strictObject({
      start_d: z.number().nonnegative().meta(doc('start of the dry spell, days after sowing', 'd', '004 Sec. 2.3 (earlyDry 11–18, lateDry 18–25)')),
      end_d: z.number().positive().meta(doc('end of the dry spell', 'd')),
      psi_cm: z.number().max(0, 'a matric head ≤ 0 cm').min(-1e6, 'a matric head ≥ −10⁶ cm (air-dry soil)').default(-450).meta(doc('soil matric head during the spell (with soilVolume_cm3: at its start)', 'cm', 'RHIZOSPHERE.md')),
      soilVolume_cm3: z.number().positive('a volume > 0 cm³').optional().meta(doc("if given, the soil dries during the spell: one well-mixed store of this volume starts at θ(psi_cm) and loses the plant's root water uptake each step, and every root sees ψ_soil = h(θ) (no gradients: the root surface of a real soil is drier); 004's soil domain is 3 × 12 × 40 = 1440 cm³. Absent: ψ_soil stays at psi_cm", 'cm3', '004 Sec. 2.3 (dynamic soil water during the spells)')),
    })
    .optional()
    .meta(doc('a dry spell: soil head and weather (weather.dry) switched between start_d and end_d; absent = none')),
  weather: z
    .strictObject({
      sunrise_h: z.number().min(0).max(24).default(6).meta(doc('sunrise', 'h')),
      sunset_h: z.number().min(0).max(24).default(18).meta(doc('sunset', 'h')),
      dayShape: z.enum(DAY_SHAPE_KINDS).default('truncated-sine').meta(doc("diurnal shape: truncated-sine (PLANT.md, between sunrise_h and sunset_h; daily mean factor 0.318 for 6–18 h) or sinusoidal3 (004's code, helpfull.py::sinusoidal3 in the code's phase: light peaks at integer days; sunrise_h/sunset_h not used; daily mean factor 0.450)", undefined, 'COUPLING.md Scenarios; 004 code')),
      baseline: regime.default({}).meta(doc(`weather outside a dry spell; missing keys from 004's baseline (${weatherValues(BASELINE_WEATHER)})`)),
      dry: regime.default({}).meta(doc(`weather during the dry spell; missing keys from 004's dry spell (${weatherValues(DRY_SPELL_WEATHER)})`)),
    })
    .default({ sunrise_h: 6, sunset_h: 18, dayShape: 'truncated-sine', baseline: {}, dry: {} })
    .meta(doc('diurnal atmospheric forcing (004 code `weather()`)')),
  parameters: z
    .strictObject({
      leaf: paramOverrides('plant.leaf', LEAF_PARAMS).optional().meta(doc('photosynthesis and stomata (FvCB, Leuning): any of the plant.leaf parameters of docs/PARAMETERS.md')),
      hydraulics: paramOverrides('plant.hydraulics', HYDRAULIC_PARAMS).optional().meta(doc('root and leaf hydraulics: any of the plant.hydraulics parameters')),
      carbon: paramOverrides('plant.carbon', CARBON_PARAMS).optional().meta(doc('carbon balance, exudation, mucilage: any of the plant.carbon parameters')),
    })
    .default({})
    .meta(doc('parameter overrides; resolved scenarios list every parameter')),
  outputs: z
    .strictObject({
      snapshots_d: z.array(z.number().nonnegative()).max(PLANT_LIMITS.snapshots).default([10, 15, 20, 25]).meta(doc('days after sowing at which the root system is written (segments table and VTK)', 'd')),
      vtk: z.boolean().default(true).meta(doc('write VTK PolyData (.vtp) snapshots and their time series snapshots/plant.pvd for ParaView')),
    })
    .default({ snapshots_d: [10, 15, 20, 25], vtk: true })
    .meta(doc('what is written besides the time series and plots')),
});

export type PlantScenario = z.infer<typeof plantScenarioSchema>;

export type ResolvedPlant = PlantScenario & {
  plant: { file: string; sha256: string; seed: number; preset: PlantPresetName; laws: PlantLaws };
  soil: { hydraulics: ResolvedSoil };
  weather: { baseline: WeatherRegime; dry: WeatherRegime };
  parameters: { leaf: Record<string, number>; hydraulics: Record<string, number>; carbon: Record<string, number> };
};

function plantFile(s: PlantScenario, baseDir: string): string {
  return s.plant.file ? (isAbsolute(s.plant.file) ? s.plant.file : resolve(baseDir, s.plant.file)) : dataPath(DEFAULT_PLANT_XML);
}

/** Second validation pass: files, cross-field ranges, hard limits. */
function check(s: PlantScenario, { source, baseDir }: ScenarioContext): void {
  const errors: InputError[] = [];
  const file = source.file;
  const at = (path: (string | number)[]) => source.locate(path);
  const add = (path: (string | number)[], value: unknown, expected: string) => errors.push(new InputError({ file, keyPath: formatKeyPath(path), value, ...at(path), expected }));
  const xml = plantFile(s, baseDir);
  if (s.plant.file && !existsSync(xml)) add(['plant', 'file'], s.plant.file, `an existing CPlantBox XML file (looked for ${xml})`);
  else {
    try {
      const text = readTextFile(xml, 'a readable CPlantBox XML parameter file');
      if (s.plant.sha256 && sha256Hex(text) !== s.plant.sha256) add(['plant', 'sha256'], s.plant.sha256, `the SHA-256 of ${xml} (${sha256Hex(text)}): the file changed since the scenario was resolved`);
      parsePlantXml(text, xml); // XML problems are reported before anything runs
    } catch (e) {
      if (e instanceof InputErrors) errors.push(...e.errors);
      else if (e instanceof InputError) errors.push(e);
      else throw e;
    }
  }
  if (!(s.time.end_d > s.time.start_d)) add(['time', 'end_d'], s.time.end_d, `a time after time.start_d (${s.time.start_d} d)`);
  const steps = (s.time.end_d - s.time.start_d) / (s.time.step_min / 1440);
  if (!(steps <= PLANT_LIMITS.steps)) add(['time', 'step_min'], s.time.step_min, `a step giving at most ${PLANT_LIMITS.steps.toExponential(0)} steps (${s.time.end_d - s.time.start_d} d / ${s.time.step_min} min = ${steps.toExponential(2)} steps)`);
  if (s.drySpell && !(s.drySpell.end_d > s.drySpell.start_d)) add(['drySpell', 'end_d'], s.drySpell.end_d, `a time after drySpell.start_d (${s.drySpell.start_d} d)`);
  if (!(s.weather.sunset_h > s.weather.sunrise_h)) add(['weather', 'sunset_h'], s.weather.sunset_h, `an hour after weather.sunrise_h (${s.weather.sunrise_h})`);
  // Snapshot days the user gave (not the defaults) must fall inside the simulated period.
  const given = (source.data as { outputs?: { snapshots_d?: unknown } } | null)?.outputs?.snapshots_d;
  if (Array.isArray(given)) {
    s.outputs.snapshots_d.forEach((d, i) => {
      if (d < s.time.start_d || d > s.time.end_d) add(['outputs', 'snapshots_d', i], d, `a day from time.start_d to time.end_d (${s.time.start_d}–${s.time.end_d} d)`);
    });
  }
  const soilProblem = soilCrossCheck(s.soil.hydraulics);
  if (soilProblem) add(['soil', 'hydraulics', 'thetaS'], resolveSoil(s.soil.hydraulics).thetaS, soilProblem);
  if (errors.length > 0) throw errors.length === 1 ? errors[0] : new InputErrors(errors);
}

function resolvePlant(s: PlantScenario, { baseDir }: ScenarioContext): ResolvedPlant {
  const file = plantFile(s, baseDir);
  const preset = presetOverrides(s.plant.preset, { laws: s.plant.laws, leaf: s.parameters.leaf as Record<string, number> | undefined, carbon: s.parameters.carbon as Record<string, number> | undefined });
  return {
    ...s,
    plant: { file, sha256: sha256Hex(readTextFile(file, 'a readable CPlantBox XML parameter file')), seed: s.plant.seed, preset: s.plant.preset, laws: preset.laws },
    soil: { ...s.soil, hydraulics: resolveSoil(s.soil.hydraulics) },
    weather: { ...s.weather, baseline: { ...BASELINE_WEATHER, ...s.weather.baseline }, dry: { ...DRY_SPELL_WEATHER, ...s.weather.dry } },
    parameters: {
      leaf: resolveParams(LEAF_PARAMS, preset.leaf, '', 'parameters.leaf'),
      hydraulics: resolveParams(HYDRAULIC_PARAMS, s.parameters.hydraulics as Record<string, number> | undefined, '', 'parameters.hydraulics'),
      carbon: resolveParams(CARBON_PARAMS, preset.carbon, '', 'parameters.carbon'),
    },
  };
}

function estimatePlant(r: ResolvedPlant): WorkEstimate {
  const steps = Math.max(1, Math.round((r.time.end_d - r.time.start_d) / (r.time.step_min / 1440)));
  const stepDays = steps * ((r.time.start_d + r.time.end_d) / 2);
  return { workUnits: stepDays, unit: 'plant step-days', description: `${steps} steps of ${r.time.step_min} min from day ${r.time.start_d} to ${r.time.end_d} (× mean plant age ${((r.time.start_d + r.time.end_d) / 2).toFixed(1)} d)`, limit: PLANT_WORK_LIMIT };
}

/** Columns of the time series, with units. */
const SERIES: readonly [string, string, string][] = [
  ['time_d', 'd', 'end of the step (days after sowing)'],
  ['par_umol_m2_s', 'µmol m-2 s-1', 'PAR at mid-step'],
  ['airTemperature_C', '°C', 'air temperature at mid-step'],
  ['soilPsi_cm', 'cm', 'soil matric head the roots see (prescribed; in a drying spell, h(θ) of the store)'],
  ['assimilation_molC_per_d', 'mol C d-1', 'gross assimilation (A_n + R_d)'],
  ['maintenanceRespiration_molC_per_d', 'mol C d-1', 'maintenance respiration'],
  ['growthRespiration_molC_per_d', 'mol C d-1', 'growth respiration'],
  ['structuralGrowth_molC_per_d', 'mol C d-1', 'carbon built into new organ length'],
  ['exudation_molC_per_d', 'mol C d-1', 'exudation at growing tips (004 Eqs 15–16)'],
  ['mucilage_molC_per_d', 'mol C d-1', 'mucilage at growing tips (004 Eqs 19–20)'],
  ['sucrose_molC', 'mol C', 'sucrose in sieve tubes and leaf mesophyll'],
  ['starch_molC', 'mol C', 'starch (sieve-tube tissue and leaf mesophyll)'],
  ['transpiration_cm3_per_d', 'cm3 d-1', 'transpiration'],
  ['rootUptake_cm3_per_d', 'cm3 d-1', 'net root water uptake'],
  ['psiCollar_cm', 'cm', 'xylem head at the seed node'],
  ['psiXylemMean_cm', 'cm', 'mean xylem head over all nodes'],
  ['psiXylemMin_cm', 'cm', 'lowest xylem head'],
  ['psiLeafOuterMean_cm', 'cm', 'mean outer-xylem (guard cell) head of the leaves'],
  ['leafArea_cm2', 'cm2', 'one-sided leaf blade area'],
  ['rootLength_cm', 'cm', 'total root length'],
  ['segments', '1', 'number of segments'],
  ['growingTips', '1', 'number of exuding (growing) root tips'],
  ['peakTipExudation_mmolC_per_cm2_d', 'mmol C cm-2 d-1', 'highest exudation per root surface at a tip'],
  ['carbonRelativeError', '1', 'step carbon balance error / step throughput'],
  ['waterRelativeError', '1', 'step water balance error / transpiration'],
  ['xylemNewtonIterations', '1', 'Newton iterations of the xylem–stomata solve'],
  ['sucrosePicardIterations', '1', 'Picard iterations of the sieve-tube step'],
];

/** The plant's own columns of {@link SERIES} (assimilation … Picard iterations), shared with the `coupled` kind. */
export const PLANT_STEP_SERIES = SERIES.slice(4);

/** One row of {@link PLANT_STEP_SERIES} after a plant step of dt days (rates = step amounts / dt). */
export function plantStepRow(model: PlantModel, res: PlantStepResult, dt: number): Record<string, number> {
  const b = res.budget;
  const net = model.arch.net;
  let psiMean = 0;
  let psiMin = Infinity;
  for (let k = 0; k < net.nodeCount; k++) {
    psiMean += model.psi_cm[k];
    psiMin = Math.min(psiMin, model.psi_cm[k]);
  }
  psiMean /= net.nodeCount;
  let ox = 0;
  for (let j = 0; j < model.leafCount; j++) ox += model.leafPsiOx_cm[j];
  let tips = 0;
  for (let q = 0; q < net.segmentCount; q++) tips += model.growingTip[q];
  return {
    assimilation_molC_per_d: b.assimilation_molC / dt, maintenanceRespiration_molC_per_d: b.maintenance_molC / dt,
    growthRespiration_molC_per_d: b.growthRespiration_molC / dt, structuralGrowth_molC_per_d: b.structuralGrowth_molC / dt,
    exudation_molC_per_d: b.exudation_molC / dt, mucilage_molC_per_d: b.mucilage_molC / dt,
    sucrose_molC: model.totalSucrose(), starch_molC: model.totalStarch(),
    transpiration_cm3_per_d: b.transpiration_cm3 / dt, rootUptake_cm3_per_d: b.rootUptake_cm3 / dt,
    psiCollar_cm: model.psi_cm[0], psiXylemMean_cm: psiMean, psiXylemMin_cm: psiMin, psiLeafOuterMean_cm: model.leafCount > 0 ? ox / model.leafCount : NaN,
    leafArea_cm2: model.leafArea(), rootLength_cm: model.arch.totalLength('root'), segments: net.segmentCount, growingTips: tips,
    peakTipExudation_mmolC_per_cm2_d: b.peakTipExudation_molC_per_cm2_d * 1e3,
    carbonRelativeError: b.carbonRelativeError, waterRelativeError: b.waterRelativeError,
    xylemNewtonIterations: res.xylemIterations, sucrosePicardIterations: res.picardIterations,
  };
}

async function runPlant(s: ResolvedPlant, ctx: RunContext): Promise<KindResult> {
  const r = {
    baseline: s.weather.baseline,
    dry: s.weather.dry,
    leaf: s.parameters.leaf as Record<(typeof LEAF_PARAMS)[number]['name'], number>,
    hydraulics: s.parameters.hydraulics as Record<(typeof HYDRAULIC_PARAMS)[number]['name'], number>,
    carbon: s.parameters.carbon as Record<(typeof CARBON_PARAMS)[number]['name'], number>,
  };
  const plant = parsePlantXml(readTextFile(s.plant.file, 'a readable CPlantBox XML parameter file'), s.plant.file);
  if (plant.warnings.length > 0) ctx.log(`note: ${plant.warnings.length} notes on ${s.plant.file} (listed in summary.json plant.notes), e.g. ${plant.warnings[0]}`);
  const model = new PlantModel({
    plant, seed: s.plant.seed, leaf: r.leaf, hydraulics: r.hydraulics, carbon: r.carbon, soil: s.soil.hydraulics,
    interfaceDistance_cm: s.soil.interfaceDistance_cm, structuralUntil_d: s.time.start_d, laws: s.plant.laws,
  });
  const day = s.weather.dayShape === 'sinusoidal3' ? CODE004_DAY : { sunrise_h: s.weather.sunrise_h, sunset_h: s.weather.sunset_h };
  const dt = s.time.step_min / 1440;
  const nSteps = Math.max(1, Math.round((s.time.end_d - s.time.start_d) / dt));
  const cols = new Map<string, Float64Array>(SERIES.map(([name]) => [name, new Float64Array(nSteps)]));
  const col = (name: string) => cols.get(name)!;
  let soilArrays = { psi: new Float64Array(4096), cl: new Float64Array(4096) };
  const snapshots = [...new Set(s.outputs.snapshots_d)].filter((d) => d >= s.time.start_d - 1e-9 && d <= s.time.end_d + 1e-9).sort((a, b) => a - b);
  const snapshotRows: Record<string, unknown>[] = [];
  const pvd: PvdEntry[] = [];
  let nightGrowth = 0;
  let worstStepCarbon = 0;
  let worstStepWater = 0;
  let peakExud = { value: 0, time_d: NaN };
  let nonConverged = 0;
  const writeSnapshot = (label: string) => {
    const g = segmentGeometry(model);
    const ns = g.count;
    const net = model.arch.net;
    const rel = model.waterRelease();
    const table: Table = {
      columns: [
        { name: 'segment', unit: '1', data: Int32Array.from({ length: ns }, (_, i) => i) },
        { name: 'parentSegment', unit: '1', data: g.parentSegment },
        { name: 'organ', unit: '1', data: g.organ },
        { name: 'organType', unit: '1', description: 'CPlantBox organ type: 2 root, 3 stem, 4 leaf', data: g.organType },
        { name: 'subType', unit: '1', data: g.subType },
        { name: 'x0_cm', unit: 'cm', data: g.x0 }, { name: 'y0_cm', unit: 'cm', data: g.y0 }, { name: 'z0_cm', unit: 'cm', data: g.z0 },
        { name: 'x1_cm', unit: 'cm', data: g.x1 }, { name: 'y1_cm', unit: 'cm', data: g.y1 }, { name: 'z1_cm', unit: 'cm', data: g.z1 },
        { name: 'radius_cm', unit: 'cm', data: g.radius_cm },
        { name: 'length_cm', unit: 'cm', data: g.length_cm },
        { name: 'age_d', unit: 'd', data: g.age_d },
        { name: 'growingTip', unit: '1', data: g.growingTip },
        { name: 'waterRelease_cm3_per_d', unit: 'cm3 d-1', description: 'to the soil; negative = uptake', data: rel },
        { name: 'exudation_molC_per_d', unit: 'mol C d-1', data: model.exudation_molC_per_d.slice(0, ns) },
        { name: 'mucilage_molC_per_d', unit: 'mol C d-1', data: model.mucilage_molC_per_d.slice(0, ns) },
      ],
    };
    ctx.out.write(`snapshots/segments-${label}.csv`, tableToCsv(table));
    ctx.out.write(`snapshots/segments-${label}.parquet`, tableToParquet(table, { 'rhizocarb.snapshot_d': String(model.time_d) }));
    if (s.outputs.vtk) {
      const sucroseConc = new Float64Array(net.nodeCount);
      const vol = model.nodeVolume();
      for (let k = 0; k < net.nodeCount; k++) sucroseConc[k] = vol[k] > 0 ? model.carbon.sucrose_molC[k] / vol[k] : 0;
      ctx.out.write(
        `snapshots/plant-${label}.vtp`,
        vtkSegmentsString({
          x: net.x, y: net.y, z: net.z, nodeCount: net.nodeCount,
          from: net.parent.subarray(1, net.nodeCount), to: Int32Array.from({ length: ns }, (_, i) => i + 1), segmentCount: ns,
          cellData: [
            { name: 'segment', data: Int32Array.from({ length: ns }, (_, i) => i), type: 'Int32' }, { name: 'organ', data: g.organ, type: 'Int32' },
            { name: 'radius_cm', data: g.radius_cm }, { name: 'organType', data: g.organType, type: 'Int32' }, { name: 'subType', data: g.subType, type: 'Int32' },
            { name: 'age_d', data: g.age_d }, { name: 'growingTip', data: g.growingTip, type: 'UInt8' }, { name: 'waterRelease_cm3_per_d', data: rel },
            { name: 'exudation_molC_per_d', data: model.exudation_molC_per_d }, { name: 'mucilage_molC_per_d', data: model.mucilage_molC_per_d },
          ],
          pointData: [{ name: 'psiXylem_cm', data: model.psi_cm }, { name: 'sucrose_molC_per_cm3', data: sucroseConc }],
        }),
      );
    }
    if (s.outputs.vtk) {
      pvd.push({ time: Number(label.slice(1)), file: `plant-${label}.vtp` }); // the nominal snapshot day (labels are d<day>)
      ctx.out.write('snapshots/plant.pvd', pvdString(pvd));
    }
    snapshotRows.push({ label, time_d: model.time_d, segments: ns, rootLength_cm: model.arch.totalLength('root'), leafArea_cm2: model.leafArea() });
  };
  if (snapshots.length > 0 && snapshots[0] <= s.time.start_d + 1e-9) writeSnapshot(`d${fmtDay(model.time_d)}`);
  let nextSnap = snapshots.findIndex((d) => d > s.time.start_d + 1e-9);

  const spellVolume = s.drySpell?.soilVolume_cm3;
  // θ stays above θ_r (h(θ) → −∞ there); the head is also floored at −10⁶ cm, the schema's air-dry limit.
  const thetaFloor = s.soil.hydraulics.thetaR + 1e-9 * (s.soil.hydraulics.thetaS - s.soil.hydraulics.thetaR);
  let spellTheta = NaN;
  ctx.progress.start(nSteps, s.name);
  for (let i = 0; i < nSteps; i++) {
    const tMid = model.time_d + dt / 2;
    const dry = s.drySpell !== undefined && tMid >= s.drySpell.start_d && tMid < s.drySpell.end_d;
    const w = weatherAt(tMid, dry ? r.dry : r.baseline, day);
    // Drying store of the spell (drySpell.soilVolume_cm3): θ from the spell's start head, minus the uptake so far.
    if (dry && spellVolume !== undefined && !Number.isFinite(spellTheta)) spellTheta = waterContent(s.drySpell!.psi_cm, s.soil.hydraulics);
    if (!dry) spellTheta = NaN;
    const psiSoil = dry ? (Number.isFinite(spellTheta) ? Math.max(headFromWaterContent(spellTheta, s.soil.hydraulics), -1e6) : s.drySpell!.psi_cm) : s.soil.psi_cm;
    const ns = model.arch.net.nodeCount + 64;
    if (soilArrays.psi.length < ns) soilArrays = { psi: new Float64Array(2 * ns), cl: new Float64Array(2 * ns) };
    soilArrays.psi.fill(psiSoil);
    soilArrays.cl.fill(s.soil.cL_molC_per_cm3_water);
    const soil: RootSurfaceSoil = { psi_cm: soilArrays.psi, cL_molC_per_cm3_water: soilArrays.cl };
    const res = model.step(dt, w, soil);
    const b = res.budget;
    if (Number.isFinite(spellTheta)) spellTheta = Math.max(spellTheta - b.rootUptake_cm3 / spellVolume!, thetaFloor);
    if (!res.xylemConverged) nonConverged++;
    if (w.par_umol_m2_s <= 0) nightGrowth += b.structuralGrowth_molC;
    worstStepCarbon = Math.max(worstStepCarbon, b.carbonRelativeError);
    worstStepWater = Math.max(worstStepWater, b.waterRelativeError);
    if (b.peakTipExudation_molC_per_cm2_d > peakExud.value) peakExud = { value: b.peakTipExudation_molC_per_cm2_d, time_d: model.time_d };
    const net = model.arch.net;
    const row: Record<string, number> = { time_d: model.time_d, par_umol_m2_s: w.par_umol_m2_s, airTemperature_C: w.t_C, soilPsi_cm: psiSoil, ...plantStepRow(model, res, dt) };
    for (const [k, v] of Object.entries(row)) col(k)[i] = v;
    if (nextSnap >= 0 && nextSnap < snapshots.length && model.time_d >= snapshots[nextSnap] - 1e-9) {
      writeSnapshot(`d${fmtDay(snapshots[nextSnap])}`);
      nextSnap++;
    }
    if (i % 18 === 0 || i === nSteps - 1) ctx.progress.update(i + 1, { day: model.time_d.toFixed(2), segments: net.segmentCount });
    await ctx.checkpoint();
  }
  ctx.progress.stop();

  const table: Table = { columns: SERIES.map(([name, unit, description]): Column => ({ name, unit, description, data: col(name) })) };
  ctx.out.write('timeseries.csv', tableToCsv(table));
  ctx.out.write('timeseries.parquet', tableToParquet(table, { 'rhizocarb.kind': 'plant' }));
  ctx.out.write('columns.csv', tableDictionaryCsv(table));
  await writePlots(ctx, col);

  const c = model.cumulative;
  const storageChange = model.storage() - model.initialStorage_molC;
  const carbonError = c.assimilation_molC - c.maintenance_molC - c.growthRespiration_molC - c.structuralGrowth_molC - c.exudation_molC - c.mucilage_molC - storageChange;
  const plaus = plausibility(col('time_d'), col('psiXylemMean_cm'), col('psiCollar_cm'), dt);
  const totalGrowth = c.structuralGrowth_molC;
  const nightFrac = totalGrowth > 0 ? nightGrowth / totalGrowth : null;
  const exudFrac = c.exudation_molC / c.assimilation_molC;
  const mucFrac = c.exudation_molC > 0 ? c.mucilage_molC / c.exudation_molC : null;
  const pct = (v: number | null) => (v === null ? 'n/a' : `${(100 * v).toFixed(1)} %`);
  const target = (name: string, passed: boolean, message: string, value: number | null): Check => ({ name: `plausibility.${name}`, passed, severity: 'warning', message: `004 Sec. 4.2 target: ${message}`, value });
  const checks: Check[] = [
    target('diurnalXylemHead', plaus.psiXylemMeanDiurnalRange_cm > 100, `diurnal range of the mean xylem head ${plaus.psiXylemMeanDiurnalRange_cm.toFixed(0)} cm > 100 cm`, plaus.psiXylemMeanDiurnalRange_cm),
    target('growthMostlyAtNight', nightFrac !== null && nightFrac > 0.5, `night share of structural growth ${pct(nightFrac)} > 50 %`, nightFrac),
    target('exudation3to40PercentOfAssimilation', exudFrac >= 0.03 && exudFrac <= 0.4, `exudation ${pct(exudFrac)} of assimilation within 3–40 %`, exudFrac),
    target('mucilage1to10PercentOfExudation', mucFrac !== null && mucFrac >= 0.01 && mucFrac <= 0.1, `mucilage ${pct(mucFrac)} of exudation within 1–10 %`, mucFrac),
    target('peakExudationWithin50PercentOf0_15', peakExud.value * 1e3 >= 0.075 && peakExud.value * 1e3 <= 0.225, `peak tip exudation ${(peakExud.value * 1e3).toFixed(3)} mmol C cm⁻² d⁻¹ within 0.075–0.225`, peakExud.value * 1e3),
  ];
  return {
    checks,
    balance: {
      carbon: {
        // Relative to the run's carbon throughput: assimilation, or what the sinks took from storage (a night-only run has no assimilation).
        relativeError: Math.abs(carbonError) / Math.max(c.assimilation_molC, c.maintenance_molC + c.growthRespiration_molC + c.structuralGrowth_molC + c.exudation_molC + c.mucilage_molC, Math.abs(storageChange), 1e-300),
        absoluteError_molC: carbonError,
        worstStepRelativeError: worstStepCarbon,
        terms_molC: {
          assimilation: c.assimilation_molC, maintenanceRespiration: c.maintenance_molC, growthRespiration: c.growthRespiration_molC,
          structuralGrowth: c.structuralGrowth_molC, exudation: c.exudation_molC, mucilage: c.mucilage_molC, storageChange,
        },
      },
      water: {
        relativeError: Math.abs(c.rootUptake_cm3 - c.transpiration_cm3) / Math.max(c.transpiration_cm3, 1e-300),
        worstStepRelativeError: worstStepWater,
        transpiration_cm3: c.transpiration_cm3,
        rootUptake_cm3: c.rootUptake_cm3,
      },
    },
    plausibility: {
      ...plaus,
      nightGrowthFraction: nightFrac,
      exudationPerAssimilation: exudFrac,
      mucilagePerExudation: mucFrac,
      respirationPerAssimilation: (c.maintenance_molC + c.growthRespiration_molC) / c.assimilation_molC,
      peakTipExudation_mmolC_per_cm2_d: peakExud.value * 1e3,
      peakTipExudationTime_d: peakExud.time_d,
      checks: Object.fromEntries(checks.map((c) => [c.name.replace('plausibility.', ''), c.passed])),
      targets: 'PLANT.md / 004 Sec. 4.2: growth mostly at night, exudation 3–40 % of assimilation, mucilage 1–10 % of exudation, peak ≈ 0.15 mmol C cm⁻² d⁻¹',
    },
    plant: {
      file: s.plant.file,
      preset: s.plant.preset,
      laws: s.plant.laws,
      warnings: plant.warnings.length,
      notes: plant.warnings,
      segmentsAtEnd: model.arch.net.segmentCount,
      rootLengthAtEnd_cm: model.arch.totalLength('root'),
      leafAreaAtEnd_cm2: model.leafArea(),
    },
    snapshots: snapshotRows,
    solver: { steps: nSteps, step_min: s.time.step_min, xylemNotConverged: nonConverged },
  };
}

function fmtDay(d: number): string {
  return d.toFixed(2).replace(/\.?0+$/, '');
}

/** Diurnal xylem head: per day the range of the mean head; averaged over days. */
function plausibility(t: Float64Array, psiMean: Float64Array, psiCollar: Float64Array, dt: number): Record<string, number> {
  const byDay = new Map<number, { min: number; max: number }>();
  for (let i = 0; i < t.length; i++) {
    const d = Math.floor(t[i] - dt / 2);
    const e = byDay.get(d) ?? { min: Infinity, max: -Infinity };
    e.min = Math.min(e.min, psiMean[i]);
    e.max = Math.max(e.max, psiMean[i]);
    byDay.set(d, e);
  }
  const days = [...byDay.values()];
  let collarMin = Infinity;
  let collarMax = -Infinity;
  for (let i = 0; i < psiCollar.length; i++) {
    collarMin = Math.min(collarMin, psiCollar[i]);
    collarMax = Math.max(collarMax, psiCollar[i]);
  }
  return {
    psiXylemMeanDailyMin_cm: days.reduce((s, e) => s + e.min, 0) / days.length,
    psiXylemMeanDailyMax_cm: days.reduce((s, e) => s + e.max, 0) / days.length,
    psiXylemMeanDiurnalRange_cm: days.reduce((s, e) => s + (e.max - e.min), 0) / days.length,
    psiCollarMin_cm: collarMin,
    psiCollarMax_cm: collarMax,
  };
}

async function writePlots(ctx: RunContext, col: (name: string) => Float64Array): Promise<void> {
  const t = col('time_d');
  const s = (name: string, label = name): Series => ({ name: label, x: t, y: col(name) });
  ctx.out.write(
    'plots/carbon-fluxes.svg',
    await lineChartSvg({
      title: 'Plant carbon fluxes', xTitle: 'days after sowing', yTitle: 'mol C d⁻¹',
      series: [s('assimilation_molC_per_d', 'assimilation'), s('maintenanceRespiration_molC_per_d', 'maintenance respiration'), s('growthRespiration_molC_per_d', 'growth respiration'), s('structuralGrowth_molC_per_d', 'structural growth'), s('exudation_molC_per_d', 'exudation'), s('mucilage_molC_per_d', 'mucilage')],
    }),
  );
  ctx.out.write('plots/exudation-mucilage.svg', await lineChartSvg({ title: 'Exudation and mucilage at growing tips', xTitle: 'days after sowing', yTitle: 'mol C d⁻¹', yScale: 'symlog', series: [s('exudation_molC_per_d', 'exudation'), s('mucilage_molC_per_d', 'mucilage')] }));
  ctx.out.write('plots/xylem-potential.svg', await lineChartSvg({ title: 'Xylem pressure head', xTitle: 'days after sowing', yTitle: 'cm', series: [s('psiCollar_cm', 'collar'), s('psiXylemMean_cm', 'mean'), s('psiXylemMin_cm', 'minimum'), s('psiLeafOuterMean_cm', 'leaf outer xylem (mean)')] }));
  ctx.out.write('plots/storage.svg', await lineChartSvg({ title: 'Carbon storage', xTitle: 'days after sowing', yTitle: 'mol C', series: [s('sucrose_molC', 'sucrose'), s('starch_molC', 'starch')] }));
  ctx.out.write('plots/water.svg', await lineChartSvg({ title: 'Transpiration and root water uptake', xTitle: 'days after sowing', yTitle: 'cm³ d⁻¹', series: [s('transpiration_cm3_per_d', 'transpiration'), s('rootUptake_cm3_per_d', 'root uptake')] }));
  ctx.out.write('plots/size.svg', await lineChartSvg({ title: 'Plant size', xTitle: 'days after sowing', yTitle: 'cm (roots) / cm² (leaves)', yScale: 'log', series: [s('rootLength_cm', 'root length'), s('leafArea_cm2', 'leaf area')] }));
}

export const plantKind = registerScenarioKind<PlantScenario, ResolvedPlant>({
  kind: 'plant',
  description: 'the plant of 004 (wheat, CPlantBox rules) in a soil of prescribed head and C_L^l: water, carbon, growth, exudation, mucilage',
  schema: plantScenarioSchema,
  tolerances: { carbon: 1e-9, water: 1e-9 },
  check,
  resolve: resolvePlant,
  estimate: estimatePlant,
  inputs: (r) => [r.plant.file],
  run: runPlant,
});
