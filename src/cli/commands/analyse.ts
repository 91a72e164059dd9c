import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import type { Command } from 'commander';
import {
  depthProfile, indexAtTime, macroscaleMask, PLANT_SERIES_COLUMNS, plantCumulative, POOL_NAMES, poolAmounts, perSoilPoolFields, radialProfile, relativeChange, snapshotHotspotVolumes_cm3,
  SOC_HOTSPOT_FACTORS, SOC_INIT_MOLC_PER_CM3, socExpected_molC_per_cm3, socSlow_molC_per_cm3, truncatedPieces, truncatedVolume_cm3, volumeDistribution,
  type PlantSeries, type PoolAmounts, type PoolName, type SoilSnapshot, type FindingsPoolRow,
} from '../../analysis/index.js';
import { readFindingExplanations, writeFindings, type FindingExplanations, type FindingsCollect } from './findings.js';
import { numberColumn, requireColumns } from '../../core/csv.js';
import { InputError, InputErrors } from '../../core/errors.js';
import { StagedOutputDir } from '../../io/atomic.js';
import { readCsvFile } from '../../io/files.js';
import { packageRoot, packageVersion } from '../../io/paths.js';
import { lineChartSvg, svgToPng, type Series } from '../../io/plot.js';
import { tableToCsv, tableToParquet, type Table } from '../../io/table.js';
import { addOutputOptions, cliOutput, currentCommandLine, type OutputOptions } from '../conventions.js';

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

export interface FoundRun {
  dir: string;
  label: string;
  weather: string;
  set: string;
  /** The plant time series, or undefined when timeseries.csv lacks its columns (`seriesMissing`). */
  series?: PlantSeries;
  seriesMissing?: string;
  start_d?: number;
  soil: SoilSnapshot[];
  /** Per-step pool totals by scale (`pools.csv` of the coupled kind: time_d, <scale>_volume_cm3, <scale>_<pool>_molC). */
  pools?: Record<string, Float64Array>;
  /** End of the run (resolved scenario `time.end_d`, else the last time of the series). */
  end_d?: number;
  /** Optional plant columns for the findings: assimilation (mol C d⁻¹) and peak tip exudation (mmol C cm⁻² d⁻¹) per step. */
  assimilation?: Float64Array;
  peakTipExudation?: Float64Array;
  /** The run's summary.json. */
  summary: Record<string, unknown>;
}

/**
 * Soil snapshots of a run (the contract a coupled run writes for these analyses; docs/results/dry-spells/README.md):
 * `soil/voxels-d<day>.csv` with columns voxel, z_cm, volume_cm3, rooted and the 8 pools (mol C cm⁻³ soil), and
 * `soil/perirhizal-d<day>.csv` with columns segment, cell, r0_cm, r1_cm, length_cm and the 8 pools.
 */
