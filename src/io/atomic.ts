import { accessSync, constants, existsSync, mkdirSync, opendirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync, type Stats } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { homedir } from 'node:os';
import { basename, dirname, join, parse, relative, resolve, sep } from 'node:path';
import { InputError } from '../core/errors.js';

/**
 * Output safety: results appear complete or not at all, and nothing but an earlier rhizocarb
 * result is ever replaced.
 *
 * A result folder carries {@link RESULT_MARKER} (format version, kind, package version, creation
 * time and the list of files written). `--out` onto an existing folder replaces it only when it
 * carries the marker and holds no file beyond the ones listed there (a user's notes added to an
 * old result folder are never deleted); an empty folder may be filled. Everything else — the
 * current folder or one of its parents, the package root, `/`, the home folder, an existing file,
 * a parent that is a file, an unwritable or pseudo file system — is refused with an
 * {@link InputError} before anything is written.
 */
export const RESULT_MARKER = '.rhizocarb-result.json';
export const RESULT_FORMAT_VERSION = 1;

export interface ResultMarker {
  readonly format: 'rhizocarb-result';
  readonly formatVersion: number;
  readonly kind: string;
  readonly version: string;
  readonly created: string;
  /** Files of the result, relative to the folder, '/'-separated (the marker itself excluded). */
  readonly files: readonly string[];
}

export interface OutputTargetOptions {
  /** What produced the result (scenario kind or command), recorded in the marker. */
  readonly kind: string;
  /** Package version recorded in the marker. */
  readonly version: string;
  /** How the target is named in error messages (default "out"; the CLI passes "--out"). */
  readonly label?: string;
  /** Folders the target may neither be nor contain (besides cwd, home, / and these), e.g. the package root. */
  readonly protect?: readonly string[];
  /** Files the target may not be or contain (inputs of the run). */
  readonly inputs?: readonly string[];
  /**
   * Continue in this staging folder of the same target (a run resumed from its checkpoint,
   * io/checkpoint.ts): it is renamed to a staging name of this process instead of creating one.
   */
  readonly adopt?: string;
}

/** Most non-result entries named in a refusal. */
const LIST_LIMIT = 5;
/** Most entries walked when comparing a folder with its marker. */
const WALK_LIMIT = 20000;
const PSEUDO_FS = ['/proc', '/sys', '/dev'];

function refuse(label: string, target: string, expected: string, detail?: string): InputError {
  return new InputError({ keyPath: label, value: target, expected, detail });
}

function isInside(child: string, parent: string): boolean {
  const r = relative(parent, child);
  return r === '' || (!r.startsWith('..') && !r.startsWith(sep) && r !== '..');
}

function statOrUndefined(p: string): Stats | undefined {
  try {
    return statSync(p);
  } catch {
    return undefined;
  }
}

/** Checks common to file and folder targets: path shape, parents, writability. Returns the absolute target. */
function checkTargetPath(raw: string, label: string, protect: readonly string[], inputs: readonly string[], what: 'folder' | 'file'): string {
  if (typeof raw !== 'string' || raw.trim() === '') throw refuse(label, raw, `a ${what} name`, 'an empty path would mean the current folder');
  if (raw.includes('\0')) throw refuse(label, raw, `a ${what} name without NUL characters`);
  const target = resolve(raw);
  if (target === parse(target).root) throw refuse(label, raw, `a ${what} below the file-system root`, 'refusing to replace /');
  for (const p of PSEUDO_FS) if (isInside(target, p)) throw refuse(label, raw, `a ${what} on a regular file system`, `${p} is a pseudo file system`);
  const guarded = [
    [process.cwd(), 'the current folder'],
    [homedir(), 'your home folder'],
    ...protect.map((p) => [p, 'the rhizocarb package folder'] as const),
  ] as const;
  for (const [g, name] of guarded) {
    if (isInside(resolve(g), target)) throw refuse(label, raw, `a ${what} that is not ${name} nor one of its parents`, `${target} would replace ${resolve(g)}`);
  }
  for (const f of inputs) {
    if (isInside(resolve(f), target)) throw refuse(label, raw, `a ${what} that does not hold an input of this run`, `${resolve(f)} is an input`);
  }
  // The nearest existing ancestor must be a writable folder.
  let parent = dirname(target);
  while (!existsSync(parent)) {
    const up = dirname(parent);
    if (up === parent) break;
    parent = up;
  }
  const ps = statOrUndefined(parent);
  if (ps && !ps.isDirectory()) throw refuse(label, raw, `a ${what} whose parent is a folder`, `${parent} is a file`);
  try {
    accessSync(parent, constants.W_OK | constants.X_OK);
  } catch {
    throw refuse(label, raw, `a ${what} in a writable folder`, `${parent} is not writable`);
  }
  return target;
}

