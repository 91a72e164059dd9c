import { existsSync, readdirSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { z } from 'zod';
import { InputError, InputErrors } from '../../core/errors.js';
import { fileSha256, readCsvFile } from '../../io/files.js';
import { dataPath } from '../../io/paths.js';
import { WorkerPool } from '../../engine/pool.js';
import { scatterChartSvg, svgToPng } from '../../io/plot.js';
import { openStack } from '../../io/raster.js';
import { tableToCsv } from '../../io/table.js';
import { describeSkipped, tableFromCsv } from '../../io/training-table.js';
import { fitModel, validateModel, type FeatureSpec, type MappingModel, type TargetSpec, type ValidationResult } from '../../learning/index.js';
import { iBulk_MgC_per_ha_yr, layerAges, layerTableFromCsv, runDepth, screenLayerStocks, STANDARD_LAYERS, STOCK_SCREEN_PARAMS, type LayerTable, type ProfileWarning, type StockScreen } from '../../profile/index.js';
import { doc, paramOverrides } from '../params-schema.js';
import { registerScenarioKind, type Check, type KindResult, type RunContext, type ScenarioContext, type WorkEstimate } from '../registry.js';
import { poolRunners } from '../learning-runners.js';
import { runMap, type MapModelSpec, type OutputMeta } from './map-run.js';
import { readModelFile, writeModelFile } from './model-io.js';

/**
 * Scenario kind `mapping`: the machine-learning maps of 001 (`pipeline: iloss`) and 003
 * (`pipeline: beta`) on a covariate stack, from the shipped training data by default
 * (data/mapping, data/israd), and the map of one trained model (`pipeline: model`, what
 * `rhizocarb map` runs). See docs/LEARNING.md for every choice where the shipped data differ from
 * the papers' (forest-only ForC, 5 covariates at 10′ instead of 54 at 30″, ISRaD stocks from the
 * layers, not WISE30sec).
 */
const forestSchema = z
  .strictObject({
    trees: z.int().min(1).max(5000).default(500).meta(doc('trees per forest', '1')),
    mtry: z.int().min(1).optional().meta(doc('features tried per split (default ⌈p/3⌉)', '1')),
    minNodeSize: z.number().min(1).default(5).meta(doc('nodes with at most this many in-bag rows are not split', '1')),
    seed: z.int().default(1).meta(doc('random seed of the forests')),
  })
  .meta(doc('random forest settings (docs/LEARNING.md)'));

/** Work limit: about 20 minutes on one core (cell-tree evaluations; training and draws converted, see estimate). */
export const MAPPING_WORK_LIMIT = 3e9;

export const mappingSchema = z.strictObject({
  kind: z.literal('mapping').meta(doc('scenario kind')),
  name: z.string().min(1).default('mapping').meta(doc('name of the run')),
  description: z.string().optional().meta(doc('free text')),
  pipeline: z.enum(['iloss', 'beta', 'model']).meta(doc("iloss: 001's I_root, f_BNPP, I_bulk by layer and I_loss; beta: 003's β and SOC 20–100 cm; model: the map of one model file")),
  rasters: z.string().optional().meta(doc('folder of covariate GeoTIFFs (optional covariates.csv manifest), relative to the scenario file; default the shipped 10′ stack')),
  model: z.string().optional().meta(doc('pipeline model: model file from `rhizocarb learn train`')),
  constants: z.record(z.string(), z.number()).default({}).meta(doc('pipeline model: values of features that are not rasters (e.g. top_cm, bottom_cm)')),
  level: z.number().gt(0).lt(1).default(0.95).meta(doc('interval level (the model must have τ̂ for it)', '1')),
  training: z
    .strictObject({
      forc: z.string().optional().meta(doc('ForC plot table (I_root, f_BNPP and covariates); default data/mapping/training')),
      isradLayers: z.string().optional().meta(doc('ISRaD layer CSV; default data/israd/ISRaD_vonFromm2024_layer14C_subset.csv')),
      isradCovariates: z.string().optional().meta(doc('covariates per ISRaD profile (by id); default data/mapping/training')),
      stockScreen: paramOverrides('profile.stockScreen', STOCK_SCREEN_PARAMS)
        .default({})
        .meta(doc('plausibility screen of the ISRaD layer stocks used for training (bulk density, organic C; docs/PARAMETERS.md profile.stockScreen): dropped layers are listed in training/dropped-stocks.csv and summary.json and reported as a warning')),
    })
    .default({ stockScreen: {} })
    .meta(doc('training tables, relative to the scenario file')),
  inputSha256: z.record(z.string(), z.string().regex(/^[0-9a-f]{64}$/)).optional().meta(doc('SHA-256 of every input file; resolved scenarios record them and a run refuses a changed file')),
  features: z.array(z.string()).min(1).default(['mat_degC', 'map_mm', 'elevation_m', 'soil_order', 'biome4']).meta(doc('covariates (raster layer names = table columns)')),
  categorical: z.array(z.string()).default(['soil_order', 'biome4']).meta(doc('covariates that are classes (split natively)')),
  forest: forestSchema.default({ trees: 500, minNodeSize: 5, seed: 1 }),
  intervals: z
    .strictObject({
      method: z.enum(['resample', 'oob']).default('resample').meta(doc('τ̂ by Coulston resamples (001) or out-of-bag')),
      resamples: z.int().min(1).max(10000).default(500).meta(doc('B resamples (001: 500)', '1')),
      seed: z.int().default(1).meta(doc('random seed of the resamples')),
    })
    .default({ method: 'resample', resamples: 500, seed: 1 })
    .meta(doc('prediction intervals (001 Eqs 9–10)')),
  validation: z
    .strictObject({
      folds: z.int().min(2).default(10).meta(doc('k of k-fold CV (003: 10)', '1')),
      repeats: z.int().min(1).max(100).default(1).meta(doc('CV repeats with different fold seeds', '1')),
      trees: z.int().min(1).max(5000).default(200).meta(doc('trees per forest in CV', '1')),
      resamples: z.int().min(1).max(10000).default(50).meta(doc('τ̂ resamples per training fold', '1')),
      learners: z.boolean().default(true).meta(doc('also cross-validate boosted trees, the linear model and their ensemble')),
    })
    .default({ folds: 10, repeats: 1, trees: 200, resamples: 50, learners: true })
    .meta(doc('cross-validation of every model, with interval coverage on held-out folds')),
  monteCarlo: z
    .strictObject({ draws: z.int().min(2).max(100000).default(500).meta(doc('draws per cell (001: 500)', '1')), seed: z.int().default(1).meta(doc('random seed of the draws')) })
    .default({ draws: 500, seed: 1 })
    .meta(doc('I_loss Monte Carlo per cell (001 Methods)')),
  layers_cm: z.array(z.number().min(0)).min(2).max(50).default([...STANDARD_LAYERS['001']]).meta(doc('standard layer boundaries (001 preset)', 'cm')),
  maps: z
    .strictObject({
      tile: z.int().min(16).max(4096).multipleOf(16).default(256).meta(doc('tile size', 'cells')),
      workers: z.int().min(0).max(256).optional().meta(doc('worker threads (default: cores; 0 = none)')),
      window: z.array(z.int().min(0)).length(4).optional().meta(doc('[x0, y0, width, height] of the stack grid (a region or a test crop); default all', 'cells')),
    })
    .default({ tile: 256 })
    .meta(doc('tile-by-tile prediction')),
});

export type MappingScenario = z.infer<typeof mappingSchema>;
type Resolved = MappingScenario & { rasters: string; inputSha256: Record<string, string>; training: { forc: string; isradLayers: string; isradCovariates: string } };

const FLUX = 'Mg C ha-1 yr-1';

function abs(p: string | undefined, baseDir: string, dflt: string): string {
  return p ? (isAbsolute(p) ? p : resolve(baseDir, p)) : dataPath(dflt);
}

function inputFiles(r: Pick<Resolved, 'pipeline' | 'model' | 'training'>): string[] {
  if (r.pipeline === 'model') return [r.model!];
  if (r.pipeline === 'iloss') return [r.training.forc, r.training.isradLayers, r.training.isradCovariates];
  return [r.training.isradLayers, r.training.isradCovariates];
}

function check(s: MappingScenario, { source, baseDir }: ScenarioContext): void {
  const errs: InputError[] = [];
  const add = (p: (string | number)[], value: unknown, expected: string) => errs.push(new InputError({ file: source.file, keyPath: p.join('.'), value, expected, ...source.locate(p) }));
  for (let i = 1; i < s.layers_cm.length; i++) if (!(s.layers_cm[i] > s.layers_cm[i - 1])) add(['layers_cm', i], s.layers_cm[i], `> layers_cm[${i - 1}] (${s.layers_cm[i - 1]})`);
  for (const c of s.categorical) if (!s.features.includes(c)) add(['categorical'], c, `one of features (${s.features.join(', ')})`);
  if (s.pipeline === 'model' && !s.model) add(['model'], s.model, 'a model file for pipeline model');
  if (s.pipeline !== 'model' && s.model) add(['model'], s.model, `no model file (pipeline ${s.pipeline} trains its own)`);
  const rasters = abs(s.rasters, baseDir, 'mapping/rasters');
  if (!existsSync(rasters) || !readdirSync(rasters).some((f) => /\.tiff?$/i.test(f))) add(['rasters'], s.rasters, `a folder with GeoTIFF covariates (looked in ${rasters})`);
  const r = resolvePaths(s, baseDir);
  for (const f of inputFiles(r)) {
    if (!existsSync(f)) add(['training'], f, 'an existing file');
    else if (s.inputSha256?.[f] && fileSha256(f) !== s.inputSha256[f]) add(['inputSha256'], f, `the SHA-256 recorded when the scenario was resolved: ${f} changed since`);
  }
  if (s.maps.window && (s.maps.window[2] === 0 || s.maps.window[3] === 0)) add(['maps', 'window'], s.maps.window, 'a width and height > 0');
  if (errs.length) throw errs.length === 1 ? errs[0] : new InputErrors(errs);
}

function resolvePaths(s: MappingScenario, baseDir: string): Resolved {
  return {
    ...s,
    rasters: abs(s.rasters, baseDir, 'mapping/rasters'),
    model: s.model ? abs(s.model, baseDir, '') : undefined,
    training: {
      stockScreen: s.training.stockScreen,
      forc: abs(s.training.forc, baseDir, 'mapping/training/forc_plots_Iroot_fBNPP.csv'),
      isradLayers: abs(s.training.isradLayers, baseDir, 'israd/ISRaD_vonFromm2024_layer14C_subset.csv'),
      isradCovariates: abs(s.training.isradCovariates, baseDir, 'mapping/training/israd_profiles_covariates.csv'),
    },
    inputSha256: s.inputSha256 ?? {},
  } as Resolved;
}

function resolveMapping(s: MappingScenario, { baseDir }: ScenarioContext): Resolved {
  const r = resolvePaths(s, baseDir);
  const sha: Record<string, string> = {};
  for (const f of inputFiles(r)) sha[f] = s.inputSha256?.[f] ?? fileSha256(f);
  const out = { ...r, inputSha256: sha };
  if (out.model === undefined) delete (out as Partial<Resolved>).model;
  if (out.maps.workers === undefined) delete (out.maps as { workers?: number }).workers;
  if (out.maps.window === undefined) delete (out.maps as { window?: number[] }).window;
  return out;
}

/**
 * Work in cell-tree evaluations: map cells (window or whole grid, land and sea) × trees of every
 * mapped model, plus training converted at 300 cell-trees per tree fit (a tree on a few hundred rows
 * costs about as much as 300 cell predictions), plus 10 per Monte Carlo draw and layer per cell.
 */
function estimate(r: Resolved): WorkEstimate {
  const cells = r.maps.window ? r.maps.window[2] * r.maps.window[3] : 2160 * 900;
  const L = r.layers_cm.length - 1;
  const mapped = r.pipeline === 'iloss' ? 2 + L : r.pipeline === 'beta' ? 2 : 1;
  const fitted = r.pipeline === 'iloss' ? 3 : r.pipeline === 'beta' ? 2 : 0;
  const fits = fitted * ((r.intervals.method === 'resample' ? r.intervals.resamples + 1 : 1) * r.forest.trees + r.validation.repeats * r.validation.folds * (r.intervals.method === 'resample' ? r.validation.resamples + 1 : 1) * r.validation.trees);
  const mc = r.pipeline === 'iloss' ? cells * r.monteCarlo.draws * (L + 1) * 10 : 0;
  // pipeline model: 500 trees assumed (the estimate does not read the model file).
  const work = cells * mapped * (r.pipeline === 'model' ? 500 : r.forest.trees) + fits * 300 + mc;
  return { workUnits: work, unit: 'cell-trees', description: `${cells} cells × ${mapped} mapped model(s)${fitted ? `, ${fits.toExponential(2)} tree fits` : ''}${mc ? `, ${r.monteCarlo.draws} draws × ${L + 1} quantities per cell` : ''}`, limit: MAPPING_WORK_LIMIT };
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
  ctx.out.write(`validation/${name}-observed-vs-predicted.png`, await svgToPng(svg));
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

/**
 * The ISRaD layers with implausible stocks screened out (profile/plausibility.ts): never silent —
 * a log warning with the counts by reason, every dropped row in training/dropped-stocks.csv and
 * summary.json, and a warning-level check.
 */
function screenedLayers(s: MappingScenario, ctx: RunContext, file: string, warnings: ProfileWarning[]): { table: LayerTable; screen: StockScreen; summary: Record<string, unknown>; check: Check } {
  const screen = screenLayerStocks(layerTableFromCsv(readCsvFile(file), warnings), s.training.stockScreen);
  const d = screen.dropped;
  const reasons = Object.entries(screen.byReason).map(([k, v]) => `${v} ${k}`).join(', ');
  const rows = { columns: [
    { name: 'source', data: d.map((x) => x.label) }, { name: 'profile', data: d.map((x) => x.profile) },
    { name: 'top_cm', data: d.map((x) => x.top_cm) }, { name: 'bottom_cm', data: d.map((x) => x.bottom_cm) },
    { name: 'stock_MgC_per_ha', data: d.map((x) => x.stock_MgC_per_ha) }, { name: 'stock_source', data: d.map((x) => x.stockSource) },
    { name: 'bulk_density_g_per_cm3', data: d.map((x) => x.bulkDensity_g_per_cm3) }, { name: 'organic_c_percent', data: d.map((x) => x.organicC_percent) },
    { name: 'carbon_density_gC_per_cm3', data: d.map((x) => x.density_gC_per_cm3) }, { name: 'reason', data: d.map((x) => x.reason) },
  ] };
  ctx.out.write('training/dropped-stocks.csv', tableToCsv(rows));
  if (d.length > 0) ctx.log(`warning: ${d.length} ISRaD layer stock(s) dropped as implausible (${reasons}); every row in training/dropped-stocks.csv`);
  const first = d.slice(0, 3).map((x) => `${x.label} (${x.profile}, ${x.top_cm}–${x.bottom_cm} cm: ${x.reason})`).join('; ');
  return {
    table: screen.table,
    screen,
    summary: { limits: screen.limits, dropped: d.length, byReason: screen.byReason, file: 'training/dropped-stocks.csv', rows: d },
    check: { name: 'plausibility.trainingStocks', passed: d.length === 0, severity: 'warning', message: d.length === 0 ? 'no ISRaD layer stock outside the plausibility screen' : `${d.length} ISRaD layer stock(s) dropped from training as implausible (${reasons}): ${first}${d.length > 3 ? '; …' : ''} — all in training/dropped-stocks.csv and summary.json`, value: d.length },
  };
}

async function run(s: Resolved, ctx: RunContext): Promise<KindResult> {
  const rastersDir = s.rasters;
  const forcFile = s.training.forc;
  const isradLayers = s.training.isradLayers;
  const isradCov = s.training.isradCovariates;
  const checks: Check[] = [];
  const features: FeatureSpec[] = s.features.map((name) => ({ name, kind: s.categorical.includes(name) ? 'categorical' : 'numeric' }));
  const stack = await openStack(rastersDir);
  for (const n of stack.notes) ctx.log(`note: ${n}`);
  const pool = new WorkerPool({ concurrency: s.maps.workers });
  const summary: Record<string, unknown> = { pipeline: s.pipeline, rasters: rastersDir, grid: stack.grid, stackNotes: stack.notes };
  try {
    const models: MapModelSpec[] = [];
    const meta = new Map<string, OutputMeta>();
    const describe = (prefix: string, title: string, unit: string, palette?: 'diverging') => {
      for (const [k, label] of [['mean', ''], ['lower', ' — lower 95 %'], ['upper', ' — upper 95 %'], ['relunc', ' — relative uncertainty'], ['median', '']] as const) {
        meta.set(`${prefix}_${k}`, { title: `${title}${label}`, unit: k === 'relunc' ? '1 (95 % half-width / prediction)' : unit, palette: k === 'relunc' ? undefined : palette });
      }
    };
    // Monte Carlo quantities (I_loss, I_loss/I_root): the median is the central value (docs/LEARNING.md).
    const describeDraws = (prefix: string, title: string, unit: string) => {
      for (const [k, label] of [['median', ' — median of the Monte Carlo draws'], ['mean', ' — mean of the Monte Carlo draws (heavy-tailed)'], ['lower', ' — 2.5 % of the draws'], ['upper', ' — 97.5 % of the draws'], ['relunc', ' — relative uncertainty']] as const) {
        meta.set(`${prefix}_${k}`, { title: `${title}${label}`, unit: k === 'relunc' ? '1 ((q97.5 − q2.5)/2 / |median|)' : unit, palette: k === 'relunc' ? undefined : 'diverging' });
      }
    };
    const layerNames = s.layers_cm.slice(1).map((b, j) => `${s.layers_cm[j]}-${b}cm`);
    const top = s.layers_cm[0];
    const bottom = s.layers_cm[s.layers_cm.length - 1];
    let iloss: Parameters<typeof runMap>[0]['iloss'];
    let stockExtrapolation: Parameters<typeof runMap>[0]['stockExtrapolation'];
    if (s.pipeline === 'model') {
      const model = readModelFile(s.model!);
      const name = model.target.name;
      for (const f of Object.keys(s.constants)) if (!model.features.some((x) => x.name === f)) throw new InputError({ keyPath: `constants.${f}`, value: f, expected: `a feature of the model (${model.features.map((x) => x.name).join(', ')})` });
      if (model.tau.tau[String(s.level)] === undefined) throw new InputError({ keyPath: 'level', value: s.level, expected: `a level the model has τ̂ for (${Object.keys(model.tau.tau).join(', ')})` });
      models.push({ name, model, constants: s.constants, title: name, unit: model.target.unit ?? '' });
      const label = { mean: 'prediction', lower: `lower ${s.level * 100} % bound`, upper: `upper ${s.level * 100} % bound`, relunc: 'relative uncertainty (τ̂·sd / prediction)' };
      for (const [k, l] of Object.entries(label)) meta.set(`${name}_${k}`, { title: `${name}: ${l}`, unit: k === 'relunc' ? '1' : model.target.unit ?? '' });
      summary.model = { file: s.model, target: model.target, trees: model.forest.treeStart.length - 1, tau: model.tau.tau, training: model.training };
    } else if (s.pipeline === 'iloss') {
      const forc = readCsvFile(forcFile);
      const tr = tableFromCsv(forc, { target: 'I_root', features: s.features, categorical: s.categorical, log: true });
      const iroot = await trainAndValidate(ctx, s, pool, 'iroot', { name: 'I_root', unit: FLUX, transform: 'log' }, features, tr.columns, tr.y, tr.skipped);
      const tf = tableFromCsv(forc, { target: 'f_BNPP', features: s.features, categorical: s.categorical });
      const fbnpp = await trainAndValidate(ctx, s, pool, 'fbnpp', { name: 'f_BNPP', unit: '1', transform: 'none' }, features, tf.columns, tf.y, tf.skipped);
      // I_bulk of each ISRaD layer: C stock / radiocarbon age (001 Eqs 1–6, the profile module).
      const warnings: ProfileWarning[] = [];
      const screened = screenedLayers(s, ctx, isradLayers, warnings);
      const layers = screened.table;
      summary.stockScreen = screened.summary;
      checks.push(screened.check);
      const ages = layerAges(layers, {}, warnings);
      const cov = profileCovariates(isradCov, s.features);
      const skipped: Record<string, number> = {};
      const skip = (k: string) => (skipped[k] = (skipped[k] ?? 0) + 1);
      const cols: number[][] = [[], [], ...s.features.map(() => [])];
      const y: number[] = [];
      for (let i = 0; i < layers.n; i++) {
        const ib = iBulk_MgC_per_ha_yr(layers.stock_MgC_per_ha[i], ages.turnoverYears[i]);
        if (layers.stockSource[i].startsWith('dropped') || layers.stockSource[i].startsWith('rejected')) skip('implausible stock (training/dropped-stocks.csv)');
        else if (!Number.isFinite(layers.stock_MgC_per_ha[i])) skip('no SOC stock');
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
        describeDraws(`iloss_${ln}`, `I_loss ${ln.replace('-', '–').replace('cm', ' cm')}`, FLUX);
      });
      describeDraws('iloss_total', `I_loss ${top}–${bottom} cm`, FLUX);
      describeDraws('ilossfraction_total', `I_loss / I_root ${top}–${bottom} cm`, '1');
      iloss = { iroot: 0, ibulk: layerNames.map((_, j) => 2 + j), layerNames, draws: s.monteCarlo.draws, seed: s.monteCarlo.seed };
      summary.models = { iroot: validationSummary(iroot), fbnpp: validationSummary(fbnpp), ibulk: { ...validationSummary(ibulk), warnings: warnings.length } };
    } else {
      const warnings: ProfileWarning[] = [];
      const screened = screenedLayers(s, ctx, isradLayers, warnings);
      summary.stockScreen = screened.summary;
      checks.push(screened.check);
      const depth = runDepth(screened.table, {}, warnings);
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
    const png = (n: string) => s.pipeline === 'model' || n.endsWith('_mean') || n.endsWith('_relunc') || (n.startsWith('iloss') && n.endsWith('_median'));
    const map = await runMap({
      stack, out: ctx.out, pool, models, iloss, stockExtrapolation, tileSize: s.maps.tile, window: s.maps.window as [number, number, number, number] | undefined,
      level: s.level, progress: ctx.progress, png, meta: (n) => meta.get(n) ?? { title: n, unit: '' }, checkpoint: () => ctx.checkpoint(), signal: ctx.signal,
    });
    summary.map = map;
    checks.push({ name: 'map.predictedCells', passed: map.predictedCells > 0, severity: 'error', message: `${map.predictedCells} of ${map.cells} cells have every covariate and were predicted`, value: map.predictedCells });
    for (const [k, v] of Object.entries((summary.models ?? {}) as Record<string, { cv?: { coverage95: number } }>)) {
      if (!v?.cv) continue;
      const c = v.cv.coverage95;
      checks.push({ name: `validation.${k}.coverage95`, passed: c >= 0.9 && c <= 0.99, severity: 'warning', message: `held-out 95 % interval coverage ${(100 * c).toFixed(1)} % (expected 90–99 %)`, value: c });
    }
    if (s.pipeline === 'iloss') {
      const e = map.ilossLayerSumError ?? NaN;
      checks.push({ name: 'consistency.ilossLayers', passed: e <= 1e-9, severity: 'error', message: `max over cells of |Σ_layers I_loss_j − I_loss(${top}–${bottom} cm)| / (|I_loss| + Σ|I_loss_j|) = ${e.toExponential(2)} (Monte Carlo means in double precision; tolerance 1e-9)`, value: e });
    }
    return { ...summary, checks };
  } finally {
    await pool.close();
    await stack.close();
  }
}

export const mappingKind = registerScenarioKind<MappingScenario, Resolved>({
  kind: 'mapping',
  description: 'machine-learning maps of 001 (I_root, f_BNPP, I_bulk by layer, I_loss with Monte Carlo) and 003 (β, SOC 20–100 cm), or of one model file, with Coulston intervals and 10-fold CV',
  schema: mappingSchema,
  // Statistical maps: no conservation quantity. The I_loss decomposition (per-layer I_loss add up
  // to the 0–200 cm I_loss in every cell) is checked as `consistency.ilossLayers` (error severity).
  tolerances: {},
  check,
  resolve: resolveMapping,
  estimate,
  inputs: (r) => [...inputFiles(r)],
  run,
});
