import { isAbsolute, resolve } from 'node:path';
import { z } from 'zod';
import { InputError, InputErrors } from '../core/errors.js';
import { fileSha256 } from '../io/files.js';
import { lineChartSvg } from '../io/plot.js';
import { readRsmlFile, type RsmlRootSystem } from '../io/rsml.js';
import { tableDictionaryCsv, tableToCsv, tableToParquet, type Table } from '../io/table.js';
import { pvdString, voxelGridToVtkOrder, vtkImageDataString, vtkSegmentsString, type PvdEntry } from '../io/vtk.js';
import { ReturnCode } from '../numerics/ode/types.js';
import { isAgeDependent, type ConductivityTable } from '../plant/conductivity.js';
import { ClassicRootWaterUptake, voxelOf, type ClassicUptakeState, type UptakeStep } from '../plant/root-water-uptake.js';
import { namedSet } from '../rhizosphere/parameter-sets.js';
import { uniformVoxelGrid } from '../soil/voxel-grid.js';
import { MultiscaleRootWaterUptake } from './multiscale-uptake.js';
import { waterContent } from '../soil/van-genuchten.js';
import { formatKeyPath } from './load.js';
import { doc } from './params-schema.js';
import { registerScenarioKind, type KindResult, type RunContext, type ScenarioContext, type WorkEstimate } from './registry.js';
import { DEFAULT_PSI_AVERAGING, psiAveragingSchema, resolveSoil, soilCrossCheck, soilSchema, type ResolvedSoil } from './schemas.js';

/**
 * Scenario kind `root-water-uptake`: a static root system (RSML) in a box of soil voxels, sinusoidal
 * potential transpiration with a collar limit — the RSA C1-class problems (Schnepf et al. 2020;
 * C1.2, Khare et al. 2022). `sink: classic` couples each segment to its voxel's head
 * (plant/root-water-uptake.ts); `sink: multiscale` (perirhizal 1D models per segment) needs
 * src/coupling and is refused until it exists.
 */
const ageTable = z
  .array(z.tuple([z.number().nonnegative().meta(doc('segment age', 'd')), z.number().nonnegative().meta(doc('value'))]))
  .min(1)
  .max(1000);

function conductivitySchema(unit: string, what: string) {
  return z
    .union([
      z.number().nonnegative().meta(doc(`${what} of every segment`, unit)),
      z.strictObject({
        byType: z.record(z.string().regex(/^-?\d+$/, 'an integer RSML root type such as "1"'), ageTable).meta(doc(`per RSML root type, a table [[age_d, value], …] (ages increasing; linear, constant beyond the ends; one row = constant)`, unit)),
      }),
    ], { error: (iss) => (iss.code === 'invalid_union' ? `a number (${unit}) or {byType: {"1": [[age_d, value], …], …}}` : undefined) })
    .meta(doc(`${what}: a number, or per RSML root type an age table (as benchmark M3.2b)`, unit, 'Schnepf et al. 2020 (M3.2); 004 Eqs 1–3'));
}

const vec3 = z.tuple([z.number(), z.number(), z.number()]);

/** Hard limits, checked before anything is allocated. */
export const RWU_LIMITS = { voxels: 2_000_000, steps: 1_000_000, snapshots: 1000 } as const;
/** Documented work limit, voxel-steps (coupling steps × voxels): about 20 minutes on one core. */
export const RWU_WORK_LIMIT = 3e7;
/** Cost of one perirhizal 1D model over one coupling step in voxel-steps (measured: ≈ 25 ms vs ≈ 40 µs per voxel-step, 5 iterates). */
const DOMAIN_STEP_COST = 600;

