import type { SeededRng } from '../numerics/random.js';
import { MAX_BINS, type BinnedMatrix, type FeatureBins } from './binning.js';

/**
 * Regression trees grown on bin codes (histogram splits), shared by the random forest and the
 * gradient-boosted trees. Split criterion: variance reduction, i.e. the largest
 * S_L²/N_L + S_R²/N_R over candidate splits (S sums of y, N sums of weights). Numeric features
 * split at bin edges ("code ≤ b goes left"); categorical features are ordered by the mean response
 * of their levels in the node and split like an ordered feature (the sorted-mean partition, as
 * ranger's `respect.unordered.factors = "order"` — optimal for squared error, Fisher 1958).
 */
export interface GrowParams {
  /** Features tried per split (drawn without replacement). */
  readonly mtry: number;
  /** Nodes whose in-bag weight is at most this are not split (ranger's rule). */
  readonly minNodeSize: number;
  /** Deepest level split (root = 0); Infinity for fully grown trees. */
  readonly maxDepth: number;
}

/**
 * Flat trees. For a packed forest, tree t owns nodes [treeStart[t], treeStart[t+1]); `left` holds
 * absolute node indices, the right child is left + 1, leaves have left = −1.
 */
export interface TreeArrays {
  readonly feature: Int16Array;
  /** numeric split: codes ≤ splitBin go left. */
  readonly splitBin: Uint8Array;
  /** numeric split: raw values ≤ threshold go left (the same rule on raw values). */
  readonly threshold: Float64Array;
  /** categorical split: offset (in 32-bit words) of its 256-bit left-level set in `bitsets`; −1 otherwise. */
  readonly catSet: Int32Array;
  readonly left: Int32Array;
  /** Node mean response (the prediction at leaves). */
  readonly value: Float64Array;
  readonly bitsets: Uint32Array;
}

const WORDS = MAX_BINS / 32;

/** A tree being grown (growable arrays). */
class TreeBuffer {
  feature: number[] = [];
  splitBin: number[] = [];
  threshold: number[] = [];
  catSet: number[] = [];
  left: number[] = [];
  value: number[] = [];
  bitsets: number[] = [];
  add(value: number): number {
    this.feature.push(-1);
    this.splitBin.push(0);
    this.threshold.push(0);
    this.catSet.push(-1);
    this.left.push(-1);
    this.value.push(value);
    return this.value.length - 1;
  }
  toArrays(): TreeArrays {
    return {
      feature: Int16Array.from(this.feature),
      splitBin: Uint8Array.from(this.splitBin),
      threshold: Float64Array.from(this.threshold),
      catSet: Int32Array.from(this.catSet),
      left: Int32Array.from(this.left),
      value: Float64Array.from(this.value),
      bitsets: Uint32Array.from(this.bitsets),
    };
  }
}

/**
 * Grows trees on one binned matrix; owns all scratch memory (no allocation per node). Not
 * thread-safe: one grower per worker.
 */
export class TreeGrower {
  private readonly n: number;
  private readonly p: number;
  private readonly codes: Uint8Array;
  private readonly isCat: Uint8Array;
  private readonly thresholds: Float64Array[];
  private readonly idx: Int32Array;
  private readonly yy: Float64Array;
  private readonly ww: Float64Array;
  private readonly perm: Int32Array;
  private readonly cnt = new Float64Array(MAX_BINS);
  private readonly sum = new Float64Array(MAX_BINS);
  private readonly touched = new Int32Array(MAX_BINS);
  private readonly meanKey = new Float64Array(MAX_BINS);
  private readonly bestCats = new Int32Array(MAX_BINS);
  private readonly leftMask = new Uint8Array(MAX_BINS);
  private readonly stack: number[] = [];
  private readonly occ = new Int32Array(MAX_BINS / 32);

  constructor(data: BinnedMatrix, bins: readonly FeatureBins[]) {
    this.n = data.n;
    this.p = data.p;
    this.codes = data.codes;
    this.isCat = Uint8Array.from(bins, (b) => (b.kind === 'categorical' ? 1 : 0));
    this.thresholds = bins.map((b) => b.thresholds);
    this.idx = new Int32Array(data.n);
    this.yy = new Float64Array(data.n);
    this.ww = new Float64Array(data.n);
    this.perm = new Int32Array(data.p);
  }

  /**
   * Grow one tree on rows[0..m) with response y (indexed by row) and weights w (by row; null = 1).
   */
  grow(rows: Int32Array, m: number, y: Float64Array, w: Float64Array | null, rng: SeededRng, params: GrowParams): TreeArrays {
    const { idx, yy, ww } = this;
    let total = 0;
    let sumAll = 0;
    for (let i = 0; i < m; i++) {
      const r = rows[i];
      idx[i] = r;
      const wi = w ? w[r] : 1;
      yy[i] = y[r];
      ww[i] = wi;
      total += wi;
      sumAll += wi * y[r];
    }
    const tree = new TreeBuffer();
    tree.add(total > 0 ? sumAll / total : 0);
    const stack = this.stack;
    stack.length = 0;
    stack.push(0, 0, m, 0);
    const mtry = Math.max(1, Math.min(this.p, params.mtry));
    for (let j = 0; j < this.p; j++) this.perm[j] = j;
    while (stack.length > 0) {
      const depth = stack.pop()!;
      const hi = stack.pop()!;
      const lo = stack.pop()!;
      const node = stack.pop()!;
      this.splitNode(tree, node, lo, hi, depth, mtry, params, rng);
    }
    return tree.toArrays();
  }

