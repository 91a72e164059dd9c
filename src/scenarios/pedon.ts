import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { z } from 'zod';
import { paramSpec } from '../core/params.js';
import { InputError, InputErrors } from '../core/errors.js';
import { heatmapSvg, lineChartSvg, type Series } from '../io/plot.js';
import { tableDictionaryCsv, tableToCsv, tableToParquet, type Column, type Table } from '../io/table.js';
import {
  LAND_USE_PRESET_NAMES,
  ZONE_RATE_NAMES,
  buildLandUse,
  buildSoil,
  closedLoop,
  pedonGrid,
  runPedon,
  uniformPedonGrid,
  type ClosedLoopResult,
  type LandUseOverrides,
  type PedonPhase,
  type PedonRunResult,
} from '../pedon/index.js';
import { STANDARD_LAYERS } from '../profile/inputs.js';
import { CURVE_IDS, EXTENSION_RULES, ZONES, loadCurve } from '../profile/radiocarbon/curves.js';
import type { SourceDocument } from './load.js';
import { registerScenarioKind, type RunContext } from './registry.js';

/**
 * Scenario kind `pedon`: the zones-of-influence profile model (paper 002, ZONES.md, docs/PEDON.md):
 * spin-up to steady state under a land use, then land-use transitions at given years; outputs SOC
 * and Δ14C profiles over time, z_b(t), fluxes between the zones, CO₂ by zone, leaching, heat maps,
 * and carbon and ¹⁴C balance errors; optionally the closed loop with 001's profile chain.
 */

/** A number validated against the parameter registry (one place for ranges). */
const param = (module: string, name: string) => {
  const s = paramSpec(module, name);
  return z.number().min(s.min).max(s.max);
};
const fraction = z.number().min(0).max(1);
const depthValue = z.union([z.number(), z.array(z.strictObject({ depth_cm: z.number().min(0), value: z.number() })).min(1)]);
const zoneRates = (module: string) => z.strictObject(Object.fromEntries(ZONE_RATE_NAMES.map((n) => [n, param(module, n).optional()])) as Record<(typeof ZONE_RATE_NAMES)[number], z.ZodOptional<z.ZodNumber>>);
const zonesSchema = z.strictObject({ vzi: zoneRates('pedon.vzi').optional(), mmzi: zoneRates('pedon.mmzi').optional() });
const presetName = z.enum(LAND_USE_PRESET_NAMES as [string, ...string[]]);

const landUseObject = z.strictObject({
  preset: presetName.optional(),
  name: z.string().min(1).optional(),
  npp_gC_per_m2_yr: z.number().min(0).max(5000).optional(),
  fBnpp: fraction.optional(),
  harvestFraction: fraction.optional(),
  abovegroundLitter_gC_per_m2_yr: z.number().min(0).max(5000).optional(),
  rootInput_gC_per_m2_yr: z.number().min(0).max(5000).optional(),
  roots: z.union([z.strictObject({ beta: z.number().gt(0).lt(1) }), z.strictObject({ d50_cm: z.number().positive(), d95_cm: z.number().positive() })]).optional(),
  leak: z
    .union([
      param('pedon', 'leakFraction'),
      z.array(z.strictObject({ depth_cm: z.number().min(0), fraction: param('pedon', 'leakFraction') })).min(1),
      z.strictObject({ rhizosphereSummary: z.string().min(1) }),
    ])
    .optional(),
  rootLitterFraction: fraction.optional(),
  rhizodepositFraction: fraction.optional(),
  rhizoMaocFraction: fraction.optional(),
  litterSurfaceLossFraction: fraction.optional(),
  abovegroundDocFraction: fraction.optional(),
  litterQuality: param('pedon', 'litterQuality').optional(),
  belowBoundary: z.enum(['reallocate', 'allow']).optional(),
  tillage: z
    .union([
      z.literal('none'),
      z.strictObject({ depth_cm: param('pedon', 'tillageDepth_cm').optional(), mixing_cm2_per_yr: param('pedon', 'tillageMixing_cm2_per_yr').optional(), decompositionFactor: param('pedon', 'tillageDecompositionFactor').optional() }),
    ])
    .optional(),
  climate: z.strictObject({ temperature_C: param('pedon', 'temperature_C').optional(), moistureFactor: param('pedon', 'moistureFactor').optional(), q10: param('pedon', 'q10').optional() }).optional(),
  percolation_cm_per_yr: param('pedon', 'percolation_cm_per_yr').optional(),
  boundary: z
    .strictObject({
      rootFraction: param('pedon', 'boundaryRootFraction').optional(),
      parentMaterialDepth_cm: z.number().positive().optional(),
      zeroFluxPlane_cm: z.number().min(0).optional(),
      hydrologyWeight: param('pedon', 'hydrologyWeight').optional(),
      timeConstant_yr: param('pedon', 'boundaryTimeConstant_yr').optional(),
      feedbackExponent: param('pedon', 'boundaryFeedbackExponent').optional(),
      prescribed: z.array(z.strictObject({ year: z.number(), depth_cm: z.number().min(0) })).min(1).optional(),
    })
    .optional(),
  anecic: z.strictObject({ exchange_cm_per_yr: param('pedon', 'anecicExchange_cm_per_yr').optional(), sourceDepth_cm: param('pedon', 'anecicSourceDepth_cm').optional(), maxDepth_cm: param('pedon', 'anecicMaxDepth_cm').optional() }).optional(),
  zones: zonesSchema.optional(),
});
const landUseSchema = z.union([presetName, landUseObject]);
type LandUseInput = z.infer<typeof landUseSchema>;

