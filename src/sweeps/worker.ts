import { WorkerPool } from '../engine/pool.js';
import { sweepTaskRef } from './local.js';
import { queueName, redisConnection } from './redis.js';
import { openStore } from './store.js';
import type { SweepTaskArgs, SweepTaskResult } from './task.js';

/**
 * `rhizocarb worker`: take sweep tasks from the Redis queue and run them on worker threads (so the
 * process's event loop keeps renewing the jobs' locks while a task computes). A task that fails
 * without a result throws, so BullMQ retries it up to the sweep's `attempts`; the last failure is
 * also recorded in the store. Returns the number of tasks run when stopped (signal, or maxTasks).
 */
export interface WorkerOptions {
  readonly concurrency?: number;
  /** Lock duration: a worker silent this long is presumed dead and its task is run elsewhere (default 30 s). */
  readonly stallMs?: number;
  readonly maxTasks?: number;
  readonly signal?: AbortSignal;
  readonly log?: (line: string) => void;
}

export async function runWorker(url: string, options: WorkerOptions = {}): Promise<number> {
  const { Worker } = await import('bullmq');
  const concurrency = options.concurrency ?? 1;
  const stallMs = Math.max(500, options.stallMs ?? 30_000);
  const log = options.log ?? (() => {});
  const pool = new WorkerPool({ concurrency });
  const ref = sweepTaskRef();
  let count = 0;
  let stop: () => void = () => {};
  const stopped = new Promise<void>((r) => (stop = r));
  const worker = new Worker<SweepTaskArgs, SweepTaskResult>(
    queueName(url),
    async (job) => {
      const attempt = job.attemptsMade + 1;
      const store = openStore(job.data.store);
      await store.cleanStale();
      log(`start ${job.data.hash} (attempt ${attempt})`);
      const r = await pool.run<SweepTaskArgs, SweepTaskResult>(ref, { ...job.data, attempt }).catch((e: unknown): SweepTaskResult => ({
        hash: job.data.hash, status: 'failed', runStatus: null, error: `worker thread died: ${e instanceof Error ? e.message : String(e)}`, publication: null, wallSeconds: 0, cpuSeconds: null, worker: 'thread',
      }));
      count++;
      if (options.maxTasks !== undefined && count >= options.maxTasks) stop();
      if (r.status === 'failed' && r.publication === null) {
        if (attempt >= (job.opts.attempts ?? 1)) await store.recordFailure(job.data.hash, { error: r.error ?? 'failed', attempts: attempt, at: new Date().toISOString(), worker: r.worker });
        log(`failed ${job.data.hash} (attempt ${attempt}): ${r.error}`);
        throw new Error(r.error ?? 'failed');
      }
      log(`done ${job.data.hash} (${r.publication}, ${r.wallSeconds.toFixed(2)} s)`);
      return r;
    },
    { connection: redisConnection(url), concurrency, lockDuration: stallMs, stalledInterval: Math.max(250, Math.round(stallMs / 2)), maxStalledCount: 2 },
  );
  worker.on('error', (e) => log(`worker: ${e.message}`));
  await worker.waitUntilReady();
  log(`worker ${process.pid} on ${url}: ${concurrency} task${concurrency === 1 ? '' : 's'} at once`);
  options.signal?.addEventListener('abort', () => stop(), { once: true });
  await stopped;
  // Tasks still running are abandoned: their locks expire and another worker takes them (at-least-once).
  await worker.close(options.signal?.aborted === true);
  await pool.close();
  return count;
}
