import { existsSync } from 'node:fs';
import { isAbsolute, resolve as resolvePath } from 'node:path';
import { z } from 'zod';
import { paramSpec, type ParamSpec } from '../core/params.js';
import { InputError, InputErrors } from '../core/errors.js';
import { fileSha256, readTextFile } from '../io/files.js';
import { heatmapSvg, lineChartSvg, type Series } from '../io/plot.js';
import { tableDictionaryCsv, tableToCsv, tableToParquet, type Column, type Table } from '../io/table.js';
import {
  LAND_USE_PRESET_NAMES,
  PEDON_MMZI_PARAMS,
  PEDON_PARAMS,
  PEDON_VZI_PARAMS,
  buildLandUse,
  buildSoil,
  closedLoop,
  pedonGrid,
  runPedon,
  uniformPedonGrid,
  type ClosedLoopResult,
  type LandUse,
  type LandUseOverrides,
  type PedonPhase,
  type PedonRunResult,
} from '../pedon/index.js';
import { STANDARD_LAYERS } from '../profile/inputs.js';
import { CURVE_IDS, EXTENSION_RULES, ZONES, loadCurve, preBombStartYear } from '../profile/radiocarbon/curves.js';
import { doc, paramNumber, paramOverrides } from './params-schema.js';
import { registerScenarioKind, type Check, type KindResult, type RunContext, type ScenarioContext, type WorkEstimate } from './registry.js';

/**
 * Scenario kind `pedon`: the zones-of-influence profile model (paper 002, ZONES.md, docs/PEDON.md):
 * spin-up to steady state under a land use, then land-use transitions at given years; outputs SOC
 * and Δ14C profiles over time, z_b(t), fluxes between the zones, CO₂ by zone, leaching, heat maps,
 * and carbon and ¹⁴C balance errors; optionally the closed loop with 001's profile chain.
 */

/** Hard limits (checked before anything runs) and the documented work limit (≈ 20 min on one core). */
export const PEDON_LIMITS = { layers: 2000, steps: 1_000_000, profileRows: 5_000_000 } as const;
export const PEDON_WORK_LIMIT = 100_000_000;

const spec = (list: readonly ParamSpec[], name: string) => list.find((p) => p.name === name)!;
/** A registered general pedon parameter as a schema number (range, unit, source from the registry). */
const pp = (name: (typeof PEDON_PARAMS)[number]['name']) => paramNumber('pedon', spec(PEDON_PARAMS, name));
const fraction = (d: string) => z.number().min(0).max(1).meta(doc(d, '1'));
const depthTable = (what: string, unit: string) =>
  z
    .union([z.number().meta(doc(`${what}, one value for every layer`, unit)), z.array(z.strictObject({ depth_cm: z.number().min(0).meta(doc('depth', 'cm')), value: z.number().meta(doc(what, unit)) })).min(1).max(1000).meta(doc(`${what} by depth (linear between points, held beyond)`))])
    .meta(doc(what, unit));
const zonesSchema = z
  .strictObject({
    vzi: paramOverrides('pedon.vzi', PEDON_VZI_PARAMS).optional().meta(doc('rates of the vegetation zone of influence (registry pedon.vzi)')),
    mmzi: paramOverrides('pedon.mmzi', PEDON_MMZI_PARAMS).optional().meta(doc('rates of the mineral-matrix zone of influence (registry pedon.mmzi)')),
  })
  .meta(doc('per-zone process rates (data: docs/PARAMETERS.md, pedon.vzi and pedon.mmzi)'));
const presetName = z.enum(LAND_USE_PRESET_NAMES as [string, ...string[]]).meta(doc(`land-use preset: ${LAND_USE_PRESET_NAMES.join(', ')} (src/pedon/presets.ts, docs/PEDON.md)`));

