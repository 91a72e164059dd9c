import { describe, expect, it } from 'vitest';
import { CoupledModel, StaticRootSystem } from '../../src/coupling/index.js';
import { ReturnCode } from '../../src/numerics/index.js';
import { CARBON_VARS, NV, PerirhizalBatch, V, namedSet } from '../../src/rhizosphere/index.js';
import { SOILS, hydrostaticHeads, uniformVoxelGrid } from '../../src/soil/index.js';

const params = namedSet('highMB');
const soil = SOILS.loam;

/** A static root system of straight vertical segments hanging from collar nodes (one root per entry). */
function roots(list: { x: number; y: number; z0: number; z1: number; r: number }[], T: (t: number) => number, kx = 1e3, kr = 2e-4) {
  const x = [0], y = [0], z = [0.5], parent = [-1], radius: number[] = [];
  // Node 0 is a collar above ground; a massless stem (kx huge, kr 0 above ground) joins each root.
  const krs: number[] = [], kxs: number[] = [];
  for (const r of list) {
    x.push(r.x); y.push(r.y); z.push(r.z0); parent.push(0); radius.push(r.r); krs.push(0); kxs.push(1e9);
    x.push(r.x); y.push(r.y); z.push(r.z1); parent.push(x.length - 2); radius.push(r.r); krs.push(kr); kxs.push(kx);
  }
  return new StaticRootSystem({ x_cm: x, y_cm: y, z_cm: z, parent, radius_cm: radius, kr_per_d: Float64Array.from(krs), kx_cm3_per_d: Float64Array.from(kxs), potentialTranspiration_cm3_per_d: T, collarLimit_cm: -15000 });
}

describe('coupling verification ladder', () => {
  it('one voxel + one root, no plant: equals a standalone 1D run (≤ 1e-8 relative, every pool)', () => {
    const grid = uniformVoxelGrid([-0.5, 0.5, 1], [-0.5, 0.5, 1], [-1, 0, 1]);
    const T = 0.02; // cm³ d⁻¹
    const root = roots([{ x: 0, y: 0, z0: 0, z1: -0.9, r: 0.05 }], () => T);
    // The stem segment (z0 = 0 .. 0.5) is above ground: it gets no 1D model. Hanging segment from 0 to −0.9.
    const m = CoupledModel.create({ grid, soil, params, initialHead_cm: -100, root, soilWater: 'dynamic', rtol1D: 1e-8 });
    expect(m.batch.nDomains).toBe(1);
    const g = m.batch.grids[0];
    const ref = new PerirhizalBatch([{ rIn_cm: g.faces[0], rOut_cm: g.faces[9], length_cm: g.length }], -100, { soil, params, rtol: 1e-8 });
    ref.waterUptake_cm_per_d[0] = T / g.faceArea[0];
    let worst = 0;
    for (let k = 0; k < 6; k++) {
      expect(m.advance(1 / 72)).toBe(ReturnCode.Success);
      expect(ref.advance(1 / 72)).toBe(ReturnCode.Success);
      for (let i = 0; i < 9; i++) for (let v = 0; v < NV; v++) {
        const a = m.batch.state[m.batch.offset(0, i) + v];
        const b = ref.state[ref.offset(0, i) + v];
        worst = Math.max(worst, Math.abs(a - b) / Math.max(Math.abs(b), 1e-30));
      }
    }
    const w3 = m.voxelContents(0, V.theta);
    const d = m.diagnostics()!;
    console.log(`one voxel + one root vs standalone 1D: worst relative difference ${worst.toExponential(2)}; voxel water 3D ${w3.threeD.toFixed(12)} vs Σ1D ${w3.oneD.toFixed(12)}; iterates ${d.iterates.join(',')}; transpiration ${d.transpiration_cm3_per_d.toExponential(4)} cm³/d`);
    expect(worst).toBeLessThan(1e-8);
    expect(Math.abs(w3.threeD - w3.oneD) / w3.oneD).toBeLessThan(1e-12);
    expect(Math.abs(d.transpiration_cm3_per_d - T) / T).toBeLessThan(1e-9);
    // The realised uptake read back from the 1D model equals the prescribed one (no Eq B12 limit in wet soil).
    const up = m.segmentUptake_cm3_per_d();
    expect(Math.abs(up[m.segmentsWithModels()[0]] - T) / T).toBeLessThan(1e-9);
  });

  it('several roots in a voxel: Σ 1D content = voxel content after every iterate (water and dissolved C ≤ 1e-12)', () => {
    const grid = uniformVoxelGrid([-0.5, 0.5, 1], [-0.5, 0.5, 1], [-1, 0, 1]);
    const root = roots(
      [
        { x: -0.3, y: 0, z0: 0, z1: -0.9, r: 0.05 },
        { x: 0.3, y: 0.2, z0: 0, z1: -0.6, r: 0.02 },
        { x: 0, y: -0.3, z0: 0, z1: -0.8, r: 0.03 },
      ],
      (t) => 0.05 * (1 + Math.sin(2 * Math.PI * t)),
    );
    let worst = 0;
    let n = 0;
    const m = CoupledModel.create({ grid, soil, params, initialHead_cm: -300, root, soilWater: 'dynamic', onIterate: (i) => { worst = Math.max(worst, i.mismatchWater, i.mismatchCarbon); n++; } });
    expect(m.batch.nDomains).toBe(3);
    let vol = 0;
    for (let d = 0; d < 3; d++) for (let i = 0; i < 9; i++) vol += m.batch.grids[d].volume[i];
    for (let k = 0; k < 4; k++) expect(m.advance(1 / 72)).toBe(ReturnCode.Success);
    console.log(`three roots in one voxel: Σ V_1D − V_voxel ${(vol - 1).toExponential(2)} cm³; worst Σ1D vs voxel mismatch over ${n} iterates ${worst.toExponential(2)}`);
    expect(Math.abs(vol - 1)).toBeLessThan(1e-12);
    expect(worst).toBeLessThan(1e-12);
    for (const v of CARBON_VARS) {
      const c = m.voxelContents(0, v);
      expect(Math.abs(c.threeD - c.oneD)).toBeLessThanOrEqual(1e-12 * Math.max(Math.abs(c.oneD), 1e-20));
    }
  });

  it('no roots: a hydrostatic column stays hydrostatic (|Δh| ≤ 1e-9 cm) and its carbon is conserved', () => {
    const grid = uniformVoxelGrid([0, 1, 1], [0, 1, 1], [-10, 0, 10]);
    const h0 = hydrostaticHeads(grid, -100);
    const root = roots([{ x: 0.5, y: 0.5, z0: 2, z1: 1, r: 0.05 }], () => 0.1); // above ground only
    const m = CoupledModel.create({ grid, soil, params, initialHead_cm: h0, root, soilWater: 'dynamic' });
    expect(m.batch.nDomains).toBe(0);
    const c0 = m.macro.totals().carbon_molC;
    for (let k = 0; k < 3; k++) expect(m.advance(1 / 72)).toBe(ReturnCode.Success);
    let dh = 0;
    for (let c = 0; c < grid.n; c++) dh = Math.max(dh, Math.abs(m.macro.richards.h_cm[c] - h0[c]));
    const dc = Math.abs(m.macro.totals().carbon_molC - c0) / c0;
    console.log(`no roots: max |Δh| ${dh.toExponential(2)} cm; carbon change ${dc.toExponential(2)} relative; step balance ${m.diagnostics()!.balance.carbonRelative.toExponential(2)}`);
    expect(dh).toBeLessThan(1e-9);
    expect(dc).toBeLessThan(1e-12);
  });
});
