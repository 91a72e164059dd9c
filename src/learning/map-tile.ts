import { SeededRng } from '../numerics/random.js';
import { DRAW_SUMMARIES, summariseDrawsInto } from '../numerics/draw-summary.js';
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

/** 003 Eq 4 per cell: the stock between d0 and d from the predicted β and the stock above d0. */
export interface StockExtrapolationSpec {
  readonly beta: number;
  readonly topsoil: number;
  readonly d0Cm: number;
  readonly dCm: number;
  readonly name: string;
}

export interface MapTileTask {
  readonly columns: Float64Array[];
  readonly n: number;
  readonly models: readonly TileModel[];
  readonly iloss?: IlossSpec;
  readonly stockExtrapolation?: StockExtrapolationSpec;
}

/** z of the central 95 % normal interval. */
const Z95 = 1.959963984540054;

/** Output rasters of a tile by name (Float32, NaN = NoData), and counts. */
export interface MapTileResult {
  readonly outputs: Record<string, Float32Array>;
  /** Cells with all covariates, cells with a level unseen in training (predicted, right branch). */
  readonly predicted: number;
  readonly unseenLevel: number;
  /** With I_loss: max over cells of |Σ_j I_loss_j − I_loss_total| / (|I_loss_total| + Σ_j |I_loss_j|) (Monte Carlo means, double). */
  readonly ilossLayerSumError?: number;
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
  let ilossLayerSumError: number | undefined;
  if (task.iloss) {
    const mc = ilossMonteCarlo(task.iloss, n, task.models, stats);
    Object.assign(outputs, mc.outputs);
    ilossLayerSumError = mc.layerSumError;
  }
  const se = task.stockExtrapolation;
  if (se) {
    // X_d − X_d0 = ((1 − β^d)/(1 − β^d0) − 1)·X_d0 (003 Eq 4), from the two maps' predictions.
    const b = outputs[`${task.models[se.beta].name}_mean`];
    const x0 = outputs[`${task.models[se.topsoil].name}_mean`];
    const v = new Float32Array(n);
    for (let i = 0; i < n; i++) v[i] = ((1 - b[i] ** se.dCm) / (1 - b[i] ** se.d0Cm) - 1) * x0[i];
    outputs[`${se.name}_mean`] = v;
  }
  return { outputs, predicted, unseenLevel, ilossLayerSumError };
}

/**
 * Per cell, `draws` Monte Carlo draws (001 Methods): each model-scale prediction is drawn from the
 * normal whose central 95 % interval is the Coulston interval (σ = τ̂·sd/1.96 on the scale the model
 * was trained on, ln for logged targets), independently for I_root and each I_bulk layer, then
 * back-transformed; I_root is split over the layers in proportion to the drawn I_bulk (001's
 * I_bulk-shaped root distribution where no root data exist); I_loss_j = I_root,j − I_bulk,j, in
 * total I_root − ΣI_bulk, and I_loss/I_root per draw. Summaries: mean and median (001 estimates
 * both), the 2.5/97.5 % points (`lower`, `upper`), and the relative uncertainty
 * (q97.5 − q2.5)/2 / |median|. The median is the central value (as exp(ȳ̂) is for the component
 * maps): with ln-scale σ of 2–3 the mean of the back-transformed draws is dominated by a few tail
 * draws (e^{σ²/2}) and I_loss/I_root by draws of I_root near 0, so the mean is kept but unstable.
 */
export type IlossModelInfo = Pick<TileModel, 'tau' | 'target'>;

/** Summaries per Monte Carlo quantity (numerics/draw-summary.ts, shared with the site budget). */
export const ILOSS_SUMMARIES = DRAW_SUMMARIES;

export function ilossMonteCarlo(spec: IlossSpec, n: number, models: readonly IlossModelInfo[], stats: readonly { mean: ArrayLike<number>; sd: ArrayLike<number> }[]): { outputs: Record<string, Float32Array>; layerSumError: number } {
  const L = spec.ibulk.length;
  const D = spec.draws;
  const out: Record<string, Float32Array> = {};
  const names = [...spec.layerNames.map((l) => `iloss_${l}`), 'iloss_total', 'ilossfraction_total'];
  for (const nm of names) {
    for (const s of ILOSS_SUMMARIES) out[`${nm}_${s}`] = new Float32Array(n).fill(NaN);
  }
  const outBy = ILOSS_SUMMARIES.map((s) => names.map((nm) => out[`${nm}_${s}`]));
  const rng = new SeededRng(SeededRng.streamSeed(spec.seed, spec.stream));
  const drawsByOutput = names.map(() => new Float64Array(D));
  const ib = new Float64Array(L);
  const mb = new Float64Array(L);
  const sb = new Float64Array(L);
  const lb = new Uint8Array(L);
  const r = spec.iroot;
  const lr = models[r].target.transform === 'log';
  for (let j = 0; j < L; j++) lb[j] = models[spec.ibulk[j]].target.transform === 'log' ? 1 : 0;
  const sum5 = new Float64Array(ILOSS_SUMMARIES.length);
  let worst = 0;
  for (let i = 0; i < n; i++) {
    if (Number.isNaN(stats[r].mean[i]) || spec.ibulk.some((k) => Number.isNaN(stats[k].mean[i]))) continue;
    const mr = stats[r].mean[i];
    const sr = (models[r].tau * stats[r].sd[i]) / Z95;
    for (let j = 0; j < L; j++) {
      const k = spec.ibulk[j];
      mb[j] = stats[k].mean[i];
      sb[j] = (models[k].tau * stats[k].sd[i]) / Z95;
    }
    for (let d = 0; d < D; d++) {
      const zr = mr + sr * rng.normal32();
      const ir = lr ? Math.exp(zr) : zr;
      let sum = 0;
      for (let j = 0; j < L; j++) {
        const zb = mb[j] + sb[j] * rng.normal32();
        const v = lb[j] === 1 ? Math.exp(zb) : zb;
        ib[j] = v;
        sum += v;
      }
      const share = sum > 0 ? ir / sum : NaN;
      for (let j = 0; j < L; j++) drawsByOutput[j][d] = ib[j] * share - ib[j];
      drawsByOutput[L][d] = ir - sum;
      drawsByOutput[L + 1][d] = (ir - sum) / ir;
    }
    let layerSum = 0;
    let layerAbs = 0;
    for (let k = 0; k < names.length; k++) {
      summariseDrawsInto(drawsByOutput[k], sum5);
      for (let q = 0; q < sum5.length; q++) outBy[q][k][i] = sum5[q];
      if (k < L) {
        layerSum += sum5[0];
        layerAbs += Math.abs(sum5[0]);
      } else if (k === L) worst = Math.max(worst, Math.abs(layerSum - sum5[0]) / (Math.abs(sum5[0]) + layerAbs || 1));
    }
  }
  return { outputs: out, layerSumError: worst };
}