const landUseObject = z.strictObject({
  preset: presetName.optional(),
  name: z.string().min(1).optional().meta(doc('name of the land use (tables, plots)')),
  npp_gC_per_m2_yr: z.number().min(0).max(5000).optional().meta(doc('net primary production; I_root = NPP·f_BNPP, litter = NPP·(1 − f_BNPP)·(1 − harvest)', 'g C m-2 yr-1', '001')),
  fBnpp: fraction('belowground share of NPP (f_BNPP, 001)').optional(),
  harvestFraction: fraction('share of aboveground production removed (harvest)').optional(),
  abovegroundLitter_gC_per_m2_yr: z.number().min(0).max(5000).optional().meta(doc('aboveground litter reaching the surface (overrides NPP × (1 − f_BNPP) × (1 − harvest))', 'g C m-2 yr-1')),
  rootInput_gC_per_m2_yr: z.number().min(0).max(5000).optional().meta(doc('root-derived input I_root before the leak (overrides NPP × f_BNPP)', 'g C m-2 yr-1', '001')),
  roots: z
    .union([
      z.strictObject({ beta: z.number().gt(0).lt(1).meta(doc('β of Y = 1 − β^d (d in cm)', '1', 'Jackson et al. 1996')) }),
      z.strictObject({ d50_cm: z.number().positive().meta(doc('depth above which half the roots lie', 'cm', 'Schenk & Jackson 2002')), d95_cm: z.number().positive().meta(doc('depth above which 95 % of the roots lie', 'cm', 'Schenk & Jackson 2002')) }),
    ])
    .optional()
    .meta(doc('root profile of I_root')),
  leak: z
    .union([
      pp('leakFraction'),
      z.array(z.strictObject({ depth_cm: z.number().min(0).meta(doc('depth', 'cm')), fraction: pp('leakFraction') })).min(1).max(1000).meta(doc('f_loss by depth (linear between points, held beyond)')),
      z.strictObject({ rhizosphereSummary: z.string().min(1).meta(doc('summary.json of a single-root run: f_loss = totals.co2_molC / (exudedC_molC + mucilageC_molC); resolves to the number')) }),
    ])
    .optional()
    .meta(doc('the leaky bridge of 001: share of I_root respired in the rhizosphere')),
  leakSource: z.string().optional().meta(doc('where a resolved leak came from (informational)')),
  rootLitterFraction: pp('rootLitterFraction').optional(),
  rhizodepositFraction: pp('rhizodepositFraction').optional(),
  rhizoMaocFraction: pp('rhizoMaocFraction').optional(),
  litterSurfaceLossFraction: pp('litterSurfaceLossFraction').optional(),
  abovegroundDocFraction: pp('abovegroundDocFraction').optional(),
  litterQuality: pp('litterQuality').optional(),
  belowBoundary: z.enum(['reallocate', 'allow']).optional().meta(doc('root inputs below z_b: reallocated into the VZI (002: plant inputs enter the VZI only) or allowed')),
  tillage: z
    .union([
      z.literal('none').meta(doc('no tillage')),
      z.strictObject({ depth_cm: pp('tillageDepth_cm').optional(), mixing_cm2_per_yr: pp('tillageMixing_cm2_per_yr').optional(), decompositionFactor: pp('tillageDecompositionFactor').optional() }),
    ])
    .optional()
    .meta(doc('annual ploughing: mixing of the plough layer and faster POC decomposition there')),
  climate: z.strictObject({ temperature_C: pp('temperature_C').optional(), moistureFactor: pp('moistureFactor').optional(), q10: pp('q10').optional(), referenceTemperature_C: pp('referenceTemperature_C').optional() }).optional().meta(doc('temperature and moisture modifiers of the biological rates')),
  percolation_cm_per_yr: pp('percolation_cm_per_yr').optional(),
  boundary: z
    .strictObject({
      rootFraction: pp('boundaryRootFraction').optional(),
      parentMaterialDepth_cm: z.number().positive().optional().meta(doc('geology: the boundary never goes below the parent material (omit: none)', 'cm')),
      zeroFluxPlane_cm: z.number().min(0).optional().meta(doc('hydrology: zero-flux plane of a water model, blended into the target with hydrologyWeight (omit: none)', 'cm')),
      hydrologyWeight: pp('hydrologyWeight').optional(),
      timeConstant_yr: pp('boundaryTimeConstant_yr').optional(),
      feedbackExponent: pp('boundaryFeedbackExponent').optional(),
      prescribed: z.array(z.strictObject({ year: z.number().meta(doc('year', 'yr AD')), depth_cm: z.number().min(0).meta(doc('z_b', 'cm')) })).min(1).max(100000).optional().meta(doc('z_b(t) given instead of the rule (linear between points, held beyond)')),
    })
    .optional()
    .meta(doc('drivers of the boundary z_b (docs/PEDON.md "The boundary rule")')),
  anecic: z.strictObject({ exchange_cm_per_yr: pp('anecicExchange_cm_per_yr').optional(), sourceDepth_cm: pp('anecicSourceDepth_cm').optional(), maxDepth_cm: pp('anecicMaxDepth_cm').optional() }).optional().meta(doc('the anecic link between the surface and the burrow zone (002)')),
  zones: zonesSchema.optional(),
});
const landUseSchema = z.union([presetName, landUseObject]).meta(doc('a land-use preset name, or a preset with overrides; resolves to every number'));
type LandUseInput = z.infer<typeof landUseSchema>;
type LandUseObject = z.infer<typeof landUseObject>;

export const pedonSchema = z.strictObject({
  kind: z.literal('pedon').meta(doc('scenario kind')),
  name: z.string().min(1).default('pedon').meta(doc('name of the run (plots, summary.json)')),
  description: z.string().optional().meta(doc('free text')),
  grid: z
    .strictObject({
      depth_cm: z.number().positive().max(10000).default(200).meta(doc('profile depth', 'cm', 'ZONES.md (0–200 cm)')),
      layer_cm: z.number().positive().max(1000).default(2).meta(doc('layer thickness', 'cm', 'ZONES.md (2 cm)')),
      boundaries_cm: z.array(z.number()).min(2).max(PEDON_LIMITS.layers + 1).optional().meta(doc('uneven layers: boundaries from 0 (replaces depth_cm and layer_cm)', 'cm')),
    })
    .default({ depth_cm: 200, layer_cm: 2 })
    .meta(doc('model layers')),
  soil: z
    .strictObject({
      bulkDensity_g_per_cm3: depthTable('bulk density ρ_b (mineral capacity, 004 Eq 25)', 'g cm-3').optional(),
      clayFineSiltFraction: depthTable('mass fraction of clay + silt < 20 µm', '1').optional(),
      clayMineralFactor: depthTable('k_csm of the clay minerals (004 Eq 25)', 'g C g-1 fine mineral').optional(),
      waterContent: depthTable('volumetric water content for the DOC concentration', 'cm3 cm-3').optional(),
      sorptionCapacity: z.boolean().optional().meta(doc('mineral capacity Q_max limits sorption (false: linear sorption)')),
    })
    .default({})
    .meta(doc('soil properties (defaults: registry pedon)')),
  radiocarbon: z
    .strictObject({
      curve: z.enum(CURVE_IDS).default('Hua2022').meta(doc('atmospheric Δ14C curve (docs/PROFILE.md)')),
      zone: z.enum(ZONES).default('NH1').meta(doc('atmospheric zone')),
      extension: z.enum(EXTENSION_RULES).default('none').meta(doc('past the curve end: none (refused), hold-last, forecast')),
    })
    .default({ curve: 'Hua2022', zone: 'NH1', extension: 'none' })
    .meta(doc('radiocarbon forcing: constant pre-bomb value (the curve at 1950.0) before 1950, then the curve')),
  time: z
    .strictObject({
      start: z.number().min(-100000).max(3000).meta(doc('first year (the spin-up state holds here)', 'yr AD')),
      end: z.number().min(-100000).max(3000).meta(doc('last year', 'yr AD')),
      step_years: z.number().positive().max(100).default(1).meta(doc('implicit time step before 1950', 'yr')),
      bombStep_years: z.number().positive().max(10).default(0.1).meta(doc('time step from 1950 (bomb period)', 'yr')),
    })
    .meta(doc('simulated period')),
  spinUp: z
    .union([
      z.strictObject({ method: z.literal('direct').meta(doc('steady state by a direct linear solve (fixed point on the nonlinear factors)')) }),
      z.strictObject({
        method: z.literal('march').meta(doc('time-march to steady state')),
        tolerancePerCentury: z.number().positive().max(1).default(1e-4).meta(doc('stop when the relative change of total SOC per century is below this', '1')),
        maxYears: z.number().positive().max(1e6).default(50000).meta(doc('give up after this many years', 'yr')),
        step_years: z.number().positive().max(100).default(5).meta(doc('time step of the march', 'yr')),
      }),
    ])
    .default({ method: 'direct' })
    .meta(doc('spin-up to steady state under the first land use and the pre-bomb atmosphere')),
  landUse: landUseSchema,
  zones: zonesSchema.optional(),
  transitions: z
    .array(z.strictObject({ year: z.number().meta(doc('year of the change', 'yr AD')), landUse: landUseSchema }))
    .max(1000)
    .default([])
    .meta(doc('land-use transitions (inputs, roots, litter quality, tillage, climate, boundary drivers change from that year)')),
  output: z
    .strictObject({
      profileYears: z.array(z.number()).max(100000).optional().meta(doc('years of the profiles written (default: every everyYears from time.start)', 'yr AD')),
      everyYears: z.number().positive().max(10000).default(10).meta(doc('spacing of the default profile years', 'yr')),
    })
    .default({ everyYears: 10 })
    .meta(doc('what is written')),
  closedLoop: z
    .strictObject({
      samplingYear: z.number().meta(doc('year the profile is sampled (a step end within the run)', 'yr AD')),
      horizons_cm: z.array(z.number().min(0)).min(2).max(1000).optional().meta(doc('sampled horizon boundaries (model-layer boundaries; default: the standard layers)', 'cm')),
      standardLayers: z.union([z.enum(['001', '003']), z.array(z.number().min(0)).min(2).max(1000)]).default('001').meta(doc('standard layers of the 001 chain; resolves to the list', 'cm')),
      criterionDepth_cm: z.number().positive().default(100).meta(doc('layers above this depth enter the criterion and the bias', 'cm', 'issue 10')),
      tolerance: z.number().positive().max(1).default(0.05).meta(doc('largest accepted |recovered − true|/true of I_bulk and of the bias', '1', 'issue 10')),
    })
    .optional()
    .meta(doc("the loop with 001: sample Δ14C and stocks, run rhizocarb's 001 chain, compare recovered and true I_bulk (docs/PEDON.md)")),
});

