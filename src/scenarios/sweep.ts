import { createHash } from 'node:crypto';
import { dirname, isAbsolute, resolve as resolvePath } from 'node:path';
import { z } from 'zod';
import { InputError, InputErrors } from '../core/errors.js';
import { packageVersion } from '../io/paths.js';
import { applyOverrides, keyPathParts, objectSource, parseOverride, readYamlFile, validateWithSchema, type Override, type SourceDocument } from './load.js';
import { doc } from './params-schema.js';
import { resolveScenario, scenarioHash, ScenarioDocument, type ResolvedScenario } from './run.js';

/**
 * Sweep files (`kind: sweep`, docs/SWEEPS.md): a base scenario and a set of overrides — a grid
 * (the cartesian product of value lists per dotted key path), a `list:` of override objects, or
 * both (every list entry at every grid point) — times optional seeds. {@link loadSweep} expands
 * them into tasks, each validated and resolved by the scenario pipeline, and names each task by
 * the hash of its resolved scenario and the package version ({@link taskHash}).
 */

/** A sweep of more tasks than this needs `--yes` (library: `yes: true`). */
export const SWEEP_CONFIRM_TASKS = 10_000;
/** Hard limit of tasks in one sweep (every task's resolved scenario is held in memory). */
export const SWEEP_MAX_TASKS = 1_000_000;

const rangeSchema = z
  .strictObject({
    from: z.number().meta(doc('first value')),
    to: z.number().meta(doc('last value (included when reached by the steps)')),
    step: z.number().positive().default(1).meta(doc('increment')),
  })
  .meta(doc('the values from, from + step, …, up to to'));

const gridValues = z.union([z.array(z.unknown()).meta(doc('the values the key takes')), rangeSchema], { error: () => 'a list of values or {from, to, step}' });

export const sweepSchema = z.strictObject({
  kind: z.literal('sweep').meta(doc('scenario kind')),
  name: z.string().min(1).default('sweep').meta(doc('name of the sweep (sweep.json, catalogue)')),
  description: z.string().optional().meta(doc('free text')),
  base: z
    .union([z.string().min(1), z.record(z.string(), z.unknown())], { error: () => 'a scenario file path (relative to the sweep file) or an inline scenario mapping' })
    .meta(doc('the base scenario: a file path relative to this file, or an inline scenario (any kind but sweep)')),
  overrides: z.record(z.string(), gridValues).optional().meta(doc('the grid: dotted key path into the base scenario → list of values or {from, to, step}; tasks = cartesian product')),
  list: z.array(z.record(z.string(), z.unknown())).optional().meta(doc('alternative to (or combined with) the grid: a list of override objects {dotted.key: value, …}, one task each')),
  seeds: z
    .strictObject({
      key: z.string().meta(doc('dotted key path of the seed in the base scenario, e.g. monteCarlo.seed')),
      values: z.array(z.int()).min(1).optional().meta(doc('the seeds')),
      count: z.int().min(1).optional().meta(doc('number of seeds start, start + 1, … (instead of values)')),
      start: z.int().default(1).meta(doc('first seed when count is given')),
    })
    .optional()
    .meta(doc('repeat every task with each seed (one more grid dimension)')),
  attempts: z.int().min(1).max(20).default(3).meta(doc('tries of a task before it is marked failed (a worker that dies, a task that throws)')),
  analyse: z.enum(['dry-spells']).optional().meta(doc('analysis the CLI runs on the sweep folder when every task is done: dry-spells = `rhizocarb analyse dry-spells <out>` into <out>/analysis')),
  checkpointEvery: z
    .union([z.int().min(1), z.literal('off')], { error: () => 'a whole number of steps ≥ 1, or off' })
    .optional()
    .meta(doc("steps between checkpoints of a task whose kind writes them, saved in the sweep folder (tasks/.checkpoints/<hash>/): a killed, interrupted or retried task continues from its last one; default the kind's (coupled: 6 h of simulated time, 18 steps of 20 min; other kinds none); off: none; CLI --checkpoint-every")),
  allowLong: z.boolean().default(false).meta(doc("run tasks whose work estimate exceeds their kind's documented limit (long runs on purpose, e.g. the dry-spells matrix); CLI --allow-long")),
});

export type SweepInput = z.infer<typeof sweepSchema>;

export interface SweepTaskSpec {
  /** Position in the sweep (grid order). */
  readonly index: number;
  /** Task identity: hash of the resolved scenario and the package version. */
  readonly hash: string;
  /** The overrides of this task, dotted key path → value. */
  readonly overrides: Readonly<Record<string, unknown>>;
  readonly resolved: ResolvedScenario;
}

export interface Sweep {
  readonly name: string;
  readonly description?: string;
  /** The sweep file (absolute), or null for an inline sweep. */
  readonly file: string | null;
  readonly version: string;
  readonly attempts: number;
  /** Tasks may exceed their kind's work limit (sweep file `allowLong`). */
  readonly allowLong?: boolean;
  /** Analysis to run on the sweep folder when every task is done (CLI), e.g. `dry-spells`. */
  readonly analyse?: 'dry-spells';
  /** Steps between checkpoints of tasks whose kind writes them (sweep file `checkpointEvery`); absent: the kind's default. */
  readonly checkpointEvery?: number | 'off';
  readonly tasks: readonly SweepTaskSpec[];
}

