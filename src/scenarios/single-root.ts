import { z } from 'zod';
import { InputError, InputErrors, SolverFailure, oneOf } from '../core/errors.js';
import { lineChartSvg } from '../io/plot.js';
import { writeTable, type Column, type Table } from '../io/table.js';
import { ReturnCode } from '../numerics/ode/types.js';
import { checkParameterConstraints, checkProcessConstraints } from '../rhizosphere/constraints.js';
import { seriesMean, validateSeries } from '../rhizosphere/forcing.js';
import { V } from '../rhizosphere/kinetics.js';
import { NAMED_SET_ROWS, namedSet, randomSet, randomSetCount } from '../rhizosphere/parameter-sets.js';
import { BIOKINETIC_PARAMS, type BiokineticParams } from '../rhizosphere/parameters.js';
import { PerirhizalBatch } from '../rhizosphere/perirhizal.js';
import { doc, paramValues } from './params-schema.js';
import { registerScenarioKind, type KindResult, type RunContext, type ScenarioContext, type WorkEstimate } from './registry.js';
import { resolveSeries, resolveSoil, seriesSchema, soilCrossCheck, soilSchema, type ResolvedSoil } from './schemas.js';

const namedSets = Object.keys(NAMED_SET_ROWS) as [keyof typeof NAMED_SET_ROWS, ...(keyof typeof NAMED_SET_ROWS)[]];

/** Hard limits, checked before anything is allocated (time series rows, radial-profile rows). */
export const SINGLE_ROOT_LIMITS = { couplingSteps: 1_000_000, profileRows: 2_000_000 } as const;
/** Documented work limit: coupling steps × cells (about 20 min on one core at ~1 ms per cell-step). */
export const SINGLE_ROOT_WORK_LIMIT = 1_000_000;

const parameterSetSchema = z
  .union(
    [
      z.enum(namedSets).meta(doc('one of the three named sets of 004 Table A2')),
      z.strictObject({ row: z.int().min(0).meta(doc('row index 0..98 of the TraiRhizo sample (Sircan et al. 2025), data/trairhizo/')) }),
      z.strictObject({
        name: z.string().optional().meta(doc('name of the set the numbers belong to (informational)')),
        row: z.int().min(0).optional().meta(doc('row of the TraiRhizo sample the numbers belong to (informational)')),
        values: paramValues('rhizosphere.biokinetics', BIOKINETIC_PARAMS).meta(doc('every biokinetic parameter in model units (ranges: docs/PARAMETERS.md, rhizosphere.biokinetics)')),
      }),
    ],
    {
      error: (iss) =>
        iss.code !== 'invalid_union'
          ? undefined
          : typeof iss.input === 'string'
            ? oneOf(namedSets, iss.input, 'a parameter set name:')
            : `a parameter set name (${namedSets.join(', ')}), {row: 0..${randomSetCount() - 1}}, or {values: {…every biokinetic parameter…}}`,
    },
  )
  .default('highCO2')
  .meta(doc(`TraiRhizo biokinetic parameters: ${namedSets.join(', ')} (004 Table A2), {row: n} of the 99-set sample, or explicit values; resolves to every parameter`));

