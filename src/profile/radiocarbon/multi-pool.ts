import { InputError, InputErrors } from '../../core/errors.js';
import { BandMatrix, bandLuFactor, bandLuSolve } from '../../numerics/index.js';
import { CurveRangeError, preBombStartYear, segmentIndex, type AtmosphericCurve } from './curves.js';
import { DECAY_CONSTANT_PER_YEAR } from './units.js';

/**
 * Multi-pool (compartment matrix) radiocarbon model in the form SoilR uses for every named model
 * (Sierra et al. 2012): carbon dC/dt = I + A·C, radiocarbon R = (A/A_std)·C with
 *
 *   dR/dt = I·A_atm(t) + (A − γ·𝟙)·R.
 *
 * Pools are at carbon steady state C* = −A⁻¹·I and, before t₀ (1950.0), at radiocarbon steady state
 * R* = −(A − γ𝟙)⁻¹·I·A_atm(t₀) (the multi-pool Eq 2 of 001). After t₀ the forcing is linear between
 * curve points and each piece is solved exactly with the matrix exponential of the augmented system
 * z = [R; A_atm; 1] (Van Loan 1978): z(t+h) = exp(Ã·h)·z(t), Ã = [[A−γ𝟙, I, 0], [0, 0, slope], [0, 0, 0]].
 */
export interface CompartmentModel {
  /** A, yr⁻¹, row-major n×n: A[i][i] = −k_i, A[i][j] (i ≠ j) = transfer rate from pool j into pool i (≥ 0). */
  readonly matrix_per_year: readonly (readonly number[])[];
  /** Carbon inputs into each pool, mass yr⁻¹ (any mass unit; stocks come out in the same unit × yr). */
  readonly inputs_per_year: readonly number[];
}

export interface MultiPoolResult {
  /** Steady-state stocks C* = −A⁻¹·I (input mass unit × yr). */
  readonly stocks: Float64Array;
  /** Δ14C of each pool at the sampling year, ‰. */
  readonly poolDelta14C_permil: Float64Array;
  /** Stock-weighted Δ14C of the whole soil, ‰. */
  readonly bulkDelta14C_permil: number;
  /** System turnover time Σ C* / Σ I, years. */
  readonly systemTurnoverYears: number;
}

function validate(model: CompartmentModel): number {
  const A = model.matrix_per_year;
  const n = A.length;
  const problems: InputError[] = [];
  if (n === 0) problems.push(new InputError({ keyPath: 'matrix_per_year', value: A, expected: 'a non-empty square matrix' }));
  if (model.inputs_per_year.length !== n) problems.push(new InputError({ keyPath: 'inputs_per_year', value: model.inputs_per_year, expected: `${n} inputs, one per pool` }));
  for (let i = 0; i < n; i++) {
    if (A[i].length !== n) problems.push(new InputError({ keyPath: `matrix_per_year[${i}]`, value: A[i], expected: `${n} entries (square matrix)` }));
    if (!(A[i][i] < 0)) problems.push(new InputError({ keyPath: `matrix_per_year[${i}][${i}]`, value: A[i][i], expected: 'a decay rate −k < 0 on the diagonal' }));
    let colSum = 0;
    for (let j = 0; j < n; j++) {
      colSum += A[j]?.[i] ?? 0;
      if (i !== j && !(A[i][j] >= 0)) problems.push(new InputError({ keyPath: `matrix_per_year[${i}][${j}]`, value: A[i][j], expected: 'a transfer rate ≥ 0 off the diagonal' }));
    }
    if (colSum > 1e-12 * Math.abs(A[i][i])) problems.push(new InputError({ keyPath: `matrix_per_year column ${i}`, value: colSum, expected: 'column sum ≤ 0 (a pool cannot pass on more than it loses)' }));
    if (!(model.inputs_per_year[i] >= 0)) problems.push(new InputError({ keyPath: `inputs_per_year[${i}]`, value: model.inputs_per_year[i], expected: 'an input ≥ 0' }));
  }
  if (problems.length > 0) throw problems.length === 1 ? problems[0] : new InputErrors(problems);
  return n;
}

/** Solve M·x = b for a small dense M (row-major), via the numerics band LU with full bandwidth. */
function denseSolve(n: number, M: Float64Array, b: Float64Array): Float64Array {
  const lu = BandMatrix.dense(n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) lu.set(i, j, M[i * n + j]);
  const piv = new Int32Array(n);
  if (bandLuFactor(lu, piv) !== 0) throw new InputError({ keyPath: 'matrix_per_year', expected: 'an invertible compartment matrix (every pool must lose carbon)' });
  const x = Float64Array.from(b);
  bandLuSolve(lu, piv, x);
  return x;
}

/** out = X·Y for m×m row-major matrices. */
function matmul(m: number, X: Float64Array, Y: Float64Array, out: Float64Array): void {
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < m; j++) {
      let s = 0;
      for (let k = 0; k < m; k++) s += X[i * m + k] * Y[k * m + j];
      out[i * m + j] = s;
    }
  }
}