export type PedonScenario = z.infer<typeof pedonSchema>;
export type ResolvedPedon = Omit<PedonScenario, 'landUse' | 'transitions' | 'output' | 'closedLoop'> & {
  landUse: LandUseObject;
  transitions: { year: number; landUse: LandUseObject }[];
  output: { everyYears: number; profileYears: number[] };
  closedLoop?: Omit<NonNullable<PedonScenario['closedLoop']>, 'standardLayers' | 'horizons_cm'> & { standardLayers: number[]; horizons_cm: number[] };
};

function gridOf(s: PedonScenario) {
  return s.grid.boundaries_cm ? pedonGrid(s.grid.boundaries_cm) : uniformPedonGrid(s.grid.depth_cm, s.grid.layer_cm);
}

/** Number of implicit steps of the run (as the runner makes them). */
function stepCount(s: PedonScenario): number {
  const curve = loadCurve(s.radiocarbon.curve, s.radiocarbon.zone, s.radiocarbon.extension);
  const t0 = preBombStartYear(curve);
  const before = Math.max(0, Math.min(s.time.end, t0) - s.time.start) / s.time.step_years;
  const after = Math.max(0, s.time.end - Math.max(s.time.start, t0)) / s.time.bombStep_years;
  return Math.ceil(before) + Math.ceil(after) + s.transitions.length + 1;
}

