import { InputError } from '../core/errors.js';
import { isMissing, requireColumns, type CsvTable } from '../core/csv.js';
import { readCsvFile } from './files.js';

/**
 * Training and prediction tables for the learners: a CSV with a target column and feature columns.
 * Rows with a missing (or, for log targets, non-positive) target or any missing feature are
 * skipped and counted by reason; a cell that is present but not a number is an input error naming
 * file, line, column and value. Categorical features hold numeric class codes (as the rasters do).
 */
export interface TableSpec {
  readonly target?: string;
  readonly features: readonly string[];
  readonly categorical?: readonly string[];
  /** Log-transformed target: values ≤ 0 are skipped ("target ≤ 0 (log)"). */
  readonly log?: boolean;
  /** Keep rows with a missing target (prediction tables). */
  readonly allowMissingTarget?: boolean;
}

export interface LoadedTable {
  readonly table: CsvTable;
  /** Indices (into table.rows) of the rows kept. */
  readonly rows: Int32Array;
  readonly columns: Float64Array[];
  /** Target values of kept rows (NaN when there is no target). */
  readonly y: Float64Array;
  /** Rows skipped, by reason, e.g. { "missing I_root": 217, "missing soil_order": 3 }. */
  readonly skipped: Record<string, number>;
}

function parseCell(t: CsvTable, r: number, name: string, j: number, errors: InputError[]): number {
  const cell = t.rows[r][j];
  if (isMissing(cell)) return NaN;
  const v = Number(cell.trim());
  if (!Number.isFinite(v)) {
    errors.push(new InputError({ file: t.file, line: t.lines[r], keyPath: name, value: cell, expected: 'a number (categories as numeric codes)' }));
    return NaN;
  }
  return v;
}

export function readTrainingTable(file: string, spec: TableSpec): LoadedTable {
  const t = readCsvFile(file);
  return tableFromCsv(t, spec);
}

export function tableFromCsv(t: CsvTable, spec: TableSpec): LoadedTable {
  const need = [...(spec.target ? [spec.target] : []), ...spec.features];
  requireColumns(t, need, spec.target ? 'target and features' : 'features');
  for (const c of spec.categorical ?? []) if (!spec.features.includes(c)) throw new InputError({ keyPath: '--categorical', value: c, expected: `one of the features (${spec.features.join(', ')})` });
  const errors: InputError[] = [];
  const ti = spec.target ? t.header.indexOf(spec.target) : -1;
  const fi = spec.features.map((f) => t.header.indexOf(f));
  const skipped: Record<string, number> = {};
  const rows: number[] = [];
  const cols: number[][] = spec.features.map(() => []);
  const y: number[] = [];
  const skip = (why: string) => (skipped[why] = (skipped[why] ?? 0) + 1);
  for (let r = 0; r < t.rows.length; r++) {
    const target = ti >= 0 ? parseCell(t, r, spec.target!, ti, errors) : NaN;
    const x = spec.features.map((f, k) => parseCell(t, r, f, fi[k], errors));
    if (ti >= 0 && Number.isNaN(target) && !spec.allowMissingTarget) {
      skip(`missing ${spec.target}`);
      continue;
    }
    if (ti >= 0 && spec.log && target <= 0) {
      skip(`${spec.target} ≤ 0 (log)`);
      continue;
    }
    const miss = spec.features.find((_, k) => Number.isNaN(x[k]));
    if (miss !== undefined) {
      skip(`missing ${miss}`);
      continue;
    }
    rows.push(r);
    y.push(target);
    x.forEach((v, k) => cols[k].push(v));
  }
  if (errors.length > 0) throw errors[0];
  return { table: t, rows: Int32Array.from(rows), columns: cols.map((c) => Float64Array.from(c)), y: Float64Array.from(y), skipped };
}

/** "283 rows used; skipped 217 (missing I_root 210, missing soil_order 7)". */
export function describeSkipped(used: number, skipped: Record<string, number>): string {
  const total = Object.values(skipped).reduce((a, b) => a + b, 0);
  const parts = Object.entries(skipped).map(([k, v]) => `${k} ${v}`);
  return `${used} rows used; skipped ${total}${parts.length ? ` (${parts.join(', ')})` : ''}`;
}
