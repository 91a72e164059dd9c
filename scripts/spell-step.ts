/**
 * One to a few coupled steps of a dry spell, measured (issue 9, "why is a spell step expensive"):
 * examples/dry-spells.yaml's coupled scenario (full 3 × 12 × 40 domain, paper004 plant, a parameter
 * set), built as `run` builds it, the spell started at `--spell-start` (default: the start day, so the
 * first step is the hydrostatic reset to −450 cm and the soil water is dynamic from there on).
 *
 *   npx tsx scripts/spell-step.ts [--day 11] [--steps 2] [--set highMB] [--regime earlyDry]
 *       [--spell-start <d>] [--config '{"psiAveraging":"aitken"}'] [--iterates] [--save <file.json>]
 *       [--state-out <file> --state-out-step <k>] [--state-in <file>]
 *
 * Per step: core-s (process.cpuUsage, this process), sub-steps, retries, iterates per sub-step, the
 * 1D RODAS4 work (steps accepted / rejected / inadmissible, Jacobians), the 3D Richards work
 * (accepted / rejected steps, Newton iterations), plant water solves, 1D solves, the balances, and
 * per iterate (with --iterates) the convergence measures and which of them still fail. `--config`
 * is merged into the CoupledConfig (e.g. psiAveraging, skip1D, tolerances, rtol1D, targetIterates).
 * `--save` writes the end state's soil fields and 1D profiles for a distance-to-reference table
 * (scripts/spell-distance.ts). The example runs `coupling.psiAveraging: secant` and
 * `coupling.waterPredictor1D: true`; `--config '{"waterPredictor1D":false}'` measures the plain iterates.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { deserialize, serialize } from 'node:v8';
import type { CouplingTolerances } from '../src/coupling/index.js';
import { DEFAULT_TOLERANCES } from '../src/coupling/index.js';
import { ReturnCode } from '../src/numerics/ode/types.js';
import { buildCoupledModel } from '../src/scenarios/coupled.js';
import { loadSweepFile } from '../src/scenarios/sweep.js';

const arg = (name: string, dflt: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : dflt;
};
const flag = (name: string) => process.argv.includes(`--${name}`);
const day = Number(arg('day', '11'));
const nSteps = Number(arg('steps', '2'));
const set = arg('set', 'highMB');
const regime = arg('regime', day < 18 ? 'earlyDry' : 'lateDry');
const spellStart = Number(arg('spell-start', String(day)));
// --start <d>: the run's start day (default: the spell start). E.g. --start 10 --spell-start 18 grows the
// plant coupled (carbon-limited, as the real runs) through the static soil to the spell.
const startDay = Number(arg('start', String(spellStart)));
const extra = JSON.parse(arg('config', '{}'));
const showIterates = flag('iterates');
const savePath = arg('save', '');
// --state-out <file> <step>: write the model state before that step (1-based); --state-in <file>: start from it.
const stateOut = arg('state-out', '');
const stateOutStep = Number(arg('state-out-step', '1'));
const stateIn = arg('state-in', '');

const sets = [`time.start_d=${startDay}`, `time.end_d=${day + 1}`, 'outputs.vtk=false', 'outputs.soil.days_d=[]', ...(regime === 'baseline' ? [] : [`weather.${regime}_d=[${spellStart}, ${spellStart + 7}]`])];
const task = loadSweepFile('examples/dry-spells.yaml', { only: [`${regime}/${set}`], set: sets }).tasks[0];
const s = task.resolved as any;
const tol: CouplingTolerances = { ...DEFAULT_TOLERANCES, ...(extra.tolerances ?? {}) };
type It = { iterate: number; mismatchWater: number; mismatchCarbon: number; change: { psiRsi: number; psiCollar: number; water1D: number; carbon1D: number }; worstPsi?: Record<string, number> };
let its: It[] = [];
const c00 = process.cpuUsage();
const failing = (i: It) => {
  const f: string[] = [];
  if (i.change.psiRsi > tol.psiRsi) f.push('psiRsi');
  if (i.change.psiCollar > tol.psiCollar) f.push('psiCollar');
  if (i.change.water1D > tol.water1D) f.push('water1D');
  if (i.change.carbon1D > tol.carbon1D) f.push('carbon1D');
  if (i.mismatchWater > tol.mismatch) f.push('mmW');
  if (i.mismatchCarbon > tol.mismatch) f.push('mmC');
  return f;
};
let cIt = process.cpuUsage();
let stats: { accepted: number; rejected: number } | undefined;
let lastAcc = 0;
let lastRej = 0;
const { model, spell } = buildCoupledModel(s, {
  ...extra,
  onIterate: (i: It) => {
    its.push({ ...i, change: { ...i.change } });
    if (showIterates) {
      const c = process.cpuUsage(cIt);
      cIt = process.cpuUsage();
      const acc = stats ? stats.accepted - lastAcc : 0;
      const rej = stats ? stats.rejected - lastRej : 0;
      if (stats) ({ accepted: lastAcc, rejected: lastRej } = stats);
      console.log(`  it ${i.iterate}: dPsi ${i.change.psiRsi.toExponential(2)} dCollar ${i.change.psiCollar.toExponential(2)} dW ${i.change.water1D.toExponential(2)} dC ${i.change.carbon1D.toExponential(2)} mmW ${i.mismatchWater.toExponential(2)} mmC ${i.mismatchCarbon.toExponential(2)} supply ${JSON.stringify((i as any).supply ?? {})} fail [${failing(i).join(',')}] ${((c.user + c.system) / 1e6).toFixed(2)} core-s, 1D steps ${acc}+${rej} rejected; worst ${JSON.stringify(i.worstPsi, (_k, v) => (typeof v === 'number' && !Number.isInteger(v) ? Number(v.toPrecision(5)) : v))}`);
    }
  },
});
const setup = process.cpuUsage(c00);
stats = model.batch.stats;
({ accepted: lastAcc, rejected: lastRej } = stats);
const dt = s.time.step_min / 1440;
console.log(JSON.stringify({ setup_core_s: (setup.user + setup.system) / 1e6, day, spellStart, regime, set, config: extra, domains: model.batch.nDomains }));
// Steps before the measured day (spell-start < day) run unmeasured except for a one-line summary.
const t0 = s.time.start_d;
const pre = Math.round((day - t0) / dt);
let total = 0;
let first = 0;
if (stateIn) {
  const st = deserialize(readFileSync(stateIn));
  model.restoreState(st);
  first = Math.round((model.time_d - t0) / dt);
  console.log(JSON.stringify({ resumedAt_d: model.time_d, step: first + 1 }));
}
for (let i = first; i < pre + nSteps; i++) {
  const tStart = t0 + i * dt;
  if (stateOut && i + 1 === stateOutStep) writeFileSync(stateOut, serialize(model.saveState()));
  if (spell && Math.abs(tStart - spell.start_d) < dt / 2) {
    model.resetHydrostatic(spell.meanHead_cm);
    model.setSoilWater('dynamic');
  }
  const b = { ...model.batch.stats };
  const bw = { ...model.batch.waterStats };
  const r3 = { ...model.macro.richards.stats };
  its = [];
  const c0 = process.cpuUsage();
  const rc = model.advance(dt);
  const c = process.cpuUsage(c0);
  const core = (c.user + c.system) / 1e6;
  const g = model.diagnostics()!;
  const bs = model.batch.stats;
  const rs = model.macro.richards.stats;
  const fails: Record<string, number> = {};
  for (const it of its) for (const f of failing(it)) fails[f] = (fails[f] ?? 0) + 1;
  const line = {
    step: i + 1, t0_d: tStart, measured: i >= pre, rc, core_s: core, subSteps: g.subSteps, retries: g.retries, iterates: g.iterates, domains: g.domains, rootedVoxels: g.rootedVoxels,
    fullIterates: g.fullIterates, water1D: { solves: g.solves.water1D, accepted: model.batch.waterStats.accepted - bw.accepted, rejected: model.batch.waterStats.rejected - bw.rejected },
    oneD: { solves: g.solves.oneD, accepted: bs.accepted - b.accepted, rejected: bs.rejected - b.rejected, inadmissible: bs.inadmissible - b.inadmissible, jacobians: bs.jacobianEvaluations - b.jacobianEvaluations },
    richards: { accepted: rs.accepted - r3.accepted, rejected: rs.rejected - r3.rejected, newton: rs.newtonIterations - r3.newtonIterations, linearIterations: rs.linearIterations - r3.linearIterations },
    plantSolves: g.solves.plant, time_ms: g.time_ms, balance: { water: g.balance.waterRelative, carbon: g.balance.carbonRelative }, plantWater: g.plantWater,
    transpiration_cm3_per_d: g.transpiration_cm3_per_d, collarPsi_cm: g.collarPsi_cm, failingIterates: fails,
  };
  if (i >= pre) total += core;
  console.log(JSON.stringify(line));
  if (rc !== ReturnCode.Success) break;
}
if (stateOut && stateOutStep === pre + nSteps + 1) writeFileSync(stateOut, serialize(model.saveState()));
const cb = model.cumulativeBalance();
console.log(JSON.stringify({ measured_core_s: total, measuredSteps: nSteps, cumulative: cb }));
if (savePath) {
  const f = model.voxelFields();
  const prof: Record<string, number[]> = {};
  for (const seg of model.segmentsWithModels()) {
    const p = model.radialProfile(seg)!;
    prof[seg] = [...p.theta, ...Object.values(p.pools).flatMap((a) => [...a])];
  }
  writeFileSync(savePath, JSON.stringify({ theta: [...f.theta], psi: [...f.psi_cm], pools: Object.fromEntries(Object.entries(f.pools).map(([k, v]) => [k, [...v]])), prof, collar: model.diagnostics()!.collarPsi_cm, transpiration: model.diagnostics()!.transpiration_cm3_per_d, cb }));
}