  private splitNode(tree: TreeBuffer, node: number, lo: number, hi: number, depth: number, mtry: number, params: GrowParams, rng: SeededRng): void {
    const { idx, yy, ww, cnt, sum, touched, codes, n } = this;
    let N = 0;
    let S = 0;
    let SS = 0;
    let yMin = Infinity;
    let yMax = -Infinity;
    for (let i = lo; i < hi; i++) {
      const wi = ww[i];
      const v = yy[i];
      N += wi;
      S += wi * v;
      SS += wi * v * v;
      if (v < yMin) yMin = v;
      if (v > yMax) yMax = v;
    }
    if (N <= params.minNodeSize || depth >= params.maxDepth || yMin === yMax || hi - lo < 2) return;
    const parentScore = (S * S) / N;
    const sse = Math.max(SS - parentScore, 0);
    let bestScore = parentScore + 1e-12 * sse;
    let bestF = -1;
    let bestBin = 0;
    let bestCatCount = 0;
    const perm = this.perm;
    for (let k = 0; k < mtry; k++) {
      const r = k + rng.below(this.p - k);
      const f = perm[r];
      perm[r] = perm[k];
      perm[k] = f;
      const off = f * n;
      let nt = 0;
      for (let i = lo; i < hi; i++) {
        const b = codes[off + idx[i]];
        if (cnt[b] === 0) touched[nt++] = b;
        cnt[b] += ww[i];
        sum[b] += ww[i] * yy[i];
      }
      if (nt > 1) {
        if (this.isCat[f] === 0) {
          if (nt <= 8) insertionSortInt(touched, nt);
          else {
            // Ascending order of the touched bins from a 256-bit occupancy mask (O(nt + 8)).
            const occ = this.occ;
            occ.fill(0);
            for (let t = 0; t < nt; t++) occ[touched[t] >>> 5] |= 1 << (touched[t] & 31);
            nt = 0;
            for (let w = 0; w < WORDS; w++) {
              let bits = occ[w];
              while (bits !== 0) {
                const low = bits & -bits;
                touched[nt++] = (w << 5) + 31 - Math.clz32(low);
                bits ^= low;
              }
            }
          }
          let nL = 0;
          let sL = 0;
          for (let t = 0; t + 1 < nt; t++) {
            const b = touched[t];
            nL += cnt[b];
            sL += sum[b];
            const nR = N - nL;
            const sR = S - sL;
            const score = (sL * sL) / nL + (sR * sR) / nR;
            if (score > bestScore) {
              bestScore = score;
              bestF = f;
              bestBin = b;
            }
          }
        } else {
          const key = this.meanKey;
          for (let t = 0; t < nt; t++) key[touched[t]] = sum[touched[t]] / cnt[touched[t]];
          sortByKey(touched, nt, key);
          let nL = 0;
          let sL = 0;
          for (let t = 0; t + 1 < nt; t++) {
            const b = touched[t];
            nL += cnt[b];
            sL += sum[b];
            const nR = N - nL;
            const sR = S - sL;
            const score = (sL * sL) / nL + (sR * sR) / nR;
            if (score > bestScore) {
              bestScore = score;
              bestF = f;
              bestCatCount = t + 1;
              for (let u = 0; u <= t; u++) this.bestCats[u] = touched[u];
            }
          }
        }
      }
      for (let t = 0; t < nt; t++) {
        cnt[touched[t]] = 0;
        sum[touched[t]] = 0;
      }
    }
    if (bestF < 0) return;
    // Record the split and partition the rows in place.
    const off = bestF * n;
    const mask = this.leftMask;
    const cat = this.isCat[bestF] === 1;
    if (cat) {
      mask.fill(0);
      const base = tree.bitsets.length;
      for (let w = 0; w < WORDS; w++) tree.bitsets.push(0);
      for (let u = 0; u < bestCatCount; u++) {
        const c = this.bestCats[u];
        mask[c] = 1;
        tree.bitsets[base + (c >>> 5)] = (tree.bitsets[base + (c >>> 5)] | (1 << (c & 31))) >>> 0;
      }
      tree.catSet[node] = base;
    } else {
      tree.splitBin[node] = bestBin;
      tree.threshold[node] = this.thresholds[bestF][bestBin];
    }
    tree.feature[node] = bestF;
    let i = lo;
    let j = hi - 1;
    let sL = 0;
    let nL = 0;
    while (i <= j) {
      const b = codes[off + idx[i]];
      const goLeft = cat ? mask[b] === 1 : b <= bestBin;
      if (goLeft) {
        nL += ww[i];
        sL += ww[i] * yy[i];
        i++;
      } else {
        swap3(idx, yy, ww, i, j);
        j--;
      }
    }
    const l = tree.add(sL / nL);
    tree.add((S - sL) / (N - nL));
    tree.left[node] = l;
    this.stack.push(l + 1, i, hi, depth + 1, l, lo, i, depth + 1);
  }
}

