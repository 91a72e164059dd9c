import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/errors.js';
import { ReturnCode } from '../../src/numerics/index.js';
import {
  hydraulicConductivity,
  hydrostaticHeads,
  paperDomainGrid,
  Richards1D,
  Richards3D,
  SOILS,
  Transport3D,
  uniformPlanarGrid,
  uniformVoxelGrid,
  VoxelGrid,
  type WaterStepFields,
} from '../../src/soil/index.js';

describe('voxel grid', () => {
  it("004's domain preset: 3 × 12 × 40 voxels of 1 cm³, periodic in x and y: 1440 voxels, 4284 faces, hydrostatic mean head −100 cm", () => {
    const g = paperDomainGrid();
    expect([g.nx, g.ny, g.nz, g.n]).toEqual([3, 12, 40, 1440]);
    expect(g.totalVolume()).toBeCloseTo(1440, 10);
    // Periodic x and y: one +x and one +y face per voxel; 39 vertical faces per column.
    expect(g.faceCount).toBe(1440 + 1440 + 3 * 12 * 39);
    const h = hydrostaticHeads(g, -100);
    const mean = h.reduce((a, b) => a + b, 0) / g.n;
    expect(mean).toBeCloseTo(-100, 12);
    expect(h[g.index(0, 0, 0)] - h[g.index(0, 0, 39)]).toBeCloseTo(39, 12); // h + z constant
    expect(g.topCells.length).toBe(36);
  });

  it('rejects decreasing face coordinates naming the axis and index', () => {
    expect(() => new VoxelGrid({ xFaces_cm: [0, 1], yFaces_cm: [0, 2, 1], zFaces_cm: [0, 1] })).toThrow(InputError);
    expect(() => new VoxelGrid({ xFaces_cm: [0, 1], yFaces_cm: [0, 2, 1], zFaces_cm: [0, 1] })).toThrow(/yFaces_cm\[2\]: got 1/);
  });
});

