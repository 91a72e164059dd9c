import { describe, expect, it } from 'vitest';
import { CoupledModel, StaticRootSystem } from '../../src/coupling/index.js';
import { ReturnCode } from '../../src/numerics/index.js';
import { namedSet } from '../../src/rhizosphere/index.js';
import { SOILS, hydrostaticHeads, uniformVoxelGrid } from '../../src/soil/index.js';

/** A column of 1 cm³ voxels with a tap root through all of them and short laterals: exchange between voxels matters. */
function column(mode: { acceleration?: 'none' | 'aitken'; psiAveraging?: 'relaxed' | 'reference' | 'none' | 'aitken' } = {}) {
  const grid = uniformVoxelGrid([0, 1, 1], [0, 1, 1], [-6, 0, 6]);
  const x = [0.5], y = [0.5], z = [0], parent = [-1], radius: number[] = [];
  for (let k = 1; k <= 12; k++) {
    x.push(0.5); y.push(0.5); z.push(-0.48 * k); parent.push(k - 1); radius.push(0.05);
  }
  const n = x.length;
  for (let k = 2; k < 12; k += 2) {
    x.push(0.8); y.push(0.6); z.push(z[k] - 0.1); parent.push(k); radius.push(0.02);
  }
  const ns = x.length - 1;
  void n;
  const root = new StaticRootSystem({
    x_cm: x, y_cm: y, z_cm: z, parent, radius_cm: radius, kr_per_d: new Float64Array(ns).fill(1.7e-4), kx_cm3_per_d: new Float64Array(ns).fill(4e-3),
    potentialTranspiration_cm3_per_d: (t) => 0.3 * Math.max(0, Math.sin(2 * Math.PI * (t - 0.25))) , collarLimit_cm: -15000,
  });
  return CoupledModel.create({ grid, soil: SOILS.loam, params: namedSet('highMB'), initialHead_cm: hydrostaticHeads(grid, -300), root, soilWater: 'dynamic', ...mode });
}

describe('fixed-point iteration', () => {
  it('Aitken relaxation of the exchange fluxes reaches the same fixed point (report iterates with and without)', () => {
    const plain = column();
    const aitken = column({ acceleration: 'aitken' });
    const itP: number[] = [];
    const itA: number[] = [];
    for (const m of [plain, aitken]) m.time_d = 0.4; // late morning: uptake on
    for (let k = 0; k < 3; k++) {
      expect(plain.advance(1 / 72)).toBe(ReturnCode.Success);
      expect(aitken.advance(1 / 72)).toBe(ReturnCode.Success);
      itP.push(...plain.diagnostics()!.iterates);
      itA.push(...aitken.diagnostics()!.iterates);
    }
    const a = plain.voxelFields();
    const b = aitken.voxelFields();
    let dTheta = 0;
    for (let c = 0; c < a.theta.length; c++) dTheta = Math.max(dTheta, Math.abs(a.theta[c] - b.theta[c]) / a.theta[c]);
    const sum = (l: number[]) => l.reduce((s, v) => s + v, 0);
    console.log(`iterates per sub-step: plain ${itP.join(',')} (Σ ${sum(itP)}), Aitken ${itA.join(',')} (Σ ${sum(itA)}); max relative θ difference of the end states ${dTheta.toExponential(2)}; transpiration ${plain.diagnostics()!.transpiration_cm3_per_d.toFixed(4)} cm³/d, balance ${plain.diagnostics()!.balance.waterRelative.toExponential(1)} / ${aitken.diagnostics()!.balance.waterRelative.toExponential(1)}`);
    expect(dTheta).toBeLessThan(1e-6);
    expect(plain.diagnostics()!.balance.waterRelative).toBeLessThan(1e-12);
    expect(aitken.diagnostics()!.balance.waterRelative).toBeLessThan(1e-12);
  });

  it('Aitken relaxation of ψ_rsi (psiAveraging aitken) reaches the fixed point of the default two-point averaging', () => {
    const runs = [column(), column({ psiAveraging: 'aitken' })];
    const its: number[][] = [[], []];
    for (const m of runs) m.time_d = 0.4;
    for (let k = 0; k < 3; k++) runs.forEach((m, j) => {
      expect(m.advance(1 / 72)).toBe(ReturnCode.Success);
      its[j].push(...m.diagnostics()!.iterates);
    });
    const [a, b] = runs.map((m) => m.voxelFields());
    let dTheta = 0;
    for (let c = 0; c < a.theta.length; c++) dTheta = Math.max(dTheta, Math.abs(a.theta[c] - b.theta[c]) / a.theta[c]);
    console.log(`iterates per sub-step: relaxed ${its[0].join(',')}, ψ_rsi Aitken ${its[1].join(',')}; max relative θ difference ${dTheta.toExponential(2)}; balance ${runs[1].diagnostics()!.balance.waterRelative.toExponential(1)}`);
    expect(dTheta).toBeLessThan(1e-6);
    expect(runs[1].diagnostics()!.balance.waterRelative).toBeLessThan(1e-12);
  });

  it('saveState / restoreState: a step repeated from a restored state gives identical results; states are plain data (structuredClone)', () => {
    const m = column();
    m.time_d = 0.45;
    expect(m.advance(1 / 72)).toBe(ReturnCode.Success);
    const s = structuredClone(m.saveState());
    expect(m.advance(1 / 72)).toBe(ReturnCode.Success);
    const first = m.voxelFields();
    const p1 = m.radialProfile(3)!;
    m.restoreState(s);
    expect(m.advance(1 / 72)).toBe(ReturnCode.Success);
    const again = m.voxelFields();
    const p2 = m.radialProfile(3)!;
    let d = 0;
    for (let c = 0; c < first.theta.length; c++) d = Math.max(d, Math.abs(first.theta[c] - again.theta[c]), Math.abs(first.pools.CO2[c] - again.pools.CO2[c]));
    for (let i = 0; i < p1.theta.length; i++) d = Math.max(d, Math.abs(p1.theta[i] - p2.theta[i]), Math.abs(p1.pools.CL_dissolved[i] - p2.pools.CL_dissolved[i]));
    console.log(`repeat after restore: max difference ${d.toExponential(2)}`);
    expect(d).toBe(0);
  });
});