export interface LoadSweepOptions {
  /** Confirm a sweep of more than {@link SWEEP_CONFIRM_TASKS} tasks. */
  readonly yes?: boolean;
  /** Package version the task hashes include (default: this package's). */
  readonly version?: string;
  /** For sweep objects: folder relative paths start from (default cwd). */
  readonly baseDir?: string;
  /**
   * `--set key.path=value` overrides applied to every task after its own (e.g. `time.end_d=10.5` for a
   * quick look); the tasks' hashes change with them.
   */
  readonly set?: readonly string[];
  /**
   * `--only` selectors: keep the tasks matching any of them. A selector is `a/b/…`; a task matches
   * when each part equals one of its override values (or `key=value` of one of its overrides), e.g.
   * `lateDry/highMB`, `lateDry`, `parameterSet=highCO2`.
   */
  readonly only?: readonly string[];
}

/** Does a task (its overrides) match an `--only` selector (see {@link LoadSweepOptions.only})? */
export function taskMatches(overrides: Readonly<Record<string, unknown>>, selector: string): boolean {
  const entries = Object.entries(overrides);
  return selector.split('/').map((p) => p.trim()).filter((p) => p !== '').every((part) => {
    const eq = part.indexOf('=');
    if (eq > 0) return entries.some(([k, v]) => k === part.slice(0, eq) && String(v) === part.slice(eq + 1));
    return entries.some(([, v]) => (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') && String(v) === part);
  });
}

/** Task identity: SHA-256 of the package version and the resolved scenario's hash (24 hex digits). */
export function taskHash(resolved: ResolvedScenario, version: string): string {
  return createHash('sha256').update(`rhizocarb-task\n${version}\n${scenarioHash(resolved)}`).digest('hex').slice(0, 24);
}

type Dim = { key: string; path: (string | number)[]; values: unknown[]; at: (string | number)[] };

function rangeValues(r: { from: number; to: number; step: number }): unknown[] {
  const n = Math.floor((r.to - r.from) / r.step + 1e-9) + 1;
  return Array.from({ length: Math.max(0, Math.min(n, SWEEP_MAX_TASKS + 1)) }, (_, i) => Number((r.from + i * r.step).toPrecision(15)));
}

/** Read a sweep file (YAML/JSON) and expand it (see {@link expandSweep}). Throws InputError(s). */
export function loadSweepFile(file: string, options: LoadSweepOptions = {}): Sweep {
  return expandSweep(readYamlFile(file), { ...options, baseDir: dirname(resolvePath(file)) }, resolvePath(file));
}

/** A sweep given as an object (library callers, e.g. the dry-spells matrix). */
export function sweepFromObject(data: Record<string, unknown>, options: LoadSweepOptions = {}): Sweep {
  return expandSweep(objectSource(data, '<sweep>'), options, null);
}

/**
 * Validate a sweep document and expand it into tasks: the key paths are parsed, the task count is
 * checked against the limits before anything is expanded, and every task's scenario goes through
 * the scenario pipeline's validation and resolution (errors name the sweep file's line of the
 * override, and the task). Equal resolved scenarios give one task.
 */
export function expandSweep(source: SourceDocument, options: LoadSweepOptions, file: string | null): Sweep {
  const data = source.data;
  if (data === null || typeof data !== 'object' || Array.isArray(data)) throw new InputError({ file: source.file, value: data, expected: 'a YAML mapping with kind: sweep' });
  const s = validateWithSchema(source, sweepSchema, data);
  const err = (path: (string | number)[], value: unknown, expected: string, detail?: string) => new InputError({ file: source.file, keyPath: path.join('.'), value, ...source.locate(path), expected, detail });
  const baseDir = options.baseDir ?? process.cwd();

  // The base scenario.
  let base: SourceDocument;
  let baseDirOfBase = baseDir;
  if (typeof s.base === 'string') {
    const p = isAbsolute(s.base) ? s.base : resolvePath(baseDir, s.base);
    base = readYamlFile(p);
    baseDirOfBase = dirname(p);
  } else {
    base = { file: source.file, data: s.base, locate: (path) => source.locate(['base', ...path]) };
  }
  const baseKind = (base.data as { kind?: unknown } | null)?.kind;
  if (baseKind === 'sweep') throw err(['base'], s.base, 'a scenario of any kind but sweep (sweeps do not nest)');

  // Dimensions of the grid, then the list and the seeds.
  const errors: InputError[] = [];
  const parse = (key: string, at: (string | number)[]) => {
    const p = keyPathParts(key);
    if (typeof p === 'string') errors.push(err(at, key, p));
    return typeof p === 'string' ? [] : p;
  };
  const dims: Dim[] = [];
  for (const [key, v] of Object.entries(s.overrides ?? {})) {
    const values = Array.isArray(v) ? v : rangeValues(v);
    const at = ['overrides', key];
    if (values.length === 0) errors.push(err(at, v, Array.isArray(v) ? 'a non-empty list of values (an empty list makes an empty grid)' : 'a range with to ≥ from (this one is empty)'));
    dims.push({ key, path: parse(key, at), values, at });
  }
  if (s.overrides && Object.keys(s.overrides).length === 0) errors.push(err(['overrides'], s.overrides, 'at least one key path with its values (the grid is empty)'));
  if (s.list && s.list.length === 0) errors.push(err(['list'], s.list, 'at least one override object (the list is empty)'));
  const list = (s.list ?? []).map((o, i) => Object.entries(o).map(([key, value]) => ({ key, value, path: parse(key, ['list', i, key]), at: ['list', i, key] as (string | number)[] })));
  if (s.seeds) {
    const values = s.seeds.values ?? (s.seeds.count !== undefined ? Array.from({ length: s.seeds.count }, (_, i) => s.seeds!.start + i) : undefined);
    if (!values) errors.push(err(['seeds'], s.seeds, 'values: [..] or count: n'));
    else dims.push({ key: s.seeds.key, path: parse(s.seeds.key, ['seeds', 'key']), values, at: ['seeds', 'key'] });
  }
  if (!s.overrides && !s.list && !s.seeds) errors.push(err(['overrides'], undefined, 'a grid (overrides:), a list (list:) or seeds (seeds:): a sweep of nothing has no tasks'));
  if (errors.length) throw new InputErrors(errors);

  // Count before expanding.
  const count = dims.reduce((n, d) => n * d.values.length, Math.max(1, list.length));
  if (count > SWEEP_MAX_TASKS) throw err(['overrides'], count, `at most ${SWEEP_MAX_TASKS.toExponential(0)} tasks in one sweep`, 'split it into several sweeps');
  if (count > SWEEP_CONFIRM_TASKS && !options.yes) throw err(['overrides'], count, `at most ${SWEEP_CONFIRM_TASKS} tasks, or --yes to confirm a sweep of ${count} tasks`);

  const version = options.version ?? packageVersion();
  const extra = (options.set ?? []).map(parseOverride);
  const only = options.only ?? [];
  const tasks: SweepTaskSpec[] = [];
  const seen = new Set<string>();
  let firstError: unknown;
  let failedTasks = 0;
  for (let i = 0; i < count; i++) {
    // Grid order: the list entry varies slowest, the last grid key fastest.
    let rest = i;
    const point: { key: string; path: (string | number)[]; value: unknown; at: (string | number)[] }[] = [];
    for (let d = dims.length - 1; d >= 0; d--) {
      const n = dims[d].values.length;
      point.unshift({ key: dims[d].key, path: dims[d].path, value: dims[d].values[rest % n], at: dims[d].at });
      rest = Math.floor(rest / n);
    }
    const entries = [...(list[rest] ?? []), ...point];
    if (only.length > 0 && !only.some((sel) => taskMatches(Object.fromEntries(entries.map((e) => [e.key, e.value])), sel))) continue;
    const overrides: Override[] = entries.map((e) => ({ text: `${e.key}=${JSON.stringify(e.value)}`, path: e.path, value: e.value }));
    const origins = new Map(overrides.map((o, k) => [o, entries[k].at]));
    try {
      const applied = applyOverrides(base, [...overrides, ...extra], (o) => (origins.has(o) ? { file: source.file, ...source.locate(origins.get(o)!) } : { file: `--set ${o.text}` }), { replaceScalars: true });
      const resolved = resolveScenario(new ScenarioDocument(applied, baseDirOfBase));
      const hash = taskHash(resolved, version);
      if (seen.has(hash)) continue;
      seen.add(hash);
      tasks.push({ index: tasks.length, hash, overrides: Object.fromEntries(entries.map((e) => [e.key, e.value])), resolved });
    } catch (e) {
      if (!(e instanceof InputError || e instanceof InputErrors)) throw e;
      failedTasks++;
      firstError ??= { e, overrides: entries.map((x) => `${x.key}=${JSON.stringify(x.value)}`).join(', ') };
    }
  }
  if (!firstError && only.length > 0 && tasks.length === 0) throw new InputError({ file: source.file, keyPath: '--only', value: only.join(' '), expected: 'a selector matching at least one task (parts are override values, e.g. lateDry/highMB, or key=value)' });
  if (firstError) {
    const { e, overrides } = firstError as { e: InputError | InputErrors; overrides: string };
    const list = e instanceof InputErrors ? e.errors : [e];
    const note = `task with ${overrides || 'no overrides'}${failedTasks > 1 ? `; ${failedTasks - 1} more of the ${count} tasks are invalid too` : ''}`;
    throw new InputErrors(list.map((x) => new InputError({ file: x.file, line: x.line, column: x.column, keyPath: x.keyPath, ...('value' in x && x.value !== undefined ? { value: x.value } : {}), expected: x.expected, detail: note })));
  }
  return { name: s.name, description: s.description, file, version, attempts: s.attempts, allowLong: s.allowLong, ...(s.analyse ? { analyse: s.analyse } : {}), ...(s.checkpointEvery !== undefined ? { checkpointEvery: s.checkpointEvery } : {}), tasks };
}