function readSoil(dir: string, errors: InputError[]): SoilSnapshot[] {
  const soilDir = join(dir, 'soil');
  if (!existsSync(soilDir)) return [];
  const days = readdirSync(soilDir).map((f) => /^voxels-d([\d.]+)\.csv$/.exec(f)?.[1]).filter((d): d is string => d !== undefined).sort((a, b) => Number(a) - Number(b));
  const out: SoilSnapshot[] = [];
  for (const day of days) {
    const n0 = errors.length;
    const vt = readCsvFile(join(soilDir, `voxels-d${day}.csv`));
    const pf = join(soilDir, `perirhizal-d${day}.csv`);
    if (!existsSync(pf)) {
      errors.push(new InputError({ file: pf, expected: `the perirhizal cells at day ${day} next to voxels-d${day}.csv` }));
      continue;
    }
    const pt = readCsvFile(pf);
    try {
      requireColumns(vt, ['z_cm', 'volume_cm3', 'rooted', ...POOL_NAMES], 'voxel snapshot');
      requireColumns(pt, ['segment', 'cell', 'r0_cm', 'r1_cm', 'length_cm', ...POOL_NAMES], 'perirhizal snapshot');
    } catch (e) {
      errors.push(e as InputError);
      continue;
    }
    const vp = Object.fromEntries(POOL_NAMES.map((p) => [p, numberColumn(vt, p, errors)])) as Record<PoolName, Float64Array>;
    const voxels = { zCentre_cm: numberColumn(vt, 'z_cm', errors), volume_cm3: numberColumn(vt, 'volume_cm3', errors), rooted: numberColumn(vt, 'rooted', errors), pools: vp };
    const seg = numberColumn(pt, 'segment', errors);
    const cell = numberColumn(pt, 'cell', errors);
    const r0 = numberColumn(pt, 'r0_cm', errors);
    const r1 = numberColumn(pt, 'r1_cm', errors);
    const len = numberColumn(pt, 'length_cm', errors);
    const cp = Object.fromEntries(POOL_NAMES.map((p) => [p, numberColumn(pt, p, errors)])) as Record<PoolName, Float64Array>;
    if (errors.length > n0) continue;
    const bySeg = new Map<number, number[]>();
    seg.forEach((sg, i) => (bySeg.get(sg) ?? bySeg.set(sg, []).get(sg)!).push(i));
    const perirhizal = [...bySeg.values()].map((rows) => {
      rows.sort((a, b) => cell[a] - cell[b]);
      return {
        cells: { faces_cm: [r0[rows[0]], ...rows.map((i) => r1[i])], length_cm: len[rows[0]] },
        pools: Object.fromEntries(POOL_NAMES.map((p) => [p, Float64Array.from(rows, (i) => cp[p][i])])) as Record<PoolName, Float64Array>,
      };
    });
    out.push({ time_d: Number(day), voxels, perirhizal });
  }
  return out;
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
  let resolved: { time?: { start_d?: number; end_d?: number }; weather?: { regime?: unknown }; parameterSet?: unknown } = {};
  try {
    resolved = JSON.parse(readFileSync(join(dir, 'resolved-scenario.json'), 'utf8')) as typeof resolved;
  } catch {
    resolved = {}; // names only; the first step then taken as long as the second
  }
  // The coupled kind names its weather regime and parameter set (sweep task folders are named by hash); else the folder or scenario name.
  const named = <T extends string>(list: readonly (readonly [T, RegExp])[], v: unknown) => list.find(([n]) => n === v)?.[0];
  const weather = named(WEATHERS, resolved.weather?.regime) ?? WEATHERS.find(([, re]) => re.test(names))?.[0];
  const set = named(SETS, resolved.parameterSet) ?? SETS.find(([, re]) => re.test(names))?.[0] ?? 'plant';
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
  const missing = PLANT_SERIES_COLUMNS.filter((c) => !t.header.includes(c));
  const cols = missing.length === 0 ? (Object.fromEntries(PLANT_SERIES_COLUMNS.map((c) => [c, numberColumn(t, c, errors)])) as unknown as PlantSeries) : undefined;
  let pools: Record<string, Float64Array> | undefined;
  const pf = join(dir, 'pools.csv');
  if (existsSync(pf)) {
    const pt = readCsvFile(pf);
    pools = Object.fromEntries(pt.header.map((h) => [h, numberColumn(pt, h, errors)]));
  }
  const start_d = resolved.time?.start_d;
  const opt = (c: string) => (t.header.includes(c) ? numberColumn(t, c, errors) : undefined);
  const time = cols?.time_d;
  const end_d = resolved.time?.end_d ?? (time && time.length > 0 ? time[time.length - 1] : undefined);
  return {
    dir, label, weather, set, series: cols, seriesMissing: missing.length ? `${file} has no column ${missing.join(', ')}` : undefined, start_d, soil: readSoil(dir, errors), pools,
    end_d, assimilation: opt('assimilation_molC_per_d'), peakTipExudation: opt('peakTipExudation_mmolC_per_cm2_d'), summary,
  };
}

const fmt = (x: number) => (Number.isFinite(x) ? x : NaN);

