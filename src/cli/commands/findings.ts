import {
  agreementCounts, drySpellFindings, isFullRun, DRY_SPELL_SETS, DRY_SPELL_WEATHERS, FULL_RUN_SPAN_D, plantCumulative, stepLengths_d, type Finding, type FindingsPoolRow, type FindingsRun,
} from '../../analysis/index.js';
import type { StagedOutputDir } from '../../io/atomic.js';
import { MICROBIAL_CO2_COLUMN, MICROBIAL_GROWTH_COLUMN } from '../../scenarios/coupled.js';
import { gitCommit, packageVersion } from '../../io/paths.js';
import { InputError } from '../../core/errors.js';
import { readYamlFile, validateWithSchema } from '../../scenarios/load.js';
import { z } from 'zod';
import type { FoundRun } from './analyse.js';

/** People's explanations of findings (findings.md's explanation column), keyed by finding id: `--explanations <file>`. */
export interface FindingExplanations {
  readonly file: string;
  readonly byId: Readonly<Record<string, string>>;
}

const EXPLANATIONS_SCHEMA = z.record(z.string(), z.string().trim().min(1, 'an explanation (non-empty text)').max(4000, 'at most 4000 characters'));

/** Read an explanations file: YAML (or JSON), a mapping finding id → text. Bad input: InputError naming file, key and expectation. */
export function readFindingExplanations(file: string): FindingExplanations {
  const source = readYamlFile(file);
  if (source.data === null || typeof source.data !== 'object' || Array.isArray(source.data)) throw new InputError({ file, expected: 'a mapping of finding ids to explanations, e.g. "exudationVsBaseline.earlyDry.highMB: In the spell …"' });
  const byId = validateWithSchema(source, EXPLANATIONS_SCHEMA);
  return { file, byId: Object.fromEntries(Object.entries(byId).map(([k, v]) => [k, v.replace(/\s+/g, ' ').trim()])) };
}

/** What the analyses hand to the findings: macroscale pool-table rows and the end perirhizal_trunc volume, by run index. */
export interface FindingsCollect {
  pools: Map<number, FindingsPoolRow[]>;
  truncVolume_cm3: Map<number, number>;
}

/** The issue's balance limit for every run of the matrix (issue 9 "What it must show"). */
export const FINDINGS_BALANCE_LIMIT = 1e-6;

type Json = Record<string, unknown>;
const num = (x: unknown): number | null => (typeof x === 'number' && Number.isFinite(x) ? x : null);
const get = (o: unknown, ...path: string[]): unknown => path.reduce<unknown>((a, k) => (a && typeof a === 'object' ? (a as Json)[k] : undefined), o);

/** Lowest pool value in a run's soil snapshots (voxels and 1D cells, every pool, every snapshot) and how many values are negative. */
function snapshotNegatives(r: FoundRun): { min_molC_per_cm3: number | null; negativeValues: number; snapshots: number } {
  let min = Infinity;
  let neg = 0;
  const scan = (pools: Readonly<Record<string, ArrayLike<number>>>) => {
    for (const a of Object.values(pools)) for (let i = 0; i < a.length; i++) {
      if (a[i] < min) min = a[i];
      if (a[i] < 0) neg++;
    }
  };
  for (const s of r.soil) {
    scan(s.voxels.pools);
    for (const m of s.perirhizal) scan(m.pools);
  }
  return { min_molC_per_cm3: Number.isFinite(min) ? min : null, negativeValues: neg, snapshots: r.soil.length };
}

/** Gross microbial growth and CO₂ production over the run (last row of pools.csv), both or neither. */
function microbialTotals(r: FoundRun): { microbialGrowth_molC?: number; co2Produced_molC?: number } {
  const g = r.pools?.[MICROBIAL_GROWTH_COLUMN];
  const c = r.pools?.[MICROBIAL_CO2_COLUMN];
  if (!g || !c || g.length === 0 || c.length === 0) return {};
  const G = g[g.length - 1];
  const C = c[c.length - 1];
  return Number.isFinite(G) && Number.isFinite(C) ? { microbialGrowth_molC: G, co2Produced_molC: C } : {};
}

/**
 * The CO₂ production integrated from the rates (pools.csv, what CO₂ per unit microbial growth uses) against the exact
 * amount: Σ V·CO₂ over all voxels at the last soil snapshot − at the first (CO₂ is not transported and a rooted voxel
 * holds its 1D models' amount). Null without snapshots or the column.
 */
