import { randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { RESULT_MARKER, writeFileAtomic } from '../io/atomic.js';

/**
 * Where sweep task results live. Workers on any machine write into the store; the sweep that
 * waits for them reads it. The contract (docs/SWEEPS.md, "Result store"):
 *
 * - a task's result is published under its hash at most once, atomically: {@link ResultStore.publish}
 *   either makes the whole result visible or reports that another attempt published first
 *   (`duplicate`, and this attempt's copy is discarded) — so at-least-once delivery of tasks gives
 *   exactly one result per task;
 * - a result is built in a scratch location first ({@link ResultStore.scratch}); scratch left by a
 *   dead attempt is never visible as a result and is removed by {@link ResultStore.cleanStale};
 * - failures are recorded per task hash (last one wins) and cleared when a task is retried.
 *
 * {@link FolderStore} implements it on a (shared) folder with rename(2). An object store can
 * implement it with uploads under a temporary prefix and a conditional put (If-None-Match) of the
 * task's marker object as the publication step.
 */
export interface TaskFailure {
  readonly error: string;
  readonly attempts: number;
  readonly at: string;
  readonly worker?: string;
}

export interface ResultStore {
  /** Where the store is, as workers open it ({@link openStore}). */
  readonly location: string;
  /** Hashes of the published results. */
  published(): Promise<Set<string>>;
  has(hash: string): Promise<boolean>;
  /** A fresh local folder to build one task's result in (it does not exist yet; its parent does). */
  scratch(hash: string): Promise<string>;
  /** Publish the result built in `localDir` under `hash` unless one is there already. */
  publish(hash: string, localDir: string): Promise<'written' | 'duplicate'>;
  /** Remove a scratch folder (a failed or interrupted attempt). */
  discard(localDir: string): Promise<void>;
  /** A JSON file of a published result (`summary.json`, `task.json`), or null. */
  readJson(hash: string, file: string): Promise<Record<string, unknown> | null>;
  recordFailure(hash: string, failure: TaskFailure): Promise<void>;
  clearFailure(hash: string): Promise<void>;
  failures(): Promise<Map<string, TaskFailure>>;
  /** Remove scratch of attempts that cannot finish: dead processes of this host, and (`own`) this process. */
  cleanStale(options?: { own?: boolean }): Promise<string[]>;
  /**
   * Checkpoints of unfinished tasks (kinds with checkpoints; optional): {@link saveCheckpoint}
   * keeps a copy of an attempt's staging folder (its checkpoint and the outputs so far) that
   * outlives the attempt; {@link restoreCheckpoint} copies the newest complete one to a new
   * attempt's staging folder; {@link dropCheckpoint} removes them once the task is published.
   */
  saveCheckpoint?(hash: string, staging: string, stepsDone: number): void;
  /** Copy the task's newest checkpoint into the folder `into` (it does not exist yet); its step, or null when there is none. */
  restoreCheckpoint?(hash: string, into: string): number | null;
  dropCheckpoint?(hash: string): Promise<void>;
  /** Progress of a running task (steps done of total), for the sweep's per-run display; optional. */
  writeProgress?(hash: string, progress: TaskProgress): Promise<void>;
  readProgress?(hash: string): Promise<TaskProgress | null>;
}

/** Where a running task is: its scenario's progress (steps), written by the task every few seconds. */
export interface TaskProgress {
  readonly done: number;
  readonly total: number;
  readonly label: string;
  readonly info?: Readonly<Record<string, string | number>>;
  readonly at: string;
}

/** The id of this process in scratch names: host and pid. */
export function workerId(): string {
  return `${hostname().replace(/[^A-Za-z0-9.-]/g, '_')}-${process.pid}`;
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const HASH_RE = /^[0-9a-f]{8,64}$/;

function checkHash(hash: string): string {
  if (!HASH_RE.test(hash)) throw new Error(`not a task hash: ${JSON.stringify(hash)}`);
  return hash;
}

/**
 * A result store on a folder (local, or shared by NFS/SMB between the machines of a sweep):
 * `tasks/<hash>/` published results, `tasks/.scratch/<host>-<pid>-<random>/` results being built
 * (same file system, so publication is one rename), `failures/<hash>.json` failure records.
 * rename(2) of a folder onto an existing non-empty folder fails (ENOTEMPTY/EEXIST), which makes
 * publication first-writer-wins.
 */
export class FolderStore implements ResultStore {
  readonly location: string;
  readonly tasksDir: string;
  private readonly scratchRoot: string;
  private readonly failuresDir: string;
  /** `tasks/.checkpoints/<hash>/<step>-<host>-<pid>-<hex>/`: complete copies; `.tmp-<host>-<pid>-<hex>` ones being written. */
  private readonly checkpointsRoot: string;

  constructor(root: string) {
    this.location = resolve(root);
    this.tasksDir = join(this.location, 'tasks');
    this.scratchRoot = join(this.tasksDir, '.scratch');
    this.failuresDir = join(this.location, 'failures');
    this.checkpointsRoot = join(this.tasksDir, '.checkpoints');
  }

  taskDir(hash: string): string {
    return join(this.tasksDir, checkHash(hash));
  }

  async published(): Promise<Set<string>> {
    if (!existsSync(this.tasksDir)) return new Set();
    return new Set(readdirSync(this.tasksDir).filter((n) => HASH_RE.test(n) && existsSync(join(this.tasksDir, n, RESULT_MARKER))));
  }

  async has(hash: string): Promise<boolean> {
    return existsSync(join(this.taskDir(hash), RESULT_MARKER));
  }

  async scratch(hash: string): Promise<string> {
    const dir = join(this.scratchRoot, `${workerId()}-${randomBytes(4).toString('hex')}`);
    mkdirSync(dir, { recursive: true });
    return join(dir, checkHash(hash));
  }

  async publish(hash: string, localDir: string): Promise<'written' | 'duplicate'> {
    const target = this.taskDir(hash);
    if (!existsSync(join(localDir, RESULT_MARKER))) throw new Error(`${localDir} is not a finished result (no ${RESULT_MARKER})`);
    let outcome: 'written' | 'duplicate' = 'written';
    try {
      if (existsSync(join(target, RESULT_MARKER))) outcome = 'duplicate';
      else renameSync(localDir, target);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== 'ENOTEMPTY' && code !== 'EEXIST') throw e;
      outcome = 'duplicate';
    }
    await this.discard(localDir);
    return outcome;
  }

  async discard(localDir: string): Promise<void> {
    const parent = resolve(localDir, '..');
    if (parent.startsWith(this.scratchRoot + '/')) rmSync(parent, { recursive: true, force: true });
    else rmSync(localDir, { recursive: true, force: true });
  }

  /**
   * Copy `staging` into `tasks/.checkpoints/<hash>/` under a hidden name, then rename it to
   * `<step>-<writer>` (a copy is complete or invisible), then remove the older copies. Attempts of
   * the same task on other workers (at-least-once delivery) write copies of their own; the newest
   * step wins on restore (the runs are deterministic, so equal steps are equal states).
   */
  saveCheckpoint(hash: string, staging: string, stepsDone: number): void {
    const dir = join(this.checkpointsRoot, checkHash(hash));
    mkdirSync(dir, { recursive: true });
    const id = `${workerId()}-${randomBytes(4).toString('hex')}`;
    const tmp = join(dir, `.tmp-${id}`);
    cpSync(staging, tmp, { recursive: true });
    const name = `${String(stepsDone).padStart(9, '0')}-${id}`;
    renameSync(tmp, join(dir, name));
    for (const c of this.checkpointCopies(hash)) if (c.stepsDone < stepsDone) rmSync(join(dir, c.name), { recursive: true, force: true });
  }

  private checkpointCopies(hash: string): { name: string; stepsDone: number }[] {
    const dir = join(this.checkpointsRoot, checkHash(hash));
    if (!existsSync(dir)) return [];
    return readdirSync(dir)
      .map((name) => ({ name, m: /^(\d{9})-/.exec(name) }))
      .filter((c) => c.m !== null)
      .map((c) => ({ name: c.name, stepsDone: Number(c.m![1]) }))
      .sort((a, b) => b.stepsDone - a.stepsDone);
  }

  restoreCheckpoint(hash: string, into: string): number | null {
    // Newest first; a copy removed meanwhile (a newer one of another attempt replaced it) is skipped.
    for (const c of this.checkpointCopies(hash)) {
      try {
        cpSync(join(this.checkpointsRoot, hash, c.name), into, { recursive: true, errorOnExist: true, force: false });
        return c.stepsDone;
      } catch {
        rmSync(into, { recursive: true, force: true });
      }
    }
    return null;
  }

  async dropCheckpoint(hash: string): Promise<void> {
    rmSync(join(this.checkpointsRoot, checkHash(hash)), { recursive: true, force: true });
    if (existsSync(this.checkpointsRoot) && readdirSync(this.checkpointsRoot).length === 0) rmSync(this.checkpointsRoot, { recursive: true, force: true });
  }

  async readJson(hash: string, file: string): Promise<Record<string, unknown> | null> {
    try {
      return JSON.parse(readFileSync(join(this.taskDir(hash), file), 'utf8')) as Record<string, unknown>;
    } catch {
      return null;
    }
  }

  async recordFailure(hash: string, failure: TaskFailure): Promise<void> {
    writeFileAtomic(join(this.failuresDir, `${checkHash(hash)}.json`), JSON.stringify(failure, null, 2) + '\n');
  }

  async clearFailure(hash: string): Promise<void> {
    rmSync(join(this.failuresDir, `${checkHash(hash)}.json`), { force: true });
  }

  async writeProgress(hash: string, progress: TaskProgress): Promise<void> {
    writeFileAtomic(join(this.location, 'progress', `${checkHash(hash)}.json`), JSON.stringify(progress) + '\n');
  }

  async readProgress(hash: string): Promise<TaskProgress | null> {
    try {
      return JSON.parse(readFileSync(join(this.location, 'progress', `${checkHash(hash)}.json`), 'utf8')) as TaskProgress;
    } catch {
      return null;
    }
  }

  async failures(): Promise<Map<string, TaskFailure>> {
    const out = new Map<string, TaskFailure>();
    if (!existsSync(this.failuresDir)) return out;
    for (const name of readdirSync(this.failuresDir)) {
      const m = /^([0-9a-f]{8,64})\.json$/.exec(name);
      if (!m) continue;
      try {
        out.set(m[1], JSON.parse(readFileSync(join(this.failuresDir, name), 'utf8')) as TaskFailure);
      } catch {
        // being written by another process (atomic rename: never partial) or removed meanwhile
      }
    }
    return out;
  }

  async cleanStale(options: { own?: boolean } = {}): Promise<string[]> {
    await this.cleanCheckpoints(options);
    if (!existsSync(this.scratchRoot)) return [];
    const host = workerId().replace(/-\d+$/, '');
    const removed: string[] = [];
    for (const name of readdirSync(this.scratchRoot)) {
      const m = /^(.*)-(\d+)-[0-9a-f]+$/.exec(name);
      if (!m || m[1] !== host) continue;
      const pid = Number(m[2]);
      if ((pid === process.pid && options.own) || (pid !== process.pid && !pidAlive(pid))) {
        rmSync(join(this.scratchRoot, name), { recursive: true, force: true });
        removed.push(name);
      }
    }
    if (readdirSync(this.scratchRoot).length === 0) rmSync(this.scratchRoot, { recursive: true, force: true });
    return removed;
  }

  /** Checkpoint copies: those of published tasks, and half-written ones of gone processes of this host (and of this one with `own`). */
  private async cleanCheckpoints(options: { own?: boolean }): Promise<void> {
    if (!existsSync(this.checkpointsRoot)) return;
    const host = workerId().replace(/-\d+$/, '');
    for (const hash of readdirSync(this.checkpointsRoot)) {
      if (!HASH_RE.test(hash)) continue;
      if (await this.has(hash)) {
        await this.dropCheckpoint(hash);
        continue;
      }
      for (const name of readdirSync(join(this.checkpointsRoot, hash))) {
        const m = /^\.tmp-(.*)-(\d+)-[0-9a-f]+$/.exec(name);
        if (!m || m[1] !== host) continue;
        const pid = Number(m[2]);
        if ((pid === process.pid && options.own) || (pid !== process.pid && !pidAlive(pid))) rmSync(join(this.checkpointsRoot, hash, name), { recursive: true, force: true });
      }
    }
  }
}

/** Open the store a location names: a folder path today (`file://` URLs too). */
export function openStore(location: string): ResultStore {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(location) && !location.startsWith('file://')) {
    throw new Error(`result store ${location}: only folders (a path shared by the machines of the sweep) are implemented`);
  }
  return new FolderStore(location.startsWith('file://') ? new URL(location).pathname : location);
}
