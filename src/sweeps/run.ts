import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { InputError, InterruptedError } from '../core/errors.js';
import { checkOutputFolderPath, writeFileAtomic } from '../io/atomic.js';
import { gitCommit, packageRoot } from '../io/paths.js';
import { tableToCsv, tableToParquet, type Table } from '../io/table.js';
import { toJson } from '../scenarios/run.js';
import { loadSweepFile, sweepFromObject, type LoadSweepOptions, type Sweep, type SweepTaskSpec } from '../scenarios/sweep.js';
import type { SweepEngine } from './engine.js';
import { LocalEngine } from './local.js';
import { FolderStore } from './store.js';
import type { SweepTaskResult } from './task.js';

/**
 * Run a sweep (docs/SWEEPS.md): every task into `<out>/tasks/<task hash>/`, the task list with
 * statuses in `<out>/sweep.json` (rewritten as tasks finish), a per-task table `<out>/tasks.csv`
 * (+ .parquet) with overrides, status, failed checks and the numeric totals. `resume` skips tasks
 * whose result exists; without it the folder must be new or empty.
 */
export interface SweepProgress {
  readonly total: number;
  readonly done: number;
  readonly failed: number;
  readonly running: number;
  readonly pending: number;
  /** Finished before this call started (resume). */
  readonly skipped: number;
  /**
   * Seconds to go at the rate of this call: pending tasks × elapsed / tasks finished, the running tasks that
   * report a work fraction (progress info `work`, 0–1) counted by it; null before any task finished or reported one.
   */
  readonly etaSeconds: number | null;
  /** The unfinished tasks that have reported progress (sweeps of at most 200 pending tasks): steps done of total. */
  readonly runs?: readonly { readonly hash: string; readonly overrides: Readonly<Record<string, unknown>>; readonly done: number; readonly total: number; readonly info?: Readonly<Record<string, string | number>> }[];
}

export interface RunSweepOptions extends LoadSweepOptions {
  /** The sweep's root folder: new, empty, or (with `resume`) a previous sweep's. */
  readonly out: string;
  /** `local` (default), `redis://host:port`, or an engine object. */
  readonly engine?: string | SweepEngine;
  /** Worker threads of the local engine (default: the cores). */
  readonly concurrency?: number;
  readonly resume?: boolean;
  /** Distributed engine: enqueue and return at once (`status: 'detached'`). */
  readonly detach?: boolean;
  readonly signal?: AbortSignal;
  readonly onProgress?: (p: SweepProgress) => void;
  readonly log?: (line: string) => void;
  /** How the output folder is named in errors ("--out" in the CLI). */
  readonly outLabel?: string;
  /** Run catalogue to record the sweep and its tasks in (default `<out>/catalogue.duckdb`); false: none. */
  readonly catalogue?: string | false;
  /** Run tasks beyond their kind's work limit (also the sweep file's `allowLong`). */
  readonly allowLong?: boolean;
  /** Steps between checkpoints of tasks whose kind writes them; overrides the sweep file's `checkpointEvery` (CLI --checkpoint-every). */
  readonly checkpointEvery?: number | 'off';
}

export interface SweepTaskState {
  readonly index: number;
  readonly hash: string;
  readonly overrides: Readonly<Record<string, unknown>>;
  readonly status: 'done' | 'failed' | 'pending';
  readonly error?: string;
  readonly runStatus?: 'ok' | 'failed' | null;
  readonly wallSeconds?: number;
  readonly worker?: string;
}

export interface SweepRunResult {
  readonly out: string;
  readonly status: 'done' | 'failed' | 'detached';
  readonly engine: string;
  readonly tasks: readonly SweepTaskState[];
  readonly done: number;
  readonly failed: number;
  readonly pending: number;
  /** Tasks found finished in the store before this call (resume). */
  readonly skipped: number;
  readonly wallSeconds: number;
}

