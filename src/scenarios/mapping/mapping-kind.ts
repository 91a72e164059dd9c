import { dirname, isAbsolute, resolve } from 'node:path';
import { z } from 'zod';
import { InputError, InputErrors } from '../../core/errors.js';
import { readCsvFile } from '../../core/csv.js';
import { dataPath } from '../../core/paths.js';
import { WorkerPool } from '../../engine/pool.js';
import { svgToPng } from '../../io/map-figure.js';
import { scatterChartSvg } from '../../io/plot.js';
import { openStack } from '../../io/raster.js';
import { tableToCsv } from '../../io/table.js';
import { describeSkipped, tableFromCsv } from '../../io/training-table.js';
import { fitModel, validateModel, type FeatureSpec, type MappingModel, type TargetSpec, type ValidationResult } from '../../learning/index.js';
import { iBulk_MgC_per_ha_yr, layerAges, readLayerCsv, runDepth, STANDARD_LAYERS, type ProfileWarning } from '../../profile/index.js';
import { registerScenarioKind, type RunContext } from '../registry.js';
import type { SourceDocument } from '../load.js';
import { poolRunners } from '../learning-runners.js';
import { runMap, type MapModelSpec, type OutputMeta } from './map-run.js';
import { writeModelFile } from './model-io.js';

/**
 * Scenario kind `mapping`: the machine-learning maps of 001 (`pipeline: iloss`) and 003
 * (`pipeline: beta`) on a covariate stack, from the shipped training data by default
 * (data/mapping, data/israd). See docs/LEARNING.md for every choice where the shipped data differ
 * from the papers' (forest-only ForC, 5 covariates at 10′ instead of 54 at 30″, ISRaD stocks
 * from the layers, not WISE30sec).
 */
const forestSchema = z.strictObject({
  trees: z.int().min(1).max(5000).default(500),
  mtry: z.int().min(1).optional(),
  minNodeSize: z.number().min(1).default(5),
  seed: z.int().default(1),
});

export const mappingSchema = z.strictObject({
  kind: z.literal('mapping'),
  name: z.string().min(1).default('mapping'),
  description: z.string().optional(),
  /** iloss: 001's I_root, f_BNPP, I_bulk by layer and I_loss; beta: 003's β and SOC 20–100 cm. */
  pipeline: z.enum(['iloss', 'beta']),
  /** Folder of covariate GeoTIFFs (relative to the scenario file); default the shipped 10′ stack. */
  rasters: z.string().optional(),
  /** Training tables (relative to the scenario file); defaults are the shipped ones. */
  training: z
    .strictObject({ forc: z.string().optional(), isradLayers: z.string().optional(), isradCovariates: z.string().optional() })
    .default({}),
  features: z.array(z.string()).min(1).default(['mat_degC', 'map_mm', 'elevation_m', 'soil_order', 'biome4']),
  categorical: z.array(z.string()).default(['soil_order', 'biome4']),
  forest: forestSchema.default({ trees: 500, minNodeSize: 5, seed: 1 }),
  intervals: z
    .strictObject({ method: z.enum(['resample', 'oob']).default('resample'), resamples: z.int().min(1).default(500), seed: z.int().default(1) })
    .default({ method: 'resample', resamples: 500, seed: 1 }),
  validation: z
    .strictObject({
      folds: z.int().min(2).default(10),
      repeats: z.int().min(1).default(1),
      trees: z.int().min(1).default(200),
      resamples: z.int().min(1).default(50),
      /** Also cross-validate boosted trees, the linear model and their ensemble. */
      learners: z.boolean().default(true),
    })
    .default({ folds: 10, repeats: 1, trees: 200, resamples: 50, learners: true }),
  monteCarlo: z.strictObject({ draws: z.int().min(2).default(500), seed: z.int().default(1) }).default({ draws: 500, seed: 1 }),
  /** Standard layer boundaries, cm (001 preset). */
  layers_cm: z.array(z.number().min(0)).min(2).default([...STANDARD_LAYERS['001']]),
  maps: z
    .strictObject({
      tile: z.int().min(16).multipleOf(16).default(256),
      workers: z.int().min(0).optional(),
      /** [x0, y0, width, height] of the stack grid (e.g. a region or a test crop); default all. */
      window: z.array(z.int().min(0)).length(4).optional(),
    })
    .default({ tile: 256 }),
});

