import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { root } from './cli.js';

/** Every file under `dir` (relative paths, sorted). */
export function filesOf(dir: string, rel = ''): string[] {
  return readdirSync(join(dir, rel), { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesOf(dir, join(rel, e.name)) : [join(rel, e.name)])).sort();
}

/** summary.json without what differs between two runs of one simulation (times, command line, and the given keys). */
export function stableSummary(dir: string, drop: string[] = []): unknown {
  const s = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'));
  for (const k of ['startedAt', 'finishedAt', 'wallSeconds', 'commandLine', ...drop]) delete s[k];
  return s;
}

/**
 * `rhizocarb run <scenario> --out <out> --checkpoint-every <every>` in a child process, SIGKILLed
 * as soon as a checkpoint after step ≥ `killAfter` exists in its staging folder (in the folder of
 * `out`), then `--resume <out>` in a new process. Returns the step of the checkpoint it was killed
 * after, the resume's exit code and its log line about resuming.
 */
export async function killAndResume(scenario: string, out: string, every: number, killAfter: number, timeout_ms = 60_000): Promise<{ killedAt: number; code: number | null; resumeLine: string; outExistedAfterKill: boolean }> {
  const dir = join(out, '..');
  const name = out.split('/').pop()!;
  const cli = (args: string[]) => spawn(process.execPath, ['--import', 'tsx', join(root, 'src/cli/main.ts'), 'run', scenario, '--out', out, ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  const child = cli(['--checkpoint-every', String(every)]);
  let killedAt = -1;
  await new Promise<void>((resolve, reject) => {
    const timer = setInterval(() => {
      const st = readdirSync(dir).find((f) => f.startsWith(`.${name}.partial-`));
      const meta = st && join(dir, st, 'checkpoint', 'meta.json');
      if (meta && existsSync(meta)) {
        const steps = JSON.parse(readFileSync(meta, 'utf8')).stepsDone as number;
        if (steps >= killAfter) {
          killedAt = steps;
          child.kill('SIGKILL');
          clearInterval(timer);
        }
      }
    }, 5);
    child.on('exit', () => {
      clearInterval(timer);
      resolve();
    });
    setTimeout(() => reject(new Error(`no checkpoint after step ${killAfter} within ${timeout_ms / 1000} s`)), timeout_ms);
  });
  const outExistedAfterKill = existsSync(out);
  const resumed = cli(['--resume', out]);
  let stderr = '';
  resumed.stderr.on('data', (c) => (stderr += String(c)));
  const code = await new Promise<number | null>((resolve) => resumed.on('exit', resolve));
  return { killedAt, code, resumeLine: stderr.split('\n').find((l) => l.includes('resum')) ?? '', outExistedAfterKill };
}
