import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cliInProcess } from '../helpers/cli.js';
import { cases, listing, setupCase } from './cases.js';

/**
 * The adversarial suite (issue 14): every case runs the CLI in this process (the same `runCli` as
 * bin/rhizocarb) in a fresh folder holding only its input files, and must exit 2 with a message
 * naming file/option, field, value and expectation, print no stack trace, and write nothing.
 * A few cases also run as real processes (spawn.test.ts).
 */
const base = mkdtempSync(join(tmpdir(), 'rhizocarb-adversarial-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));

describe(`adversarial inputs (${cases.length} cases): exit 2, a message naming what and why, no stack trace, nothing written`, () => {
  it('has at least 150 cases across every command', () => {
    expect(cases.length).toBeGreaterThanOrEqual(150);
    const commands = new Set(cases.map((c) => c.args('/x')[0]));
    for (const cmd of ['run', 'depth', 'budget', 'radiocarbon', 'spline', 'benchmark', 'learn', 'map', 'report', 'serve']) expect(commands, cmd).toContain(cmd);
    expect(new Set(cases.map((c) => c.name)).size).toBe(cases.length);
  });
  cases.forEach((c, k) => {
    it(c.name, async () => {
      const d = join(base, String(k));
      mkdirSync(d);
      setupCase(c, d);
      const before = listing(d);
      const r = await cliInProcess(c.args(d), d);
      expect(r.stderr, 'message').toMatch(c.message);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr, 'no stack trace').not.toMatch(/\n\s+at .*[:(]\d+/);
      expect(r.stderr).not.toMatch(/internal error/);
      expect(listing(d), 'nothing written').toEqual(before);
    });
  });
});