/** Read the marker of a folder, or undefined when it has none (throws InputError when it is unreadable). */
export function readResultMarker(dir: string): ResultMarker | undefined {
  const p = join(dir, RESULT_MARKER);
  if (!existsSync(p)) return undefined;
  try {
    const m = JSON.parse(readFileSync(p, 'utf8')) as ResultMarker;
    if (m.format !== 'rhizocarb-result' || !Array.isArray(m.files)) throw new Error('not a rhizocarb result marker');
    return m;
  } catch (e) {
    throw new InputError({ file: p, expected: 'a rhizocarb result marker (JSON)', detail: (e as Error).message });
  }
}

/** Files below `dir` (relative, '/'-separated), at most `limit`. */
function listFiles(dir: string, limit: number): { files: string[]; truncated: boolean } {
  const files: string[] = [];
  const stack = [''];
  while (stack.length > 0) {
    const rel = stack.pop()!;
    const d = opendirSync(join(dir, rel));
    try {
      for (let e = d.readSync(); e; e = d.readSync()) {
        const r = rel ? `${rel}/${e.name}` : e.name;
        if (e.isDirectory()) stack.push(r);
        else files.push(r);
        if (files.length >= limit) return { files, truncated: true };
      }
    } finally {
      d.closeSync();
    }
  }
  return { files, truncated: false };
}

/** Why an existing folder may not be replaced, or undefined when it may. */
function replaceRefusal(target: string): string | undefined {
  const marker = readResultMarker(target);
  const { files, truncated } = listFiles(target, WALK_LIMIT);
  const known = new Set(marker ? [RESULT_MARKER, ...marker.files] : []);
  const foreign = files.filter((f) => !known.has(f)).sort();
  if (foreign.length === 0 && !truncated) return undefined;
  const shown = foreign.slice(0, LIST_LIMIT).join(', ') + (foreign.length > LIST_LIMIT || truncated ? `, … (${truncated ? 'more than ' : ''}${truncated ? WALK_LIMIT : foreign.length} in all)` : '');
  return marker
    ? `it is a rhizocarb result, but holds files the result did not write: ${shown}; move them away or choose another folder`
    : `it holds files that are not a rhizocarb result: ${shown}; choose a new or empty folder, or a previous rhizocarb result`;
}

const STAGING_RE = /^\.(.+)\.partial-(\d+)-[0-9a-f]+(\.old)?$/;

function pidAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Remove staging folders of `target` left by processes that no longer run (killed with SIGKILL,
 * power loss). A `.old` folder of a dead process whose target is missing is the previous result
 * caught between the two renames of a commit: it is put back.
 */
export function cleanStaleStaging(target: string): string[] {
  const parent = dirname(target);
  const base = basename(target);
  const cleaned: string[] = [];
  let names: string[];
  try {
    names = readdirSync(parent);
  } catch {
    return cleaned;
  }
  for (const name of names) {
    const m = STAGING_RE.exec(name);
    if (!m || m[1] !== base || pidAlive(Number(m[2]))) continue;
    const p = join(parent, name);
    if (m[3] && !existsSync(target)) renameSync(p, target);
    else rmSync(p, { recursive: true, force: true });
    cleaned.push(p);
  }
  return cleaned;
}