function check(s: PedonScenario, { source: src, baseDir }: ScenarioContext): void {
  const errs: InputError[] = [];
  const add = (path: (string | number)[], value: unknown, expected: string) => errs.push(new InputError({ file: src.file, keyPath: path.join('.'), value, ...src.locate(path), expected }));
  if (!(s.time.end > s.time.start)) add(['time', 'end'], s.time.end, `a year after time.start (${s.time.start})`);
  let layers = 0;
  try {
    layers = gridOf(s).n;
  } catch (e) {
    if (e instanceof InputError) add(['grid'], s.grid.boundaries_cm ?? s.grid, e.expected ?? 'a valid grid');
    else throw e;
  }
  if (layers > PEDON_LIMITS.layers) add(['grid', 'layer_cm'], s.grid.layer_cm, `at most ${PEDON_LIMITS.layers} layers (got ${layers})`);
  const curve = loadCurve(s.radiocarbon.curve, s.radiocarbon.zone, s.radiocarbon.extension);
  if (s.time.end > curve.endYear) add(['time', 'end'], s.time.end, `a year ≤ ${curve.endYear}, the end of ${curve.id} (set radiocarbon.extension: hold-last or forecast to go further)`);
  if (s.time.end > s.time.start) {
    const steps = stepCount(s);
    if (steps > PEDON_LIMITS.steps) add(['time', 'step_years'], s.time.step_years, `steps giving at most ${PEDON_LIMITS.steps.toExponential(0)} steps (got ${steps.toExponential(2)} with bombStep_years ${s.time.bombStep_years})`);
    const years = s.output.profileYears?.length ?? Math.floor((s.time.end - s.time.start) / s.output.everyYears) + 2;
    const rows = years * layers * 6;
    if (rows > PEDON_LIMITS.profileRows) add(['output', s.output.profileYears ? 'profileYears' : 'everyYears'], s.output.profileYears?.length ?? s.output.everyYears, `profile years × layers × 6 pools ≤ ${PEDON_LIMITS.profileRows.toExponential(0)} rows (got ${rows.toExponential(2)})`);
  }
  let last = s.time.start;
  s.transitions.forEach((t, k) => {
    if (!(t.year > last && t.year < s.time.end)) add(['transitions', k, 'year'], t.year, `a year after ${k === 0 ? 'time.start' : 'the previous transition'} (${last}) and before time.end (${s.time.end})`);
    last = Math.max(last, t.year);
  });
  const lus: [LandUseInput, (string | number)[]][] = [[s.landUse, ['landUse']], ...s.transitions.map((t, k): [LandUseInput, (string | number)[]] => [t.landUse, ['transitions', k, 'landUse']])];
  for (const [lu, path] of lus) {
    if (typeof lu === 'string') continue;
    const sum = (lu.rootLitterFraction ?? paramSpec('pedon', 'rootLitterFraction').default!) + (lu.rhizodepositFraction ?? paramSpec('pedon', 'rhizodepositFraction').default!) + (lu.rhizoMaocFraction ?? paramSpec('pedon', 'rhizoMaocFraction').default!);
    if (Math.abs(sum - 1) > 1e-9) add([...path, 'rootLitterFraction'], sum, 'rootLitterFraction + rhizodepositFraction + rhizoMaocFraction = 1 (defaults 0.7, 0.3, 0)');
    if (lu.roots && 'd50_cm' in lu.roots && !(lu.roots.d95_cm > lu.roots.d50_cm)) add([...path, 'roots', 'd95_cm'], lu.roots.d95_cm, `> d50_cm (${lu.roots.d50_cm})`);
    const pres = lu.boundary?.prescribed;
    pres?.forEach((q, k) => {
      if (k > 0 && !(q.year > pres[k - 1].year)) add([...path, 'boundary', 'prescribed', k, 'year'], q.year, 'years increasing');
    });
    const leak = lu.leak;
    if (leak !== undefined && typeof leak === 'object' && !Array.isArray(leak) && !existsSync(rel(baseDir, leak.rhizosphereSummary))) add([...path, 'leak', 'rhizosphereSummary'], leak.rhizosphereSummary, 'the summary.json of a single-root run (path relative to the scenario file)');
    if (Array.isArray(leak)) {
      leak.forEach((q, k) => {
        if (k > 0 && !(q.depth_cm > leak[k - 1].depth_cm)) add([...path, 'leak', k, 'depth_cm'], q.depth_cm, 'depths increasing');
      });
    }
  }
  if (s.closedLoop) {
    const c = s.closedLoop;
    if (!(c.samplingYear > s.time.start && c.samplingYear <= s.time.end)) add(['closedLoop', 'samplingYear'], c.samplingYear, `a year in (time.start, time.end] = (${s.time.start}, ${s.time.end}]`);
    let g;
    try {
      g = gridOf(s);
    } catch {
      g = undefined;
    }
    if (g) {
      const onGrid = (d: number) => d === 0 || g.bottom_cm.some((b) => Math.abs(b - d) < 1e-9);
      const checkList = (list: readonly number[], key: string) =>
        list.forEach((d, k) => {
          if (!onGrid(d) || (k > 0 && !(d > list[k - 1])) || d > g.depth_cm) add(['closedLoop', key, k], d, `increasing layer boundaries of the model grid (within 0–${g.depth_cm} cm)`);
        });
      checkList(c.horizons_cm ?? [], 'horizons_cm');
      checkList(typeof c.standardLayers === 'string' ? STANDARD_LAYERS[c.standardLayers] : c.standardLayers, 'standardLayers');
    }
  }
  if (errs.length) throw errs.length === 1 ? errs[0] : new InputErrors(errs);
}

const rel = (baseDir: string, p: string): string => (isAbsolute(p) ? p : resolvePath(baseDir, p));

/** f_loss from a single-root run: cumulative microbial CO₂ / cumulative plant C release (ZONES.md). */
function leakFromRhizosphere(file: string): number {
  let j: { totals?: { co2_molC?: number; exudedC_molC?: number; mucilageC_molC?: number } };
  try {
    j = JSON.parse(readTextFile(file, 'the summary.json of a single-root run'));
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError({ file, keyPath: 'leak.rhizosphereSummary', value: file, expected: `a JSON summary.json (${(e as Error).message})` });
  }
  const t = j.totals ?? {};
  const release = (t.exudedC_molC ?? NaN) + (t.mucilageC_molC ?? NaN);
  const f = (t.co2_molC ?? NaN) / release;
  if (!(f >= 0 && f < 1)) throw new InputError({ file, keyPath: 'totals.co2_molC / (exudedC_molC + mucilageC_molC)', value: f, expected: 'a rhizosphere loss fraction in [0, 1) from a single-root summary.json' });
  return f;
}

/** The model land use of a land-use input (preset + overrides, global zone rates, leak file read here). */
function landUseOf(input: LandUseInput, global: PedonScenario['zones'], baseDir: string): { landUse: LandUse; leakSource?: string } {
  if (typeof input === 'string') return { landUse: buildLandUse(input, { zones: global }) };
  const o = input;
  let leakSource = o.leakSource;
  let leak: LandUse['leakFraction'] | undefined;
  if (o.leak !== undefined && typeof o.leak === 'object' && !Array.isArray(o.leak)) {
    const file = rel(baseDir, o.leak.rhizosphereSummary);
    leak = leakFromRhizosphere(file);
    leakSource = `single-root summary ${file} (sha256 ${fileSha256(file)})`;
  } else leak = o.leak;
  const ov: Record<string, unknown> = {
    name: o.name,
    npp_gC_per_m2_yr: o.npp_gC_per_m2_yr,
    fBnpp: o.fBnpp,
    harvestFraction: o.harvestFraction,
    abovegroundLitter_gC_per_m2_yr: o.abovegroundLitter_gC_per_m2_yr,
    rootInput_gC_per_m2_yr: o.rootInput_gC_per_m2_yr,
    rootDistribution: o.roots ? ('beta' in o.roots ? { kind: 'beta', beta: o.roots.beta } : { kind: 'schenk-jackson', d50Cm: o.roots.d50_cm, d95Cm: o.roots.d95_cm }) : undefined,
    leakFraction: leak,
    rootLitterFraction: o.rootLitterFraction,
    rhizodepositFraction: o.rhizodepositFraction,
    rhizoMaocFraction: o.rhizoMaocFraction,
    litterSurfaceLossFraction: o.litterSurfaceLossFraction,
    abovegroundDocFraction: o.abovegroundDocFraction,
    litterQuality: o.litterQuality,
    belowBoundary: o.belowBoundary,
    temperature_C: o.climate?.temperature_C,
    moistureFactor: o.climate?.moistureFactor,
    q10: o.climate?.q10,
    referenceTemperature_C: o.climate?.referenceTemperature_C,
    percolation_cm_per_yr: o.percolation_cm_per_yr,
    boundary: o.boundary ? Object.fromEntries(Object.entries(o.boundary).filter(([, v]) => v !== undefined)) : undefined,
    anecic: o.anecic ? Object.fromEntries(Object.entries(o.anecic).filter(([, v]) => v !== undefined)) : undefined,
    zones: { vzi: { ...global?.vzi, ...o.zones?.vzi }, mmzi: { ...global?.mmzi, ...o.zones?.mmzi } },
  };
  const clean = Object.fromEntries(Object.entries(ov).filter(([, v]) => v !== undefined)) as LandUseOverrides;
  if (o.tillage !== undefined) {
    const d = (n: string) => paramSpec('pedon', n).default!;
    (clean as Record<string, unknown>).tillage = o.tillage === 'none' ? undefined : { depth_cm: o.tillage.depth_cm ?? d('tillageDepth_cm'), mixing_cm2_per_yr: o.tillage.mixing_cm2_per_yr ?? d('tillageMixing_cm2_per_yr'), decompositionFactor: o.tillage.decompositionFactor ?? d('tillageDecompositionFactor') };
  }
  return { landUse: buildLandUse(o.preset, clean), leakSource };
}

