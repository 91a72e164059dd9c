import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runScenarioFile } from '../../src/scenarios/index.js';
import { cliInProcess } from '../helpers/cli.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'rhizocarb-analyse-'));
// Hours of simulated time: structural growth to day 5.3, then 0.2 d (7 h 12 to noon) of the plant kind; the spell from day 5.4.
const short = ['time.start_d=5.3', 'time.end_d=5.5', 'outputs.vtk=false', 'outputs.snapshots_d=[]'];

describe('rhizocarb analyse dry-spells', () => {
  it('three short plant runs (baseline, early-dry, late-dry) → Fig 7 tables (CSV + Parquet) and plots (SVG + PNG); cumulative totals equal the runs\' own carbon terms', async () => {
    const d = tmp();
    const runs = join(d, 'runs');
    const sums: Record<string, any> = {};
    for (const [name, file, extra] of [['baseline', 'plant-baseline', []], ['earlyDry', 'plant-early-dry', ['drySpell.start_d=5.4']], ['lateDry', 'plant-late-dry', ['drySpell.start_d=5.4']]] as const) {
      sums[name] = await runScenarioFile(`examples/${file}.yaml`, join(runs, name), { set: [...short, ...extra] });
      expect(sums[name].status).toBe('ok');
    }
    const r = await cliInProcess(['analyse', 'dry-spells', runs, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc).toMatchObject({ status: 'ok', runs: 3, done: ['fig7'] });
    const out = join(runs, 'analysis');
    for (const f of ['tables/fig7-timeseries.csv', 'tables/fig7-timeseries.parquet', 'tables/fig7-totals.csv', 'tables/fig7-totals.parquet', 'tables/runs.csv', 'plots/fig7c-exudation.svg', 'plots/fig7c-exudation.png', 'analysis.json', '.rhizocarb-result.json']) expect(existsSync(join(out, f)), f).toBe(true);
    const png = readFileSync(join(out, 'plots/fig7d-mucilage.png'));
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    const lines = readFileSync(join(out, 'tables/fig7-totals.csv'), 'utf8').trim().split('\n');
    const head = lines[0].split(',');
    const names = readFileSync(join(out, 'tables/runs.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(',')[1]);
    let worst = 0;
    for (let k = 0; k < names.length; k++) {
      const row = lines[k + 1].split(',').map(Number);
      const terms = sums[names[k]].balance.carbon.terms_molC;
      for (const [col, term] of [['growth_molC', 'structuralGrowth'], ['exudation_molC', 'exudation'], ['mucilage_molC', 'mucilage']] as const) {
        worst = Math.max(worst, Math.abs(row[head.indexOf(col)] - terms[term]) / terms.assimilation); // relative to the run's throughput (a term may be 0)
      }
      const resp = terms.maintenanceRespiration + terms.growthRespiration;
      worst = Math.max(worst, Math.abs(row[head.indexOf('respiration_molC')] - resp) / terms.assimilation);
      expect(terms.assimilation).toBeGreaterThan(0);
      expect(row[head.indexOf('respiration_molC')]).toBeGreaterThan(0);
      if (names[k] === 'baseline') expect(row[head.indexOf('exudationVsBaseline')]).toBe(0);
    }
    console.log(`analyse dry-spells: Fig 7 end totals vs the runs' own cumulative carbon terms, worst difference relative to assimilation ${worst.toExponential(2)}`);
    expect(worst).toBeLessThan(1e-9);
    const a = JSON.parse(readFileSync(join(out, 'analysis.json'), 'utf8'));
    expect(a.notDone.map((x: { id: string }) => x.id)).toContain('fig9');
    // Re-running replaces the previous analysis (a rhizocarb result) and does not count it as a run.
    const again = await cliInProcess(['analyse', 'dry-spells', runs, '-q']);
    expect(again.code, again.stderr).toBe(0);
  }, 60_000);

  it('bad input: a run folder without a weather in its name, or no runs: exit 2, message names the folder, nothing written', async () => {
    const d = tmp();
    await runScenarioFile('examples/plant-baseline.yaml', join(d, 'somerun'), { set: [...short, 'name=x'] });
    const r = await cliInProcess(['analyse', 'dry-spells', d]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('somerun');
    expect(r.stderr).toContain('baseline, earlyDry');
    expect(readdirSync(d).sort()).toEqual(['somerun']);
    const e = tmp();
    const r2 = await cliInProcess(['analyse', 'dry-spells', e]);
    expect(r2.code).toBe(2);
    expect(r2.stderr).toContain('summary.json');
    expect(readdirSync(e)).toEqual([]);
  }, 60_000);
});
