import { SeededRng } from '../numerics/random.js';
import { applyBins, fitBins, levelCode, MAX_BINS, type BinnedMatrix, type FeatureBins, type FeatureSpec } from './binning.js';
import { packTrees, predictTreeCodes, predictTreeRaw, TreeGrower, type TreeArrays } from './tree.js';

/**
 * Random forest regression (Breiman 2001) on histogram bins (LEARNING.md "Models"): bootstrap
 * samples of n rows with replacement, `mtry` features tried per split (default ⌈p/3⌉), nodes of at
 * most `minNodeSize` in-bag rows not split (default 5), variance reduction, fully grown trees.
 * Tree t draws its random numbers from stream t of the seed, so the forest is the same whether its
 * trees are grown in one thread or many.
 */
export interface ForestParams {
  readonly trees: number;
  /** Features per split; default ⌈p/3⌉ (LEARNING.md). */
  readonly mtry?: number;
  readonly minNodeSize: number;
  readonly maxDepth: number;
  /** Bootstrap sample size as a fraction of n (with replacement). */
  readonly sampleFraction: number;
  readonly seed: number;
  readonly maxBins: number;
}

export const DEFAULT_FOREST: ForestParams = { trees: 500, minNodeSize: 5, maxDepth: Infinity, sampleFraction: 1, seed: 1, maxBins: MAX_BINS };

export function resolveMtry(params: Pick<ForestParams, 'mtry'>, p: number): number {
  return Math.max(1, Math.min(p, params.mtry ?? Math.ceil(p / 3)));
}

/** A training set: feature columns (no NaN) and the response. */
export interface TrainingData {
  readonly features: readonly FeatureSpec[];
  readonly columns: readonly Float64Array[];
  readonly y: Float64Array;
}

/** A trained forest: bins, packed trees, parameters. Plain data (worker- and JSON-friendly). */
export interface Forest {
  readonly bins: readonly FeatureBins[];
  readonly params: ForestParams & { readonly mtry: number };
  readonly trees: TreeArrays;
  readonly treeStart: Int32Array;
}

/** The rows `rows` of a training set. */
export function subsetData(data: TrainingData, rows: ArrayLike<number>): TrainingData {
  const pick = (c: Float64Array) => Float64Array.from(rows, (r) => c[r]);
  return { features: data.features, columns: data.columns.map(pick), y: pick(data.y) };
}

export function treeCount(f: Forest): number {
  return f.treeStart.length - 1;
}

/** Bootstrap multiplicities of tree t (regenerated from its seed for OOB work). */
export function bootstrapCounts(rng: SeededRng, n: number, draws: number, counts: Uint32Array): void {
  counts.fill(0);
  for (let k = 0; k < draws; k++) counts[rng.below(n)]++;
}

/** What a worker needs to grow trees [t0, t1): binned data, response, bins, parameters. */
export interface GrowTask {
  readonly data: BinnedMatrix;
  readonly y: Float64Array;
  readonly bins: readonly FeatureBins[];
  readonly params: ForestParams & { readonly mtry: number };
  readonly t0: number;
  readonly t1: number;
}

/** Grow trees t0..t1 of a forest (pure; the unit of work of a worker). */
export function growForestTrees(task: GrowTask): TreeArrays[] {
  const { data, y, bins, params } = task;
  const n = data.n;
  const grower = new TreeGrower(data, bins);
  const counts = new Uint32Array(n);
  const rows = new Int32Array(n);
  const w = new Float64Array(n);
  const draws = Math.max(1, Math.round(params.sampleFraction * n));
  const out: TreeArrays[] = [];
  for (let t = task.t0; t < task.t1; t++) {
    const rng = new SeededRng(SeededRng.streamSeed(params.seed, t));
    bootstrapCounts(rng, n, draws, counts);
    let m = 0;
    for (let i = 0; i < n; i++) {
      if (counts[i] > 0) {
        rows[m++] = i;
        w[i] = counts[i];
      }
    }
    out.push(grower.grow(rows, m, y, w, rng, { mtry: params.mtry, minNodeSize: params.minNodeSize, maxDepth: params.maxDepth }));
  }
  return out;
}

