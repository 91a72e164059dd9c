import { performance } from 'node:perf_hooks';

/** One benchmark line: a throughput with its unit, optionally a ratio to a baseline measured in the same run. */
export interface BenchResult {
  readonly name: string;
  readonly value: number;
  /** e.g. "cell-steps/s", "rows/s", "simulated d per wall s". */
  readonly unit: string;
  /** value / baseline value, when the benchmark has a baseline in the same run. */
  readonly ratio?: number;
  readonly baseline?: string;
  readonly note?: string;
}

export interface BenchSuite {
  readonly name: string;
  run(): Promise<BenchResult[]>;
}

/** Time `fn` repeatedly for at least `minSeconds` (after one warm-up call); returns seconds per call (median of batches). */
export function timeIt(fn: () => void, minSeconds = 0.5): number {
  fn();
  const samples: number[] = [];
  let total = 0;
  let reps = 1;
  while (total < minSeconds || samples.length < 5) {
    const t0 = performance.now();
    for (let i = 0; i < reps; i++) fn();
    const dt = (performance.now() - t0) / 1000;
    total += dt;
    if (dt < 0.02) {
      reps *= 2;
      continue;
    }
    samples.push(dt / reps);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)];
}

export function formatRate(v: number): string {
  if (v >= 1e9) return (v / 1e9).toFixed(2) + 'e9';
  if (v >= 1e6) return (v / 1e6).toFixed(2) + 'e6';
  if (v >= 1e3) return (v / 1e3).toFixed(2) + 'e3';
  return v.toPrecision(3);
}
