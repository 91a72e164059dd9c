import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { afterAll, describe, expect, it } from 'vitest';
import { InputError, InputErrors } from '../../src/core/errors.js';
import { registerExtraCommands } from '../../src/cli/commands/index.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const tsx = join(root, 'node_modules', '.bin', 'tsx');
const tmp = mkdtempSync(join(tmpdir(), 'rhizocarb-profile-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Run the real CLI (src/cli/main.ts through tsx) in a child process from the package root (~2 s each: used twice). */
function spawnCli(...args: string[]): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(tsx, [join(root, 'src/cli/main.ts'), ...args], { cwd: root, encoding: 'utf8' });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/**
 * Run the same commands in-process (the commander program with the registered commands, stdout
 * and stderr captured, input errors mapped to exit code 2 as src/cli/main.ts does).
 */
async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const program = new Command().exitOverride();
  registerExtraCommands(program);
  let stdout = '';
  let stderr = '';
  const out = process.stdout.write.bind(process.stdout);
  const err = process.stderr.write.bind(process.stderr);
  process.stdout.write = ((c: string) => ((stdout += c), true)) as typeof process.stdout.write;
  process.stderr.write = ((c: string) => ((stderr += c), true)) as typeof process.stderr.write;
  const cwd = process.cwd();
  process.chdir(root);
  try {
    await program.parseAsync(['node', 'rhizocarb', ...args]);
    return { code: 0, stdout, stderr };
  } catch (e) {
    if (e instanceof InputError || e instanceof InputErrors) return { code: 2, stdout, stderr: stderr + `error: ${e.message}\n` };
    throw e;
  } finally {
    process.chdir(cwd);
    process.stdout.write = out;
    process.stderr.write = err;
  }
}

describe('examples run as tests (every CLI form, end to end)', () => {
  it('radiocarbon forward --json prints one JSON object with delta14c (and agrees with age inversion)', async () => {
    const f = spawnCli('radiocarbon', 'forward', '--turnover-years', '30', '--year', '2010', '--zone', 'NH1', '--json');
    expect(f.code).toBe(0);
    const fwd = JSON.parse(f.stdout);
    expect(f.stdout.trim().split('\n')).toHaveLength(1);
    expect(fwd).toMatchObject({ turnoverYears: 30, year: 2010, zone: 'NH1', curve: 'Hua2022', extension: 'none' });
    const a = await cli('radiocarbon', 'age', '--delta14c', String(fwd.delta14c), '--year', '2010', '--zone', 'NH1', '--sigma', '5', '--json');
    expect(a.code).toBe(0);
    const age = JSON.parse(a.stdout);
    console.log(`CLI: forward τ 30 → ${fwd.delta14c.toFixed(3)} ‰; age → ${age.roots.map((r: { turnoverYears: number; branch: string }) => `${r.turnoverYears.toFixed(4)} (${r.branch})`).join(', ')}; ambiguous ${age.ambiguous}`);
    expect(age.roots.some((r: { turnoverYears: number }) => Math.abs(r.turnoverYears - 30) < 1e-6)).toBe(true);
    expect(age.roots[0].interval).toHaveLength(2);
  });

  it('past the curve end: refuses with exit 2 naming the curve and its last year; --extend forecast records the rule', async () => {
    const r = await cli('radiocarbon', 'forward', '--turnover-years', '30', '--year', '2022', '--zone', 'SH12');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/2019\.375.*Hua2022/);
    const e = await cli('radiocarbon', 'forward', '--turnover-years', '30', '--year', '2022', '--zone', 'SH12', '--extend', 'forecast', '--json');
    expect(e.code).toBe(0);
    expect(JSON.parse(e.stdout)).toMatchObject({ extension: 'forecast', validUntil: 2025 });
  });

  it('spline examples/profile/spline-input.csv in mpspline2 mode writes profile,top,bottom,value with the README values', async () => {
    const out = join(tmp, 'spline.csv');
    const r = await cli('spline', 'examples/profile/spline-input.csv', '--depths', '0,5,15,30,60,100,200', '--mode', 'mpspline2', '--out', out);
    expect(r.code).toBe(0);
    const lines = readFileSync(out, 'utf8').trim().split('\n');
    expect(lines[0]).toBe('profile,top,bottom,value');
    expect(lines.slice(1, 7).map((l) => l.split(',')[3]).map((v) => (v === '' ? v : Number(v).toFixed(6)))).toEqual(['6.105160', '5.618341', '4.316876', '4.192058', '9.732400', '']);
  });

  it('depth examples/profile/israd-layers.csv writes tables (Parquet + CSV), SVG plots and summary.json with counts', async () => {
    const out = join(tmp, 'depth');
    const r = await cli('depth', 'examples/profile/israd-layers.csv', '--out', out);
    expect(r.code).toBe(0);
    console.log(r.stdout.trim());
    for (const f of ['layers.parquet', 'layers.csv', 'profiles.parquet', 'profiles.csv', 'standard-layers.csv', 'warnings.csv', 'summary.json']) expect(existsSync(join(out, f))).toBe(true);
    expect(readdirSync(join(out, 'plots')).filter((f) => f.endsWith('.svg')).length).toBe(6);
    const s = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect(s.counts).toMatchObject({ profiles: 3, processed: 3, rejected: 0, layers: 27 });
  });

  it('budget examples/profile/sites.csv writes budget tables with Monte Carlo columns, plots and summary.json', async () => {
    const out = join(tmp, 'budget');
    const r = await cli('budget', 'examples/profile/sites.csv', '--out', out, '--draws', '200');
    expect(r.code).toBe(0);
    console.log(r.stdout.trim());
    const header = readFileSync(join(out, 'budget-layers.csv'), 'utf8').split('\n')[0];
    for (const c of ['i_root', 'i_bulk', 'i_loss', 'loss_fraction', 'i_loss_median', 'i_loss_q025', 'i_loss_q975', 'i_loss_relunc', 'i_loss_mean', 'apparent_turnover_years', 'radiocarbon_age_years']) expect(header.split(',')).toContain(c);
    expect(readdirSync(join(out, 'plots')).length).toBe(3);
    const s = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect(s.counts).toMatchObject({ sites: 3, processed: 3, rejected: 0 });
    expect(s.warningCounts['unverified-root-beta']).toBe(1);
  });

  it('bad input: exit 2, an error naming file, column, line, value and expectation, and nothing written', async () => {
    const bad = join(tmp, 'bad.csv');
    writeFileSync(bad, 'profile,top_cm,bottom_cm,delta14c_permil,sampling_year\nP,0,10,-1200,2001\nP,10,x,5,2001\n');
    const out = join(tmp, 'never');
    const r = spawnCli('depth', bad, '--out', out);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${bad}:2 delta14c_permil: got -1200, expected Δ14C in ‰, > −1000`);
    expect(r.stderr).toContain(`${bad}:3 bottom_cm: got "x"`);
    expect(existsSync(out)).toBe(false);
    const s = await cli('spline', bad, '--depths', '0,10', '--out', join(tmp, 'never.csv'));
    expect(s.code).toBe(2);
    expect(s.stderr).toMatch(/columns "top", "bottom", "value"/);
    expect(existsSync(join(tmp, 'never.csv'))).toBe(false);
    const d = await cli('spline', 'examples/profile/spline-input.csv', '--depths', '0,20,10', '--out', join(tmp, 'never.csv'));
    expect(d.code).toBe(2);
    expect(d.stderr).toMatch(/--depths.*strictly increasing/);
    const z = await cli('radiocarbon', 'age', '--delta14c', '10', '--year', '2010', '--zone', 'NH4');
    expect(z.code).toBe(2);
    expect(z.stderr).toMatch(/--zone: got "NH4", expected a zone: "NH1", "NH2", "NH3", "SH12", "SH3"/);
  });
});
