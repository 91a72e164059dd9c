import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { root } from '../helpers/cli.js';
import { cases, listing, setupCase } from './cases.js';

/**
 * A handful of the adversarial cases as real processes (node --import tsx src/cli/main.ts), run
 * concurrently: the exit code a shell sees, nothing on stderr but the message, and a closed pipe
 * (`rhizocarb benchmark list | <reader that exits at once>`) ending quietly with exit 0.
 */
function spawnAsync(command: string, args: string[], cwd: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('close', (code) => (clearTimeout(timer), resolve({ code, stdout, stderr })));
  });
}

/** tsx by URL: the cases run in their own folders, where `--import tsx` would not resolve. */
const tsx = pathToFileURL(join(root, 'node_modules/tsx/dist/loader.mjs')).href;

const picked = ['scenario: /dev/zero', 'yaml: alias bomb (billion laughs)', 'out: /proc', 'plant: XML char reference out of range', 'serve: port 0x50'];

describe('adversarial inputs in real processes', () => {
  it(`${picked.length} cases: exit 2 as a shell sees it, the message, no stack trace, nothing written`, async () => {
    const base = mkdtempSync(join(tmpdir(), 'rhizocarb-adversarial-spawn-'));
    const chosen = picked.map((name) => cases.find((c) => c.name === name)!);
    const results = await Promise.all(
      chosen.map(async (c, k) => {
        const d = join(base, String(k));
        mkdirSync(d);
        setupCase(c, d);
        const before = listing(d);
        const r = await spawnAsync(process.execPath, ['--import', tsx, join(root, 'src/cli/main.ts'), ...c.args(d)], d);
        return { c, r, before, after: listing(d) };
      }),
    );
    for (const { c, r, before, after } of results) {
      expect(r.stderr, c.name).toMatch(c.message);
      expect(r.code, `${c.name}: ${r.stderr}`).toBe(2);
      expect(r.stderr, c.name).not.toMatch(/\n\s+at .*[:(]\d+/);
      expect(after, c.name).toEqual(before);
    }
  });

  it('benchmark list into a pipe whose reader has already exited: exit 0, no EPIPE error', async () => {
    const cli = `"${process.execPath}" --import tsx src/cli/main.ts`;
    const r = await spawnAsync('bash', ['-c', `set -o pipefail; ${cli} benchmark list | (exec 0<&-; true)`], root);
    expect(r.stderr).not.toMatch(/EPIPE|Error/);
    expect(r.code).toBe(0);
    const head = await spawnAsync('bash', ['-c', `set -o pipefail; ${cli} benchmark list | head -1`], root);
    expect(head.code).toBe(0);
    expect(head.stdout.trim().split('\n')).toHaveLength(1);
  });
});
