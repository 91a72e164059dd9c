import { mkdirSync, renameSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';

/** Write a file atomically: write to a temporary name in the same folder, then rename. */
export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  const dir = dirname(path);
  mkdirSync(dir, { recursive: true });
  const tmp = join(dir, `.${basename(path)}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`);
  try {
    writeFileSync(tmp, data);
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}

/**
 * An output folder that appears complete or not at all. Files are written into a hidden staging
 * folder next to the target; {@link commit} swaps it into place (an earlier result folder is only
 * removed after the new one is complete); {@link abort} deletes the staging folder. A crash leaves
 * earlier results untouched and at most a `.name.partial-*` folder behind.
 */
export class StagedOutputDir {
  readonly target: string;
  readonly staging: string;
  private done = false;

  constructor(target: string) {
    this.target = resolve(target);
    const parent = dirname(this.target);
    mkdirSync(parent, { recursive: true });
    this.staging = join(parent, `.${basename(this.target)}.partial-${process.pid}-${randomBytes(4).toString('hex')}`);
    mkdirSync(this.staging, { recursive: true });
  }

  /** Absolute path of a file inside the staging folder (sub-folders are created). */
  path(relative: string): string {
    const p = join(this.staging, relative);
    mkdirSync(dirname(p), { recursive: true });
    return p;
  }

  write(relative: string, data: string | Uint8Array): string {
    const p = this.path(relative);
    writeFileSync(p, data);
    return p;
  }

  commit(): void {
    if (this.done) return;
    let old: string | undefined;
    if (existsSync(this.target)) {
      old = `${this.staging}.old`;
      renameSync(this.target, old);
    }
    try {
      renameSync(this.staging, this.target);
    } catch (e) {
      if (old) renameSync(old, this.target);
      throw e;
    }
    if (old) rmSync(old, { recursive: true, force: true });
    this.done = true;
  }

  abort(): void {
    if (this.done) return;
    rmSync(this.staging, { recursive: true, force: true });
    this.done = true;
  }
}