describe('Richards equation on the voxel grid (Newton + BiCGSTAB/ILU(0) + layer coarse correction)', () => {
  it('hydrostatic initial state of the paper domain (layered loam/clay, closed top and bottom) is kept exactly for 30 d', () => {
    const g = paperDomainGrid();
    const h0 = hydrostaticHeads(g, -100);
    const soilOf = Int32Array.from(g.zCenter, (z) => (z < -20 ? 1 : 0));
    const s = new Richards3D({ grid: g, soils: [SOILS.loam, SOILS.clay], soilOfCell: soilOf, top: { kind: 'noFlux' }, bottom: { kind: 'noFlux' }, initialHead_cm: h0 });
    expect(s.advanceTo(30)).toBe(ReturnCode.Success);
    let dev = 0;
    for (let c = 0; c < g.n; c++) dev = Math.max(dev, Math.abs(s.h_cm[c] - h0[c]));
    console.log(`paper domain hydrostatic: max |Δh| ${dev.toExponential(2)} cm after 30 d, ${s.stats.accepted} steps`);
    expect(dev).toBeLessThan(1e-9);
  });

  it('a 2 × 2 periodic voxel column reproduces the 1D solver on ponded loam infiltration (0.3 d, 200 layers) to |Δθ| < 1e-3; water balance < 1e-10', () => {
    const nz = 200;
    const zf = Array.from({ length: nz + 1 }, (_, k) => -100 + (100 * k) / nz);
    const g = new VoxelGrid({ xFaces_cm: [0, 1, 2], yFaces_cm: [0, 1, 2], zFaces_cm: zf, periodicX: true, periodicY: true });
    const top = { kind: 'fluxLimitedByHead', flux_cm_per_d: 100, limitHead_cm: 0 } as const;
    const s3 = new Richards3D({ grid: g, soils: [SOILS.loam], top, bottom: { kind: 'freeDrainage' }, initialHead_cm: -400 }, { maxDeltaTheta: 0.01 });
    const s1 = new Richards1D({ grid: uniformPlanarGrid(-100, 0, nz), soils: [SOILS.loam], upper: top, lower: { kind: 'freeDrainage' }, initialHead_cm: -400 }, { maxDeltaTheta: 0.01 });
    expect(s3.advanceTo(0.3)).toBe(ReturnCode.Success);
    expect(s1.advanceTo(0.3)).toBe(ReturnCode.Success);
    let d = 0;
    for (let i = 0; i < 2; i++) for (let j = 0; j < 2; j++) for (let k = 0; k < nz; k++) d = Math.max(d, Math.abs(s3.theta[g.index(i, j, k)] - s1.theta[k]));
    console.log(`3D column vs 1D: max |Δθ| ${d.toExponential(2)} (${s3.stats.accepted} vs ${s1.stats.accepted} steps; ${(s3.stats.linearIterations / s3.stats.newtonIterations).toFixed(1)} BiCGSTAB iterations per Newton iteration); balance ${s3.balance().relativeError.toExponential(2)}`);
    expect(d).toBeLessThan(1e-3);
    expect(s3.balance().relativeError).toBeLessThan(1e-10);
  });

  it('lateral redistribution in a 40 × 1 × 1 voxel row equals the horizontal 1D solver (gravity off) to |Δh| < 1e-6 cm', () => {
    const n = 40;
    const g = uniformVoxelGrid([0, 20, n], [0, 1, 1], [0, 1, 1]);
    const h0 = Float64Array.from({ length: n }, (_, i) => (i < n / 2 ? -50 : -500));
    const s3 = new Richards3D({ grid: g, soils: [SOILS.loam], top: { kind: 'noFlux' }, bottom: { kind: 'noFlux' }, initialHead_cm: h0 });
    const s1 = new Richards1D({ grid: uniformPlanarGrid(0, 20, n), gravity: false, soils: [SOILS.loam], lower: { kind: 'noFlux' }, upper: { kind: 'noFlux' }, initialHead_cm: h0 });
    for (const t of [0.01, 0.1, 1]) {
      s3.advanceTo(t);
      s1.advanceTo(t);
    }
    let d = 0;
    for (let i = 0; i < n; i++) d = Math.max(d, Math.abs(s3.h_cm[g.index(i, 0, 0)] - s1.h_cm[i]));
    console.log(`lateral 3D vs 1D: max |Δh| ${d.toExponential(2)} cm`);
    expect(d).toBeLessThan(1e-6);
  });

  it('paper domain with root-uptake sinks in some voxels and evaporation switching at the top: water balance < 1e-10 over 5 d', () => {
    const g = paperDomainGrid();
    const S = new Float64Array(g.n);
    for (let k = 20; k < 40; k++) S[g.index(1, 5, k)] = -0.01; // within what the voxels hold over 5 d (004 B2 limits larger sinks)
    const s = new Richards3D({ grid: g, soils: [SOILS.loam], top: { kind: 'fluxLimitedByHead', flux_cm_per_d: -0.3, limitHead_cm: -10000 }, bottom: { kind: 'noFlux' }, initialHead_cm: hydrostaticHeads(g, -450), source_per_d: S });
    expect(s.advanceTo(5)).toBe(ReturnCode.Success);
    const b = s.balance();
    console.log(`paper domain with sinks: ΔS ${b.storageChange_cm3.toFixed(3)} cm³, top ${b.upperInflow_cm3.toFixed(3)}, sinks ${b.sourceVolume_cm3.toFixed(3)}; relative error ${b.relativeError.toExponential(2)}; limited columns ${s.topLimitedColumns}`);
    expect(b.relativeError).toBeLessThan(1e-10);
  });
});