/** `rhizocarb analyse dry-spells <dir>`: the analyses of 004 Sec. 2.4 from the runs of the matrix in <dir>. */
export function registerAnalyseCommand(program: Command): void {
  const analyse = program.command('analyse').description('analyses of finished runs');
  addOutputOptions(
    analyse
      .command('dry-spells')
      .description("004's dry-spells analyses (Sec. 2.4) from the runs found in <dir> (folders with summary.json named by weather baseline/earlyDry/lateDry and parameter set highCO2/highMB/lowMUptake): tables (CSV + Parquet) and plots (SVG + PNG), and findings.json + findings.md (every finding of 004 against rhizocarb's value, with the agreement; docs/results/dry-spells/README.md). Fig 7 from the plant time series; Figs 8–12, the day-18/25 pool tables and the perirhizal_trunc volume from soil snapshots (soil/voxels-d<day>.csv, soil/perirhizal-d<day>.csv; docs/results/dry-spells/README.md) when every run has them; analysis.json lists what was done")
      .argument('<dir>', 'folder holding the run folders (up to 3 levels deep)')
      .option('--out <dir>', 'output folder (default <dir>/analysis; a previous rhizocarb result there is replaced)')
      .option('--table-days <days>', 'days of the pool tables, comma-separated (default: 18,25, those of them every run reached; if none, the last snapshot day, for shortened runs)')
      .option('--explanations <file>', "people's explanations of findings for findings.md/json: YAML mapping finding id (as in findings.json) → text; an unknown id is an error"),
  ).action(async (dirArg: string, opts: { out?: string; tableDays?: string; explanations?: string } & OutputOptions) => {
    const tableDays = opts.tableDays?.split(',').map((x) => Number(x.trim()));
    if (tableDays && (tableDays.length === 0 || tableDays.some((d) => !Number.isFinite(d) || d < 0))) throw new InputError({ keyPath: '--table-days', value: opts.tableDays, expected: 'comma-separated days ≥ 0, e.g. 18,25' });
    const io = cliOutput(opts);
    const explanations = opts.explanations !== undefined ? readFindingExplanations(opts.explanations) : undefined;
    const r = await analyseDrySpells(dirArg, { out: opts.out, tableDays, command: currentCommandLine(), explanations });
    io.answerJson({ status: 'ok', out: r.outDir, runs: r.runs.length, done: r.done, notDone: r.notDone, tableDays: r.tableDays, findings: r.findings });
    io.answer(analysisLine(r));
  });
}

/** The one line `analyse dry-spells` prints. */
export function analysisLine(r: DrySpellsAnalysis): string {
  const f = r.findings;
  const findings = `; findings.json/md: ${Object.entries(f.counts).map(([k, n]) => `${k} ${n}`).join(', ')}${f.allFullRuns ? '' : ' — NOT A REPRODUCTION: not every run is a full 10 → 25 run'}${f.balancesWithin1e6 ? '' : ' — a balance exceeds 1e-6'}${f.unexplained.length ? ` — ${f.unexplained.length} sign/disagree findings without an explanation (--explanations)` : ''}`;
  return `analyse dry-spells: ${r.runs.length} runs (${r.runs.join(', ')}) → ${r.outDir}; done: ${r.done.join(', ') || 'nothing'}${r.notDone.length ? `; not done (see analysis.json): ${r.notDone.join(', ')}` : ''}${findings}`;
}

export interface DrySpellsAnalysis {
  readonly outDir: string;
  /** weather/set of each run found. */
  readonly runs: string[];
  readonly done: string[];
  readonly notDone: string[];
  readonly tableDays: number[];
  /** findings.json / findings.md: counts of the agreement classes, and whether every run is a full 10 → 25 run. */
  readonly findings: { counts: Record<string, number>; allFullRuns: boolean; balancesWithin1e6: boolean; explained: number; unexplained: string[] };
}

/** Default pool-table days: 18 and 25 where every run has them (snapshots, or pools.csv rows); else the last snapshot day of the runs. */
function defaultTableDays(runs: FoundRun[]): number[] {
  const times = (r: FoundRun) => (r.soil.length > 0 ? r.soil.map((s) => s.time_d) : Array.from(r.pools?.time_d ?? []));
  const has = (r: FoundRun, d: number) => times(r).some((t) => Math.abs(t - d) < 1e-6);
  const days = [18, 25].filter((d) => runs.every((r) => has(r, d)));
  if (days.length > 0 || runs.length === 0) return days;
  const last = Math.min(...runs.map((r) => Math.max(...times(r))));
  return Number.isFinite(last) && runs.every((r) => has(r, last)) ? [last] : [];
}

/**
 * 004's dry-spells analyses (Sec. 2.4) of the runs under `dirArg` into `opts.out` (default
 * `<dir>/analysis`): what `rhizocarb analyse dry-spells` does, also called at the end of a sweep
 * whose file says `analyse: dry-spells`.
 */
