import { SeededRng } from '../numerics/random.js';
import { encodeColumns, predictEncoded, type Forest } from './forest.js';
import type { TargetSpec } from './model.js';

/**
 * Prediction of one tile of a covariate stack (the unit of work of `rhizocarb map` and of the
 * `mapping` scenario): forest mean and tree sd per model, Coulston bounds (001 Eq 10),
 * back-transformed, and optionally 001's I_loss Monte Carlo. Pure; runs in workers.
 */
export interface TileModel {
  /** Output name prefix, e.g. "iroot_0-200cm". */
  readonly name: string;
  readonly forest: Forest;
  readonly target: TargetSpec;
  readonly tau: number;
  /** For each model feature: the index of its column in the task, or −1 for a constant. */
  readonly featureIndex: readonly number[];
  /** Values of constant features (e.g. layer top and bottom), by model feature position. */
  readonly constants: readonly number[];
}

/** 001's I_loss = I_root − I_bulk per layer with Monte Carlo draws from both intervals. */
export interface IlossSpec {
  /** Index (into models) of the total I_root model. */
  readonly iroot: number;
  /** Indices of the I_bulk models, one per standard layer (top to bottom). */
  readonly ibulk: readonly number[];
  /** Names of the layers ("0-20cm" …) for outputs. */
  readonly layerNames: readonly string[];
  readonly draws: number;
  readonly seed: number;
  /** Seed stream of this tile (tile index), so results do not depend on workers. */
  readonly stream: number;
}

export interface MapTileTask {
  readonly columns: Float64Array[];
  readonly n: number;
  readonly models: readonly TileModel[];
  readonly iloss?: IlossSpec;
}

/** z of the central 95 % normal interval. */
const Z95 = 1.959963984540054;

/** Output rasters of a tile by name (Float32, NaN = NoData), and counts. */
export interface MapTileResult {
  readonly outputs: Record<string, Float32Array>;
  /** Cells with all covariates, cells with a level unseen in training (predicted, right branch). */
  readonly predicted: number;
  readonly unseenLevel: number;
}

export function mapTile(task: MapTileTask): MapTileResult {
  const { n } = task;
  const outputs: Record<string, Float32Array> = {};
  const stats: { mean: Float64Array; sd: Float64Array }[] = [];
  let unseenLevel = 0;
  let predicted = 0;
  task.models.forEach((m, k) => {
    const cols = m.featureIndex.map((ix, j) => (ix >= 0 ? task.columns[ix] : new Float64Array(n).fill(m.constants[j])));
    const enc = encodeColumns(m.forest.bins, cols, n);
    const p = predictEncoded(m.forest, enc.X, n);
    stats.push(p);
    const mean = new Float32Array(n);
    const lower = new Float32Array(n);
    const upper = new Float32Array(n);
    const rel = new Float32Array(n);
    const log = m.target.transform === 'log';
    let count = 0;
    let unseen = 0;
    for (let i = 0; i < n; i++) {
      const mu = p.mean[i];
      if (Number.isNaN(mu)) {
        mean[i] = lower[i] = upper[i] = rel[i] = NaN;
        continue;
      }
      count++;
      if (enc.unseen[i]) unseen++;
      const h = m.tau * p.sd[i];
      const pr = log ? Math.exp(mu) : mu;
      const lo = log ? Math.exp(mu - h) : mu - h;
      const hi = log ? Math.exp(mu + h) : mu + h;
      mean[i] = pr;
      lower[i] = lo;
      upper[i] = hi;
      rel[i] = (hi - lo) / 2 / Math.abs(pr);
    }
    if (k === 0) {
      predicted = count;
      unseenLevel = unseen;
    }
    outputs[`${m.name}_mean`] = mean;
    outputs[`${m.name}_lower`] = lower;
    outputs[`${m.name}_upper`] = upper;
    outputs[`${m.name}_relunc`] = rel;
  });
  if (task.iloss) Object.assign(outputs, ilossMonteCarlo(task, stats));
  return { outputs, predicted, unseenLevel };
}