export const rootWaterUptakeSchema = z.strictObject({
  kind: z.literal('root-water-uptake').meta(doc('scenario kind')),
  name: z.string().default('root-water-uptake').meta(doc('name of the run')),
  description: z.string().optional().meta(doc('free text')),
  rootSystem: z
    .strictObject({
      file: z.string().meta(doc('RSML 1.0 file of the root system, relative to the scenario file (io/rsml.ts: polylines, root types, diameters, node times)')),
      sha256: z.string().regex(/^[0-9a-f]{64}$/).optional().meta(doc('SHA-256 of the RSML file; resolved scenarios record it and a run refuses a file that changed since')),
      kr_per_d: conductivitySchema('d-1', 'radial conductivity k_r'),
      kx_cm3_per_d: conductivitySchema('cm3 d-1', 'axial conductance k_x'),
      radius_cm: z.number().positive().max(5).optional().meta(doc('segment radius where the RSML file has no diameters (required then)', 'cm')),
    })
    .meta(doc('the static root system and its hydraulic properties')),
  soil: soilSchema.default('loam'),
  domain: z
    .strictObject({
      min_cm: vec3.meta(doc('lowest corner (x, y, z) of the soil box; z is the elevation (negative below the surface)', 'cm')),
      max_cm: vec3.meta(doc('highest corner (x, y, z) of the soil box', 'cm')),
      cells: z.tuple([z.int().min(1), z.int().min(1), z.int().min(1)]).meta(doc('voxels along x, y, z')),
    })
    .meta(doc('the soil box (impermeable on all sides); every segment centre must lie inside')),
  initial: z
    .strictObject({
      totalPotentialTop_cm: z.number().max(0).default(-300).meta(doc('hydrostatic initial state: the total potential h + (z − z_top), equal everywhere, i.e. the matric head at the top of the box', 'cm')),
    })
    .default({ totalPotentialTop_cm: -300 })
    .meta(doc('initial soil water (hydrostatic)')),
  transpiration: z
    .strictObject({
      mean_cm3_per_d: z.number().nonnegative().meta(doc('mean potential transpiration; T_pot(t) = mean·(1 − cos 2πt), peak 2 × mean at noon, 0 at midnight', 'cm3 d-1')),
    })
    .meta(doc('sinusoidal potential transpiration')),
  collarLimit_cm: z.number().max(0).default(-15000).meta(doc('lowest xylem pressure head at the collar: below it the collar holds this head and transpiration falls below potential', 'cm')),
  duration_d: z.number().positive().max(3650).meta(doc('simulated duration, from midnight', 'd')),
  sink: z.enum(['classic', 'multiscale']).default('classic').meta(doc('classic: each segment exchanges with its voxel\'s head; multiscale: one perirhizal 1D model per segment inside its voxel (src/coupling, 004 App. B, C, F; the 1D carbon pools use TraiRhizo set highCO2 and do not affect water); about 600× a voxel-step per segment and step')),
  step_min: z.number().positive().max(1440).default(20).meta(doc('coupling step (xylem solve, then 3D Richards over the step; the Richards solver sub-steps adaptively)', 'min')),
  coupling: z
    .strictObject({ psiAveraging: psiAveragingSchema })
    .default({ psiAveraging: DEFAULT_PSI_AVERAGING })
    .meta(doc('options of the multiscale coupling loop (sink: multiscale only)')),
  outputs: z
    .strictObject({
      sinkInterval_h: z.number().positive().max(24 * 3650).default(6).meta(doc('interval of sink-by-depth.csv rows (mean uptake per 1 cm layer over each interval)', 'h')),
      snapshots_d: z.array(z.number().nonnegative()).max(RWU_LIMITS.snapshots).optional().meta(doc('times of the soil (.vti) and root (.vtp) snapshots with their .pvd series (default: start, every day, end)', 'd')),
      vtk: z.boolean().default(true).meta(doc('write VTK snapshots for ParaView')),
    })
    .default({ sinkInterval_h: 6, vtk: true })
    .meta(doc('what is written besides transpiration.csv, sink-by-depth.csv and the summary')),
});

