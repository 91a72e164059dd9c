/**
 * Published benchmark problems as runnable checks. Each reports rhizocarb's error with the
 * benchmark's own metric and, computed in the same run with the same metric, the error of every
 * other simulator whose results ship with the benchmark.
 */
export interface BenchmarkCase {
  readonly name: string;
  /** rhizocarb's error in the benchmark's metric. */
  readonly error: number;
  /** The same metric for each other simulator (null when its result is missing for this case). */
  readonly others: Record<string, number | null>;
  /** Any further numbers worth printing (balance errors, timings, stress-onset times ...). */
  readonly details?: Record<string, number | string | null>;
}

export interface BenchmarkReport {
  readonly benchmark: string;
  /** The metric, in words (e.g. "RMSE of θ over depth, cm³ cm⁻³"). */
  readonly metric: string;
  readonly cases: BenchmarkCase[];
  /** Caveats from the benchmark's PROVENANCE (reference limitations) and rhizocarb's settings. */
  readonly notes?: string[];
  /** Water balance errors etc. for the whole benchmark run. */
  readonly balance?: Record<string, number>;
}

export interface Benchmark {
  readonly name: string;
  readonly description: string;
  run(): Promise<BenchmarkReport>;
}

const benchmarks = new Map<string, Benchmark>();

export function registerBenchmark(b: Benchmark): Benchmark {
  benchmarks.set(b.name.toLowerCase(), b);
  return b;
}

export function benchmarkRegistry(): ReadonlyMap<string, Benchmark> {
  return benchmarks;
}
