/**
 * Seeded random numbers and summary statistics for the Monte Carlo of 001 (Methods, "Global
 * mapping and prediction uncertainty": 500 draws; median, mean and margin of deviation / mean).
 */

/**
 * xoshiro128** 1.1 (Blackman & Vigna 2018) seeded through splitmix32: a small, fast generator with
 * 2^128 − 1 period that passes BigCrush. Same seed → same sequence on every platform.
 */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  private spare = NaN;

  constructor(seed: number) {
    let s = seed >>> 0;
    const next = (): number => {
      // splitmix32
      s = (s + 0x9e3779b9) | 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.a = next();
    this.b = next();
    this.c = next();
    this.d = next();
    if ((this.a | this.b | this.c | this.d) === 0) this.d = 1;
  }

  /** Next 32-bit unsigned integer. */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.b, 5), 7), 9) >>> 0;
    const t = this.b << 9;
    this.c ^= this.a;
    this.d ^= this.b;
    this.b ^= this.c;
    this.a ^= this.d;
    this.c ^= t;
    this.d = rotl(this.d, 11);
    return result;
  }

  /** Uniform in [0, 1) with 53 random bits. */
  uniform(): number {
    const hi = this.nextUint32() >>> 5; // 27 bits
    const lo = this.nextUint32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** Standard normal deviate (Marsaglia polar method). */
  normal(): number {
    if (!Number.isNaN(this.spare)) {
      const v = this.spare;
      this.spare = NaN;
      return v;
    }
    let u: number;
    let v: number;
    let s: number;
    do {
      u = 2 * this.uniform() - 1;
      v = 2 * this.uniform() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const f = Math.sqrt((-2 * Math.log(s)) / s);
    this.spare = v * f;
    return u * f;
  }

  /**
   * A positive quantity with the given mean and coefficient of variation, drawn from the lognormal
   * with those moments (σ² = ln(1 + cv²), μ = ln mean − σ²/2). cv = 0 returns the mean.
   */
  lognormalMeanCv(mean: number, cv: number): number {
    if (!(cv > 0)) return mean;
    const s2 = Math.log(1 + cv * cv);
    return mean * Math.exp(Math.sqrt(s2) * this.normal() - s2 / 2);
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

/** Sample quantile, R's default type 7 (linear interpolation of order statistics); NaNs ignored. */
export function quantileType7(x: ArrayLike<number>, p: number): number {
  const s = Float64Array.from(x).filter((v) => !Number.isNaN(v)).sort();
  if (s.length === 0) return NaN;
  const h = (s.length - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, s.length - 1);
  return s[lo] + (h - lo) * (s[hi] - s[lo]);
}

/** Monte Carlo summary as 001 reports it. */
export interface DrawSummary {
  readonly median: number;
  readonly mean: number;
  readonly q025: number;
  readonly q975: number;
  /**
   * "Margin of deviation / mean" (001 Methods): half the width of the central 95 % interval,
   * (q97.5 − q2.5)/2, divided by |mean|. (For a normal sample this is 1.96·sd/|mean|.)
   */
  readonly marginOverMean: number;
  /** Draws that gave a finite value. */
  readonly n: number;
}

export function summariseDraws(draws: ArrayLike<number>): DrawSummary {
  let sum = 0;
  let n = 0;
  for (let i = 0; i < draws.length; i++) {
    if (Number.isFinite(draws[i])) {
      sum += draws[i];
      n++;
    }
  }
  const mean = n > 0 ? sum / n : NaN;
  const q025 = quantileType7(Float64Array.from(draws).filter(Number.isFinite), 0.025);
  const q975 = quantileType7(Float64Array.from(draws).filter(Number.isFinite), 0.975);
  return {
    median: quantileType7(Float64Array.from(draws).filter(Number.isFinite), 0.5),
    mean,
    q025,
    q975,
    marginOverMean: (q975 - q025) / 2 / Math.abs(mean),
    n,
  };
}
