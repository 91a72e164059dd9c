import { spawn, type ChildProcess } from 'node:child_process';
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

/** The rhizocarb CLI from source in a child process (as `npx rhizocarb` would), output piped. */
export function cliChild(args: readonly string[], env: Readonly<Record<string, string>> = {}): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', join(root, 'src/cli/main.ts'), ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
}

/**
 * SIGKILL `child` as soon as `poll()` (called every 5 ms) returns a number (the step it saw, e.g. of
 * a checkpoint); resolves with that number once the child is gone (-1 if it exited by itself).
 */
export async function killWhen(child: ChildProcess, poll: () => number | undefined, what: string, timeout_ms: number): Promise<number> {
  let killedAt = -1;
  await new Promise<void>((resolve, reject) => {
    const timer = setInterval(() => {
      const step = poll();
      if (step !== undefined) {
        killedAt = step;
        child.kill('SIGKILL');
        clearInterval(timer);
      }
    }, 5);
    const limit = setTimeout(() => reject(new Error(`no ${what} within ${timeout_ms / 1000} s`)), timeout_ms);
    child.on('exit', () => {
      clearInterval(timer);
      clearTimeout(limit);
      resolve();
    });
  });
  return killedAt;
}

/** Run a child to its end: exit code and stderr. */
export async function finish(child: ChildProcess): Promise<{ code: number | null; stderr: string }> {
  let stderr = '';
  child.stderr?.on('data', (c) => (stderr += String(c)));
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  return { code, stderr };
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
  const child = cliChild(['run', scenario, '--out', out, '--checkpoint-every', String(every)]);
  const killedAt = await killWhen(
    child,
    () => {
      const st = readdirSync(dir).find((f) => f.startsWith(`.${name}.partial-`));
      const meta = st && join(dir, st, 'checkpoint', 'meta.json');
      if (!meta || !existsSync(meta)) return undefined;
      const steps = JSON.parse(readFileSync(meta, 'utf8')).stepsDone as number;
      return steps >= killAfter ? steps : undefined;
    },
    `checkpoint after step ${killAfter}`,
    timeout_ms,
  );
  const outExistedAfterKill = existsSync(out);
  const { code, stderr } = await finish(cliChild(['run', scenario, '--out', out, '--resume', out]));
  return { killedAt, code, resumeLine: stderr.split('\n').find((l) => l.includes('resum')) ?? '', outExistedAfterKill };
}