/** Staging folders of this process that are not committed yet (removed by {@link abortAllStaged}). */
const active = new Set<StagedOutputDir>();

/** Remove every uncommitted staging folder of this process (signal handlers call this). */
export function abortAllStaged(): void {
  for (const s of [...active]) s.abort();
}

/**
 * An output folder that appears complete or not at all. Files are written into a hidden staging
 * folder next to the target (`.name.partial-<pid>-<hex>`); {@link commit} writes the marker and
 * swaps the staging folder into place (an earlier result is removed only after the new one is
 * in place); {@link abort} deletes the staging folder. The constructor refuses unsafe targets
 * (see the module comment) and cleans staging folders of dead processes.
 */
export class StagedOutputDir {
  readonly target: string;
  readonly staging: string;
  private readonly options: OutputTargetOptions;
  private done = false;
  /** When true, {@link abort} leaves the staging folder in place (a run with a checkpoint to resume). */
  keepOnAbort = false;

  constructor(target: string, options: OutputTargetOptions) {
    const label = options.label ?? 'out';
    this.options = options;
    this.target = checkTargetPath(target, label, options.protect ?? [], options.inputs ?? [], 'folder');
    const parentDir = dirname(this.target);
    const stagingName = `.${basename(this.target)}.partial-${process.pid}-${randomBytes(4).toString('hex')}`;
    if (options.adopt !== undefined) {
      const m = STAGING_RE.exec(basename(options.adopt));
      if (!m || m[1] !== basename(this.target) || resolve(dirname(options.adopt)) !== parentDir || m[3]) throw refuse(label, target, `the target of the staging folder being resumed (${options.adopt})`);
      if (Number(m[2]) !== process.pid && pidAlive(Number(m[2]))) throw refuse(label, target, 'a run that is not running any more', `process ${m[2]} still writes ${options.adopt}`);
      // Take the folder over under this process's name first, so that the cleaning below keeps it.
      renameSync(options.adopt, join(parentDir, stagingName));
    }
    cleanStaleStaging(this.target);
    const st = statOrUndefined(this.target);
    if (st && !st.isDirectory()) throw refuse(label, target, 'a folder (new, empty, or a previous rhizocarb result)', `${this.target} is an existing file`);
    if (st) {
      const why = replaceRefusal(this.target);
      if (why) throw refuse(label, target, 'a new or empty folder, or a previous rhizocarb result', why);
    }
    const parent = parentDir;
    this.staging = join(parent, stagingName);
    try {
      mkdirSync(parent, { recursive: true });
      if (options.adopt === undefined) mkdirSync(this.staging);
    } catch (e) {
      throw refuse(label, target, 'a folder that can be created', (e as Error).message);
    }
    active.add(this);
  }

  /** Absolute path of a file inside the staging folder (sub-folders are created). */
  path(relativePath: string): string {
    const p = resolve(this.staging, relativePath);
    if (!isInside(p, this.staging) || p === this.staging) throw new Error(`output file ${relativePath} is outside the output folder`);
    mkdirSync(dirname(p), { recursive: true });
    return p;
  }

  write(relativePath: string, data: string | Uint8Array): string {
    const p = this.path(relativePath);
    writeFileSync(p, data);
    return p;
  }

  /** Remove a file or folder of the staging folder (e.g. the checkpoint before the commit). */
  remove(relativePath: string): void {
    const p = resolve(this.staging, relativePath);
    if (!isInside(p, this.staging) || p === this.staging) throw new Error(`output file ${relativePath} is outside the output folder`);
    rmSync(p, { recursive: true, force: true });
  }