export type MappingScenario = z.infer<typeof mappingSchema>;

const FLUX = 'Mg C ha-1 yr-1';

function check(s: MappingScenario, src: SourceDocument): void {
  const errs: InputError[] = [];
  const at = (p: (string | number)[]) => src.locate(p);
  for (let i = 1; i < s.layers_cm.length; i++) if (!(s.layers_cm[i] > s.layers_cm[i - 1])) errs.push(new InputError({ file: src.file, keyPath: `layers_cm[${i}]`, value: s.layers_cm[i], ...at(['layers_cm', i]), expected: `> layers_cm[${i - 1}] (${s.layers_cm[i - 1]})` }));
  for (const c of s.categorical) if (!s.features.includes(c)) errs.push(new InputError({ file: src.file, keyPath: 'categorical', value: c, ...at(['categorical']), expected: `one of features (${s.features.join(', ')})` }));
  if (errs.length) throw errs.length === 1 ? errs[0] : new InputErrors(errs);
}

interface Trained {
  model: MappingModel;
  validation: ValidationResult;
  rows: number;
  skipped: Record<string, number>;
}

async function trainAndValidate(
  ctx: RunContext,
  s: MappingScenario,
  pool: WorkerPool,
  name: string,
  target: TargetSpec,
  features: FeatureSpec[],
  columns: Float64Array[],
  y: Float64Array,
  skipped: Record<string, number>,
): Promise<Trained> {
  const r = poolRunners(pool);
  ctx.log(`${name}: ${describeSkipped(y.length, skipped)}; ${s.validation.folds}-fold CV…`);
  const data = { features, columns, y };
  const validation = await validateModel(data, target, {
    scheme: 'kfold', folds: s.validation.folds, trainFraction: 0.8, repeats: s.validation.repeats, seed: s.forest.seed,
    forest: { trees: s.validation.trees, mtry: s.forest.mtry, minNodeSize: s.forest.minNodeSize },
    intervals: { method: s.intervals.method, resamples: s.validation.resamples }, learners: s.validation.learners, tauRunner: r.tauRunner,
  });
  const m = validation.metrics;
  ctx.log(`${name}: CV R² ${m.r2.toFixed(3)}, RMSE ${m.rmse.toPrecision(4)}${target.transform === 'log' ? ' (ln)' : ''}, 95 % coverage ${(100 * validation.coverage['0.95']).toFixed(1)} %; training the map model (${s.forest.trees} trees, τ̂ from ${s.intervals.resamples} resamples)…`);
  const model = await fitModel(data, target, { forest: s.forest, intervals: s.intervals, growRunner: r.growRunner, tauRunner: r.tauRunner, shared: r.shared });
  const withSkips = { ...model, training: { ...model.training, skipped } };
  writeModelFile(ctx.out.path(`models/${name}.json`), withSkips, { scenario: s.name });
  const svg = await scatterChartSvg({ title: `${name}: ${s.validation.folds}-fold CV (R² ${m.r2.toFixed(2)}${target.transform === 'log' ? ', log axes' : ''})`, xTitle: `observed ${target.name} (${target.unit ?? ''})`, yTitle: `predicted (${target.unit ?? ''})`, x: validation.heldOut.observed, y: validation.heldOut.predicted, log: target.transform === 'log' });
  ctx.out.write(`validation/${name}-observed-vs-predicted.svg`, svg);
  ctx.out.write(`validation/${name}-observed-vs-predicted.png`, svgToPng(svg));
  const h = validation.heldOut;
  ctx.out.write(`validation/${name}-heldout.csv`, tableToCsv({ columns: [{ name: 'observed', data: h.observed }, { name: 'predicted', data: h.predicted }, { name: 'lower95', data: h.lower }, { name: 'upper95', data: h.upper }] }));
  return { model: withSkips, validation, rows: y.length, skipped };
}