export type RootWaterUptakeScenario = z.infer<typeof rootWaterUptakeSchema>;
export type ResolvedRootWaterUptake = RootWaterUptakeScenario & {
  rootSystem: RootWaterUptakeScenario['rootSystem'] & { sha256: string };
  soil: ResolvedSoil;
  outputs: { sinkInterval_h: number; snapshots_d: number[]; vtk: boolean };
};

function rsmlPath(s: RootWaterUptakeScenario, baseDir: string): string {
  return isAbsolute(s.rootSystem.file) ? s.rootSystem.file : resolve(baseDir, s.rootSystem.file);
}

/** Segments of an RSML file (for the estimate; the file was checked already). */
function rsmlSegmentCount(file: string): number {
  return readRsmlFile(file).x.length - 1;
}

function stepCount(s: { duration_d: number; step_min: number }): number {
  return Math.max(1, Math.round(s.duration_d / (s.step_min / 1440)));
}

function check(s: RootWaterUptakeScenario, { source, baseDir }: ScenarioContext): void {
  const errors: InputError[] = [];
  const add = (path: (string | number)[], value: unknown, expected: string) => errors.push(new InputError({ file: source.file, keyPath: formatKeyPath(path), value, ...source.locate(path), expected }));
  const d = s.domain;
  for (let a = 0; a < 3; a++) if (!(d.max_cm[a] > d.min_cm[a])) add(['domain', 'max_cm', a], d.max_cm[a], `more than domain.min_cm[${a}] (${d.min_cm[a]} cm)`);
  const nVox = d.cells[0] * d.cells[1] * d.cells[2];
  if (nVox > RWU_LIMITS.voxels) add(['domain', 'cells'], d.cells, `at most ${RWU_LIMITS.voxels.toExponential(0)} voxels (${d.cells.join(' × ')} = ${nVox})`);
  const steps = s.duration_d / (s.step_min / 1440);
  if (steps > RWU_LIMITS.steps) add(['step_min'], s.step_min, `a step giving at most ${RWU_LIMITS.steps.toExponential(0)} steps (${s.duration_d} d / ${s.step_min} min = ${steps.toExponential(2)})`);
  const soilProblem = soilCrossCheck(s.soil);
  if (soilProblem) add(['soil', 'thetaS'], resolveSoil(s.soil).thetaS, soilProblem);
  if (s.sink === 'classic' && s.coupling.psiAveraging !== DEFAULT_PSI_AVERAGING) add(['coupling', 'psiAveraging'], s.coupling.psiAveraging, `${DEFAULT_PSI_AVERAGING} (the default) with sink: classic, which has no fixed-point iteration; or sink: multiscale`);
  for (const key of ['kr_per_d', 'kx_cm3_per_d'] as const) {
    const t = s.rootSystem[key];
    if (typeof t !== 'number') {
      for (const [type, rows] of Object.entries(t.byType)) for (let i = 1; i < rows.length; i++) if (!(rows[i][0] > rows[i - 1][0])) add(['rootSystem', key, 'byType', type, i, 0], rows[i][0], `an age above the previous row's (${rows[i - 1][0]} d): ages increase`);
    }
  }
  const file = rsmlPath(s, baseDir);
  let rs: RsmlRootSystem | undefined;
  try {
    rs = readRsmlFile(file);
    if (s.rootSystem.sha256 && fileSha256(file) !== s.rootSystem.sha256) add(['rootSystem', 'sha256'], s.rootSystem.sha256, `the SHA-256 of ${file} (${fileSha256(file)}): the file changed since the scenario was resolved`);
  } catch (e) {
    if (e instanceof InputError && !e.keyPath && e.file === file && /readable/.test(e.message)) add(['rootSystem', 'file'], s.rootSystem.file, `an existing, readable RSML file (looked for ${file})`);
    else if (e instanceof InputErrors) errors.push(...e.errors);
    else if (e instanceof InputError) errors.push(e);
    else throw e;
  }
  if (rs) {
    if (!rs.hasDiameters && s.rootSystem.radius_cm === undefined) add(['rootSystem', 'radius_cm'], undefined, `a segment radius: ${file} has no diameters`);
    const types = [...new Set(rs.type)].sort((a, b) => a - b);
    for (const key of ['kr_per_d', 'kx_cm3_per_d'] as const) {
      const t = s.rootSystem[key];
      if (typeof t === 'number') continue;
      const missing = types.filter((ty) => !(String(ty) in t.byType));
      if (missing.length) add(['rootSystem', key, 'byType'], Object.keys(t.byType), `a table for every root type of the RSML file (${types.join(', ')}; from ${rs.typeSource}); missing ${missing.join(', ')}`);
      if (isAgeDependent(t) && !rs.hasTimes) add(['rootSystem', key], 'an age table', `one-row tables or numbers: ${file} has no node times (emergence_time) or ages, so segment ages are unknown`);
    }
    const grid = uniformVoxelGrid([d.min_cm[0], d.max_cm[0], d.cells[0]], [d.min_cm[1], d.max_cm[1], d.cells[1]], [d.min_cm[2], d.max_cm[2], d.cells[2]]);
    let outside = 0;
    let first = -1;
    for (let k = 1; k < rs.x.length; k++) {
      const p = rs.parent[k];
      if (voxelOf(grid, (rs.x[k] + rs.x[p]) / 2, (rs.y[k] + rs.y[p]) / 2, (rs.z[k] + rs.z[p]) / 2) < 0) {
        outside++;
        if (first < 0) first = k - 1;
      }
    }
    if (outside > 0) {
      const ext = (a: Float64Array) => `${Math.min(...a).toFixed(2)}…${Math.max(...a).toFixed(2)}`;
      add(['domain'], `${d.min_cm.join(',')} to ${d.max_cm.join(',')}`, `a box holding every segment centre: ${outside} segments lie outside (first: segment ${first}); the root system spans x ${ext(rs.x)}, y ${ext(rs.y)}, z ${ext(rs.z)} cm`);
    }
  }
  if (errors.length > 0) throw errors.length === 1 ? errors[0] : new InputErrors(errors);
}

