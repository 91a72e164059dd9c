import { existsSync, lstatSync, readdirSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { RunDetail, RunRecord } from '../webapp/api.js';
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

  /** Result folders under the root, newest first; a sweep's tasks are listed through the sweep. */
  async list(filter?: RunFilter): Promise<RunRecord[]> {
    const out: RunRecord[] = [];
    let visited = 0;
    const walk = (dir: string, depth: number) => {
      if (visited++ > MAX_FOLDERS) return;
      if (isResultFolder(dir)) {
        const id = relative(this.root, dir).split(sep).join('/') || '.';
        const r = readRunRecord(dir, id);
        if (r) out.push(r);
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
    out.sort((a, b) => (b.date ?? '').localeCompare(a.date ?? '') || a.id.localeCompare(b.id));
    return out.filter((r) => matchesFilter(r, filter));
  }

  async get(id: string): Promise<RunDetail | null> {
    const dir = id === '.' ? this.root : join(this.root, ...id.split('/'));
    return isResultFolder(dir) ? readRunDetail(dir, id) : null;
  }
}

/** File name of the sweeps issue's run catalogue in the output root. */
export const CATALOGUE_FILE = 'catalogue.duckdb';

/**
 * The run index for `root`. Today: the result folders. When `catalogue.duckdb` exists, a catalogue
 * index can be returned here instead (same interface); until the catalogue's schema has landed the
 * folders stay the source and the catalogue's presence is stated in `source`.
 */
export function openRunIndex(root: string): RunIndex {
  const index = new FolderRunIndex(root);
  if (existsSync(join(root, CATALOGUE_FILE))) {
    return { ...index, list: index.list.bind(index), get: index.get.bind(index), source: `${index.source} (${CATALOGUE_FILE} present; the catalogue index is not wired in yet)` };
  }
  return index;
}