/** Open the engine a name stands for. */
export async function openEngine(engine: string | SweepEngine | undefined, options: { concurrency?: number } = {}): Promise<SweepEngine> {
  if (engine === undefined || engine === 'local') return new LocalEngine({ concurrency: options.concurrency });
  if (typeof engine !== 'string') return engine;
  if (/^rediss?:\/\//.test(engine)) {
    const { RedisEngine } = await import('./redis.js');
    return new RedisEngine(engine);
  }
  throw new InputError({ keyPath: '--engine', value: engine, expected: 'local or redis://host:port' });
}

function prepareRoot(options: RunSweepOptions): string {
  const label = options.outLabel ?? 'out';
  const root = checkOutputFolderPath(options.out, { label, protect: [packageRoot()] });
  if (existsSync(root)) {
    const names = readdirSync(root);
    if (names.length > 0 && !existsSync(join(root, 'sweep.json'))) {
      throw new InputError({ keyPath: label, value: options.out, expected: 'a new or empty folder, or a previous sweep folder (with sweep.json) and --resume', detail: `it holds ${names.slice(0, 5).join(', ')}${names.length > 5 ? ', …' : ''}` });
    }
    if (names.length > 0 && !options.resume) {
      throw new InputError({ keyPath: label, value: options.out, expected: 'a new or empty folder', detail: 'it holds a previous sweep: pass --resume (library: resume: true) to continue it, or choose another folder' });
    }
  }
  mkdirSync(root, { recursive: true });
  return root;
}

/** Numbers of a summary worth a column: `totals.*` and the balances' relative errors. */
function summaryNumbers(summary: Record<string, unknown> | null): Record<string, number> {
  const out: Record<string, number> = {};
  const totals = summary?.totals;
  if (totals && typeof totals === 'object') for (const [k, v] of Object.entries(totals)) if (typeof v === 'number') out[k] = v;
  const bal = summary?.balance;
  if (bal && typeof bal === 'object') for (const [k, v] of Object.entries(bal)) if (v && typeof (v as { relativeError?: unknown }).relativeError === 'number') out[`${k}_balance_relative_error`] = (v as { relativeError: number }).relativeError;
  return out;
}

/** Write tasks.csv/.parquet: one row per task with its overrides, status, failed checks and numbers. */
async function writeTaskTable(root: string, store: FolderStore, states: readonly SweepTaskState[]): Promise<void> {
  const keys = [...new Set(states.flatMap((s) => Object.keys(s.overrides)))];
  const rows = await Promise.all(states.map(async (s) => (s.status === 'pending' ? null : store.readJson(s.hash, 'summary.json'))));
  const numbers = rows.map(summaryNumbers);
  const numKeys = [...new Set(numbers.flatMap((n) => Object.keys(n)))];
  const failedChecks = (summary: Record<string, unknown> | null, severity: string) =>
    Array.isArray(summary?.checks) ? (summary!.checks as { name: string; passed: boolean; severity: string }[]).filter((c) => !c.passed && c.severity === severity).map((c) => c.name).join(' ') : '';
  const text = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v) ?? '');
  const table: Table = {
    columns: [
      { name: 'index', unit: '1', description: 'position of the task in the sweep', data: states.map((s) => s.index) },
      { name: 'hash', unit: '', description: 'task hash: folder tasks/<hash>/', data: states.map((s) => s.hash) },
      ...keys.map((k) => ({ name: k, unit: '', description: `override ${k} (JSON)`, data: states.map((s) => text(s.overrides[k])) })),
      { name: 'status', unit: '', description: 'done | failed | pending', data: states.map((s) => s.status) },
      { name: 'error', unit: '', description: 'why the task failed', data: states.map((s) => s.error ?? '') },
      { name: 'failed_errors', unit: '', description: 'error-severity checks that failed (balances)', data: rows.map((r) => failedChecks(r, 'error')) },
      { name: 'failed_warnings', unit: '', description: 'warning-severity checks that failed (e.g. the App. G plausibility constraints plausibility.G1.*, G2.*)', data: rows.map((r) => failedChecks(r, 'warning')) },
      { name: 'failed_warnings_count', unit: '1', description: 'number of warning checks that failed', data: rows.map((r) => (failedChecks(r, 'warning') ? failedChecks(r, 'warning').split(' ').length : 0)) },
      ...numKeys.map((k) => ({ name: k, unit: '', description: `summary.json number ${k}`, data: numbers.map((n) => n[k] ?? NaN) })),
    ],
  };
  writeFileAtomic(join(root, 'tasks.csv'), tableToCsv(table));
  writeFileAtomic(join(root, 'tasks.parquet'), tableToParquet(table, { kind: 'sweep' }));
}

