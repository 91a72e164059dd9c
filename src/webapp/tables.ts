import { parseCsv } from '../core/csv.js';
import type { TableInfo } from './api.js';
import { fileUrl, getText } from './http.js';

/** A result table in the browser: numeric columns as Float64Array (NaN for empty or non-numeric cells). */
export interface LoadedTable {
  readonly info: TableInfo;
  readonly header: readonly string[];
  readonly rows: number;
  /** Numeric columns; null for text columns. */
  readonly numeric: readonly (Float64Array | null)[];
}

export async function loadTable(info: TableInfo): Promise<LoadedTable> {
  const csv = parseCsv(await getText(fileUrl(info.path)), info.path);
  const numeric = csv.header.map((_, j) => {
    const col = new Float64Array(csv.rows.length);
    let numbers = 0;
    let texts = 0;
    csv.rows.forEach((r, i) => {
      const cell = r[j];
      const v = cell === '' || /^(NA|NaN|null)$/i.test(cell) ? NaN : Number(cell);
      if (Number.isNaN(v) && cell !== '' && !/^(NA|NaN|null)$/i.test(cell)) texts++;
      else numbers++;
      col[i] = v;
    });
    return texts > numbers ? null : col;
  });
  return { info, header: csv.header, rows: csv.rows.length, numeric };
}

export type Layout = { mode: 'series'; x: number } | { mode: 'profile'; group: number; x: number };

const COORD = /(^r_|^r$|distance|depth|radius|^z_|^z$|^x_|^x$|^y_|^top|^bottom|^mid)/i;

function strictlyIncreasing(c: Float64Array): boolean {
  for (let i = 1; i < c.length; i++) if (!(c[i] > c[i - 1])) return false;
  return c.length > 1;
}

/**
 * How to plot a table: a time series (its first column strictly increases: x = that column), or
 * profiles (the first column repeats, e.g. time_d of radial profiles: one line per value, x = a
 * coordinate column that varies within a group).
 */
export function tableLayout(t: LoadedTable): Layout {
  const first = t.numeric[0];
  if (!first || strictlyIncreasing(first)) return { mode: 'series', x: first ? 0 : Math.max(0, t.numeric.findIndex((c) => c !== null)) };
  // Rows of the first group (equal first-column values).
  let n = 1;
  while (n < first.length && first[n] === first[0]) n++;
  const varies = (j: number) => {
    const c = t.numeric[j];
    if (!c || j === 0) return false;
    for (let i = 1; i < n; i++) if (c[i] !== c[0]) return true;
    return false;
  };
  const cands = t.header.map((_, j) => j).filter(varies);
  const x = cands.find((j) => COORD.test(t.header[j])) ?? cands[0] ?? 1;
  return { mode: 'profile', group: 0, x };
}

/** Row ranges of the groups of a profile table (consecutive equal values of the group column). */
export function groups(t: LoadedTable, group: number): { value: number; from: number; to: number }[] {
  const g = t.numeric[group];
  if (!g) return [];
  const out: { value: number; from: number; to: number }[] = [];
  let from = 0;
  for (let i = 1; i <= g.length; i++) {
    if (i === g.length || g[i] !== g[from]) {
      out.push({ value: g[from], from, to: i });
      from = i;
    }
  }
  return out;
}

/** Sorted (x, y) of rows [from, to) of two columns. */
export function xySlice(t: LoadedTable, x: number, y: number, from = 0, to = t.rows): { x: Float64Array; y: Float64Array } {
  const xs = t.numeric[x]!;
  const ys = t.numeric[y]!;
  const idx = Array.from({ length: to - from }, (_, k) => from + k).filter((i) => Number.isFinite(xs[i]));
  idx.sort((a, b) => xs[a] - xs[b]);
  return { x: Float64Array.from(idx, (i) => xs[i]), y: Float64Array.from(idx, (i) => ys[i]) };
}
