import { spawnSync } from 'node:child_process';

/** Run the rhizocarb CLI from source (as `npx rhizocarb` would), capturing exit code and output. */
export function runCli(args: readonly string[], options: { timeoutMs?: number } = {}): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { encoding: 'utf8', timeout: options.timeoutMs ?? 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