describe('spell reset', () => {
  it('resetHydrostatic: heads hydrostatic about the mean, 1D cells at their voxel θ, dissolved C moles kept (3D and 1D), water added returned; the next step balances', () => {
    const m = column();
    m.time_d = 0.45;
    expect(m.advance(1 / 72)).toBe(ReturnCode.Success);
    const L0 = m.macro.grid.zCenter.map((_, c) => m.voxelContents(c, 1).threeD);
    const L1D0 = m.macro.grid.zCenter.map((_, c) => m.voxelContents(c, 1).oneD);
    const w0 = m.macro.totals().water_cm3;
    const added = m.resetHydrostatic(-450);
    const z = m.macro.grid.zCenter;
    const zMean = z.reduce((a, b) => a + b, 0) / z.length;
    let dh = 0;
    let dL = 0;
    let dTh = 0;
    for (let c = 0; c < z.length; c++) {
      dh = Math.max(dh, Math.abs(m.macro.richards.h_cm[c] - (-450 - (z[c] - zMean))));
      const x = m.voxelContents(c, 1);
      dL = Math.max(dL, Math.abs(x.threeD - L0[c]) / L0[c], x.domains ? Math.abs(x.oneD - L1D0[c]) / L1D0[c] : 0);
      const w = m.voxelContents(c, 0);
      if (w.domains) dTh = Math.max(dTh, Math.abs(w.oneD - w.threeD) / w.threeD);
    }
    const dw = Math.abs(m.macro.totals().water_cm3 - w0 - added) / w0;
    expect(m.advance(1 / 72)).toBe(ReturnCode.Success);
    const bal = m.diagnostics()!.balance;
    console.log(`spell reset: |h − hydrostatic| ${dh.toExponential(2)} cm, dissolved C moles change ${dL.toExponential(2)}, Σ1D vs 3D water ${dTh.toExponential(2)}, booked water error ${dw.toExponential(2)} (added ${added.toFixed(3)} cm³); next step balance water ${bal.waterRelative.toExponential(2)}, carbon ${bal.carbonRelative.toExponential(2)}`);
    expect(dh).toBeLessThan(1e-9);
    expect(dL).toBeLessThan(1e-12);
    expect(dTh).toBeLessThan(1e-12);
    expect(dw).toBeLessThan(1e-14);
    expect(added).toBeLessThan(0);
    expect(bal.waterRelative).toBeLessThan(1e-12);
    expect(bal.carbonRelative).toBeLessThan(1e-12);
  });
});