describe('solute transport on the voxel grid (implicit, upwind advection, Millington–Quirk diffusion)', () => {
  it('closed boundaries, water redistributing in the paper domain, 100 steps: solute mass conserved to < 1e-10 relative', () => {
    const g = paperDomainGrid();
    const h0 = Float64Array.from({ length: g.n }, (_, c) => -100 - 80 * Math.sin(0.7 * c) - 0.5 * g.zCenter[c]);
    const w = new Richards3D({ grid: g, soils: [SOILS.loam], top: { kind: 'noFlux' }, bottom: { kind: 'noFlux' }, initialHead_cm: h0 }, { dtMax_d: 0.05 });
    const tr = new Transport3D({ grid: g, thetaS: SOILS.loam.thetaS, diffusionInWater_cm2_per_d: 1.0, initialConcentration_mol_per_cm3_water: Float64Array.from({ length: g.n }, (_, c) => 1e-5 * (1 + Math.cos(1.3 * c))) });
    const m0 = tr.mass(w.theta);
    let maxQ = 0;
    for (let k = 0; k < 100; k++) {
      expect(w.step().retcode).toBe(ReturnCode.Success);
      for (const q of w.faceFlux_cm3_per_d) maxQ = Math.max(maxQ, Math.abs(q));
      expect(tr.step(w)).toBe(ReturnCode.Success);
    }
    const rel = Math.abs(tr.mass(w.theta) - m0) / m0;
    console.log(`closed-box transport: relative mass change ${rel.toExponential(2)} after ${w.t_d.toFixed(2)} d (max face water flux ${maxQ.toExponential(2)} cm³/d); balance ${tr.balance().relativeError.toExponential(2)}`);
    expect(maxQ).toBeGreaterThan(1e-3); // advection is exercised
    expect(rel).toBeLessThan(1e-10);
  });

  it('diffusion of a cosine mode in a periodic row at constant θ decays exactly as the discrete operator predicts (1e-10) and as exp(−D k² t) to 0.5 %', () => {
    const n = 32;
    const L = 16;
    const g = uniformVoxelGrid([0, L, n], [0, 1, 1], [0, 1, 1], { x: true });
    const theta = 0.3;
    const Dw = 2;
    const thetaS = 0.43;
    const D = (Dw * Math.pow(theta, 10 / 3)) / (thetaS * thetaS);
    const kx = (2 * Math.PI) / L;
    const c0 = Float64Array.from({ length: n }, (_, i) => 1 + 0.5 * Math.cos(kx * (i + 0.5) * (L / n)));
    const tr = new Transport3D({ grid: g, thetaS, diffusionInWater_cm2_per_d: Dw, initialConcentration_mol_per_cm3_water: c0 });
    expect(tr.effectiveDiffusion(theta, thetaS)).toBeCloseTo(D, 15);
    const th = new Float64Array(n).fill(theta);
    const dt = 0.01;
    const steps = 200;
    const water: WaterStepFields = { lastDt_d: dt, thetaOld: th, theta: th, faceFlux_cm3_per_d: new Float64Array(g.faceCount), topInflow_cm3_per_d: new Float64Array(g.topCells.length), bottomInflow_cm3_per_d: new Float64Array(g.topCells.length) };
    for (let k = 0; k < steps; k++) expect(tr.step(water)).toBe(ReturnCode.Success);
    const dx = L / n;
    const lambda = (4 * Math.sin((kx * dx) / 2) ** 2) / (dx * dx);
    const discrete = 0.5 * Math.pow(1 / (1 + (dt * D * lambda) / theta), steps);
    const continuous = 0.5 * Math.exp((-D * kx * kx * steps * dt) / theta);
    let amp = 0;
    for (let i = 0; i < n; i++) amp += ((tr.c[i] - 1) * Math.cos(kx * (i + 0.5) * dx) * 2) / n;
    console.log(`cosine mode amplitude ${amp.toExponential(6)}; discrete ${discrete.toExponential(6)} (rel ${(Math.abs(amp - discrete) / discrete).toExponential(2)}); continuous ${continuous.toExponential(6)} (rel ${(Math.abs(amp - continuous) / continuous).toExponential(2)})`);
    expect(Math.abs(amp - discrete) / discrete).toBeLessThan(1e-10);
    expect(Math.abs(amp - continuous) / continuous).toBeLessThan(5e-3);
  });

  it('steady downward flow with inflow concentration at the top: C tends to the inflow concentration, mass balance with in/outflow < 1e-10', () => {
    const nz = 20;
    const g = uniformVoxelGrid([0, 1, 1], [0, 1, 1], [-20, 0, nz]);
    const q = 1; // cm/d
    // Unit-gradient steady state: K(h) = q everywhere.
    let lo = -1000;
    let hi = 0;
    for (let k = 0; k < 200; k++) {
      const mid = 0.5 * (lo + hi);
      if (hydraulicConductivity(mid, SOILS.loam) < q) lo = mid;
      else hi = mid;
    }
    const hs = 0.5 * (lo + hi);
    const w = new Richards3D({ grid: g, soils: [SOILS.loam], top: { kind: 'flux', flux_cm_per_d: q }, bottom: { kind: 'freeDrainage' }, initialHead_cm: hs }, { dtInitial_d: 0.1, dtMax_d: 0.1 });
    const cIn = 2e-5;
    const tr = new Transport3D({ grid: g, thetaS: SOILS.loam.thetaS, diffusionInWater_cm2_per_d: 1.0, initialConcentration_mol_per_cm3_water: 0, topInflowConcentration_mol_per_cm3_water: cIn });
    for (let k = 0; k < 400; k++) {
      w.step();
      expect(tr.step(w)).toBe(ReturnCode.Success);
    }
    let dev = 0;
    for (let c = 0; c < g.n; c++) dev = Math.max(dev, Math.abs(tr.c[c] - cIn) / cIn);
    const b = tr.balance();
    console.log(`through-flow: ${(w.t_d * q / (20 * w.theta[0])).toFixed(1)} pore volumes, max |C − C_in|/C_in ${dev.toExponential(2)}; solute in ${b.boundaryInflow_mol.toExponential(3)} mol, ΔM ${b.massChange_mol.toExponential(3)} mol, balance ${b.relativeError.toExponential(2)}`);
    expect(dev).toBeLessThan(1e-6);
    expect(b.relativeError).toBeLessThan(1e-10);
  });
});
