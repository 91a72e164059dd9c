import { SeededRng } from '../numerics/random.js';
import type { FeatureSpec } from './binning.js';
import { oobPredictions, permutationImportance, predictForest, subsetData, trainForest, trainForestSync, DEFAULT_FOREST, type Forest, type ForestParams, type GrowRunner, type TrainingData } from './forest.js';
import { predictBoosted, trainBoosted, DEFAULT_BOOST, type BoostedTrees, type BoostParams } from './gbt.js';
import { DEFAULT_INTERVALS, estimateTau, intervalBounds, inThreadTauRunner, type IntervalParams, type TauEstimate, type TauRunner } from './intervals.js';
import { predictLinear, trainLinear, type LinearModel } from './linear.js';
import { kFoldAssignment, quantile, regressionMetrics, stratifiedSplit, type Metrics } from './metrics.js';

/**
 * A mapping model: the random forest of a target with its Coulston τ̂ (the model 001 maps with),
 * optionally the gradient-boosted trees and the linear model with ensemble weights from
 * cross-validated RMSE. Targets may be log-transformed (001: "Data are log-transformed"): the
 * learners work on ln y; predictions and bounds are back-transformed with exp, so the prediction is
 * the median-type back-transform exp(E[ln y]) (no smearing correction), and the bounds are the
 * exp of the log-scale bounds.
 */
export type TargetTransform = 'none' | 'log';

export interface TargetSpec {
  readonly name: string;
  readonly unit?: string;
  readonly transform: TargetTransform;
}

export type LearnerName = 'rf' | 'gbt' | 'linear';

export interface EnsembleInfo {
  /** Weight of each learner, ∝ 1/RMSE²_CV, summing to 1. */
  readonly weights: Readonly<Record<LearnerName, number>>;
  readonly cvRmse: Readonly<Record<LearnerName, number>>;
  readonly folds: number;
}

export interface TrainingSummary {
  readonly rows: number;
  /** On the model scale (ln y when logged). */
  readonly oob: { readonly r2: number; readonly rmse: number };
  /** Permutation importance (OOB MSE increase, model scale), by feature name. */
  readonly importance: Readonly<Record<string, number>>;
  readonly seconds: number;
  /** Set by callers that read tables: rows skipped and why. */
  readonly skipped?: Readonly<Record<string, number>>;
}

export interface MappingModel {
  readonly target: TargetSpec;
  readonly features: readonly FeatureSpec[];
  readonly forest: Forest;
  readonly tau: TauEstimate;
  readonly boosted?: BoostedTrees;
  readonly linear?: LinearModel;
  readonly ensemble?: EnsembleInfo;
  readonly training: TrainingSummary;
}

export interface FitOptions {
  readonly forest?: Partial<ForestParams>;
  readonly intervals?: Partial<IntervalParams>;
  /** Also train gbt and linear and weight the three by k-fold CV RMSE. */
  readonly ensemble?: boolean;
  readonly boost?: Partial<BoostParams>;
  readonly ensembleFolds?: number;
  readonly importance?: boolean;
  readonly growRunner?: GrowRunner;
  readonly tauRunner?: TauRunner;
  /** Worker runners need shared memory. */
  readonly shared?: boolean;
}

/** ln y for a log target; throws for y ≤ 0 (callers filter such rows first and count them). */
export function toModelScale(target: TargetSpec, y: ArrayLike<number>): Float64Array {
  const out = Float64Array.from(y);
  if (target.transform === 'log') {
    for (let i = 0; i < out.length; i++) {
      if (!(out[i] > 0)) throw new RangeError(`target ${target.name}: value ${out[i]} at row ${i} cannot be log-transformed (expected > 0)`);
      out[i] = Math.log(out[i]);
    }
  }
  return out;
}

export function fromModelScale(target: TargetSpec, v: number): number {
  return target.transform === 'log' ? Math.exp(v) : v;
}