/** Runs grow tasks somewhere (in this thread by default; a worker pool from the engine). */
export type GrowRunner = (tasks: GrowTask[]) => Promise<TreeArrays[][]>;

export const inThreadGrowRunner: GrowRunner = async (tasks) => tasks.map(growForestTrees);

export interface TrainOptions {
  /** How trees are grown; the result does not depend on it. */
  readonly runner?: GrowRunner;
  /** Trees per task (default: trees split evenly in 8 chunks per runner call). */
  readonly chunk?: number;
  /** Put data in SharedArrayBuffers (for worker runners). */
  readonly shared?: boolean;
}

export interface TrainedForest {
  readonly forest: Forest;
  readonly binned: BinnedMatrix;
}

/** Train a forest in this thread (the same forest as {@link trainForest}). */
export function trainForestSync(data: TrainingData, params: Partial<ForestParams> = {}): TrainedForest {
  const { bins, binned, y, p } = prepareForest(data, params, false);
  const packed = packTrees(growForestTrees({ data: binned, y, bins, params: p, t0: 0, t1: p.trees }));
  return { forest: { bins, params: p, trees: packed.arrays, treeStart: packed.treeStart }, binned };
}

function prepareForest(data: TrainingData, params: Partial<ForestParams>, shared: boolean | undefined) {
  const full: ForestParams = { ...DEFAULT_FOREST, ...params };
  validateParams(full);
  const n = data.y.length;
  if (n < 2) throw new RangeError(`a forest needs at least 2 rows, got ${n}`);
  const bins = fitBins(data.features, data.columns, full.maxBins);
  const binned = applyBins(bins, data.columns, shared);
  let y = data.y;
  if (shared) {
    y = new Float64Array(new SharedArrayBuffer(n * 8));
    y.set(data.y);
  }
  return { bins, binned, y, p: { ...full, mtry: resolveMtry(full, data.features.length) } };
}

/** Train a forest; identical for any runner and chunking (per-tree seed streams). */
export async function trainForest(data: TrainingData, params: Partial<ForestParams> = {}, options: TrainOptions = {}): Promise<TrainedForest> {
  const { bins, binned, y, p } = prepareForest(data, params, options.shared);
  const chunk = options.chunk ?? Math.max(1, Math.ceil(p.trees / 8));
  const tasks: GrowTask[] = [];
  for (let t0 = 0; t0 < p.trees; t0 += chunk) tasks.push({ data: binned, y, bins, params: p, t0, t1: Math.min(p.trees, t0 + chunk) });
  const results = await (options.runner ?? inThreadGrowRunner)(tasks);
  const packed = packTrees(results.flat());
  return { forest: { bins, params: p, trees: packed.arrays, treeStart: packed.treeStart }, binned };
}

function validateParams(p: ForestParams): void {
  const bad = (k: string, v: unknown, e: string) => {
    throw new RangeError(`forest parameter ${k}: got ${String(v)}, expected ${e}`);
  };
  if (!(Number.isInteger(p.trees) && p.trees >= 1)) bad('trees', p.trees, 'an integer ≥ 1');
  if (!(p.minNodeSize >= 1)) bad('minNodeSize', p.minNodeSize, '≥ 1');
  if (!(p.sampleFraction > 0 && p.sampleFraction <= 10)) bad('sampleFraction', p.sampleFraction, 'in (0, 10]');
  if (p.mtry !== undefined && !(Number.isInteger(p.mtry) && p.mtry >= 1)) bad('mtry', p.mtry, 'an integer ≥ 1');
  if (!(p.maxDepth >= 1)) bad('maxDepth', p.maxDepth, '≥ 1');
}

/**
 * Columns ready for {@link predictTreeRaw}: numeric values as given, categorical values replaced by
 * their level codes (levels unseen in training get a code no split sends left: they follow the
 * right branch). NaN stays NaN. `unseen` counts cells with an unseen level.
 */
