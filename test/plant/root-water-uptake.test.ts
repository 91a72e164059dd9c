import { describe, expect, it } from 'vitest';
import { ClassicRootWaterUptake } from '../../src/plant/root-water-uptake.js';
import { SOILS, headFromWaterContent, waterContent } from '../../src/soil/van-genuchten.js';
import { uniformVoxelGrid } from '../../src/soil/voxel-grid.js';

/**
 * One horizontal root (no gravity along it) in one voxel: the xylem element is exact (Meunier et al.
 * 2017), so with a Dirichlet collar h_c and soil head h the collar outflow is T = C (h − h_c),
 * C = k_x τ tanh(τ L), τ = √(2πr k_r / k_x) — an analytical reference independent of the network code.
 */
const loam = SOILS.loam;
const L = 10, r = 0.05, kr = 2e-2, kx = 5e-2;
const tau = Math.sqrt((2 * Math.PI * r * kr) / kx);
const C = kx * tau * Math.tanh(tau * L);

function model(mean: number, h0: number, collarLimit: number) {
  const grid = uniformVoxelGrid([-1, 11, 1], [-1, 1, 1], [-2, 0, 1]);
  const n = 11;
  return new ClassicRootWaterUptake({
    roots: { x: Float64Array.from({ length: n }, (_, i) => i), y: new Float64Array(n), z: new Float64Array(n).fill(-1), parent: Int32Array.from({ length: n }, (_, i) => i - 1), radius_cm: new Float64Array(n - 1).fill(r), type: new Int32Array(n - 1).fill(1), nodeTime_d: new Float64Array(n) },
    observationTime_d: 0, kr_per_d: kr, kx_cm3_per_d: kx, grid, soil: loam, initialHead_cm: new Float64Array(1).fill(h0), transpirationMean_cm3_per_d: mean, collarLimit_cm: collarLimit,
  });
}

describe('classic root water uptake (plant/root-water-uptake.ts)', () => {
  it('unstressed: uptake = step-mean potential transpiration; collar head = h_voxel − T̄/C (exact element)', () => {
    const m = model(1, -300, -15000);
    let worst = 0;
    let cum = 0;
    const dt = 1 / 72;
    for (let i = 0; i < 72; i++) {
      const hSoil = m.soil.h_cm[0];
      const s = m.advance(dt);
      cum += s.actual_cm3;
      const expected = hSoil - s.potential_cm3 / dt / C;
      worst = Math.max(worst, Math.abs(s.collarHead_cm - expected) / Math.abs(expected));
      expect(s.limited).toBe(false);
    }
    console.log(`classic sink, one root: collar head vs h − T/C: worst relative error ${worst.toExponential(2)}; cumulative uptake ${cum.toFixed(12)} cm³ (potential 1)`);
    expect(worst).toBeLessThan(1e-9);
    expect(Math.abs(cum - 1)).toBeLessThan(1e-9);
  });

  it('collar-limited: the soil dries as V dθ/dt = −C (h − h_lim); against an RK4 integration of that ODE', () => {
    const hLim = -1000;
    const m = model(1e6, -300, hLim);
    const V = 12 * 2 * 2;
    const dt = 5 / 1440;
    let cum = 0;
    for (let i = 0; i < 288; i++) {
      const s = m.advance(dt);
      expect(s.limited).toBe(true);
      cum += s.actual_cm3;
    }
    // Reference: RK4 on θ with 1-minute steps (the model is explicit in the soil head over each 5-min step).
    let theta = waterContent(-300, loam);
    const f = (th: number) => (-C * (headFromWaterContent(th, loam) - hLim)) / V;
    const h = 1 / 1440;
    for (let i = 0; i < 1440; i++) {
      const k1 = f(theta), k2 = f(theta + (h / 2) * k1), k3 = f(theta + (h / 2) * k2), k4 = f(theta + h * k3);
      theta += (h / 6) * (k1 + 2 * k2 + 2 * k3 + k4);
    }
    const refUptake = (waterContent(-300, loam) - theta) * V;
    const rel = Math.abs(cum - refUptake) / refUptake;
    console.log(`collar-limited day: uptake ${cum.toFixed(4)} cm³ vs ODE reference ${refUptake.toFixed(4)} cm³ (relative difference ${rel.toExponential(2)}; explicit soil head over 5-min steps)`);
    expect(rel).toBeLessThan(1e-5);
  });

  it('saveState/restoreState: a restored model continues bit for bit', () => {
    const a = model(2, -300, -15000);
    for (let i = 0; i < 10; i++) a.advance(1 / 72);
    const saved = a.saveState();
    const b = model(2, -300, -15000);
    b.restoreState(saved);
    for (let i = 0; i < 10; i++) {
      const sa = a.advance(1 / 72);
      const sb = b.advance(1 / 72);
      expect(sb).toEqual(sa);
    }
    expect(Array.from(b.soil.h_cm)).toEqual(Array.from(a.soil.h_cm));
  });
});
