import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { InputError } from '../core/errors.js';
import { addFileToResult } from '../io/atomic.js';
import { packageVersion } from '../io/paths.js';
import { runScenario, toJson, type ResolvedScenario, type RunResult } from '../scenarios/run.js';
import { taskHash } from '../scenarios/sweep.js';
import { scenarioKinds, silentProgress, type Progress } from '../scenarios/registry.js';
import { openStore, workerId, type ResultStore } from './store.js';

/**
 * One sweep task, as the worker pool runs it (a pure function of plain data, run in a worker
 * thread by the local engine and by `rhizocarb worker`): skip when the store already holds the
 * result, else run the resolved scenario into a scratch folder with the scenario pipeline and
 * publish it under the task hash (first writer wins). Errors of the run are returned, not thrown
 * (a numerical failure is a result of the task); a dead thread or process is the caller's to retry.
 */
export interface SweepTaskArgs {
  /** Store location ({@link openStore}). */
  readonly store: string;
  readonly hash: string;
  readonly resolved: ResolvedScenario;
  /** Package version the hash was made with; a worker of another version refuses the task. */
  readonly version: string;
  readonly sweep: string;
  readonly overrides: Readonly<Record<string, unknown>>;
  readonly attempt?: number;
  /** Run even when the work estimate exceeds the kind's documented limit. */
  readonly allowLong?: boolean;
  /** Steps between checkpoints (sweep file `checkpointEvery`); absent: the kind's default for sweeps; `off`: none. */
  readonly checkpointEvery?: number | 'off';
}

export interface SweepTaskResult {
  readonly hash: string;
  /** `done`: a result with passed checks is published; `failed`: no result (`publication` null), or one whose checks failed (`runStatus`). */
  readonly status: 'done' | 'failed';
  readonly runStatus: 'ok' | 'failed' | null;
  readonly error: string | null;
  /** `written` by this attempt, `duplicate` (another attempt published first), `existing` (nothing run). */
  readonly publication: 'written' | 'duplicate' | 'existing' | null;
  readonly wallSeconds: number;
  readonly cpuSeconds: number | null;
  readonly worker: string;
  /** The step of the checkpoint this attempt continued from (a killed or retried earlier attempt's), or null. */
  readonly resumedFromStep?: number | null;
}

