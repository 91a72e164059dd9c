import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { InterruptedError } from '../../src/core/errors.js';
import { loadScenarioFile, resolveScenario, runScenario } from '../../src/scenarios/run.js';
import { loadSweepFile, taskHash } from '../../src/scenarios/sweep.js';
import { runSweep } from '../../src/sweeps/run.js';
import { cliInProcess, root } from '../helpers/cli.js';
import { inputErrorMessages } from '../helpers/input-errors.js';

/**
 * The local sweep engine on tiny single-root tasks (0.05 simulated days): task identity, results
 * equal to a standalone run, one failed task recorded while the sweep goes on, a dying worker
 * thread retried then failed, resume without recomputation, abort leaving pending tasks, and bad
 * sweep files rejected with errors naming file, line, key and expectation.
 */
const example = join(root, 'examples/single-root.yaml');

function sweepFile(body: string): { dir: string; file: string } {
  const dir = mkdtempSync(join(tmpdir(), 'rhizocarb-sweep-'));
  const file = join(dir, 'sweep.yaml');
  writeFileSync(file, `kind: sweep\nname: t\nbase: ${example}\n${body}`);
  return { dir, file };
}

const tiny = 'overrides:\n  parameterSet.row: [0, 1, 2, 3]\n  time.days: [0.05]\n';

afterEach(() => {
  delete process.env.RHIZOCARB_SWEEP_FAULT;
});