function co2Check(r: FoundRun, f: FindingsRun): { integrated_molC: number; poolsChange_molC: number; relativeDifference: number; days_d: [number, number] } | null {
  if (f.co2Produced_molC === undefined || r.soil.length < 2) return null;
  const stock = (k: number) => {
    const v = r.soil[k].voxels;
    let t = 0;
    for (let i = 0; i < v.volume_cm3.length; i++) t += v.volume_cm3[i] * v.pools.CO2[i];
    return t;
  };
  const first = r.soil[0];
  const last = r.soil[r.soil.length - 1];
  // Only when the snapshots span the run (the integral runs from its start to its end).
  if (Math.abs(first.time_d - f.start_d) > 1e-6 || Math.abs(last.time_d - f.end_d) > 1e-6) return null;
  const change = stock(r.soil.length - 1) - stock(0);
  return { integrated_molC: f.co2Produced_molC, poolsChange_molC: change, relativeDifference: Math.abs(f.co2Produced_molC - change) / Math.max(Math.abs(change), 1e-300), days_d: [first.time_d, last.time_d] };
}

/** The findings input of one run: Fig 7 totals from its plant series, the collected pool rows and volume. */
function findingsRun(r: FoundRun, k: number, collect: FindingsCollect): FindingsRun {
  const c = r.series ? plantCumulative(r.series, r.start_d) : undefined;
  const end = (a?: Float64Array) => (a && a.length > 0 ? a[a.length - 1] : NaN);
  let assimilation: number | undefined;
  if (r.assimilation && r.series) {
    const dt = stepLengths_d(r.series.time_d, r.start_d);
    assimilation = 0;
    for (let i = 0; i < dt.length; i++) assimilation += r.assimilation[i] * dt[i];
  }
  const peak = r.peakTipExudation && r.peakTipExudation.length > 0 ? Math.max(...Array.from(r.peakTipExudation).filter(Number.isFinite)) : undefined;
  const time = r.series?.time_d;
  return {
    weather: r.weather, set: r.set,
    start_d: r.start_d ?? (time && time.length > 1 ? time[0] - (time[1] - time[0]) : NaN),
    end_d: r.end_d ?? NaN,
    totals: { exudation_molC: end(c?.exudation_molC), mucilage_molC: end(c?.mucilage_molC), respiration_molC: end(c?.respiration_molC), growth_molC: end(c?.growth_molC), assimilation_molC: assimilation, peakTipExudation_mmolC_per_cm2_d: peak !== undefined && Number.isFinite(peak) ? peak : undefined },
    pools: collect.pools.get(k),
    perirhizalTruncVolume_cm3: collect.truncVolume_cm3.get(k),
    ...microbialTotals(r),
  };
}

/**
 * findings.json and findings.md (issue 9) next to the analysis: `{command, commit, findings}` as the
 * issue specifies, plus `reproduction` (false unless all nine runs of the matrix are there and each is a full 10 → 25 run), `runs` (span,
 * full or not, balances against 1e−6, negative concentrations, each run's command and commit) and
 * `counts`. findings.md: the same as a table; the explanation of a disagreement is left to a human.
 */