export function encodeColumns(bins: readonly FeatureBins[], columns: readonly ArrayLike<number>[], n: number): { X: Float64Array[]; unseen: Uint8Array } {
  const unseen = new Uint8Array(n);
  const X = bins.map((b, j) => {
    const col = columns[j];
    const out = new Float64Array(n);
    if (b.kind === 'numeric') for (let i = 0; i < n; i++) out[i] = col[i];
    else
      for (let i = 0; i < n; i++) {
        const v = col[i];
        if (Number.isNaN(v)) out[i] = NaN;
        else {
          const c = levelCode(b.levels, v);
          if (c === b.levels.length) unseen[i] = 1;
          out[i] = c;
        }
      }
    return out;
  });
  return { X, unseen };
}

/** Per-cell forest statistics: mean and standard deviation (n − 1) of the tree predictions. */
export interface ForestPrediction {
  readonly mean: Float64Array;
  readonly sd: Float64Array;
  /** Tree predictions, tree-major (perTree[t·n + i]), when asked for. */
  readonly perTree?: Float64Array;
}

/**
 * Predict encoded columns (see {@link encodeColumns}); rows with a NaN feature get NaN. Trees are
 * the outer loop (each tree's nodes stay in cache); mean and variance by Welford's update.
 */
export function predictEncoded(f: Forest, X: readonly Float64Array[], n: number, options: { perTree?: boolean; out?: { mean: Float64Array; sd: Float64Array } } = {}): ForestPrediction {
  const T = treeCount(f);
  const mean = options.out?.mean ?? new Float64Array(n);
  const m2 = options.out?.sd ?? new Float64Array(n);
  mean.fill(0, 0, n);
  m2.fill(0, 0, n);
  const valid = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    let ok = 1;
    for (let j = 0; j < X.length; j++) if (Number.isNaN(X[j][i])) ok = 0;
    valid[i] = ok;
  }
  const perTree = options.perTree ? new Float64Array(T * n) : undefined;
  const { split, link } = compactNodes(f);
  const value = f.trees.value;
  const bitsets = f.trees.bitsets;
  const leafValue = new Float64Array(n);
  for (let t = 0; t < T; t++) {
    const root = f.treeStart[t];
    const inv = 1 / (t + 1);
    for (let i = 0; i < n; i++) {
      if (valid[i] === 0) continue;
      let k = root;
      let l = link[2 * k];
      while (l >= 0) {
        const fk = link[2 * k + 1];
        const x = X[fk & 0xffff][i];
        let goLeft: boolean;
        if (fk > 0xffff) {
          const c = x | 0;
          const off = split[k];
          goLeft = ((bitsets[off + (c >>> 5)] >>> (c & 31)) & 1) === 1;
        } else goLeft = x <= split[k];
        k = goLeft ? l : l + 1;
        l = link[2 * k];
      }
      leafValue[i] = value[k];
    }
    for (let i = 0; i < n; i++) {
      if (valid[i] === 0) continue;
      const v = leafValue[i];
      const d = v - mean[i];
      mean[i] += d * inv;
      m2[i] += d * (v - mean[i]);
      if (perTree) perTree[t * n + i] = v;
    }
  }
  for (let i = 0; i < n; i++) {
    if (valid[i] === 0) {
      mean[i] = NaN;
      m2[i] = NaN;
    } else m2[i] = T > 1 ? Math.sqrt(m2[i] / (T - 1)) : 0;
  }
  return { mean, sd: m2, perTree };
}

const compact = new WeakMap<TreeArrays, { split: Float64Array; link: Int32Array }>();

/**
 * Traversal layout built once per forest: link[2k] = left child (−1 at leaves), link[2k+1] =
 * feature | 0x10000 for categorical splits; split[k] = threshold, or the bitset offset.
 */