export const pedonSchema = z.strictObject({
  kind: z.literal('pedon'),
  name: z.string().min(1).default('pedon'),
  description: z.string().optional(),
  grid: z
    .strictObject({ depth_cm: z.number().positive().max(10000).default(200), layer_cm: z.number().positive().max(1000).default(2), boundaries_cm: z.array(z.number()).min(2).optional() })
    .default({ depth_cm: 200, layer_cm: 2 }),
  soil: z
    .strictObject({ bulkDensity_g_per_cm3: depthValue.optional(), clayFineSiltFraction: depthValue.optional(), clayMineralFactor: depthValue.optional(), waterContent: depthValue.optional(), sorptionCapacity: z.boolean().optional() })
    .default({}),
  radiocarbon: z
    .strictObject({ curve: z.enum(CURVE_IDS).default('Hua2022'), zone: z.enum(ZONES).default('NH1'), extension: z.enum(EXTENSION_RULES).default('none') })
    .default({ curve: 'Hua2022', zone: 'NH1', extension: 'none' }),
  time: z.strictObject({
    start: z.number().min(-100000).max(3000),
    end: z.number().min(-100000).max(3000),
    step_years: z.number().positive().max(100).default(1),
    bombStep_years: z.number().positive().max(10).default(0.1),
  }),
  spinUp: z
    .union([
      z.strictObject({ method: z.literal('direct') }),
      z.strictObject({ method: z.literal('march'), tolerancePerCentury: z.number().positive().max(1).default(1e-4), maxYears: z.number().positive().max(1e6).default(50000), step_years: z.number().positive().max(100).default(5) }),
    ])
    .default({ method: 'direct' }),
  landUse: landUseSchema,
  /** Zone-rate overrides for every land use (a land use's own `zones` override these). */
  zones: zonesSchema.optional(),
  transitions: z.array(z.strictObject({ year: z.number(), landUse: landUseSchema })).default([]),
  output: z
    .strictObject({ profileYears: z.array(z.number()).optional(), everyYears: z.number().positive().max(10000).default(10) })
    .default({ everyYears: 10 }),
  closedLoop: z
    .strictObject({
      samplingYear: z.number(),
      horizons_cm: z.array(z.number().min(0)).min(2).optional(),
      standardLayers: z.union([z.enum(['001', '003']), z.array(z.number().min(0)).min(2)]).default('001'),
      criterionDepth_cm: z.number().positive().default(100),
      tolerance: z.number().positive().max(1).default(0.05),
    })
    .optional(),
  balanceTolerance: z.number().positive().max(1e-3).default(1e-9),
});

