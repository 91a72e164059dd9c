import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { runScenario } from '../../src/scenarios/run.js';
import { loadSweepFile } from '../../src/scenarios/sweep.js';
import { runSweep } from '../../src/sweeps/run.js';
import { root } from '../helpers/cli.js';
import { cliChild, filesOf, finish, killWhen, stableSummary } from '../helpers/kill-resume.js';

/**
 * Checkpoints inside sweep tasks (docs/SWEEPS.md "Checkpoints"): one task of examples/dry-spells.yaml
 * (lateDry/highMB; the file without its `analyse` key, to keep the test short), shortened to the
 * day-3.5 wheat on 1 × 3 × 10 voxels and five 18-min steps with the spell from the end of step 2
 * (reset to −450 cm, dynamic soil water), a checkpoint after every step. (1) The sweep's CLI
 * process is SIGKILLed once the checkpoint after step 3 (inside the spell) is in the store, then
 * `--resume` continues the task from it; (2) the first attempt's worker thread dies right after
 * its first checkpoint (step 1, before the spell) and the local engine's retry continues from it. Both end with the files of an uninterrupted run of the task's scenario,
 * byte for byte (summary.json without times and wall-clock cost, task.json, the marker and
 * timings.csv excepted), and no checkpoint or scratch left. The default coupling (skip1D re-use
 * of 1D solves on) is kept: its kept solves are part of the saved state. With it, this tiny spell
 * run ends with a plant water error above the kind's 1e−9 (about 2e−9, printed): the task's status
 * is then `failed` in all three runs alike, and the comparison holds all the same.
 */
const SET = ['domain.cells=[1, 3, 10]', 'time.start_d=3.5', 'time.end_d=3.5625', 'time.step_min=18', 'weather.earlyDry_d=[3.525, 3.55]', 'weather.lateDry_d=[3.525, 3.5625]', 'outputs.vtk=false', 'weather.dayShape=truncated-sine']; // noon at x.5 (the example's sinusoidal3 is dark there)
const ONLY = 'lateDry/highMB';
const EXCEPT = ['summary.json', '.rhizocarb-result.json', 'timings.csv', 'task.json'];

let dir: string;
let sweepFile: string;
let ref: string;
let hash: string;
let refStatus: 'ok' | 'failed';

/** Files of the task's result that differ from the uninterrupted run's. */
function differences(taskDir: string): { files: number; differ: string[] } {
  const files = filesOf(taskDir);
  expect(files).toEqual([...filesOf(ref), 'task.json'].sort());
  const differ = files.filter((f) => !EXCEPT.includes(f) && !readFileSync(join(taskDir, f)).equals(readFileSync(join(ref, f))));
  expect(stableSummary(taskDir, ['cost'])).toEqual(stableSummary(ref, ['cost']));
  return { files: files.length, differ };
}

/** The newest checkpoint copy of the task in the sweep folder's store, by step. */
function storedCheckpointStep(out: string): number | undefined {
  const d = join(out, 'tasks', '.checkpoints', hash);
  if (!existsSync(d)) return undefined;
  const steps = readdirSync(d).filter((n) => /^\d{9}-/.test(n)).map((n) => Number(n.slice(0, 9)));
  return steps.length > 0 ? Math.max(...steps) : undefined;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'rhizocarb-sweep-ckpt-'));
  const doc = parse(readFileSync(join(root, 'examples/dry-spells.yaml'), 'utf8'));
  delete doc.analyse;
  sweepFile = join(dir, 'dry-spells.yaml');
  writeFileSync(sweepFile, stringify(doc));
  const sweep = loadSweepFile(sweepFile, { set: SET, only: [ONLY] });
  expect(sweep.tasks.length).toBe(1);
  hash = sweep.tasks[0].hash;
  // The uninterrupted run of the task's scenario.
  ref = join(dir, 'ref');
  const r = await runScenario(sweep.tasks[0].resolved, { out: ref, allowLong: true });
  refStatus = r.status;
  console.log(`sweep checkpoint: uninterrupted run ${r.status}, water ${r.balance.water.relativeError.toExponential(2)}, carbon ${r.balance.carbon.relativeError.toExponential(2)} (tolerance 1e-9)`);
}, 120_000);