/** `kind: single-root` — one root segment, 1D radial soil, prescribed uptake/exudation/mucilage (004 App. D, Sircan-style setup). */
export const singleRootSchema = z.strictObject({
  kind: z.literal('single-root').meta(doc('scenario kind')),
  name: z.string().min(1).default('single-root').meta(doc('name of the run (titles of plots, summary.json)')),
  description: z.string().optional().meta(doc('free text')),
  parameterSet: parameterSetSchema,
  soil: soilSchema.default('loam'),
  root: z
    .strictObject({
      radius_cm: z.number().min(1e-3, 'a root radius ≥ 0.001 cm (10 µm)').max(1).default(0.02).meta(doc('root radius r_in (inner boundary of the perirhizal domain)', 'cm', '004 App. D')),
      length_cm: z.number().positive().max(100).default(1).meta(doc('length of the root segment', 'cm')),
      rOut_cm: z.number().positive().max(100).default(0.6).meta(doc('outer radius r_out of the perirhizal domain (no-flux boundary; 004 Eq 26 in the coupled model)', 'cm', '004 App. D')),
    })
    .default({ radius_cm: 0.02, length_cm: 1, rOut_cm: 0.6 })
    .meta(doc('the root segment and its perirhizal cylinder')),
  grid: z
    .strictObject({
      cells: z.int().min(1).max(2000).default(9).meta(doc('radial cells from the root surface to r_out (004: 9)', '1', '004 Sec. 2.2')),
      spacing: z.enum(['log', 'linear']).default('log').meta(doc('cell spacing: log (fine at the root surface) or linear')),
    })
    .default({ cells: 9, spacing: 'log' })
    .meta(doc('radial finite-volume grid')),
  initial: z
    .strictObject({ head_cm: z.number().max(0).min(-1e6).default(-100).meta(doc('uniform initial matric head', 'cm')) })
    .default({ head_cm: -100 })
    .meta(doc('initial state (pools start at the parameter set\'s initial values)')),
  time: z
    .strictObject({
      days: z.number().positive().max(3650).default(10).meta(doc('simulated duration', 'd')),
      couplingStep_min: z.number().positive().max(1440).default(20).meta(doc("interval over which the boundary fluxes are held at their mean (004's outer coupling step); the ODE solver steps adaptively inside it", 'min', '004 App. F')),
      profileTimes_d: z.array(z.number().min(0)).max(10000).optional().meta(doc('times of the radial profiles written (default: 0, every noon, the end)', 'd')),
    })
    .default({ days: 10, couplingStep_min: 20 })
    .meta(doc('simulated period and output times')),
  forcing: z
    .strictObject({
      waterUptake: seriesSchema('water').meta(doc('root water uptake per root surface (positive = into the root)')),
      exudation: seriesSchema('carbon').meta(doc('exudation into C_L^l per root surface (004 Eqs 15–16 in the coupled model)')),
      mucilage: seriesSchema('carbon').meta(doc('mucilage into C_H^l per root surface (004 Eqs 19–20)')),
    })
    .meta(doc('prescribed fluxes at the root surface (no plant model)')),
  solver: z
    .strictObject({
      rtol: z.number().positive().max(1e-2).default(1e-6).meta(doc('relative tolerance of the RODAS4 integration', '1')),
      psiCrit_cm: z.number().max(0).default(-15000).meta(doc('critical root-surface head ψ_crit: uptake is limited so the head stays above it', 'cm', '004 Eq B12')),
      waterLimitation: z.boolean().default(true).meta(doc('water limitation of microbial activity (004 App. D)')),
      conductivityAveraging: z.enum(['arithmetic', 'geometric', 'harmonic', 'upstream']).default('arithmetic').meta(doc('face conductivity from the two neighbouring cells')),
    })
    .default({ rtol: 1e-6, psiCrit_cm: -15000, waterLimitation: true, conductivityAveraging: 'arithmetic' })
    .meta(doc('numerical options')),
});

export type SingleRootScenario = z.infer<typeof singleRootSchema>;

function couplingSteps(s: SingleRootScenario): number {
  return Math.max(1, Math.round((s.time.days * 1440) / s.time.couplingStep_min));
}

/** Default profile times: the start, every day at noon (exudation peak), and the end. */
function defaultProfileTimes(days: number): number[] {
  const noons = Array.from({ length: Math.floor(days + 0.5) }, (_, k) => k + 0.5).filter((t) => t <= days);
  return [0, ...noons, days];
}

