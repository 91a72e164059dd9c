import type { SweepTaskSpec } from '../scenarios/sweep.js';
import type { ResultStore } from './store.js';
import type { SweepTaskArgs, SweepTaskResult } from './task.js';

/**
 * An engine runs the pending tasks of a sweep and reports each outcome. The local engine
 * (local.ts) runs them on the worker-thread pool; the Redis engine (redis.ts) enqueues them for
 * `rhizocarb worker` processes and follows the store. Results reach the store through
 * `runSweepTask` (task.ts) in both.
 */
export interface EngineContext {
  readonly store: ResultStore;
  readonly sweepName: string;
  readonly version: string;
  /** Tries per task before it is marked failed. */
  readonly attempts: number;
  /** Run tasks whose work estimate exceeds their kind's documented limit (sweep file `allowLong`, `--allow-long`). */
  readonly allowLong?: boolean;
  /** Steps between checkpoints of tasks whose kind writes them (sweep file `checkpointEvery`); absent: the kind's default. */
  readonly checkpointEvery?: number | 'off';
  readonly signal: AbortSignal;
  /** A task finished (done or failed for good). */
  finished(result: SweepTaskResult): void;
  /** Tasks running now (as far as the engine knows). */
  running(count: number): void;
  log(line: string): void;
}

export interface SweepEngine {
  /** Describes the engine for sweep.json and messages ("local, 2 worker threads"). */
  readonly description: string;
  /** Run (or, detached, enqueue) the tasks; resolves when each is finished (or at once when detached). */
  run(tasks: readonly SweepTaskSpec[], ctx: EngineContext, options: { detach?: boolean }): Promise<void>;
  close(): Promise<void>;
}

export function taskArgs(t: SweepTaskSpec, ctx: Pick<EngineContext, 'store' | 'sweepName' | 'version' | 'allowLong' | 'checkpointEvery'>, attempt = 1): SweepTaskArgs {
  return { store: ctx.store.location, hash: t.hash, resolved: t.resolved, version: ctx.version, sweep: ctx.sweepName, overrides: t.overrides, attempt, ...(ctx.allowLong ? { allowLong: true } : {}), ...(ctx.checkpointEvery !== undefined ? { checkpointEvery: ctx.checkpointEvery } : {}) };
}
