import { readFileSync } from 'node:fs';
import { dataPath } from '../io/paths.js';
import { InputError } from '../core/errors.js';
import { parseCsv } from '../core/csv.js';
import { interpolateLinear } from '../numerics/interpolate.js';

/**
 * Shared helpers of the benchmark modules: reading the shipped reference files and the error
 * metric of the RSA-benchmarks comparison notebooks.
 */

/** Read a shipped data file under data/benchmarks/ (never outside the package). */
export function readBenchmarkFile(relative: string): string {
  const path = dataPath(`benchmarks/${relative}`);
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    throw new InputError({ file: path, expected: 'a shipped benchmark data file (reinstall the package?)', detail: (e as Error).message });
  }
}

/**
 * Comma-separated numeric rows (one quantity per row), as the simulator result files of the
 * comparison repository are written. Unparsable cells ('NaN') become 0 when `nanAsZero` (what the
 * M2/C1 comparison notebooks do) and NaN otherwise (for callers that drop them).
 */
export function parseNumberRows(text: string, nanAsZero: boolean): number[][] {
  return text
    .split(/\r?\n/)
    .filter((l) => l.trim().length > 0)
    .map((l) =>
      l
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s.length > 0)
        .map((s) => {
          const v = Number(s);
          return Number.isNaN(v) && nanAsZero ? 0 : v;
        }),
    );
}

/** Rows of a shipped simulator result file ('NaN' read as 0, as the comparison notebooks do). */
export function readResultRows(relative: string): number[][] {
  return parseNumberRows(readBenchmarkFile(relative), true);
}

/** A shipped CSV with a header line, as column arrays (numbers where a value parses, else strings). */
export function readCsvColumns(relative: string): Record<string, (number | string)[]> {
  const t = parseCsv(readBenchmarkFile(relative), dataPath(`benchmarks/${relative}`));
  return Object.fromEntries(
    t.header.map((h, j) => [
      h,
      t.rows.map((row) => {
        const v = Number(row[j]);
        return row[j] !== '' && Number.isFinite(v) ? v : row[j];
      }),
    ]),
  );
}

/**
 * A curve y(x) for linear interpolation: points sorted by x, equal x merged by averaging y (grid
 * files that list the same depth for several columns of a 3D mesh).
 */
export class Curve {
  readonly x: Float64Array;
  readonly y: Float64Array;
  constructor(x: ArrayLike<number>, y: ArrayLike<number>) {
    const n = Math.min(x.length, y.length);
    const idx = Array.from({ length: n }, (_, i) => i).filter((i) => Number.isFinite(x[i]) && Number.isFinite(y[i]));
    idx.sort((a, b) => x[a] - x[b]);
    const xs: number[] = [];
    const ys: number[] = [];
    for (let k = 0; k < idx.length; ) {
      const x0 = x[idx[k]];
      let s = 0;
      let c = 0;
      while (k < idx.length && x[idx[k]] === x0) {
        s += y[idx[k]];
        c++;
        k++;
      }
      xs.push(x0);
      ys.push(s / c);
    }
    this.x = Float64Array.from(xs);
    this.y = Float64Array.from(ys);
  }
  get min(): number {
    return this.x[0];
  }
  get max(): number {
    return this.x[this.x.length - 1];
  }
  /** Linear interpolation; NaN outside [min, max]. */
  at(xq: number): number {
    const { x, y } = this;
    const n = x.length;
    if (n === 0 || xq < x[0] || xq > x[n - 1]) return Number.NaN;
    return interpolateLinear(x, y, xq);
  }
}

/**
 * Normalised root-mean-square error of `sim` against `ref` (the "nRMSE" of the comparison
 * notebooks): sqrt(mean((sim − ref)²)) / (max ref − min ref). Pairs with a non-finite value are
 * skipped; null when fewer than 2 pairs remain.
 */
export function nrmse(ref: ArrayLike<number>, sim: ArrayLike<number>): number | null {
  let s = 0;
  let c = 0;
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < ref.length; i++) {
    if (!Number.isFinite(ref[i]) || !Number.isFinite(sim[i])) continue;
    const d = sim[i] - ref[i];
    s += d * d;
    c++;
    lo = Math.min(lo, ref[i]);
    hi = Math.max(hi, ref[i]);
  }
  if (c < 2 || !(hi > lo)) return null;
  return Math.sqrt(s / c) / (hi - lo);
}
