import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import type { Command } from 'commander';
import { PLANT_SERIES_COLUMNS, plantCumulative, relativeChange, type PlantSeries } from '../../analysis/index.js';
import { numberColumn, requireColumns } from '../../core/csv.js';
import { InputError, InputErrors } from '../../core/errors.js';
import { StagedOutputDir } from '../../io/atomic.js';
import { readCsvFile } from '../../io/files.js';
import { packageRoot, packageVersion } from '../../io/paths.js';
import { lineChartSvg, svgToPng, type Series } from '../../io/plot.js';
import { tableToCsv, tableToParquet, type Table } from '../../io/table.js';
import { addOutputOptions, cliOutput, type OutputOptions } from '../conventions.js';

/** Weather scenarios and parameter sets of 004's matrix, as they appear in run folder or scenario names. */
const WEATHERS = [
  ['baseline', /baseline/i],
  ['earlyDry', /early[-_]?dry/i],
  ['lateDry', /late[-_]?dry/i],
] as const;
const SETS = [
  ['highCO2', /highCO2/i],
  ['highMB', /highMB/i],
  ['lowMUptake', /lowMUptake/i],
] as const;

/** The analyses of 004 Sec. 2.4 and what each needs from the runs; only `fig7` can be computed from what runs write today. */
const SOIL_ANALYSES = [
  ['fig8', 'depth profiles of the pools in bulk soil (1 cm layers, rooted voxels)'],
  ['fig9', 'volume distribution of truncated perirhizal volume vs concentration'],
  ['fig10', 'relative change against baseline at macroscale (microbes, active microbes, CO₂, solutes)'],
  ['fig11', 'SOC hotspot volumes over time'],
  ['fig12', 'radial profiles (C_L^l, C_C^a/C_C vs distance from the root surface)'],
  ['poolTables', 'day-18/25 carbon-pool tables (macroscale)'],
  ['perirhizalTruncVolume', 'perirhizal_trunc volume change vs baseline'],
] as const;

interface FoundRun {
  dir: string;
  label: string;
  weather: string;
  set: string;
  series: PlantSeries;
  start_d?: number;
}

function findRunDirs(root: string, skip: string, depth = 3): string[] {
  const out: string[] = [];
  const walk = (d: string, k: number) => {
    if (resolve(d) === skip) return;
    if (existsSync(join(d, 'summary.json'))) {
      out.push(d);
      return;
    }
    if (k === 0) return;
    for (const e of readdirSync(d).sort()) {
      if (e.startsWith('.')) continue;
      const p = join(d, e);
      if (statSync(p).isDirectory()) walk(p, k - 1);
    }
  };
  walk(root, depth);
  return out;
}

function readRun(dir: string, root: string, errors: InputError[]): FoundRun | undefined {
  let summary: Record<string, unknown> = {};
  try {
    summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as Record<string, unknown>;
  } catch (e) {
    errors.push(new InputError({ file: join(dir, 'summary.json'), expected: 'a rhizocarb summary.json', detail: (e as Error).message }));
    return undefined;
  }
  const label = relative(root, dir) || '.';
  const names = `${label} ${String(summary.scenario ?? '')}`;
  const weather = WEATHERS.find(([, re]) => re.test(names))?.[0];
  const set = SETS.find(([, re]) => re.test(names))?.[0] ?? 'plant';
  if (!weather) {
    errors.push(new InputError({ file: dir, keyPath: 'run folder or scenario name', value: names, expected: 'a name containing baseline, earlyDry (early-dry) or lateDry (late-dry)' }));
    return undefined;
  }
  const file = join(dir, 'timeseries.csv');
  if (!existsSync(file)) {
    errors.push(new InputError({ file, expected: 'the run\'s plant time series (timeseries.csv, as the plant and coupled kinds write)' }));
    return undefined;
  }
  const t = readCsvFile(file);
  try {
    requireColumns(t, PLANT_SERIES_COLUMNS, 'plant time series');
  } catch (e) {
    errors.push(e as InputError);
    return undefined;
  }
  const cols = Object.fromEntries(PLANT_SERIES_COLUMNS.map((c) => [c, numberColumn(t, c, errors)])) as unknown as PlantSeries;
  let start_d: number | undefined;
  try {
    const resolved = JSON.parse(readFileSync(join(dir, 'resolved-scenario.json'), 'utf8')) as { time?: { start_d?: number } };
    start_d = resolved.time?.start_d;
  } catch {
    start_d = undefined; // first step then taken as long as the second
  }
  return { dir, label, weather, set, series: cols, start_d };
}