/** Fit the model on data whose y is in the target's own unit. */
export async function fitModel(data: TrainingData, target: TargetSpec, options: FitOptions = {}): Promise<MappingModel> {
  const t0 = performance.now();
  const md: TrainingData = { ...data, y: toModelScale(target, data.y) };
  const forestParams = { ...DEFAULT_FOREST, ...options.forest };
  const trained = await trainForest(md, forestParams, { runner: options.growRunner, shared: options.shared });
  const oob = oobPredictions(trained.forest, trained.binned);
  const om = regressionMetrics(md.y, oob.mean);
  const imp = options.importance === false ? undefined : permutationImportance(trained.forest, trained.binned, md.y, forestParams.seed, oob);
  const importance: Record<string, number> = {};
  data.features.forEach((f, j) => (importance[f.name] = imp ? imp[j] : NaN));
  const intervals = { ...DEFAULT_INTERVALS, ...options.intervals };
  const tau = await estimateTau(md, forestParams, intervals, options.tauRunner ?? inThreadTauRunner, trained);
  let boosted: BoostedTrees | undefined;
  let linear: LinearModel | undefined;
  let ensemble: EnsembleInfo | undefined;
  if (options.ensemble) {
    const folds = Math.min(options.ensembleFolds ?? 10, md.y.length);
    const cv = crossValidateLearners(md, ['rf', 'gbt', 'linear'], { folds, seed: forestParams.seed, forest: forestParams, boost: options.boost });
    const cvRmse = { rf: cv.rf.rmse, gbt: cv.gbt.rmse, linear: cv.linear.rmse };
    ensemble = { weights: ensembleWeights(cvRmse), cvRmse, folds };
    boosted = trainBoosted(md, { ...DEFAULT_BOOST, seed: forestParams.seed, ...options.boost });
    linear = trainLinear(md);
  }
  return {
    target,
    features: data.features,
    forest: trained.forest,
    tau,
    boosted,
    linear,
    ensemble,
    training: { rows: md.y.length, oob: { r2: om.r2, rmse: om.rmse }, importance, seconds: (performance.now() - t0) / 1000 },
  };
}

/** Weights ∝ 1/RMSE² (the better a model, the more it contributes; 001 Methods). */
export function ensembleWeights(rmse: Readonly<Record<LearnerName, number>>): Record<LearnerName, number> {
  const inv = { rf: 1 / rmse.rf ** 2, gbt: 1 / rmse.gbt ** 2, linear: 1 / rmse.linear ** 2 };
  const s = inv.rf + inv.gbt + inv.linear;
  return { rf: inv.rf / s, gbt: inv.gbt / s, linear: inv.linear / s };
}

export interface ModelPrediction {
  /** Forest prediction in the target's unit (back-transformed). */
  readonly prediction: Float64Array;
  readonly lower: Float64Array;
  readonly upper: Float64Array;
  /** Half-width of the interval / prediction (001's "margin of deviation / mean"; on the target's scale). */
  readonly relativeUncertainty: Float64Array;
  /** Forest mean and tree sd on the model scale. */
  readonly mean: Float64Array;
  readonly sd: Float64Array;
  /** Ensemble prediction (target unit) when the model has one. */
  readonly ensemble?: Float64Array;
}

export function tauAt(model: Pick<MappingModel, 'tau'>, level = 0.95): number {
  const v = model.tau.tau[String(level)];
  if (v === undefined) throw new RangeError(`the model has no τ̂ for level ${level} (has ${Object.keys(model.tau.tau).join(', ')})`);
  return v;
}

/** Back-transformed prediction, bounds and relative uncertainty from model-scale mean and sd. */
export function finishPrediction(target: TargetSpec, tauHat: number, mean: Float64Array, sd: Float64Array): ModelPrediction {
  const n = mean.length;
  const { lower, upper } = intervalBounds(mean, sd, tauHat);
  const prediction = new Float64Array(n);
  const rel = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    prediction[i] = fromModelScale(target, mean[i]);
    lower[i] = fromModelScale(target, lower[i]);
    upper[i] = fromModelScale(target, upper[i]);
    rel[i] = (upper[i] - lower[i]) / 2 / Math.abs(prediction[i]);
  }
  return { prediction, lower, upper, relativeUncertainty: rel, mean, sd };
}

/** Predict raw feature columns (categorical as level values); NaN where a feature is NaN. */
export function predictModel(model: MappingModel, columns: readonly ArrayLike<number>[], level = 0.95): ModelPrediction {
  const f = predictForest(model.forest, columns);
  const out = finishPrediction(model.target, tauAt(model, level), f.mean, f.sd);
  if (model.ensemble && model.boosted && model.linear) {
    const g = predictBoosted(model.boosted, columns);
    const l = predictLinear(model.linear, columns);
    const w = model.ensemble.weights;
    const e = new Float64Array(out.mean.length);
    for (let i = 0; i < e.length; i++) e[i] = fromModelScale(model.target, w.rf * out.mean[i] + w.gbt * g[i] + w.linear * l[i]);
    return { ...out, ensemble: e };
  }
  return out;
}