/** CPU seconds of the calling thread (Linux /proc; null elsewhere). Node 20 has no per-thread CPU API. */
function threadCpuSeconds(): number | null {
  const p = '/proc/thread-self/stat';
  if (!existsSync(p)) return null;
  try {
    const fields = readFileSync(p, 'utf8').replace(/^.*\) /s, '').split(' ');
    // Fields after the command: state is index 0, utime 11, stime 12 (in clock ticks of 1/100 s on Linux).
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

/**
 * Fault injection for the engine tests (docs/SWEEPS.md): RHIZOCARB_SWEEP_FAULT="throw:<hash prefix>"
 * makes that task fail with an error, "exit:<hash prefix>" ends the thread's process abruptly
 * (see also {@link injectedCheckpointFault}).
 */
function injectedFault(hash: string): void {
  const f = process.env.RHIZOCARB_SWEEP_FAULT;
  if (!f) return;
  for (const part of f.split(',')) {
    const [what, prefix] = part.split(':');
    if (!prefix || !hash.startsWith(prefix)) continue;
    if (what === 'throw') throw new Error(`injected fault (RHIZOCARB_SWEEP_FAULT) in task ${hash}`);
    if (what === 'exit') process.exit(70);
  }
}

/** RHIZOCARB_SWEEP_FAULT="exit-at-checkpoint:<hash prefix>": the first attempt's thread ends abruptly right after its first checkpoint is in the store. */
function injectedCheckpointFault(hash: string, attempt: number): void {
  const f = process.env.RHIZOCARB_SWEEP_FAULT;
  if (!f || attempt !== 1) return;
  for (const part of f.split(',')) {
    const [what, prefix] = part.split(':');
    if (what === 'exit-at-checkpoint' && prefix && hash.startsWith(prefix)) process.exit(71);
  }
}

/** The scenario's progress written to the store (at most every 2 s, and at the start and end) for the sweep's per-run display. */
function taskProgress(store: ResultStore, hash: string): Progress {
  if (!store.writeProgress) return silentProgress;
  let total = 0;
  let label = '';
  let last = 0;
  const write = (done: number, info?: Record<string, string | number>) => {
    last = performance.now();
    void store.writeProgress!(hash, { done, total, label, info, at: new Date().toISOString() }).catch(() => undefined);
  };
  return {
    start(n, l) {
      total = n;
      label = l;
      write(0);
    },
    update(done, info) {
      if (done >= total || performance.now() - last > 2000) write(done, info);
    },
    stop() {},
  };
}

export async function runSweepTask(args: SweepTaskArgs): Promise<SweepTaskResult> {
  const t0 = performance.now();
  const cpu0 = threadCpuSeconds();
  const store = openStore(args.store);
  const worker = workerId();
  const base = { hash: args.hash, worker };
  const elapsed = () => ({ wallSeconds: (performance.now() - t0) / 1000, cpuSeconds: cpu0 === null ? null : (threadCpuSeconds() ?? cpu0) - cpu0 });
  if (await store.has(args.hash)) {
    const s = await store.readJson(args.hash, 'summary.json');
    const runStatus = s?.status === 'failed' ? 'failed' : 'ok';
    await store.dropCheckpoint?.(args.hash);
    return { ...base, status: runStatus === 'ok' ? 'done' : 'failed', runStatus, error: runStatus === 'ok' ? null : 'checks failed (see its summary.json)', publication: 'existing', ...elapsed() };
  }
  const version = packageVersion();
  if (version !== args.version) return { ...base, status: 'failed', runStatus: null, error: `this worker runs rhizocarb ${version}, the sweep was made with ${args.version} (task hashes include the version)`, publication: null, ...elapsed() };
  if (taskHash(args.resolved, version) !== args.hash) return { ...base, status: 'failed', runStatus: null, error: `task ${args.hash}: its scenario does not hash to its name (corrupted task)`, publication: null, ...elapsed() };
  const scratch = await store.scratch(args.hash);
  const every = taskCheckpointEvery(args, store);
  let resumedFromStep: number | null = null;
  const copies = { saved: 0, failed: 0, seconds: 0 };
  try {
    injectedFault(args.hash);
    const run = (resume: string | undefined) =>
      runScenario(args.resolved, {
        out: scratch, label: `<sweep ${args.sweep} task ${args.hash}>`, allowLong: args.allowLong, progress: taskProgress(store, args.hash),
        ...(every !== undefined ? { checkpointEvery: every, onCheckpoint: (c) => (saveCheckpoint(store, args.hash, c, copies), injectedCheckpointFault(args.hash, args.attempt ?? 1)) } : {}),
        ...(resume !== undefined ? { resume, resumeFromCopy: true } : {}),
      });
    // A checkpoint of an earlier attempt (killed, retried, interrupted sweep): continue from it, in
    // a staging folder next to this attempt's scratch target (where runScenario looks for it).
    const staging = join(dirname(scratch), `.${basename(scratch)}.partial-${process.pid}-${randomBytes(4).toString('hex')}`);
    resumedFromStep = kindHasCheckpoints(args) ? (store.restoreCheckpoint?.(args.hash, staging) ?? null) : null;
    let r: RunResult;
    try {
      r = await run(resumedFromStep !== null ? staging : undefined);
    } catch (e) {
      // A checkpoint that cannot be resumed (unreadable, or of another simulation) is dropped and the task runs from its start.
      if (resumedFromStep === null || !(e instanceof InputError && e.keyPath === '--resume')) throw e;
      rmSync(staging, { recursive: true, force: true });
      await store.dropCheckpoint?.(args.hash);
      resumedFromStep = null;
      r = await run(undefined);
    }
    const times = elapsed();
    addFileToResult(scratch, 'task.json', toJson({ hash: args.hash, sweep: args.sweep, overrides: args.overrides, version, attempt: args.attempt ?? 1, worker, checkpointEvery: every ?? null, resumedFromStep, checkpointCopies: copies, ...times }));
    const publication = await store.publish(args.hash, scratch);
    await store.dropCheckpoint?.(args.hash);
    return { ...base, status: r.status === 'ok' ? 'done' : 'failed', runStatus: r.status, error: r.status === 'failed' ? `checks failed: ${r.failedChecks.filter((c) => c.severity === 'error').map((c) => c.name).join(', ')}` : null, publication, resumedFromStep, ...times };
  } catch (e) {
    await store.discard(scratch);
    return { ...base, status: 'failed', runStatus: null, error: e instanceof Error ? e.message : String(e), publication: null, resumedFromStep, ...elapsed() };
  }
}

function kindHasCheckpoints(args: SweepTaskArgs): boolean {
  return scenarioKinds().get(args.resolved.kind)?.checkpoints === true;
}

/** Checkpoint cadence of a task: the sweep's `checkpointEvery`, else its kind's default for sweeps; none for kinds without checkpoints or a store that cannot keep them. */
export function taskCheckpointEvery(args: Pick<SweepTaskArgs, 'resolved' | 'checkpointEvery'>, store?: ResultStore): number | undefined {
  const kind = scenarioKinds().get(args.resolved.kind);
  if (!kind?.checkpoints || (store && !store.saveCheckpoint) || args.checkpointEvery === 'off') return undefined;
  return args.checkpointEvery ?? kind.sweepCheckpointEvery?.(args.resolved);
}

/** Copy an attempt's checkpoint into the store; a copy that fails (disk full) loses only the checkpoint, not the run. */
function saveCheckpoint(store: ResultStore, hash: string, c: { staging: string; stepsDone: number }, copies: { saved: number; failed: number; seconds: number }): void {
  const t0 = performance.now();
  try {
    store.saveCheckpoint!(hash, c.staging, c.stepsDone);
    copies.saved++;
  } catch {
    copies.failed++; // the previous copy (if any) stays the one to resume from
  }
  copies.seconds += (performance.now() - t0) / 1000;
}
