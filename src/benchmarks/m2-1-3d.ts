import { ReturnCode } from '../numerics/ode/types.js';
import { Richards3D, VoxelGrid } from '../soil/index.js';
import type { Curve } from './common.js';
import { M21_DEPTH_CM, M21_METRIC, M21_NOTES, M21_SOILS, M21_TIMES_D, m21Cases, m21Conditions, m21Grid, profileCurve, runM21, type M21Soil } from './m2-1.js';
import { registerBenchmark, type BenchmarkReport } from './registry.js';

/**
 * M2.1 on the 3D voxel solver: a column of 2 × 2 voxels (periodic sides, so every lateral face
 * is exercised) × `layers` layers, the same problem as the 1D benchmark. Reports the M2.1 metric
 * of the layer-averaged θ profile and the largest difference to the 1D solver on the same
 * vertical grid.
 */
export const M21_3D_SETTINGS = { layers: 400, columns: 2, maxDeltaTheta: 0.01, kRegularizationHead_cm: { sand: 0, loam: 0, clay: -1 } as Record<M21Soil, number> };

export interface M213DRun {
  retcode: ReturnCode;
  profiles: Curve[];
  /** Largest |θ_3D − θ_1D| over voxels and output times. */
  maxDifferenceTo1D: number;
  balanceRelativeError: number;
  steps: number;
  linearIterations: number;
}

export function runM21in3D(soil: M21Soil, s = M21_3D_SETTINGS): M213DRun {
  const nz = s.layers;
  const m = s.columns;
  const zf = Array.from({ length: nz + 1 }, (_, k) => -M21_DEPTH_CM + (M21_DEPTH_CM * k) / nz);
  const side = Array.from({ length: m + 1 }, (_, k) => k);
  const grid = new VoxelGrid({ xFaces_cm: side, yFaces_cm: side, zFaces_cm: zf, periodicX: true, periodicY: true });
  const c = m21Conditions(soil);
  const solver = new Richards3D(
    { grid, soils: [c.soil], top: c.upper, bottom: c.lower, initialHead_cm: c.initialHead_cm, kRegularizationHead_cm: s.kRegularizationHead_cm[soil] },
    { maxDeltaTheta: s.maxDeltaTheta, dtInitial_d: 1e-6 },
  );
  const oneD = runM21(soil, { cells: nz, maxDeltaTheta: s.maxDeltaTheta, kRegularizationHead_cm: s.kRegularizationHead_cm[soil] });
  const vgrid = m21Grid(nz);
  const profiles: Curve[] = [];
  const layerTheta = new Float64Array(nz);
  let retcode = ReturnCode.Success;
  let maxDiff = 0;
  M21_TIMES_D[soil].forEach((t, j) => {
    if (retcode !== ReturnCode.Success) return;
    retcode = solver.advanceTo(t);
    for (let k = 0; k < nz; k++) {
      let sum = 0;
      for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) sum += solver.theta[grid.index(i, j, k)];
      layerTheta[k] = sum / (m * m);
    }
    profiles.push(profileCurve(vgrid, layerTheta));
    const ref = oneD.profiles[j];
    if (ref) for (let c = 0; c < grid.n; c++) maxDiff = Math.max(maxDiff, Math.abs(solver.theta[c] - ref.at(grid.zCenter[c])));
  });
  return { retcode, profiles, maxDifferenceTo1D: maxDiff, balanceRelativeError: solver.balance().relativeError, steps: solver.stats.accepted, linearIterations: solver.stats.linearIterations };
}

registerBenchmark({
  name: 'm2.1-3d',
  description: 'M2.1 infiltration on the 3D voxel solver (2 × 2 periodic voxel column) against the analytic front and against the 1D solver',
  async run(): Promise<BenchmarkReport> {
    const profiles = {} as Record<M21Soil, Curve[]>;
    const runs = {} as Record<M21Soil, M213DRun>;
    const balance: Record<string, number> = {};
    for (const soil of M21_SOILS) {
      const r = runM21in3D(soil);
      if (r.retcode !== ReturnCode.Success) throw new Error(`M2.1-3D ${soil}: solver returned ${r.retcode}`);
      runs[soil] = r;
      profiles[soil] = r.profiles;
      balance[`water balance relative error, ${soil}`] = r.balanceRelativeError;
      balance[`max |θ_3D − θ_1D|, ${soil}`] = r.maxDifferenceTo1D;
    }
    const cases = m21Cases(profiles, (soil) => ({ maxDifferenceTo1D: runs[soil].maxDifferenceTo1D, steps: runs[soil].steps, linearIterations: runs[soil].linearIterations }));
    return {
      benchmark: 'm2.1-3d',
      metric: M21_METRIC,
      cases,
      balance,
      notes: [
        ...M21_NOTES,
        `rhizocarb 3D: ${M21_3D_SETTINGS.columns} × ${M21_3D_SETTINGS.columns} voxels (periodic sides) × ${M21_3D_SETTINGS.layers} layers (Δz = ${M21_DEPTH_CM / M21_3D_SETTINGS.layers} cm), Newton + BiCGSTAB/ILU(0) with a layer coarse correction; the 1D solver on the same vertical grid is run alongside and the largest θ difference is reported. A coarser grid than the 1D benchmark, so the errors here are larger than there.`,
      ],
    };
  },
});
