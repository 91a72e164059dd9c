import { existsSync, lstatSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';

/**
 * The run catalogue: an embedded DuckDB database (`catalogue.duckdb` in the output root, or the
 * file RHIZOCARB_CATALOGUE / `--catalogue` names) with one row per run and per sweep task — id
 * (the result folder relative to the catalogue's folder), kind, scenario hash, resolved
 * parameters, version, commit, start/end, status, wall and CPU seconds, balance errors and key
 * totals. Rows are made from the result folders (summary.json, resolved-scenario.json, task.json),
 * so the catalogue can always be rebuilt from them ({@link syncCatalogue}); writing is idempotent
 * (one row per id, replaced).
 *
 * DuckDB allows one writing process per file: every access opens, works and closes, retrying while
 * another process holds the file.
 */
export const CATALOGUE_FILE = 'catalogue.duckdb';

export interface CatalogueRow {
  id: string;
  kind: string;
  name: string;
  scenario_hash: string | null;
  task_hash: string | null;
  sweep_id: string | null;
  overrides: string | null;
  parameters: string | null;
  version: string | null;
  commit: string | null;
  started_at: string | null;
  finished_at: string | null;
  status: string;
  wall_s: number | null;
  cpu_s: number | null;
  water_balance_error: number | null;
  carbon_balance_error: number | null;
  balance: string | null;
  totals: string | null;
  failed_checks: string | null;
  path: string;
}

const COLUMNS: [keyof CatalogueRow, string][] = [
  ['id', 'VARCHAR PRIMARY KEY'],
  ['kind', 'VARCHAR'],
  ['name', 'VARCHAR'],
  ['scenario_hash', 'VARCHAR'],
  ['task_hash', 'VARCHAR'],
  ['sweep_id', 'VARCHAR'],
  ['overrides', 'VARCHAR'],
  ['parameters', 'VARCHAR'],
  ['version', 'VARCHAR'],
  ['commit', 'VARCHAR'],
  ['started_at', 'VARCHAR'],
  ['finished_at', 'VARCHAR'],
  ['status', 'VARCHAR'],
  ['wall_s', 'DOUBLE'],
  ['cpu_s', 'DOUBLE'],
  ['water_balance_error', 'DOUBLE'],
  ['carbon_balance_error', 'DOUBLE'],
  ['balance', 'VARCHAR'],
  ['totals', 'VARCHAR'],
  ['failed_checks', 'VARCHAR'],
  ['path', 'VARCHAR'],
];

/**
 * The catalogue file for an output root: `explicit` (`--catalogue`), else RHIZOCARB_CATALOGUE, else
 * `<root>/catalogue.duckdb`; null when either says "off" (no catalogue; never a file named `off`).
 */
export function catalogueFileFor(root: string, explicit?: string): string | null {
  if (explicit === 'off') return null;
  if (explicit) return resolve(explicit);
  const env = process.env.RHIZOCARB_CATALOGUE;
  if (env === 'off') return null;
  return env ? resolve(env) : join(resolve(root), CATALOGUE_FILE);
}

type Json = Record<string, unknown>;

function readJson(path: string): Json | null {
  try {
    const v = JSON.parse(readFileSync(path, 'utf8')) as unknown;
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : null;
  } catch {
    return null;
  }
}

const str = (v: unknown) => (typeof v === 'string' ? v : null);
const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const json = (v: unknown) => (v === undefined || v === null ? null : JSON.stringify(v, (_, x) => (typeof x === 'number' && !Number.isFinite(x) ? null : x)));

/** Fields summary.json and sweep.json name alike. */
function provenance(s: Json) {
  return { version: str(s.version), commit: str(s.gitCommit), started_at: str(s.startedAt), finished_at: str(s.finishedAt), status: str(s.status) ?? 'unknown', wall_s: num(s.wallSeconds) };
}

function idOf(catalogueDir: string, dir: string): string {
  return relative(catalogueDir, dir).split(sep).join('/') || '.';
}

/** The catalogue row of a run folder (summary.json), or null when it is none. */
export function runRow(catalogueDir: string, dir: string, sweepId: string | null = null): CatalogueRow | null {
  const s = readJson(join(dir, 'summary.json'));
  if (!s) return null;
  const task = readJson(join(dir, 'task.json'));
  const bal = (s.balance ?? {}) as Record<string, { relativeError?: unknown }>;
  const checks = Array.isArray(s.checks) ? (s.checks as { name?: string; passed?: boolean }[]) : [];
  return {
    id: idOf(catalogueDir, dir),
    kind: str(s.kind) ?? 'unknown',
    name: str(s.scenario) ?? idOf(catalogueDir, dir),
    scenario_hash: str(s.scenarioHash),
    task_hash: str(task?.hash),
    sweep_id: sweepId,
    overrides: json(task?.overrides),
    parameters: existsSync(join(dir, 'resolved-scenario.json')) ? json(readJson(join(dir, 'resolved-scenario.json'))) : null,
    ...provenance(s),
    cpu_s: num(task?.cpuSeconds),
    water_balance_error: num(bal.water?.relativeError),
    carbon_balance_error: num(bal.carbon?.relativeError),
    balance: json(s.balance),
    totals: json(s.totals),
    failed_checks: checks.filter((c) => c.passed === false).map((c) => c.name).join(' '),
    path: resolve(dir),
  };
}

/** The catalogue row of a sweep folder (sweep.json), or null. */
export function sweepRow(catalogueDir: string, dir: string): CatalogueRow | null {
  const s = readJson(join(dir, 'sweep.json'));
  if (!s) return null;
  const counts = (s.counts ?? {}) as Json;
  const none = Object.fromEntries(COLUMNS.map(([n]) => [n, null])) as unknown as CatalogueRow;
  return {
    ...none,
    id: idOf(catalogueDir, dir),
    kind: 'sweep',
    name: str(s.name) ?? idOf(catalogueDir, dir),
    parameters: json({ sweepFile: s.sweepFile, engine: s.engine, attempts: s.attempts }),
    ...provenance(s),
    totals: json(counts),
    path: resolve(dir),
  };
}

/**
 * Visit the folders under `root` (hidden ones and node_modules skipped, symbolic links not
 * followed): `visit` returns true to descend into a folder's sub-folders. Files go to `onFile`.
 */
function walkFolders(root: string, maxDepth: number, visit: (dir: string) => boolean, onFile: (path: string, name: string) => void = () => {}): void {
  const walk = (dir: string, depth: number) => {
    if (!visit(dir) || depth >= maxDepth) return;
    let names: string[] = [];
    try {
      names = readdirSync(dir);
    } catch {
      return;
    }
    for (const n of names) {
      if (n.startsWith('.') || n === 'node_modules') continue;
      const p = join(dir, n);
      try {
        const st = lstatSync(p);
        if (st.isDirectory()) walk(p, depth + 1);
        else if (st.isFile()) onFile(p, n);
      } catch {
        // vanished while listing
      }
    }
  };
  walk(resolve(root), 0);
}

/** Rows for a folder tree: runs, sweeps, and the tasks of each sweep (up to 6 levels deep). */
export function rowsUnder(catalogueDir: string, root: string): CatalogueRow[] {
  const rows: CatalogueRow[] = [];
  walkFolders(root, 6, (dir) => {
    const sweep = sweepRow(catalogueDir, dir);
    if (sweep) {
      rows.push(sweep);
      const tasks = join(dir, 'tasks');
      if (existsSync(tasks)) for (const h of readdirSync(tasks)) if (!h.startsWith('.')) {
        const r = runRow(catalogueDir, join(tasks, h), sweep.id);
        if (r) rows.push(r);
      }
      return false;
    }
    const run = runRow(catalogueDir, dir);
    if (run) rows.push(run);
    return !run;
  });
  return rows;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Open the catalogue (created with its table when missing), run `work`, close. Retries while another process holds the file. */
export async function withCatalogue<T>(file: string, work: (c: DuckDBConnection) => Promise<T>, options: { readOnly?: boolean; timeoutMs?: number } = {}): Promise<T> {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const deadline = Date.now() + (options.timeoutMs ?? 10_000);
  let instance: DuckDBInstance | undefined;
  for (let wait = 20; ; wait = Math.min(500, wait * 2)) {
    try {
      instance = await DuckDBInstance.create(file, options.readOnly ? { access_mode: 'READ_ONLY' } : {});
      break;
    } catch (e) {
      if (!/lock|conflicting/i.test((e as Error).message) || Date.now() > deadline) throw e;
      await sleep(wait);
    }
  }
  const c = await instance.connect();
  try {
    if (!options.readOnly) await c.run(`CREATE TABLE IF NOT EXISTS runs (${COLUMNS.map(([n, t]) => `"${n}" ${t}`).join(', ')})`);
    return await work(c);
  } finally {
    c.closeSync();
    instance.closeSync();
  }
}

/** Insert or replace rows (by id). */
export async function upsertRows(file: string, rows: readonly CatalogueRow[]): Promise<number> {
  if (rows.length === 0 && existsSync(file)) return 0;
  return withCatalogue(file, async (c) => {
    await c.run('BEGIN TRANSACTION');
    for (const r of rows) {
      await c.run(`INSERT OR REPLACE INTO runs VALUES (${COLUMNS.map(() => '?').join(', ')})`, COLUMNS.map(([n]) => r[n] as string | number | null));
    }
    await c.run('COMMIT');
    return rows.length;
  });
}

/** Record one run folder (after `rhizocarb run`). */
export async function recordRun(file: string, runDir: string): Promise<void> {
  const row = runRow(dirname(file), runDir);
  if (row) await upsertRows(file, [row]);
}

/** Bring the catalogue up to date with the result folders under `root` (rows of vanished folders stay). */
export async function syncCatalogue(file: string, root: string): Promise<number> {
  return upsertRows(file, rowsUnder(dirname(file), root));
}

/** Record a sweep and its tasks (called by runSweep at the end); a catalogue failure is a warning, not a sweep failure. */
export async function recordSweepInCatalogue(root: string, explicit: string | undefined, log: (line: string) => void): Promise<void> {
  const file = catalogueFileFor(root, explicit);
  if (!file) return;
  try {
    await upsertRows(file, rowsUnder(dirname(file), root));
  } catch (e) {
    log(`warning: the run catalogue ${file} was not updated: ${(e as Error).message}`);
  }
}

/** Rows as plain objects (BigInt → number, dates → ISO text). */
export async function queryRows(c: DuckDBConnection, sql: string, values: (string | number | null)[] = []): Promise<Record<string, unknown>[]> {
  const reader = await c.runAndReadAll(sql, values);
  return reader.getRowObjectsJson() as Record<string, unknown>[];
}

/** Parquet files of runs under a folder, grouped by file name (`timeseries.parquet` → view `timeseries`). */
export function parquetViews(root: string): Map<string, string[]> {
  const views = new Map<string, string[]>();
  walkFolders(root, 8, () => true, (p, n) => {
    if (!n.endsWith('.parquet')) return;
    const view = n.replace(/\.parquet$/, '').replace(/[^A-Za-z0-9_]/g, '_');
    views.set(view, [...(views.get(view) ?? []), p]);
  });
  return views;
}