/** A model land use as a plain-JSON land-use object of the schema with every number (a fixed point of {@link landUseOf}). */
function landUseJson(lu: LandUse, preset: string | undefined, leakSource: string | undefined): LandUseObject {
  const r = lu.rootDistribution;
  if (r.kind === 'observed') throw new Error('pedon: observed root profiles are not a scenario input');
  const b = lu.boundary;
  return {
    ...(preset ? { preset } : {}),
    name: lu.name,
    abovegroundLitter_gC_per_m2_yr: lu.abovegroundLitter_gC_per_m2_yr,
    rootInput_gC_per_m2_yr: lu.rootInput_gC_per_m2_yr,
    roots: r.kind === 'beta' ? { beta: r.beta } : { d50_cm: r.d50Cm, d95_cm: r.d95Cm },
    leak: typeof lu.leakFraction === 'number' ? lu.leakFraction : lu.leakFraction.map((q) => ({ depth_cm: q.depth_cm, fraction: q.fraction })),
    ...(leakSource ? { leakSource } : {}),
    rootLitterFraction: lu.rootLitterFraction,
    rhizodepositFraction: lu.rhizodepositFraction,
    rhizoMaocFraction: lu.rhizoMaocFraction,
    litterSurfaceLossFraction: lu.litterSurfaceLossFraction,
    abovegroundDocFraction: lu.abovegroundDocFraction,
    litterQuality: lu.litterQuality,
    belowBoundary: lu.belowBoundary,
    tillage: lu.tillage ? { ...lu.tillage } : 'none',
    climate: { temperature_C: lu.temperature_C, moistureFactor: lu.moistureFactor, q10: lu.q10, referenceTemperature_C: lu.referenceTemperature_C },
    percolation_cm_per_yr: lu.percolation_cm_per_yr,
    boundary: {
      rootFraction: b.rootFraction,
      ...(Number.isFinite(b.parentMaterialDepth_cm) ? { parentMaterialDepth_cm: b.parentMaterialDepth_cm } : {}),
      ...(Number.isFinite(b.zeroFluxPlane_cm) ? { zeroFluxPlane_cm: b.zeroFluxPlane_cm } : {}),
      hydrologyWeight: b.hydrologyWeight,
      timeConstant_yr: b.timeConstant_yr,
      feedbackExponent: b.feedbackExponent,
      ...(b.prescribed ? { prescribed: b.prescribed.map((q) => ({ ...q })) } : {}),
    },
    anecic: { ...lu.anecic },
    zones: { vzi: { ...lu.zones.vzi }, mmzi: { ...lu.zones.mmzi } },
  };
}

function resolveLandUse(input: LandUseInput, global: PedonScenario['zones'], baseDir: string): LandUseObject {
  const { landUse, leakSource } = landUseOf(input, global, baseDir);
  return landUseJson(landUse, typeof input === 'string' ? input : input.preset, leakSource);
}

/** Every number: land uses expanded (presets, registry defaults, global zone rates, leak files), profile years, closed-loop layers. */
function resolve(s: PedonScenario, { baseDir }: ScenarioContext): ResolvedPedon {
  const g = gridOf(s);
  const mid = Array.from(g.mid_cm);
  const soil = buildSoil(g, s.soil);
  const col = (a: Float64Array) => (a.every((v) => v === a[0]) ? a[0] : mid.map((z, i) => ({ depth_cm: z, value: a[i] })));
  const every = s.output.everyYears;
  const years = s.output.profileYears ?? Array.from({ length: Math.floor((s.time.end - s.time.start) / every + 1e-9) + 1 }, (_, k) => s.time.start + k * every);
  const { zones: _global, ...rest } = s;
  void _global;
  return {
    ...rest,
    soil: { bulkDensity_g_per_cm3: col(soil.bulkDensity_g_per_cm3), clayFineSiltFraction: col(soil.clayFineSiltFraction), clayMineralFactor: col(soil.clayMineralFactor), waterContent: col(soil.waterContent), sorptionCapacity: soil.sorptionCapacity },
    landUse: resolveLandUse(s.landUse, s.zones, baseDir),
    transitions: s.transitions.map((t) => ({ year: t.year, landUse: resolveLandUse(t.landUse, s.zones, baseDir) })),
    output: { ...s.output, profileYears: [...new Set(years)].sort((a, b) => a - b) },
    ...(s.closedLoop
      ? (() => {
          const c = s.closedLoop;
          const std = typeof c.standardLayers === 'string' ? [...STANDARD_LAYERS[c.standardLayers]] : [...c.standardLayers];
          return { closedLoop: { ...c, standardLayers: std, horizons_cm: c.horizons_cm ? [...c.horizons_cm] : std } };
        })()
      : {}),
  } as ResolvedPedon;
}

function estimate(r: ResolvedPedon): WorkEstimate {
  const layers = r.grid.boundaries_cm ? r.grid.boundaries_cm.length - 1 : Math.round(r.grid.depth_cm / r.grid.layer_cm);
  const steps = stepCount(r);
  return { workUnits: steps * layers, unit: 'layer-steps', description: `${steps} implicit steps × ${layers} layers`, limit: PEDON_WORK_LIMIT };
}

