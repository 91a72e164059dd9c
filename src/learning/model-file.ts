import type { FeatureBins, FeatureSpec } from './binning.js';
import type { Forest } from './forest.js';
import type { BoostedTrees } from './gbt.js';
import type { LinearModel, } from './linear.js';
import type { MappingModel } from './model.js';
import type { TreeArrays } from './tree.js';

/**
 * Versioned model files (LEARNING.md: "format version, feature names and units, bins, trees,
 * training summary"). JSON with typed arrays as base64 (little-endian). Reading checks the format
 * name and version: a file of a version this code does not know fails with a message that names
 * the file, its version and the versions supported; older versions are converted by MIGRATIONS.
 */
export const MODEL_FORMAT = 'rhizocarb-model';
export const MODEL_FORMAT_VERSION = 1;

/** Converters from older format versions to the next one (none yet: version 1 is the first). */
const MIGRATIONS: Record<number, (doc: Record<string, unknown>) => Record<string, unknown>> = {};

export class ModelFileError extends Error {
  constructor(
    readonly source: string,
    message: string,
  ) {
    super(`${source}: ${message}`);
    this.name = 'ModelFileError';
  }
}

type Typed = Int16Array | Uint8Array | Float64Array | Int32Array | Uint32Array;
const KINDS = { Int16Array, Uint8Array, Float64Array, Int32Array, Uint32Array } as const;
type KindName = keyof typeof KINDS;

interface EncodedArray {
  readonly type: KindName;
  readonly length: number;
  readonly base64: string;
}

function toBase64(bytes: Uint8Array): string {
  let s = '';
  const CH = 0x8000;
  for (let i = 0; i < bytes.length; i += CH) s += String.fromCharCode.apply(null, Array.from(bytes.subarray(i, i + CH)));
  return btoa(s);
}

function fromBase64(b64: string): Uint8Array {
  const s = atob(b64);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

function encodeArray(a: Typed): EncodedArray {
  const type = a.constructor.name as KindName;
  return { type, length: a.length, base64: toBase64(new Uint8Array(a.buffer, a.byteOffset, a.byteLength)) };
}

function decodeArray<T extends Typed>(e: unknown, want: KindName, where: string, source: string): T {
  const x = e as EncodedArray;
  if (!x || x.type !== want || typeof x.base64 !== 'string' || !Number.isInteger(x.length)) throw new ModelFileError(source, `${where}: expected an encoded ${want}`);
  const bytes = fromBase64(x.base64);
  const C = KINDS[want];
  if (bytes.length !== x.length * C.BYTES_PER_ELEMENT) throw new ModelFileError(source, `${where}: ${bytes.length} bytes for ${x.length} values of ${want} (file damaged?)`);
  const buf = new ArrayBuffer(bytes.length);
  new Uint8Array(buf).set(bytes);
  return new C(buf) as T;
}

function encodeTrees(t: TreeArrays, treeStart: Int32Array) {
  return {
    treeStart: encodeArray(treeStart),
    feature: encodeArray(t.feature),
    splitBin: encodeArray(t.splitBin),
    threshold: encodeArray(t.threshold),
    catSet: encodeArray(t.catSet),
    left: encodeArray(t.left),
    value: encodeArray(t.value),
    bitsets: encodeArray(t.bitsets),
  };
}

function decodeTrees(e: Record<string, unknown>, where: string, src: string): { trees: TreeArrays; treeStart: Int32Array } {
  const d = <T extends Typed>(k: string, kind: KindName) => decodeArray<T>(e?.[k], kind, `${where}.${k}`, src);
  const trees: TreeArrays = {
    feature: d('feature', 'Int16Array'),
    splitBin: d('splitBin', 'Uint8Array'),
    threshold: d('threshold', 'Float64Array'),
    catSet: d('catSet', 'Int32Array'),
    left: d('left', 'Int32Array'),
    value: d('value', 'Float64Array'),
    bitsets: d('bitsets', 'Uint32Array'),
  };
  const treeStart = d<Int32Array>('treeStart', 'Int32Array');
  const nodes = trees.value.length;
  if (treeStart[treeStart.length - 1] !== nodes) throw new ModelFileError(src, `${where}: tree offsets do not match the ${nodes} nodes`);
  for (const k of ['feature', 'splitBin', 'threshold', 'catSet', 'left'] as const) {
    if (trees[k].length !== nodes) throw new ModelFileError(src, `${where}.${k}: ${trees[k].length} entries for ${nodes} nodes`);
  }
  for (let i = 0; i < nodes; i++) if (trees.left[i] >= nodes || trees.catSet[i] + 8 > Math.max(8, trees.bitsets.length)) throw new ModelFileError(src, `${where}: node ${i} points outside the tree arrays`);
  return { trees, treeStart };
}

function encodeBins(b: readonly FeatureBins[]) {
  return b.map((x) => ({ name: x.name, unit: x.unit ?? '', kind: x.kind, thresholds: Array.from(x.thresholds), levels: Array.from(x.levels) }));
}

function decodeBins(e: unknown, src: string): FeatureBins[] {
  if (!Array.isArray(e)) throw new ModelFileError(src, 'bins: expected a list');
  return e.map((x: Record<string, unknown>, j) => {
    if (typeof x.name !== 'string' || (x.kind !== 'numeric' && x.kind !== 'categorical') || !Array.isArray(x.thresholds) || !Array.isArray(x.levels)) {
      throw new ModelFileError(src, `bins[${j}]: expected name, kind (numeric|categorical), thresholds, levels`);
    }
    return { name: x.name, unit: (x.unit as string) || undefined, kind: x.kind, thresholds: Float64Array.from(x.thresholds as number[]), levels: Float64Array.from(x.levels as number[]) };
  });
}

/** The JSON document of a model; `meta` records e.g. the package version and the input files. */
export function modelToDocument(m: MappingModel, meta: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    format: MODEL_FORMAT,
    formatVersion: MODEL_FORMAT_VERSION,
    meta,
    target: m.target,
    features: m.features.map((f) => ({ name: f.name, unit: f.unit ?? '', kind: f.kind })),
    training: m.training,
    intervals: m.tau,
    forest: { params: { ...m.forest.params, maxDepth: Number.isFinite(m.forest.params.maxDepth) ? m.forest.params.maxDepth : null }, bins: encodeBins(m.forest.bins), ...encodeTrees(m.forest.trees, m.forest.treeStart) },
    boosted: m.boosted ? { params: m.boosted.params, base: m.boosted.base, bins: encodeBins(m.boosted.bins), ...encodeTrees(m.boosted.trees, m.boosted.treeStart) } : null,
    linear: m.linear ? { features: m.linear.features, scaling: m.linear.scaling, coefficients: Array.from(m.linear.coefficients) } : null,
    ensemble: m.ensemble ?? null,
  };
}

