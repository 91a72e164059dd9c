import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import runTask, { type WorkerTask } from './worker.js';

/**
 * A pool of worker threads (piscina) that runs named functions of task modules: concurrency =
 * cores by default, progress callback, per-task error capture, cancellation by AbortSignal, and a
 * bounded number of tasks in flight for streams of work (memory stays bounded). Works from the
 * TypeScript sources (tsx, vitest: workers get the tsx loader) and from the built JavaScript.
 * Task modules are pure (models stay worker-agnostic): they export functions of plain data;
 * typed arrays on SharedArrayBuffers are shared with the workers, not copied.
 * `concurrency: 0` runs every task in the calling thread (same results, no workers).
 */
export interface PoolOptions {
  /** Worker threads (default: available cores); 0 = run tasks in this thread. */
  readonly concurrency?: number;
}

/** A function in a task module: `module` is a file URL (see {@link taskModule}). */
export interface TaskRef {
  readonly module: string;
  readonly name: string;
}

export type TaskOutcome<R> = { readonly ok: true; readonly value: R } | { readonly ok: false; readonly error: Error };

export interface RunManyOptions {
  readonly signal?: AbortSignal;
  /** Called after each task (succeeded or failed) with the number done and the total. */
  readonly onProgress?: (done: number, total: number) => void;
}

export interface StreamOptions extends RunManyOptions {
  /** Tasks in flight at once (default 2 × concurrency, at least 1). */
  readonly inFlight?: number;
}

/**
 * URL of a task module next to the caller: `taskModule(import.meta.url, '../learning/tasks')`
 * gives the `.ts` file when the caller runs from sources and the `.js` file when built.
 */
export function taskModule(callerUrl: string, relativeWithoutExtension: string): string {
  const ext = callerUrl.endsWith('.ts') ? '.ts' : '.js';
  const url = new URL(relativeWithoutExtension + ext, callerUrl);
  if (!existsSync(fileURLToPath(url))) throw new Error(`task module ${fileURLToPath(url)} does not exist`);
  return url.href;
}

/** From sources a small JS entry registers tsx in each worker (Node 20 workers do not inherit it). */
const WORKER_URL = new URL(import.meta.url.endsWith('.ts') ? './worker-dev.mjs' : './worker.js', import.meta.url);

export class WorkerPool {
  readonly concurrency: number;
  private piscina: Piscina | undefined;

  constructor(options: PoolOptions = {}) {
    const c = options.concurrency ?? availableParallelism();
    if (!(Number.isInteger(c) && c >= 0)) throw new RangeError(`worker count: got ${c}, expected an integer ≥ 0`);
    this.concurrency = c;
  }

  private pool(): Piscina {
    if (!this.piscina) {
      this.piscina = new Piscina({
        filename: fileURLToPath(WORKER_URL),
        minThreads: this.concurrency,
        maxThreads: this.concurrency,
        idleTimeout: 60_000,
        // An object, not undefined: the `web-worker` package (geotiff's dependency, imported with the
        // scenario kinds) reads `workerData.mod` when loaded in a worker thread.
        workerData: {},
      });
    }
    return this.piscina;
  }

  /** Run one task; rejects with its error. */
  async run<A, R>(ref: TaskRef, args: A, signal?: AbortSignal): Promise<R> {
    const task: WorkerTask = { module: ref.module, name: ref.name, args };
    if (this.concurrency === 0) {
      signal?.throwIfAborted();
      return (await runTask(task)) as R;
    }
    return (await this.pool().run(task, { signal })) as R;
  }

  /** Run all tasks; each outcome is captured (one failure does not stop the others). Order kept. */
  async runAll<A, R>(ref: TaskRef, tasks: readonly A[], options: RunManyOptions = {}): Promise<TaskOutcome<R>[]> {
    const out: TaskOutcome<R>[] = new Array(tasks.length);
    await this.stream<A, R>(ref, tasks.length, (i) => tasks[i], (i, o) => {
      out[i] = o;
    }, options);
    return out;
  }

  /** Run all tasks and return their results in order; rejects with the first error (naming the task). */
  async map<A, R>(ref: TaskRef, tasks: readonly A[], options: RunManyOptions = {}): Promise<R[]> {
    const all = await this.runAll<A, R>(ref, tasks, options);
    return all.map((o, i) => {
      if (!o.ok) {
        const e = new Error(`task ${i} (${ref.name}) failed: ${o.error.message}`);
        (e as Error & { cause: unknown }).cause = o.error;
        throw e;
      }
      return o.value;
    });
  }

  /**
   * Tasks 0..count−1 made on demand by `make` and handed to `onResult` as they finish (any order),
   * with at most `inFlight` tasks alive: the memory held is bounded by it, not by `count`.
   * Rejects (after the tasks in flight settle) if the signal aborts.
   */
  async stream<A, R>(ref: TaskRef, count: number, make: (i: number) => A, onResult: (i: number, outcome: TaskOutcome<R>) => void | Promise<void>, options: StreamOptions = {}): Promise<void> {
    const limit = Math.max(1, options.inFlight ?? 2 * Math.max(1, this.concurrency));
    let next = 0;
    let done = 0;
    const { signal } = options;
    const worker = async (): Promise<void> => {
      while (next < count) {
        if (signal?.aborted) return;
        const i = next++;
        let outcome: TaskOutcome<R>;
        try {
          outcome = { ok: true, value: await this.run<A, R>(ref, make(i), signal) };
        } catch (e) {
          outcome = { ok: false, error: e instanceof Error ? e : new Error(String(e)) };
        }
        if (signal?.aborted) return;
        await onResult(i, outcome);
        options.onProgress?.(++done, count);
      }
    };
    await Promise.all(Array.from({ length: Math.min(limit, count) }, worker));
    signal?.throwIfAborted();
  }

  /** Stop the worker threads. */
  async close(): Promise<void> {
    const p = this.piscina;
    this.piscina = undefined;
    if (p) await p.close({ force: true });
  }
}
