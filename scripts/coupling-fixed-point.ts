/**
 * Fixed-point check of coupling options (docs/COUPLING.md, "Cost"): runs the 004 baseline (wheat,
 * highMB, static soil, 1,440 voxels, 20-min steps) from day DAY (default 10) for STEPS steps
 * (default 9) once per variant of VARIANTS (JSON: name → CoupledConfig overrides; the first is the
 * reference) and prints per variant the core-seconds, iterates and 1D solves per domain and sub-step,
 * the 1D RODAS4 steps (accepted + rejected) per sub-step,
 * and the difference of every other variant to the first: max over voxels |Δ| / max |field| for θ and
 * each carbon pool, and max over 1D domains of the relative total / dissolved carbon difference.
 *
 *   npx tsx scripts/coupling-fixed-point.ts
 *   VARIANTS='{"ref":{"skip1D":"off","rtol1D":1e-8,"tolerances":{"carbon1D":1e-10,"mismatch":1e-10}},"off":{"skip1D":"off"},"default":{}}' npx tsx scripts/coupling-fixed-point.ts
 */
import '../src/io/paths.js';
import { CoupledModel, PlantRootSide, type CoupledConfig } from '../src/coupling/index.js';
import { BASELINE_WEATHER, weatherAt } from '../src/plant/weather.js';
import { namedSet } from '../src/rhizosphere/index.js';
import { SOILS, hydrostaticHeads, paperDomainGrid } from '../src/soil/index.js';
import { coupledDifference } from '../test/helpers/coupled-difference.js';
import { wheatPlant } from '../test/helpers/wheat.js';

const day = Number(process.env.DAY ?? 10);
const steps = Number(process.env.STEPS ?? 9);
const variants: Record<string, Partial<CoupledConfig>> = JSON.parse(process.env.VARIANTS ?? '{"off":{"skip1D":"off"},"default":{}}');

function run(extra: Partial<CoupledConfig>) {
  const grid = paperDomainGrid();
  const m = CoupledModel.create({
    grid, soil: SOILS.loam, params: namedSet('highMB'), initialHead_cm: hydrostaticHeads(grid, -100),
    root: new PlantRootSide(wheatPlant(day), (t) => weatherAt(t, BASELINE_WEATHER)), soilWater: 'static', ...extra,
  });
  const st0 = m.batch.stats.accepted + m.batch.stats.rejected;
  const c0 = process.cpuUsage();
  let iterates = 0;
  let subSteps = 0;
  let solves = 0;
  for (let k = 0; k < steps; k++) {
    const code = m.advance(1 / 72);
    if (code !== 'Success') throw new Error(`step ${k}: ${code}`);
    const d = m.diagnostics()!;
    iterates += d.iterates.reduce((a, b) => a + b, 0);
    subSteps += d.iterates.length;
    solves += d.solves.oneD / d.domains;
  }
  const u = process.cpuUsage(c0);
  const rodas = (m.batch.stats.accepted + m.batch.stats.rejected - st0) / subSteps;
  return { m, core_s: (u.user + u.system) / 1e6, iterates: iterates / subSteps, solves: solves / subSteps, rodas };
}

const results: Record<string, ReturnType<typeof run>> = {};
for (const [name, cfg] of Object.entries(variants)) {
  results[name] = run(cfg);
  const r = results[name];
  console.log(`${name} ${JSON.stringify(cfg)}: ${r.core_s.toFixed(1)} core-s, ${r.iterates.toFixed(2)} iterates per sub-step, ${r.solves.toFixed(2)} 1D solves per domain and sub-step, ${r.rodas.toFixed(0)} RODAS4 steps per sub-step`);
}
const [first, ...others] = Object.keys(results);
for (const name of others) {
  const a = results[first].m;
  const b = results[name].m;
  const diff = coupledDifference(a, b);
  const parts = Object.entries(diff.fields).map(([k, v]) => `${k} ${v.toExponential(1)}`);
  const dC = diff.domainCarbon;
  const dL = diff.domainDissolved;
  console.log(`${name} vs ${first}: voxels ${parts.join(', ')}; per 1D domain total C ${dC.toExponential(1)}, dissolved C ${dL.toExponential(1)}`);
}