/** Parse a model document (already JSON-parsed); `source` names the file in errors. */
export function modelFromDocument(doc: unknown, source: string): MappingModel {
  if (!doc || typeof doc !== 'object' || (doc as Record<string, unknown>).format !== MODEL_FORMAT) {
    throw new ModelFileError(source, `not a rhizocarb model file (expected "format": "${MODEL_FORMAT}")`);
  }
  let d = doc as Record<string, unknown>;
  let v = d.formatVersion;
  if (!Number.isInteger(v)) throw new ModelFileError(source, `formatVersion ${JSON.stringify(v)} is not an integer`);
  while ((v as number) < MODEL_FORMAT_VERSION && MIGRATIONS[v as number]) {
    d = MIGRATIONS[v as number](d);
    v = d.formatVersion;
  }
  if (v !== MODEL_FORMAT_VERSION) {
    const newer = (v as number) > MODEL_FORMAT_VERSION;
    throw new ModelFileError(source, `model format version ${v} ${newer ? 'is newer than this rhizocarb reads' : 'is no longer supported'} (supported: ${MODEL_FORMAT_VERSION}${newer ? '; upgrade rhizocarb' : '; retrain the model'})`);
  }
  const target = d.target as MappingModel['target'];
  if (!target || typeof target.name !== 'string' || (target.transform !== 'none' && target.transform !== 'log')) throw new ModelFileError(source, 'target: expected name and transform (none|log)');
  const features = d.features as FeatureSpec[];
  if (!Array.isArray(features) || features.some((f) => typeof f.name !== 'string')) throw new ModelFileError(source, 'features: expected a list of {name, unit, kind}');
  const fd = d.forest as Record<string, unknown>;
  if (!fd) throw new ModelFileError(source, 'forest: missing');
  const fp = fd.params as Forest['params'] & { maxDepth: number | null };
  const bins = decodeBins(fd.bins, source);
  if (bins.length !== features.length) throw new ModelFileError(source, `forest.bins: ${bins.length} features, the model lists ${features.length}`);
  const ft = decodeTrees(fd, 'forest', source);
  const forest: Forest = { bins, params: { ...fp, maxDepth: fp.maxDepth ?? Infinity }, trees: ft.trees, treeStart: ft.treeStart };
  const tau = d.intervals as MappingModel['tau'];
  if (!tau || typeof tau.tau !== 'object') throw new ModelFileError(source, 'intervals: expected the τ̂ estimate');
  let boosted: BoostedTrees | undefined;
  if (d.boosted) {
    const b = d.boosted as Record<string, unknown>;
    const bt = decodeTrees(b, 'boosted', source);
    boosted = { params: b.params as BoostedTrees['params'], base: b.base as number, bins: decodeBins(b.bins, source), trees: bt.trees, treeStart: bt.treeStart };
  }
  let linear: LinearModel | undefined;
  if (d.linear) {
    const l = d.linear as { features: FeatureSpec[]; scaling: number[][]; coefficients: number[] };
    linear = { features: l.features, scaling: l.scaling, coefficients: Float64Array.from(l.coefficients) };
  }
  return {
    target,
    features: features.map((f) => ({ name: f.name, unit: f.unit || undefined, kind: f.kind })),
    forest,
    tau,
    boosted,
    linear,
    ensemble: (d.ensemble as MappingModel['ensemble']) ?? undefined,
    training: d.training as MappingModel['training'],
  };
}
