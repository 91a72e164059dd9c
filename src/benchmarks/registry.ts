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
  /** The error this case promises not to exceed; `rhizocarb benchmark` exits 3 when it does (or the error is not finite). */
  readonly tolerance?: number;
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
  /** Largest relative balance error accepted for every entry of `balance` (exit 3 beyond it). */
  readonly balanceTolerance?: number;
}

/** The tolerances a report states and misses, as messages (empty: every stated tolerance holds). */
export function missedTolerances(r: BenchmarkReport): string[] {
  const missed: string[] = [];
  for (const c of r.cases) {
    if (c.tolerance !== undefined && !(Math.abs(c.error) <= c.tolerance)) missed.push(`${r.benchmark} ${c.name}: error ${c.error} exceeds the stated tolerance ${c.tolerance}`);
  }
  if (r.balanceTolerance !== undefined) {
    for (const [k, v] of Object.entries(r.balance ?? {})) if (!(Math.abs(v) <= r.balanceTolerance)) missed.push(`${r.benchmark} ${k}: ${v} exceeds the stated balance tolerance ${r.balanceTolerance}`);
  }
  return missed;
}

/** Options of a benchmark run (`rhizocarb benchmark <name> --path … --cells …`). */
export interface BenchmarkOptions {
  /** Model path: '1d' (default; the benchmark's own model) or 'coupled' (through src/coupling, benchmarks that list it in `paths`). */
  readonly path?: BenchmarkPath;
  /** Radial cells of the 1D model (benchmarks with a radial grid, e.g. c1.1). */
  readonly cells?: number;
}

export type BenchmarkPath = '1d' | 'coupled';

export interface Benchmark {
  readonly name: string;
  readonly description: string;
  /** Paths the benchmark runs through (default ['1d']). */
  readonly paths?: readonly BenchmarkPath[];
  /** Whether the benchmark takes `cells`. */
  readonly takesCells?: boolean;
  run(options?: BenchmarkOptions): Promise<BenchmarkReport>;
}

const benchmarks = new Map<string, Benchmark>();

export function registerBenchmark(b: Benchmark): Benchmark {
  benchmarks.set(b.name.toLowerCase(), b);
  return b;
}

export function benchmarkRegistry(): ReadonlyMap<string, Benchmark> {
  return benchmarks;
}
