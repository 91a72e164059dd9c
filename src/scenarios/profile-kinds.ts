import { existsSync, statSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { z } from 'zod';
import { InputError, InputErrors } from '../core/errors.js';
import { countLines, fileSha256, readCsvFile } from '../io/files.js';
import {
  CURVE_IDS,
  EXTENSION_RULES,
  PROFILE_PARAMS,
  STANDARD_LAYERS,
  ZONES,
  checkDepths,
  layerTableFromCsv,
  runBudget,
  runDepth,
  type LayerTable,
  type ProfileWarning,
} from '../profile/index.js';
import { doc, paramNumber } from './params-schema.js';
import { writeBudgetOutputs, writeDepthOutputs } from './profile-outputs.js';
import { registerScenarioKind, type KindResult, type RunContext, type ScenarioContext, type WorkEstimate } from './registry.js';

/**
 * Scenario kinds `profile-depth` (003: SOC density and stocks, β fit and extrapolation, spline
 * harmonisation, radiocarbon age per layer) and `site-budget` (001: I_root, I_bulk, I_loss by
 * standard layer with Monte Carlo uncertainty) over a layer CSV. The CLI commands `depth` and
 * `budget` build these scenarios from their options. Their conserved quantity is the measured
 * stock: the harmonisation to standard layers must keep every profile's measured stock (Σ layers +
 * the part outside them = Σ horizons, tolerance 1e−9, issue 10); `site-budget` also reports I_bulk.
 */

const profileSpec = (name: (typeof PROFILE_PARAMS)[number]['name']) => PROFILE_PARAMS.find((p) => p.name === name)!;
const profileParam = (name: (typeof PROFILE_PARAMS)[number]['name']) => paramNumber('profile', profileSpec(name));

/** Hard limit of the Monte Carlo draws: the registry's range of `monteCarloDraws` (0 = none). */
const MAX_DRAWS = profileSpec('monteCarloDraws').max;
/** Documented work limits (about 20 min on one core). */
export const PROFILE_DEPTH_WORK_LIMIT = 2_000_000;
export const SITE_BUDGET_WORK_LIMIT = 50_000_000;

const radiocarbonSchema = z
  .strictObject({
    curve: z.enum(CURVE_IDS).default('Hua2022').meta(doc('atmospheric Δ14C curve (docs/PROFILE.md, data/radiocarbon/PROVENANCE.md)')),
    extend: z.enum(EXTENSION_RULES).default('none').meta(doc('past the curve end: none (such layers get no age, with a warning), hold-last, forecast')),
    zone: z.enum(['auto', ...ZONES]).default('auto').meta(doc('atmospheric zone for every layer; auto = the zone column, else from latitude')),
    rootChoice: z.enum(['slowest', 'fastest']).default('slowest').meta(doc('which turnover time is used when several fit the measured Δ14C (bomb-curve ambiguity)')),
  })
  .default({ curve: 'Hua2022', extend: 'none', zone: 'auto', rootChoice: 'slowest' })
  .meta(doc('radiocarbon age per layer (001 Eqs 1–5)'));

const layersSchema = (fallback: '001' | '003') =>
  z
    .union([z.enum(['001', '003']), z.array(z.number()).min(2).max(1000)], { error: (iss) => (iss.code === 'invalid_union' ? 'a standard layer set ("001", "003") or a list of boundaries in cm, e.g. [0, 30, 100]' : undefined) })
    .default(fallback)
    .meta(doc(`standard layer boundaries: "003" (${STANDARD_LAYERS['003'].join(', ')}), "001" (${STANDARD_LAYERS['001'].join(', ')}) or a list; resolves to the list`, 'cm'));

const common = {
  name: z.string().min(1).optional().meta(doc('name of the run')),
  description: z.string().optional().meta(doc('free text')),
  input: z.string().min(1).meta(doc('layer CSV (ISRaD layer export or tidy: profile, top_cm, bottom_cm, …; docs/PROFILE.md), relative to the scenario file')),
  inputSha256: z.string().regex(/^[0-9a-f]{64}$/).optional().meta(doc('SHA-256 of the input file; resolved scenarios record it and a run refuses a file that changed since')),
  radiocarbon: radiocarbonSchema,
};

const plotsSchema = z.int().min(0).max(1000).default(6).meta(doc('plot at most this many profiles/sites (SVG)', '1'));

export const profileDepthSchema = z.strictObject({
  kind: z.literal('profile-depth').meta(doc('scenario kind')),
  ...common,
  layers: layersSchema('003'),
  spline: z
    .strictObject({
      mode: z.enum(['exact', 'mpspline2']).default('exact').meta(doc('layer means: exact (integrates the quadratics) or mpspline2 (1 cm samples, as R mpspline2)')),
      lambda: profileParam('splineLambda').default(profileSpec('splineLambda').default!),
    })
    .default({ mode: 'exact', lambda: profileSpec('splineLambda').default! })
    .meta(doc('equal-area spline of SOC stock per cm (docs/PROFILE.md)')),
  beta: z
    .strictObject({
      minLayers: z.int().min(profileSpec('betaFitMinLayers').min).max(profileSpec('betaFitMinLayers').max).default(profileSpec('betaFitMinLayers').default!).meta(doc(profileSpec('betaFitMinLayers').description, '1', profileSpec('betaFitMinLayers').source)),
      referenceDepth_cm: profileParam('betaReferenceDepth_cm').default(profileSpec('betaReferenceDepth_cm').default!),
    })
    .default({ minLayers: profileSpec('betaFitMinLayers').default!, referenceDepth_cm: profileSpec('betaReferenceDepth_cm').default! })
    .meta(doc('β fit Y = 1 − β^d and extrapolation to 100 and 200 cm (003 Eqs 3–4)')),
  outputs: z.strictObject({ plots: plotsSchema }).default({ plots: 6 }).meta(doc('what is written besides the tables')),
});

export const siteBudgetSchema = z.strictObject({
  kind: z.literal('site-budget').meta(doc('scenario kind')),
  ...common,
  layers: layersSchema('001'),
  spline: z
    .strictObject({ lambda: profileParam('splineLambda').default(profileSpec('splineLambda').default!) })
    .default({ lambda: profileSpec('splineLambda').default! })
    .meta(doc('equal-area spline used to harmonise I_bulk to the standard layers')),
  monteCarlo: z
    .strictObject({
      draws: z.int().min(0).max(MAX_DRAWS, { error: `at most ${MAX_DRAWS} draws (registry range of profile.monteCarloDraws)` }).default(profileSpec('monteCarloDraws').default!).meta(doc(`${profileSpec('monteCarloDraws').description}; 0 for none`, '1', profileSpec('monteCarloDraws').source)),
      seed: z.int().default(1).meta(doc('random seed of the draws')),
    })
    .default({ draws: profileSpec('monteCarloDraws').default!, seed: 1 })
    .meta(doc('Monte Carlo uncertainty over Δ14C, stocks and NPP (001 Methods)')),
  outputs: z.strictObject({ plots: plotsSchema }).default({ plots: 6 }).meta(doc('what is written besides the tables')),
});

export type ProfileDepthScenario = z.infer<typeof profileDepthSchema>;
export type SiteBudgetScenario = z.infer<typeof siteBudgetSchema>;
type Resolved<S> = S & { name: string; input: string; inputSha256: string; layers: number[] };

function inputPath(s: { input: string }, baseDir: string): string {
  return isAbsolute(s.input) ? s.input : resolve(baseDir, s.input);
}

function checkCommon(s: ProfileDepthScenario | SiteBudgetScenario, { source, baseDir }: ScenarioContext): void {
  const errors: InputError[] = [];
  const at = (path: (string | number)[]) => ({ file: source.file, keyPath: path.join('.'), ...source.locate(path) });
  const file = inputPath(s, baseDir);
  const st = existsSync(file) ? statSync(file) : undefined;
  if (!st || !st.isFile()) errors.push(new InputError({ ...at(['input']), value: s.input, expected: `an existing CSV file (looked for ${file})` }));
  else if (s.inputSha256 && fileSha256(file) !== s.inputSha256) errors.push(new InputError({ ...at(['inputSha256']), value: s.inputSha256, expected: `the SHA-256 of ${file}: the file changed since the scenario was resolved` }));
  if (Array.isArray(s.layers)) {
    try {
      checkDepths(s.layers, 'layers');
    } catch (e) {
      if (e instanceof InputError) errors.push(new InputError({ ...at(['layers']), value: s.layers.join(','), expected: e.expected }));
      else throw e;
    }
  }
  if (errors.length > 0) throw errors.length === 1 ? errors[0] : new InputErrors(errors);
}

function resolveCommon<S extends ProfileDepthScenario | SiteBudgetScenario>(s: S, { baseDir }: ScenarioContext): Resolved<S> {
  const input = inputPath(s, baseDir);
  return { ...s, name: s.name ?? s.kind, input, inputSha256: fileSha256(input), layers: typeof s.layers === 'string' ? [...STANDARD_LAYERS[s.layers]] : [...s.layers] };
}

function ageOptions(s: ProfileDepthScenario | SiteBudgetScenario) {
  const r = s.radiocarbon;
  return { curve: r.curve, extension: r.extend, zone: r.zone === 'auto' ? undefined : r.zone, rootChoice: r.rootChoice };
}

/** Read the layer CSV, compute, write: the shared run of both kinds (progress in three stages). */
async function runProfile<T>(r: { name: string; input: string }, ctx: RunContext, stage: string, compute: (table: LayerTable, warnings: ProfileWarning[]) => T, write: (result: T, seconds: number) => Promise<KindResult>): Promise<KindResult> {
  const warnings: ProfileWarning[] = [];
  const t0 = performance.now();
  ctx.progress.start(2, `${r.name}: reading ${r.input}`);
  const table = layerTableFromCsv(readCsvFile(r.input), warnings);
  ctx.progress.update(1, { step: stage });
  await ctx.checkpoint();
  const result = compute(table, warnings);
  ctx.progress.update(2, { step: 'writing' });
  await ctx.checkpoint();
  return write(result, (performance.now() - t0) / 1000);
}

/** What both kinds share: the same checks, resolution and inputs. */
const shared = { check: checkCommon, resolve: resolveCommon, inputs: (r: { input: string }) => [r.input] } as const;

export const profileDepthKind = registerScenarioKind<ProfileDepthScenario, Resolved<ProfileDepthScenario>>({
  kind: 'profile-depth',
  description: 'SOC density and stocks, β fit and extrapolation (003), spline harmonisation to standard layers, radiocarbon age per layer (001) for profiles in a layer CSV',
  schema: profileDepthSchema,
  tolerances: { stock: 1e-9 },
  ...shared,
  estimate(r): WorkEstimate {
    const layers = Math.max(0, countLines(r.input) - 1);
    return { workUnits: layers, unit: 'layers', description: `${layers} layer rows of ${r.input}`, limit: PROFILE_DEPTH_WORK_LIMIT };
  },
  async run(r, ctx: RunContext): Promise<KindResult> {
    const options = { ...ageOptions(r), standardDepthsCm: r.layers, splineMode: r.spline.mode, lambda: r.spline.lambda, minLayers: r.beta.minLayers, referenceDepthCm: r.beta.referenceDepth_cm };
    return runProfile(r, ctx, 'depth functions', (t, w) => runDepth(t, options, w), (res, sec) => writeDepthOutputs(ctx.out, res, r.input, options, r.outputs.plots, sec));
  },
});

export const siteBudgetKind = registerScenarioKind<SiteBudgetScenario, Resolved<SiteBudgetScenario>>({
  kind: 'site-budget',
  description: 'I_root, I_bulk, I_loss and I_loss/I_root by standard layer with Monte Carlo uncertainty (001) for sites in a layer CSV',
  schema: siteBudgetSchema,
  tolerances: { stock: 1e-9, iBulk: 1e-9 },
  ...shared,
  estimate(r): WorkEstimate {
    const layers = Math.max(0, countLines(r.input) - 1);
    const draws = r.monteCarlo.draws;
    return { workUnits: layers * (draws + 1), unit: 'layer-draws', description: `${layers} layer rows × (${draws} Monte Carlo draws + 1)`, limit: SITE_BUDGET_WORK_LIMIT };
  },
  async run(r, ctx: RunContext): Promise<KindResult> {
    const options = { ...ageOptions(r), standardDepthsCm: r.layers, draws: r.monteCarlo.draws, seed: r.monteCarlo.seed, lambda: r.spline.lambda };
    return runProfile(r, ctx, 'budget', (t, w) => runBudget(t, options, w), (res, sec) => writeBudgetOutputs(ctx.out, res, r.input, options, r.outputs.plots, sec));
  },
});
