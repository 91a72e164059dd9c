import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliInProcess } from '../helpers/cli.js';

/**
 * examples/dry-spells.yaml (the 3 × 3 coupled matrix) through `rhizocarb run` — the same sweep file,
 * runSweep and analysis as the full matrix — shortened by --set: the day-3.5 wheat on 1 × 3 × 10
 * voxels, three 36-min steps from noon; earlyDry's spell is the second step (reset to −450 cm at its
 * start, back to −100 cm at its end), lateDry's the third (reset at its start, run ends in the spell).
 * The coupling as the example has it (default re-use of 1D solves, coupling.skip1D 1e−10): every run
 * passes the kind's 1e−9 balance checks (the worst water and carbon errors are printed). Earlier the
 * test set coupling.skip1D=off: the spell runs then ended with 9.9e−9 (earlyDry/highMB), before the
 * re-use compared a domain's uptake with its own uptake (ec13dc2, docs/COUPLING.md "Checkpoints").
 */
const SHORT = [
  '--set', 'domain.cells=[1, 3, 10]', '--set', 'time.start_d=3.5', '--set', 'time.end_d=3.575', '--set', 'time.step_min=36',
  '--set', 'weather.earlyDry_d=[3.525, 3.55]', '--set', 'weather.lateDry_d=[3.55, 3.575]', '--set', 'outputs.vtk=false',
  // The example has 004's code day (sinusoidal3: dark around x.5); these steps are chosen for the truncated sine's noon
  // at x.5, so the shortened runs keep it (the shape itself: test/plant/day-shape.test.ts).
  '--set', 'weather.dayShape=truncated-sine',
];
const csv = (f: string) => {
  const [h, ...rows] = readFileSync(f, 'utf8').trim().split('\n');
  const head = h.split(',');
  return rows.map((r) => Object.fromEntries(r.split(',').map((v, i) => [head[i], v === '' ? NaN : Number(v)])));
};
const json = (f: string) => JSON.parse(readFileSync(f, 'utf8'));

