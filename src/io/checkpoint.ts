import { existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { InputError } from '../core/errors.js';
import { writeFileAtomic } from './atomic.js';

/**
 * Checkpoints of a running scenario (`rhizocarb run … --checkpoint-every N`, `--resume <dir>`).
 * A checkpoint lives in the run's staging folder (`.out.partial-<pid>-<hex>/checkpoint/`) and is
 * removed when the run commits, so a finished result holds exactly what an uninterrupted run
 * writes. Its state is any plain data a scenario kind hands over — objects, arrays, strings,
 * booleans, null, numbers and typed arrays — stored bit for bit: typed arrays as raw bytes in
 * `state-<step>.bin`, the rest as JSON in `state-<step>.json` with NaN, ±Infinity and −0 tagged.
 * `meta.json` is written last (atomically) and names the state files, so a run killed while
 * saving leaves the previous checkpoint readable.
 */
export const CHECKPOINT_DIR = 'checkpoint';

export interface CheckpointMeta {
  readonly format: 'rhizocarb-checkpoint';
  readonly formatVersion: 1;
  readonly kind: string;
  readonly version: string;
  /** SHA-256 of the resolved scenario: a checkpoint resumes only the same simulation. */
  readonly scenarioHash: string;
  /** Steps finished when the state was saved (the kind's own count). */
  readonly stepsDone: number;
  /** The --out folder of the run. */
  readonly target: string;
  readonly created: string;
  readonly json: string;
  readonly bin: string;
}

const TYPED = {
  Float64Array, Float32Array, Int32Array, Uint32Array, Int16Array, Uint16Array, Int8Array, Uint8Array,
} as const;
type TypedName = keyof typeof TYPED;
type Typed = InstanceType<(typeof TYPED)[TypedName]>;

function typedName(v: unknown): TypedName | undefined {
  for (const name of Object.keys(TYPED) as TypedName[]) if (v instanceof TYPED[name]) return name;
  return undefined;
}

/** Encode a state: JSON text (typed arrays replaced by references into `bin`) and the binary block. */
export function encodeState(value: unknown): { json: string; bin: Uint8Array } {
  const chunks: Typed[] = [];
  let offset = 0;
  const walk = (v: unknown, path: string): unknown => {
    if (typeof v === 'number') {
      if (Number.isNaN(v)) return { $num: 'NaN' };
      if (v === Infinity) return { $num: 'Infinity' };
      if (v === -Infinity) return { $num: '-Infinity' };
      if (Object.is(v, -0)) return { $num: '-0' };
      return v;
    }
    if (v === null || typeof v === 'string' || typeof v === 'boolean') return v;
    if (v === undefined) return { $undefined: true };
    const tn = typedName(v);
    if (tn) {
      const a = v as Typed;
      offset = Math.ceil(offset / 8) * 8;
      const ref = { $typed: tn, offset, length: a.length };
      chunks.push(a);
      offset += a.byteLength;
      return ref;
    }
    if (Array.isArray(v)) return v.map((x, i) => walk(x, `${path}[${i}]`));
    if (typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
        if (k.startsWith('$')) throw new Error(`checkpoint state: key ${path}.${k} may not start with $`);
        out[k] = walk(x, `${path}.${k}`);
      }
      return out;
    }
    throw new Error(`checkpoint state: ${path} is a ${Object.prototype.toString.call(v)}, not plain data`);
  };
  const tree = walk(value, 'state');
  const bin = new Uint8Array(offset);
  let o = 0;
  for (const a of chunks) {
    o = Math.ceil(o / 8) * 8;
    bin.set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), o);
    o += a.byteLength;
  }
  return { json: JSON.stringify(tree), bin };
}

/** Inverse of {@link encodeState}. */
export function decodeState(json: string, bin: Uint8Array): unknown {
  const walk = (v: unknown): unknown => {
    if (v === null || typeof v !== 'object') return v;
    if (Array.isArray(v)) return v.map(walk);
    const o = v as Record<string, unknown>;
    if (typeof o.$num === 'string') return o.$num === '-0' ? -0 : Number(o.$num);
    if (o.$undefined === true) return undefined;
    if (typeof o.$typed === 'string') {
      const Ctor = TYPED[o.$typed as TypedName];
      const n = o.length as number;
      const start = o.offset as number;
      const bytes = bin.slice(start, start + n * Ctor.BYTES_PER_ELEMENT);
      return new Ctor(bytes.buffer, 0, n);
    }
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(o)) out[k] = walk(x);
    return out;
  };
  return walk(JSON.parse(json));
}

