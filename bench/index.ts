/**
 * `npm run bench`: throughput benchmarks. Each suite is a file in bench/ exporting a BenchSuite;
 * register it below (one line). `npm run bench -- <filter>` runs the suites whose name contains
 * the filter. Results also go to bench-results.json.
 */
import { writeFileSync } from 'node:fs';
import '../src/io/paths.js'; // installs the reader of shipped data for the models
import { formatRate, type BenchResult, type BenchSuite } from './harness.js';
import { numericsSuite } from './numerics.bench.js';
import { rhizosphereSuite } from './rhizosphere.bench.js';
import { profileSuite } from './profile.bench.js';
import { plantSuite } from './plant.bench.js';
import { soilSuite } from './soil.bench.js';
import { learningSuite } from './learning.bench.js';
import { sweepsSuite } from './sweeps.bench.js';
import { couplingSuite } from './coupling.bench.js';

const suites: BenchSuite[] = [numericsSuite, soilSuite, rhizosphereSuite, plantSuite, profileSuite, learningSuite, couplingSuite, sweepsSuite];

const filter = process.argv[2];
const all: (BenchResult & { suite: string })[] = [];
for (const suite of suites) {
  if (filter && !suite.name.includes(filter)) continue;
  process.stdout.write(`\n## ${suite.name}\n`);
  const results = await suite.run();
  for (const r of results) {
    all.push({ ...r, suite: suite.name });
    const ratio = r.ratio !== undefined ? `  (${r.ratio.toFixed(2)}× ${r.baseline ?? 'baseline'})` : '';
    process.stdout.write(`${r.name.padEnd(58)} ${formatRate(r.value).padStart(9)} ${r.unit}${ratio}${r.note ? `  — ${r.note}` : ''}\n`);
  }
}
writeFileSync('bench-results.json', JSON.stringify({ date: new Date().toISOString(), node: process.version, results: all }, null, 2) + '\n');