function resolveRwu(s: RootWaterUptakeScenario, { baseDir }: ScenarioContext): ResolvedRootWaterUptake {
  const file = rsmlPath(s, baseDir);
  const snaps = s.outputs.snapshots_d ?? [...Array.from({ length: Math.floor(s.duration_d) + 1 }, (_, i) => i), s.duration_d];
  return {
    ...s,
    rootSystem: { ...s.rootSystem, file, sha256: fileSha256(file) },
    soil: resolveSoil(s.soil),
    outputs: { ...s.outputs, snapshots_d: [...new Set(snaps)].filter((t) => t <= s.duration_d + 1e-9).sort((a, b) => a - b) },
  };
}

function estimateRwu(r: ResolvedRootWaterUptake): WorkEstimate {
  const steps = stepCount(r);
  const n = r.domain.cells[0] * r.domain.cells[1] * r.domain.cells[2];
  if (r.sink === 'multiscale') {
    const segs = rsmlSegmentCount(r.rootSystem.file);
    return { workUnits: steps * (n + DOMAIN_STEP_COST * segs), unit: 'voxel-steps', description: `${steps} coupling steps of ${r.step_min} min × (${n} voxels + ${DOMAIN_STEP_COST} × ${segs} perirhizal 1D models)`, limit: RWU_WORK_LIMIT };
  }
  return { workUnits: steps * n, unit: 'voxel-steps', description: `${steps} coupling steps of ${r.step_min} min × ${n} voxels`, limit: RWU_WORK_LIMIT };
}

