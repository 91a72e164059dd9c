import { existsSync, lstatSync, readdirSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { RunDetail, RunRecord } from '../webapp/api.js';
import { CATALOGUE_FILE } from '../sweeps/catalogue.js';
import { balanceEntries, runStatus, totalsOf } from '../webapp/summary.js';
import { isResultFolder, readRunDetail, readRunRecord } from './result-folder.js';

/**
 * Where the dashboard's run list comes from. {@link FolderRunIndex} scans the result folders under
 * the root; the DuckDB run catalogue of the sweeps issue (`catalogue.duckdb` in the root) plugs in
 * behind the same interface ({@link openRunIndex} is the one place that chooses).
 */
export interface RunFilter {
  /** Substring of id, name or kind (case-insensitive). */
  readonly text?: string;
  readonly kind?: string;
  readonly status?: string;
}

export interface RunIndex {
  /** Human-readable description of the source ("result folders under …", "catalogue …"). */
  readonly source: string;
  list(filter?: RunFilter): Promise<RunRecord[]>;
  /** A run by id (its folder relative to the root); null when unknown. */
  get(id: string): Promise<RunDetail | null>;
}

export function matchesFilter(r: RunRecord, f: RunFilter = {}): boolean {
  if (f.kind && r.kind !== f.kind) return false;
  if (f.status && r.status !== f.status) return false;
  if (f.text) {
    const t = f.text.toLowerCase();
    if (![r.id, r.name, r.kind].some((s) => s.toLowerCase().includes(t))) return false;
  }
  return true;
}

/** Folder levels searched below the root, and the most folders visited per listing. */
const MAX_DEPTH = 6;
const MAX_FOLDERS = 20_000;

export class FolderRunIndex implements RunIndex {
  readonly source: string;

  constructor(private readonly root: string) {
    this.source = `result folders under ${root}`;
  }

  /** Ids (folders relative to the root) of the result folders under the root; a sweep's tasks are listed through the sweep. */
  ids(): string[] {
    const out: string[] = [];
    let visited = 0;
    const walk = (dir: string, depth: number) => {
      if (visited++ > MAX_FOLDERS) return;
      if (isResultFolder(dir)) {
        out.push(relative(this.root, dir).split(sep).join('/') || '.');
        return;
      }
      if (depth >= MAX_DEPTH) return;
      let names: string[];
      try {
        names = readdirSync(dir);
      } catch {
        return;
      }
      for (const name of names) {
        if (name.startsWith('.') || name === 'node_modules') continue;
        const p = join(dir, name);
        try {
          if (lstatSync(p).isDirectory()) walk(p, depth + 1);
        } catch {
          // vanished while listing
        }
      }
    };
    walk(this.root, 0);
    return out;
  }

  /** The run list entry of a result folder by id (null when it is none). */
  record(id: string): RunRecord | null {
    return readRunRecord(this.dir(id), id);
  }

  dir(id: string): string {
    return id === '.' ? this.root : join(this.root, ...id.split('/'));
  }

  /** Result folders under the root, newest first. */
  async list(filter?: RunFilter): Promise<RunRecord[]> {
    const out = this.ids().map((id) => this.record(id)).filter((r): r is RunRecord => r !== null);
    return sortAndFilter(out, filter);
  }

  async get(id: string): Promise<RunDetail | null> {
    const dir = this.dir(id);
    return isResultFolder(dir) ? readRunDetail(dir, id) : null;
  }
}

function sortAndFilter(out: RunRecord[], filter?: RunFilter): RunRecord[] {
  out.sort((a, b) => (b.date ?? '').localeCompare(a.date ?? '') || a.id.localeCompare(b.id));
  return out.filter((r) => matchesFilter(r, filter));
}

/** A catalogue row as the run list shows it (no file of the run is read). */
function recordFromRow(r: Record<string, unknown>): RunRecord {
  const parse = (v: unknown) => {
    try {
      return typeof v === 'string' ? (JSON.parse(v) as Record<string, unknown>) : {};
    } catch {
      return {};
    }
  };
  const str = (v: unknown) => (typeof v === 'string' ? v : null);
  const num = (v: unknown) => (typeof v === 'number' ? v : null);
  const stated = String(r.status ?? '');
  if (r.kind === 'sweep') {
    const c = parse(r.totals) as { total?: number; done?: number; failed?: number };
    const failed = c.failed ?? 0;
    return {
      id: String(r.id), kind: 'sweep', name: String(r.name ?? r.id), version: str(r.version), commit: str(r.commit), date: str(r.finished_at) ?? str(r.started_at),
      status: failed > 0 ? 'failed' : stated === 'done' ? 'passed' : 'unchecked', failures: failed > 0 ? [`${failed} of ${c.total ?? '?'} tasks failed`] : [],
      wallSeconds: num(r.wall_s), balance: [], totals: {}, sweep: { tasks: c.total ?? 0, done: c.done ?? 0, failed },
    };
  }
  const summary = { status: stated, balance: parse(r.balance), totals: parse(r.totals) };
  const balance = balanceEntries(summary);
  const { status, failures } = runStatus(summary, balance, []);
  return { id: String(r.id), kind: String(r.kind), name: String(r.name ?? r.id), version: str(r.version), commit: str(r.commit), date: str(r.finished_at), status, failures, wallSeconds: num(r.wall_s), balance, totals: totalsOf(summary), sweep: null };
}

/**
 * The run list from the DuckDB run catalogue (src/sweeps/catalogue.ts): catalogue rows for the
 * folders it knows (nothing of those folders is read), the folder scan for result folders it does
 * not know yet (made by hand, or copied in), and the folder scan alone when the catalogue cannot be
 * read (held by a writer past the retry time, or DuckDB missing). Details always come from the folder.
 */
export class CatalogueRunIndex implements RunIndex {
  readonly source: string;
  private readonly folders: FolderRunIndex;

  constructor(private readonly root: string, private readonly file: string) {
    this.folders = new FolderRunIndex(root);
    this.source = `run catalogue ${file} (result folders under ${root} it does not list are added from a folder scan)`;
  }

  async list(filter?: RunFilter): Promise<RunRecord[]> {
    let rows: Record<string, unknown>[];
    try {
      const { withCatalogue, queryRows } = await import('../sweeps/catalogue.js');
      rows = await withCatalogue(this.file, (c) => queryRows(c, 'SELECT * FROM runs WHERE sweep_id IS NULL'), { readOnly: true, timeoutMs: 2000 });
    } catch {
      return this.folders.list(filter);
    }
    const known = new Map(rows.map((r) => [String(r.id), r]));
    const out: RunRecord[] = [];
    for (const id of this.folders.ids()) {
      const row = known.get(id);
      const rec = row ? recordFromRow(row) : this.folders.record(id);
      if (rec) out.push(rec);
    }
    return sortAndFilter(out, filter);
  }

  get(id: string): Promise<RunDetail | null> {
    return this.folders.get(id);
  }
}

/** The run catalogue's file name in the root (src/sweeps/catalogue.ts). */
export { CATALOGUE_FILE };

/** The run index for `root`: the catalogue when `catalogue.duckdb` exists there, else the result folders. */
export function openRunIndex(root: string): RunIndex {
  const file = join(root, CATALOGUE_FILE);
  return existsSync(file) ? new CatalogueRunIndex(root, file) : new FolderRunIndex(root);
}
