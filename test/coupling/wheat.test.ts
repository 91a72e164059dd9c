import { describe, expect, it } from 'vitest';
import { CoupledModel, PlantRootSide } from '../../src/coupling/index.js';
import { ReturnCode } from '../../src/numerics/index.js';
import { BASELINE_WEATHER, weatherAt } from '../../src/plant/weather.js';
import { namedSet } from '../../src/rhizosphere/index.js';
import { SOILS, hydrostaticHeads, uniformVoxelGrid } from '../../src/soil/index.js';
import { wheatPlant } from '../helpers/wheat.js';

describe('coupled wheat (plant + 1D perirhizal models + 3D soil), coarse voxels, short', () => {
  it('whole-system water and carbon balance ≤ 1e-9 relative every step; re-partitions conserve; pools per scale consistent (wheat of day 6: static soil 2 steps at night, dynamic soil 1 step at noon)', () => {
    // 3 × 12 × 40 cm box of 3 × 4 × 4 cm voxels (30 voxels), periodic in x and y.
    const grid = uniformVoxelGrid([-1.5, 1.5, 1], [-6, 6, 3], [-40, 0, 10], { x: true, y: true });
    for (const [mode, start, steps] of [['static', 6, 2], ['dynamic', 6.5, 1]] as const) {
      const plant = wheatPlant(start);
      const m = CoupledModel.create({ grid, soil: SOILS.loam, params: namedSet('highMB'), initialHead_cm: hydrostaticHeads(grid, -100), root: new PlantRootSide(plant, (t) => weatherAt(t, BASELINE_WEATHER)), soilWater: mode });
      let worstW = 0;
      let worstC = 0;
      for (let k = 0; k < steps; k++) {
        expect(m.advance(1 / 72)).toBe(ReturnCode.Success);
        const d = m.diagnostics()!;
        worstW = Math.max(worstW, d.balance.waterRelative);
        worstC = Math.max(worstC, d.balance.carbonRelative);
        console.log(`${mode} step ${k}: ${d.domains} domains in ${d.rootedVoxels} voxels, iterates ${d.iterates.join(',')}, balance water ${d.balance.waterRelative.toExponential(2)} carbon ${d.balance.carbonRelative.toExponential(2)}, transpiration ${d.transpiration_cm3_per_d.toFixed(3)} cm³/d, collar ψ ${d.collarPsi_cm.toFixed(0)} cm, 1D–3D mismatch ${d.mismatch.water.toExponential(1)} / ${d.mismatch.carbon.toExponential(1)}`);
        expect(Math.min(...d.iterates)).toBeGreaterThanOrEqual(4);
      }
      // After the step the 1D models of every rooted voxel sum to its 3D content (the closure), every pool.
      const f = m.voxelFields();
      let worstSum = 0;
      for (let c = 0; c < grid.n; c++) {
        if (!f.rooted[c]) continue;
        for (let v = 0; v < 9; v++) {
          const x = m.voxelContents(c, v);
          worstSum = Math.max(worstSum, Math.abs(x.oneD - x.threeD) / Math.max(Math.abs(x.threeD), 1e-30));
        }
      }
      const pt = m.poolTotals();
      console.log(`${mode}: worst step balance water ${worstW.toExponential(2)}, carbon ${worstC.toExponential(2)}; worst Σ1D vs 3D per rooted voxel ${worstSum.toExponential(2)}; microscale volume ${pt.microscale.volume_cm3.toFixed(3)} = bulk soil ${pt.bulkSoil.volume_cm3.toFixed(3)} cm³; perirhizal_trunc ${pt.perirhizalTrunc.volume_cm3.toFixed(3)} cm³`);
      expect(worstW).toBeLessThan(1e-9);
      expect(worstC).toBeLessThan(1e-9);
      expect(worstSum).toBeLessThan(1e-12);
      expect(Math.abs(pt.microscale.volume_cm3 - pt.bulkSoil.volume_cm3) / pt.bulkSoil.volume_cm3).toBeLessThan(1e-12);
      expect(pt.perirhizalTrunc.volume_cm3).toBeLessThan(pt.microscale.volume_cm3);
      expect(pt.microscale.pools.CO2).toBeGreaterThan(0);
    }
  });
});