export async function analyseDrySpells(dirArg: string, opts: { out?: string; tableDays?: number[]; command?: string; explanations?: FindingExplanations } = {}): Promise<DrySpellsAnalysis> {
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
  const tableDays = opts.tableDays ?? defaultTableDays(runs);

  const out = new StagedOutputDir(outDir, { kind: 'analyse dry-spells', version: packageVersion(), label: '--out', protect: [packageRoot()] });
  try {
    out.write('tables/runs.csv', ['run,weather,set,folder', ...runs.map((r, k) => `${k},${r.weather},${r.set},"${r.label.replace(/"/g, '""')}"`)].join('\n') + '\n');
    const fig7Done = runs.every((r) => r.series !== undefined);
    if (fig7Done) {
      // Fig 7: per run, the cumulative plant fluxes and mean ψ_x (long table), and the end totals with the change vs baseline of the same set.
      const cum = runs.map((r) => ({ r, c: plantCumulative(r.series!, r.start_d) }));
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
    }
    const collect: FindingsCollect = { pools: new Map(), truncVolume_cm3: new Map() };
    const poolsDone = runs.every((r) => r.soil.length > 0) || !runs.every((r) => r.pools) ? [] : await poolSeriesAnalyses(runs, out, tableDays, collect);
    const soilDone = runs.every((r) => r.soil.length > 0) ? await soilAnalyses(runs, out, tableDays, collect) : [];
    const report = {
      analysis: 'dry-spells',
      input: root,
      tableDays,
      runs: runs.map((r) => ({ weather: r.weather, set: r.set, folder: r.label })),
      done: [...(fig7Done ? [{ id: 'fig7', what: 'mean ψ_x; cumulative growth, respiration, exudation, mucilage', files: ['tables/fig7-timeseries.*', 'tables/fig7-totals.*', 'plots/fig7*.svg|png'] }] : []), ...[...soilDone, ...poolsDone].map((id) => ({ id, what: SOIL_ANALYSES.find(([a]) => a === id)![1], from: poolsDone.includes(id) ? 'pools.csv (per-step pool totals by scale; macroscale = voxels rooted so far in that run)' : 'soil snapshots' }))],
      notDone: [
        ...(fig7Done ? [] : [{ id: 'fig7', what: 'plant time series', reason: runs.map((r) => r.seriesMissing).filter(Boolean).join('; ') }]),
        ...SOIL_ANALYSES.filter(([id]) => !soilDone.includes(id) && !poolsDone.includes(id)).map(([id, what]) => ({ id, what, reason: 'needs soil snapshots (soil/voxels-d<day>.csv, soil/perirhizal-d<day>.csv) in every run' + (['fig10', 'poolTables', 'perirhizalTruncVolume'].includes(id) ? ' or pools.csv in every run' : '') })),
      ],
    };
    out.write('analysis.json', JSON.stringify(report, null, 2) + '\n');
    const findings = writeFindings(out, runs, collect, { command: opts.command, tableDays, explanations: opts.explanations });
    out.commit();
    const done = [...(fig7Done ? ['fig7'] : []), ...soilDone, ...poolsDone];
    const notDone = ['fig7', ...SOIL_ANALYSES.map(([id]) => id)].filter((id) => !done.includes(id));
    return { outDir, runs: runs.map((r) => `${r.weather}/${r.set}`), done, notDone, tableDays, findings };
  } catch (e) {
    out.abort();
    throw e;
  }
}

async function writeTable(out: StagedOutputDir, name: string, table: Table): Promise<void> {
  out.write(`tables/${name}.csv`, tableToCsv(table));
  out.write(`tables/${name}.parquet`, tableToParquet(table, { 'rhizocarb.analysis': 'dry-spells' }));
}

async function writePlot(out: StagedOutputDir, name: string, chart: Parameters<typeof lineChartSvg>[0]): Promise<void> {
  const svg = await lineChartSvg(chart);
  out.write(`plots/${name}.svg`, svg);
  out.write(`plots/${name}.png`, await svgToPng(svg));
}

const col = (name: string, unit: string, data: number[], description?: string) => ({ name, unit, description, data: Float64Array.from(data) });
const RHO_B = 2.65 * (1 - 0.43); // 004's loam, COUPLING.md

