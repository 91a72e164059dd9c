import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { loadSweepFile, sweepFromObject } from '../src/scenarios/sweep.js';
import { runSweep } from '../src/sweeps/run.js';
import { startTestRedis } from '../test/helpers/redis.js';
import type { BenchResult, BenchSuite } from './harness.js';

/**
 * `npm run bench -- sweeps` (docs/SWEEPS.md "Measured"):
 * 1. local engine, 1 vs 2 worker threads on the first SWEEP_BENCH_ROWS (default 24) of the 99
 *    TraiRhizo sets (examples/sweep-99-sets.yaml: single-root, 2 days): tasks/s and speed-up;
 * 2. the whole examples/sweep-99-sets.yaml with 2 threads: wall time, and the rows that violate an
 *    App. G constraint (004 Tables G1/G2, failed plausibility checks in tasks.csv);
 * 3. distributed engine on a private loopback redis-server: tasks/s with 1, 2, 4 `rhizocarb worker`
 *    processes of a short task (single-root, 0.02 d in 10-min coupling steps), and queue overhead per task (wall per task
 *    with one worker minus the task's own run time). Skipped with a message without redis-server.
 * The machine's load average is printed: on a shared machine the ratios are lower bounds.
 */
const root = fileURLToPath(new URL('..', import.meta.url));
const example = join(root, 'examples/sweep-99-sets.yaml');
const tmp = () => mkdtempSync(join(tmpdir(), 'rhizocarb-bench-sweep-'));

function rowsSweep(rows: number, days: number, extra: Record<string, unknown[]> = {}) {
  return sweepFromObject({ kind: 'sweep', name: `bench-${rows}`, base: join(root, 'examples/single-root.yaml'), overrides: { 'parameterSet.row': { from: 0, to: rows - 1 }, 'time.days': [days], ...extra } });
}

async function localRun(rows: number, concurrency: number): Promise<number> {
  const dir = tmp();
  const r = await runSweep(rowsSweep(rows, 2), { out: join(dir, 'out'), concurrency, catalogue: false });
  rmSync(dir, { recursive: true, force: true });
  if (r.failed > 0) throw new Error(`${r.failed} tasks failed`);
  return r.wallSeconds;
}

function startWorker(url: string): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'src/cli/main.ts'), 'worker', '--engine', url], { cwd: root, stdio: ['ignore', 'ignore', 'pipe'] });
    let log = '';
    child.stderr!.on('data', (c) => {
      log += String(c);
      if (/^worker \d+ on /m.test(log)) resolve(child);
    });
    child.once('exit', (code) => reject(new Error(`worker exited (${code}): ${log}`)));
  });
}

const stop = (c: ChildProcess) => new Promise<void>((r) => (c.exitCode !== null ? r() : (c.once('exit', () => r()), c.kill('SIGTERM'))));

export const sweepsSuite: BenchSuite = {
  name: 'sweeps',
  async run() {
    const results: BenchResult[] = [];
    // Each line also goes to stderr as soon as it is measured (the suite takes minutes).
    const out = { push: (r: BenchResult) => (results.push(r), process.stderr.write(`  ${r.name}: ${r.value.toFixed(3)} ${r.unit}${r.ratio ? ` (${r.ratio.toFixed(2)}×)` : ''} — ${r.note ?? ''}\n`)) };
    const load = () => `load average ${loadavg()[0].toFixed(2)} on ${availableParallelism()} cores`;
    const rows = Number(process.env.SWEEP_BENCH_ROWS ?? 24);
    const t1 = await localRun(rows, 1);
    out.push({ name: `local, 1 worker thread, ${rows} sets × 2 d`, value: rows / t1, unit: 'tasks/s', note: `${t1.toFixed(1)} s wall; ${load()}` });
    const t2 = await localRun(rows, 2);
    out.push({ name: `local, 2 worker threads, ${rows} sets × 2 d`, value: rows / t2, unit: 'tasks/s', ratio: t1 / t2, baseline: '1 thread (speed-up)', note: `${t2.toFixed(1)} s wall; ${load()}` });

    const dir = tmp();
    const sweep = loadSweepFile(example);
    const all = await runSweep(sweep, { out: join(dir, 'out'), concurrency: 2, catalogue: false });
    const csv = readFileSync(join(dir, 'out', 'tasks.csv'), 'utf8').trim().split('\n');
    const head = csv[0].split(',');
    const wi = head.indexOf('failed_warnings_count');
    const violating = csv.slice(1).filter((l) => Number(l.split(',')[wi]) > 0).length;
    out.push({ name: `examples/sweep-99-sets.yaml, 2 worker threads`, value: sweep.tasks.length / all.wallSeconds, unit: 'tasks/s', note: `${all.wallSeconds.toFixed(1)} s wall for ${sweep.tasks.length} tasks (${all.done} done, ${all.failed} failed); ${violating} of ${sweep.tasks.length} rows violate at least one App. G constraint; ${load()}` });
    rmSync(dir, { recursive: true, force: true });

    const redis = await startTestRedis();
    if (!redis) {
      process.stdout.write('distributed: SKIPPED (redis-server not installed)\n');
      return results;
    }
    try {
      const n = 40;
      let perTask1 = 0;
      for (const workers of [1, 2, 4]) {
        const url = `${redis.url}?queue=bench-${workers}`;
        const procs = await Promise.all(Array.from({ length: workers }, () => startWorker(url)));
        const d = tmp();
        try {
          const s = sweepFromObject({ kind: 'sweep', name: 'short', base: join(root, 'examples/single-root.yaml'), overrides: { 'parameterSet.row': { from: 0, to: n - 1 }, 'time.days': [0.02], 'time.couplingStep_min': [10] } });
          const t0 = performance.now();
          const r = await runSweep(s, { out: join(d, 'out'), engine: url, catalogue: false });
          const wall = (performance.now() - t0) / 1000;
          const own = r.tasks.reduce((a, t) => a + (t.wallSeconds ?? 0), 0) / n;
          if (workers === 1) perTask1 = wall / n;
          out.push({
            name: `distributed, ${workers} worker process${workers > 1 ? 'es' : ''}, ${n} tasks of 0.02 d`,
            value: n / wall,
            unit: 'tasks/s',
            ...(workers > 1 ? { ratio: perTask1 / (wall / n), baseline: '1 worker' } : {}),
            note: `${wall.toFixed(1)} s wall; mean task run ${(own * 1000).toFixed(0)} ms${workers === 1 ? `, queue + store overhead ${((wall / n - own) * 1000).toFixed(0)} ms per task` : ''}; ${load()}`,
          });
        } finally {
          await Promise.all(procs.map(stop));
          rmSync(d, { recursive: true, force: true });
        }
      }
    } finally {
      await redis.stop();
    }
    return results;
  },
};