/**
 * Per cell, `draws` Monte Carlo draws (001 Methods): each model-scale prediction is drawn from the
 * normal whose central 95 % interval is the Coulston interval (σ = τ̂·sd/1.96), independently for
 * I_root and each I_bulk layer, then back-transformed; I_root is split over the layers in
 * proportion to the drawn I_bulk (001's I_bulk-shaped root distribution where no root data exist);
 * I_loss_j = I_root,j − I_bulk,j and in total I_root − ΣI_bulk; summaries are the mean, the median
 * and the margin of deviation / mean = (q97.5 − q2.5)/2 / |mean|.
 */
function ilossMonteCarlo(task: MapTileTask, stats: { mean: Float64Array; sd: Float64Array }[]): Record<string, Float32Array> {
  const spec = task.iloss!;
  const { n } = task;
  const L = spec.ibulk.length;
  const D = spec.draws;
  const out: Record<string, Float32Array> = {};
  const names = [...spec.layerNames.map((l) => `iloss_${l}`), 'iloss_total', 'ilossfraction_total', ...spec.layerNames.map((l) => `irootlayer_${l}`)];
  for (const nm of names) {
    for (const s of ['mean', 'median', 'relunc']) out[`${nm}_${s}`] = new Float32Array(n).fill(NaN);
  }
  const rng = new SeededRng(SeededRng.streamSeed(spec.seed, spec.stream));
  const drawsByOutput = names.map(() => new Float64Array(D));
  const ib = new Float64Array(L);
  const models = task.models;
  const scale = (k: number, i: number): [number, number, boolean] => [stats[k].mean[i], (models[k].tau * stats[k].sd[i]) / Z95, models[k].target.transform === 'log'];
  for (let i = 0; i < n; i++) {
    if (Number.isNaN(stats[spec.iroot].mean[i]) || spec.ibulk.some((k) => Number.isNaN(stats[k].mean[i]))) continue;
    const [mr, sr, lr] = scale(spec.iroot, i);
    for (let d = 0; d < D; d++) {
      const zr = mr + sr * rng.normal();
      const ir = lr ? Math.exp(zr) : zr;
      let sum = 0;
      for (let j = 0; j < L; j++) {
        const [mb, sb, lb] = scale(spec.ibulk[j], i);
        const zb = mb + sb * rng.normal();
        ib[j] = lb ? Math.exp(zb) : zb;
        sum += ib[j];
      }
      for (let j = 0; j < L; j++) {
        const irj = sum > 0 ? (ir * ib[j]) / sum : NaN;
        drawsByOutput[j][d] = irj - ib[j];
        drawsByOutput[L + 2 + j][d] = irj;
      }
      drawsByOutput[L][d] = ir - sum;
      drawsByOutput[L + 1][d] = (ir - sum) / ir;
    }
    names.forEach((nm, k) => {
      const s = summarise(drawsByOutput[k]);
      out[`${nm}_mean`][i] = s.mean;
      out[`${nm}_median`][i] = s.median;
      out[`${nm}_relunc`][i] = s.relunc;
    });
  }
  return out;
}

/** Mean, median (type 7) and (q97.5 − q2.5)/2/|mean| of draws (reordered in place). */
export function summarise(x: Float64Array): { mean: number; median: number; relunc: number } {
  const n = x.length;
  let s = 0;
  for (let i = 0; i < n; i++) s += x[i];
  const mean = s / n;
  const q = (p: number) => {
    const h = (n - 1) * p;
    const lo = Math.floor(h);
    const a = select(x, lo);
    if (h === lo || lo + 1 >= n) return a;
    const b = select(x, lo + 1);
    return a + (h - lo) * (b - a);
  };
  const median = q(0.5);
  const relunc = (q(0.975) - q(0.025)) / 2 / Math.abs(mean);
  return { mean, median, relunc };
}

/** k-th smallest of x (Hoare's quickselect with median-of-three; reorders x). */
function select(x: Float64Array, k: number): number {
  let lo = 0;
  let hi = x.length - 1;
  while (hi > lo) {
    const mid = (lo + hi) >> 1;
    const a = x[lo];
    const b = x[mid];
    const c = x[hi];
    const pivot = a < b ? (b < c ? b : a < c ? c : a) : a < c ? a : b < c ? c : b;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (x[i] < pivot) i++;
      while (x[j] > pivot) j--;
      if (i <= j) {
        const t = x[i];
        x[i] = x[j];
        x[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return x[k];
  }
  return x[k];
}
