import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { dataPath } from '../src/io/paths.js';
import { WorkerPool } from '../src/engine/pool.js';
import { openStack } from '../src/io/raster.js';
import { readTrainingTable } from '../src/io/training-table.js';
import { encodeColumns, fitModel, predictEncoded, predictForest, regressionMetrics, trainForestSync, type TrainingData } from '../src/learning/index.js';
import { SeededRng } from '../src/numerics/random.js';
import { LEARNING_TASKS } from '../src/scenarios/learning-runners.js';
import type { BenchResult, BenchSuite } from './harness.js';

/**
 * `npm run bench -- learning` (LEARNING.md "Speed"): training on Friedman #1 (n = 1e5, 10
 * features, 100 trees, mtry 3, min node size 5, seeded data) side by side with ranger (R, one
 * thread, same data and settings; skipped with a message when Rscript or ranger is missing): time
 * ratio and test R² on 2e4 fresh rows. Mapping: cells × trees per second per core for the ForC
 * I_root forest (500 trees) over the shipped 10′ stack, in this thread and with 2 workers.
 */
function friedman(n: number, seed: number): TrainingData {
  const rng = new SeededRng(seed);
  const cols = Array.from({ length: 10 }, () => new Float64Array(n));
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    for (const c of cols) c[i] = rng.uniform();
    y[i] = 10 * Math.sin(Math.PI * cols[0][i] * cols[1][i]) + 20 * (cols[2][i] - 0.5) ** 2 + 10 * cols[3][i] + 5 * cols[4][i] + rng.normal();
  }
  return { features: cols.map((_, j) => ({ name: `x${j + 1}`, kind: 'numeric' as const })), columns: cols, y };
}

function csv(d: TrainingData): string {
  const lines = [[...d.features.map((f) => f.name), 'y'].join(',')];
  for (let i = 0; i < d.y.length; i++) lines.push([...d.columns.map((c) => c[i]), d.y[i]].join(','));
  return lines.join('\n') + '\n';
}

const R_SCRIPT = `
suppressMessages(library(ranger))
a <- commandArgs(TRUE)
tr <- read.csv(a[1]); te <- read.csv(a[2])
t0 <- proc.time()
m <- ranger(y ~ ., tr, num.trees = 100, mtry = 3, min.node.size = 5, num.threads = 1, seed = 1)
t1 <- proc.time()
d <- t1 - t0
p <- predict(m, te, num.threads = 1)$predictions
cat(sprintf('{"seconds": %.4f, "cpu": %.4f, "r2": %.6f, "oob_r2": %.6f, "version": "%s"}\\n', d[["elapsed"]], d[["user.self"]] + d[["sys.self"]], 1 - sum((te$y - p)^2) / sum((te$y - mean(te$y))^2), m$r.squared, packageVersion("ranger")))
`;

function rangerAvailable(): string | undefined {
  try {
    execFileSync('Rscript', ['-e', 'suppressMessages(library(ranger))'], { stdio: 'ignore' });
    return undefined;
  } catch {
    return 'ranger comparison skipped: Rscript with the ranger package not found (apt-get install -y r-cran-ranger)';
  }
}