export type PedonScenario = z.infer<typeof pedonSchema>;

function gridOf(s: PedonScenario) {
  return s.grid.boundaries_cm ? pedonGrid(s.grid.boundaries_cm) : uniformPedonGrid(s.grid.depth_cm, s.grid.layer_cm);
}

function check(s: PedonScenario, src: SourceDocument): void {
  const errs: InputError[] = [];
  const add = (path: (string | number)[], value: unknown, expected: string) => errs.push(new InputError({ file: src.file, keyPath: path.join('.'), value, ...src.locate(path), expected }));
  if (!(s.time.end > s.time.start)) add(['time', 'end'], s.time.end, `a year after time.start (${s.time.start})`);
  try {
    gridOf(s);
  } catch (e) {
    if (e instanceof InputError) add(['grid'], s.grid.boundaries_cm ?? s.grid, e.expected ?? 'a valid grid');
    else throw e;
  }
  const curve = loadCurve(s.radiocarbon.curve, s.radiocarbon.zone, s.radiocarbon.extension);
  if (s.time.end > curve.endYear) add(['time', 'end'], s.time.end, `a year ≤ ${curve.endYear}, the end of ${curve.id} (set radiocarbon.extension: hold-last or forecast to go further)`);
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
    if (lu.boundary?.prescribed) {
      lu.boundary.prescribed.forEach((q, k) => {
        if (k > 0 && !(q.year > lu.boundary!.prescribed![k - 1].year)) add([...path, 'boundary', 'prescribed', k, 'year'], q.year, 'years increasing');
      });
    }
    if (typeof lu.leak === 'object' && !Array.isArray(lu.leak) && !existsSync(rel(src.file, lu.leak.rhizosphereSummary))) add([...path, 'leak', 'rhizosphereSummary'], lu.leak.rhizosphereSummary, 'the summary.json of a single-root run (path relative to the scenario file)');
    if (Array.isArray(lu.leak)) {
      const L = lu.leak;
      L.forEach((q, k) => {
        if (k > 0 && !(q.depth_cm > L[k - 1].depth_cm)) add([...path, 'leak', k, 'depth_cm'], q.depth_cm, 'depths increasing');
      });
    }
  }
  if (s.closedLoop) {
    const c = s.closedLoop;
    if (!(c.samplingYear > s.time.start && c.samplingYear <= s.time.end)) add(['closedLoop', 'samplingYear'], c.samplingYear, `a year in (time.start, time.end] = (${s.time.start}, ${s.time.end}]`);
    const g = (() => {
      try {
        return gridOf(s);
      } catch {
        return undefined;
      }
    })();
    const hz = c.horizons_cm ?? [];
    if (g) {
      const onGrid = (d: number) => d === 0 || g.bottom_cm.some((b) => Math.abs(b - d) < 1e-9);
      hz.forEach((d, k) => {
        if (!onGrid(d) || (k > 0 && !(d > hz[k - 1])) || d > g.depth_cm) add(['closedLoop', 'horizons_cm', k], d, `increasing layer boundaries of the model grid (within 0–${g.depth_cm} cm)`);
      });
      const std = typeof c.standardLayers === 'string' ? STANDARD_LAYERS[c.standardLayers] : c.standardLayers;
      std.forEach((d, k) => {
        if (!onGrid(d) || (k > 0 && !(d > std[k - 1])) || d > g.depth_cm) add(['closedLoop', 'standardLayers', k], d, `increasing layer boundaries of the model grid (within 0–${g.depth_cm} cm)`);
      });
    }
  }
  if (errs.length) throw errs.length === 1 ? errs[0] : new InputErrors(errs);
}

const rel = (file: string, p: string): string => (isAbsolute(p) ? p : resolve(dirname(file), p));