export function writeFindings(out: StagedOutputDir, runs: FoundRun[], collect: FindingsCollect, opts: { command?: string; tableDays: readonly number[]; explanations?: FindingExplanations }): { counts: Record<string, number>; allFullRuns: boolean; balancesWithin1e6: boolean; explained: number; unexplained: string[] } {
  const inputs = runs.map((r, k) => findingsRun(r, k, collect));
  const findings = drySpellFindings(inputs);
  const expl = opts.explanations;
  if (expl) {
    const ids = new Set(findings.map((f) => f.id));
    const unknown = Object.keys(expl.byId).filter((id) => !ids.has(id));
    if (unknown.length > 0) throw new InputError({ file: expl.file, keyPath: unknown[0], expected: `the id of a finding (${unknown.length} unknown: ${unknown.slice(0, 5).join(', ')}${unknown.length > 5 ? ', …' : ''}; the ids are those of findings.json, e.g. ${findings.slice(0, 2).map((f) => f.id).join(', ')})` });
  }
  const explanationOf = (id: string): string | undefined => expl?.byId[id];
  const unexplained = findings.filter((f) => (f.agreement === 'sign' || f.agreement === 'disagree') && explanationOf(f.id) === undefined).map((f) => f.id);
  const explained = findings.filter((f) => explanationOf(f.id) !== undefined).length;
  const counts = agreementCounts(findings);
  const runInfo = runs.map((r, k) => {
    const s = r.summary;
    const water = num(get(s, 'balance', 'water', 'relativeError'));
    const carbon = num(get(s, 'balance', 'carbon', 'relativeError'));
    const min1D = num(get(s, 'soil', 'min1DCarbonPool_molC_per_cm3'));
    const neg = snapshotNegatives(r);
    return {
      run: `${r.weather}/${r.set}`, folder: r.label, span_d: [inputs[k].start_d, inputs[k].end_d], fullRun: isFullRun(inputs[k]), status: get(s, 'status') ?? null,
      balance: { water: water, carbon: carbon, limit: FINDINGS_BALANCE_LIMIT, within: water !== null && carbon !== null && water <= FINDINGS_BALANCE_LIMIT && carbon <= FINDINGS_BALANCE_LIMIT },
      negativeConcentrations: {
        snapshotMin_molC_per_cm3: neg.min_molC_per_cm3, snapshotNegativeValues: neg.negativeValues, snapshotsScanned: neg.snapshots,
        min1DCarbonPool_molC_per_cm3: min1D, note: min1D === null ? "the run's summary.json has no soil.min1DCarbonPool_molC_per_cm3 (written by the coupled kind since this change)" : 'lowest 1D carbon pool at the end of any 1D solve of the run (RODAS4 rejects steps below −1e−14)',
      },
      commandLine: get(s, 'commandLine') ?? null, gitCommit: get(s, 'gitCommit') ?? null,
      wallSeconds: num(get(s, 'cost', 'wallSeconds')),
      processCpuSeconds: num(get(s, 'cost', 'processCpuSeconds')),
      microbialCo2Check: co2Check(r, inputs[k]),
    };
  });
  const allFull = runInfo.length > 0 && runInfo.every((r) => r.fullRun);
  const balancesOk = runInfo.every((r) => r.balance.within);
  const noNegatives = runInfo.every((r) => r.negativeConcentrations.snapshotNegativeValues === 0 && (r.negativeConcentrations.min1DCarbonPool_molC_per_cm3 ?? 0) >= 0);
  const notFull = runInfo.filter((r) => !r.fullRun).map((r) => `${r.run} (days ${r.span_d.map((d) => Number(d.toFixed(6))).join(' → ')})`);
  // The matrix is complete when every weather × set pair has a run (the findings compare across them).
  const missing = DRY_SPELL_WEATHERS.flatMap((w) => DRY_SPELL_SETS.map((set) => `${w}/${set}`)).filter((id) => !runInfo.some((r) => r.run === id));
  const warnings = [
    ...(allFull ? [] : [`${notFull.length} of ${runInfo.length} runs are not full ${FULL_RUN_SPAN_D[0]} → ${FULL_RUN_SPAN_D[1]} runs (${notFull.join(', ')}); a quick look only`]),
    ...(missing.length ? [`${missing.length} of the 9 runs of the matrix are missing (${missing.join(', ')})`] : []),
  ];
  const warning = warnings.length ? `NOT A REPRODUCTION: ${warnings.join('; ')}.` : null;
  const commit = gitCommit() ?? `${packageVersion()} unknown commit`;
  const json = {
    command: opts.command ?? null,
    commit,
    ...(warning ? { warning } : {}),
    reproduction: allFull && missing.length === 0,
    findings: findings.map((f) => ({ id: f.id, finding: f.finding, paper: f.paper, rhizocarb: f.rhizocarb, agreement: f.agreement, ...(explanationOf(f.id) !== undefined ? { explanation: explanationOf(f.id) } : {}), ...(f.reason ? { reason: f.reason } : {}), fullRuns: f.fullRuns, rule: f.rule, source: f.source, ...(f.form ? { form: f.form, agreementByForm: f.agreementByForm } : {}), ...(f.details ? { details: f.details } : {}) })),
    counts,
    explanations: expl ? { file: expl.file, explained, unexplainedSignOrDisagree: unexplained } : null,
    tableDays: opts.tableDays,
    runs: runInfo,
    checks: { allFullRuns: allFull, balancesWithin1e6: balancesOk, noNegativeConcentrations: noNegatives },
  };
  out.write('findings.json', JSON.stringify(json, null, 2) + '\n');
  out.write('findings.md', findingsMarkdown(findings, runInfo, { command: opts.command, commit, warning, counts, balancesOk, noNegatives, explanationOf, explanationsFile: expl?.file }));
  return { counts, allFullRuns: allFull, balancesWithin1e6: balancesOk, explained, unexplained };
}

const RATIO_IDS = ['mucilagePerExudation', 'exudationPerAssimilation'];
function show(f: Finding, v: Finding['paper'] | Finding['rhizocarb']): string {
  if (v === null) return '–';
  const asPct = f.id.includes('VsBaseline') || RATIO_IDS.includes(f.id);
  const one = (x: number) => (asPct ? `${x > 0 && f.id.includes('VsBaseline') ? '+' : ''}${(100 * x).toPrecision(3)} %` : x.toPrecision(3));
  if (typeof v === 'number') return one(v);
  if (Array.isArray(v)) return `${one(v[0])} … ${one(v[1])}`;
  if (typeof v === 'string' && asPct && /^[\d.e+-]+…[\d.e+-]+$/.test(v)) return v.split('…').map((x) => one(Number(x))).join(' … ');
  return String(v);
}

