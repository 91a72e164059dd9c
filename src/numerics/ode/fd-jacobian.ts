import { BandMatrix } from '../linalg/banded.js';
import { bandSparsity, colorColumns, patternBandwidth, type SparsityPattern } from '../linalg/sparsity.js';
import type { OdeProblem } from './types.js';

const SQRT_EPS = Math.sqrt(Number.EPSILON);

/**
 * Forward-difference Jacobian ∂f/∂y with column colouring (Curtis, Powell & Reid 1974): columns
 * that share no row are perturbed together, so a Jacobian costs one right-hand-side evaluation per
 * colour. Stores into band storage whose bandwidths cover the pattern. Allocates only in the
 * constructor.
 */
export class ColoredFdJacobian {
  readonly n: number;
  readonly pattern: SparsityPattern;
  readonly kl: number;
  readonly ku: number;
  private readonly colorStart: Int32Array;
  private readonly colorCols: Int32Array;
  private readonly yTmp: Float64Array;
  private readonly fTmp: Float64Array;
  private readonly delta: Float64Array;

  constructor(shape: Pick<OdeProblem, 'n' | 'sparsity' | 'lowerBandwidth' | 'upperBandwidth'>) {
    const n = shape.n;
    this.n = n;
    let kl = shape.lowerBandwidth ?? n - 1;
    let ku = shape.upperBandwidth ?? n - 1;
    let pattern = shape.sparsity;
    if (pattern) {
      if (pattern.n !== n) throw new RangeError(`sparsity is ${pattern.n}×${pattern.n}, problem has n=${n}`);
      const bw = patternBandwidth(pattern);
      kl = Math.max(bw.kl, shape.lowerBandwidth ?? 0);
      ku = Math.max(bw.ku, shape.upperBandwidth ?? 0);
    } else {
      pattern = bandSparsity(n, kl, ku);
    }
    this.pattern = pattern;
    this.kl = kl;
    this.ku = ku;
    const { colors, count } = colorColumns(pattern);
    this.colorStart = new Int32Array(count + 1);
    for (let j = 0; j < n; j++) this.colorStart[colors[j] + 1]++;
    for (let c = 0; c < count; c++) this.colorStart[c + 1] += this.colorStart[c];
    this.colorCols = new Int32Array(n);
    const fill = this.colorStart.slice(0, count);
    for (let j = 0; j < n; j++) this.colorCols[fill[colors[j]]++] = j;
    this.yTmp = new Float64Array(n);
    this.fTmp = new Float64Array(n);
    this.delta = new Float64Array(n);
  }

  /** Right-hand-side evaluations per Jacobian (the number of colours). */
  get colorCount(): number {
    return this.colorStart.length - 1;
  }

  /** A band matrix of matching shape. */
  newMatrix(): BandMatrix {
    return new BandMatrix(this.n, this.kl, this.ku);
  }

  /**
   * J ← ∂f/∂y at (t, y), given f0 = f(t, y). The increment of column j is √ε·max(|y_j|, scale_j)
   * (scale: the magnitude where absolute and relative tolerance meet, atol_j/rtol). J must have
   * this object's shape; entries outside the pattern are left untouched (zero them first).
   * Returns the number of right-hand-side evaluations.
   */
  evaluate(problem: OdeProblem, t: number, y: Float64Array, f0: Float64Array, J: BandMatrix, scale: number | Float64Array): number {
    const { yTmp, fTmp, delta, colorStart, colorCols, pattern } = this;
    const { colPtr, rowIdx } = pattern;
    yTmp.set(y);
    const data = J.data;
    const ldab = J.ldab;
    const kv = J.kl + J.ku;
    const count = colorStart.length - 1;
    for (let c = 0; c < count; c++) {
      for (let m = colorStart[c]; m < colorStart[c + 1]; m++) {
        const j = colorCols[m];
        const s = Math.max(Math.abs(y[j]), typeof scale === 'number' ? scale : scale[j]);
        const yj = y[j] + SQRT_EPS * (s > 0 ? s : 1);
        delta[j] = yj - y[j]; // the exactly representable increment
        yTmp[j] = yj;
      }
      problem.rhs(t, yTmp, fTmp);
      for (let m = colorStart[c]; m < colorStart[c + 1]; m++) {
        const j = colorCols[m];
        const inv = 1 / delta[j];
        const col = kv - j + j * ldab;
        for (let k = colPtr[j]; k < colPtr[j + 1]; k++) {
          const i = rowIdx[k];
          data[col + i] = (fTmp[i] - f0[i]) * inv;
        }
        yTmp[j] = y[j];
      }
    }
    return count;
  }
}
