import { performance } from 'node:perf_hooks';
import { Richards1D, Richards3D, SOILS, Transport3D, hydrostaticHeads, paperDomainGrid, uniformPlanarGrid, uniformVoxelGrid, type VoxelGrid } from '../src/soil/index.js';
import type { BenchResult, BenchSuite } from './harness.js';

/** 20-minute steps, the outer step of 004's coupled runs (RHIZOSPHERE.md). */
const STEP_D = 1 / 72;

/** A 3D workload like 004's: loam, hydrostatic mean ψ = −100 cm, root uptake in every 7th column's upper half. */
function uptakeRun(grid: VoxelGrid, steps: number): { voxelStepsPerSecond: number; secondsPerStep: number; newtonPerStep: number; krylovPerNewton: number; transportVoxelStepsPerSecond: number } {
  const S = new Float64Array(grid.n);
  for (let i = 0; i < grid.nx; i++)
    for (let j = 0; j < grid.ny; j++) if ((i + 3 * j) % 7 === 0) for (let k = Math.floor(grid.nz / 2); k < grid.nz; k++) S[grid.index(i, j, k)] = -0.02;
  const water = new Richards3D(
    { grid, soils: [SOILS.loam], top: { kind: 'noFlux' }, bottom: { kind: 'noFlux' }, initialHead_cm: hydrostaticHeads(grid, -100), source_per_d: S },
    { dtInitial_d: STEP_D, dtMax_d: STEP_D },
  );
  const solute = new Transport3D({ grid, thetaS: SOILS.loam.thetaS, diffusionInWater_cm2_per_d: 1.45, initialConcentration_mol_per_cm3_water: 5e-6 });
  water.step(STEP_D); // warm-up (JIT), not timed
  solute.step(water);
  const n0 = water.stats.newtonIterations;
  const k0 = water.stats.linearIterations;
  let tw = 0;
  let ts = 0;
  for (let s = 0; s < steps; s++) {
    const a = performance.now();
    water.step(STEP_D);
    const b = performance.now();
    solute.step(water);
    ts += performance.now() - b;
    tw += b - a;
  }
  const newton = water.stats.newtonIterations - n0;
  return {
    voxelStepsPerSecond: (grid.n * steps) / (tw / 1000),
    secondsPerStep: tw / 1000 / steps,
    newtonPerStep: newton / steps,
    krylovPerNewton: (water.stats.linearIterations - k0) / Math.max(newton, 1),
    transportVoxelStepsPerSecond: (grid.n * steps) / (ts / 1000),
  };
}

/**
 * Soil solvers: 1D Richards (baseline), 3D Richards and 3D solute transport on 004's 1,440-voxel
 * domain and on cubes up to 50³, with the growth of the cost per step with the voxel count.
 */
export const soilSuite: BenchSuite = {
  name: 'soil',
  async run() {
    const out: BenchResult[] = [];
    // Baseline: 1D ponded infiltration (M2.1 loam), 400 cells to 0.2 d.
    const grid1 = uniformPlanarGrid(-200, 0, 400);
    const s1 = new Richards1D({ grid: grid1, soils: [SOILS.loam], lower: { kind: 'freeDrainage' }, upper: { kind: 'fluxLimitedByHead', flux_cm_per_d: 100, limitHead_cm: 0 }, initialHead_cm: -400 }, { maxDeltaTheta: 0.01 });
    const t0 = performance.now();
    s1.advanceTo(0.2);
    const t1d = (performance.now() - t0) / 1000;
    const base = (grid1.n * s1.stats.accepted) / t1d;
    out.push({ name: '1D Richards, M2.1 loam, 400 cells (baseline)', value: base, unit: 'cell-steps/s', note: `${s1.stats.accepted} steps, ${(s1.stats.newtonIterations / s1.stats.accepted).toFixed(1)} Newton iterations/step` });

    const sizes: [string, VoxelGrid, number][] = [
      ['3D Richards, 004 domain 3×12×40 = 1,440 voxels', paperDomainGrid(), 72],
      ['3D Richards, 20³ = 8,000 voxels', uniformVoxelGrid([0, 20, 20], [0, 20, 20], [-20, 0, 20], { x: true, y: true }), 20],
      ['3D Richards, 35³ = 42,875 voxels', uniformVoxelGrid([0, 35, 35], [0, 35, 35], [-35, 0, 35], { x: true, y: true }), 8],
      ['3D Richards, 50³ = 125,000 voxels', uniformVoxelGrid([0, 50, 50], [0, 50, 50], [-50, 0, 50], { x: true, y: true }), 5],
    ];
    const perStep: [number, number][] = [];
    for (const [name, grid, steps] of sizes) {
      const r = uptakeRun(grid, steps);
      perStep.push([grid.n, r.secondsPerStep]);
      out.push({
        name,
        value: r.voxelStepsPerSecond,
        unit: 'voxel-steps/s',
        ratio: r.voxelStepsPerSecond / base,
        baseline: '1D cell-steps/s',
        note: `${(r.secondsPerStep * 1000).toFixed(1)} ms per 20-min step, ${r.newtonPerStep.toFixed(1)} Newton it./step, ${r.krylovPerNewton.toFixed(1)} BiCGSTAB it./Newton`,
      });
      out.push({ name: `  solute transport on the same grid`, value: r.transportVoxelStepsPerSecond, unit: 'voxel-steps/s', ratio: r.transportVoxelStepsPerSecond / r.voxelStepsPerSecond, baseline: 'its Richards step' });
    }
    // Cost growth: least-squares slope of log(time per step) against log(voxels).
    const xs = perStep.map(([n]) => Math.log(n));
    const ys = perStep.map(([, t]) => Math.log(t));
    const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
    const my = ys.reduce((a, b) => a + b, 0) / ys.length;
    let sxy = 0;
    let sxx = 0;
    xs.forEach((x, i) => {
      sxy += (x - mx) * (ys[i] - my);
      sxx += (x - mx) ** 2;
    });
    out.push({ name: '3D Richards cost growth: time per step ∝ voxels^p', value: sxy / sxx, unit: 'p (1 = linear)', note: `fit over ${perStep.map(([n]) => n).join(', ')} voxels` });
    return out;
  },
};