describe('examples/dry-spells.yaml: the shortened 3 × 3 coupled matrix, then analyse dry-spells', () => {
  const out = join(mkdtempSync(join(tmpdir(), 'rhizocarb-dry-spells-')), 'sweep');
  let run: { code: number; stdout: string; stderr: string };
  const catalogue = process.env.RHIZOCARB_CATALOGUE;
  beforeAll(async () => {
    process.env.RHIZOCARB_CATALOGUE = 'off';
    run = await cliInProcess(['run', 'examples/dry-spells.yaml', '--out', out, ...SHORT, '--concurrency', '2', '--json']);
  }, 300_000);
  afterAll(() => {
    if (catalogue === undefined) delete process.env.RHIZOCARB_CATALOGUE;
    else process.env.RHIZOCARB_CATALOGUE = catalogue;
  });

  it('runs the nine with balances ≤ 1e-6, the spells reset and switch the soil water, the soil snapshots written', () => {
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ status: 'done', done: 9, failed: 0 });
    // progress per run: every run's last line, also for a run that finished between two polls
    for (const w of ['baseline', 'earlyDry', 'lateDry']) for (const p of ['highCO2', 'highMB', 'lowMUptake']) expect(run.stderr).toMatch(new RegExp(`run ${w}/${p} \\([0-9a-f]{12}\\): 3/3 steps \\(100%\\) day 3\\.5[78], work 100%`));
    // the work fraction (coupled kind: steps weighted by 1D models, spell steps × 20) is reported with the steps
    expect(run.stderr).toMatch(/steps \(\d+%\) day [\d.]+, work \d+%/);
    const tasks = readdirSync(join(out, 'tasks')).filter((n) => /^[0-9a-f]{24}$/.test(n));
    expect(tasks.length).toBe(9);
    const seen = new Set<string>();
    const worst = { water: 0, carbon: 0, run: '', co2Quadrature: 0, co2QuadratureStatic: 0 };
    for (const h of tasks) {
      const s = json(join(out, 'tasks', h, 'summary.json'));
      const r = json(join(out, 'tasks', h, 'resolved-scenario.json'));
      seen.add(`${r.weather.regime}/${r.parameterSet}`);
      expect(r.coupling.skip1D).toBe(1e-10); // the default re-use of 1D solves
      if (s.balance.water.relativeError > worst.water) Object.assign(worst, { water: s.balance.water.relativeError, run: `${r.weather.regime}/${r.parameterSet}` });
      worst.carbon = Math.max(worst.carbon, s.balance.carbon.relativeError);
      expect(r.plant.preset).toBe('paper004');
      expect(r.plant.laws).toEqual({ exudation: 'code004', mucilage: 'code004', maintenance: 'code004', stomatalHead: 'xylem', potentialGrowth: 'code004', photosynthesis: 'code004' });
      expect(s.status).toBe('ok');
      expect(s.balance.water.relativeError).toBeLessThanOrEqual(1e-6);
      expect(s.balance.carbon.relativeError).toBeLessThanOrEqual(1e-6);
      expect(s.balance.water.transpired_cm3).toBeGreaterThan(0);
      const resets = s.weather.spellResets.map((x: { time_d: number; meanHead_cm: number }) => [x.time_d, x.meanHead_cm]);
      // Static soil outside spells: the 1D models take no water; in a spell (dynamic soil) they do.
      if (r.weather.regime === 'baseline') {
        expect(resets).toEqual([]);
        expect(s.balance.water.rootUptake_cm3).toBe(0);
      } else {
        expect(s.balance.water.rootUptake_cm3).toBeGreaterThan(0);
        expect(resets).toEqual(r.weather.regime === 'earlyDry' ? [[3.525, -450], [3.55, -100]] : [[3.55, -450]]);
        expect(s.weather.spellResets[0].water_cm3).toBeLessThan(0); // drained to −450 cm
      }
      expect(s.soilSnapshots.days_d).toEqual([3.5, 3.575]);
      for (const f of ['voxels-d3.5.csv', 'voxels-d3.575.csv', 'perirhizal-d3.575.csv', 'perirhizal-d3.575.parquet', 'voxels-d3.575.parquet']) expect(existsSync(join(out, 'tasks', h, 'soil', f)), f).toBe(true);
      // CO₂ per unit microbial growth: the step-end rates integrated by the trapezoidal rule (pools.csv) against the exact
      // CO₂ produced = Σ V·CO₂ over all voxels at the end − at the start (CO₂ is not transported; a rooted voxel holds its 1D models' amount).
      const co2Stock = (d: string) => csv(join(out, 'tasks', h, 'soil', `voxels-d${d}.csv`)).reduce((a, x) => a + x.volume_cm3 * x.CO2, 0);
      const last = csv(join(out, 'tasks', h, 'pools.csv')).at(-1)!;
      const exact = co2Stock('3.575') - co2Stock('3.5');
      const quad = Math.abs(last.microbes_co2Production_cumulative_molC - exact) / exact;
      worst.co2Quadrature = Math.max(worst.co2Quadrature, quad);
      if (r.weather.regime === 'baseline') worst.co2QuadratureStatic = Math.max(worst.co2QuadratureStatic, quad);
      expect(exact).toBeGreaterThan(0);
      expect(last.microbes_grossGrowth_cumulative_molC).toBeGreaterThan(0);
    }
    // 3 steps of 36 min at one sub-step, the spells starting at a reset to −450 cm: the trapezoidal rule's error is
    // largest there (it falls ~25× for 9-min steps, O(h²)); static soil is smooth.
    expect(worst.co2Quadrature).toBeLessThan(0.1);
    expect(worst.co2QuadratureStatic).toBeLessThan(1e-2);
    console.log(`shortened dry-spells matrix: CO₂ production integrated from step-end rates vs the CO₂ pools' change, worst relative difference ${worst.co2Quadrature.toExponential(2)}, static soil ${worst.co2QuadratureStatic.toExponential(2)} (3 steps of 36 min)`);
    console.log(`shortened dry-spells matrix, default coupling: worst water balance ${worst.water.toExponential(2)} (${worst.run}), worst carbon ${worst.carbon.toExponential(2)} (tolerance 1e-9)`);
    expect([...seen].sort()).toEqual(['baseline', 'earlyDry', 'lateDry'].flatMap((w) => ['highCO2', 'highMB', 'lowMUptake'].map((p) => `${w}/${p}`)).sort());
  });

  it('ends with analyse dry-spells: Figs 7–12 and the pool tables from the runs, values equal to hand computations from the snapshots', () => {
    expect(run.stderr).toContain('analyse dry-spells');
    const a = json(join(out, 'analysis', 'analysis.json'));
    expect(a.done.map((d: { id: string }) => d.id)).toEqual(['fig7', 'fig8', 'fig9', 'fig10', 'poolTables', 'fig11', 'fig12', 'perirhizalTruncVolume']);
    expect(a.notDone).toEqual([]);
    expect(a.tableDays).toEqual([3.575]);
    for (const f of ['plots/fig8-CO2.png', 'plots/fig9-CL_dissolved.svg', 'plots/fig10-co2.png', 'plots/fig11-soc-hotspots.svg', 'plots/fig12-CL_dissolved.png', 'tables/fig12-radial-profiles.parquet']) expect(existsSync(join(out, 'analysis', f)), f).toBe(true);
    const runs = readFileSync(join(out, 'analysis/tables/runs.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(','));
    const k = runs.findIndex((x) => x[1] === 'lateDry' && x[2] === 'highMB');
    const dir = join(out, runs[k][3].replace(/"/g, ''));
    // Hand computation 1: macroscale CO₂ and solutes = Σ over voxels rooted at the end in any run of pool × volume.
    const anyRooted = new Set<number>();
    for (const x of runs) for (const v of csv(join(out, x[3].replace(/"/g, ''), 'soil/voxels-d3.575.csv'))) if (v.rooted === 1) anyRooted.add(v.voxel);
    const vox = csv(join(dir, 'soil/voxels-d3.575.csv'));
    const sum = (f: (v: Record<string, number>) => number) => vox.filter((v) => anyRooted.has(v.voxel)).reduce((acc, v) => acc + f(v) * v.volume_cm3, 0);
    const f10 = csv(join(out, 'analysis/tables/fig10-macroscale.csv')).find((x) => x.run === k && Math.abs(x.time_d - 3.575) < 1e-9)!;
    expect(Math.abs(f10.co2_molC - sum((v) => v.CO2)) / sum((v) => v.CO2)).toBeLessThan(1e-12);
    expect(Math.abs(f10.solutes_molC - sum((v) => v.CL_dissolved + v.CH_dissolved)) / sum((v) => v.CL_dissolved + v.CH_dissolved)).toBeLessThan(1e-12);
    const pt = csv(join(out, 'analysis/tables/pool-tables-day18-25.csv')).find((x) => x.run === k)!;
    expect(Math.abs(pt.co2_mmolC - 1e3 * sum((v) => v.CO2))).toBeLessThan(1e-12 * pt.co2_mmolC);
    // Hand computation 2: perirhizal_trunc volume = Σ over 1D models of π((r_in + 0.06)² − r_in²)·L (each wider than 0.06 cm).
    const cells = csv(join(dir, 'soil/perirhizal-d3.575.csv'));
    const segs = new Map<number, { rIn: number; rOut: number; L: number }>();
    for (const c of cells) {
      const m = segs.get(c.segment) ?? { rIn: Infinity, rOut: 0, L: c.length_cm };
      segs.set(c.segment, { rIn: Math.min(m.rIn, c.r0_cm), rOut: Math.max(m.rOut, c.r1_cm), L: c.length_cm });
    }
    const vTrunc = [...segs.values()].reduce((acc, m) => acc + Math.PI * (Math.min(m.rIn + 0.06, m.rOut) ** 2 - m.rIn ** 2) * m.L, 0);
    const tv = csv(join(out, 'analysis/tables/perirhizal-trunc-volume.csv')).find((x) => x.run === k)!;
    expect(Math.abs(tv.volume_cm3 - vTrunc) / vTrunc).toBeLessThan(1e-9);
    console.log(`shortened dry-spells matrix: lateDry/highMB macroscale CO₂ ${f10.co2_molC.toExponential(4)} mol C (vs baseline ${f10.co2VsBaseline.toExponential(2)}), perirhizal_trunc ${tv.volume_cm3.toFixed(4)} cm³ over ${segs.size} models`);
  });

  it('ends with findings.json and findings.md: every finding with its agreement, flagged as not a reproduction (shortened runs), balances and negatives per run', () => {
    const f = json(join(out, 'analysis', 'findings.json'));
    expect(f.command).toMatch(/^rhizocarb run examples\/dry-spells\.yaml --out /);
    expect(f.commit).toMatch(/^([0-9a-f]{40}|.* unknown commit)$/);
    expect(f.reproduction).toBe(false);
    expect(f.warning).toMatch(/^NOT A REPRODUCTION: 9 of 9 runs are not full 10 → 25 runs/);
    expect(f.runs.length).toBe(9);
    for (const r of f.runs) {
      const s = json(join(out, r.folder, 'summary.json'));
      expect(r.span_d).toEqual([3.5, 3.575]);
      expect(r.fullRun).toBe(false);
      expect(r.balance).toMatchObject({ water: s.balance.water.relativeError, carbon: s.balance.carbon.relativeError, limit: 1e-6, within: true });
      expect(r.negativeConcentrations.snapshotsScanned).toBe(2);
      expect(r.negativeConcentrations.min1DCarbonPool_molC_per_cm3).toBe(s.soil.min1DCarbonPool_molC_per_cm3);
    }
    const byId = new Map(f.findings.map((x: { id: string }) => [x.id, x]));
    expect(byId.size).toBe(51);
    for (const x of f.findings) expect(Object.keys(x).slice(0, 5)).toEqual(['id', 'finding', 'paper', 'rhizocarb', 'agreement']);
    // No day 25 in a shortened run: every notebook number is not available, with the reason.
    const pools = f.findings.filter((x: { id: string }) => x.id.startsWith('poolTable.'));
    expect(pools.length).toBe(21);
    for (const x of pools) expect(x).toMatchObject({ agreement: 'not-available', reason: expect.stringMatching(/no pool table at day 25 \(run ends at day 3.575\)/) });
    // CO₂ per unit microbial growth: from pools.csv's cumulative columns (last row), per weather the set with the highest ratio.
    const co2Rank = byId.get('rank.co2PerMicrobialGrowth') as { agreement: string; details: { values: Record<string, number>; highestByWeather: Record<string, string> } };
    expect(['agree', 'disagree']).toContain(co2Rank.agreement);
    for (const r of f.runs) {
      const last = csv(join(out, r.folder, 'pools.csv')).at(-1)!;
      expect(co2Rank.details.values[r.run]).toBeCloseTo(last.microbes_co2Production_cumulative_molC / last.microbes_grossGrowth_cumulative_molC, 12);
    }
    expect(Object.keys(co2Rank.details.highestByWeather).sort()).toEqual(['baseline', 'earlyDry', 'lateDry']);
    for (const r of f.runs) expect(r.microbialCo2Check.relativeDifference).toBeLessThan(0.1);
    // Hand computation: total respiration = Σ (maintenance + growth respiration rate) × 36 min from timeseries.csv; the change vs
    // baseline and its class by the ±50 % rule (paper −18 %). (The day-3.5 wheat does not exude: exudation and mucilage are 0, so their changes are not available.)
    const runs = readFileSync(join(out, 'analysis/tables/runs.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(','));
    const dir = (w: string, p: string) => join(out, runs.find((x) => x[1] === w && x[2] === p)![3].replace(/"/g, ''));
    const resp = (d: string) => csv(join(d, 'timeseries.csv')).reduce((a, row) => a + (row.maintenanceRespiration_molC_per_d + row.growthRespiration_molC_per_d) * (36 / 1440), 0);
    const ch = resp(dir('lateDry', 'highMB')) / resp(dir('baseline', 'highMB')) - 1;
    const e = byId.get('respirationVsBaseline.lateDry.highMB') as { rhizocarb: number; agreement: string; fullRuns: boolean };
    const cls = Math.abs(ch + 0.18) <= 0.09 ? 'agree' : ch < 0 ? 'sign' : 'disagree';
    expect(byId.get('exudationVsBaseline.lateDry.highMB')).toMatchObject({ agreement: 'not-available', reason: 'cumulative exudation of baseline/highMB is 0: no relative change' });
    expect(Math.abs(e.rhizocarb - ch)).toBeLessThan(1e-12 * Math.max(1, Math.abs(ch)));
    expect(e).toMatchObject({ agreement: cls, fullRuns: false });
    const tv = csv(join(out, 'analysis/tables/perirhizal-trunc-volume.csv'));
    const k = runs.findIndex((x) => x[1] === 'earlyDry' && x[2] === 'lowMUptake');
    expect((byId.get('perirhizalTruncVolumeVsBaseline.earlyDry.lowMUptake') as { rhizocarb: number }).rhizocarb).toBe(tv.find((x) => x.run === k)!.volumeVsBaseline);
    const md = readFileSync(join(out, 'analysis', 'findings.md'), 'utf8');
    expect(md).toContain('> **NOT A REPRODUCTION');
    expect(md.split('\n').filter((l) => l.startsWith('| poolTable.')).length).toBe(21);
    const judged = f.findings.filter((x: { agreement: string }) => x.agreement === 'disagree' || x.agreement === 'sign').length;
    expect(md.split('TO BE WRITTEN').length - 1).toBe(judged);
    console.log(`shortened dry-spells matrix, findings: ${JSON.stringify(f.counts)}; lateDry/highMB respiration vs baseline ${(100 * ch).toFixed(2)} % (paper −18 %, ${cls})`);
  });

  it('findings of an incomplete matrix (two of the nine runs) say NOT A REPRODUCTION and name the missing runs', async () => {
    const sub = mkdtempSync(join(tmpdir(), 'rhizocarb-dry-spells-sub-'));
    for (const h of readdirSync(join(out, 'tasks')).filter((n) => /^[0-9a-f]{24}$/.test(n))) {
      const r = json(join(out, 'tasks', h, 'resolved-scenario.json'));
      if (r.parameterSet === 'highMB' && (r.weather.regime === 'baseline' || r.weather.regime === 'earlyDry')) cpSync(join(out, 'tasks', h), join(sub, `${r.weather.regime}-highMB`), { recursive: true });
    }
    const a = await cliInProcess(['analyse', 'dry-spells', sub]);
    expect(a.code, a.stderr).toBe(0);
    const f = json(join(sub, 'analysis', 'findings.json'));
    expect(f.runs.length).toBe(2);
    expect(f.reproduction).toBe(false);
    expect(f.warning).toContain('7 of the 9 runs of the matrix are missing (baseline/highCO2, baseline/lowMUptake, earlyDry/highCO2, earlyDry/lowMUptake, lateDry/highCO2, lateDry/highMB, lateDry/lowMUptake)');
    expect(readFileSync(join(sub, 'analysis', 'findings.md'), 'utf8')).toContain('7 of the 9 runs of the matrix are missing');

    // People's explanations (--explanations): merged into findings.md and findings.json by id; an unknown id is exit 2 and the old analysis stays.
    const judged = f.findings.find((x: { agreement: string }) => x.agreement === 'sign' || x.agreement === 'disagree') ?? f.findings[0];
    const other = f.findings.find((x: { id: string }) => x.id !== judged.id).id;
    const explFile = join(sub, 'explanations.yaml');
    writeFileSync(explFile, `${judged.id}: >-\n  Because the test says so |\n  on two lines.\n${other}: a note on a finding\n`);
    const e = await cliInProcess(['analyse', 'dry-spells', sub, '--explanations', explFile, '--json']);
    expect(e.code, e.stderr).toBe(0);
    const fe = json(join(sub, 'analysis', 'findings.json'));
    expect(fe.findings.find((x: { id: string }) => x.id === judged.id).explanation).toBe('Because the test says so | on two lines.');
    expect(fe.explanations.explained).toBe(2);
    expect(fe.explanations.unexplainedSignOrDisagree).not.toContain(judged.id);
    const mdRow = readFileSync(join(sub, 'analysis', 'findings.md'), 'utf8').split('\n').find((l) => l.startsWith(`| ${judged.id} |`))!;
    expect(mdRow).toContain('Because the test says so \\| on two lines.');
    writeFileSync(explFile, 'noSuchFinding.anywhere: text\n');
    const before = readFileSync(join(sub, 'analysis', 'findings.json'), 'utf8');
    const bad = await cliInProcess(['analyse', 'dry-spells', sub, '--explanations', explFile]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('explanations.yaml');
    expect(bad.stderr).toContain('noSuchFinding.anywhere');
    expect(readFileSync(join(sub, 'analysis', 'findings.json'), 'utf8')).toBe(before);
  }, 180_000);

  it('resumes without recomputing; --only selects a subset', async () => {
    const again = await cliInProcess(['run', 'examples/dry-spells.yaml', '--out', out, '--resume', out, ...SHORT, '--json']);
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ status: 'done', done: 9, skipped: 9 });
    const only = await cliInProcess(['sweep', 'examples/dry-spells.yaml', '--out', join(out, '..', 'only'), '--dry-run', '--only', 'lateDry/highMB', ...SHORT, '--json']);
    expect(only.code, only.stderr).toBe(0);
    const listed = JSON.parse(only.stdout).tasks;
    expect(listed.map((t: { overrides: Record<string, string> }) => t.overrides)).toEqual([{ 'weather.regime': 'lateDry', parameterSet: 'highMB' }]);
    expect(existsSync(join(out, 'tasks', listed[0].hash))).toBe(true); // the same task as in the full matrix
  }, 120_000);
});
