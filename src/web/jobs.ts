import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { cleanStaleStaging } from '../io/atomic.js';
import { fileURLToPath } from 'node:url';
import { packageRoot } from '../io/paths.js';
import type { JobInfo, JobState } from '../webapp/api.js';

/**
 * Scenario runs launched from the dashboard. Each runs in its own child process (job-runner.ts), so
 * the server stays responsive and a run can be cancelled at any point: SIGTERM, then SIGKILL after
 * a grace period, then its staging folder is removed (the run's output folder never appears).
 * Runs go to `<root>/runs/<name>-<date>-<id>/`, a new folder each time; at most `maxConcurrent` run
 * at once (the machine's cores are shared), the rest wait in order.
 */
export interface JobManagerOptions {
  readonly root: string;
  readonly maxConcurrent?: number;
  /** Milliseconds between SIGTERM and SIGKILL on cancel. */
  readonly killGraceMs?: number;
}

interface Job {
  info: Mutable<JobInfo>;
  scenario: Record<string, unknown>;
  out: string;
  child?: ChildProcess;
  cancelRequested: boolean;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

const LOG_LINES = 200;
/** Ended jobs kept for the job list (older ones are forgotten; their results stay on disk). */
const ENDED_JOBS_KEPT = 100;

function runnerPath(): { file: string; execArgv: string[] } {
  const ts = import.meta.url.endsWith('.ts');
  return { file: fileURLToPath(new URL(ts ? './job-runner.ts' : './job-runner.js', import.meta.url)), execArgv: ts ? ['--import', 'tsx'] : [] };
}

function stamp(d: Date): string {
  return d.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
}

export class JobManager extends EventEmitter {
  private readonly jobs = new Map<string, Job>();
  private readonly root: string;
  private readonly maxConcurrent: number;
  private readonly killGraceMs: number;

  constructor(options: JobManagerOptions) {
    super();
    this.root = options.root;
    this.maxConcurrent = Math.max(1, options.maxConcurrent ?? 1);
    this.killGraceMs = options.killGraceMs ?? 3000;
  }

  /** Queue a validated scenario; `name` must already be a safe folder name. */
  launch(scenario: Record<string, unknown>, name: string, kind: string): JobInfo {
    const id = randomBytes(6).toString('hex');
    const now = new Date();
    const out = join(this.root, 'runs', `${name}-${stamp(now)}-${id}`);
    const info: Mutable<JobInfo> = { id, name, kind, state: 'queued', runId: null, runStatus: null, failedChecks: [], progress: null, log: [], error: null, startedAt: now.toISOString(), endedAt: null };
    this.jobs.set(id, { info, scenario, out, cancelRequested: false });
    this.changed(id);
    this.pump();
    return { ...info };
  }

  get(id: string): JobInfo | null {
    const j = this.jobs.get(id);
    return j ? { ...j.info, log: [...j.info.log] } : null;
  }

  list(): JobInfo[] {
    return [...this.jobs.values()].map((j) => ({ ...j.info, log: [] })).reverse();
  }

  /** Cancel a queued or running job; returns false when it had already ended. */
  cancel(id: string): boolean {
    const j = this.jobs.get(id);
    if (!j || !(j.info.state === 'queued' || j.info.state === 'running')) return false;
    j.cancelRequested = true;
    if (j.info.state === 'queued') {
      this.finish(j, 'cancelled', null);
      return true;
    }
    // The run stops at its next checkpoint and removes its staging folder; a run that does not is killed.
    if (j.child?.connected) j.child.send({ type: 'cancel' });
    const timer = setTimeout(() => j.child?.exitCode === null && j.child.signalCode === null && j.child.kill('SIGKILL'), this.killGraceMs);
    timer.unref();
    return true;
  }

  /** Stop everything (server shutdown): running jobs are cancelled. */
  async close(): Promise<void> {
    const running = [...this.jobs.values()].filter((j) => j.info.state === 'running' || j.info.state === 'queued');
    await Promise.all(
      running.map(
        (j) =>
          new Promise<void>((res) => {
            if (!j.child || j.child.exitCode !== null) {
              this.cancel(j.info.id);
              res();
              return;
            }
            j.child.once('exit', () => res());
            this.cancel(j.info.id);
          }),
      ),
    );
  }

  private changed(id: string): void {
    this.emit('job', this.get(id));
  }

  private pump(): void {
    const running = [...this.jobs.values()].filter((j) => j.info.state === 'running').length;
    const next = [...this.jobs.values()].find((j) => j.info.state === 'queued');
    if (!next || running >= this.maxConcurrent) return;
    this.start(next);
    this.pump();
  }

  private start(j: Job): void {
    j.info.state = 'running';
    mkdirSync(dirname(j.out), { recursive: true });
    const { file, execArgv } = runnerPath();
    const child = fork(file, [], { cwd: packageRoot(), execArgv, stdio: ['ignore', 'ignore', 'pipe', 'ipc'], serialization: 'json' });
    j.child = child;
    let stderr = '';
    child.stderr?.on('data', (b: Buffer) => {
      stderr = (stderr + b.toString()).slice(-4000);
    });
    let outcome: { state: JobState; error: string | null } | null = null;
    child.on('message', (m: { type: string; [k: string]: unknown }) => {
      // Relative file references in a launched scenario start from the root.
      if (m.type === 'ready') child.send({ type: 'run', scenario: j.scenario, baseDir: this.root, out: j.out });
      else if (m.type === 'progress') {
        j.info.progress = { done: m.done as number, total: m.total as number, label: m.label as string, info: (m.info ?? {}) as Record<string, string | number> };
        this.changed(j.info.id);
      } else if (m.type === 'log') {
        j.info.log = [...j.info.log, String(m.line)].slice(-LOG_LINES);
        this.changed(j.info.id);
      } else if (m.type === 'done') {
        outcome = { state: 'done', error: null };
        j.info.runStatus = m.status === 'failed' ? 'failed' : 'ok';
        j.info.failedChecks = (m.failedChecks ?? []) as string[];
      }
      else if (m.type === 'failed') outcome = { state: 'failed', error: String(m.message) };
    });
    child.on('exit', (code, signal) => {
      if (j.cancelRequested) this.finish(j, 'cancelled', null);
      else if (outcome) this.finish(j, outcome.state, outcome.error);
      else this.finish(j, 'failed', `run process ended (${signal ?? `exit code ${code}`})${stderr ? `: ${stderr.trim()}` : ''}`);
    });
    this.changed(j.info.id);
  }

  private finish(j: Job, state: JobState, error: string | null): void {
    j.info.state = state;
    j.info.error = error;
    j.info.endedAt = new Date().toISOString();
    if (state === 'done' && existsSync(join(j.out, 'summary.json'))) j.info.runId = relative(this.root, j.out).split(sep).join('/');
    if (state !== 'done') cleanStaleStaging(j.out);
    this.changed(j.info.id);
    const ended = [...this.jobs.values()].filter((x) => x.info.endedAt !== null);
    for (const old of ended.slice(0, Math.max(0, ended.length - ENDED_JOBS_KEPT))) this.jobs.delete(old.info.id);
    this.pump();
  }
}