/** Work arrays for {@link expm}. */
class ExpmWork {
  readonly term: Float64Array;
  readonly tmp: Float64Array;
  readonly scaled: Float64Array;
  constructor(m: number) {
    this.term = new Float64Array(m * m);
    this.tmp = new Float64Array(m * m);
    this.scaled = new Float64Array(m * m);
  }
}

/**
 * Matrix exponential of an m×m matrix X into `out` by scaling and squaring with an 18-term Taylor
 * series on X/2^s, ‖X/2^s‖₁ ≤ 0.5 (truncation ≤ 0.5^19/19! ≈ 1.6e−23 relative). Exported for tests.
 */
export function expm(m: number, X: Float64Array, out: Float64Array, w: ExpmWork = new ExpmWork(m)): void {
  let norm = 0;
  for (let j = 0; j < m; j++) {
    let c = 0;
    for (let i = 0; i < m; i++) c += Math.abs(X[i * m + j]);
    norm = Math.max(norm, c);
  }
  const s = norm > 0.5 ? Math.ceil(Math.log2(norm / 0.5)) : 0;
  const scale = 2 ** -s;
  const { term, tmp, scaled } = w;
  for (let i = 0; i < m * m; i++) scaled[i] = X[i] * scale;
  out.fill(0);
  term.fill(0);
  for (let i = 0; i < m; i++) {
    out[i * m + i] = 1;
    term[i * m + i] = 1;
  }
  for (let k = 1; k <= 18; k++) {
    matmul(m, term, scaled, tmp);
    for (let i = 0; i < m * m; i++) {
      term[i] = tmp[i] / k;
      out[i] += term[i];
    }
  }
  for (let r = 0; r < s; r++) {
    matmul(m, out, out, tmp);
    out.set(tmp);
  }
}

/** Δ14C of each pool and of the bulk soil at decimal `year` for a compartment model at carbon steady state. */
export function multiPoolForward(model: CompartmentModel, curve: AtmosphericCurve, year: number): MultiPoolResult {
  const n = validate(model);
  if (year > curve.endYear) throw new CurveRangeError(curve, year);
  const A = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) A[i * n + j] = model.matrix_per_year[i][j];
  const I = Float64Array.from(model.inputs_per_year);
  const stocks = denseSolve(n, A, I).map((v) => -v);
  const { years, absolute } = curve;
  const t0 = preBombStartYear(curve);
  let i = segmentIndex(years, t0);
  const a0 = t0 <= years[0] ? absolute[0] : absolute[i] + ((t0 - years[i]) / (years[i + 1] - years[i])) * (absolute[i + 1] - absolute[i]);
  const M = Float64Array.from(A);
  for (let p = 0; p < n; p++) M[p * n + p] -= DECAY_CONSTANT_PER_YEAR;
  const R = denseSolve(n, M, I.map((v) => v * a0)).map((v) => -v);
  if (year > t0) {
    const m = n + 2;
    const aug = new Float64Array(m * m);
    const E = new Float64Array(m * m);
    const z = new Float64Array(m);
    const zNew = new Float64Array(m);
    const work = new ExpmWork(m);
    z.set(R);
    z[n] = a0;
    z[n + 1] = 1;
    let t = t0;
    const last = years.length - 1;
    while (t < year) {
      const slope = i < last ? (absolute[i + 1] - absolute[i]) / (years[i + 1] - years[i]) : 0;
      const tEnd = i < last ? Math.min(years[i + 1], year) : year;
      const h = tEnd - t;
      if (h > 0) {
        aug.fill(0);
        for (let r = 0; r < n; r++) {
          for (let c = 0; c < n; c++) aug[r * m + c] = M[r * n + c] * h;
          aug[r * m + n] = I[r] * h;
        }
        aug[n * m + n + 1] = slope * h;
        expm(m, aug, E, work);
        for (let r = 0; r < m; r++) {
          let s = 0;
          for (let c = 0; c < m; c++) s += E[r * m + c] * z[c];
          zNew[r] = s;
        }
        z.set(zNew);
      }
      t = tEnd;
      if (i < last && t >= years[i + 1]) {
        i++;
        z[n] = absolute[i]; // re-anchor on the data point (removes drift of the augmented state)
      }
    }
    R.set(z.subarray(0, n));
  }
  let sumR = 0;
  let sumC = 0;
  let sumI = 0;
  const pool = new Float64Array(n);
  for (let p = 0; p < n; p++) {
    pool[p] = (R[p] / stocks[p] - 1) * 1000;
    sumR += R[p];
    sumC += stocks[p];
    sumI += I[p];
  }
  return { stocks, poolDelta14C_permil: pool, bulkDelta14C_permil: (sumR / sumC - 1) * 1000, systemTurnoverYears: sumC / sumI };
}