/** Out-of-fold predictions of each learner on the same folds (model scale) and their metrics. */
export function crossValidateLearners(
  data: TrainingData,
  learners: readonly LearnerName[],
  opts: { folds: number; seed: number; forest?: Partial<ForestParams>; boost?: Partial<BoostParams>; fold?: Int32Array },
): Record<LearnerName, Metrics & { oof: Float64Array }> {
  const n = data.y.length;
  const fold = opts.fold ?? kFoldAssignment(n, opts.folds, opts.seed);
  const out = {} as Record<LearnerName, Metrics & { oof: Float64Array }>;
  const oof = Object.fromEntries(learners.map((l) => [l, new Float64Array(n).fill(NaN)])) as Record<LearnerName, Float64Array>;
  for (let k = 0; k < opts.folds; k++) {
    const tr: number[] = [];
    const te: number[] = [];
    for (let i = 0; i < n; i++) (fold[i] === k ? te : tr).push(i);
    if (te.length === 0) continue;
    const train = subsetData(data, tr);
    const test = subsetData(data, te);
    for (const l of learners) {
      const seed = SeededRng.streamSeed(opts.seed, 31 * k + 7);
      const pred =
        l === 'rf'
          ? predictForest(trainForestSync(train, { ...opts.forest, seed }).forest, test.columns).mean
          : l === 'gbt'
            ? predictBoosted(trainBoosted(train, { ...opts.boost, seed }), test.columns)
            : predictLinear(trainLinear(train), test.columns);
      te.forEach((r, i) => (oof[l][r] = pred[i]));
    }
  }
  for (const l of learners) out[l] = { ...regressionMetrics(data.y, oof[l]), oof: oof[l] };
  return out;
}

/** Cross-validation or split validation of the forest with intervals, as 001 and 003 report it. */
export interface ValidationOptions {
  /** 'kfold' (003: 10-fold) or 'split' (001: stratified 80/20). */
  readonly scheme: 'kfold' | 'split';
  readonly folds: number;
  readonly trainFraction: number;
  readonly repeats: number;
  readonly seed: number;
  readonly forest?: Partial<ForestParams>;
  readonly intervals?: Partial<IntervalParams>;
  /** Also cross-validate gbt, linear and their RMSE-weighted ensemble. */
  readonly learners?: boolean;
  readonly boost?: Partial<BoostParams>;
  readonly tauRunner?: TauRunner;
  /** Called after each fold (progress). */
  readonly onFold?: (done: number, total: number) => void;
}

export interface ValidationResult {
  readonly scheme: 'kfold' | 'split';
  readonly repeats: number;
  /** Mean over repeats, model scale. */
  readonly metrics: Metrics;
  /** Mean over repeats, target's own scale (differs from `metrics` for log targets). */
  readonly metricsOriginalScale: Metrics;
  /** Fraction of held-out observations inside their interval, by level (mean over repeats). */
  readonly coverage: Readonly<Record<string, number>>;
  /**
   * Interval width of the held-out observations by level (mean over repeats): `width` = mean full
   * width 2·τ̂·sd on the model scale (ln y for log targets); `relativeHalfWidth` = median of
   * (upper − lower)/(2·prediction) on the target's scale (the maps' relative uncertainty).
   */
  readonly width: Readonly<Record<string, number>>;
  readonly relativeHalfWidth: Readonly<Record<string, number>>;
  readonly perRepeat: readonly RepeatMetrics[];
  /** Held-out observed / predicted / bounds of the first repeat (target scale; NaN where not held out). */
  readonly heldOut: { readonly observed: Float64Array; readonly predicted: Float64Array; readonly lower: Float64Array; readonly upper: Float64Array };
  /** Per-learner metrics (model scale, first repeat) when `learners`. */
  readonly learners?: Readonly<Record<LearnerName | 'ensemble', Metrics>>;
  readonly weights?: Readonly<Record<LearnerName, number>>;
}

export type RepeatMetrics = Metrics & { coverage: Record<string, number>; width: Record<string, number>; relativeHalfWidth: Record<string, number> };

function meanMetrics(ms: readonly Metrics[]): Metrics {
  const avg = (k: keyof Metrics) => ms.reduce((a, m) => a + m[k], 0) / ms.length;
  return { r2: avg('r2'), rmse: avg('rmse'), mae: avg('mae'), bias: avg('bias'), n: avg('n') };
}

