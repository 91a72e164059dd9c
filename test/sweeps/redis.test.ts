import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSweepFile } from '../../src/scenarios/sweep.js';
import { queryRows, withCatalogue } from '../../src/sweeps/catalogue.js';
import { runSweep } from '../../src/sweeps/run.js';
import { root } from '../helpers/cli.js';
import { startTestRedis, type TestRedis } from '../helpers/redis.js';

/**
 * The distributed engine (BullMQ on Redis) with three `rhizocarb worker` processes, one of them
 * SIGKILLed while it runs a task: every task's result exists exactly once, no partial folder is
 * left, the numbers equal the local engine's, the catalogue has one row per task; a task that
 * fails deterministically is marked failed after `attempts` tries; a resumed sweep recomputes
 * nothing. Skipped (with a message) only when redis-server is not installed.
 */
let redis: TestRedis | null = null;
beforeAll(async () => {
  redis = await startTestRedis();
  if (!redis) console.log('SKIPPED: the distributed sweep tests need redis-server (apt-get install redis-server; .ci/run installs it)');
});
afterAll(async () => {
  await redis?.stop();
});

interface WorkerProc {
  readonly child: ChildProcess;
  log: string;
}

function startWorker(url: string, env: Record<string, string>): WorkerProc {
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'src/cli/main.ts'), 'worker', '--engine', url, '--stall-ms', '2000'], { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  const w: WorkerProc = { child, log: '' };
  child.stderr!.on('data', (c) => (w.log += String(c)));
  return w;
}

const stopWorker = (w: WorkerProc) =>
  new Promise<void>((resolve) => {
    if (w.child.exitCode !== null || w.child.signalCode !== null) return resolve();
    w.child.once('exit', () => resolve());
    w.child.kill('SIGTERM');
  });

describe('distributed engine (BullMQ + Redis)', () => {
  it('21 tasks, 3 worker processes, one SIGKILLed mid-task: 20 results exactly once, the deterministic failure failed after 2 tries, resume recomputes nothing', async (ctx) => {
    if (!redis) return ctx.skip();
    const dir = mkdtempSync(join(tmpdir(), 'rhizocarb-dist-'));
    const file = join(dir, 'sweep.yaml');
    writeFileSync(file, `kind: sweep\nname: dist\nbase: ${join(root, 'examples/single-root.yaml')}\noverrides:\n  parameterSet.row: { from: 0, to: 20 }\n  time.days: [0.05]\nattempts: 2\n`);
    const sweep = loadSweepFile(file);
    const bad = sweep.tasks[7].hash;
    const url = `${redis.url}?queue=test-${process.pid}-${Date.now()}`;
    const workers = [0, 1, 2].map(() => startWorker(url, { RHIZOCARB_SWEEP_FAULT: `throw:${bad}` }));
    let killed: { pid: number; hash: string } | undefined;
    const watcher = setInterval(() => {
      if (killed) return;
      for (const w of workers) {
        const m = /start ([0-9a-f]{24}) \(attempt 1\)/.exec(w.log);
        if (m && m[1] !== bad && !w.log.includes(`done ${m[1]}`)) {
          w.child.kill('SIGKILL');
          killed = { pid: w.child.pid!, hash: m[1] };
          return;
        }
      }
    }, 20);
    const out = join(dir, 'out');
    try {
      const t0 = performance.now();
      const r = await runSweep(sweep, { out, engine: url });
      console.log(`distributed: ${r.done} done, ${r.failed} failed in ${((performance.now() - t0) / 1000).toFixed(1)} s; killed worker ${killed?.pid} while it ran ${killed?.hash}`);
      expect(killed).toBeDefined();
      expect([r.done, r.failed, r.pending]).toEqual([20, 1, 0]);

      // Every result exactly once; no partial or scratch folder.
      const names = readdirSync(join(out, 'tasks'));
      expect(names.sort()).toEqual(sweep.tasks.filter((t) => t.hash !== bad).map((t) => t.hash).sort());
      for (const n of names) {
        expect(existsSync(join(out, 'tasks', n, '.rhizocarb-result.json'))).toBe(true);
        expect(readdirSync(join(out, 'tasks', n)).filter((f) => f.includes('.partial-'))).toEqual([]);
      }
      const logs = workers.map((w) => w.log).join('\n');
      for (const t of sweep.tasks.filter((x) => x.hash !== bad)) expect(logs.match(new RegExp(`done ${t.hash} \\(written`, 'g')) ?? [], t.hash).toHaveLength(1);
      // The killed task was started again by another worker.
      expect(logs.match(new RegExp(`start ${killed!.hash}`, 'g'))!.length).toBeGreaterThanOrEqual(2);

      // The deterministic failure: 2 tries, then failed (recorded in sweep.json and the store).
      expect(logs.match(new RegExp(`failed ${bad} \\(attempt \\d\\)`, 'g'))).toHaveLength(2);
      const json = JSON.parse(readFileSync(join(out, 'sweep.json'), 'utf8'));
      const badState = json.tasks.find((t: { hash: string }) => t.hash === bad);
      expect(badState.status).toBe('failed');
      expect(badState.error).toMatch(/failed after 2 tries: injected fault/);
      expect(existsSync(join(out, 'failures', `${bad}.json`))).toBe(true);

      // Catalogue: one row per finished task.
      const rows = await withCatalogue(join(out, 'catalogue.duckdb'), (c) => queryRows(c, "SELECT count(*)::INTEGER AS n FROM runs WHERE sweep_id = '.'"));
      expect(rows[0].n).toBe(20);

      // Identical numbers to the local engine (three of the tasks, same hashes).
      const local = await runSweep({ kind: 'sweep', name: 'local', base: join(root, 'examples/single-root.yaml'), overrides: { 'parameterSet.row': [0, 1, killed ? sweep.tasks.find((t) => t.hash === killed!.hash)!.overrides['parameterSet.row'] : 2], 'time.days': [0.05] } }, { out: join(dir, 'local'), concurrency: 1, catalogue: false });
      for (const t of local.tasks) {
        const a = JSON.parse(readFileSync(join(dir, 'local', 'tasks', t.hash, 'summary.json'), 'utf8'));
        const b = JSON.parse(readFileSync(join(out, 'tasks', t.hash, 'summary.json'), 'utf8'));
        expect(b.totals).toEqual(a.totals);
        expect(b.balance).toEqual(a.balance);
      }

      // Resume: the 20 results are not recomputed (markers unchanged); only the failed task is tried again.
      const markers = names.map((n) => readFileSync(join(out, 'tasks', n, '.rhizocarb-result.json'), 'utf8'));
      const before = workers.map((w) => w.log.length);
      const r2 = await runSweep(sweep, { out, engine: url, resume: true });
      expect([r2.skipped, r2.done, r2.failed]).toEqual([20, 20, 1]);
      expect(names.map((n) => readFileSync(join(out, 'tasks', n, '.rhizocarb-result.json'), 'utf8'))).toEqual(markers);
      const after = workers.map((w, i) => w.log.slice(before[i])).join('\n');
      expect(after.match(/start ([0-9a-f]{24})/g)?.every((s) => s.endsWith(bad))).toBe(true);
    } finally {
      clearInterval(watcher);
      await Promise.all(workers.map(stopWorker));
    }
  });
});