export const learningSuite: BenchSuite = {
  name: 'learning',
  async run(): Promise<BenchResult[]> {
    const out: BenchResult[] = [];
    const load = () => `load ${loadavg()[0].toFixed(2)}`;
    const train = friedman(100_000, 1);
    const test = friedman(20_000, 2);
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    const { forest } = trainForestSync(train, { trees: 100, mtry: 3, minNodeSize: 5, seed: 1 });
    const cu = process.cpuUsage(c0);
    const ours = (performance.now() - t0) / 1000;
    // Core-seconds (user + system): the machine is shared, so wall time depends on the others' load.
    const oursCpu = (cu.user + cu.system) / 1e6;
    const r2 = regressionMetrics(test.y, predictForest(forest, test.columns).mean).r2;
    const missing = rangerAvailable();
    if (missing) {
      process.stdout.write(`note: ${missing}\n`);
      out.push({ name: 'Friedman #1 training, n=1e5 p=10, 100 trees (1 thread)', value: 1 / ours, unit: 'forests/s', note: `${ours.toFixed(2)} s, test R² ${r2.toFixed(4)}; ${load()}` });
    } else {
      const dir = mkdtempSync(join(tmpdir(), 'rhizocarb-ranger-'));
      try {
        writeFileSync(join(dir, 'train.csv'), csv(train));
        writeFileSync(join(dir, 'test.csv'), csv(test));
        writeFileSync(join(dir, 'run.R'), R_SCRIPT);
        const r = spawnSync('Rscript', [join(dir, 'run.R'), join(dir, 'train.csv'), join(dir, 'test.csv')], { encoding: 'utf8' });
        const rg = JSON.parse(r.stdout.trim().split('\n').pop()!) as { seconds: number; cpu: number; r2: number; version: string };
        out.push({
          name: 'Friedman #1 training, n=1e5 p=10, 100 trees (1 thread)',
          value: 1 / ours,
          unit: 'forests/s',
          ratio: rg.cpu / oursCpu,
          baseline: `ranger ${rg.version} (ratio = ranger CPU / rhizocarb CPU)`,
          note: `rhizocarb ${ours.toFixed(2)} s wall, ${oursCpu.toFixed(2)} core-s, test R² ${r2.toFixed(4)}; ranger ${rg.seconds.toFixed(2)} s wall, ${rg.cpu.toFixed(2)} core-s, test R² ${rg.r2.toFixed(4)}; time ratio rhizocarb/ranger ${(oursCpu / rg.cpu).toFixed(3)} in core-s, ${(ours / rg.seconds).toFixed(3)} in wall (target ≤ 2); ${load()}`,
        });
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
    // Mapping throughput on the real stack with the ForC I_root forest.
    const feats = ['mat_degC', 'map_mm', 'elevation_m', 'soil_order', 'biome4'];
    const t = readTrainingTable(dataPath('mapping/training/forc_plots_Iroot_fBNPP.csv'), { target: 'I_root', features: feats, categorical: ['soil_order', 'biome4'], log: true });
    const model = await fitModel({ features: feats.map((name) => ({ name, kind: name === 'soil_order' || name === 'biome4' ? 'categorical' : 'numeric' })), columns: t.columns, y: t.y }, { name: 'I_root', transform: 'log' }, { forest: { trees: 500 }, intervals: { method: 'oob' }, importance: false });
    const stack = await openStack(dataPath('mapping/rasters'));
    const rows = 256;
    const cols = await stack.readWindow(feats, 0, 300, 2160, rows);
    await stack.close();
    const n = 2160 * rows;
    const enc = encodeColumns(model.forest.bins, cols, n);
    let valid = 0;
    for (let i = 0; i < n; i++) if (enc.X.every((c) => !Number.isNaN(c[i]))) valid++;
    const t1 = performance.now();
    const c1 = process.cpuUsage();
    predictEncoded(model.forest, enc.X, n);
    const cu1 = process.cpuUsage(c1);
    const s1 = (performance.now() - t1) / 1000;
    const cpu1 = (cu1.user + cu1.system) / 1e6;
    // Per core: cell-trees per core-second (one thread; wall time on the shared machine is noted).
    const rate = (valid * 500) / cpu1;
    const target = (1e7 * 500) / 3600;
    out.push({ name: 'map prediction, ForC I_root forest 500 trees (1 thread)', value: rate, unit: 'cell-trees per core-s', ratio: rate / target, baseline: 'target 1e7 cells × 500 trees per hour per core', note: `${valid} land cells in ${cpu1.toFixed(2)} core-s (${s1.toFixed(2)} s wall) = ${((rate * 3600) / 500 / 1e7).toFixed(2)}e7 cells × 500 trees per core-hour; ${load()}` });
    const pool = new WorkerPool({ concurrency: 2 });
    try {
      const chunk = Math.ceil(n / 8);
      const tasks = Array.from({ length: 8 }, (_, k) => ({ forest: model.forest, X: enc.X.map((c) => c.slice(k * chunk, Math.min(n, (k + 1) * chunk))), n: Math.max(0, Math.min(n, (k + 1) * chunk) - k * chunk) }));
      await pool.map({ module: LEARNING_TASKS, name: 'predictCellsTask' }, tasks.slice(0, 2));
      const t2 = performance.now();
      await pool.map({ module: LEARNING_TASKS, name: 'predictCellsTask' }, tasks);
      const s2 = (performance.now() - t2) / 1000;
      const rate2 = (valid * 500) / s2;
      out.push({ name: 'map prediction, same, 2 worker threads', value: rate2, unit: 'cell-trees/s (wall)', ratio: rate2 / ((valid * 500) / s1), baseline: '1 thread, wall', note: `${s2.toFixed(2)} s; ${load()} (the machine has 2 cores shared with others)` });
    } finally {
      await pool.close();
    }
    return out;
  },
};