/** y in the target's unit; learners work on the model scale. */
export async function validateModel(data: TrainingData, target: TargetSpec, opts: ValidationOptions): Promise<ValidationResult> {
  const md: TrainingData = { ...data, y: toModelScale(target, data.y) };
  const n = md.y.length;
  const ip = { ...DEFAULT_INTERVALS, ...opts.intervals };
  const levels = ip.levels;
  const perRepeat: RepeatMetrics[] = [];
  const perRepeatOrig: Metrics[] = [];
  let heldOut: ValidationResult['heldOut'] | undefined;
  let learners: ValidationResult['learners'];
  let weights: ValidationResult['weights'];
  const groups = opts.scheme === 'kfold' ? opts.folds : 1;
  const total = opts.repeats * groups;
  let done = 0;
  for (let r = 0; r < opts.repeats; r++) {
    const seed = SeededRng.streamSeed(opts.seed, r);
    const fold = opts.scheme === 'kfold' ? kFoldAssignment(n, opts.folds, seed) : Int32Array.from(stratifiedSplit(md.y, opts.trainFraction, seed), (t) => (t ? 1 : 0));
    const pred = new Float64Array(n).fill(NaN);
    const sdv = new Float64Array(n).fill(NaN);
    const tauRow = levels.map(() => new Float64Array(n).fill(NaN));
    for (let k = 0; k < groups; k++) {
      const tr: number[] = [];
      const te: number[] = [];
      for (let i = 0; i < n; i++) (fold[i] === k ? te : tr).push(i);
      if (te.length === 0) continue;
      const train = subsetData(md, tr);
      const test = subsetData(md, te);
      const fseed = SeededRng.streamSeed(seed, 1009 + k);
      const forestParams = { ...DEFAULT_FOREST, ...opts.forest, seed: fseed };
      const trained = trainForestSync(train, forestParams);
      const p = predictForest(trained.forest, test.columns);
      const tau = await estimateTau(train, forestParams, { ...ip, seed: SeededRng.streamSeed(fseed, 3) }, opts.tauRunner ?? inThreadTauRunner, trained);
      te.forEach((row, i) => {
        pred[row] = p.mean[i];
        sdv[row] = p.sd[i];
        levels.forEach((l, j) => (tauRow[j][row] = tau.tau[String(l)]));
      });
      opts.onFold?.(++done, total);
    }
    const held = (i: number) => !Number.isNaN(pred[i]);
    const coverage: Record<string, number> = {};
    const width: Record<string, number> = {};
    const relativeHalfWidth: Record<string, number> = {};
    levels.forEach((l, j) => {
      let inside = 0;
      let m = 0;
      let w = 0;
      const rel: number[] = [];
      for (let i = 0; i < n; i++) {
        if (!held(i)) continue;
        m++;
        const h = tauRow[j][i] * sdv[i];
        if (Math.abs(md.y[i] - pred[i]) <= h) inside++;
        w += 2 * h;
        const c = fromModelScale(target, pred[i]);
        rel.push((fromModelScale(target, pred[i] + h) - fromModelScale(target, pred[i] - h)) / (2 * Math.abs(c)));
      }
      coverage[String(l)] = inside / m;
      width[String(l)] = w / m;
      relativeHalfWidth[String(l)] = quantile(rel, 0.5);
    });
    perRepeat.push({ ...regressionMetrics(md.y, pred), coverage, width, relativeHalfWidth });
    const predOrig = pred.map((v) => fromModelScale(target, v));
    perRepeatOrig.push(regressionMetrics(data.y, predOrig));
    if (r === 0) {
      const j95 = Math.max(0, levels.indexOf(0.95));
      const b = intervalBounds(pred, sdv, 1);
      for (let i = 0; i < n; i++) {
        b.lower[i] = fromModelScale(target, pred[i] - tauRow[j95][i] * sdv[i]);
        b.upper[i] = fromModelScale(target, pred[i] + tauRow[j95][i] * sdv[i]);
      }
      heldOut = { observed: Float64Array.from(data.y, (v, i) => (held(i) ? v : NaN)), predicted: predOrig, lower: b.lower, upper: b.upper };
      if (opts.learners && opts.scheme === 'kfold') {
        const cv = crossValidateLearners(md, ['rf', 'gbt', 'linear'], { folds: opts.folds, seed, forest: opts.forest, boost: opts.boost, fold });
        const rm = { rf: cv.rf.rmse, gbt: cv.gbt.rmse, linear: cv.linear.rmse };
        weights = ensembleWeights(rm);
        const ens = new Float64Array(n);
        for (let i = 0; i < n; i++) ens[i] = weights.rf * cv.rf.oof[i] + weights.gbt * cv.gbt.oof[i] + weights.linear * cv.linear.oof[i];
        learners = { rf: cv.rf, gbt: cv.gbt, linear: cv.linear, ensemble: regressionMetrics(md.y, ens) };
      }
    }
  }
  const avg = (k: 'coverage' | 'width' | 'relativeHalfWidth') => Object.fromEntries(levels.map((l) => [String(l), perRepeat.reduce((a, m) => a + m[k][String(l)], 0) / perRepeat.length]));
  return { scheme: opts.scheme, repeats: opts.repeats, metrics: meanMetrics(perRepeat), metricsOriginalScale: meanMetrics(perRepeatOrig), coverage: avg('coverage'), width: avg('width'), relativeHalfWidth: avg('relativeHalfWidth'), perRepeat, heldOut: heldOut!, learners, weights };
}
