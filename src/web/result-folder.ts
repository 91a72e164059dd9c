import { closeSync, existsSync, lstatSync, openSync, readdirSync, readFileSync, readSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { parseCsv } from '../core/csv.js';
import type { ColumnInfo, RunDetail, RunRecord, SweepTask, TableInfo } from '../webapp/api.js';
import { balanceEntries, checkEntries, runStatus, totalsOf, unitFromName } from '../webapp/summary.js';

/**
 * A rhizocarb result folder read generically (any scenario kind, and sweeps): what `summary.json`,
 * `resolved-scenario.json`, `sweep.json`, `plots/`, the CSV tables and their column dictionaries
 * hold. Used by the HTML report and the dashboard server. Symbolic links inside a result folder
 * are not followed (a result folder is data, not a place to reach other files from).
 */

type Json = Record<string, unknown>;

/** Files larger than this are listed but never parsed (CSV statistics, JSON). */
export const MAX_PARSE_BYTES = 64 * 1024 * 1024;

export function isResultFolder(dir: string): boolean {
  return existsSync(join(dir, 'summary.json')) || existsSync(join(dir, 'sweep.json'));
}

export function readJsonFile(path: string): Json | null {
  try {
    const st = lstatSync(path);
    if (!st.isFile() || st.size > MAX_PARSE_BYTES) return null;
    const v = JSON.parse(readFileSync(path, 'utf8')) as unknown;
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : null;
  } catch {
    return null;
  }
}

/** Files under `dir` (relative, `/`-separated, sorted), not following symbolic links, skipping hidden entries. */
export function listFiles(dir: string, maxFiles = 5000): { path: string; bytes: number }[] {
  const out: { path: string; bytes: number }[] = [];
  const walk = (d: string, depth: number) => {
    if (depth > 6 || out.length >= maxFiles) return;
    let names: string[];
    try {
      names = readdirSync(d).sort();
    } catch {
      return;
    }
    for (const name of names) {
      if (name.startsWith('.')) continue;
      const p = join(d, name);
      const st = lstatSync(p);
      if (st.isDirectory()) {
        // A sweep's task folders are runs of their own; list them through sweep.json.
        if (depth === 0 && name === 'tasks' && existsSync(join(dir, 'sweep.json'))) continue;
        walk(p, depth + 1);
      } else if (st.isFile()) out.push({ path: relative(dir, p).split(sep).join('/'), bytes: st.size });
      if (out.length >= maxFiles) return;
    }
  };
  walk(dir, 0);
  return out;
}

/**
 * Column dictionary for `table` (a path relative to the run): `<table>.columns.csv`, then
 * `columns.csv` in the same folder, then the run's top-level `columns.csv`; units missing there are
 * read from the column names' unit suffixes.
 */
function columnInfo(runDir: string, tablePath: string, header: readonly string[]): ColumnInfo[] {
  const dict = new Map<string, { unit: string; description: string }>();
  const folder = tablePath.includes('/') ? tablePath.slice(0, tablePath.lastIndexOf('/')) : '';
  const candidates = [tablePath.replace(/\.csv$/, '.columns.csv'), folder ? `${folder}/columns.csv` : 'columns.csv', 'columns.csv'];
  for (const c of candidates) {
    const p = join(runDir, c);
    if (!existsSync(p) || c === tablePath) continue;
    try {
      const t = parseCsv(readFileSync(p, 'utf8'), p);
      const ci = t.header.indexOf('column');
      const ui = t.header.indexOf('unit');
      const di = t.header.indexOf('description');
      if (ci < 0) continue;
      for (const row of t.rows) if (!dict.has(row[ci])) dict.set(row[ci], { unit: ui >= 0 ? row[ui] : '', description: di >= 0 ? row[di] : '' });
    } catch {
      // An unreadable dictionary only costs the units.
    }
  }
  return header.map((name) => {
    const d = dict.get(name);
    return { name, unit: d?.unit || unitFromName(name), description: d?.description ?? '' };
  });
}

/** First line of a CSV file (its header), without reading the whole file. */
function csvHeader(path: string): string[] {
  const buf = Buffer.alloc(64 * 1024);
  const fd = openSync(path, 'r');
  try {
    const n = readSync(fd, buf, 0, buf.length, 0);
    let text = buf.subarray(0, n).toString('utf8');
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    const line = text.split(/\r?\n/, 1)[0];
    return parseCsv(line + '\n', path).header.slice();
  } finally {
    closeSync(fd);
  }
}

function isColumnsDictionary(path: string): boolean {
  return /(^|\/)columns\.csv$/.test(path) || path.endsWith('.columns.csv');
}

export function tablesOf(runDir: string, files: readonly { path: string; bytes: number }[], idPrefix: string): TableInfo[] {
  const out: TableInfo[] = [];
  for (const f of files) {
    if (!f.path.endsWith('.csv') || isColumnsDictionary(f.path)) continue;
    let header: string[];
    try {
      header = csvHeader(join(runDir, f.path));
    } catch {
      continue;
    }
    out.push({ name: f.path.replace(/\.csv$/, ''), path: joinId(idPrefix, f.path), bytes: f.bytes, columns: columnInfo(runDir, f.path, header) });
  }
  // Top-level tables (time series, profiles) before those in sub-folders (snapshots).
  const depth = (t: TableInfo) => t.name.split('/').length;
  return out.sort((a, b) => depth(a) - depth(b) || a.name.localeCompare(b.name));
}

/** `a/b` + `c` with `.` as the root id. */
export function joinId(id: string, rel: string): string {
  return id === '.' || id === '' ? rel : `${id}/${rel}`;
}

function str(v: unknown): string | null {
  return typeof v === 'string' ? v : null;
}

/** Sweep tasks from `sweep.json` (`tasks: [{hash, overrides, status, error?}]`, issue 11). */
function sweepTasks(dir: string, id: string, sweep: Json): SweepTask[] {
  const tasks = Array.isArray(sweep.tasks) ? sweep.tasks : [];
  return tasks.map((t: unknown, i: number): SweepTask => {
    const o = (t !== null && typeof t === 'object' ? t : {}) as Json;
    const hash = str(o.hash) ?? str(o.id) ?? String(i);
    const safe = /^[A-Za-z0-9._-]+$/.test(hash) && hash !== '..' && hash !== '.';
    const taskDir = safe ? join(dir, 'tasks', hash) : '';
    return {
      hash,
      status: str(o.status) ?? 'unknown',
      overrides: (o.overrides !== null && typeof o.overrides === 'object' ? o.overrides : {}) as Record<string, unknown>,
      error: str(o.error),
      id: safe && existsSync(join(taskDir, 'summary.json')) ? joinId(id, `tasks/${hash}`) : null,
    };
  });
}

/** The run list entry of the result folder `dir` (whose id relative to the root is `id`). */
export function readRunRecord(dir: string, id: string): RunRecord | null {
  const summaryPath = join(dir, 'summary.json');
  const sweep = readJsonFile(join(dir, 'sweep.json'));
  if (sweep) {
    const tasks = sweepTasks(dir, id, sweep);
    const failed = tasks.filter((t) => /fail|error/i.test(t.status)).length;
    const done = tasks.filter((t) => /^(done|ok|passed|success)$/i.test(t.status)).length;
    let date: string | null = str(sweep.finishedAt) ?? str(sweep.timestamp) ?? null;
    if (!date) date = statSync(join(dir, 'sweep.json')).mtime.toISOString();
    return {
      id,
      kind: 'sweep',
      name: str(sweep.name) ?? id,
      version: str(sweep.version),
      commit: str(sweep.gitCommit) ?? str(sweep.commit),
      date,
      status: failed > 0 ? 'failed' : done === tasks.length && tasks.length > 0 ? 'passed' : 'unchecked',
      failures: failed > 0 ? [`${failed} of ${tasks.length} tasks failed`] : [],
      wallSeconds: typeof sweep.wallSeconds === 'number' ? sweep.wallSeconds : null,
      balance: [],
      totals: {},
      sweep: { tasks: tasks.length, done, failed },
    };
  }
  const summary = readJsonFile(summaryPath);
  if (!summary) return null;
  const balance = balanceEntries(summary);
  const checks = checkEntries(summary);
  const { status, failures } = runStatus(summary, balance, checks);
  const stamp = str(summary.finishedAt) ?? str(summary.timestamp) ?? str(summary.endedAt) ?? str(summary.date);
  return {
    id,
    kind: str(summary.kind) ?? 'unknown',
    name: str(summary.scenario) ?? str(summary.name) ?? id,
    version: str(summary.version),
    commit: str(summary.gitCommit) ?? str(summary.commit),
    date: stamp ?? statSync(summaryPath).mtime.toISOString(),
    status,
    failures,
    wallSeconds: typeof summary.wallSeconds === 'number' ? summary.wallSeconds : null,
    balance,
    totals: totalsOf(summary),
    sweep: null,
  };
}

const IMAGE = /\.(svg|png|jpe?g|webp|gif)$/i;

/** Everything the dashboard and the report show of one result folder. */
export function readRunDetail(dir: string, id: string): RunDetail | null {
  const record = readRunRecord(dir, id);
  if (!record) return null;
  const summary = readJsonFile(join(dir, 'summary.json')) ?? readJsonFile(join(dir, 'sweep.json')) ?? {};
  const files = listFiles(dir);
  const plots = files.filter((f) => f.path.startsWith('plots/') && IMAGE.test(f.path)).map((f) => joinId(id, f.path));
  const images = files.filter((f) => !f.path.startsWith('plots/') && IMAGE.test(f.path)).map((f) => joinId(id, f.path));
  const sweep = record.sweep ? readJsonFile(join(dir, 'sweep.json')) : null;
  return {
    ...record,
    summary,
    resolvedScenario: readJsonFile(join(dir, 'resolved-scenario.json')),
    checks: record.sweep ? [] : checkEntries(summary),
    plots,
    images,
    tables: tablesOf(dir, files, id),
    files: files.map((f) => ({ path: joinId(id, f.path), bytes: f.bytes })),
    tasks: sweep ? sweepTasks(dir, id, sweep) : null,
  };
}
