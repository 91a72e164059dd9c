import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { root } from '../helpers/cli.js';

/** `rhizocarb sweep` as a process: Ctrl-C (SIGINT) mid-sweep stops cleanly (exit 130, tasks pending, no scratch); --resume finishes it. */
function sweepCli(args: string[], onStderr?: (all: string, kill: () => void) => void): Promise<{ code: number | null; stderr: string; stdout: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'src/cli/main.ts'), 'sweep', ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let stdout = '';
    child.stdout.on('data', (c) => (stdout += String(c)));
    child.stderr.on('data', (c) => {
      stderr += String(c);
      onStderr?.(stderr, () => child.kill('SIGINT'));
    });
    child.on('exit', (code) => resolve({ code, stderr, stdout }));
  });
}

describe('rhizocarb sweep (CLI)', () => {
  it('SIGINT after the first task: exit 130, finished tasks kept, the rest pending, no scratch; --resume completes without recomputing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rhizocarb-sweep-cli-'));
    const file = join(dir, 's.yaml');
    writeFileSync(file, `kind: sweep\nname: cli\nbase: ${join(root, 'examples/single-root.yaml')}\noverrides:\n  parameterSet.row: { from: 0, to: 5 }\n  time.days: [0.05]\n`);
    const out = join(dir, 'out');
    let sent = false;
    const r = await sweepCli([file, '--out', out, '--concurrency', '1'], (all, kill) => {
      if (!sent && /sweep [1-5]\/6: done [1-5]/.test(all)) {
        sent = true;
        kill();
      }
    });
    console.log(`exit ${r.code}; ${r.stderr.trim().split('\n').pop()}`);
    expect(r.code).toBe(130);
    expect(r.stderr).toMatch(/interrupted by SIGINT: the sweep stopped; finished tasks are kept .*continue with --resume/);
    expect(r.stderr).not.toMatch(/internal error|at .*\.ts:\d+/);
    const json = JSON.parse(readFileSync(join(out, 'sweep.json'), 'utf8'));
    expect(json.status).toBe('interrupted');
    const done = json.tasks.filter((t: { status: string }) => t.status === 'done').length;
    expect(done).toBeGreaterThanOrEqual(1);
    expect(json.tasks.filter((t: { status: string }) => t.status === 'pending').length).toBe(6 - done);
    expect(existsSync(join(out, 'tasks', '.scratch'))).toBe(false);
    expect(readdirSync(join(out, 'tasks'))).toHaveLength(done);

    const again = await sweepCli([file, '--out', out, '--resume', '--json', '-q']);
    expect(again.code).toBe(0);
    const res = JSON.parse(again.stdout);
    expect([res.done, res.skipped, res.failed]).toEqual([6, done, 0]);
  });
});