/** Write a checkpoint into `dir` (the staging folder): state files first, then meta.json, then drop older states. */
export function writeCheckpoint(dir: string, meta: Omit<CheckpointMeta, 'format' | 'formatVersion' | 'json' | 'bin' | 'created'>, state: unknown): void {
  const cdir = join(dir, CHECKPOINT_DIR);
  const { json, bin } = encodeState(state);
  const names = { json: `state-${meta.stepsDone}.json`, bin: `state-${meta.stepsDone}.bin` };
  writeFileAtomic(join(cdir, names.bin), bin);
  writeFileAtomic(join(cdir, names.json), json);
  const full: CheckpointMeta = { format: 'rhizocarb-checkpoint', formatVersion: 1, ...meta, created: new Date().toISOString(), ...names };
  writeFileAtomic(join(cdir, 'meta.json'), JSON.stringify(full, null, 2) + '\n');
  for (const f of readdirSync(cdir)) if (/^state-\d+\.(json|bin)$/.test(f) && f !== names.json && f !== names.bin) rmSync(join(cdir, f), { force: true });
}

/** Read the checkpoint of a staging folder (meta and decoded state). */
export function readCheckpoint(dir: string): { meta: CheckpointMeta; state: unknown } {
  const mfile = join(dir, CHECKPOINT_DIR, 'meta.json');
  let meta: CheckpointMeta;
  try {
    meta = JSON.parse(readFileSync(mfile, 'utf8')) as CheckpointMeta;
    if (meta.format !== 'rhizocarb-checkpoint') throw new Error('not a rhizocarb checkpoint');
  } catch (e) {
    throw new InputError({ file: mfile, keyPath: '--resume', expected: 'a rhizocarb checkpoint (meta.json)', detail: (e as Error).message });
  }
  const json = readFileSync(join(dir, CHECKPOINT_DIR, meta.json), 'utf8');
  const bin = new Uint8Array(readFileSync(join(dir, CHECKPOINT_DIR, meta.bin)));
  return { meta, state: decodeState(json, bin) };
}

const STAGING_RE = /^\.(.+)\.partial-(\d+)-[0-9a-f]+$/;

/**
 * The staging folder to resume from: `dir` itself when it is a staging folder with a checkpoint,
 * else the newest staging folder of target `dir` (`.<name>.partial-…` next to it) holding a
 * checkpoint. Throws InputError naming `--resume` when there is none.
 */
export function findResumableStaging(dir: string): string {
  const abs = resolve(dir);
  const has = (p: string) => existsSync(join(p, CHECKPOINT_DIR, 'meta.json'));
  if (STAGING_RE.test(basename(abs)) && has(abs)) return abs;
  const parent = dirname(abs);
  let names: string[] = [];
  try {
    names = readdirSync(parent);
  } catch {
    // no parent folder: nothing to resume
  }
  const found = names
    .filter((n) => STAGING_RE.exec(n)?.[1] === basename(abs) && has(join(parent, n)))
    .map((n) => join(parent, n))
    .sort((a, b) => statSync(join(b, CHECKPOINT_DIR, 'meta.json')).mtimeMs - statSync(join(a, CHECKPOINT_DIR, 'meta.json')).mtimeMs);
  if (found.length === 0) throw new InputError({ keyPath: '--resume', value: dir, expected: `an interrupted run with a checkpoint: a staging folder .${basename(abs)}.partial-… with checkpoint/meta.json next to ${abs} (runs write one with --checkpoint-every N)` });
  return found[0];
}

/** Process id in a staging folder's name. */
export function stagingPid(dir: string): number | undefined {
  const m = STAGING_RE.exec(basename(dir));
  return m ? Number(m[2]) : undefined;
}