/** Figs 8–12, the pool tables and the perirhizal_trunc volume change from the runs' soil snapshots; returns the ids done. */
async function soilAnalyses(runs: FoundRun[], out: StagedOutputDir, tableDays: readonly number[], collect: FindingsCollect): Promise<string[]> {
  const last = (r: FoundRun) => r.soil[r.soil.length - 1];
  const macro = macroscaleMask(runs.map((r) => last(r).voxels.rooted));
  const runNo = (r: FoundRun) => runs.indexOf(r);
  const base = (r: FoundRun) => runs.find((b) => b.set === r.set && b.weather === 'baseline');
  // Fig 8: depth profiles (last snapshot, bulk soil = rooted then), every pool.
  {
    const rows: number[][] = [];
    for (const r of runs) {
      const s = last(r);
      const zMin = Math.min(...Array.from(s.voxels.zCentre_cm));
      POOL_NAMES.forEach((p, k) => {
        for (const L of depthProfile(s.voxels.pools[p], s.voxels.zCentre_cm, { mask: s.voxels.rooted, volumes_cm3: s.voxels.volume_cm3, zBottom_cm: Math.floor(zMin) })) rows.push([runNo(r), s.time_d, k, L.zTop_cm, L.zBottom_cm, L.mean, L.min, L.max, L.cells]);
      });
    }
    const c = (i: number) => rows.map((x) => x[i]);
    await writeTable(out, 'fig8-depth-profiles', { columns: [col('run', '1', c(0)), col('time_d', 'd', c(1)), col('pool', '1', c(2), POOL_NAMES.map((p, i) => `${i} ${p}`).join(', ')), col('zTop_cm', 'cm', c(3)), col('zBottom_cm', 'cm', c(4)), col('mean_molC_per_cm3', 'mol C cm-3 soil', c(5)), col('min_molC_per_cm3', 'mol C cm-3 soil', c(6)), col('max_molC_per_cm3', 'mol C cm-3 soil', c(7)), col('voxels', '1', c(8))] });
    for (const [k, p] of POOL_NAMES.entries()) {
      const series = runs.map((r) => {
        const sel = rows.filter((x) => x[0] === runNo(r) && x[2] === k && Number.isFinite(x[5]));
        return { name: `${r.weather}/${r.set}`, x: sel.map((x) => x[5]), y: sel.map((x) => 0.5 * (x[3] + x[4])) };
      });
      await writePlot(out, `fig8-${p}`, { title: `Fig 8: ${p} in bulk soil (mean of rooted voxels per 1 cm layer)`, xTitle: 'mol C cm⁻³ soil', yTitle: 'depth (cm)', series, points: true });
    }
  }
  // Fig 9: volume of perirhizal_trunc with a concentration ≤ x (last snapshot).
  {
    const rows: number[][] = [];
    for (const r of runs) {
      POOL_NAMES.forEach((p, k) => {
        const t = truncatedPieces(last(r), p);
        const d = volumeDistribution(t.values, t.volumes_cm3);
        d.value.forEach((v, i) => rows.push([runNo(r), k, v, d.volumeAtOrBelow_cm3[i], d.volumeAbove_cm3[i]]));
      });
    }
    const c = (i: number) => rows.map((x) => x[i]);
    await writeTable(out, 'fig9-volume-distribution', { columns: [col('run', '1', c(0)), col('pool', '1', c(1), POOL_NAMES.map((p, i) => `${i} ${p}`).join(', ')), col('concentration_molC_per_cm3', 'mol C cm-3 soil', c(2)), col('volumeAtOrBelow_cm3', 'cm3', c(3)), col('volumeAbove_cm3', 'cm3', c(4))] });
    for (const [k, p] of POOL_NAMES.entries()) {
      const series = runs.map((r) => {
        const sel = rows.filter((x) => x[0] === runNo(r) && x[1] === k);
        return { name: `${r.weather}/${r.set}`, x: sel.map((x) => x[2]), y: sel.map((x) => x[3]) };
      });
      await writePlot(out, `fig9-${p}`, { title: `Fig 9: perirhizal_trunc volume with ${p} ≤ x`, xTitle: 'mol C cm⁻³ soil', yTitle: 'cm³', series });
    }
  }
  // Macroscale pools at every snapshot; Fig 10 relative change vs baseline at the same time; pool tables at days 18 and 25.
  const amounts = (s: SoilSnapshot): PoolAmounts => poolAmounts(perSoilPoolFields(s.voxels.pools), s.voxels.volume_cm3, macro);
  const QUANT: [keyof PoolAmounts, string][] = [['microbes_molC', 'microbes'], ['activeMicrobes_molC', 'active microbes'], ['co2_molC', 'CO₂'], ['solutes_molC', 'solutes']];
  {
    const rows: number[][] = [];
    for (const r of runs) {
      const b = base(r);
      for (const s of r.soil) {
        const a = amounts(s);
        const bs = b?.soil.find((x) => Math.abs(x.time_d - s.time_d) < 1e-9);
        const ba = bs ? amounts(bs) : undefined;
        rows.push([runNo(r), s.time_d, ...QUANT.flatMap(([q]) => [a[q], ba ? relativeChange([a[q]], [ba[q]])[0] : NaN]), a.sorbed_molC, a.copiotrophs_molC]);
      }
    }
    const c = (i: number) => rows.map((x) => x[i]);
    await writeTable(out, 'fig10-macroscale', {
      columns: [col('run', '1', c(0)), col('time_d', 'd', c(1)), ...QUANT.flatMap(([q], j) => [col(q, 'mol C', c(2 + 2 * j)), col(`${q.replace('_molC', '')}VsBaseline`, '1', c(3 + 2 * j), '(x − baseline)/baseline at the same time, same set')]), col('sorbed_molC', 'mol C', c(10)), col('copiotrophs_molC', 'mol C', c(11))],
    });
    for (const [j, [q, label]] of QUANT.entries()) {
      const series = runs.filter((r) => r.weather !== 'baseline').map((r) => {
        const sel = rows.filter((x) => x[0] === runNo(r));
        return { name: `${r.weather}/${r.set}`, x: sel.map((x) => x[1]), y: sel.map((x) => x[3 + 2 * j]) };
      });
      await writePlot(out, `fig10-${q.replace('_molC', '')}`, { title: `Fig 10: ${label} at macroscale, relative to baseline`, xTitle: 'days after sowing', yTitle: '(x − baseline)/baseline', series, points: true });
    }
    const table: number[][] = [];
    for (const r of runs) {
      const init = amounts(r.soil[0]);
      for (const day of tableDays) {
        const s = r.soil.find((x) => Math.abs(x.time_d - day) < 1e-9);
        if (!s) continue;
        const a = amounts(s);
        table.push([runNo(r), day, ...QUANT.flatMap(([q]) => [1e3 * a[q], 1e3 * (a[q] - init[q])])]);
        addPoolRow(collect, runNo(r), day, (q) => [1e3 * a[`${q}_molC`], 1e3 * (a[`${q}_molC`] - init[`${q}_molC`])]);
      }
    }
    const t = (i: number) => table.map((x) => x[i]);
    await writeTable(out, 'pool-tables-day18-25', { columns: [col('run', '1', t(0)), col('day', 'd', t(1)), ...QUANT.flatMap(([q], j) => [col(q.replace('_molC', '_mmolC'), 'mmol C', t(2 + 2 * j), 'macroscale'), col(q.replace('_molC', '_minusInitial_mmolC'), 'mmol C', t(3 + 2 * j), 'minus the first snapshot (004 does not say which form its tables use)')])] });
  }
  // Fig 11: SOC hotspot volumes over perirhizal_trunc at every snapshot (runs with a known parameter set).
  const done = ['fig8', 'fig9', 'fig10', 'poolTables'];
  {
    const exp = socExpected_molC_per_cm3(RHO_B);
    const rows: number[][] = [];
    for (const r of runs) {
      const init = SOC_INIT_MOLC_PER_CM3[r.set as keyof typeof SOC_INIT_MOLC_PER_CM3];
      if (init === undefined) continue;
      for (const s of r.soil) rows.push([runNo(r), s.time_d, ...snapshotHotspotVolumes_cm3(s, socSlow_molC_per_cm3(RHO_B, init), exp)]);
    }
    if (rows.length > 0) {
      const c = (i: number) => rows.map((x) => x[i]);
      await writeTable(out, 'fig11-soc-hotspots', { columns: [col('run', '1', c(0)), col('time_d', 'd', c(1)), ...SOC_HOTSPOT_FACTORS.map((f, j) => col(`volumeSocAtLeast${String(f).replace('.', '_')}Expected_cm3`, 'cm3', c(2 + j), `perirhizal_trunc volume with SOC ≥ ${f}·SOC_expected`))] });
      await writePlot(out, 'fig11-soc-hotspots', { title: `Fig 11: perirhizal_trunc volume with SOC ≥ ${SOC_HOTSPOT_FACTORS[0]}·SOC_expected`, xTitle: 'days after sowing', yTitle: 'cm³', series: runs.filter((r) => rows.some((x) => x[0] === runNo(r))).map((r) => ({ name: `${r.weather}/${r.set}`, x: rows.filter((x) => x[0] === runNo(r)).map((x) => x[1]), y: rows.filter((x) => x[0] === runNo(r)).map((x) => x[2]) })), points: true });
      done.push('fig11');
    }
  }
  // Fig 12: radial profiles (last snapshot) of C_L^l and C_C^a/C_C, 0.02 cm bins out to the widest domain.
  {
    const rows: number[][] = [];
    for (const r of runs) {
      const s = last(r);
      const width = Math.max(...s.perirhizal.map((m) => m.cells.faces_cm[m.cells.faces_cm.length - 1] - m.cells.faces_cm[0]));
      const edges = Array.from({ length: Math.max(1, Math.ceil(width / 0.02)) + 1 }, (_, i) => i * 0.02);
      const cl = radialProfile(s.perirhizal.map((m) => ({ cells: m.cells, values: m.pools.CL_dissolved })), edges);
      const frac = radialProfile(s.perirhizal.map((m) => ({ cells: m.cells, values: Float64Array.from(m.pools.CC_active, (a, i) => (a + m.pools.CC_dormant[i] > 0 ? a / (a + m.pools.CC_dormant[i]) : NaN)) })), edges);
      cl.distance_cm.forEach((d, i) => rows.push([runNo(r), d, cl.mean[i], frac.mean[i], cl.volume_cm3[i]]));
    }
    const c = (i: number) => rows.map((x) => x[i]);
    await writeTable(out, 'fig12-radial-profiles', { columns: [col('run', '1', c(0)), col('distance_cm', 'cm', c(1), 'bin centre, distance from the root surface'), col('CL_dissolved_molC_per_cm3', 'mol C cm-3 soil', c(2)), col('activeCopiotrophFraction', '1', c(3), 'C_C^a/(C_C^a + C_C^d), volume-weighted mean of the cells'), col('volume_cm3', 'cm3', c(4))] });
    for (const [i, name, unit] of [[2, 'CL_dissolved', 'mol C cm⁻³ soil'], [3, 'active-copiotroph-fraction', '1']] as const) {
      await writePlot(out, `fig12-${name}`, { title: `Fig 12: ${name} vs distance from the root surface`, xTitle: 'cm', yTitle: unit, points: true, series: runs.map((r) => ({ name: `${r.weather}/${r.set}`, x: rows.filter((x) => x[0] === runNo(r) && Number.isFinite(x[i])).map((x) => x[1]), y: rows.filter((x) => x[0] === runNo(r) && Number.isFinite(x[i])).map((x) => x[i]) })) });
    }
    done.push('fig12');
  }
  // perirhizal_trunc volume at the last snapshot vs baseline of the same set.
  {
    const v = runs.map((r) => truncatedVolume_cm3(last(r).perirhizal.map((m) => m.cells)));
    v.forEach((x, k) => collect.truncVolume_cm3.set(k, x));
    const ch = runs.map((r, k) => {
      const b = base(r);
      return b ? relativeChange([v[k]], [v[runs.indexOf(b)]])[0] : NaN;
    });
    await writeTable(out, 'perirhizal-trunc-volume', { columns: [col('run', '1', runs.map((_, k) => k)), col('time_d', 'd', runs.map((r) => last(r).time_d)), col('volume_cm3', 'cm3', v), col('volumeVsBaseline', '1', ch)] });
    done.push('perirhizalTruncVolume');
  }
  return done;
}

