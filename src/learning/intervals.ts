import { SeededRng } from '../numerics/random.js';
import { oobPredictions, predictForest, subsetData, trainForestSync, type Forest, type ForestParams, type TrainingData } from './forest.js';
import { permutation, quantile } from './metrics.js';

/**
 * Prediction intervals for random forests after Coulston et al. (2016), as 001 uses them
 * (Methods, "Global mapping and prediction uncertainty", Eqs 9–10):
 *
 * 1. B resamples of the sites; in each, a forest is trained on a random 80 % and, for every
 *    held-out site, τ = |y − ȳ̂| / sd(ŷ_trees) (Eq 9) with ȳ̂ the forest mean and sd over its trees;
 * 2. τ̂_L = the L-quantile of the pooled τ (001: L = 95 %);
 * 3. interval θ = ȳ̂ ± τ̂_L · sd(ŷ_trees) of the final forest on all data (Eq 10).
 *
 * Choice (named): each resample is a split of the distinct sites (80 % train, 20 % held out), and
 * the forest bootstraps its training sites as usual. 001's text draws a bootstrap resample first and
 * then splits it 80/20; with duplicates a held-out site can also be in training, which shrinks τ.
 * The `oob` method is a cheap alternative: τ from each training row's out-of-bag trees of one forest.
 */
export type TauMethod = 'resample' | 'oob';

export interface IntervalParams {
  readonly method: TauMethod;
  /** B (001: 500). */
  readonly resamples: number;
  readonly trainFraction: number;
  /** Interval levels (default 0.95). */
  readonly levels: readonly number[];
  readonly seed: number;
}

export const DEFAULT_INTERVALS: IntervalParams = { method: 'resample', resamples: 500, trainFraction: 0.8, levels: [0.95], seed: 1 };

export interface TauEstimate {
  readonly method: TauMethod;
  readonly resamples: number;
  /** τ̂ by level, keyed by the level as a string ("0.95"). */
  readonly tau: Readonly<Record<string, number>>;
  /** Pooled τ values (B × held-out sites, or n for `oob`). */
  readonly pooled: number;
}

/** One resample of step 1: the τ of its held-out sites (pure; a unit of work for a worker). */
export interface TauResampleTask {
  readonly data: TrainingData;
  readonly forest: Partial<ForestParams>;
  readonly trainFraction: number;
  readonly seed: number;
  readonly b: number;
}

/** τ = |y − ȳ̂|/sd(ŷ) for the held-out rows of resample b; sd = 0 gives 0 when the residual is 0, else Infinity. */
export function tauResample(task: TauResampleTask): Float64Array {
  const n = task.data.y.length;
  const perm = permutation(n, new SeededRng(SeededRng.streamSeed(task.seed, task.b)));
  const nTrain = Math.min(n - 1, Math.max(2, Math.round(task.trainFraction * n)));
  const train = subsetData(task.data, perm.subarray(0, nTrain));
  const test = subsetData(task.data, perm.subarray(nTrain));
  const forestSeed = SeededRng.streamSeed(task.forest.seed ?? 1, 104_729 + task.b);
  const { forest } = trainForestSync(train, { ...task.forest, seed: forestSeed });
  const pred = predictForest(forest, test.columns);
  return tauValues(test.y, pred.mean, pred.sd);
}

function tauValues(y: ArrayLike<number>, mean: ArrayLike<number>, sd: ArrayLike<number>): Float64Array {
  const out = new Float64Array(y.length);
  for (let i = 0; i < y.length; i++) {
    const r = Math.abs(y[i] - mean[i]);
    out[i] = Number.isNaN(sd[i]) || Number.isNaN(r) ? NaN : sd[i] > 0 ? r / sd[i] : r === 0 ? 0 : Infinity;
  }
  return out;
}

export type TauRunner = (tasks: TauResampleTask[]) => Promise<Float64Array[]>;
export const inThreadTauRunner: TauRunner = async (tasks) => tasks.map(tauResample);

/** τ̂ at each level from a training set (steps 1–2). */
export async function estimateTau(data: TrainingData, forest: Partial<ForestParams>, params: Partial<IntervalParams> = {}, runner: TauRunner = inThreadTauRunner, oobFrom?: { forest: Forest; binned: Parameters<typeof oobPredictions>[1] }): Promise<TauEstimate> {
  const p: IntervalParams = { ...DEFAULT_INTERVALS, ...params };
  for (const l of p.levels) if (!(l > 0 && l < 1)) throw new RangeError(`interval level: got ${l}, expected in (0, 1)`);
  let pooled: Float64Array;
  if (p.method === 'oob') {
    const f = oobFrom ?? trainForestSync(data, forest);
    const o = oobPredictions(f.forest, f.binned);
    pooled = tauValues(data.y, o.mean, o.sd).filter((v) => !Number.isNaN(v));
  } else {
    if (!(Number.isInteger(p.resamples) && p.resamples >= 1)) throw new RangeError(`interval resamples: got ${p.resamples}, expected an integer ≥ 1`);
    const tasks: TauResampleTask[] = [];
    for (let b = 0; b < p.resamples; b++) tasks.push({ data, forest, trainFraction: p.trainFraction, seed: p.seed, b });
    const parts = await runner(tasks);
    let len = 0;
    for (const a of parts) len += a.length;
    pooled = new Float64Array(len);
    let at = 0;
    for (const a of parts) {
      pooled.set(a, at);
      at += a.length;
    }
  }
  const tau: Record<string, number> = {};
  for (const l of p.levels) tau[String(l)] = quantile(pooled, l);
  return { method: p.method, resamples: p.method === 'oob' ? 0 : p.resamples, tau, pooled: pooled.length };
}

/** Eq 10: lower and upper bounds ȳ̂ ∓ τ̂·sd on the model scale. */
export function intervalBounds(mean: ArrayLike<number>, sd: ArrayLike<number>, tauHat: number): { lower: Float64Array; upper: Float64Array } {
  const n = mean.length;
  const lower = new Float64Array(n);
  const upper = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const h = tauHat * sd[i];
    lower[i] = mean[i] - h;
    upper[i] = mean[i] + h;
  }
  return { lower, upper };
}