/** f_loss from a single-root run: cumulative microbial CO₂ / cumulative plant C release (ZONES.md). */
function leakFromRhizosphere(file: string): number {
  let j: { totals?: { co2_molC?: number; exudedC_molC?: number; mucilageC_molC?: number } };
  try {
    j = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new InputError({ file, keyPath: 'leak.rhizosphereSummary', value: file, expected: `a readable summary.json (${(e as Error).message})` });
  }
  const t = j.totals ?? {};
  const release = (t.exudedC_molC ?? NaN) + (t.mucilageC_molC ?? NaN);
  const f = (t.co2_molC ?? NaN) / release;
  if (!(f >= 0 && f < 1)) throw new InputError({ file, keyPath: 'totals.co2_molC / (exudedC_molC + mucilageC_molC)', value: f, expected: 'a rhizosphere loss fraction in [0, 1) from a single-root summary.json' });
  return f;
}

function landUseOf(input: LandUseInput, global: PedonScenario['zones'], file: string) {
  if (typeof input === 'string') return buildLandUse(input, { zones: global });
  const o = input;
  const leak = o.leak === undefined ? undefined : typeof o.leak === 'object' && !Array.isArray(o.leak) ? leakFromRhizosphere(rel(file, o.leak.rhizosphereSummary)) : o.leak;
  const ov: LandUseOverrides = {
    ...(o.name ? { name: o.name } : {}),
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
    ...(o.tillage === undefined
      ? {}
      : {
          tillage:
            o.tillage === 'none'
              ? undefined
              : { depth_cm: o.tillage.depth_cm ?? paramSpec('pedon', 'tillageDepth_cm').default!, mixing_cm2_per_yr: o.tillage.mixing_cm2_per_yr ?? paramSpec('pedon', 'tillageMixing_cm2_per_yr').default!, decompositionFactor: o.tillage.decompositionFactor ?? paramSpec('pedon', 'tillageDecompositionFactor').default! },
        }),
    temperature_C: o.climate?.temperature_C,
    moistureFactor: o.climate?.moistureFactor,
    q10: o.climate?.q10,
    percolation_cm_per_yr: o.percolation_cm_per_yr,
    boundary: o.boundary ? { ...o.boundary, zeroFluxPlane_cm: o.boundary.zeroFluxPlane_cm ?? NaN, parentMaterialDepth_cm: o.boundary.parentMaterialDepth_cm ?? Infinity } : undefined,
    anecic: o.anecic,
    zones: { vzi: { ...global?.vzi, ...o.zones?.vzi }, mmzi: { ...global?.mmzi, ...o.zones?.mmzi } },
  };
  // Drop undefined fields so the preset and registry defaults apply.
  const clean = Object.fromEntries(Object.entries(ov).filter(([k, v]) => v !== undefined || k === 'tillage')) as LandUseOverrides;
  if (o.tillage === undefined) delete (clean as Record<string, unknown>).tillage;
  return buildLandUse(o.preset, clean);
}

const num = (name: string, unit: string, data: ArrayLike<number>, description: string): Column => ({ name, unit, description, data });
const txt = (name: string, data: readonly string[], description: string): Column => ({ name, data, description });

function writeTable(ctx: RunContext, name: string, t: Table, meta: Record<string, string>): void {
  ctx.out.write(`${name}.csv`, tableToCsv(t));
  ctx.out.write(`${name}.parquet`, tableToParquet(t, meta));
}

