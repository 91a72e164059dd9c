/** Public API, namespace `benchmarks`: published benchmark problems and their error metrics. Listed in docs/API.md (a test compares). */
export {
  benchmarkRegistry,
} from '../benchmarks/index.js';
export type {
  Benchmark,
  BenchmarkReport,
  BenchmarkCase,
} from '../benchmarks/index.js';
