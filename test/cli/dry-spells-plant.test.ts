import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { runSweep } from '../../src/sweeps/run.js';
import { cliInProcess, root } from '../helpers/cli.js';

describe('examples/dry-spells-plant.yaml through runSweep, then analyse dry-spells', () => {
  it('a very short matrix (7 h 12 to noon of day 5, spells from 5.4): three tasks ok, the analysis finds them by name', async () => {
    const sweep = parse(readFileSync(join(root, 'examples/dry-spells-plant.yaml'), 'utf8')) as Record<string, any>;
    expect(sweep.list.map((e: { name: string }) => e.name)).toEqual(['baseline', 'earlyDry', 'lateDry']);
    expect(sweep.overrides['plant.preset']).toEqual(['paper004']);
    // Same file, shortened: the time window and the spells moved into it.
    sweep.overrides['time.start_d'] = [5.3];
    sweep.overrides['time.end_d'] = [5.5];
    sweep.overrides['outputs.snapshots_d'] = [[]];
    for (const e of sweep.list) if (e['drySpell.start_d'] !== undefined) Object.assign(e, { 'drySpell.start_d': 5.4, 'drySpell.end_d': 5.5 });
    const out = join(mkdtempSync(join(tmpdir(), 'rhizocarb-ds-plant-')), 'sweep');
    const r = await runSweep(sweep, { out, baseDir: join(root, 'examples'), concurrency: 2, catalogue: false });
    expect(r.status, JSON.stringify(r)).toBe('done');
    expect(r.tasks.map((t) => t.runStatus)).toEqual(['ok', 'ok', 'ok']);
    const a = await cliInProcess(['analyse', 'dry-spells', out, '--json']);
    expect(a.code, a.stderr).toBe(0);
    expect(JSON.parse(a.stdout)).toMatchObject({ runs: 3, done: ['fig7'] });
    const runs = readFileSync(join(out, 'analysis/tables/runs.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(',').slice(1, 3).join('/'));
    expect(runs.sort()).toEqual(['baseline/plant', 'earlyDry/plant', 'lateDry/plant']);
    for (const f of ['plots/fig7a-psi-xylem.png', 'tables/fig7-totals.parquet']) expect(existsSync(join(out, 'analysis', f))).toBe(true);
    // The spell changes the plant within the hour of spell: lower mean ψ_x than baseline (drier soil and air).
    const t = readFileSync(join(out, 'analysis/tables/fig7-totals.csv'), 'utf8').trim().split('\n');
    const h = t[0].split(',');
    const rows = t.slice(1).map((l) => l.split(',').map(Number));
    const psi = (w: number) => rows.find((x) => x[h.indexOf('weather')] === w)![h.indexOf('meanPsiXylem_cm')];
    console.log(`short plant-only matrix: mean ψ_x baseline ${psi(0).toFixed(0)} cm, earlyDry ${psi(1).toFixed(0)} cm, lateDry ${psi(2).toFixed(0)} cm`);
    expect(psi(1)).toBeLessThan(psi(0));
    expect(psi(2)).toBe(psi(1)); // both spells start at 5.4 here: identical runs
  }, 120_000);
});