function validationSummary(t: Trained) {
  return { rows: t.rows, skipped: t.skipped, cv: { ...t.validation.metrics, coverage95: t.validation.coverage['0.95'], scale: t.model.target.transform === 'log' ? 'ln' : 'linear', originalScale: t.validation.metricsOriginalScale, learners: t.validation.learners, ensembleWeights: t.validation.weights }, oob: t.model.training.oob, tau95: t.model.tau.tau['0.95'], importance: t.model.training.importance };
}

/** Covariates of ISRaD profiles by profile id (israd_profiles_covariates.csv). */
function profileCovariates(file: string, features: readonly string[]) {
  const t = readCsvFile(file);
  const ids = t.rows.map((r) => r[t.header.indexOf('id')]);
  const tab = tableFromCsv(t, { features, allowMissingTarget: true });
  const byId = new Map<string, number[]>();
  tab.rows.forEach((r, k) => byId.set(ids[r], tab.columns.map((c) => c[k])));
  return { byId, skipped: tab.skipped, total: t.rows.length };
}

async function run(s: MappingScenario, ctx: RunContext): Promise<Record<string, unknown>> {
  const base = dirname(ctx.scenarioFile);
  const path = (p: string | undefined, dflt: string) => (p ? (isAbsolute(p) ? p : resolve(base, p)) : dataPath(dflt));
  const rastersDir = path(s.rasters, 'mapping/rasters');
  const forcFile = path(s.training.forc, 'mapping/training/forc_plots_Iroot_fBNPP.csv');
  const isradLayers = path(s.training.isradLayers, 'israd/ISRaD_vonFromm2024_layer14C_subset.csv');
  const isradCov = path(s.training.isradCovariates, 'mapping/training/israd_profiles_covariates.csv');
  const features: FeatureSpec[] = s.features.map((name) => ({ name, kind: s.categorical.includes(name) ? 'categorical' : 'numeric' }));
  const stack = await openStack(rastersDir);
  for (const n of stack.notes) ctx.log(`note: ${n}`);
  const pool = new WorkerPool({ concurrency: s.maps.workers });
  const summary: Record<string, unknown> = { pipeline: s.pipeline, rasters: rastersDir, grid: stack.grid, stackNotes: stack.notes };
  try {
    const models: MapModelSpec[] = [];
    const meta = new Map<string, OutputMeta>();
    const describe = (prefix: string, title: string, unit: string, palette?: 'diverging') => {
      for (const [k, label] of [['mean', ''], ['lower', ' — lower 95 %'], ['upper', ' — upper 95 %'], ['relunc', ' — relative uncertainty'], ['median', ' — median of the Monte Carlo draws']] as const) {
        meta.set(`${prefix}_${k}`, { title: `${title}${label}`, unit: k === 'relunc' ? '1 (margin of deviation / mean)' : unit, palette: k === 'relunc' ? undefined : palette });
      }
    };
    const layerNames = s.layers_cm.slice(1).map((b, j) => `${s.layers_cm[j]}-${b}cm`);
    const top = s.layers_cm[0];
    const bottom = s.layers_cm[s.layers_cm.length - 1];
    let iloss: Parameters<typeof runMap>[0]['iloss'];
    let stockExtrapolation: Parameters<typeof runMap>[0]['stockExtrapolation'];
    if (s.pipeline === 'iloss') {
      const forc = readCsvFile(forcFile);
      const tr = tableFromCsv(forc, { target: 'I_root', features: s.features, categorical: s.categorical, log: true });
      const iroot = await trainAndValidate(ctx, s, pool, 'iroot', { name: 'I_root', unit: FLUX, transform: 'log' }, features, tr.columns, tr.y, tr.skipped);
      const tf = tableFromCsv(forc, { target: 'f_BNPP', features: s.features, categorical: s.categorical });
      const fbnpp = await trainAndValidate(ctx, s, pool, 'fbnpp', { name: 'f_BNPP', unit: '1', transform: 'none' }, features, tf.columns, tf.y, tf.skipped);
      // I_bulk of each ISRaD layer: C stock / radiocarbon age (001 Eqs 1–6, the profile module).
      const warnings: ProfileWarning[] = [];
      const layers = readLayerCsv(isradLayers, warnings);
      const ages = layerAges(layers, {}, warnings);
      const cov = profileCovariates(isradCov, s.features);
      const skipped: Record<string, number> = {};
      const skip = (k: string) => (skipped[k] = (skipped[k] ?? 0) + 1);
      const cols: number[][] = [[], [], ...s.features.map(() => [])];
      const y: number[] = [];
      for (let i = 0; i < layers.n; i++) {
        const ib = iBulk_MgC_per_ha_yr(layers.stock_MgC_per_ha[i], ages.turnoverYears[i]);
        if (!Number.isFinite(layers.stock_MgC_per_ha[i])) skip('no SOC stock');
        else if (!Number.isFinite(ages.turnoverYears[i])) skip(`no radiocarbon age (${ages.status[i] || 'no Δ14C'})`);
        else if (layers.bottom_cm[i] > bottom) skip(`below ${bottom} cm`);
        else if (!(ib > 0)) skip('I_bulk ≤ 0 (log)');
        else if (!cov.byId.has(layers.profile[i])) skip('profile without all covariates');
        else {
          y.push(ib);
          cols[0].push(layers.top_cm[i]);
          cols[1].push(layers.bottom_cm[i]);
          cov.byId.get(layers.profile[i])!.forEach((v, k) => cols[2 + k].push(v));
        }
      }
      const ibFeatures: FeatureSpec[] = [{ name: 'top_cm', unit: 'cm', kind: 'numeric' }, { name: 'bottom_cm', unit: 'cm', kind: 'numeric' }, ...features];
      const ibulk = await trainAndValidate(ctx, s, pool, 'ibulk', { name: 'I_bulk', unit: FLUX, transform: 'log' }, ibFeatures, cols.map((c) => Float64Array.from(c)), Float64Array.from(y), skipped);
      models.push({ name: `iroot_${top}-${bottom}cm`, model: iroot.model, title: 'I_root', unit: FLUX });
      describe(`iroot_${top}-${bottom}cm`, `I_root ${top}–${bottom} cm`, FLUX);
      models.push({ name: 'fbnpp', model: fbnpp.model, title: 'f_BNPP', unit: '1' });
      describe('fbnpp', 'f_BNPP (BNPP / NPP)', '1');
      layerNames.forEach((ln, j) => {
        models.push({ name: `ibulk_${ln}`, model: ibulk.model, constants: { top_cm: s.layers_cm[j], bottom_cm: s.layers_cm[j + 1] }, title: `I_bulk ${ln}`, unit: FLUX });
        describe(`ibulk_${ln}`, `I_bulk ${ln.replace('-', '–').replace('cm', ' cm')}`, FLUX);
        describe(`iloss_${ln}`, `I_loss ${ln.replace('-', '–').replace('cm', ' cm')}`, FLUX, 'diverging');
      });
      describe('iloss_total', `I_loss ${top}–${bottom} cm`, FLUX, 'diverging');
      describe('ilossfraction_total', `I_loss / I_root ${top}–${bottom} cm`, '1', 'diverging');
      iloss = { iroot: 0, ibulk: layerNames.map((_, j) => 2 + j), layerNames, draws: s.monteCarlo.draws, seed: s.monteCarlo.seed };
      summary.models = { iroot: validationSummary(iroot), fbnpp: validationSummary(fbnpp), ibulk: { ...validationSummary(ibulk), warnings: warnings.length } };
    } else {
      const warnings: ProfileWarning[] = [];
      const depth = runDepth(readLayerCsv(isradLayers, warnings), {}, warnings);
      const cov = profileCovariates(isradCov, s.features);
      const rowsOf = (pick: (p: (typeof depth.profiles)[number]) => number, what: string) => {
        const skipped: Record<string, number> = {};
        const cols: number[][] = s.features.map(() => []);
        const y: number[] = [];
        for (const p of depth.profiles) {
          const v = pick(p);
          if (!Number.isFinite(v)) skipped[`no ${what}`] = (skipped[`no ${what}`] ?? 0) + 1;
          else if (!cov.byId.has(p.profile)) skipped['profile without all covariates'] = (skipped['profile without all covariates'] ?? 0) + 1;
          else {
            y.push(v);
            cov.byId.get(p.profile)!.forEach((x, k) => cols[k].push(x));
          }
        }
        return { cols: cols.map((c) => Float64Array.from(c)), y: Float64Array.from(y), skipped };
      };
      const b = rowsOf((p) => (p.beta < 1 ? p.beta : NaN), 'β fit with β < 1');
      const beta = await trainAndValidate(ctx, s, pool, 'beta', { name: 'beta', unit: '1', transform: 'none' }, features, b.cols, b.y, b.skipped);
      const t = rowsOf((p) => (p.stockAboveD0_MgC_per_ha > 0 ? p.stockAboveD0_MgC_per_ha : NaN), 'stock 0–20 cm');
      const topsoil = await trainAndValidate(ctx, s, pool, 'soc_0-20cm', { name: 'SOC stock 0–20 cm', unit: 'Mg C ha-1', transform: 'log' }, features, t.cols, t.y, t.skipped);
      models.push({ name: 'beta', model: beta.model, title: 'β', unit: '1' }, { name: 'soc_0-20cm', model: topsoil.model, title: 'SOC 0–20 cm', unit: 'Mg C ha-1' });
      describe('beta', 'β of Y = 1 − β^d (003 Eq 3)', '1');
      describe('soc_0-20cm', 'SOC stock 0–20 cm', 'Mg C ha-1');
      describe('soc_20-100cm', 'SOC stock 20–100 cm from β and the 0–20 cm stock (003 Eq 4)', 'Mg C ha-1');
      stockExtrapolation = { beta: 0, topsoil: 1, d0Cm: 20, dCm: 100, name: 'soc_20-100cm' };
      summary.models = { beta: validationSummary(beta), topsoil: validationSummary(topsoil), depthWarnings: warnings.length };
    }
    ctx.log(`mapping ${models.length} model layers over ${stack.grid.width}×${stack.grid.height} cells…`);
    const png = (n: string) => n.endsWith('_mean') || n === 'ilossfraction_total_median' || n.endsWith('_relunc');
    const map = await runMap({
      stack, out: ctx.out, pool, models, iloss, stockExtrapolation, tileSize: s.maps.tile, window: s.maps.window as [number, number, number, number] | undefined,
      progress: ctx.progress, png, meta: (n) => meta.get(n) ?? { title: n, unit: '' },
    });
    summary.map = map;
    return summary;
  } finally {
    await pool.close();
    await stack.close();
  }
}

registerScenarioKind({
  kind: 'mapping',
  description: "machine-learning maps of 001 (I_root, f_BNPP, I_bulk by layer, I_loss with Monte Carlo) and 003 (β, SOC 20–100 cm) with Coulston intervals and 10-fold CV",
  schema: mappingSchema,
  check,
  run,
});