function findingsMarkdown(
  findings: Finding[],
  runs: { run: string; span_d: number[]; fullRun: boolean; status: unknown; balance: { water: number | null; carbon: number | null; within: boolean }; negativeConcentrations: { snapshotMin_molC_per_cm3: number | null; snapshotNegativeValues: number; min1DCarbonPool_molC_per_cm3: number | null }; wallSeconds: number | null; processCpuSeconds?: number | null; microbialCo2Check?: { relativeDifference: number } | null }[],
  o: { command?: string; commit: string; warning: string | null; counts: Record<string, number>; balancesOk: boolean; noNegatives: boolean; explanationOf: (id: string) => string | undefined; explanationsFile?: string },
): string {
  const e = (x: number | null) => (x === null ? '–' : x.toExponential(2));
  const L: string[] = ['# Findings of the dry-spells experiment (paper 004, issue 9)', ''];
  if (o.warning) L.push(`> **${o.warning}**`, '');
  L.push(`Command: \`${o.command ?? 'not recorded'}\`  `, `Commit: \`${o.commit}\``, '');
  L.push(`Agreement: ${Object.entries(o.counts).map(([k, n]) => `${k} ${n}`).join(', ')}. Rules: a value agrees within ±50 % of the paper's, \`sign\` is the right sign outside that; a range (lo … hi) agrees when every run lies in [0.5·lo, 1.5·hi]; a rank agrees when it holds in every weather with all three sets; pool tables are compared as stocks and minus the initial stocks (004 does not say which), the better form kept (column "form"). Source of every paper value: src/analysis/findings.ts \`PAPER_004\`.`, '');
  L.push('## Runs', '', '| run | days | full 10 → 25 | status | water balance | carbon balance | ≤ 1e−6 | lowest pool in snapshots (negatives) | lowest 1D carbon pool | wall s | process CPU core-h |', '|---|---|---|---|---|---|---|---|---|---|---|');
  for (const r of runs) L.push(`| ${r.run} | ${r.span_d.map((d) => Number(d.toFixed(6))).join(' → ')} | ${r.fullRun ? 'yes' : '**no**'} | ${String(r.status ?? '–')} | ${e(r.balance.water)} | ${e(r.balance.carbon)} | ${r.balance.within ? 'yes' : '**no**'} | ${e(r.negativeConcentrations.snapshotMin_molC_per_cm3)} (${r.negativeConcentrations.snapshotNegativeValues}) | ${e(r.negativeConcentrations.min1DCarbonPool_molC_per_cm3)} | ${r.wallSeconds === null ? '–' : r.wallSeconds.toFixed(0)} | ${r.processCpuSeconds == null ? '–' : (r.processCpuSeconds / 3600).toFixed(2)} |`);
  L.push('', `Balances ≤ 1e−6 in every run: ${o.balancesOk ? 'yes' : '**no**'}. No negative concentration (snapshots and 1D solves): ${o.noNegatives ? 'yes' : '**no**'}. Cost: wall s is the run's own wall time; process CPU core-h is \`cost.processCpuSeconds\` of its summary (user + system of the whole process: exact for a run alone, an upper value for a task that shared its sweep process with other tasks; – for runs made before it was recorded).`, '');
  const checked = runs.filter((r) => r.microbialCo2Check);
  if (checked.length > 0) L.push(`CO₂ per unit microbial growth uses the rates integrated by the trapezoidal rule (step starts and sub-step ends; pools.csv). Check against the exact CO₂ produced (the CO₂ pools' change between the first and last soil snapshot), relative difference: ${checked.map((r) => `${r.run} ${e(r.microbialCo2Check!.relativeDifference)}`).join(', ')}.`, '');
  L.push('## Findings', '');
  if (o.explanationsFile) L.push(`Explanations: \`${o.explanationsFile}\` (written by people, keyed by finding id; \`analyse dry-spells --explanations\`).`, '');
  L.push('| id | finding | paper | rhizocarb | agreement | form | explanation |', '|---|---|---|---|---|---|---|');
  const TODO = '**TO BE WRITTEN (by a human)**';
  for (const f of findings) {
    const given = o.explanationOf(f.id);
    const expl = f.agreement === 'not-available' ? `not available: ${f.reason}${given ? `. ${given}` : ''}` : given ?? (f.agreement === 'disagree' || f.agreement === 'sign' ? TODO : '');
    L.push(`| ${f.id} | ${f.finding} | ${show(f, f.paper)} | ${show(f, f.rhizocarb)} | ${f.agreement}${f.fullRuns || f.agreement === 'not-available' ? '' : ' (not full runs)'} | ${f.form ?? ''} | ${expl.replace(/\|/g, '\\|')} |`);
  }
  return L.join('\n') + '\n';
}
