import type { FeatureSpec } from './binning.js';
import type { TrainingData } from './forest.js';

/**
 * Linear model by least squares: intercept, numeric features standardised, categorical features as
 * treatment dummies (first level = reference; 001 converted categories to dummy variables). A tiny
 * ridge term (1e−8 × n on the standardised scale) keeps the normal equations solvable when dummies
 * are collinear or empty. Levels unseen in training contribute nothing (the reference level).
 */
export interface LinearModel {
  readonly features: readonly FeatureSpec[];
  /** numeric: [mean, sd]; categorical: the levels (first = reference). */
  readonly scaling: readonly (readonly number[])[];
  /** Coefficients: intercept, then per feature 1 (numeric) or levels − 1 (categorical). */
  readonly coefficients: Float64Array;
}

const RIDGE = 1e-8;

function designWidth(m: Pick<LinearModel, 'features' | 'scaling'>): number {
  let w = 1;
  m.features.forEach((f, j) => (w += f.kind === 'numeric' ? 1 : Math.max(0, m.scaling[j].length - 1)));
  return w;
}

/** Row i of the design matrix into `row`; false if a feature is NaN. */
function designRow(m: Pick<LinearModel, 'features' | 'scaling'>, columns: readonly ArrayLike<number>[], i: number, row: Float64Array): boolean {
  row.fill(0);
  row[0] = 1;
  let k = 1;
  for (let j = 0; j < m.features.length; j++) {
    const x = columns[j][i];
    if (Number.isNaN(x)) return false;
    const s = m.scaling[j];
    if (m.features[j].kind === 'numeric') row[k++] = (x - s[0]) / s[1];
    else {
      const lv = s.indexOf(x);
      if (lv > 0) row[k + lv - 1] = 1;
      k += Math.max(0, s.length - 1);
    }
  }
  return true;
}

export function trainLinear(data: TrainingData): LinearModel {
  const n = data.y.length;
  const scaling = data.features.map((f, j) => {
    const c = data.columns[j];
    if (f.kind === 'categorical') return [...new Set(Array.from(c))].sort((a, b) => a - b);
    let s = 0;
    for (let i = 0; i < n; i++) s += c[i];
    const mean = s / n;
    let v = 0;
    for (let i = 0; i < n; i++) v += (c[i] - mean) ** 2;
    const sd = Math.sqrt(v / Math.max(1, n - 1));
    return [mean, sd > 0 ? sd : 1];
  });
  const m = { features: data.features, scaling };
  const w = designWidth(m);
  const A = new Float64Array(w * w);
  const b = new Float64Array(w);
  const row = new Float64Array(w);
  for (let i = 0; i < n; i++) {
    designRow(m, data.columns, i, row);
    for (let r = 0; r < w; r++) {
      if (row[r] === 0) continue;
      b[r] += row[r] * data.y[i];
      for (let c = 0; c < w; c++) A[r * w + c] += row[r] * row[c];
    }
  }
  for (let r = 1; r < w; r++) A[r * w + r] += RIDGE * n;
  A[0] += RIDGE * n * 1e-6;
  choleskySolveInPlace(A, b, w);
  return { features: data.features, scaling, coefficients: b };
}

export function predictLinear(m: LinearModel, columns: readonly ArrayLike<number>[]): Float64Array {
  const n = columns.length > 0 ? columns[0].length : 0;
  const w = m.coefficients.length;
  const row = new Float64Array(w);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    if (!designRow(m, columns, i, row)) {
      out[i] = NaN;
      continue;
    }
    let s = 0;
    for (let k = 0; k < w; k++) s += row[k] * m.coefficients[k];
    out[i] = s;
  }
  return out;
}

/** Solve A x = b for symmetric positive definite A (row-major w × w); b is overwritten by x. */
function choleskySolveInPlace(A: Float64Array, b: Float64Array, w: number): void {
  for (let j = 0; j < w; j++) {
    let d = A[j * w + j];
    for (let k = 0; k < j; k++) d -= A[j * w + k] ** 2;
    if (!(d > 0)) throw new RangeError('linear model: normal equations are not positive definite');
    const l = Math.sqrt(d);
    A[j * w + j] = l;
    for (let i = j + 1; i < w; i++) {
      let s = A[i * w + j];
      for (let k = 0; k < j; k++) s -= A[i * w + k] * A[j * w + k];
      A[i * w + j] = s / l;
    }
  }
  for (let i = 0; i < w; i++) {
    let s = b[i];
    for (let k = 0; k < i; k++) s -= A[i * w + k] * b[k];
    b[i] = s / A[i * w + i];
  }
  for (let i = w - 1; i >= 0; i--) {
    let s = b[i];
    for (let k = i + 1; k < w; k++) s -= A[k * w + i] * b[k];
    b[i] = s / A[i * w + i];
  }
}