/**
 * Fig 10, the day-18/25 pool tables and the perirhizal_trunc volume from each run's per-step pool totals
 * (`pools.csv`: time_d, <scale>_volume_cm3, <scale>_<pool>_molC for macroscale, bulkSoil, perirhizalTrunc,
 * microscale). Macroscale there is the voxels rooted so far in that run (not the union over runs).
 */
async function poolSeriesAnalyses(runs: FoundRun[], out: StagedOutputDir, tableDays: readonly number[], collect: FindingsCollect): Promise<string[]> {
  const P = (r: FoundRun, name: string) => r.pools![name] ?? new Float64Array(r.pools!.time_d.length).fill(NaN);
  const sum = (r: FoundRun, names: string[]) => Float64Array.from(r.pools!.time_d, (_, i) => names.reduce((a, n) => a + P(r, `macroscale_${n}_molC`)[i], 0));
  const QUANT: [string, string[]][] = [['microbes', ['CO_active', 'CO_dormant', 'CC_active', 'CC_dormant']], ['activeMicrobes', ['CO_active', 'CC_active']], ['co2', ['CO2']], ['solutes', ['CL_dissolved', 'CH_dissolved']]];
  const base = (r: FoundRun) => runs.find((b) => b.set === r.set && b.weather === 'baseline');
  const rows: number[][] = [];
  for (const [k, r] of runs.entries()) {
    const b = base(r);
    const q = QUANT.map(([, names]) => sum(r, names));
    const qb = b ? QUANT.map(([, names]) => sum(b, names)) : undefined;
    r.pools!.time_d.forEach((t, i) => {
      const j = b ? indexAtTime(b.pools!.time_d, t) : -1;
      const same = b !== undefined && j >= 0 && Math.abs(b.pools!.time_d[j] - t) < 1e-9;
      rows.push([k, t, ...q.flatMap((x, m) => [x[i], same ? relativeChange([x[i]], [qb![m][j]])[0] : NaN])]);
    });
  }
  const c = (i: number) => rows.map((x) => x[i]);
  await writeTable(out, 'fig10-macroscale', { columns: [col('run', '1', c(0)), col('time_d', 'd', c(1)), ...QUANT.flatMap(([q], j) => [col(`${q}_molC`, 'mol C', c(2 + 2 * j)), col(`${q}VsBaseline`, '1', c(3 + 2 * j), '(x − baseline)/baseline at the same time, same set')])] });
  for (const [j, [q]] of QUANT.entries()) {
    await writePlot(out, `fig10-${q}`, { title: `Fig 10: ${q} at macroscale, relative to baseline`, xTitle: 'days after sowing', yTitle: '(x − baseline)/baseline', series: runs.filter((r) => r.weather !== 'baseline').map((r) => ({ name: `${r.weather}/${r.set}`, x: rows.filter((x) => x[0] === runs.indexOf(r)).map((x) => x[1]), y: rows.filter((x) => x[0] === runs.indexOf(r)).map((x) => x[3 + 2 * j]) })) });
  }
  const table: number[][] = [];
  for (const [k, r] of runs.entries()) {
    const q = QUANT.map(([, names]) => sum(r, names));
    for (const day of tableDays) {
      const i = indexAtTime(r.pools!.time_d, day);
      if (i >= 0 && Math.abs(r.pools!.time_d[i] - day) < 1e-6) {
        table.push([k, day, ...q.flatMap((x) => [1e3 * x[i], 1e3 * (x[i] - x[0])])]);
        addPoolRow(collect, k, day, (name) => {
          const x = q[QUANT.findIndex(([n]) => n === name)];
          return [1e3 * x[i], 1e3 * (x[i] - x[0])];
        });
      }
    }
  }
  const t = (i: number) => table.map((x) => x[i]);
  await writeTable(out, 'pool-tables-day18-25', { columns: [col('run', '1', t(0)), col('day', 'd', t(1)), ...QUANT.flatMap(([q], j) => [col(`${q}_mmolC`, 'mmol C', t(2 + 2 * j), 'macroscale'), col(`${q}_minusInitial_mmolC`, 'mmol C', t(3 + 2 * j), 'minus the first step (004 does not say which form its tables use)')])] });
  const vEnd = runs.map((r) => {
    const v = P(r, 'perirhizalTrunc_volume_cm3');
    return v[v.length - 1];
  });
  vEnd.forEach((x, k) => collect.truncVolume_cm3.set(k, x));
  await writeTable(out, 'perirhizal-trunc-volume', { columns: [col('run', '1', runs.map((_, k) => k)), col('time_d', 'd', runs.map((r) => r.pools!.time_d[r.pools!.time_d.length - 1])), col('volume_cm3', 'cm3', vEnd), col('volumeVsBaseline', '1', runs.map((r, k) => (base(r) ? relativeChange([vEnd[k]], [vEnd[runs.indexOf(base(r)!)]])[0] : NaN)))] });
  return ['fig10', 'poolTables', 'perirhizalTruncVolume'];
}

/** One pool-table row of run k for the findings: `pick(q)` gives [stock, minus initial] in mmol C for q = co2, microbes, solutes. */
function addPoolRow(collect: FindingsCollect, k: number, day: number, pick: (q: 'co2' | 'microbes' | 'solutes') => [number, number]): void {
  const [co2, co2m] = pick('co2');
  const [mic, micm] = pick('microbes');
  const [sol, solm] = pick('solutes');
  const row: FindingsPoolRow = { day, co2_mmolC: co2, microbes_mmolC: mic, solutes_mmolC: sol, co2_minusInitial_mmolC: co2m, microbes_minusInitial_mmolC: micm, solutes_minusInitial_mmolC: solm };
  (collect.pools.get(k) ?? collect.pools.set(k, []).get(k)!).push(row);
}