function compactNodes(f: Forest): { split: Float64Array; link: Int32Array } {
  let c = compact.get(f.trees);
  if (!c) {
    const t = f.trees;
    const m = t.value.length;
    const split = new Float64Array(m);
    const link = new Int32Array(2 * m);
    for (let k = 0; k < m; k++) {
      link[2 * k] = t.left[k];
      const cat = t.catSet[k] >= 0;
      link[2 * k + 1] = (t.left[k] >= 0 ? t.feature[k] : 0) | (cat ? 0x10000 : 0);
      split[k] = cat ? t.catSet[k] : t.threshold[k];
    }
    c = { split, link };
    compact.set(f.trees, c);
  }
  return c;
}

/** Predict raw feature columns (categorical as level values). */
export function predictForest(f: Forest, columns: readonly ArrayLike<number>[], options: { perTree?: boolean } = {}): ForestPrediction {
  const n = columns.length > 0 ? columns[0].length : 0;
  return predictEncoded(f, encodeColumns(f.bins, columns, n).X, n, options);
}

/** Out-of-bag predictions: mean, sd and count of the trees for which each row was out of bag. */
export interface OobResult {
  readonly mean: Float64Array;
  readonly sd: Float64Array;
  readonly trees: Int32Array;
}

/** OOB statistics from the training codes (bootstraps regenerated from the per-tree seeds). */
export function oobPredictions(f: Forest, binned: BinnedMatrix, codes: Uint8Array = binned.codes): OobResult {
  const n = binned.n;
  const T = treeCount(f);
  const mean = new Float64Array(n);
  const m2 = new Float64Array(n);
  const cnt = new Int32Array(n);
  const counts = new Uint32Array(n);
  const draws = Math.max(1, Math.round(f.params.sampleFraction * n));
  for (let t = 0; t < T; t++) {
    bootstrapCounts(new SeededRng(SeededRng.streamSeed(f.params.seed, t)), n, draws, counts);
    const root = f.treeStart[t];
    for (let i = 0; i < n; i++) {
      if (counts[i] !== 0) continue;
      const v = predictTreeCodes(f.trees, root, codes, n, i);
      const c = ++cnt[i];
      const d = v - mean[i];
      mean[i] += d / c;
      m2[i] += d * (v - mean[i]);
    }
  }
  const sd = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    if (cnt[i] === 0) mean[i] = NaN;
    sd[i] = cnt[i] > 1 ? Math.sqrt(m2[i] / (cnt[i] - 1)) : NaN;
  }
  return { mean, sd, trees: cnt };
}

/**
 * Permutation importance (Breiman 2001): increase of the OOB mean squared error when one
 * feature's codes are permuted across rows (seeded), per feature. Rows never out of bag are ignored.
 */
export function permutationImportance(f: Forest, binned: BinnedMatrix, y: Float64Array, seed: number, base?: OobResult): Float64Array {
  const n = binned.n;
  const mse = (o: OobResult) => {
    let s = 0;
    let k = 0;
    for (let i = 0; i < n; i++) {
      if (o.trees[i] === 0) continue;
      s += (o.mean[i] - y[i]) ** 2;
      k++;
    }
    return k > 0 ? s / k : NaN;
  };
  const b = mse(base ?? oobPredictions(f, binned));
  const out = new Float64Array(binned.p);
  const codes = new Uint8Array(binned.codes);
  const perm = new Int32Array(n);
  for (let j = 0; j < binned.p; j++) {
    const rng = new SeededRng(SeededRng.streamSeed(seed, 1_000_003 + j));
    for (let i = 0; i < n; i++) perm[i] = i;
    for (let i = n - 1; i > 0; i--) {
      const r = rng.below(i + 1);
      const t = perm[i];
      perm[i] = perm[r];
      perm[r] = t;
    }
    const off = j * n;
    for (let i = 0; i < n; i++) codes[off + i] = binned.codes[off + perm[i]];
    out[j] = mse(oobPredictions(f, binned, codes)) - b;
    codes.set(binned.codes.subarray(off, off + n), off);
  }
  return out;
}