function check(s: SingleRootScenario, { source: src }: ScenarioContext): void {
  const errs: InputError[] = [];
  const add = (path: (string | number)[], value: unknown, expected: string) =>
    errs.push(new InputError({ file: src.file, keyPath: path.join('.'), value, ...src.locate(path), expected }));
  if (!(s.root.rOut_cm > s.root.radius_cm)) add(['root', 'rOut_cm'], s.root.rOut_cm, `> root.radius_cm (${s.root.radius_cm} cm)`);
  else if (s.root.rOut_cm / s.root.radius_cm > 1e4) add(['root', 'rOut_cm'], s.root.rOut_cm, `at most 10⁴ × root.radius_cm (${s.root.radius_cm} cm): the log-spaced grid cannot resolve a wider ratio`);
  if (typeof s.parameterSet === 'object' && s.parameterSet.row !== undefined && s.parameterSet.row >= randomSetCount()) {
    add(['parameterSet', 'row'], s.parameterSet.row, `a row index 0..${randomSetCount() - 1} of the TraiRhizo sample`);
  }
  if (s.time.couplingStep_min / 1440 > s.time.days) add(['time', 'couplingStep_min'], s.time.couplingStep_min, `a step no longer than time.days (${s.time.days} d)`);
  const steps = (s.time.days * 1440) / s.time.couplingStep_min;
  if (!(steps <= SINGLE_ROOT_LIMITS.couplingSteps)) {
    add(['time', 'couplingStep_min'], s.time.couplingStep_min, `a step giving at most ${SINGLE_ROOT_LIMITS.couplingSteps.toExponential(0)} coupling steps (time.days ${s.time.days} d / ${s.time.couplingStep_min} min = ${steps.toExponential(2)} steps)`);
  }
  for (const t of s.time.profileTimes_d ?? []) if (t > s.time.days) add(['time', 'profileTimes_d'], t, `times within [0, ${s.time.days}] d`);
  const profileRows = (s.time.profileTimes_d?.length ?? Math.floor(s.time.days + 0.5) + 2) * s.grid.cells;
  if (profileRows > SINGLE_ROOT_LIMITS.profileRows) add(['time', 'profileTimes_d'], s.time.profileTimes_d?.length ?? 'default (every noon)', `profile times × grid.cells ≤ ${SINGLE_ROOT_LIMITS.profileRows.toExponential(0)} rows (got ${profileRows.toExponential(2)})`);
  const soilProblem = soilCrossCheck(s.soil);
  if (soilProblem) add(['soil', 'thetaS'], resolveSoil(s.soil).thetaS, soilProblem);
  for (const key of ['waterUptake', 'exudation', 'mucilage'] as const) {
    for (const e of validateSeries(resolveSeries(key === 'waterUptake' ? 'water' : 'carbon', s.forcing[key]))) {
      const field = e.field.replace(/\[\d+\]$/, '');
      errs.push(new InputError({ file: src.file, keyPath: `forcing.${key}.${e.field}`, value: e.value, ...src.locate(['forcing', key, field]), expected: e.expected }));
    }
  }
  if (errs.length) throw new InputErrors(errs);
}

type ResolvedParameterSet = { name?: string; row?: number; values: Record<string, number> };
const asRecord = (p: BiokineticParams) => ({ ...p }) as unknown as Record<string, number>;
export type ResolvedSingleRoot = SingleRootScenario & { parameterSet: ResolvedParameterSet; soil: ResolvedSoil; time: { profileTimes_d: number[] } };

function resolve(s: SingleRootScenario): ResolvedSingleRoot {
  const ps = s.parameterSet;
  const parameterSet: ResolvedParameterSet =
    typeof ps === 'string'
      ? { name: ps, row: NAMED_SET_ROWS[ps], values: asRecord(namedSet(ps)) }
      : 'values' in ps
        ? { ...ps, values: { ...ps.values } }
        : { row: ps.row, values: asRecord(randomSet(ps.row)) };
  return {
    ...s,
    parameterSet,
    soil: resolveSoil(s.soil),
    time: { ...s.time, profileTimes_d: [...new Set(s.time.profileTimes_d ?? defaultProfileTimes(s.time.days))].sort((a, b) => a - b) },
  };
}

function estimate(r: ResolvedSingleRoot): WorkEstimate {
  const steps = couplingSteps(r);
  return { workUnits: steps * r.grid.cells, unit: 'cell-steps', description: `${steps} coupling steps of ${r.time.couplingStep_min} min × ${r.grid.cells} cells`, limit: SINGLE_ROOT_WORK_LIMIT };
}

/** Per-step time series columns (volume-integrated over the domain). */
const POOLS: { v: number; name: string; description: string }[] = [
  { v: V.L, name: 'CL_dissolved_molC', description: 'dissolved low-molecular-weight C (θ·C_L^l), domain total' },
  { v: V.Ls, name: 'CL_sorbed_molC', description: 'sorbed low-molecular-weight C (C_L^s), domain total' },
  { v: V.H, name: 'CH_molC', description: 'high-molecular-weight C / mucilage (θ·C_H^l), domain total' },
  { v: V.Oa, name: 'CO_active_molC', description: 'active oligotrophs, domain total' },
  { v: V.Od, name: 'CO_dormant_molC', description: 'dormant oligotrophs, domain total' },
  { v: V.Ca, name: 'CC_active_molC', description: 'active copiotrophs, domain total' },
  { v: V.Cd, name: 'CC_dormant_molC', description: 'dormant copiotrophs, domain total' },
  { v: V.CO2, name: 'CO2_molC', description: 'cumulative microbial CO₂-C, domain total' },
];

