import { CoupledModel, PlantRootSide, type StepDiagnostics } from '../src/coupling/index.js';
import { BASELINE_WEATHER, weatherAt } from '../src/plant/weather.js';
import { namedSet } from '../src/rhizosphere/index.js';
import { SOILS, hydrostaticHeads, paperDomainGrid } from '../src/soil/index.js';
import { wheatPlant } from '../test/helpers/wheat.js';
import type { BenchResult, BenchSuite } from './harness.js';

/**
 * Coupling: core-seconds (process.cpuUsage) per simulated day of the 004 baseline — wheat, highMB,
 * baseline weather, static soil water, all 1,440 voxels of the paper domain (3 × 12 × 40, 1 cm³),
 * one 1D model per root segment, 20-min outer steps. Start days from COUPLING_DAYS (default "10";
 * "10,20" for both; the plant is grown structurally to the start day, as 004 does to day 10) and
 * the simulated span from COUPLING_HOURS (default 24; shorter spans are extrapolated to a day and
 * say so); COUPLING_SOIL=dynamic for moving soil water (the dry spells), COUPLING_ACCELERATION=aitken,
 * COUPLING_SKIP1D (a tolerance or 'off'; the model's default otherwise), COUPLING_MIN_ITERATES,
 * COUPLING_RTOL1D (the 1D models' RODAS4 rtol, CoupledConfig.rtol1D; the model's default otherwise),
 * COUPLING_CORRECT1D (CoupledConfig.correct1D: a tolerance or 'off'), COUPLING_STEP_PLANS=off (CoupledConfig.stepPlans1D false).
 * Breakdown by part from the model's timers (wall ms of plant, 1D, 3D, exchange), as shares of the
 * measured core time; iterates per sub-step, sub-steps per step, 1D solves per domain and sub-step,
 * plant water solves per sub-step, and the 1D integrators' work (steps, Jacobians, right-hand sides:
 * deterministic, unlike core time on a shared machine).
 */
