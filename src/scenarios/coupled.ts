import { existsSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { z } from 'zod';
import { InputError, InputErrors } from '../core/errors.js';
import { CoupledModel, DEFAULT_CORRECT_1D, DEFAULT_RTOL_1D, DEFAULT_SKIP_1D, DEFAULT_TOLERANCES, PlantRootSide, type CoupledConfig, type CoupledState } from '../coupling/index.js';
import { readTextFile } from '../io/files.js';
import { dataPath } from '../io/paths.js';
import { lineChartSvg, svgToPng, type Series } from '../io/plot.js';
import { tableDictionaryCsv, tableToCsv, tableToParquet, type Table } from '../io/table.js';
import { pvdString, voxelGridToVtkOrder, vtkImageDataString, vtkRadialProfilesString, type PvdEntry, type VtkRadialProfile } from '../io/vtk.js';
import { ReturnCode } from '../numerics/ode/types.js';
import {
  BASELINE_WEATHER, CARBON_PARAMS, CODE004_DAY, DAY_SHAPE_KINDS, DEFAULT_DAY, DRY_SPELL_WEATHER, HYDRAULIC_PARAMS, LEAF_PARAMS, PlantModel, paramDefaults, parsePlantXml, presetOverrides, resolveParams, weatherAt, type PlantLaws, type PlantPresetName,
} from '../plant/index.js';
import { namedSet } from '../rhizosphere/parameter-sets.js';
import { hydrostaticHeads, uniformVoxelGrid, type VoxelGrid } from '../soil/voxel-grid.js';
import { formatKeyPath } from './load.js';
import { doc } from './params-schema.js';
import { PLANT_STEP_SERIES, plantLawsSchema, plantPresetSchema, plantStepRow, sha256Hex } from './plant.js';
import { registerScenarioKind, type Check, type KindResult, type RunContext, type ScenarioContext, type WorkEstimate } from './registry.js';
import { DEFAULT_PSI_AVERAGING, psiAveragingSchema, resolveSoil, soilCrossCheck, soilSchema, type ResolvedSoil } from './schemas.js';

/**
 * Scenario kind `coupled`: the growing plant of 004, one perirhizal 1D model per root segment and
 * the 3D reactive voxel soil in the coupling loop of src/coupling (`CoupledModel` with
 * `PlantRootSide`). A first version: the plant with default parameters, the paper's domain, a
 * named TraiRhizo set, baseline weather with an optional dry spell (weather, dynamic soil water and
 * the hydrostatic resets of COUPLING.md), soil water static outside spells as in 004's runs.
 */
const DEFAULT_PLANT_XML = 'plant/Triticum_aestivum_test_2021_1cm.xml';
const vec3 = z.tuple([z.number(), z.number(), z.number()]);
/** 004's weather scenarios (COUPLING.md Scenarios). */
export const WEATHER_REGIMES = ['baseline', 'earlyDry', 'lateDry'] as const;
/** Default soil snapshot days: those of 004 Figs 8–12 and the day-18/25 pool tables. */
export const SOIL_SNAPSHOT_DAYS = [18, 25] as const;
/** Documented work limit, voxel-steps (+ 600 per 1D model and step), about 20 minutes on one core. */
export const COUPLED_WORK_LIMIT = 3e7;

export const coupledSchema = z.strictObject({
  kind: z.literal('coupled').meta(doc('scenario kind')),
  name: z.string().default('coupled').meta(doc('name of the run')),
  description: z.string().optional().meta(doc('free text')),
  domain: z
    .strictObject({
      min_cm: vec3.default([-1.5, -6, -40]).meta(doc('lowest corner of the soil box (x, y, z elevation)', 'cm', '004 (COUPLING.md Geometry)')),
      max_cm: vec3.default([1.5, 6, 0]).meta(doc('highest corner', 'cm')),
      cells: z.tuple([z.int().min(1), z.int().min(1), z.int().min(1)]).default([3, 12, 40]).meta(doc('voxels along x, y, z (004: 3 × 12 × 40 of 1 cm³)')),
      periodic: z.boolean().default(true).meta(doc('periodic in x and y (004); else impermeable sides')),
    })
    .default({ min_cm: [-1.5, -6, -40], max_cm: [1.5, 6, 0], cells: [3, 12, 40], periodic: true })
    .meta(doc('the 3D soil domain (no flux at top and bottom)')),
  soil: soilSchema.default('loam'),
  plant: z
    .strictObject({
      file: z.string().optional().meta(doc(`CPlantBox XML, relative to the scenario file (default data/${DEFAULT_PLANT_XML})`)),
      sha256: z.string().regex(/^[0-9a-f]{64}$/).optional().meta(doc('SHA-256 of the XML file (recorded by resolve, re-checked)')),
      seed: z.int().default(1).meta(doc('random seed of the architecture')),
      preset: plantPresetSchema,
      laws: plantLawsSchema,
    })
    .default({ seed: 1, preset: 'rhizocarb', laws: {} })
    .meta(doc('the plant (default parameters of docs/PARAMETERS.md, changed by the preset)')),
  parameterSet: z.enum(['highCO2', 'highMB', 'lowMUptake']).default('highMB').meta(doc('TraiRhizo biokinetic set (004 Table A2)')),
  coupling: z
    .strictObject({
      skip1D: z.union([z.number().min(0).max(1e-8), z.literal('off')]).default(DEFAULT_SKIP_1D).meta(doc("re-use of 1D solves between fixed-point iterates (CoupledConfig.skip1D, docs/COUPLING.md Cost): a domain whose inputs changed by at most this fraction of its content keeps its last solve; 'off' re-solves every domain every iterate")),
      correct1D: z.union([z.number().min(0).max(1e-6), z.literal('off')]).default(DEFAULT_CORRECT_1D).meta(doc("correction instead of re-solve between fixed-point iterates (CoupledConfig.correct1D, docs/COUPLING.md Cost): a domain whose carbon inputs changed by at most this fraction of its dissolved carbon (water inputs within skip1D) takes its last solve plus the source change; 'off' re-solves it")),
      rtol1D: z.number().min(1e-10).max(1e-3).default(DEFAULT_RTOL_1D).meta(doc('RODAS4 relative tolerance of the 1D models (CoupledConfig.rtol1D); the exuding domains are rtol-bound, docs/COUPLING.md Cost has the cost and fixed-point distance of 1e−5 and 3e−6')),
      psiAveraging: psiAveragingSchema,
      supplyLimit: z.boolean().default(false).meta(doc('Eq B12 supply limit in the plant water solve (CoupledConfig.supplyLimit, docs/COUPLING.md "Eq B12 supply limit"): the uptake of a domain the 1D model cuts at a converged ψ_rsi is prescribed to the plant (what the 1D model supplies), so the sub-step converges with the plant transpiring what the soil gave, also at the wilting point where more sub-steps cannot close it; at the sub-step cap a flux phase that does not converge is dropped for the step; false (default; examples/dry-spells.yaml: true): residual control by sub-steps only; no effect in static soil or where no domain is cut')),
      plantWaterTolerance: z.number().min(1e-12).max(1e-6).default(DEFAULT_TOLERANCES.plantWater).meta(doc('per-step plant–1D water residual |supplied − transpired| / transpired above which the step is re-run with twice the sub-steps (CoupledConfig.tolerances.plantWater); dynamic soil only', '1')),
      waterPredictor1D: z.boolean().default(false).meta(doc('water-only predictor iterates in dynamic soil (CoupledConfig.waterPredictor1D, docs/COUPLING.md "Water predictor"): iterate the 1D water alone (along the step plans of the last full solve) until the water measures hold, then full iterates; same fixed point (004\'s water does not depend on the carbon pools); default false (off: every iterate solves the full 1D systems); no effect in static soil')),
    })
    .default({ skip1D: DEFAULT_SKIP_1D, correct1D: DEFAULT_CORRECT_1D, rtol1D: DEFAULT_RTOL_1D, psiAveraging: DEFAULT_PSI_AVERAGING, supplyLimit: false, plantWaterTolerance: DEFAULT_TOLERANCES.plantWater, waterPredictor1D: false })
    .meta(doc('coupling loop options')),
  initial: z.strictObject({ meanHead_cm: z.number().max(0).default(-100).meta(doc('hydrostatic initial soil, mean matric head', 'cm', '004')) }).default({ meanHead_cm: -100 }).meta(doc('initial soil water')),
  soilWater: z.enum(['static-outside-spells', 'dynamic']).default('static-outside-spells').meta(doc('static-outside-spells: the plant transpires against the soil but root fluxes change the soil only during dry spells (004 runs, COUPLING.md); dynamic: always')),
  weather: z
    .strictObject({
      regime: z.enum(WEATHER_REGIMES).default('baseline').meta(doc('004 weather scenario: baseline (no spell), earlyDry or lateDry (a dry spell over the days below; sets drySpell)', undefined, 'COUPLING.md Scenarios')),
      earlyDry_d: z.tuple([z.number().nonnegative(), z.number().positive()]).default([11, 18]).meta(doc('earlyDry spell [start, end]', 'd', '004: (11, 18]')),
      lateDry_d: z.tuple([z.number().nonnegative(), z.number().positive()]).default([18, 25]).meta(doc('lateDry spell [start, end]', 'd', '004: (18, 25]')),
      dryMeanHead_cm: z.number().max(0).default(-450).meta(doc('hydrostatic reset at the spell start (mean head)', 'cm', 'COUPLING.md')),
      dayShape: z.enum(DAY_SHAPE_KINDS).default('truncated-sine').meta(doc("diurnal shape of light, temperature and humidity: truncated-sine (PLANT.md: sine from 6 to 18 h, night values outside; daily mean factor 0.318) or sinusoidal3 (004's code, helpfull.py::sinusoidal3 in the code's phase: light peaks at integer days, dark for t mod 1 in (0.385, 0.615); daily mean factor 0.450)", undefined, 'COUPLING.md Scenarios; 004 code')),
    })
    .default({ regime: 'baseline', earlyDry_d: [11, 18], lateDry_d: [18, 25], dryMeanHead_cm: -450, dayShape: 'truncated-sine' })
    .meta(doc("004's weather scenarios (the dry-spells matrix); an explicit drySpell is for other spells and cannot be combined with earlyDry/lateDry")),
  drySpell: z
    .strictObject({
      start_d: z.number().nonnegative().meta(doc('spell start, days after sowing', 'd')),
      end_d: z.number().positive().meta(doc('spell end', 'd')),
      meanHead_cm: z.number().max(0).default(-450).meta(doc('hydrostatic reset at the spell start (mean head)', 'cm', 'COUPLING.md')),
    })
    .optional()
    .meta(doc('dry spell: dry weather, dynamic soil water, hydrostatic resets at start (meanHead_cm) and end (initial.meanHead_cm)')),
  time: z
    .strictObject({
      start_d: z.number().nonnegative().default(10).meta(doc('start of the coupled run (structural growth before)', 'd')),
      end_d: z.number().positive().default(11).meta(doc('end', 'd')),
      step_min: z.number().positive().max(1440).default(20).meta(doc('outer coupling step', 'min', '004 App. F')),
    })
    .default({ start_d: 10, end_d: 11, step_min: 20 })
    .meta(doc('simulated period')),
  outputs: z
    .strictObject({
      snapshots_d: z.array(z.number().nonnegative()).max(1000).optional().meta(doc('times of 3D fields (.vti) and 1D radial profiles (.vtp) with a .pvd series (default: start and end)', 'd')),
      vtk: z.boolean().default(true).meta(doc('write the VTK snapshots')),
      soil: z
        .strictObject({
          days_d: z.array(z.number().nonnegative()).max(1000).default([...SOIL_SNAPSHOT_DAYS]).meta(doc('times of the soil snapshots soil/voxels-d<day>.csv and soil/perirhizal-d<day>.csv (+ .parquet) that `analyse dry-spells` reads; those outside the run are dropped; the start and the end of the run are always added', 'd', 'the days of 004 Figs 8–12 and the pool tables: 18, 25')),
          every_d: z.number().positive().optional().meta(doc('also a snapshot every this many days from the start', 'd')),
        })
        .default({ days_d: [...SOIL_SNAPSHOT_DAYS] })
        .meta(doc('soil snapshots for the dry-spells analyses (docs/results/dry-spells/README.md)')),
    })
    .default({ vtk: true, soil: { days_d: [...SOIL_SNAPSHOT_DAYS] } })
    .meta(doc('snapshots besides timeseries.csv and pools.csv')),
});

export type CoupledScenario = z.infer<typeof coupledSchema>;
export type ResolvedCoupled = CoupledScenario & {
  plant: { file: string; sha256: string; seed: number; preset: PlantPresetName; laws: PlantLaws };
  soil: ResolvedSoil;
  outputs: { snapshots_d: number[]; vtk: boolean; soil: { days_d: number[]; every_d?: number } };
};

function plantFile(s: CoupledScenario, baseDir: string): string {
  return s.plant.file ? (isAbsolute(s.plant.file) ? s.plant.file : resolve(baseDir, s.plant.file)) : dataPath(DEFAULT_PLANT_XML);
}

function check(s: CoupledScenario, { source, baseDir }: ScenarioContext): void {
  const errors: InputError[] = [];
  const add = (path: (string | number)[], value: unknown, expected: string) => errors.push(new InputError({ file: source.file, keyPath: formatKeyPath(path), value, ...source.locate(path), expected }));
  const f = plantFile(s, baseDir);
  if (s.plant.file && !existsSync(f)) add(['plant', 'file'], s.plant.file, `an existing CPlantBox XML file (looked for ${f})`);
  else if (s.plant.sha256 && sha256Hex(readTextFile(f)) !== s.plant.sha256) add(['plant', 'sha256'], s.plant.sha256, `the SHA-256 of ${f}: the file changed since the scenario was resolved`);
  if (!(s.time.end_d > s.time.start_d)) add(['time', 'end_d'], s.time.end_d, `a time after time.start_d (${s.time.start_d} d)`);
  for (let a = 0; a < 3; a++) if (!(s.domain.max_cm[a] > s.domain.min_cm[a])) add(['domain', 'max_cm', a], s.domain.max_cm[a], `more than domain.min_cm[${a}]`);
  if (s.drySpell && !(s.drySpell.end_d > s.drySpell.start_d)) add(['drySpell', 'end_d'], s.drySpell.end_d, `a time after drySpell.start_d (${s.drySpell.start_d} d)`);
  if (s.drySpell && s.weather.regime !== 'baseline') add(['drySpell'], s.drySpell, `no drySpell with weather.regime ${s.weather.regime} (that regime sets the spell: weather.${s.weather.regime}_d)`);
  for (const k of ['earlyDry_d', 'lateDry_d'] as const) if (!(s.weather[k][1] > s.weather[k][0])) add(['weather', k, 1], s.weather[k][1], `a time after weather.${k}[0] (${s.weather[k][0]} d)`);
  const spell = coupledSpell(s);
  if (spell) {
    // The resets happen at outer step starts: a spell boundary inside the run must be one.
    const dt = s.time.step_min / 1440;
    const at = s.drySpell ? ['drySpell'] : ['weather', `${s.weather.regime}_d`];
    for (const [k, t] of [[0, spell.start_d], [1, spell.end_d]] as const) {
      const n = (t - s.time.start_d) / dt;
      if (t > s.time.start_d && t < s.time.end_d && Math.abs(n - Math.round(n)) > 1e-6) add([...at, s.drySpell ? (k === 0 ? 'start_d' : 'end_d') : k], t, `a spell boundary on an outer step (time.start_d + k × ${s.time.step_min} min)`);
    }
  }
  const sp = soilCrossCheck(s.soil);
  if (sp) add(['soil', 'thetaS'], resolveSoil(s.soil).thetaS, sp);
  if (errors.length > 0) throw errors.length === 1 ? errors[0] : new InputErrors(errors);
}

function resolveCoupled(s: CoupledScenario, { baseDir }: ScenarioContext): ResolvedCoupled {
  const file = plantFile(s, baseDir);
  const snaps = s.outputs.snapshots_d ?? [s.time.start_d, s.time.end_d];
  const inRun = (days: number[]) => [...new Set(days)].filter((t) => t >= s.time.start_d - 1e-9 && t <= s.time.end_d + 1e-9).sort((a, b) => a - b);
  const every = s.outputs.soil.every_d;
  const cadence = every ? Array.from({ length: Math.floor((s.time.end_d - s.time.start_d) / every + 1e-9) + 1 }, (_, i) => Number((s.time.start_d + i * every).toPrecision(12))) : [];
  const preset = presetOverrides(s.plant.preset, { laws: s.plant.laws });
  // The preset's parameter values must be in the registry's ranges (checked here, applied at run time).
  resolveParams(LEAF_PARAMS, preset.leaf, '', 'plant.preset');
  resolveParams(CARBON_PARAMS, preset.carbon, '', 'plant.preset');
  return {
    ...s,
    plant: { file, sha256: sha256Hex(readTextFile(file)), seed: s.plant.seed, preset: s.plant.preset, laws: preset.laws },
    soil: resolveSoil(s.soil),
    outputs: { ...s.outputs, snapshots_d: inRun(snaps), soil: { ...s.outputs.soil, days_d: inRun([s.time.start_d, ...s.outputs.soil.days_d, ...cadence, s.time.end_d]) } },
  };
}

/** The dry spell of a coupled scenario: the weather regime's (earlyDry, lateDry), an explicit drySpell, or none. */
export function coupledSpell(s: Pick<CoupledScenario, 'weather' | 'drySpell'>): { start_d: number; end_d: number; meanHead_cm: number } | undefined {
  const w = s.weather;
  if (w.regime === 'earlyDry' || w.regime === 'lateDry') {
    const [start_d, end_d] = w.regime === 'earlyDry' ? w.earlyDry_d : w.lateDry_d;
    return { start_d, end_d, meanHead_cm: w.dryMeanHead_cm };
  }
  return s.drySpell;
}

/**
 * Root segments of the shipped wheat (data/plant/Triticum_aestivum_test_2021_1cm.xml, seed 1) under
 * potential growth (`PlantArchitecture.growPotential` in 20-min steps, segments of root organs), by day
 * after sowing; counted 2026-12-02 (1.8 core-s to day 30). The coupled runs grow carbon-limited and
 * so have at most about these; the work estimate uses them (the former `55 × mean age` gave 962 for
 * days 10 → 25 against a mean of 5,420 here). Beyond day 30: the last slope.
 */
export const WHEAT_ROOT_SEGMENTS: readonly (readonly [number, number])[] = [
  [0, 0], [1, 4], [2, 15], [3, 26], [4, 37], [5, 57], [6, 90], [7, 149], [8, 249], [9, 384], [10, 550], [11, 772], [12, 1061], [13, 1413], [14, 1856], [15, 2406],
  [16, 3063], [17, 3845], [18, 4767], [19, 5797], [20, 6933], [21, 8216], [22, 9626], [23, 11160], [24, 12818], [25, 14591], [26, 16472], [28, 20570], [30, 25044],
];

/** Root segments of the shipped wheat at day t ({@link WHEAT_ROOT_SEGMENTS}, linear between days, the last slope beyond). */
export function wheatRootSegments(t_d: number): number {
  const T = WHEAT_ROOT_SEGMENTS;
  if (t_d <= 0) return 0;
  let k = 1;
  while (k < T.length - 1 && T[k][0] < t_d) k++;
  const [a, na] = T[k - 1];
  const [b, nb] = T[k];
  return na + ((nb - na) * (t_d - a)) / (b - a);
}

/** Mean of {@link wheatRootSegments} over [a, b] (exact for the piecewise-linear curve: trapezoid over its knots). */
export function meanWheatRootSegments(a_d: number, b_d: number): number {
  if (!(b_d > a_d)) return wheatRootSegments(a_d);
  const xs = [a_d, ...WHEAT_ROOT_SEGMENTS.map(([d]) => d).filter((d) => d > a_d && d < b_d), b_d];
  let area = 0;
  for (let i = 1; i < xs.length; i++) area += 0.5 * (wheatRootSegments(xs[i - 1]) + wheatRootSegments(xs[i])) * (xs[i] - xs[i - 1]);
  return area / (b_d - a_d);
}

/**
 * Work of a dry-spell step (dynamic soil water) relative to a static one with the same 1D models: 20.
 * Measured (docs/results/dry-spells/README.md, "Matrix estimate, redone", highMB): 0.40–0.52 core-s per
 * domain-day in the spells against 0.015–0.023 static, i.e. 17–35× (the earlier measurement gave 8–22×).
 */
export const SPELL_STEP_WORK_FACTOR = 20;

/** Work of one coupled step with `domains` perirhizal 1D models in `voxels` voxels (× {@link SPELL_STEP_WORK_FACTOR} in a spell), voxel-steps. */
export const coupledStepWork = (voxels: number, domains: number, inSpell = false) => (voxels + 600 * domains) * (inSpell ? SPELL_STEP_WORK_FACTOR : 1);

function estimateCoupled(r: ResolvedCoupled): WorkEstimate {
  const dt = r.time.step_min / 1440;
  const steps = Math.max(1, Math.round((r.time.end_d - r.time.start_d) / dt));
  const n = r.domain.cells[0] * r.domain.cells[1] * r.domain.cells[2];
  const segs = Math.max(1, Math.round(meanWheatRootSegments(r.time.start_d, r.time.end_d)));
  const spell = coupledSpell(r);
  let work = 0;
  let spellSteps = 0;
  for (let j = 0; j < steps; j++) {
    const t = r.time.start_d + j * dt;
    const inSpell = r.soilWater === 'dynamic' || (spell !== undefined && t >= spell.start_d - 1e-9 && t < spell.end_d - 1e-9);
    if (inSpell) spellSteps++;
    work += coupledStepWork(n, wheatRootSegments(t + dt / 2), inSpell);
  }
  const spellText = spellSteps > 0 ? `, ${spellSteps} of them with dynamic soil water at ${SPELL_STEP_WORK_FACTOR}×` : '';
  return { workUnits: Math.round(work), unit: 'voxel-steps', description: `${steps} steps × (${n} voxels + 600 × ≈${segs} perirhizal 1D models, the mean over the run of the shipped wheat's root segments under potential growth)${spellText}`, limit: COUPLED_WORK_LIMIT };
}

/**
 * Fraction of a coupled run's work done after `step` of `nSteps` steps, from the work of the steps done
 * (their actual 1D model counts) and the remaining steps' estimate: the current count scaled by the
 * wheat's potential growth from now to each remaining step ({@link wheatRootSegments}). Used for the
 * per-run progress (`work` in the progress info), so the late, larger steps are not counted like the first.
 */
export function coupledWorkFraction(doneWork: number, step: number, nSteps: number, t_d: number, dt_d: number, voxels: number, domains: number, inSpell: (t_d: number) => boolean = () => false): number {
  let rest = 0;
  const now = Math.max(1, wheatRootSegments(t_d));
  for (let j = step; j < nSteps; j++) {
    const t = t_d + (j - step) * dt_d;
    rest += coupledStepWork(voxels, domains * (wheatRootSegments(t + dt_d) / now), inSpell(t));
  }
  return doneWork + rest > 0 ? doneWork / (doneWork + rest) : 1;
}

/**
 * Whole-system water balance of a coupled run from the coupling's cumulative balance: soil (3D + 1D)
 * plus plant. The plant stores no water, so what the soil supplied minus what the plant transpired is
 * the plant part. In static soil the soil is a fixed reservoir whose supply (the plant's root uptake)
 * is booked, not ignored. Relative to the water that moved; when none moved, relativeError 0 with a
 * warning check `balance.waterNotEvaluated` (never a silent pass over a zero throughput).
 */
export function coupledWaterBalance(
  cb: { waterError_cm3: number; plantWaterError_cm3: number; transpired_cm3: number; suppliedToPlant_cm3: number; rootUptake_cm3: number },
  soilWater: 'static-outside-spells' | 'dynamic',
): { water: { relativeError: number; throughput_cm3: number } & Record<string, number | string>; checks: Check[] } {
  const error = cb.waterError_cm3 + cb.plantWaterError_cm3;
  const through = Math.max(Math.abs(cb.transpired_cm3), Math.abs(cb.suppliedToPlant_cm3), Math.abs(cb.rootUptake_cm3));
  const checks: Check[] = through > 0 ? [] : [{ name: 'balance.waterNotEvaluated', passed: false, severity: 'warning', message: 'no water moved through the system (no transpiration, no uptake): the water balance was not evaluated', value: 0 }];
  return {
    water: {
      relativeError: through > 0 ? Math.abs(error) / through : 0,
      throughput_cm3: through,
      definition: 'cumulative whole-system error (soil: Δstorage + uptake; plant: supplied − transpired) / water through the system (max of transpired, supplied, soil uptake)',
      absoluteError_cm3: error, soilError_cm3: cb.waterError_cm3, plantError_cm3: cb.plantWaterError_cm3,
      transpired_cm3: cb.transpired_cm3, suppliedToPlant_cm3: cb.suppliedToPlant_cm3, rootUptake_cm3: cb.rootUptake_cm3,
      soilSupply: soilWater === 'dynamic' ? 'the 1D models (dynamic soil)' : 'a fixed reservoir outside spells (static soil: its supply = the plant root uptake, booked), the 1D models in spells',
    },
    checks,
  };
}

const SCALES = ['macroscale', 'bulkSoil', 'perirhizalTrunc', 'microscale'] as const;

/** pools.csv columns of the coupled kind: cumulative gross microbial growth and CO₂ production since the start, mol C (read by the findings). */
export const MICROBIAL_GROWTH_COLUMN = 'microbes_grossGrowth_cumulative_molC';
export const MICROBIAL_CO2_COLUMN = 'microbes_co2Production_cumulative_molC';

/** What a checkpoint of the coupled kind holds: the coupled model's state (with the plant) and every accumulator of the outputs. */
interface CoupledCheckpoint {
  model: CoupledState;
  step: number;
  series: Float64Array[];
  timings: Float64Array[];
  pools: Record<string, Float64Array>;
  pvd: PvdEntry[];
  nextSnap: number;
  failures: number;
  worst: { water: number; carbon: number; mismatch: number };
  parts: { plant: number; oneD: number; threeD: number; exchange: number };
  iterSum: number;
  throughput: { water: number; carbon: number };
  subSum: number;
  plantCarbon: { in: number; out: number };
  soilWritten: number[];
  nextSoil: number;
  spellResets: { time_d: number; meanHead_cm: number; water_cm3: number }[];
  /** Work done so far, voxel-steps (progress `work`; absent in checkpoints before it was added). */
  workDone?: number;
}

/**
 * The coupled model of a resolved coupled scenario, as `run` builds it (the plant grown structurally to
 * time.start_d, the voxel grid, the spell and its weather); for scripts that drive the model step by step.
 */
export function buildCoupledModel(s: ResolvedCoupled, extra: Partial<CoupledConfig> = {}): { model: CoupledModel; plant: PlantModel; root: PlantRootSide; grid: VoxelGrid; spell: ReturnType<typeof coupledSpell> } {
  const xml = parsePlantXml(readTextFile(s.plant.file), s.plant.file);
  const preset = presetOverrides(s.plant.preset, { laws: s.plant.laws });
  const plant = new PlantModel({
    plant: xml, seed: s.plant.seed, leaf: resolveParams(LEAF_PARAMS, preset.leaf, '', 'plant.preset'), hydraulics: paramDefaults(HYDRAULIC_PARAMS), carbon: resolveParams(CARBON_PARAMS, preset.carbon, '', 'plant.preset'),
    soil: s.soil, interfaceDistance_cm: 0.01, structuralUntil_d: s.time.start_d, laws: preset.laws,
  });
  const d = s.domain;
  const grid = uniformVoxelGrid([d.min_cm[0], d.max_cm[0], d.cells[0]], [d.min_cm[1], d.max_cm[1], d.cells[1]], [d.min_cm[2], d.max_cm[2], d.cells[2]], { x: d.periodic, y: d.periodic });
  const spell = coupledSpell(s);
  const inSpell = (t: number) => spell !== undefined && t >= spell.start_d && t < spell.end_d;
  const day = s.weather.dayShape === 'sinusoidal3' ? CODE004_DAY : DEFAULT_DAY;
  const root = new PlantRootSide(plant, (t) => weatherAt(t, inSpell(t) ? DRY_SPELL_WEATHER : BASELINE_WEATHER, day));
  const model = CoupledModel.create({ grid, soil: s.soil, params: namedSet(s.parameterSet), initialHead_cm: hydrostaticHeads(grid, s.initial.meanHead_cm), root, soilWater: s.soilWater === 'dynamic' ? 'dynamic' : 'static', skip1D: s.coupling.skip1D, correct1D: s.coupling.correct1D, rtol1D: s.coupling.rtol1D, psiAveraging: s.coupling.psiAveraging, supplyLimit: s.coupling.supplyLimit, tolerances: { plantWater: s.coupling.plantWaterTolerance }, waterPredictor1D: s.coupling.waterPredictor1D, ...extra });
  return { model, plant, root, grid, spell };
}

async function runCoupled(s: ResolvedCoupled, ctx: RunContext): Promise<KindResult> {
  const { model, plant, root, grid, spell } = buildCoupledModel(s);
  const d = s.domain;
  const dt = s.time.step_min / 1440;
  const nSteps = Math.max(1, Math.round((s.time.end_d - s.time.start_d) / dt));
  const COLS: string[] = ['time_d', 'transpiration_cm3_per_d', 'collarPsi_cm', 'iterates', 'subSteps', 'retries', 'waterRelativeError', 'carbonRelativeError', 'mismatchWater', 'mismatchCarbon', 'domains', 'rootedVoxels'];
  // Wall-clock timers by part go to timings.csv: they differ between two runs of the same simulation (the other outputs do not).
  const TIMERS = ['plant', 'oneD', 'threeD', 'exchange'] as const;
  const timings = TIMERS.map(() => new Float64Array(nSteps));
  // The plant's own columns as the `plant` kind writes them (its transpiration and balance errors renamed: the coupling's are above).
  const PLANT_RENAME: Record<string, string> = { transpiration_cm3_per_d: 'plantStepTranspiration_cm3_per_d', rootUptake_cm3_per_d: 'plantStepRootUptake_cm3_per_d', psiCollar_cm: 'plantStepPsiCollar_cm', carbonRelativeError: 'plantCarbonRelativeError', waterRelativeError: 'plantWaterRelativeError' };
  const PLANT_COLS = PLANT_STEP_SERIES.map(([name, unit, description]) => ({ key: name, name: PLANT_RENAME[name] ?? name, unit, description }));
  COLS.push('iteratesPerSubStep', 'suppliedToPlant_cm3', 'transpired_cm3', ...PLANT_COLS.map((c) => c.name));
  const series = COLS.map(() => new Float64Array(nSteps));
  const poolNames = ['volume_cm3', 'water_cm3', 'CL_dissolved', 'CH_dissolved', 'CL_sorbed', 'CO_active', 'CO_dormant', 'CC_active', 'CC_dormant', 'CO2'];
  const pools = new Map<string, Float64Array>();
  for (const sc of SCALES) for (const p of poolNames) pools.set(`${sc}_${p}`, new Float64Array(nSteps));
  // CO₂ per unit microbial growth (issue 9, 004 Sec. 3): the rates of Eqs D8 + D9 (gross growth) and D32 (CO₂)
  // summed over the soil, integrated over each step by the model (StepDiagnostics.microbial: trapezoidal rule on sub-step ends).
  const GROWTH_COL = MICROBIAL_GROWTH_COLUMN;
  const CO2_COL = MICROBIAL_CO2_COLUMN;
  const RATE_DESCRIPTIONS: Record<string, string> = {
    [GROWTH_COL]: 'gross microbial growth since the start, ∫ Σ V·(growth_O + growth_C) dt (Eqs D8 + D9) over reactive voxels and 1D cells; trapezoidal rule on the rates at every step start and sub-step end',
    [CO2_COL]: 'microbial CO₂ production since the start, ∫ Σ V·∂CO₂/∂t dt (Eq D32); trapezoidal rule on the rates at every step start and sub-step end (the CO₂ pools hold the exact amount)',
  };
  pools.set(GROWTH_COL, new Float64Array(nSteps));
  pools.set(CO2_COL, new Float64Array(nSteps));
  const pvd: PvdEntry[] = [];
  const snaps = s.outputs.snapshots_d;
  let nextSnap = 0;
  let failures = 0;
  let worst = { water: 0, carbon: 0, mismatch: 0 };
  const parts = { plant: 0, oneD: 0, threeD: 0, exchange: 0 };
  let iterSum = 0;
  const throughput = { water: 0, carbon: 0 };
  let subSum = 0;
  const plantCarbon = { in: 0, out: 0 };
  const snapshot = (t: number) => {
    if (!s.outputs.vtk) return;
    const label = `d${t.toFixed(3).replace(/\.?0+$/, '')}`;
    const f = model.voxelFields();
    const [nx, ny, nz] = d.cells;
    ctx.out.write(`vtk/soil-${label}.vti`, vtkImageDataString({
      origin_cm: d.min_cm, spacing_cm: [(d.max_cm[0] - d.min_cm[0]) / nx, (d.max_cm[1] - d.min_cm[1]) / ny, (d.max_cm[2] - d.min_cm[2]) / nz], cells: d.cells,
      cellData: [{ name: 'theta', data: voxelGridToVtkOrder(f.theta, nx, ny, nz) }, { name: 'psi_cm', data: voxelGridToVtkOrder(f.psi_cm, nx, ny, nz) }, { name: 'rooted', data: voxelGridToVtkOrder(f.rooted, nx, ny, nz), type: 'UInt8' }, ...Object.entries(f.pools).map(([k, v]) => ({ name: `${k}_mol_per_cm3`, data: voxelGridToVtkOrder(v, nx, ny, nz) }))],
    }));
    const profiles: VtkRadialProfile[] = [];
    const net = root.net;
    for (let seg = 0; seg < net.segmentCount; seg++) {
      const p = model.radialProfile(seg);
      if (!p) continue;
      const k = seg + 1;
      const q = net.parent[k];
      profiles.push({ id: seg, origin_cm: [(net.x[k] + net.x[q]) / 2, (net.y[k] + net.y[q]) / 2, (net.z[k] + net.z[q]) / 2], r_cm: p.centers_cm, values: { theta: p.theta, psi_cm: p.psi_cm, ...p.pools } });
    }
    ctx.out.write(`vtk/profiles-${label}.vtp`, vtkRadialProfilesString(profiles));
    pvd.push({ time: t, file: `soil-${label}.vti`, part: 0 }, { time: t, file: `profiles-${label}.vtp`, part: 1 });
    ctx.out.write('vtk/coupled.pvd', pvdString(pvd));
  };
  const resumed = ctx.checkpoints.resumed as CoupledCheckpoint | undefined;
  if (!resumed && snaps.length > 0 && snaps[0] <= s.time.start_d + 1e-9) {
    snapshot(s.time.start_d);
    nextSnap = 1;
  }
  const soilDays = s.outputs.soil.days_d;
  const soilWritten: number[] = [];
  let nextSoil = 0;
  const soilSnapshot = (t: number) => {
    const label = soilDayLabel(t);
    if (soilWritten.length > 0 && soilDayLabel(soilWritten[soilWritten.length - 1]) === label) return;
    soilWritten.push(t);
    for (const [name, table] of Object.entries(soilSnapshotTables(model, grid, root.net.segmentCount))) {
      ctx.out.write(`soil/${name}-d${label}.csv`, tableToCsv(table));
      ctx.out.write(`soil/${name}-d${label}.parquet`, tableToParquet(table, { 'rhizocarb.kind': 'coupled', 'rhizocarb.time_d': String(t) }));
    }
  };
  while (!resumed && nextSoil < soilDays.length && soilDays[nextSoil] <= s.time.start_d + 1e-9) {
    soilSnapshot(s.time.start_d);
    nextSoil++;
  }
  const spellResets: { time_d: number; meanHead_cm: number; water_cm3: number }[] = [];
  // Checkpoints (--checkpoint-every, --resume): the model (soil, 1D models, plant) and every accumulator of the outputs.
  const checkpointState = (step: number): CoupledCheckpoint => ({
    model: model.saveState(), step, series, timings, pools: Object.fromEntries(pools), pvd, nextSnap, failures, worst, parts, iterSum, throughput, subSum, plantCarbon, soilWritten, nextSoil, spellResets, workDone,
  });
  if (resumed) {
    model.restoreState(resumed.model);
    resumed.series.forEach((a, c) => series[c].set(a));
    resumed.timings.forEach((a, c) => timings[c].set(a));
    for (const [k, a] of Object.entries(resumed.pools)) pools.get(k)!.set(a);
    pvd.push(...resumed.pvd);
    soilWritten.push(...resumed.soilWritten);
    spellResets.push(...resumed.spellResets);
    ({ nextSnap, failures, worst, iterSum, subSum, nextSoil } = resumed);
    Object.assign(parts, resumed.parts);
    Object.assign(throughput, resumed.throughput);
    Object.assign(plantCarbon, resumed.plantCarbon);
    ctx.log(`resumed from the checkpoint after step ${resumed.step} of ${nSteps} (t = ${model.time_d.toFixed(4)} d)`);
  }
  model.trackMicrobialRates = true;
  let cumGrowth = resumed && resumed.step > 0 ? pools.get(GROWTH_COL)![resumed.step - 1] : 0;
  let cumCo2 = resumed && resumed.step > 0 ? pools.get(CO2_COL)![resumed.step - 1] : 0;
  const t0wall = performance.now();
  const cpu0 = process.cpuUsage();
  // Work done so far (voxel-steps with the actual 1D model counts), for the progress info `work`; after a resume, from its steps at the estimate's mean.
  const dynamicAt = (t: number) => s.soilWater === 'dynamic' || (spell !== undefined && t >= spell.start_d - 1e-9 && t < spell.end_d - 1e-9);
  let workDone = resumed ? resumed.workDone ?? resumed.step * coupledStepWork(grid.n, Math.round(meanWheatRootSegments(s.time.start_d, s.time.start_d + resumed.step * dt))) : 0;
  ctx.progress.start(nSteps, s.name);
  for (let i = resumed?.step ?? 0; i < nSteps; i++) {
    const tStart = s.time.start_d + i * dt;
    if (spell) {
      // Spell start and end (COUPLING.md): hydrostatic reset; the soil water is dynamic during the spell
      // (the 1D models and the voxels both: setSoilWater, not only the voxels' flag).
      if (Math.abs(tStart - spell.start_d) < dt / 2) {
        spellResets.push({ time_d: tStart, meanHead_cm: spell.meanHead_cm, water_cm3: model.resetHydrostatic(spell.meanHead_cm) });
        if (s.soilWater !== 'dynamic') model.setSoilWater('dynamic');
      } else if (Math.abs(tStart - spell.end_d) < dt / 2) {
        spellResets.push({ time_d: tStart, meanHead_cm: s.initial.meanHead_cm, water_cm3: model.resetHydrostatic(s.initial.meanHead_cm) });
        if (s.soilWater !== 'dynamic') model.setSoilWater('static');
      }
    }
    const rc = model.advance(dt);
    if (rc !== ReturnCode.Success) failures++;
    const g = model.diagnostics()!;
    const row = [tStart + dt, g.transpiration_cm3_per_d, g.collarPsi_cm, g.iterates.reduce((a, b) => a + b, 0), g.subSteps, g.retries, g.balance.waterRelative, g.balance.carbonRelative, g.mismatch.water, g.mismatch.carbon, g.domains, g.rootedVoxels];
    TIMERS.forEach((k, j) => (timings[j][i] = g.time_ms[k]));
    row.push(g.subSteps > 0 ? row[3] / g.subSteps : Number.NaN, g.plantWater.supplied_cm3, g.plantWater.transpired_cm3);
    const pr = root.lastStep ? plantStepRow(plant, root.lastStep, dt) : {};
    if (root.lastStep) {
      const b = root.lastStep.budget;
      plantCarbon.in += b.assimilation_molC;
      plantCarbon.out += b.maintenance_molC + b.growthRespiration_molC + b.structuralGrowth_molC + b.exudation_molC + b.mucilage_molC;
    }
    for (const c of PLANT_COLS) row.push(pr[c.key] ?? Number.NaN);
    row.forEach((v, c) => (series[c][i] = v));
    worst = { water: Math.max(worst.water, g.balance.waterRelative), carbon: Math.max(worst.carbon, g.balance.carbonRelative), mismatch: Math.max(worst.mismatch, g.mismatch.water, g.mismatch.carbon) };
    for (const k of Object.keys(parts) as (keyof typeof parts)[]) parts[k] += g.time_ms[k];
    // The coupling's step balance is |error| / throughput of the step: recover the throughput to sum it.
    if (g.balance.waterRelative > 0) throughput.water += Math.abs(g.balance.water_cm3) / g.balance.waterRelative;
    if (g.balance.carbonRelative > 0) throughput.carbon += Math.abs(g.balance.carbon_molC) / g.balance.carbonRelative;
    iterSum += row[3];
    subSum += g.subSteps;
    const pt = model.poolTotals(0.06);
    for (const sc of SCALES) {
      pools.get(`${sc}_volume_cm3`)![i] = pt[sc].volume_cm3;
      pools.get(`${sc}_water_cm3`)![i] = pt[sc].water_cm3;
      for (const [k, v] of Object.entries(pt[sc].pools)) pools.get(`${sc}_${k}`)![i] = v;
    }
    cumGrowth += g.microbial?.grossGrowth_molC ?? Number.NaN;
    cumCo2 += g.microbial?.co2Production_molC ?? Number.NaN;
    pools.get(GROWTH_COL)![i] = cumGrowth;
    pools.get(CO2_COL)![i] = cumCo2;
    while (nextSoil < soilDays.length && soilDays[nextSoil] <= tStart + dt + 1e-9) {
      soilSnapshot(tStart + dt);
      nextSoil++;
    }
    while (nextSnap < snaps.length && snaps[nextSnap] <= tStart + dt + 1e-9) {
      snapshot(snaps[nextSnap]);
      nextSnap++;
    }
    workDone += coupledStepWork(grid.n, g.domains, dynamicAt(tStart));
    ctx.progress.update(i + 1, { day: (tStart + dt).toFixed(2), domains: g.domains, work: Number(coupledWorkFraction(workDone, i + 1, nSteps, tStart + dt, dt, grid.n, g.domains, dynamicAt).toFixed(4)) });
    if (ctx.checkpoints.due(i + 1)) ctx.checkpoints.save(i + 1, checkpointState(i + 1));
    await ctx.checkpoint();
  }
  ctx.progress.stop();
  const wall = (performance.now() - t0wall) / 1000;
  const cpuUsed = process.cpuUsage(cpu0);
  const processCpu_s = (cpuUsed.user + cpuUsed.system) / 1e6;
  const plantCol = new Map(PLANT_COLS.map((c) => [c.name, c]));
  const ts: Table = { columns: COLS.map((name, c) => ({ name, unit: plantCol.get(name)?.unit ?? (name.endsWith('_d') ? 'd' : name.endsWith('_ms') ? 'ms' : name.endsWith('cm3_per_d') ? 'cm3 d-1' : name.endsWith('_cm3') ? 'cm3' : name.endsWith('_cm') ? 'cm' : '1'), description: plantCol.get(name)?.description, data: series[c] })) };
  ctx.out.write('timeseries.csv', tableToCsv(ts));
  ctx.out.write('timeseries.parquet', tableToParquet(ts, { 'rhizocarb.kind': 'coupled' }));
  const pl: Table = { columns: [{ name: 'time_d', unit: 'd', data: series[0] }, ...[...pools.entries()].map(([name, data]) => ({ name: name.replace(/_(CL|CH|CO|CC)/, '_$1').replace(/(_CL_dissolved|_CH_dissolved|_CL_sorbed|_CO_active|_CO_dormant|_CC_active|_CC_dormant|_CO2)$/, '$1_molC'), unit: name.endsWith('cm3') ? 'cm3' : 'mol C', description: RATE_DESCRIPTIONS[name], data }))] };
  ctx.out.write('pools.csv', tableToCsv(pl));
  ctx.out.write('pools.parquet', tableToParquet(pl, { 'rhizocarb.kind': 'coupled' }));
  ctx.out.write('columns.csv', tableDictionaryCsv({ columns: [...ts.columns, ...pl.columns.slice(1)] }));
  ctx.out.write('timings.csv', tableToCsv({ columns: [{ name: 'time_d', unit: 'd', data: series[0] }, ...TIMERS.map((k, j) => ({ name: `${k}_ms`, unit: 'ms', description: `wall time of the step in the ${k} part (differs between runs)`, data: timings[j] }))] }));
  await writeCoupledPlots(ctx, (name) => series[COLS.indexOf(name)], (name) => pools.get(name)!);
  const cb = model.cumulativeBalance();
  const wb = coupledWaterBalance(cb, s.soilWater);
  const days = s.time.end_d - s.time.start_d;
  return {
    balance: {
      water: { ...wb.water, worstStepSoilRelativeError: worst.water, soilStorageSum_cm3: throughput.water },
      carbon: {
        relativeError: Math.abs(cb.carbonError_molC) / Math.max(plantCarbon.in, plantCarbon.out, Math.abs(cb.soilInputs_molC), 1e-300),
        throughput_molC: Math.max(plantCarbon.in, plantCarbon.out, Math.abs(cb.soilInputs_molC)),
        definition: 'cumulative whole-system error (plant + soil + CO2) / carbon that moved (max of plant assimilation, plant uses incl. exudation and mucilage, soil inputs)',
        absoluteError_molC: cb.carbonError_molC, soilInputs_molC: cb.soilInputs_molC, assimilation_molC: plantCarbon.in, plantUses_molC: plantCarbon.out,
        relativeToSoilStocks: Math.abs(cb.carbonError_molC) / Math.max(throughput.carbon, 1e-300), soilStockSum_molC: throughput.carbon,
        worstStepRelativeError: worst.carbon, clippedReleases_molC: cb.clippedReleases_molC,
      },
    },
    checks: [{ name: 'solver.coupledConverged', passed: failures === 0, severity: 'error', message: `every outer step converged (${failures} failures)`, value: failures }, ...wb.checks],
    coupling: { steps: nSteps, iteratesPerSubStep: subSum > 0 ? iterSum / subSum : null, subSteps: subSum, worstMismatch1D3D: worst.mismatch },
    cost: {
      wallSeconds: wall,
      // user + system CPU of the whole Node process (process.cpuUsage; Node 20 has no per-thread figure): exact for one run; in a sweep it also counts the other tasks running in the same process at the time.
      processCpuSeconds: processCpu_s,
      processCpuNote: 'user + system CPU seconds of the whole process over the run (since the start or the resume): exact for a single run; in a sweep with several worker threads it also counts the tasks running beside this one',
      // the model's own timers are wall clocks (performance.now: the models also run in browsers), so the parts are wall seconds per simulated day
      wallSecondsPerSimulatedDay: { total: wall / days, plant: parts.plant / 1000 / days, oneD: parts.oneD / 1000 / days, threeD: parts.threeD / 1000 / days, exchange: parts.exchange / 1000 / days },
    },
    plant: { segmentsAtEnd: root.net.segmentCount, preset: s.plant.preset, laws: s.plant.laws },
    weather: { regime: s.weather.regime, spell: spell ?? null, spellResets, soilWater: s.soilWater },
    soil: { min1DCarbonPool_molC_per_cm3: model.diagnostics()?.minCarbonPool_molC_per_cm3 ?? null, note: 'lowest value any 1D carbon pool took at the end of a 1D solve in the run (negative values are reported, not clipped; RODAS4 rejects steps below −1e−14)' },
    soilSnapshots: { days_d: soilWritten.map((t) => Number(soilDayLabel(t))), files: 'soil/voxels-d<day>.{csv,parquet}, soil/perirhizal-d<day>.{csv,parquet} (docs/results/dry-spells/README.md)' },
  };
}

/** Day in soil snapshot file names: at most 6 decimals, no trailing zeros ("18", "10.041667"). */
export function soilDayLabel(t: number): string {
  return String(Number(t.toFixed(6)));
}

const SNAPSHOT_POOLS = ['CL_dissolved', 'CH_dissolved', 'CL_sorbed', 'CO_active', 'CO_dormant', 'CC_active', 'CC_dormant', 'CO2'] as const;

/**
 * The soil snapshot of the dry-spells analyses (contract: docs/results/dry-spells/README.md):
 * `voxels` — voxel, z_cm (centre), volume_cm3, rooted (0/1 now) and the 8 pools of
 * {@link CoupledModel.voxelFields} (mol C cm⁻³ soil, dissolved ones × θ); `perirhizal` — one row per
 * 1D cell of every segment with a model: segment, cell, r0_cm, r1_cm (cell faces), length_cm (the
 * 1D model's length) and the 8 pools of {@link CoupledModel.radialProfile}.
 */
export function soilSnapshotTables(model: CoupledModel, grid: { n: number; zCenter: Float64Array; volume: Float64Array }, segmentCount: number): { voxels: Table; perirhizal: Table } {
  const f = model.voxelFields();
  const mol = 'mol C cm-3 soil';
  const voxels: Table = {
    columns: [
      { name: 'voxel', unit: '1', description: 'voxel index (x fastest, then y, then z)', data: Float64Array.from({ length: grid.n }, (_, c) => c) },
      { name: 'z_cm', unit: 'cm', description: 'elevation of the voxel centre', data: Float64Array.from(grid.zCenter) },
      { name: 'volume_cm3', unit: 'cm3', data: Float64Array.from(grid.volume) },
      { name: 'rooted', unit: '1', description: '1 if the voxel holds a root segment with a 1D model now', data: Float64Array.from(f.rooted) },
      ...SNAPSHOT_POOLS.map((p) => ({ name: p, unit: mol, data: f.pools[p] })),
    ],
  };
  const rows: { seg: number; cell: number; r0: number; r1: number; len: number; pools: number[] }[] = [];
  for (let seg = 0; seg < segmentCount; seg++) {
    const p = model.radialProfile(seg);
    if (!p) continue;
    const len = model.batch.grids[model.domainOfSegment(seg)].length;
    for (let i = 0; i < p.centers_cm.length; i++) rows.push({ seg, cell: i, r0: p.faces_cm[i], r1: p.faces_cm[i + 1], len, pools: SNAPSHOT_POOLS.map((q) => p.pools[q][i]) });
  }
  const perirhizal: Table = {
    columns: [
      { name: 'segment', unit: '1', description: 'root segment index', data: Float64Array.from(rows, (r) => r.seg) },
      { name: 'cell', unit: '1', description: '1D cell index from the root surface', data: Float64Array.from(rows, (r) => r.cell) },
      { name: 'r0_cm', unit: 'cm', description: 'inner face radius', data: Float64Array.from(rows, (r) => r.r0) },
      { name: 'r1_cm', unit: 'cm', description: 'outer face radius', data: Float64Array.from(rows, (r) => r.r1) },
      { name: 'length_cm', unit: 'cm', description: 'length of the 1D model (segment)', data: Float64Array.from(rows, (r) => r.len) },
      ...SNAPSHOT_POOLS.map((q, j) => ({ name: q, unit: mol, data: Float64Array.from(rows, (r) => r.pools[j]) })),
    ],
  };
  return { voxels, perirhizal };
}

export const coupledKind = registerScenarioKind<CoupledScenario, ResolvedCoupled>({
  kind: 'coupled',
  description: 'the growing plant of 004, one perirhizal 1D model per root segment and the 3D reactive soil in one coupling loop (first version)',
  schema: coupledSchema,
  tolerances: { water: 1e-9, carbon: 1e-9 },
  check,
  resolve: resolveCoupled,
  estimate: estimateCoupled,
  inputs: (r) => [r.plant.file],
  checkpoints: true,
  // Sweep tasks: a checkpoint every 6 h of simulated time (18 steps of the default 20 min).
  sweepCheckpointEvery: (r) => Math.max(1, Math.round(360 / r.time.step_min)),
  run: runCoupled,
});

/** The coupled kind's plots (SVG + PNG): plant water, collar and xylem head, carbon pools per scale, iterates per sub-step. */
async function writeCoupledPlots(ctx: RunContext, col: (name: string) => Float64Array, pool: (name: string) => Float64Array): Promise<void> {
  const t = col('time_d');
  const s = (name: string, label = name): Series => ({ name: label, x: t, y: col(name) });
  const write = async (file: string, svg: string) => {
    ctx.out.write(`plots/${file}.svg`, svg);
    ctx.out.write(`plots/${file}.png`, await svgToPng(svg));
  };
  const x = 'days after sowing';
  await write('plant-water', await lineChartSvg({ title: 'Transpiration (coupling) and plant root uptake', xTitle: x, yTitle: 'cm³ d⁻¹', series: [s('transpiration_cm3_per_d', 'transpiration'), s('plantStepRootUptake_cm3_per_d', 'root uptake')] }));
  await write('collar-potential', await lineChartSvg({ title: 'Collar and xylem pressure head', xTitle: x, yTitle: 'cm', series: [s('collarPsi_cm', 'collar'), s('psiXylemMean_cm', 'xylem mean'), s('psiXylemMin_cm', 'xylem minimum')] }));
  await write('plant-carbon', await lineChartSvg({ title: 'Plant carbon fluxes', xTitle: x, yTitle: 'mol C d⁻¹', yScale: 'symlog', series: [s('assimilation_molC_per_d', 'assimilation'), s('maintenanceRespiration_molC_per_d', 'maintenance respiration'), s('structuralGrowth_molC_per_d', 'structural growth'), s('exudation_molC_per_d', 'exudation'), s('mucilage_molC_per_d', 'mucilage')] }));
  const POOLS: [string, string][] = [['CL_dissolved', 'C_L dissolved'], ['CH_dissolved', 'C_H dissolved'], ['CL_sorbed', 'C_L sorbed'], ['CO_active', 'oligotrophs active'], ['CC_active', 'copiotrophs active'], ['CO2', 'CO₂']];
  for (const sc of SCALES) {
    await write(`pools-${sc}`, await lineChartSvg({ title: `Carbon pools, ${sc}`, xTitle: x, yTitle: 'mol C', yScale: 'log', series: POOLS.map(([k, label]) => ({ name: label, x: t, y: pool(`${sc}_${k}`) })) }));
  }
  await write('iterates', await lineChartSvg({ title: 'Fixed-point iterates per sub-step', xTitle: x, yTitle: 'iterates', points: true, series: [s('iteratesPerSubStep', 'iterates per sub-step'), s('subSteps', 'sub-steps per step')] }));
}