/** What a checkpoint holds besides the model state: every accumulator of the outputs. */
interface RwuCheckpoint {
  model: unknown;
  step: number;
  series: Float64Array[];
  sinkRows: number[][];
  layerAcc: Float64Array;
  sums: Record<string, number>;
  pvd: PvdEntry[];
  nextSnap: number;
  nextSink: number;
}

/** The two sinks behind one interface for the runner. */
interface UptakeRun {
  advance(dt_d: number): UptakeStep & { iterates?: number[]; subSteps?: number; balanceRelative?: number };
  readonly t_d: number;
  head(): Float64Array;
  readonly segmentVoxel: Int32Array;
  readonly uptake_cm3_per_d: Float64Array;
  readonly psiX_cm: Float64Array;
  storage(): number;
  solverBalance(): number;
  stats(): Record<string, unknown>;
  save?(): unknown;
  restore?(s: unknown): void;
}

function classicRun(m: ClassicRootWaterUptake): UptakeRun {
  return {
    advance: (dt) => m.advance(dt), get t_d() { return m.t_d; }, head: () => m.soil.h_cm, segmentVoxel: m.segmentVoxel, uptake_cm3_per_d: m.uptake_cm3_per_d, psiX_cm: m.psiX_cm,
    storage: () => m.soil.storage(), solverBalance: () => m.soil.balance().relativeError, stats: () => ({ richards: { ...m.soil.stats } }),
    save: () => m.saveState(), restore: (st) => m.restoreState(st as ClassicUptakeState),
  };
}

function multiscaleRun(m: MultiscaleRootWaterUptake): UptakeRun {
  return {
    advance: (dt) => m.advance(dt), get t_d() { return m.t_d; }, head: () => m.soilHead_cm, segmentVoxel: m.segmentVoxel, uptake_cm3_per_d: m.uptake_cm3_per_d, psiX_cm: m.psiX_cm,
    storage: () => m.model.macro.richards.storage(),
    solverBalance: () => { const c = m.model.cumulativeBalance(); return Math.abs(c.waterError_cm3) / Math.max(Math.abs(c.rootUptake_cm3), 1e-300); },
    stats: () => ({ richards: { ...m.model.macro.richards.stats }, domains: m.model.batch.nDomains }),
  };
}