export const couplingSuite: BenchSuite = {
  name: 'coupling',
  async run() {
    const out: BenchResult[] = [];
    const days = (process.env.COUPLING_DAYS ?? '10').split(',').map(Number);
    const hours = Number(process.env.COUPLING_HOURS ?? 24);
    const acceleration = (process.env.COUPLING_ACCELERATION ?? 'none') as 'none' | 'aitken';
    const soilWater = (process.env.COUPLING_SOIL ?? 'static') as 'static' | 'dynamic';
    const skipEnv = process.env.COUPLING_SKIP1D;
    const skip1D = skipEnv === undefined ? undefined : skipEnv === 'off' ? 'off' : Number(skipEnv);
    const minIterates = process.env.COUPLING_MIN_ITERATES ? Number(process.env.COUPLING_MIN_ITERATES) : undefined;
    const rtol1D = process.env.COUPLING_RTOL1D ? Number(process.env.COUPLING_RTOL1D) : undefined;
    const corrEnv = process.env.COUPLING_CORRECT1D;
    const correct1D = corrEnv === undefined ? undefined : corrEnv === 'off' ? 'off' : Number(corrEnv);
    const stepPlans1D = process.env.COUPLING_STEP_PLANS === undefined ? undefined : process.env.COUPLING_STEP_PLANS !== 'off';
    const steps = Math.max(1, Math.round((hours * 60) / 20));
    for (const day of days) {
      const grid = paperDomainGrid();
      const plant = wheatPlant(day);
      const model = CoupledModel.create({
        grid, soil: SOILS.loam, params: namedSet('highMB'), initialHead_cm: hydrostaticHeads(grid, -100),
        root: new PlantRootSide(plant, (t) => weatherAt(t, BASELINE_WEATHER)), soilWater, acceleration, skip1D, minIterates, rtol1D, correct1D, stepPlans1D,
      });
      const parts = { plant: 0, oneD: 0, threeD: 0, exchange: 0 };
      let iterates = 0;
      let subSteps = 0;
      let maxIt = 0;
      let solves1D = 0;
      let domainIterates = 0;
      let plantSolves = 0;
      let worstW = 0;
      let worstC = 0;
      let last: StepDiagnostics | undefined;
      const st0 = { ...model.batch.stats };
      const c0 = process.cpuUsage();
      const w0 = performance.now();
      for (let k = 0; k < steps; k++) {
        const code = model.advance(1 / 72);
        if (code !== 'Success') throw new Error(`coupling bench: step ${k} from day ${day} failed: ${code}`);
        last = model.diagnostics()!;
        for (const p of Object.keys(parts) as (keyof typeof parts)[]) parts[p] += last.time_ms[p];
        iterates += last.iterates.reduce((a, b) => a + b, 0);
        subSteps += last.iterates.length;
        solves1D += last.solves.oneD;
        plantSolves += last.solves.plant;
        domainIterates += last.domains * last.iterates.reduce((a, b) => a + b, 0);
        maxIt = Math.max(maxIt, ...last.iterates);
        worstW = Math.max(worstW, last.balance.waterRelative);
        worstC = Math.max(worstC, last.balance.carbonRelative);
        if (process.env.COUPLING_PROGRESS) {
          const u = process.cpuUsage(c0);
          process.stderr.write(`step ${k + 1}/${steps}: ${last.domains} domains, iterates ${last.iterates.join(',')}, 1D solves ${last.solves.oneD}, ${((u.user + u.system) / 1e6).toFixed(1)} core-s so far\n`);
        }
      }
      const cpu = process.cpuUsage(c0);
      const st = model.batch.stats;
      const work = `1D integrator work per sub-step: ${((st.accepted + st.rejected - st0.accepted - st0.rejected) / subSteps).toFixed(0)} steps, ${((st.jacobianEvaluations - st0.jacobianEvaluations) / subSteps).toFixed(0)} Jacobians, ${((st.rhsEvaluations - st0.rhsEvaluations) / subSteps).toFixed(0)} right-hand sides`;
      const core_s = (cpu.user + cpu.system) / 1e6;
      const wall_s = (performance.now() - w0) / 1000;
      const perDay = (core_s * 24) / hours;
      const partsTotal = parts.plant + parts.oneD + parts.threeD + parts.exchange;
      const share = (p: number) => ((perDay * p) / partsTotal).toFixed(1);
      const span = `days ${day}→${day + hours / 24}${hours < 24 ? ` (${hours} h, extrapolated to a day)` : ''}${soilWater === 'dynamic' ? ', dynamic soil water' : ''}`;
      out.push({
        name: `004 baseline wheat ${span}`,
        value: perDay,
        unit: 'core-s per simulated day',
        note: `${(perDay / 60).toFixed(2)} core-min/d (target ≤ 4); wall ${wall_s.toFixed(0)} s; plant ${share(parts.plant)}, 1D ${share(parts.oneD)}, 3D ${share(parts.threeD)}, exchange ${share(parts.exchange)} core-s/d; ${last!.domains} domains in ${last!.rootedVoxels} rooted voxels of ${grid.n}; ${(iterates / subSteps).toFixed(2)} iterates per sub-step (max ${maxIt}), ${(subSteps / steps).toFixed(2)} sub-steps per step; 1D solves per domain and sub-step ${((solves1D / domainIterates) * (iterates / subSteps)).toFixed(2)}, plant water solves per sub-step ${(plantSolves / subSteps).toFixed(2)}; ${work}; worst step balance water ${worstW.toExponential(1)}, carbon ${worstC.toExponential(1)}; acceleration ${acceleration}, skip1D ${skip1D ?? 'default'}, minIterates ${minIterates ?? 'default'}, rtol1D ${rtol1D ?? 'default'}, correct1D ${correct1D ?? 'default'}, step plans ${stepPlans1D === undefined ? 'default' : stepPlans1D ? 'on' : 'off'}`,
      });
    }
    return out;
  },
};