/**
 * Run a sweep (a {@link Sweep}, a sweep file path, or a sweep object) into `options.out`.
 * Resolves when every task is done or failed (or at once with `detach`); rejects with an
 * InterruptedError when the signal aborts (finished tasks stay; the rest are pending in sweep.json).
 */
export async function runSweep(input: Sweep | string | Record<string, unknown>, options: RunSweepOptions): Promise<SweepRunResult> {
  const t0 = performance.now();
  const startedAt = new Date().toISOString();
  const sweep: Sweep = typeof input === 'string' ? loadSweepFile(input, options) : 'tasks' in input && Array.isArray(input.tasks) && 'version' in input ? (input as unknown as Sweep) : sweepFromObject(input as Record<string, unknown>, options);
  const checkpointEvery = options.checkpointEvery ?? sweep.checkpointEvery;
  if (checkpointEvery !== undefined && checkpointEvery !== 'off' && !(Number.isInteger(checkpointEvery) && checkpointEvery >= 1)) throw new InputError({ keyPath: '--checkpoint-every', value: checkpointEvery, expected: 'a whole number of steps ≥ 1, or off' });
  const root = prepareRoot(options);
  const store = new FolderStore(root);
  await store.cleanStale();
  const log = options.log ?? (() => {});
  const signal = options.signal ?? new AbortController().signal;
  const engine = await openEngine(options.engine, { concurrency: options.concurrency });

  const states = new Map<string, SweepTaskState>(sweep.tasks.map((t) => [t.hash, { index: t.index, hash: t.hash, overrides: t.overrides, status: 'pending' }]));
  const published = await store.published();
  for (const t of sweep.tasks) {
    if (!published.has(t.hash)) continue;
    const s = await store.readJson(t.hash, 'summary.json');
    const ok = s?.status !== 'failed';
    states.set(t.hash, { ...states.get(t.hash)!, status: ok ? 'done' : 'failed', runStatus: ok ? 'ok' : 'failed', ...(ok ? {} : { error: 'checks failed (see its summary.json)' }) });
  }
  const skipped = published.size === 0 ? 0 : sweep.tasks.filter((t) => published.has(t.hash)).length;
  const pendingTasks: SweepTaskSpec[] = sweep.tasks.filter((t) => !published.has(t.hash));
  for (const t of pendingTasks) await store.clearFailure(t.hash);

  let running = 0;
  let finishedNow = 0;
  const counts = () => {
    let done = 0;
    let failed = 0;
    for (const s of states.values()) {
      if (s.status === 'done') done++;
      else if (s.status === 'failed') failed++;
    }
    return { done, failed, pending: states.size - done - failed };
  };
  let runs: SweepProgress['runs'];
  const progress = (): SweepProgress => {
    const c = counts();
    const elapsed = (performance.now() - t0) / 1000;
    // Running tasks that report a work fraction (progress info `work`, e.g. the coupled kind's: its late steps weigh more) count by it.
    const partial = (runs ?? []).reduce((a, r) => a + (typeof r.info?.work === 'number' && r.info.work >= 0 && r.info.work <= 1 ? r.info.work : 0), 0);
    const doneEquiv = finishedNow + partial;
    return { total: states.size, ...c, running, skipped, etaSeconds: finishedNow > 0 || partial > 0 ? (Math.max(0, c.pending - partial) * elapsed) / doneEquiv : null, ...(runs ? { runs } : {}) };
  };
  // Per-run progress (the tasks write it to the store): polled for small sweeps only.
  const pollRuns = async () => {
    if (!store.readProgress || pendingTasks.length > 200) return;
    const list = [];
    for (const t of pendingTasks) {
      if (states.get(t.hash)?.status !== 'pending') continue;
      const p = await store.readProgress(t.hash);
      if (p) list.push({ hash: t.hash, overrides: t.overrides, done: p.done, total: p.total, ...(p.info ? { info: p.info } : {}) });
    }
    runs = list;
  };
  const writeSweepJson = (status: string, engineDescription: string) => {
    const c = counts();
    writeFileAtomic(
      join(root, 'sweep.json'),
      toJson({
        format: 'rhizocarb-sweep',
        name: sweep.name,
        description: sweep.description ?? null,
        sweepFile: sweep.file,
        status,
        engine: engineDescription,
        version: sweep.version,
        gitCommit: gitCommit() ?? null,
        startedAt,
        finishedAt: status === 'running' || status === 'detached' ? null : new Date().toISOString(),
        wallSeconds: (performance.now() - t0) / 1000,
        attempts: sweep.attempts,
        counts: { total: states.size, ...c },
        tasks: [...states.values()],
      }),
    );
  };
  writeSweepJson(options.detach ? 'detached' : 'running', engine.description);
  options.onProgress?.(progress());
  let lastWrite = performance.now();
  const finals: Promise<void>[] = [];
  const timer = setInterval(() => void pollRuns().then(() => options.onProgress?.(progress())), 1000);
  timer.unref();
  try {
    await engine.run(
      pendingTasks,
      {
        store,
        sweepName: sweep.name,
        version: sweep.version,
        attempts: sweep.attempts,
        allowLong: options.allowLong || sweep.allowLong,
        ...(checkpointEvery !== undefined ? { checkpointEvery } : {}),
        signal,
        log,
        running(n) {
          running = n;
          options.onProgress?.(progress());
        },
        finished(r: SweepTaskResult) {
          const prev = states.get(r.hash);
          if (!prev || prev.status !== 'pending') return;
          finishedNow++;
          if (r.resumedFromStep != null) log(`task ${r.hash}: continued from its checkpoint after step ${r.resumedFromStep}`);
          states.set(r.hash, { ...prev, status: r.status, runStatus: r.runStatus, wallSeconds: r.wallSeconds, worker: r.worker, ...(r.error ? { error: r.error } : {}) });
          if (r.status === 'failed' && r.publication === null) void store.recordFailure(r.hash, { error: r.error ?? 'failed', attempts: sweep.attempts, at: new Date().toISOString(), worker: r.worker });
          if (performance.now() - lastWrite > 2000) {
            lastWrite = performance.now();
            writeSweepJson('running', engine.description);
          }
          options.onProgress?.(progress());
          // A task that finished between two polls would otherwise never show its last line: report
          // its final progress record once (the CLI prints a run's line when it reaches a new 10 %).
          if (r.status === 'done' && store.readProgress && pendingTasks.length <= 200) {
            const task = pendingTasks.find((t) => t.hash === r.hash);
            finals.push(
              store
                .readProgress(r.hash)
                .then((p) => {
                  if (!p || !task) return;
                  const last = { hash: r.hash, overrides: task.overrides, done: p.total, total: p.total, ...(p.info ? { info: p.info } : {}) };
                  options.onProgress?.({ ...progress(), runs: [...(runs ?? []).filter((x) => x.hash !== r.hash), last] });
                })
                .catch(() => undefined),
            );
          }
        },
      },
      { detach: options.detach },
    );
  } finally {
    clearInterval(timer);
    await Promise.all(finals);
    await engine.close();
    await store.cleanStale({ own: true });
  }
  const c = counts();
  const status = signal.aborted ? 'interrupted' : options.detach && c.pending > 0 ? 'detached' : c.failed > 0 ? 'failed' : 'done';
  writeSweepJson(status, engine.description);
  await writeTaskTable(root, store, [...states.values()]);
  if (options.catalogue !== false) {
    const { recordSweepInCatalogue } = await import('./catalogue.js');
    await recordSweepInCatalogue(root, options.catalogue, log);
  }
  options.onProgress?.(progress());
  if (signal.aborted) throw signal.reason instanceof Error ? signal.reason : new InterruptedError('abort');
  return { out: root, status: status as SweepRunResult['status'], engine: engine.description, tasks: [...states.values()], ...c, skipped, wallSeconds: (performance.now() - t0) / 1000 };
}