  /** Write the marker and move the result into place. */
  commit(): void {
    if (this.done) return;
    const { files } = listFiles(this.staging, Number.POSITIVE_INFINITY);
    const marker: ResultMarker = {
      format: 'rhizocarb-result',
      formatVersion: RESULT_FORMAT_VERSION,
      kind: this.options.kind,
      version: this.options.version,
      created: new Date().toISOString(),
      files: files.filter((f) => f !== RESULT_MARKER).sort(),
    };
    writeFileSync(join(this.staging, RESULT_MARKER), JSON.stringify(marker, null, 2) + '\n');
    let old: string | undefined;
    if (existsSync(this.target)) {
      // Re-check: the folder may have changed since the constructor looked.
      const why = replaceRefusal(this.target);
      if (why) {
        this.abort();
        throw refuse(this.options.label ?? 'out', this.target, 'a new or empty folder, or a previous rhizocarb result', why);
      }
      old = `${this.staging}.old`;
      renameSync(this.target, old);
    }
    try {
      renameSync(this.staging, this.target);
    } catch (e) {
      if (old) renameSync(old, this.target);
      throw e;
    }
    this.done = true;
    active.delete(this);
    if (old) rmSync(old, { recursive: true, force: true });
  }

  abort(): void {
    if (this.done) return;
    if (!this.keepOnAbort) rmSync(this.staging, { recursive: true, force: true });
    this.done = true;
    active.delete(this);
  }
}

/**
 * Check the results folder of `serve --root`: a folder (existing or to be created) on a regular
 * file system, not a file, not the file-system root. Runs are written below it, never over it.
 */
export function checkServeRoot(raw: string, label = '--root'): string {
  if (typeof raw !== 'string' || raw.trim() === '') throw refuse(label, raw, 'a folder name');
  const target = resolve(raw);
  if (target === parse(target).root) throw refuse(label, raw, 'a folder below the file-system root');
  for (const p of PSEUDO_FS) if (isInside(target, p)) throw refuse(label, raw, 'a folder on a regular file system', `${p} is a pseudo file system`);
  let at = target;
  while (!existsSync(at) && dirname(at) !== at) at = dirname(at);
  const st = statOrUndefined(at);
  if (st && !st.isDirectory()) throw refuse(label, raw, 'a folder (existing or to be created)', `${at} is a file`);
  return target;
}

/**
 * Check an output *file* path (e.g. `spline --out out.csv`): not empty, not a folder, not an input,
 * in a writable folder whose parents are folders. An existing regular file is replaced.
 */
export function checkOutputFile(path: string, options: { label?: string; inputs?: readonly string[]; protect?: readonly string[] } = {}): string {
  const label = options.label ?? 'out';
  const target = checkTargetPath(path, label, options.protect ?? [], options.inputs ?? [], 'file');
  const st = statOrUndefined(target);
  if (st && st.isDirectory()) throw refuse(label, path, 'a file name', `${target} is a folder`);
  return target;
}

/**
 * Check an output *folder* that a command fills itself over time (a sweep's root): the same path
 * rules as a result folder (not cwd, home, /, the package root or their parents; parent writable).
 * Returns the absolute path; whether its contents may be reused is the caller's decision.
 */
export function checkOutputFolderPath(path: string, options: { label?: string; protect?: readonly string[] } = {}): string {
  const label = options.label ?? 'out';
  const target = checkTargetPath(path, label, options.protect ?? [], [], 'folder');
  const st = statOrUndefined(target);
  if (st && !st.isDirectory()) throw refuse(label, path, 'a folder', `${target} is an existing file`);
  return target;
}

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
 * Add a file to a committed result folder (e.g. `report.html` written after the run) and list it in
 * the folder's marker, so the folder stays replaceable by a later run. Without a marker the file is
 * only written (atomically).
 */
export function addFileToResult(dir: string, relativePath: string, data: string | Uint8Array): string {
  const p = resolve(dir, relativePath);
  if (!isInside(p, dir) || p === resolve(dir)) throw new Error(`result file ${relativePath} is outside the result folder`);
  const marker = readResultMarker(dir);
  writeFileAtomic(p, data);
  if (marker) {
    const rel = relative(resolve(dir), p).split(sep).join('/');
    const files = [...new Set([...marker.files, rel])].sort();
    writeFileAtomic(join(dir, RESULT_MARKER), JSON.stringify({ ...marker, files }, null, 2) + '\n');
  }
  return p;
}