const num = (name: string, unit: string, data: ArrayLike<number>, description: string): Column => ({ name, unit, description, data });
const txt = (name: string, data: readonly string[], description: string): Column => ({ name, data, description });

function writeTable(ctx: RunContext, name: string, t: Table, meta: Record<string, string>): void {
  ctx.out.write(`${name}.csv`, tableToCsv(t));
  ctx.out.write(`${name}.parquet`, tableToParquet(t, meta));
}

async function run(s: ResolvedPedon, ctx: RunContext): Promise<KindResult> {
  const grid = gridOf(s);
  const soil = buildSoil(grid, s.soil);
  const curve = loadCurve(s.radiocarbon.curve, s.radiocarbon.zone, s.radiocarbon.extension);
  // Resolved land uses hold every number (a leak file was read at resolution): nothing is read here.
  const lu = (o: LandUseObject) => landUseOf(o, undefined, '').landUse;
  const phases: PedonPhase[] = [{ fromYear: s.time.start, landUse: lu(s.landUse) }, ...s.transitions.map((t) => ({ fromYear: t.year, landUse: lu(t.landUse) }))];
  const profileYears = s.output.profileYears;
  const sampling = s.closedLoop?.samplingYear;
  let loop: ClosedLoopResult | undefined;
  const stdDepths = s.closedLoop ? s.closedLoop.standardLayers : [];
  ctx.progress.start(100, `${s.name} (${s.time.start}–${s.time.end})`);
  let lastPct = -1;
  const r: PedonRunResult = await runPedon({
    grid,
    soil,
    phases,
    startYear: s.time.start,
    endYear: s.time.end,
    step_yr: s.time.step_years,
    bombStep_yr: s.time.bombStep_years,
    curve,
    profileYears: sampling !== undefined ? [...profileYears, sampling] : profileYears,
    spinUp: s.spinUp.method === 'direct' ? { method: 'direct' } : { method: 'march', tolerancePerCentury: s.spinUp.tolerancePerCentury, maxYears: s.spinUp.maxYears, step_yr: s.spinUp.step_years },
    checkpoint: () => ctx.checkpoint(),
    onProgress: (year, f) => {
      const pct = Math.floor(100 * f);
      if (pct !== lastPct) ctx.progress.update(pct, { year: year.toFixed(1) });
      lastPct = pct;
    },
    onStepEnd: (year, model) => {
      if (s.closedLoop && sampling !== undefined && Math.abs(year - sampling) < 1e-9) {
        loop = closedLoop(model, {
          samplingYear: sampling,
          horizons_cm: s.closedLoop.horizons_cm ?? [...stdDepths],
          standardDepthsCm: stdDepths,
          curve: s.radiocarbon.curve,
          zone: s.radiocarbon.zone,
          extension: s.radiocarbon.extension,
          criterionDepth_cm: s.closedLoop.criterionDepth_cm,
        });
      }
    },
  });
  ctx.progress.stop();
  const meta = { scenario: s.name, kind: 'pedon' };

  // Tables: profiles (exactly the named columns), ages, time series, closed loop.
  const P = r.profiles;
  const profiles: Table = {
    columns: [
      num('year', 'yr AD', P.year, 'year of the profile (end of a step)'),
      num('layer_top_cm', 'cm', P.layerTop_cm, 'top of the model layer'),
      num('layer_bottom_cm', 'cm', P.layerBottom_cm, 'bottom of the model layer'),
      txt('pool', P.pool, 'POC, MAOC, DOC, MIC, SOC (their sum), CO2 (cumulative heterotrophic + rhizosphere CO₂ of the layer since time.start)'),
      num('stock_gC_per_m2', 'g C m-2', P.stock_gC_per_m2, 'carbon in the layer'),
      num('delta14c_permil', '‰', P.delta14c_permil, 'Δ14C = (R/C − 1)·1000, R the radiocarbon tracer in A/A_std units (001 Eq 5)'),
    ],
  };
  writeTable(ctx, 'profiles', profiles, meta);
  const ages: Table = { columns: [profiles.columns[0], profiles.columns[1], profiles.columns[2], profiles.columns[3], num('mean_age_yr', 'yr', P.meanAge_yr, 'mean age of the carbon (age tracer; NaN for CO2)')] };
  writeTable(ctx, 'profile-ages', ages, meta);
  const S = r.series;
  const FLUX = 'g C m-2 yr-1';
  const series: Table = {
    columns: [
      num('year', 'yr AD', S.year, 'end of the step'),
      txt('land_use', S.landUse, 'land use during the step'),
      num('z_b_cm', 'cm', S.zb_cm, 'boundary between the vegetation and mineral-matrix zones'),
      num('z_b_target_cm', 'cm', S.zbTarget_cm, 'target of z_b from its drivers (roots, parent material, zero-flux plane, SOC feedback)'),
      num('soc_vzi_gC_per_m2', 'g C m-2', S.socVzi_gC_per_m2, 'SOC above z_b'),
      num('soc_mmzi_gC_per_m2', 'g C m-2', S.socMmzi_gC_per_m2, 'SOC below z_b'),
      num('soc_total_gC_per_m2', 'g C m-2', S.socTotal_gC_per_m2, 'SOC of the profile'),
      num('delta14c_profile_permil', '‰', S.delta14cBulk_permil, 'Δ14C of all soil carbon'),
      num('root_input', FLUX, S.rootInput, 'I_root (before the rhizosphere leak)'),
      num('soil_input', FLUX, S.soilInput, 'inputs to the soil pools (bulk root input after the leak + litter reaching the mineral soil)'),
      num('co2_vzi', FLUX, S.co2Vzi, 'CO₂ of the vegetation zone: heterotrophic + rhizosphere + surface litter'),
      num('co2_mmzi', FLUX, S.co2Mmzi, 'heterotrophic CO₂ of the mineral-matrix zone'),
      num('co2_rhizosphere', FLUX, S.co2Rhizosphere, 'the leak: f_loss × I_root'),
      num('co2_litter', FLUX, S.co2Litter, 'surface litter respiration'),
      num('leaching', FLUX, S.leaching, 'DOC leached out of the profile bottom'),
      num('flux_vzi_to_mmzi_advection', FLUX, S.boundaryAdvection, 'net downward DOC advection across the grid face nearest z_b'),
      num('flux_vzi_to_mmzi_bioturbation', FLUX, S.boundaryBioturbation, 'net downward bioturbation (and tillage) across that face'),
      num('flux_vzi_to_mmzi_anecic', FLUX, S.boundaryAnecic, 'net downward transport of the anecic link'),
      num('root_share_below_boundary', '1', S.rootShareBelowBoundary, 'share of root inputs the root profile puts below z_b (moved into the VZI unless belowBoundary: allow)'),
      num('carbon_step_error', '1', S.carbonStepError, '|ΔC − (inputs − CO₂ − leaching)| / (stock + inputs) of the step'),
      num('c14_step_error', '1', S.c14StepError, 'the same for ¹⁴C (with radioactive decay)'),
    ],
  };
  writeTable(ctx, 'timeseries', series, meta);
  const dictionary: Column[] = [...profiles.columns, ages.columns[4], ...series.columns.slice(1)];
  if (loop) {
    const L = loop.layers;
    const t: Table = {
      columns: [
        num('top_cm', 'cm', L.map((l) => l.top_cm), 'standard layer top'),
        num('bottom_cm', 'cm', L.map((l) => l.bottom_cm), 'standard layer bottom'),
        num('true_i_bulk', 'Mg C ha-1 yr-1', L.map((l) => l.trueIBulk), "the model's input to bulk soil (after the leak)"),
        num('recovered_i_bulk', 'Mg C ha-1 yr-1', L.map((l) => l.recoveredIBulk), "C_stock / C_age from rhizocarb's 001 chain on the sampled Δ14C"),
        num('relative_error', '1', L.map((l) => l.relativeError), '(recovered − true) / true'),
        num('i_root', 'Mg C ha-1 yr-1', L.map((l) => l.iRoot), 'I_root of the layer (before the leak)'),
        num('stock_MgC_per_ha', 'Mg C ha-1', L.map((l) => l.stock_MgC_per_ha), 'sampled stock'),
        num('radiocarbon_age_years', 'yr', L.map((l) => l.radiocarbonAgeYears), 'C_stock / I_bulk from the chain'),
        num('delta14c_permil', '‰', L.map((l) => l.delta14c_permil), 'sampled Δ14C of the standard layer'),
      ],
    };
    writeTable(ctx, 'closed-loop', t, meta);
    ctx.out.write('closed-loop-samples.csv', loop.samplesCsv);
    dictionary.push(...t.columns.slice(2));
  }
  ctx.out.write('columns.csv', tableDictionaryCsv({ columns: dictionary }));

  // Plots: heat maps of SOC density and Δ14C over time and depth with z_b(t); boundary; CO₂ by zone.
  const years = [...new Set(P.year)].sort((a, b) => a - b);
  const nextYear = new Map(years.map((y, k) => [y, k + 1 < years.length ? years[k + 1] : y + Math.max(1, (years[k] - (years[k - 1] ?? years[k] - 1)))]));
  const soc = P.pool.map((p) => p === 'SOC');
  const pick = (f: (i: number) => number) => P.year.map((_, i) => i).filter((i) => soc[i]).map(f);
  const cells = {
    x0: pick((i) => P.year[i]),
    x1: pick((i) => nextYear.get(P.year[i])!),
    y0: pick((i) => P.layerTop_cm[i]),
    y1: pick((i) => P.layerBottom_cm[i]),
  };
  const zbLine: Series[] = [
    { name: 'z_b', x: S.year, y: S.zb_cm },
    { name: 'target', x: S.year, y: S.zbTarget_cm },
  ];
  ctx.out.write('plots/soc-heatmap.svg', await heatmapSvg({ title: `${s.name}: SOC density over time (line: z_b)`, xTitle: 'year', yTitle: 'depth (cm)', colorTitle: 'g C m⁻² cm⁻¹', cells: { ...cells, value: pick((i) => P.stock_gC_per_m2[i] / (P.layerBottom_cm[i] - P.layerTop_cm[i])) }, lines: zbLine, reverseY: true, colorScale: 'log' }));
  ctx.out.write('plots/delta14c-heatmap.svg', await heatmapSvg({ title: `${s.name}: SOC Δ14C over time (line: z_b)`, xTitle: 'year', yTitle: 'depth (cm)', colorTitle: 'Δ14C (‰)', cells: { ...cells, value: pick((i) => P.delta14c_permil[i]) }, lines: zbLine, reverseY: true, scheme: 'redblue' }));
  ctx.out.write('plots/boundary.svg', await lineChartSvg({ title: `${s.name}: zone boundary z_b(t)`, xTitle: 'year', yTitle: 'depth (cm)', series: zbLine }));
  ctx.out.write('plots/co2-by-zone.svg', await lineChartSvg({ title: `${s.name}: CO₂ by zone`, xTitle: 'year', yTitle: 'g C m⁻² yr⁻¹', series: [{ name: 'VZI (all)', x: S.year, y: S.co2Vzi }, { name: 'MMZI', x: S.year, y: S.co2Mmzi }, { name: 'rhizosphere (leak)', x: S.year, y: S.co2Rhizosphere }, { name: 'surface litter', x: S.year, y: S.co2Litter }, { name: 'leaching', x: S.year, y: S.leaching }] }));
  ctx.out.write('plots/soc-by-zone.svg', await lineChartSvg({ title: `${s.name}: SOC by zone`, xTitle: 'year', yTitle: 'g C m⁻²', series: [{ name: 'VZI', x: S.year, y: S.socVzi_gC_per_m2 }, { name: 'MMZI', x: S.year, y: S.socMmzi_gC_per_m2 }, { name: 'total', x: S.year, y: S.socTotal_gC_per_m2 }] }));
  const profileSeries: Series[] = years.filter((_, k) => k % Math.max(1, Math.ceil(years.length / 8)) === 0 || k === years.length - 1).map((y) => {
    const idx = P.year.map((_, i) => i).filter((i) => soc[i] && P.year[i] === y);
    return { name: String(Math.round(y * 100) / 100), x: idx.map((i) => 0.5 * (P.layerTop_cm[i] + P.layerBottom_cm[i])), y: idx.map((i) => P.stock_gC_per_m2[i] / (P.layerBottom_cm[i] - P.layerTop_cm[i])) };
  });
  ctx.out.write('plots/soc-profiles.svg', await lineChartSvg({ title: `${s.name}: SOC density profiles`, xTitle: 'depth (cm)', yTitle: 'g C m⁻² cm⁻¹', series: profileSeries, sequentialColors: true, yScale: 'log' }));
  if (loop) {
    const mid = loop.layers.map((l) => 0.5 * (l.top_cm + l.bottom_cm));
    ctx.out.write('plots/closed-loop.svg', await lineChartSvg({ title: `${s.name}: I_bulk true vs recovered by the 001 chain`, xTitle: 'standard layer mid-depth (cm)', yTitle: 'Mg C ha⁻¹ yr⁻¹', series: [{ name: 'true I_bulk', x: mid, y: loop.layers.map((l) => l.trueIBulk) }, { name: 'recovered I_bulk', x: mid, y: loop.layers.map((l) => l.recoveredIBulk) }, { name: 'I_root', x: mid, y: loop.layers.map((l) => l.iRoot) }], points: true, yScale: 'log' }));
  }

  // Summary.
  const b = r.balance;
  const checks: Check[] = [];
  const span = s.time.end - s.time.start;
  const perYear = (v: number) => v / span;
  const finite = (v: number) => (Number.isFinite(v) ? v : null);
  let closed: Record<string, unknown> | undefined;
  if (loop) {
    const c = s.closedLoop!;
    const layersOk = loop.maxRelativeErrorAboveCriterion <= c.tolerance;
    const biasOk = Math.abs(loop.biasRelativeError) <= c.tolerance;
    const pass = layersOk && biasOk;
    checks.push(
      { name: 'closedLoop.iBulk', passed: layersOk, severity: 'error', message: `largest |recovered − true|/true of I_bulk above ${c.criterionDepth_cm} cm ${(100 * loop.maxRelativeErrorAboveCriterion).toFixed(2)} % ${layersOk ? '≤' : 'exceeds'} ${100 * c.tolerance} %`, value: loop.maxRelativeErrorAboveCriterion },
      { name: 'closedLoop.bias', passed: biasOk, severity: 'error', message: `apparent turnover bias ${loop.turnoverBias.toFixed(3)} vs I_root/I_bulk ${loop.expectedBias.toFixed(3)}: ${(100 * loop.biasRelativeError).toFixed(2)} % ${biasOk ? 'within' : 'beyond'} ${100 * c.tolerance} %`, value: loop.biasRelativeError },
    );
    closed = {
      samplingYear: c.samplingYear,
      layers: loop.layers.map((l) => ({ top_cm: l.top_cm, bottom_cm: l.bottom_cm, trueIBulk: finite(l.trueIBulk), recoveredIBulk: finite(l.recoveredIBulk), relativeError: finite(l.relativeError) })),
      turnoverBias: loop.turnoverBias,
      expectedBias: loop.expectedBias,
      biasRelativeError: loop.biasRelativeError,
      criterionDepth_cm: c.criterionDepth_cm,
      maxRelativeErrorAboveCriterion: loop.maxRelativeErrorAboveCriterion,
      tolerance: c.tolerance,
      pass,
      units: 'Mg C ha-1 yr-1',
      note: 'true I_bulk = the model input to bulk soil per standard layer (after the leak); recovered = C_stock/C_age of rhizocarb’s 001 chain on the sampled Δ14C; relativeError null where the true input is 0 (no direct input below z_b); bias = ΣI_root/ΣI_bulk over the layers above criterionDepth_cm',
      chainWarnings: loop.warnings.map((w) => `${w.horizon || w.profile}: ${w.code}`),
    };
  }
  const m = r.model;
  return {
    simulatedYears: span,
    steps: r.steps,
    grid: { layers: grid.n, depth_cm: grid.depth_cm },
    radiocarbon: { curve: curve.id, zone: curve.zone, extension: curve.extension, citation: curve.citation, preBombNote: 'constant pre-bomb atmosphere (the curve at 1950.0) before 1950, as the 001 one-pool model' },
    spinUp: r.spinUp,
    landUses: phases.map((p) => ({ fromYear: p.fromYear, name: p.landUse.name, rootInput_gC_per_m2_yr: p.landUse.rootInput_gC_per_m2_yr, abovegroundLitter_gC_per_m2_yr: p.landUse.abovegroundLitter_gC_per_m2_yr, leakFraction: p.landUse.leakFraction })),
    boundary: { start_cm: S.zb_cm.length ? r.spinUp.zb_cm : NaN, end_cm: m.zb_cm, endTarget_cm: m.zbTarget_cm, rule: 'relaxation (τ_b) towards min(depth of f_v of root inputs, parent material), blended with the zero-flux plane (w_h), × (ρ_VZI/ρ_VZI,spin-up)^γ' },
    balance: {
      carbon: { relativeError: b.carbon.relativeError, maxStepRelativeError: b.carbon.maxStepRelativeError, initial_gC_per_m2: b.carbon.initial, final_gC_per_m2: b.carbon.final, inputs_gC_per_m2: b.carbon.inputs, co2_gC_per_m2: b.carbon.co2, leaching_gC_per_m2: b.carbon.leaching, residual_gC_per_m2: b.carbon.residual },
      c14: { relativeError: b.c14.relativeError, maxStepRelativeError: b.c14.maxStepRelativeError, initial: b.c14.initial, final: b.c14.final, inputs: b.c14.inputs, co2: b.c14.co2, leaching: b.c14.leaching, decay: b.c14.decay, residual: b.c14.residual, units: 'g C m-2 × A/A_std' },
    },
    meanFluxes_gC_per_m2_yr: Object.fromEntries(Object.entries(r.totals).map(([k, v]) => [k, perYear(v)])),
    soc_gC_per_m2: { start: b.carbon.initial, end: b.carbon.final },
    ...(closed ? { closedLoop: closed } : {}),
    checks,
  };
}

export const pedonKind = registerScenarioKind<PedonScenario, ResolvedPedon>({
  kind: 'pedon',
  description: 'zones-of-influence profile model (002, ZONES.md): spin-up, land-use transitions, SOC and Δ14C profiles, z_b(t), closed loop with 001',
  schema: pedonSchema,
  tolerances: { carbon: 1e-10, c14: 1e-10 },
  check,
  resolve,
  estimate,
  run,
});