async function run(s: PedonScenario, ctx: RunContext): Promise<Record<string, unknown>> {
  const grid = gridOf(s);
  const soil = buildSoil(grid, s.soil);
  const curve = loadCurve(s.radiocarbon.curve, s.radiocarbon.zone, s.radiocarbon.extension);
  const phases: PedonPhase[] = [{ fromYear: s.time.start, landUse: landUseOf(s.landUse, s.zones, ctx.scenarioFile) }, ...s.transitions.map((t) => ({ fromYear: t.year, landUse: landUseOf(t.landUse, s.zones, ctx.scenarioFile) }))];
  const every = s.output.everyYears;
  const profileYears = s.output.profileYears ?? Array.from({ length: Math.floor((s.time.end - s.time.start) / every) + 1 }, (_, k) => s.time.start + k * every);
  const sampling = s.closedLoop?.samplingYear;
  let loop: ClosedLoopResult | undefined;
  const stdDepths = s.closedLoop ? (typeof s.closedLoop.standardLayers === 'string' ? STANDARD_LAYERS[s.closedLoop.standardLayers] : s.closedLoop.standardLayers) : [];
  ctx.progress.start(100, `${s.name} (${s.time.start}–${s.time.end})`);
  let lastPct = -1;
  const r: PedonRunResult = runPedon({
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
  const tol = s.balanceTolerance;
  const balanceOk = b.carbon.relativeError <= tol && b.c14.relativeError <= tol;
  if (!balanceOk) ctx.log(`pedon: BALANCE CHECK FAILED: carbon ${b.carbon.relativeError.toExponential(2)}, ¹⁴C ${b.c14.relativeError.toExponential(2)} > tolerance ${tol}`);
  const span = s.time.end - s.time.start;
  const perYear = (v: number) => v / span;
  const finite = (v: number) => (Number.isFinite(v) ? v : null);
  let closed: Record<string, unknown> | undefined;
  if (loop) {
    const c = s.closedLoop!;
    const pass = loop.maxRelativeErrorAboveCriterion <= c.tolerance && Math.abs(loop.biasRelativeError) <= c.tolerance;
    if (!pass) ctx.log(`pedon: CLOSED-LOOP CHECK FAILED: max |error| above ${c.criterionDepth_cm} cm ${(100 * loop.maxRelativeErrorAboveCriterion).toFixed(2)} %, bias error ${(100 * loop.biasRelativeError).toFixed(2)} % (tolerance ${100 * c.tolerance} %)`);
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
    status: balanceOk && (closed?.pass ?? true) ? 'ok' : 'failed-check',
    simulatedYears: span,
    steps: r.steps,
    grid: { layers: grid.n, depth_cm: grid.depth_cm },
    radiocarbon: { curve: curve.id, zone: curve.zone, extension: curve.extension, citation: curve.citation, preBombNote: 'constant pre-bomb atmosphere (the curve at 1950.0) before 1950, as the 001 one-pool model' },
    spinUp: r.spinUp,
    landUses: phases.map((p) => ({ fromYear: p.fromYear, name: p.landUse.name, rootInput_gC_per_m2_yr: p.landUse.rootInput_gC_per_m2_yr, abovegroundLitter_gC_per_m2_yr: p.landUse.abovegroundLitter_gC_per_m2_yr, leakFraction: p.landUse.leakFraction })),
    boundary: { start_cm: S.zb_cm.length ? r.spinUp.zb_cm : NaN, end_cm: m.zb_cm, endTarget_cm: m.zbTarget_cm, rule: 'relaxation (τ_b) towards min(depth of f_v of root inputs, parent material), blended with the zero-flux plane (w_h), × (ρ_VZI/ρ_VZI,spin-up)^γ' },
    balanceTolerance: tol,
    balance: {
      carbon: { relativeError: b.carbon.relativeError, maxStepRelativeError: b.carbon.maxStepRelativeError, initial_gC_per_m2: b.carbon.initial, final_gC_per_m2: b.carbon.final, inputs_gC_per_m2: b.carbon.inputs, co2_gC_per_m2: b.carbon.co2, leaching_gC_per_m2: b.carbon.leaching, residual_gC_per_m2: b.carbon.residual },
      c14: { relativeError: b.c14.relativeError, maxStepRelativeError: b.c14.maxStepRelativeError, initial: b.c14.initial, final: b.c14.final, inputs: b.c14.inputs, co2: b.c14.co2, leaching: b.c14.leaching, decay: b.c14.decay, residual: b.c14.residual, units: 'g C m-2 × A/A_std' },
    },
    meanFluxes_gC_per_m2_yr: Object.fromEntries(Object.entries(r.totals).map(([k, v]) => [k, perYear(v)])),
    soc_gC_per_m2: { start: b.carbon.initial, end: b.carbon.final },
    ...(closed ? { closedLoop: closed } : {}),
  };
}

export const pedonKind = registerScenarioKind({
  kind: 'pedon',
  description: 'zones-of-influence profile model (002, ZONES.md): spin-up, land-use transitions, SOC and Δ14C profiles, z_b(t), closed loop with 001',
  schema: pedonSchema,
  check,
  run,
});