describe('sweep files', () => {
  it('expand the grid into hashed tasks (hash of the resolved scenario + version)', () => {
    const { file } = sweepFile('overrides:\n  parameterSet.row: { from: 0, to: 98 }\n  time.days: [2]\n');
    const s = loadSweepFile(file);
    expect(s.tasks).toHaveLength(99);
    expect(s.tasks[5].overrides).toEqual({ 'parameterSet.row': 5, 'time.days': 2 });
    const direct = loadScenarioFile(example, { set: ['parameterSet={row: 5}', 'time.days=2'] });
    expect(s.tasks[5].hash).toBe(taskHash(resolveScenario(direct), s.version));
    expect(taskHash(s.tasks[5].resolved, '9.9.9')).not.toBe(s.tasks[5].hash);
    expect(new Set(s.tasks.map((t) => t.hash)).size).toBe(99);
  });

  it('list: entries times the grid, and seeds as one more dimension', () => {
    const { file } = sweepFile('list:\n  - { parameterSet: highCO2 }\n  - { parameterSet: highMB }\noverrides:\n  time.days: [0.05, 0.1]\n');
    const s = loadSweepFile(file);
    expect(s.tasks.map((t) => t.overrides)).toEqual([
      { parameterSet: 'highCO2', 'time.days': 0.05 },
      { parameterSet: 'highCO2', 'time.days': 0.1 },
      { parameterSet: 'highMB', 'time.days': 0.05 },
      { parameterSet: 'highMB', 'time.days': 0.1 },
    ]);
  });

  it('bad sweep files: unknown key, empty grid, too many tasks without --yes; exit 2, nothing written', async () => {
    const unknown = sweepFile('overrides:\n  time.dayz: [2]\n');
    const m1 = inputErrorMessages(() => loadSweepFile(unknown.file));
    console.log(m1[0]);
    expect(m1[0]).toContain(`${unknown.file}:5:`);
    expect(m1[0]).toMatch(/time\.dayz.*unknown key: dayz/);

    const empty = sweepFile('overrides:\n  time.days: []\n');
    const m2 = inputErrorMessages(() => loadSweepFile(empty.file));
    console.log(m2[0]);
    expect(m2[0]).toMatch(/sweep\.yaml:5:\d+ overrides\.time\.days: got \[\], expected a non-empty list/);

    const none = sweepFile('');
    expect(inputErrorMessages(() => loadSweepFile(none.file))[0]).toMatch(/a sweep of nothing has no tasks/);

    const huge = sweepFile('overrides:\n  parameterSet.row: { from: 0, to: 9999 }\n  time.days: { from: 1, to: 1000 }\n');
    const t0 = performance.now();
    const m3 = inputErrorMessages(() => loadSweepFile(huge.file));
    console.log(m3[0], `(${(performance.now() - t0).toFixed(0)} ms)`);
    expect(m3[0]).toMatch(/got 10000000, expected at most 1e\+6 tasks/);
    const many = sweepFile('overrides:\n  time.days: { from: 0.01, to: 200.01, step: 0.01 }\n');
    expect(inputErrorMessages(() => loadSweepFile(many.file))[0]).toMatch(/got 20001, expected at most 10000 tasks, or --yes/);

    const badValue = sweepFile('overrides:\n  time.days: [1, -2]\n');
    const m4 = inputErrorMessages(() => loadSweepFile(badValue.file));
    console.log(m4[0]);
    expect(m4[0]).toMatch(/sweep\.yaml:5:\d+ time\.days: got -2, expected a number > 0 \(task with time\.days=-2\)/);

    const out = join(unknown.dir, 'out');
    const r = await cliInProcess(['sweep', unknown.file, '--out', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown key: dayz/);
    expect(existsSync(out)).toBe(false);
  });
});

describe('local engine', () => {
  it('runs every task into tasks/<hash>/ with results equal to a standalone run; a failed task is recorded and the sweep goes on; resume recomputes nothing', async () => {
    const { dir, file } = sweepFile(tiny);
    const sweep = loadSweepFile(file);
    const bad = sweep.tasks[2].hash;
    process.env.RHIZOCARB_SWEEP_FAULT = `throw:${bad}`;
    const out = join(dir, 'out');
    const progress: number[] = [];
    const r = await runSweep(file, { out, concurrency: 2, onProgress: (p) => progress.push(p.done + p.failed) });
    console.log(`4-task sweep: ${r.done} done, ${r.failed} failed, ${r.wallSeconds.toFixed(2)} s (${r.engine})`);
    expect(r.status).toBe('failed');
    expect([r.done, r.failed, r.pending]).toEqual([3, 1, 0]);
    expect(Math.max(...progress)).toBe(4);
    const json = JSON.parse(readFileSync(join(out, 'sweep.json'), 'utf8'));
    expect(json.tasks.map((t: { status: string }) => t.status)).toEqual(['done', 'done', 'failed', 'done']);
    expect(json.tasks[2].error).toMatch(/injected fault/);
    expect(readdirSync(join(out, 'tasks')).sort()).toEqual(sweep.tasks.filter((t) => t.hash !== bad).map((t) => t.hash).sort());
    expect(existsSync(join(out, 'failures', `${bad}.json`))).toBe(true);
    const csv = readFileSync(join(out, 'tasks.csv'), 'utf8').trim().split('\n');
    expect(csv).toHaveLength(5);
    expect(csv[0]).toMatch(/^index,hash,parameterSet\.row,time\.days,status,error,failed_errors,failed_warnings/);

    // The task's numbers equal a standalone run of the same scenario.
    const standalone = await runScenario(loadScenarioFile(example, { set: ['parameterSet={row: 1}', 'time.days=0.05'] }), { out: join(dir, 'standalone') });
    const task = JSON.parse(readFileSync(join(out, 'tasks', sweep.tasks[1].hash, 'summary.json'), 'utf8'));
    expect(task.totals).toEqual(standalone.summary.totals);
    expect(task.scenarioHash).toBe(standalone.summary.scenarioHash);

    // Resume: done tasks are skipped (their folders untouched), the failed one is tried again.
    delete process.env.RHIZOCARB_SWEEP_FAULT;
    const markers = sweep.tasks.filter((t) => t.hash !== bad).map((t) => readFileSync(join(out, 'tasks', t.hash, '.rhizocarb-result.json'), 'utf8'));
    const r2 = await runSweep(file, { out, concurrency: 2, resume: true });
    expect([r2.done, r2.failed, r2.skipped]).toEqual([4, 0, 3]);
    expect(sweep.tasks.filter((t) => t.hash !== bad).map((t) => readFileSync(join(out, 'tasks', t.hash, '.rhizocarb-result.json'), 'utf8'))).toEqual(markers);
    expect(existsSync(join(out, 'failures', `${bad}.json`))).toBe(false);
    const r3 = await runSweep(file, { out, concurrency: 2, resume: true });
    expect([r3.done, r3.skipped]).toEqual([4, 4]);
    expect(readdirSync(join(out, 'tasks'))).toHaveLength(4);
  });

  it('a worker thread that dies is retried, then the task is marked failed; the other tasks finish', async () => {
    const { dir, file } = sweepFile('overrides:\n  parameterSet.row: [0, 1]\n  time.days: [0.05]\nattempts: 2\n');
    const sweep = loadSweepFile(file);
    process.env.RHIZOCARB_SWEEP_FAULT = `exit:${sweep.tasks[0].hash}`;
    const logs: string[] = [];
    const r = await runSweep(sweep, { out: join(dir, 'out'), concurrency: 1, log: (l) => logs.push(l) });
    console.log(logs.join('\n'));
    expect(r.tasks.map((t) => t.status)).toEqual(['failed', 'done']);
    expect(r.tasks[0].error).toMatch(/worker thread died 2 times/);
    expect(logs.some((l) => /retrying \(attempt 2 of 2\)/.test(l))).toBe(true);
  });

  it('an abort stops the sweep: finished tasks stay, the rest are pending in sweep.json, no scratch left; resume completes it', async () => {
    const { dir, file } = sweepFile('overrides:\n  parameterSet.row: [0, 1, 2, 3, 4, 5]\n  time.days: [0.05]\n');
    const out = join(dir, 'out');
    const ac = new AbortController();
    const err = await runSweep(file, { out, concurrency: 1, signal: ac.signal, onProgress: (p) => p.done >= 1 && ac.abort(new InterruptedError('SIGINT')) }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InterruptedError);
    const json = JSON.parse(readFileSync(join(out, 'sweep.json'), 'utf8'));
    const done = json.tasks.filter((t: { status: string }) => t.status === 'done').length;
    console.log(`aborted after ${done} of 6 tasks; sweep.json status ${json.status}`);
    expect(json.status).toBe('interrupted');
    expect(done).toBeGreaterThanOrEqual(1);
    expect(done).toBeLessThan(6);
    expect(readdirSync(join(out, 'tasks')).filter((n) => n.startsWith('.'))).toEqual([]);
    const r = await runSweep(file, { out, concurrency: 2, resume: true });
    expect([r.done, r.skipped]).toEqual([6, done]);
  });
});
