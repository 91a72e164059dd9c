import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { registerScenarioKind, scenarioKinds } from '../../src/scenarios/registry.js';
import { cliInProcess, root } from '../helpers/cli.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'rhizocarb-cli-'));
const shortRun = ['--set', 'time.days=0.05'];

describe('CLI conventions: --json, -q, exit codes', () => {
  it('run --json prints one JSON document (status, outDir, summary with provenance); -q prints nothing', async () => {
    const d = tmp();
    const r = await cliInProcess(['run', 'examples/single-root.yaml', ...shortRun, '--out', join(d, 'a'), '--json']);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const doc = JSON.parse(lines[0]);
    expect(doc).toMatchObject({ status: 'ok', outDir: join(d, 'a') });
    expect(doc.summary).toMatchObject({ kind: 'single-root', node: process.version, commandLine: expect.stringContaining('rhizocarb run examples/single-root.yaml --set time.days=0.05') });
    for (const k of ['startedAt', 'finishedAt', 'platform', 'version', 'scenarioHash']) expect(doc.summary[k], k).toBeTruthy();
    const q = await cliInProcess(['run', 'examples/single-root.yaml', ...shortRun, '--out', join(d, 'a'), '-q']);
    expect(q).toMatchObject({ code: 0, stdout: '', stderr: '' });
  });

  it('every command takes --json (one document on stdout) and -q', async () => {
    const d = tmp();
    const forms: string[][] = [
      ['depth', 'examples/profile/israd-layers.csv', '--out', join(d, 'depth'), '--plots', '0'],
      ['budget', 'examples/profile/sites.csv', '--out', join(d, 'budget'), '--draws', '10', '--plots', '0'],
      ['spline', 'examples/profile/spline-input.csv', '--depths', '0,30,100', '--out', join(d, 'spline.csv')],
      ['radiocarbon', 'forward', '--turnover-years', '30', '--year', '2010', '--zone', 'NH1'],
      ['radiocarbon', 'age', '--delta14c', '100', '--year', '2010', '--zone', 'NH1'],
      ['benchmark', 'list'],
      ['report', join(d, 'depth'), '--out', join(d, 'depth-report.html')],
    ];
    for (const f of forms) {
      const j = await cliInProcess([...f, '--json']);
      expect(j.code, f.join(' ')).toBe(0);
      expect(j.stdout.trim().split('\n'), f.join(' ')).toHaveLength(1);
      JSON.parse(j.stdout);
      const q = await cliInProcess([...f, '-q']);
      expect(q, f.join(' ')).toMatchObject({ code: 0, stdout: '', stderr: '' });
    }
    const depth = JSON.parse(readFileSync(join(d, 'depth', 'summary.json'), 'utf8'));
    expect(depth).toMatchObject({ kind: 'profile-depth', status: 'ok', counts: { profiles: 3 } });
    expect(existsSync(join(d, 'depth', 'resolved-scenario.json'))).toBe(true);
    expect(existsSync(join(d, 'depth', '.rhizocarb-result.json'))).toBe(true);
  });

  it('--out onto a folder with a user file: exit 2, the reason on stderr (and as JSON with --json), the file survives', async () => {
    const d = join(tmp(), 'mine');
    mkdirSync(d);
    writeFileSync(join(d, 'my-notes.txt'), 'do not delete');
    for (const cmd of [['run', 'examples/single-root.yaml', ...shortRun], ['depth', 'examples/profile/israd-layers.csv'], ['budget', 'examples/profile/sites.csv']]) {
      const r = await cliInProcess([...cmd, '--out', d, '--json']);
      expect(r.code, cmd[0]).toBe(2);
      expect(r.stderr).toMatch(/--out: got ".*mine", expected a new or empty folder, or a previous rhizocarb result \(it holds files that are not a rhizocarb result: my-notes\.txt/);
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expect(JSON.parse(r.stdout)).toMatchObject({ status: 'error', exitCode: 2, errors: [{ keyPath: '--out' }] });
    }
    expect(readdirSync(d)).toEqual(['my-notes.txt']);
    expect(readFileSync(join(d, 'my-notes.txt'), 'utf8')).toBe('do not delete');
    const dot = await cliInProcess(['run', join(root, 'examples/single-root.yaml'), ...shortRun, '--out', '.'], d);
    expect(dot.code).toBe(2);
    expect(dot.stderr).toMatch(/not the current folder nor one of its parents/);
    expect(readdirSync(d)).toEqual(['my-notes.txt']);
  });

  it('bad options and limits are exit 2 with the limit: --draws 1e9, a 3650-day run without --allow-long', async () => {
    const d = tmp();
    const b = await cliInProcess(['budget', 'examples/profile/sites.csv', '--out', join(d, 'x'), '--draws', '1e9']);
    expect(b.code).toBe(2);
    expect(b.stderr).toMatch(/--draws: got "1e9", expected a whole number of draws from 0 to 1000000/);
    const r = await cliInProcess(['run', 'examples/single-root.yaml', '--set', 'time.days=3650', '--out', join(d, 'x')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/estimated work: got 2370000, expected at most 1\.0e\+6 cell-steps .*--allow-long/);
    expect(readdirSync(d)).toEqual([]);
  });

  it('a failed check: exit 3, the check on stderr, outputs written for inspection', async () => {
    if (!scenarioKinds().has('test-cli-leaky')) {
      registerScenarioKind({
        kind: 'test-cli-leaky',
        description: 'test kind with a carbon balance error of 6e+282',
        schema: z.strictObject({ kind: z.literal('test-cli-leaky') }),
        tolerances: { carbon: 1e-9 },
        resolve: (s) => s,
        estimate: () => ({ workUnits: 1, unit: 'steps', description: 'one step', limit: 10 }),
        run: async (_, ctx) => (ctx.out.write('x.csv', 'x\n'), { balance: { carbon: { relativeError: 6e282 } } }),
      });
    }
    const d = tmp();
    writeFileSync(join(d, 'leaky.yaml'), 'kind: test-cli-leaky\n');
    const r = await cliInProcess(['run', join(d, 'leaky.yaml'), '--out', join(d, 'out')]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/check failed: balance\.carbon: relative carbon balance error 6\.00e\+282 exceeds tolerance 1e-9/);
    expect(JSON.parse(readFileSync(join(d, 'out', 'summary.json'), 'utf8')).status).toBe('failed');
  });
});
