import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { runCli } from '../../src/cli/program.js';

export const root = fileURLToPath(new URL('../..', import.meta.url));

/**
 * Run the rhizocarb CLI in this process (the same `runCli` as bin/rhizocarb: exit-code mapping,
 * error printing), with stdout and stderr captured; cwd is the package root unless given.
 */
export async function cliInProcess(args: string[], cwd = root): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const out = process.stdout.write.bind(process.stdout);
  const err = process.stderr.write.bind(process.stderr);
  process.stdout.write = ((c: string | Uint8Array) => ((stdout += String(c)), true)) as typeof process.stdout.write;
  process.stderr.write = ((c: string | Uint8Array) => ((stderr += String(c)), true)) as typeof process.stderr.write;
  const before = process.cwd();
  process.chdir(cwd);
  try {
    const code = await runCli(['node', 'rhizocarb', ...args]);
    return { code, stdout, stderr };
  } finally {
    process.chdir(before);
    process.stdout.write = out;
    process.stderr.write = err;
  }
}

/** Run the rhizocarb CLI from source in a child process (as `npx rhizocarb` would), capturing exit code and output. */
export function spawnCli(args: readonly string[], options: { timeoutMs?: number } = {}): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { cwd: root, encoding: 'utf8', timeout: options.timeoutMs ?? 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
