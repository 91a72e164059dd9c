import { SeededRng } from '../numerics/random.js';
import { applyBins, fitBins, MAX_BINS, type FeatureBins } from './binning.js';
import { encodeColumns, type TrainingData } from './forest.js';
import { packTrees, predictTreeCodes, predictTreeRaw, TreeGrower, type TreeArrays } from './tree.js';

/**
 * Gradient-boosted regression trees (Friedman 2001, squared loss) on the same histogram bins and
 * tree grower as the forest: F₀ = ȳ; each round fits a depth-limited tree to the residuals of a
 * seeded subsample (without replacement) and adds learningRate × its leaf means. The second learner
 * of the ensemble (001 used XGBoost there).
 */
export interface BoostParams {
  readonly rounds: number;
  readonly learningRate: number;
  readonly maxDepth: number;
  readonly minNodeSize: number;
  /** Fraction of rows per round (stochastic gradient boosting). */
  readonly subsample: number;
  /** Features tried per split (default all). */
  readonly mtry?: number;
  readonly seed: number;
  readonly maxBins: number;
}

export const DEFAULT_BOOST: BoostParams = { rounds: 300, learningRate: 0.05, maxDepth: 4, minNodeSize: 5, subsample: 0.8, seed: 1, maxBins: MAX_BINS };

export interface BoostedTrees {
  readonly bins: readonly FeatureBins[];
  readonly params: BoostParams;
  readonly base: number;
  /** Leaf values already multiplied by the learning rate. */
  readonly trees: TreeArrays;
  readonly treeStart: Int32Array;
}

export function trainBoosted(data: TrainingData, params: Partial<BoostParams> = {}): BoostedTrees {
  const p: BoostParams = { ...DEFAULT_BOOST, ...params };
  if (!(Number.isInteger(p.rounds) && p.rounds >= 1)) throw new RangeError(`boosting rounds: got ${p.rounds}, expected an integer ≥ 1`);
  if (!(p.learningRate > 0 && p.learningRate <= 1)) throw new RangeError(`learning rate: got ${p.learningRate}, expected in (0, 1]`);
  const n = data.y.length;
  const bins = fitBins(data.features, data.columns, p.maxBins);
  const binned = applyBins(bins, data.columns);
  const grower = new TreeGrower(binned, bins);
  let base = 0;
  for (let i = 0; i < n; i++) base += data.y[i];
  base /= n;
  const F = new Float64Array(n).fill(base);
  const r = new Float64Array(n);
  const rows = new Int32Array(n);
  const m = Math.max(2, Math.round(p.subsample * n));
  const trees: TreeArrays[] = [];
  const mtry = Math.max(1, Math.min(data.features.length, p.mtry ?? data.features.length));
  for (let k = 0; k < p.rounds; k++) {
    const rng = new SeededRng(SeededRng.streamSeed(p.seed, k));
    for (let i = 0; i < n; i++) {
      r[i] = data.y[i] - F[i];
      rows[i] = i;
    }
    // Partial Fisher–Yates: the first m entries are a uniform subsample.
    for (let i = 0; i < m && i < n - 1; i++) {
      const j = i + rng.below(n - i);
      const t = rows[i];
      rows[i] = rows[j];
      rows[j] = t;
    }
    const tree = grower.grow(rows, Math.min(m, n), r, null, rng, { mtry, minNodeSize: p.minNodeSize, maxDepth: p.maxDepth });
    for (let v = 0; v < tree.value.length; v++) tree.value[v] *= p.learningRate;
    for (let i = 0; i < n; i++) F[i] += predictTreeCodes(tree, 0, binned.codes, n, i);
    trees.push(tree);
  }
  const packed = packTrees(trees);
  return { bins, params: p, base, trees: packed.arrays, treeStart: packed.treeStart };
}

/** Predict raw columns (categorical as level values); NaN where a feature is NaN. */
export function predictBoosted(b: BoostedTrees, columns: readonly ArrayLike<number>[]): Float64Array {
  const n = columns.length > 0 ? columns[0].length : 0;
  const { X } = encodeColumns(b.bins, columns, n);
  const out = new Float64Array(n);
  const T = b.treeStart.length - 1;
  for (let i = 0; i < n; i++) {
    let bad = false;
    for (const c of X) if (Number.isNaN(c[i])) bad = true;
    if (bad) {
      out[i] = NaN;
      continue;
    }
    let s = b.base;
    for (let t = 0; t < T; t++) s += predictTreeRaw(b.trees, b.treeStart[t], X, i);
    out[i] = s;
  }
  return out;
}