const fmt = (x: number) => (Number.isFinite(x) ? x : NaN);

/** `rhizocarb analyse dry-spells <dir>`: the analyses of 004 Sec. 2.4 from the runs of the matrix in <dir>. */
export function registerAnalyseCommand(program: Command): void {
  const analyse = program.command('analyse').description('analyses of finished runs');
  addOutputOptions(
    analyse
      .command('dry-spells')
      .description("004's dry-spells analyses (Sec. 2.4) from the runs found in <dir> (folders with summary.json named by weather baseline/earlyDry/lateDry and parameter set highCO2/highMB/lowMUptake): tables (CSV + Parquet) and plots (SVG + PNG). Fig 7 from the plant time series; Figs 8–12 and the pool tables need soil snapshots that runs do not write yet (listed in analysis.json)")
      .argument('<dir>', 'folder holding the run folders (up to 3 levels deep)')
      .option('--out <dir>', 'output folder (default <dir>/analysis; a previous rhizocarb result there is replaced)'),
  ).action(async (dirArg: string, opts: { out?: string } & OutputOptions) => {
    const io = cliOutput(opts);
    const root = resolve(dirArg);
    if (!existsSync(root) || !statSync(root).isDirectory()) throw new InputError({ keyPath: '<dir>', value: dirArg, expected: 'an existing folder with run folders' });
    const outDir = resolve(opts.out ?? join(root, 'analysis'));
    const errors: InputError[] = [];
    const runs = findRunDirs(root, outDir).map((d) => readRun(d, root, errors)).filter((r): r is FoundRun => r !== undefined);
    if (errors.length === 0 && runs.length === 0) errors.push(new InputError({ keyPath: '<dir>', value: dirArg, expected: 'a folder containing run folders with summary.json and timeseries.csv' }));
    const seen = new Map<string, string>();
    for (const r of runs) {
      const key = `${r.weather}/${r.set}`;
      if (seen.has(key)) errors.push(new InputError({ file: r.dir, keyPath: 'run', value: key, expected: `one run per weather and parameter set (also found in ${seen.get(key)})` }));
      seen.set(key, r.dir);
    }
    if (errors.length > 0) throw errors.length === 1 ? errors[0] : new InputErrors(errors);

    const out = new StagedOutputDir(outDir, { kind: 'analyse dry-spells', version: packageVersion(), label: '--out', protect: [packageRoot()] });
    try {
      // Fig 7: per run, the cumulative plant fluxes and mean ψ_x (long table), and the end totals with the change vs baseline of the same set.
      const cum = runs.map((r) => ({ r, c: plantCumulative(r.series, r.start_d) }));
      const long = (pick: (c: ReturnType<typeof plantCumulative>) => Float64Array) => Float64Array.from(cum.flatMap(({ c }) => Array.from(pick(c))));
      const runIndex = Float64Array.from(cum.flatMap(({ c }, k) => Array.from(c.time_d, () => k)));
      const fig7: Table = {
        columns: [
          { name: 'run', unit: '1', description: 'index into fig7-totals (row)', data: runIndex },
          { name: 'time_d', unit: 'd', data: long((c) => c.time_d) },
          { name: 'psiXylemMean_cm', unit: 'cm', data: long((c) => c.psiXylemMean_cm) },
          { name: 'cumulativeGrowth_molC', unit: 'mol C', data: long((c) => c.growth_molC) },
          { name: 'cumulativeGrowthRespiration_molC', unit: 'mol C', data: long((c) => c.growthRespiration_molC) },
          { name: 'cumulativeRespiration_molC', unit: 'mol C', data: long((c) => c.respiration_molC) },
          { name: 'cumulativeExudation_molC', unit: 'mol C', data: long((c) => c.exudation_molC) },
          { name: 'cumulativeMucilage_molC', unit: 'mol C', data: long((c) => c.mucilage_molC) },
        ],
      };
      const end = (a: Float64Array) => (a.length > 0 ? a[a.length - 1] : NaN);
      const totals = cum.map(({ r, c }) => ({ r, growth: end(c.growth_molC), resp: end(c.respiration_molC), exud: end(c.exudation_molC), muc: end(c.mucilage_molC), psi: c.psiXylemMean_cm.reduce((a, b) => a + b, 0) / c.psiXylemMean_cm.length }));
      const base = (set: string) => totals.find((t) => t.r.set === set && t.r.weather === 'baseline');
      const change = (pick: (t: (typeof totals)[number]) => number) => Float64Array.from(totals, (t) => {
        const b = base(t.r.set);
        return b ? fmt(relativeChange([pick(t)], [pick(b)])[0]) : NaN;
      });
      const codes = (list: readonly (readonly [string, RegExp])[], v: (t: (typeof totals)[number]) => string) => Float64Array.from(totals, (t) => list.findIndex(([n]) => n === v(t)));
      const totalsTable: Table = {
        columns: [
          { name: 'weather', unit: '1', description: WEATHERS.map(([n], i) => `${i} ${n}`).join(', '), data: codes(WEATHERS, (t) => t.r.weather) },
          { name: 'set', unit: '1', description: `-1 plant-only, ${SETS.map(([n], i) => `${i} ${n}`).join(', ')}`, data: codes(SETS, (t) => t.r.set) },
          { name: 'growth_molC', unit: 'mol C', data: Float64Array.from(totals, (t) => t.growth) },
          { name: 'respiration_molC', unit: 'mol C', data: Float64Array.from(totals, (t) => t.resp) },
          { name: 'exudation_molC', unit: 'mol C', data: Float64Array.from(totals, (t) => t.exud) },
          { name: 'mucilage_molC', unit: 'mol C', data: Float64Array.from(totals, (t) => t.muc) },
          { name: 'meanPsiXylem_cm', unit: 'cm', data: Float64Array.from(totals, (t) => t.psi) },
          { name: 'growthVsBaseline', unit: '1', description: '(x − baseline)/baseline, same parameter set', data: change((t) => t.growth) },
          { name: 'respirationVsBaseline', unit: '1', data: change((t) => t.resp) },
          { name: 'exudationVsBaseline', unit: '1', data: change((t) => t.exud) },
          { name: 'mucilageVsBaseline', unit: '1', data: change((t) => t.muc) },
        ],
      };
      for (const [name, table] of [['fig7-timeseries', fig7], ['fig7-totals', totalsTable]] as const) {
        out.write(`tables/${name}.csv`, tableToCsv(table));
        out.write(`tables/${name}.parquet`, tableToParquet(table, { 'rhizocarb.analysis': 'dry-spells' }));
      }
      const runsCsv = ['run,weather,set,folder', ...totals.map((t, k) => `${k},${t.r.weather},${t.r.set},"${t.r.label.replace(/"/g, '""')}"`)].join('\n') + '\n';
      out.write('tables/runs.csv', runsCsv);
      const panels: [string, string, string, (c: ReturnType<typeof plantCumulative>) => Float64Array][] = [
        ['fig7a-psi-xylem', 'Fig 7A: mean xylem water potential', 'cm', (c) => c.psiXylemMean_cm],
        ['fig7b-growth', 'Fig 7B: cumulative structural growth', 'mol C', (c) => c.growth_molC],
        ['fig7c-exudation', 'Fig 7C: cumulative exudation', 'mol C', (c) => c.exudation_molC],
        ['fig7d-mucilage', 'Fig 7D: cumulative mucilage', 'mol C', (c) => c.mucilage_molC],
      ];
      for (const [file, title, unit, pick] of panels) {
        const series: Series[] = cum.map(({ r, c }) => ({ name: `${r.weather}/${r.set}`, x: c.time_d, y: pick(c) }));
        const svg = await lineChartSvg({ title, xTitle: 'days after sowing', yTitle: unit, series });
        out.write(`plots/${file}.svg`, svg);
        out.write(`plots/${file}.png`, await svgToPng(svg));
      }
      const report = {
        analysis: 'dry-spells',
        input: root,
        runs: totals.map((t) => ({ weather: t.r.weather, set: t.r.set, folder: t.r.label })),
        done: [{ id: 'fig7', what: 'mean ψ_x; cumulative growth, respiration, exudation, mucilage', files: ['tables/fig7-timeseries.*', 'tables/fig7-totals.*', 'plots/fig7*.svg|png'] }],
        notDone: SOIL_ANALYSES.map(([id, what]) => ({ id, what, reason: 'needs soil snapshots (voxel and 1D-cell pools over time) that no run kind writes yet; the functions exist in src/analysis' })),
      };
      out.write('analysis.json', JSON.stringify(report, null, 2) + '\n');
      out.commit();
      io.answerJson({ status: 'ok', out: outDir, runs: runs.length, done: ['fig7'], notDone: SOIL_ANALYSES.map(([id]) => id) });
      io.answer(`analyse dry-spells: ${runs.length} runs (${totals.map((t) => `${t.r.weather}/${t.r.set}`).join(', ')}) → ${outDir}; done: fig7; not done (no soil snapshots in the runs): ${SOIL_ANALYSES.map(([id]) => id).join(', ')}`);
    } catch (e) {
      out.abort();
      throw e;
    }
  });
}
