import { SeededRng } from '../numerics/random.js';

/** Validation statistics on pairs (observed, predicted); NaN pairs are ignored. */
export interface Metrics {
  /** 1 − Σ(y − ŷ)²/Σ(y − ȳ)² (003 Eq 5). */
  readonly r2: number;
  /** √(Σ(y − ŷ)²/q) (003 Eq 6). */
  readonly rmse: number;
  readonly mae: number;
  /** mean(ŷ − y). */
  readonly bias: number;
  readonly n: number;
}

export function regressionMetrics(obs: ArrayLike<number>, pred: ArrayLike<number>): Metrics {
  let n = 0;
  let sy = 0;
  for (let i = 0; i < obs.length; i++) {
    if (Number.isNaN(obs[i]) || Number.isNaN(pred[i])) continue;
    n++;
    sy += obs[i];
  }
  const ybar = sy / n;
  let sse = 0;
  let sst = 0;
  let sae = 0;
  let sb = 0;
  for (let i = 0; i < obs.length; i++) {
    if (Number.isNaN(obs[i]) || Number.isNaN(pred[i])) continue;
    const e = pred[i] - obs[i];
    sse += e * e;
    sst += (obs[i] - ybar) ** 2;
    sae += Math.abs(e);
    sb += e;
  }
  return { r2: 1 - sse / sst, rmse: Math.sqrt(sse / n), mae: sae / n, bias: sb / n, n };
}

/** Fold (0..k−1) of each of n rows: a seeded random permutation dealt round-robin (sizes differ by ≤ 1). */
export function kFoldAssignment(n: number, k: number, seed: number): Int32Array {
  if (!(Number.isInteger(k) && k >= 2 && k <= n)) throw new RangeError(`folds must be an integer in [2, ${n}], got ${k}`);
  const perm = permutation(n, new SeededRng(seed));
  const fold = new Int32Array(n);
  for (let i = 0; i < n; i++) fold[perm[i]] = i % k;
  return fold;
}

/** A seeded random permutation of 0..n−1 (Fisher–Yates). */
export function permutation(n: number, rng: SeededRng): Int32Array {
  const p = new Int32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const r = rng.below(i + 1);
    const t = p[i];
    p[i] = p[r];
    p[r] = t;
  }
  return p;
}

/**
 * 001's stratified 80/20 split (caret's `createDataPartition`): rows are grouped by the quantiles
 * of y (`groups` groups, default 5), and `trainFraction` of each group (rounded) goes to training.
 * Returns 1 for training rows, 0 for validation rows.
 */
export function stratifiedSplit(y: ArrayLike<number>, trainFraction: number, seed: number, groups = 5): Uint8Array {
  const n = y.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => y[a] - y[b] || a - b);
  const g = Math.max(1, Math.min(groups, Math.floor(n / 2)));
  const rng = new SeededRng(seed);
  const inTrain = new Uint8Array(n);
  for (let k = 0; k < g; k++) {
    const members = order.slice(Math.floor((k * n) / g), Math.floor(((k + 1) * n) / g));
    const p = permutation(members.length, rng);
    const take = Math.round(trainFraction * members.length);
    for (let i = 0; i < take; i++) inTrain[members[p[i]]] = 1;
  }
  return inTrain;
}

/** Sample quantile, R type 7, of the finite values (the array is copied). */
export function quantile(x: ArrayLike<number>, p: number): number {
  const s = Float64Array.from(x).filter((v) => !Number.isNaN(v)).sort();
  if (s.length === 0) return NaN;
  const h = (s.length - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, s.length - 1);
  if (h === lo) return s[lo];
  return s[lo] + (h - lo) * (s[hi] - s[lo]);
}
