import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import type { RandomGenerator } from 'pure-rand/types/RandomGenerator';

/**
 * Seeded random numbers for the root architecture (pure-rand xoroshiro128+): the same seed gives
 * the same plant on every machine. Normal deviates by the Box–Muller transform.
 */
export class PlantRng {
  private readonly gen: RandomGenerator;
  private spare = NaN;

  constructor(seed: number) {
    this.gen = xoroshiro128plus(seed | 0);
  }

  /** Uniform in [0, 1). */
  uniform(): number {
    return uniformFloat64(this.gen);
  }

  /** Standard normal N(0, 1). */
  normal(): number {
    if (!Number.isNaN(this.spare)) {
      const s = this.spare;
      this.spare = NaN;
      return s;
    }
    let u = 0;
    while (u === 0) u = this.uniform();
    const v = this.uniform();
    const rad = Math.sqrt(-2 * Math.log(u));
    this.spare = rad * Math.sin(2 * Math.PI * v);
    return rad * Math.cos(2 * Math.PI * v);
  }

  /** A draw from N(mean, dev²) truncated at 0 (CPlantBox's `max(mean + dev·randn, 0)`); no draw when dev = 0. */
  realize(mean: number, dev: number): number {
    return dev > 0 ? Math.max(mean + dev * this.normal(), 0) : mean;
  }
}