afterEach(() => {
  delete process.env.RHIZOCARB_SWEEP_FAULT;
});

describe('checkpoints inside sweep tasks (shortened dry-spells task lateDry/highMB, five 18-min steps, a checkpoint every step)', () => {
  it('SIGKILL of the sweep after a checkpoint, then --resume: the task continues from it and ends with the uninterrupted run\'s files', async () => {
    const out = join(dir, 'killed');
    const args = ['sweep', sweepFile, '--out', out, '--only', ONLY, ...SET.flatMap((s) => ['--set', s]), '--concurrency', '1', '--checkpoint-every', '1'];
    const env = { RHIZOCARB_CATALOGUE: 'off' };
    const killedAt = await killWhen(cliChild(args, env), () => ((storedCheckpointStep(out) ?? 0) >= 3 ? storedCheckpointStep(out) : undefined), 'checkpoint after step 3 in the store', 90_000);
    expect(killedAt).toBeGreaterThanOrEqual(3);
    expect(killedAt).toBeLessThan(5);
    expect(existsSync(join(out, 'tasks', hash))).toBe(false);
    const resumed = await finish(cliChild([...args, '--resume'], env));
    const line = resumed.stderr.split('\n').find((l) => l.includes('continued from its checkpoint')) ?? '';
    // The resumed task ends as the uninterrupted run (exit 3 when a check fails in both).
    expect(resumed.code, resumed.stderr).toBe(refStatus === 'ok' ? 0 : 3);
    const from = Number(/after step (\d+)/.exec(line)?.[1]);
    expect(from).toBeGreaterThanOrEqual(killedAt);
    const task = JSON.parse(readFileSync(join(out, 'tasks', hash, 'task.json'), 'utf8'));
    expect(task).toMatchObject({ checkpointEvery: 1, resumedFromStep: from, checkpointCopies: { saved: 5 - from, failed: 0 } });
    const d = differences(join(out, 'tasks', hash));
    console.log(`sweep checkpoint (SIGKILL): killed with the checkpoint after step ${killedAt} of 5 in the store; resume: "${line.trim()}"; ${d.files} files compared, ${d.differ.length} differ${d.differ.length ? ': ' + d.differ.join(', ') : ''}`);
    expect(d.differ).toEqual([]);
    expect(readdirSync(join(out, 'tasks')).sort()).toEqual([hash]); // no .checkpoints, no .scratch
  }, 120_000);

  it('a worker thread that dies after its first checkpoint: the retry continues from it (local engine)', async () => {
    const out = join(dir, 'retried');
    process.env.RHIZOCARB_SWEEP_FAULT = `exit-at-checkpoint:${hash.slice(0, 8)}`;
    const lines: string[] = [];
    const r = await runSweep(loadSweepFile(sweepFile, { set: SET, only: [ONLY] }), { out, concurrency: 1, checkpointEvery: 1, catalogue: false, log: (l) => lines.push(l) });
    expect(r.tasks).toMatchObject([{ hash, runStatus: refStatus }]);
    expect(lines.some((l) => l.includes('worker thread died') && l.includes('retrying (attempt 2'))).toBe(true);
    const task = JSON.parse(readFileSync(join(out, 'tasks', hash, 'task.json'), 'utf8'));
    expect(task).toMatchObject({ attempt: 2, checkpointEvery: 1, resumedFromStep: 1, checkpointCopies: { saved: 4, failed: 0 } });
    const d = differences(join(out, 'tasks', hash));
    console.log(`sweep checkpoint (thread died): ${lines.filter((l) => /died|continued/.test(l)).join(' | ')}; ${d.files} files compared, ${d.differ.length} differ`);
    expect(d.differ).toEqual([]);
    expect(readdirSync(join(out, 'tasks')).sort()).toEqual([hash]);
  }, 120_000);
});
