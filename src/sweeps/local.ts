import { availableParallelism } from 'node:os';
import { taskModule, WorkerPool } from '../engine/pool.js';
import type { SweepTaskSpec } from '../scenarios/sweep.js';
import { taskArgs, type EngineContext, type SweepEngine } from './engine.js';
import type { SweepTaskResult } from './task.js';

/** The sweep task function as the worker pool names it (src/sweeps/task.ts). */
export function sweepTaskRef(): { module: string; name: string } {
  return { module: taskModule(import.meta.url, './task'), name: 'runSweepTask' };
}

/**
 * The local engine: the generic worker-thread pool (src/engine/pool.ts) sized to the cores. A
 * task that throws is a failed task (recorded, the sweep goes on); a worker thread that dies
 * (crash, process.exit in a task) is retried up to `attempts` times; an abort (Ctrl-C) stops the
 * threads and leaves the unfinished tasks pending for `--resume`.
 */
export class LocalEngine implements SweepEngine {
  readonly description: string;
  private readonly pool: WorkerPool;

  constructor(options: { concurrency?: number } = {}) {
    this.pool = new WorkerPool({ concurrency: options.concurrency ?? availableParallelism() });
    this.description = `local, ${this.pool.concurrency === 0 ? 'in-process' : `${this.pool.concurrency} worker thread${this.pool.concurrency === 1 ? '' : 's'}`}`;
  }

  async run(tasks: readonly SweepTaskSpec[], ctx: EngineContext): Promise<void> {
    const ref = sweepTaskRef();
    const queue = tasks.map((t) => ({ t, attempt: 1 }));
    let running = 0;
    const lane = async (): Promise<void> => {
      for (let item = queue.shift(); item && !ctx.signal.aborted; item = queue.shift()) {
        ctx.running(++running);
        let result: SweepTaskResult | undefined;
        try {
          result = await this.pool.run<unknown, SweepTaskResult>(ref, taskArgs(item.t, ctx, item.attempt), ctx.signal);
        } catch (e) {
          if (ctx.signal.aborted) return;
          const message = e instanceof Error ? e.message : String(e);
          if (item.attempt < ctx.attempts) {
            ctx.log(`task ${item.t.hash}: worker thread died (${message}); retrying (attempt ${item.attempt + 1} of ${ctx.attempts})`);
            queue.push({ t: item.t, attempt: item.attempt + 1 });
          } else {
            result = { hash: item.t.hash, status: 'failed', runStatus: null, error: `worker thread died ${ctx.attempts} times: ${message}`, publication: null, wallSeconds: 0, cpuSeconds: null, worker: 'local' };
          }
        } finally {
          ctx.running(--running);
        }
        if (result) ctx.finished(result);
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, Math.min(this.pool.concurrency, tasks.length)) }, lane));
  }

  async close(): Promise<void> {
    await this.pool.close();
  }
}