function swap3(a: Int32Array, b: Float64Array, c: Float64Array, i: number, j: number): void {
  const ta = a[i];
  a[i] = a[j];
  a[j] = ta;
  const tb = b[i];
  b[i] = b[j];
  b[j] = tb;
  const tc = c[i];
  c[i] = c[j];
  c[j] = tc;
}

function insertionSortInt(a: Int32Array, n: number): void {
  for (let i = 1; i < n; i++) {
    const v = a[i];
    let j = i - 1;
    while (j >= 0 && a[j] > v) {
      a[j + 1] = a[j];
      j--;
    }
    a[j + 1] = v;
  }
}

/** Sort a[0..n) by key[a[·]] ascending, ties by code (deterministic). */
function sortByKey(a: Int32Array, n: number, key: Float64Array): void {
  for (let i = 1; i < n; i++) {
    const v = a[i];
    const kv = key[v];
    let j = i - 1;
    while (j >= 0 && (key[a[j]] > kv || (key[a[j]] === kv && a[j] > v))) {
      a[j + 1] = a[j];
      j--;
    }
    a[j + 1] = v;
  }
}

/** Pack trees into one set of arrays (left indices made absolute). */
export function packTrees(trees: readonly TreeArrays[], shared = false): { arrays: TreeArrays; treeStart: Int32Array } {
  let nodes = 0;
  let words = 0;
  for (const t of trees) {
    nodes += t.value.length;
    words += t.bitsets.length;
  }
  const buf = <T extends Int16Array | Uint8Array | Float64Array | Int32Array | Uint32Array>(C: { new (n: number): T; new (b: SharedArrayBuffer): T; BYTES_PER_ELEMENT: number }, len: number): T =>
    shared ? new C(new SharedArrayBuffer(Math.max(1, len) * C.BYTES_PER_ELEMENT)) : new C(len);
  const out = {
    feature: buf(Int16Array, nodes),
    splitBin: buf(Uint8Array, nodes),
    threshold: buf(Float64Array, nodes),
    catSet: buf(Int32Array, nodes),
    left: buf(Int32Array, nodes),
    value: buf(Float64Array, nodes),
    bitsets: buf(Uint32Array, words),
  };
  const treeStart = new Int32Array(trees.length + 1);
  let at = 0;
  let wat = 0;
  trees.forEach((t, k) => {
    treeStart[k] = at;
    const m = t.value.length;
    out.feature.set(t.feature, at);
    out.splitBin.set(t.splitBin, at);
    out.threshold.set(t.threshold, at);
    out.value.set(t.value, at);
    for (let i = 0; i < m; i++) {
      out.left[at + i] = t.left[i] < 0 ? -1 : t.left[i] + at;
      out.catSet[at + i] = t.catSet[i] < 0 ? -1 : t.catSet[i] + wat;
    }
    out.bitsets.set(t.bitsets, wat);
    at += m;
    wat += t.bitsets.length;
  });
  treeStart[trees.length] = at;
  return { arrays: out, treeStart };
}

/** Leaf value of tree `t` for row `i` of a binned matrix. */
export function predictTreeCodes(a: TreeArrays, root: number, codes: Uint8Array, n: number, i: number): number {
  let k = root;
  const { left, feature, catSet, splitBin, bitsets } = a;
  while (left[k] >= 0) {
    const c = codes[feature[k] * n + i];
    const s = catSet[k];
    const goLeft = s >= 0 ? ((bitsets[s + (c >>> 5)] >>> (c & 31)) & 1) === 1 : c <= splitBin[k];
    k = goLeft ? left[k] : left[k] + 1;
  }
  return a.value[k];
}

/**
 * Leaf value of the tree rooted at `root` for cell i of encoded columns (numeric raw values;
 * categorical level codes from {@link encodeColumns}). No NaN allowed.
 */
export function predictTreeRaw(a: TreeArrays, root: number, X: readonly Float64Array[], i: number): number {
  let k = root;
  const { left, feature, catSet, threshold, bitsets } = a;
  while (left[k] >= 0) {
    const x = X[feature[k]][i];
    const s = catSet[k];
    let goLeft: boolean;
    if (s >= 0) {
      const c = x | 0;
      goLeft = ((bitsets[s + (c >>> 5)] >>> (c & 31)) & 1) === 1;
    } else goLeft = x <= threshold[k];
    k = goLeft ? left[k] : left[k] + 1;
  }
  return a.value[k];
}