async function run(s: ResolvedSingleRoot, ctx: RunContext): Promise<KindResult> {
  const params = s.parameterSet.values as unknown as BiokineticParams;
  const soil = s.soil;
  const forcing = {
    uptake: resolveSeries('water', s.forcing.waterUptake),
    exudation: resolveSeries('carbon', s.forcing.exudation),
    mucilage: resolveSeries('carbon', s.forcing.mucilage),
  };
  const batch = new PerirhizalBatch([{ rIn_cm: s.root.radius_cm, rOut_cm: s.root.rOut_cm, length_cm: s.root.length_cm }], s.initial.head_cm, {
    soil,
    params,
    cells: s.grid.cells,
    spacing: s.grid.spacing,
    psiCrit_cm: s.solver.psiCrit_cm,
    waterLimitation: s.solver.waterLimitation,
    conductivityAveraging: s.solver.conductivityAveraging,
    rtol: s.solver.rtol,
  });
  const nSteps = couplingSteps(s);
  const dt = s.time.days / nSteps;
  const profileTimes = s.time.profileTimes_d;
  const profileSteps = new Set(profileTimes.map((t) => Math.round(t / dt)));

  const g = batch.grids[0];
  const area0 = g.faceArea[0];
  const nc = batch.nCells;
  const rows = nSteps + 1;
  const ts = {
    time: new Float64Array(rows),
    pools: POOLS.map(() => new Float64Array(rows)),
    carbon: new Float64Array(rows),
    microbial: new Float64Array(rows),
    water: new Float64Array(rows),
    headRoot: new Float64Array(rows),
    headOuter: new Float64Array(rows),
    CLroot: new Float64Array(rows),
    uptakePrescribed: new Float64Array(rows),
    uptakeActual: new Float64Array(rows),
    exudation: new Float64Array(rows),
    mucilage: new Float64Array(rows),
    cumExudation: new Float64Array(rows),
    cumMucilage: new Float64Array(rows),
    waterErr: new Float64Array(rows),
    carbonErr: new Float64Array(rows),
  };
  const prof: Record<string, number[]> = { time_d: [], cell: [], r_cm: [], distanceFromRoot_cm: [], theta: [], head_cm: [], CL_molC_per_cm3_water: [], CH_molC_per_cm3_water: [], CLs_molC_per_cm3_soil: [], COa_molC_per_cm3_soil: [], COd_molC_per_cm3_soil: [], CCa_molC_per_cm3_soil: [], CCd_molC_per_cm3_soil: [], CO2_molC_per_cm3_soil: [] };

  const record = (k: number, t: number, rates: { up: number; upActual: number; ex: number; mu: number }) => {
    ts.time[k] = t;
    POOLS.forEach((p, j) => (ts.pools[j][k] = batch.poolTotal(0, p.v)));
    ts.carbon[k] = batch.domainCarbon(0);
    ts.microbial[k] = batch.poolTotal(0, V.Oa) + batch.poolTotal(0, V.Od) + batch.poolTotal(0, V.Ca) + batch.poolTotal(0, V.Cd);
    const bal = batch.balance(0);
    ts.water[k] = bal.water_cm3;
    ts.headRoot[k] = batch.head(0, 0);
    ts.headOuter[k] = batch.head(0, nc - 1);
    const o0 = batch.offset(0, 0);
    ts.CLroot[k] = batch.state[o0 + V.L] / batch.state[o0 + V.theta];
    ts.uptakePrescribed[k] = rates.up;
    ts.uptakeActual[k] = rates.upActual;
    ts.exudation[k] = rates.ex;
    ts.mucilage[k] = rates.mu;
    ts.cumExudation[k] = bal.exudation_molC;
    ts.cumMucilage[k] = bal.mucilage_molC;
    const rel = batch.relativeBalanceErrors();
    ts.waterErr[k] = rel.water;
    ts.carbonErr[k] = rel.carbon;
    if (profileSteps.has(k)) {
      for (let i = 0; i < nc; i++) {
        const o = batch.offset(0, i);
        const th = batch.state[o + V.theta];
        prof.time_d.push(t);
        prof.cell.push(i);
        prof.r_cm.push(g.centers[i]);
        prof.distanceFromRoot_cm.push(g.centers[i] - g.faces[0]);
        prof.theta.push(th);
        prof.head_cm.push(batch.head(0, i));
        prof.CL_molC_per_cm3_water.push(batch.state[o + V.L] / th);
        prof.CH_molC_per_cm3_water.push(batch.state[o + V.H] / th);
        prof.CLs_molC_per_cm3_soil.push(batch.state[o + V.Ls]);
        prof.COa_molC_per_cm3_soil.push(batch.state[o + V.Oa]);
        prof.COd_molC_per_cm3_soil.push(batch.state[o + V.Od]);
        prof.CCa_molC_per_cm3_soil.push(batch.state[o + V.Ca]);
        prof.CCd_molC_per_cm3_soil.push(batch.state[o + V.Cd]);
        prof.CO2_molC_per_cm3_soil.push(batch.state[o + V.CO2]);
      }
    }
  };

  ctx.progress.start(nSteps, `${s.name} (${s.time.days} d)`);
  record(0, 0, { up: 0, upActual: 0, ex: 0, mu: 0 });
  for (let k = 1; k <= nSteps; k++) {
    const t0 = (k - 1) * dt;
    const t1 = k * dt;
    const up = seriesMean(forcing.uptake, t0, t1);
    const ex = seriesMean(forcing.exudation, t0, t1);
    const mu = seriesMean(forcing.mucilage, t0, t1);
    batch.waterUptake_cm_per_d[0] = up;
    batch.exudation_molC_per_cm2_d[0] = ex;
    batch.mucilage_molC_per_cm2_d[0] = mu;
    const before = batch.rootUptake_cm3(0);
    const code = batch.advance(dt);
    if (code !== ReturnCode.Success) {
      ctx.progress.stop();
      throw new SolverFailure(`integration failed at t = ${t0.toFixed(4)} d with return code ${code} (solver statistics: ${JSON.stringify(batch.stats)})`, t0, String(code));
    }
    const upActual = (batch.rootUptake_cm3(0) - before) / dt / area0;
    record(k, t1, { up, upActual, ex: ex * area0, mu: mu * area0 });
    if (k % 12 === 0 || k === nSteps) ctx.progress.update(k, { day: t1.toFixed(2), steps: batch.stats.accepted });
    await ctx.checkpoint();
  }
  ctx.progress.stop();

  // Tables.
  const tsTable: Table = {
    columns: [
      { name: 'time_d', unit: 'd', description: 'simulated time', data: ts.time },
      ...POOLS.map((p, j): Column => ({ name: p.name, unit: 'mol C', description: p.description, data: ts.pools[j] })),
      { name: 'carbon_total_molC', unit: 'mol C', description: 'all carbon pools including CO₂', data: ts.carbon },
      { name: 'microbial_molC', unit: 'mol C', description: 'oligotrophs + copiotrophs, active + dormant', data: ts.microbial },
      { name: 'water_cm3', unit: 'cm3', description: 'water in the domain', data: ts.water },
      { name: 'head_root_cm', unit: 'cm', description: 'matric head of the cell at the root surface', data: ts.headRoot },
      { name: 'head_outer_cm', unit: 'cm', description: 'matric head of the outermost cell', data: ts.headOuter },
      { name: 'CL_root_molC_per_cm3_water', unit: 'mol C cm-3 water', description: 'C_L^l of the cell at the root surface', data: ts.CLroot },
      { name: 'uptake_prescribed_cm_per_d', unit: 'cm3 cm-2 d-1', description: 'prescribed root water uptake (interval mean)', data: ts.uptakePrescribed },
      { name: 'uptake_actual_cm_per_d', unit: 'cm3 cm-2 d-1', description: 'realised uptake after the ψ_crit limit (Eq B12)', data: ts.uptakeActual },
      { name: 'exudation_molC_per_d', unit: 'mol C d-1', description: 'exudation into C_L^l (interval mean)', data: ts.exudation },
      { name: 'mucilage_molC_per_d', unit: 'mol C d-1', description: 'mucilage into C_H^l (interval mean)', data: ts.mucilage },
      { name: 'exudation_cumulative_molC', unit: 'mol C', description: 'cumulative exudation', data: ts.cumExudation },
      { name: 'mucilage_cumulative_molC', unit: 'mol C', description: 'cumulative mucilage', data: ts.cumMucilage },
      { name: 'water_balance_relative_error', unit: '1', description: '|water − initial + uptake − sources| / throughput, since start', data: ts.waterErr },
      { name: 'carbon_balance_relative_error', unit: '1', description: '|carbon − initial − inputs| / throughput, since start', data: ts.carbonErr },
    ],
  };
  const profUnits: Record<string, [string, string]> = {
    time_d: ['d', 'time of the profile'],
    cell: ['1', 'cell index from the root surface'],
    r_cm: ['cm', 'radial coordinate of the cell centre'],
    distanceFromRoot_cm: ['cm', 'distance of the cell centre from the root surface'],
    theta: ['cm3 cm-3', 'volumetric water content'],
    head_cm: ['cm', 'matric head'],
    CL_molC_per_cm3_water: ['mol C cm-3 water', 'dissolved low-molecular-weight C, C_L^l'],
    CH_molC_per_cm3_water: ['mol C cm-3 water', 'high-molecular-weight C, C_H^l'],
    CLs_molC_per_cm3_soil: ['mol C cm-3 soil', 'sorbed C_L^s'],
    COa_molC_per_cm3_soil: ['mol C cm-3 soil', 'active oligotrophs'],
    COd_molC_per_cm3_soil: ['mol C cm-3 soil', 'dormant oligotrophs'],
    CCa_molC_per_cm3_soil: ['mol C cm-3 soil', 'active copiotrophs'],
    CCd_molC_per_cm3_soil: ['mol C cm-3 soil', 'dormant copiotrophs'],
    CO2_molC_per_cm3_soil: ['mol C cm-3 soil', 'cumulative CO₂-C'],
  };
  const profTable: Table = { columns: Object.entries(prof).map(([name, data]) => ({ name, unit: profUnits[name][0], description: profUnits[name][1], data })) };
  const meta = { scenario: s.name, kind: 'single-root' };
  writeTable(ctx.out, 'timeseries', tsTable, meta);
  writeTable(ctx.out, 'radial-profiles', profTable, meta);

  // Plots.
  const days = Array.from(ts.time);
  ctx.out.write(
    'plots/pools.svg',
    await lineChartSvg({
      title: `${s.name}: carbon pools (domain totals)`,
      xTitle: 'time (d)',
      yTitle: 'mol C',
      yScale: 'log',
      series: [...POOLS.map((p, j) => ({ name: p.name.replace(/_molC$/, ''), x: days, y: ts.pools[j] })), { name: 'microbial total', x: days, y: ts.microbial }],
    }),
  );
  ctx.out.write(
    'plots/fluxes.svg',
    await lineChartSvg({
      title: `${s.name}: root carbon release`,
      xTitle: 'time (d)',
      yTitle: 'mol C d⁻¹',
      series: [
        { name: 'exudation', x: days, y: ts.exudation },
        { name: 'mucilage', x: days, y: ts.mucilage },
      ],
    }),
  );
  ctx.out.write(
    'plots/water.svg',
    await lineChartSvg({
      title: `${s.name}: matric head`,
      xTitle: 'time (d)',
      yTitle: 'head (cm)',
      series: [
        { name: 'root surface cell', x: days, y: ts.headRoot },
        { name: 'outer cell', x: days, y: ts.headOuter },
      ],
    }),
  );
  const profileSeries = (field: string) =>
    profileTimes.map((t) => {
      const idx = prof.time_d.map((v, j) => (Math.abs(v - t) < dt / 2 ? j : -1)).filter((j) => j >= 0);
      return { name: `${t} d`, x: idx.map((j) => prof.distanceFromRoot_cm[j]), y: idx.map((j) => prof[field][j]) };
    });
  for (const [file, field, label, log] of [
    ['radial-CL.svg', 'CL_molC_per_cm3_water', 'C_L^l (mol C cm⁻³ water)', true],
    ['radial-CH.svg', 'CH_molC_per_cm3_water', 'C_H^l (mol C cm⁻³ water)', false],
    ['radial-copiotrophs.svg', 'CCa_molC_per_cm3_soil', 'active copiotrophs (mol C cm⁻³ soil)', true],
    ['radial-CO2.svg', 'CO2_molC_per_cm3_soil', 'CO₂-C (mol C cm⁻³ soil)', false],
    ['radial-water.svg', 'theta', 'θ (cm³ cm⁻³)', false],
  ] as const) {
    ctx.out.write(
      `plots/${file}`,
      await lineChartSvg({
        title: `${s.name}: radial profile of ${label}`,
        xTitle: 'distance from root surface (cm)',
        yTitle: label,
        yScale: log ? 'log' : 'linear',
        series: profileSeries(field),
        points: true,
        sequentialColors: true,
      }),
    );
  }

  // Summary.
  const bal = batch.balance(0);
  const rel = batch.relativeBalanceErrors();
  const rhizo = batch.zoneMeans(0, 0, s.root.radius_cm + 0.3);
  const bulk = batch.zoneMeans(0, s.root.radius_cm + 0.3, Number.POSITIVE_INFINITY);
  const paramConstraints = checkParameterConstraints(params);
  const processConstraints = checkProcessConstraints(rhizo, bulk);
  return {
    simulatedDays: s.time.days,
    parameterSet: s.parameterSet.name ?? (s.parameterSet.row !== undefined ? `row ${s.parameterSet.row}` : 'custom'),
    soil: s.soil.name ?? 'custom',
    balance: {
      water: { relativeError: rel.water, error_cm3: bal.waterError_cm3, initial_cm3: bal.initialWater_cm3, final_cm3: bal.water_cm3, rootUptake_cm3: bal.rootUptake_cm3 },
      carbon: { relativeError: rel.carbon, error_molC: bal.carbonError_molC, initial_molC: bal.initialCarbon_molC, final_molC: bal.carbon_molC, inputs_molC: bal.exudation_molC + bal.mucilage_molC },
    },
    totals: {
      exudedC_molC: bal.exudation_molC,
      mucilageC_molC: bal.mucilage_molC,
      co2_molC: batch.poolTotal(0, V.CO2),
      microbialC_molC: ts.microbial[rows - 1],
      microbialCInitial_molC: ts.microbial[0],
      activeMicrobialC_molC: batch.poolTotal(0, V.Oa) + batch.poolTotal(0, V.Ca),
      solutesC_molC: batch.poolTotal(0, V.L) + batch.poolTotal(0, V.Ls) + batch.poolTotal(0, V.H),
      rootWaterUptake_cm3: bal.rootUptake_cm3,
      headRootSurfaceFinal_cm: ts.headRoot[rows - 1],
    },
    solver: {
      method: 'RODAS4 (Rosenbrock, L-stable, order 4(3)); linearly implicit, so no Newton iterations',
      steps: batch.stats.steps,
      acceptedSteps: batch.stats.accepted,
      rejectedSteps: batch.stats.rejected,
      inadmissibleSteps: batch.stats.inadmissible,
      newtonIterations: batch.stats.newtonIterations,
      jacobianEvaluations: batch.stats.jacobianEvaluations,
      rhsEvaluations: batch.stats.rhsEvaluations,
      lowestCarbonPool_molC_per_cm3: batch.minCarbonPool,
      couplingSteps: nSteps,
    },
    constraints: { parameters: paramConstraints, process: processConstraints, note: CONSTRAINT_NOTE },
    checks: [...paramConstraints, ...processConstraints].map((c) => ({
      name: `plausibility.${c.id}`,
      passed: c.satisfied,
      severity: 'warning' as const,
      message: `004 App. G constraint ${c.id}: ${c.text} (${Object.entries(c.values).map(([k, v]) => `${k} ${v.toPrecision(3)}`).join(', ')})`,
    })),
  };
}

const CONSTRAINT_NOTE = '004 App. G: rhizosphere = cells within 3 mm of the root surface, baseline = the cells beyond';

export const singleRootKind = registerScenarioKind<SingleRootScenario, ResolvedSingleRoot>({
  kind: 'single-root',
  description: 'one root segment in 1D radial soil with prescribed water uptake, exudation and mucilage (004 App. D)',
  schema: singleRootSchema,
  tolerances: { water: 1e-9, carbon: 1e-9 },
  check,
  resolve,
  estimate,
  run,
});
