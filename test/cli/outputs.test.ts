import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { registerBenchmark } from '../../src/benchmarks/registry.js';
import { groupWarnings } from '../../src/cli/conventions.js';
import { cliInProcess } from '../helpers/cli.js';

/** Issue 14 item 7: benchmark exit codes from stated tolerances, grouped warnings, -q quiet. */
describe('benchmark tolerances, grouped warnings, quiet', () => {
  registerBenchmark({
    name: 'test-tolerance',
    description: 'test benchmark: one case within, one beyond its stated tolerance',
    run: async () => ({ benchmark: 'test-tolerance', metric: 'abs error', cases: [{ name: 'within', error: 1e-6, tolerance: 1e-3, others: {} }, { name: 'beyond', error: 0.5, tolerance: 1e-3, others: {} }] }),
  });
  registerBenchmark({
    name: 'test-tolerance-ok',
    description: 'test benchmark: every stated tolerance holds',
    run: async () => ({ benchmark: 'test-tolerance-ok', metric: 'abs error', cases: [{ name: 'within', error: 1e-6, tolerance: 1e-3, others: {} }], balance: { water: 1e-14 }, balanceTolerance: 1e-10 }),
  });

  it('a missed tolerance is exit 3 with the case on stderr; all held is exit 0', async () => {
    const bad = await cliInProcess(['benchmark', 'test-tolerance', '--json']);
    expect(bad.code).toBe(3);
    expect(bad.stderr).toMatch(/check failed: test-tolerance beyond: error 0\.5 exceeds the stated tolerance 0\.001/);
    expect(JSON.parse(bad.stdout)).toMatchObject({ status: 'failed', missedTolerances: [expect.stringContaining('beyond')] });
    const ok = await cliInProcess(['benchmark', 'test-tolerance-ok']);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/within \(tolerance 1\.000e-3\)/);
    const quiet = await cliInProcess(['benchmark', 'test-tolerance-ok', '-q']);
    expect(quiet).toMatchObject({ code: 0, stdout: '', stderr: '' });
  });

  it('repeated warnings are grouped by code with a count (spline with 40 dropped horizons)', async () => {
    expect(groupWarnings([...Array.from({ length: 5 }, (_, i) => ({ code: 'a', text: `a${i}` })), { code: 'b', text: 'b0' }], 2)).toEqual(['warning: a0', 'warning: a1', 'warning: b0', 'warning: … and 3 more "a" warnings (5 in all)']);
    const d = mkdtempSync(join(tmpdir(), 'rhizocarb-warn-'));
    const rows = ['profile,top,bottom,value', 'good,0,10,5', 'good,10,20,4', ...Array.from({ length: 40 }, (_, i) => `p${i},10,0,1`)];
    writeFileSync(join(d, 'in.csv'), rows.join('\n') + '\n');
    const r = await cliInProcess(['spline', join(d, 'in.csv'), '--depths', '0,10,20', '--out', join(d, 'o.csv')]);
    expect(r.code).toBe(0);
    const lines = r.stderr.trim().split('\n');
    console.log(`spline with 40 bad profiles: ${lines.length} warning lines:\n${lines.join('\n')}`);
    expect(lines.length).toBeLessThanOrEqual(8);
    expect(r.stderr).toMatch(/… and \d+ more "[^"]+" warnings \(40 in all\)/);
  });

  it('silent garbage is a failed run: a plant with no leaves yet (start day 0.1) exits 3 with the balance check on stderr, never 0', async () => {
    const d = mkdtempSync(join(tmpdir(), 'rhizocarb-noleaf-'));
    const r = await cliInProcess(['run', 'examples/plant-baseline.yaml', '--set', 'time.start_d=0.1', '--set', 'time.end_d=0.5', '--set', 'outputs.snapshots_d=[0.5]', '--out', join(d, 'out'), '-q']);
    console.log(`plant with no leaves: exit ${r.code}; ${r.stderr.trim().split('\n')[0]}`);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/check failed: balance\.(water|carbon): relative (water|carbon) balance error .* exceeds tolerance/);
  });
});
