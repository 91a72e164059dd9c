import { createHash } from 'node:crypto';
import type { ConnectionOptions, Job, Queue as QueueT } from 'bullmq';
import { InputError } from '../core/errors.js';
import type { SweepTaskSpec } from '../scenarios/sweep.js';
import { taskArgs, type EngineContext, type SweepEngine } from './engine.js';
import type { SweepTaskArgs, SweepTaskResult } from './task.js';

/**
 * The distributed engine: BullMQ on Redis. The sweep enqueues one job per pending task
 * (job id = store + task hash, so a task is in the queue once) and follows the result store;
 * `rhizocarb worker` processes on any machine that sees the store run the jobs (worker.ts).
 *
 * Delivery is at-least-once: a job whose worker stops sending lock heartbeats (killed, machine
 * lost) is moved back to the queue by BullMQ's stalled-job check and run again; results are
 * published first-writer-wins under the task hash (store.ts), so each task has exactly one
 * result. A task that fails (throws, or its thread dies) is retried until `attempts` tries, then
 * marked failed (BullMQ's failed set, and a failure record in the store).
 */
export const QUEUE_NAME = 'rhizocarb-sweep-tasks';

/** BullMQ connection options from redis://[user:password@]host:port[/db]. */
export function redisConnection(url: string): ConnectionOptions {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new InputError({ keyPath: '--engine', value: url, expected: 'redis://host:port' });
  }
  if (!/^rediss?:$/.test(u.protocol) || !u.hostname) throw new InputError({ keyPath: '--engine', value: url, expected: 'redis://host:port' });
  return {
    host: u.hostname,
    port: u.port ? Number(u.port) : 6379,
    ...(u.username ? { username: decodeURIComponent(u.username) } : {}),
    ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
    ...(u.pathname.length > 1 ? { db: Number(u.pathname.slice(1)) } : {}),
    ...(u.protocol === 'rediss:' ? { tls: {} } : {}),
    maxRetriesPerRequest: null,
    // Fail fast when no server answers (instead of retrying forever).
    retryStrategy: (times: number) => (times > 5 ? null : 200 * times),
  };
}

/** Queue of an engine URL: `?queue=name` (separate sweeps sharing a server, tests), default {@link QUEUE_NAME}. */
export function queueName(url: string): string {
  const q = new URL(url).searchParams.get('queue');
  if (q !== null && !/^[A-Za-z0-9_.-]{1,100}$/.test(q)) throw new InputError({ keyPath: '--engine', value: url, expected: 'a queue name of letters, digits, _ . - (redis://host:port?queue=name)' });
  return q ?? QUEUE_NAME;
}

/** Job id of a task: its store and hash (a task of one store is in the queue once). */
export function jobId(storeLocation: string, hash: string): string {
  return `${createHash('sha256').update(storeLocation).digest('hex').slice(0, 12)}-${hash}`;
}

/** A job: `attempts` tries; a completed job leaves the queue (its result is in the store); failed ones stay a week for inspection. */
function jobOptions(jobId: string, attempts: number) {
  return { jobId, attempts, removeOnComplete: true, removeOnFail: { age: 7 * 86400 } };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class RedisEngine implements SweepEngine {
  readonly description: string;
  private queue: QueueT | undefined;

  constructor(readonly url: string) {
    redisConnection(url);
    queueName(url);
    this.description = `redis ${url.replace(/\/\/[^@]*@/, '//')}`;
  }

  private async open(): Promise<QueueT> {
    if (!this.queue) {
      const { Queue } = await import('bullmq');
      this.queue = new Queue(queueName(this.url), { connection: redisConnection(this.url) });
      try {
        await this.queue.waitUntilReady();
      } catch (e) {
        throw new InputError({ keyPath: '--engine', value: this.url, expected: 'a reachable Redis server', detail: (e as Error).message });
      }
    }
    return this.queue;
  }

  async run(tasks: readonly SweepTaskSpec[], ctx: EngineContext, options: { detach?: boolean }): Promise<void> {
    const queue = await this.open();
    const ids = new Map(tasks.map((t) => [t.hash, jobId(ctx.store.location, t.hash)]));
    // Enqueue what is not already queued; finished jobs of an earlier attempt of this sweep go first.
    const toAdd: { name: string; data: SweepTaskArgs; opts: ReturnType<typeof jobOptions> }[] = [];
    for (const t of tasks) {
      const id = ids.get(t.hash)!;
      const existing = await queue.getJob(id);
      if (existing) {
        const state = await existing.getState();
        if (state === 'failed' || state === 'completed') await existing.remove();
        else continue;
      }
      toAdd.push({ name: 'task', data: taskArgs(t, ctx), opts: jobOptions(id, ctx.attempts) });
    }
    for (let i = 0; i < toAdd.length; i += 500) await queue.addBulk(toAdd.slice(i, i + 500));
    ctx.log(`enqueued ${toAdd.length} tasks on ${this.description} (${tasks.length - toAdd.length} were queued already)`);
    if (options.detach) return;

    const pending = new Set(tasks.map((t) => t.hash));
    while (pending.size > 0) {
      if (ctx.signal.aborted) {
        // Stop cleanly: tasks not started leave the queue (a later --resume enqueues them again); running ones finish.
        for (const h of pending) {
          const job = await queue.getJob(ids.get(h)!);
          if (job && (await job.getState()) === 'waiting') await job.remove().catch(() => {});
        }
        return;
      }
      const published = await ctx.store.published();
      for (const h of [...pending]) {
        if (published.has(h)) {
          pending.delete(h);
          const summary = await ctx.store.readJson(h, 'summary.json');
          const task = await ctx.store.readJson(h, 'task.json');
          const ok = summary?.status !== 'failed';
          ctx.finished({ hash: h, status: ok ? 'done' : 'failed', runStatus: ok ? 'ok' : 'failed', error: ok ? null : 'checks failed (see its summary.json)', publication: 'existing', wallSeconds: Number(task?.wallSeconds ?? 0), cpuSeconds: typeof task?.cpuSeconds === 'number' ? task.cpuSeconds : null, worker: String(task?.worker ?? '') });
          continue;
        }
        const state = await queue.getJobState(ids.get(h)!);
        if (state === 'unknown' && !(await ctx.store.has(h))) {
          // The job left the queue without a result (the server lost it, or someone removed it): enqueue it again.
          const t = tasks.find((x) => x.hash === h)!;
          await queue.add('task', taskArgs(t, ctx), jobOptions(ids.get(h)!, ctx.attempts));
          ctx.log(`task ${h}: its job was no longer in the queue; enqueued again`);
        }
        if (state === 'failed') {
          pending.delete(h);
          const job = (await queue.getJob(ids.get(h)!)) as Job | undefined;
          const error = `failed after ${job?.attemptsMade ?? ctx.attempts} tries: ${job?.failedReason ?? 'unknown reason'}`;
          await ctx.store.recordFailure(h, { error, attempts: job?.attemptsMade ?? ctx.attempts, at: new Date().toISOString() });
          ctx.finished({ hash: h, status: 'failed', runStatus: null, error, publication: null, wallSeconds: 0, cpuSeconds: null, worker: '' } satisfies SweepTaskResult);
        }
      }
      ctx.running(await queue.getActiveCount());
      if (pending.size > 0) await sleep(pending.size > 1000 ? 2000 : 300);
    }
  }

  async close(): Promise<void> {
    const q = this.queue;
    this.queue = undefined;
    if (q) await q.close();
  }
}