async function runRwu(s: ResolvedRootWaterUptake, ctx: RunContext): Promise<KindResult> {
  const rs = readRsmlFile(s.rootSystem.file);
  const d = s.domain;
  const grid = uniformVoxelGrid([d.min_cm[0], d.max_cm[0], d.cells[0]], [d.min_cm[1], d.max_cm[1], d.cells[1]], [d.min_cm[2], d.max_cm[2], d.cells[2]]);
  const zTop = d.max_cm[2];
  const h0 = Float64Array.from(grid.zCenter, (z) => s.initial.totalPotentialTop_cm - (z - zTop));
  const radius = rs.hasDiameters ? rs.radius_cm : new Float64Array(rs.radius_cm.length).fill(s.rootSystem.radius_cm!);
  const observation = rs.hasTimes ? Math.max(...rs.nodeTime_d) : 0;
  const options = {
    roots: { x: rs.x, y: rs.y, z: rs.z, parent: rs.parent, radius_cm: radius, type: rs.type, nodeTime_d: rs.nodeTime_d },
    observationTime_d: observation,
    kr_per_d: s.rootSystem.kr_per_d as ConductivityTable,
    kx_cm3_per_d: s.rootSystem.kx_cm3_per_d as ConductivityTable,
    grid, soil: s.soil, initialHead_cm: h0,
    transpirationMean_cm3_per_d: s.transpiration.mean_cm3_per_d,
    collarLimit_cm: s.collarLimit_cm,
  };
  if (s.sink === 'multiscale' && ctx.checkpoints.enabled) throw new InputError({ keyPath: '--checkpoint-every', value: 'sink: multiscale', expected: 'sink: classic for checkpoints (the multiscale root side keeps solver warm starts outside its saved state, so a resumed run would not be bit-identical)' });
  const model: UptakeRun = s.sink === 'multiscale' ? multiscaleRun(new MultiscaleRootWaterUptake(options, namedSet('highCO2'), { psiAveraging: s.coupling.psiAveraging })) : classicRun(new ClassicRootWaterUptake(options));
  const storage0 = model.storage();
  const nSteps = stepCount(s);
  const dt = s.duration_d / nSteps;
  const ns = rs.x.length - 1;
  const nLayers = Math.ceil(d.max_cm[2] - d.min_cm[2] - 1e-9);
  const layerOf = new Int32Array(ns);
  for (let q = 0; q < ns; q++) {
    const k = q + 1;
    const p = rs.parent[k];
    layerOf[q] = Math.min(nLayers - 1, Math.max(0, Math.floor(zTop - (rs.z[k] + rs.z[p]) / 2)));
  }
  const SERIES = ['time_d', 'potential_cm3_per_d', 'actual_cm3_per_d', 'cumulative_cm3', 'collarHead_cm'] as const;
  let st: RwuCheckpoint = {
    model: null, step: 0, series: SERIES.map(() => new Float64Array(nSteps)), sinkRows: [], layerAcc: new Float64Array(nLayers),
    sums: { potential: 0, actual: 0, limitedSteps: 0, worstXylem: 0, sinkStart: 0, soilFailures: 0, iterates: 0, subSteps: 0, maxIterates: 0, worstStepBalance: 0 }, pvd: [], nextSnap: 0, nextSink: 1,
  };
  const resumed = ctx.checkpoints.resumed as RwuCheckpoint | undefined;
  if (resumed) {
    st = resumed;
    model.restore!(st.model);
    ctx.log(`resumed from the checkpoint after step ${st.step} of ${nSteps} (t = ${model.t_d.toFixed(4)} d)`);
  }
  const sinkDt_d = s.outputs.sinkInterval_h / 24;
  const snaps = s.outputs.snapshots_d;
  const writeSnapshot = (t: number) => {
    if (!s.outputs.vtk) return;
    const label = `d${t.toFixed(3).replace(/\.?0+$/, '')}`;
    const theta = Float64Array.from(model.head(), (h) => waterContent(h, s.soil));
    const uptakeVox = new Float64Array(grid.n);
    for (let q = 0; q < ns; q++) uptakeVox[model.segmentVoxel[q]] += model.uptake_cm3_per_d[q] / grid.volume[model.segmentVoxel[q]];
    const [nx, ny, nz] = d.cells;
    ctx.out.write(`vtk/soil-${label}.vti`, vtkImageDataString({
      origin_cm: d.min_cm, spacing_cm: [(d.max_cm[0] - d.min_cm[0]) / nx, (d.max_cm[1] - d.min_cm[1]) / ny, (d.max_cm[2] - d.min_cm[2]) / nz], cells: d.cells,
      cellData: [
        { name: 'psi_cm', data: voxelGridToVtkOrder(model.head(), nx, ny, nz) },
        { name: 'theta', data: voxelGridToVtkOrder(theta, nx, ny, nz) },
        { name: 'uptake_per_d', data: voxelGridToVtkOrder(uptakeVox, nx, ny, nz) },
      ],
    }));
    ctx.out.write(`vtk/roots-${label}.vtp`, vtkSegmentsString({
      x: rs.x, y: rs.y, z: rs.z, nodeCount: rs.x.length, from: rs.parent.subarray(1), to: Int32Array.from({ length: ns }, (_, i) => i + 1), segmentCount: ns,
      cellData: [{ name: 'radius_cm', data: radius }, { name: 'type', data: rs.type, type: 'Int32' }, { name: 'voxel', data: model.segmentVoxel, type: 'Int32' }, { name: 'uptake_cm3_per_d', data: model.uptake_cm3_per_d }],
      pointData: [{ name: 'psiXylem_cm', data: model.psiX_cm }],
    }));
    st.pvd.push({ time: t, file: `soil-${label}.vti`, part: 0 }, { time: t, file: `roots-${label}.vtp`, part: 1 });
    ctx.out.write('vtk/root-water-uptake.pvd', pvdString(st.pvd));
  };
  if (!resumed && snaps.length > 0 && snaps[0] <= 1e-9) {
    writeSnapshot(0);
    st = { ...st, nextSnap: 1 };
  }
  ctx.progress.start(nSteps, s.name);
  for (let i = st.step; i < nSteps; i++) {
    const r = model.advance(dt);
    if (r.soil !== ReturnCode.Success) st.sums.soilFailures++;
    st.sums.potential += r.potential_cm3;
    st.sums.actual += r.actual_cm3;
    if (r.limited) st.sums.limitedSteps++;
    st.sums.worstXylem = Math.max(st.sums.worstXylem, r.xylemRelativeError);
    const t = (i + 1) * dt; // the step's end time for outputs (model.t_d accumulates rounding)
    const row = [t, r.potential_cm3 / dt, r.actual_cm3 / dt, st.sums.actual, r.collarHead_cm];
    row.forEach((v, c) => (st.series[c][i] = v));
    for (let q = 0; q < ns; q++) st.layerAcc[layerOf[q]] += model.uptake_cm3_per_d[q] * dt;
    if (t >= st.nextSink * sinkDt_d - 1e-9 || i === nSteps - 1) {
      const span = t - st.sums.sinkStart;
      for (let l = 0; l < nLayers; l++) st.sinkRows.push([t, l, Math.min(l + 1, d.max_cm[2] - d.min_cm[2]), st.layerAcc[l] / span]);
      st.layerAcc.fill(0);
      st.sums.sinkStart = t;
      while (st.nextSink * sinkDt_d <= t + 1e-9) st.nextSink++;
    }
    while (st.nextSnap < snaps.length && snaps[st.nextSnap] <= t + 1e-9) {
      if (snaps[st.nextSnap] > t - dt / 2) writeSnapshot(snaps[st.nextSnap]);
      st.nextSnap++;
    }
    if (i % 12 === 0 || i === nSteps - 1) ctx.progress.update(i + 1, { day: t.toFixed(2), T: (r.actual_cm3 / dt).toFixed(2) });
    if (r.iterates) {
      st.sums.iterates += r.iterates.reduce((a, b) => a + b, 0);
      st.sums.subSteps += r.subSteps ?? 0;
      st.sums.maxIterates = Math.max(st.sums.maxIterates, ...r.iterates);
      st.sums.worstStepBalance = Math.max(st.sums.worstStepBalance, r.balanceRelative ?? 0);
    }
    if (ctx.checkpoints.due(i + 1)) ctx.checkpoints.save(i + 1, { ...st, step: i + 1, model: model.save!() });
    await ctx.checkpoint();
  }
  ctx.progress.stop();

  const series: Table = {
    columns: [
      { name: 'time_d', unit: 'd', description: 'end of the coupling step', data: st.series[0] },
      { name: 'potential_cm3_per_d', unit: 'cm3 d-1', description: 'potential transpiration, mean over the step', data: st.series[1] },
      { name: 'actual_cm3_per_d', unit: 'cm3 d-1', description: 'actual transpiration = root water uptake, mean over the step', data: st.series[2] },
      { name: 'cumulative_cm3', unit: 'cm3', description: 'cumulative actual transpiration', data: st.series[3] },
    ],
  };
  ctx.out.write('transpiration.csv', tableToCsv(series));
  ctx.out.write('collar.csv', tableToCsv({ columns: [series.columns[0], { name: 'collarHead_cm', unit: 'cm', description: 'xylem pressure head at the collar over the step', data: st.series[4] }] }));
  const sink: Table = {
    columns: [
      { name: 'time_d', unit: 'd', description: 'end of the output interval', data: Float64Array.from(st.sinkRows, (r) => r[0]) },
      { name: 'depth_top_cm', unit: 'cm', description: 'top of the 1 cm layer, depth below the top of the box', data: Float64Array.from(st.sinkRows, (r) => r[1]) },
      { name: 'depth_bottom_cm', unit: 'cm', description: 'bottom of the layer', data: Float64Array.from(st.sinkRows, (r) => r[2]) },
      { name: 'uptake_cm3_per_d', unit: 'cm3 d-1', description: 'root water uptake of the segments whose centre lies in the layer, mean over the interval', data: Float64Array.from(st.sinkRows, (r) => r[3]) },
    ],
  };
  ctx.out.write('sink-by-depth.csv', tableToCsv(sink));
  ctx.out.write('transpiration.parquet', tableToParquet(series, { 'rhizocarb.kind': 'root-water-uptake' }));
  ctx.out.write('transpiration.columns.csv', tableDictionaryCsv(series));
  ctx.out.write('sink-by-depth.columns.csv', tableDictionaryCsv(sink));
  ctx.out.write('plots/transpiration.svg', await lineChartSvg({
    title: 'Potential and actual transpiration', xTitle: 'time (d)', yTitle: 'cm³ d⁻¹',
    series: [{ name: 'potential', x: st.series[0], y: st.series[1] }, { name: 'actual', x: st.series[0], y: st.series[2] }],
  }));

  const storageChange = model.storage() - storage0;
  const errWhole = storageChange + st.sums.actual;
  return {
    balance: {
      water: {
        relativeError: Math.abs(errWhole) / Math.max(st.sums.actual, 1e-12 * storage0, 1e-300),
        soilStorageChange_cm3: storageChange,
        cumulativeUptake_cm3: st.sums.actual,
        solverRelativeError: model.solverBalance(),
        worstXylemStepRelativeError: st.sums.worstXylem,
        definition: '|Δ soil water + cumulative transpiration| / cumulative transpiration (closed box: the only flow is root uptake = transpiration)',
      },
    },
    checks: [{ name: 'solver.soilConverged', passed: st.sums.soilFailures === 0, severity: 'error', message: `3D Richards reached every step end (${st.sums.soilFailures} failures)`, value: st.sums.soilFailures }],
    transpiration: {
      cumulativePotential_cm3: st.sums.potential,
      cumulativeActual_cm3: st.sums.actual,
      actualPerPotential: st.sums.potential > 0 ? st.sums.actual / st.sums.potential : null,
      collarLimitedSteps: st.sums.limitedSteps,
      steps: nSteps,
    },
    rootSystem: { file: s.rootSystem.file, nodes: rs.x.length, segments: ns, roots: rs.rootCount, typeSource: rs.typeSource, hasTimes: rs.hasTimes, observationTime_d: observation },
    soil: { voxels: grid.n, solver: model.stats() },
    sink: s.sink,
    ...(s.sink === 'multiscale' ? { coupling: { iteratesPerSubStep: st.sums.subSteps > 0 ? st.sums.iterates / st.sums.subSteps : null, maxIterates: st.sums.maxIterates, subSteps: st.sums.subSteps, worstStepWaterRelativeError: st.sums.worstStepBalance, parameterSet: 'highCO2 (1D carbon pools only; no effect on water)' } } : {}),
  };
}

export const rootWaterUptakeKind = registerScenarioKind<RootWaterUptakeScenario, ResolvedRootWaterUptake>({
  kind: 'root-water-uptake',
  description: 'static RSML root system in a soil box, sinusoidal transpiration with a collar limit, classic sink (RSA C1-class problems)',
  schema: rootWaterUptakeSchema,
  tolerances: { water: 1e-9 },
  check,
  resolve: resolveRwu,
  estimate: estimateRwu,
  inputs: (r) => [r.rootSystem.file],
  checkpoints: true,
  run: runRwu,
});
