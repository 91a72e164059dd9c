import { describe, expect, it } from 'vitest';
import { InputError, InputErrors } from '../../src/core/errors.js';
import { ReturnCode } from '../../src/numerics/index.js';
import {
  evalHydraulics,
  hydraulicConductivity,
  moistureCapacity,
  planarGrid,
  radialGrid,
  Richards1D,
  SOILS,
  uniformPlanarGrid,
  waterContent,
  type VanGenuchtenMualem,
} from '../../src/soil/index.js';

/** Matric flux potential Φ(h) = ∫_{h0}^{h} K dh by composite Simpson on a log-spaced suction grid (independent of the solver's kernel). */
function mfp(h: number, h0: number, soil: VanGenuchtenMualem, n = 1000): number {
  // substitute s = ln(−h): dh = −(−h) ds
  const s0 = Math.log(-h0);
  const s1 = Math.log(-h);
  const f = (s: number) => -hydraulicConductivity(-Math.exp(s), soil) * Math.exp(s);
  const w = (s1 - s0) / n;
  let sum = f(s0) + f(s1);
  for (let k = 1; k < n; k++) sum += (k % 2 ? 4 : 2) * f(s0 + k * w);
  return (sum * w) / 3;
}

/** Invert a monotone increasing g on [lo, hi] by bisection. */
function invert(g: (x: number) => number, target: number, lo: number, hi: number): number {
  for (let k = 0; k < 60; k++) {
    const mid = 0.5 * (lo + hi);
    if (g(mid) < target) lo = mid;
    else hi = mid;
  }
  return 0.5 * (lo + hi);
}

describe('hydraulics kernel (θ, C, K, dK/dh of many cells at once)', () => {
  for (const [name, soil] of Object.entries(SOILS)) {
    it(`${name}: θ, C equal van-genuchten.ts within 1e-13 relative, K within 1e-10 (and its dry limit to 1e-9), dK/dh a central difference within 1e-8`, () => {
      const heads = Float64Array.from([-0.001, -0.3, -1, -10, -100, -1000, -15000, -1e5, 0, 3]);
      const n = heads.length;
      const th = new Float64Array(n), C = new Float64Array(n), K = new Float64Array(n), dK = new Float64Array(n);
      evalHydraulics(n, heads, [soil], null, th, C, K, dK);
      let worst = 0;
      let worstK = 0;
      let worstD = 0;
      for (let i = 0; i < n; i++) {
        const h = heads[i];
        const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(Math.abs(b), 1e-300);
        worst = Math.max(worst, rel(th[i], waterContent(h, soil)), C[i] === 0 && moistureCapacity(h, soil) === 0 ? 0 : rel(C[i], moistureCapacity(h, soil)));
        // van-genuchten.ts evaluates 1 − (1 − Se^(1/m))^m directly, which cancels near saturation
        // (~1e−11) and when dry; the kernel avoids both. Compare where the plain formula holds ~10 digits.
        if (K[i] > 1e-8 * soil.Ks_cm_per_d) worstK = Math.max(worstK, rel(K[i], hydraulicConductivity(h, soil)));
        if (h <= -0.3) {
          const d = 1e-5 * Math.abs(h);
          const one = (x: number) => {
            const a = new Float64Array([x]), o = [new Float64Array(1), new Float64Array(1), new Float64Array(1), new Float64Array(1)];
            evalHydraulics(1, a, [soil], null, o[0], o[1], o[2], o[3]);
            return o[2][0];
          };
          const fd = (one(h + d) - one(h - d)) / (2 * d);
          worstD = Math.max(worstD, Math.abs(fd - dK[i]) / Math.max(Math.abs(dK[i]), 1e-300));
        }
      }
      // Dry limit (h = −1e5 cm): with x = Se^(1/m) = 1/b, 1 − (1 − x)^m = m·x·(1 + (1 − m)x/2 + (1 − m)(2 − m)x²/6 + …).
      const h = -1e5;
      const b = 1 + Math.pow(soil.alpha_per_cm * -h, soil.n);
      const m = 1 - 1 / soil.n;
      const x = 1 / b;
      const f = m * x * (1 + ((1 - m) * x) / 2 + ((1 - m) * (2 - m) * x * x) / 6);
      const kDry = soil.Ks_cm_per_d * Math.pow(Math.pow(b, -m), soil.l) * f * f;
      const dryRel = Math.abs(K[heads.indexOf(h)] - kDry) / kDry;
      console.log(`${name}: worst relative deviation θ/C ${worst.toExponential(2)}, K ${worstK.toExponential(2)}, dry-limit K ${dryRel.toExponential(2)}, dK/dh vs central difference ${worstD.toExponential(2)}`);
      expect(worst).toBeLessThan(1e-13);
      expect(worstK).toBeLessThan(1e-10);
      expect(dryRel).toBeLessThan(1e-9);
      expect(worstD).toBeLessThan(1e-8);
    });
  }
});

describe('Richards equation, 1D vertical and radial (mixed form, implicit Euler, Newton)', () => {
  it('layered column in hydrostatic equilibrium with no-flux ends stays there to 1e-9 cm over 30 d; water balance ≤ 1e-12', () => {
    const grid = uniformPlanarGrid(-100, 0, 50);
    const layer = new Int32Array(50).map((_, i) => (i < 25 ? 1 : 0));
    const h0 = Float64Array.from(grid.centers, (z) => -50 - z); // water table at z = −50 cm
    const s = new Richards1D({ grid, soils: [SOILS.loam, SOILS.clay], layerOfCell: layer, lower: { kind: 'noFlux' }, upper: { kind: 'noFlux' }, initialHead_cm: h0 });
    expect(s.advanceTo(30)).toBe(ReturnCode.Success);
    let dev = 0;
    for (let i = 0; i < 50; i++) dev = Math.max(dev, Math.abs(s.h_cm[i] - h0[i]));
    console.log(`hydrostatic: max |Δh| ${dev.toExponential(2)} cm after 30 d in ${s.stats.accepted} steps; balance ${s.balance().relativeError.toExponential(2)}`);
    expect(dev).toBeLessThan(1e-9);
    expect(Math.abs(s.balance().error_cm3)).toBeLessThan(1e-12);
  });

  /** Steady downward flux q (cm/d) to a water table at z = −100 cm: dh/dz = q/K(h) − 1 (z up), fine RK4 from h = 0 (independent of the solver). */
  function steadyProfile(q: number, soilAt: (z: number) => VanGenuchtenMualem, zq: number): number {
    let h = 0;
    const steps = 100_000;
    const dz = (zq + 100) / steps;
    const f = (z: number, hh: number) => q / hydraulicConductivity(hh, soilAt(z)) - 1;
    for (let k = 0; k < steps; k++) {
      const z = -100 + k * dz;
      const k1 = f(z, h), k2 = f(z + dz / 2, h + (dz / 2) * k1), k3 = f(z + dz / 2, h + (dz / 2) * k2), k4 = f(z + dz, h + dz * k3);
      h += (dz / 6) * (k1 + 2 * k2 + 2 * k3 + k4);
    }
    return h;
  }

  function steadyRun(n: number, layered: boolean, q: number): { errs: number; balance: number } {
    const soilAt = (z: number) => (layered && z < -50 ? SOILS.sand : SOILS.loam);
    const probe = [-75, -25]; // cell centres for n = 50·3^k
    const ref = probe.map((z) => steadyProfile(q, soilAt, z));
    const grid = uniformPlanarGrid(-100, 0, n);
    const layer = Int32Array.from(grid.centers, (z) => (layered && z < -50 ? 1 : 0));
    const s = new Richards1D({ grid, soils: [SOILS.loam, SOILS.sand], layerOfCell: layer, lower: { kind: 'head', head_cm: 0 }, upper: { kind: 'flux', flux_cm_per_d: q }, initialHead_cm: -30 }, { dtInitial_d: 1e-3 });
    expect(s.advanceTo(200)).toBe(ReturnCode.Success);
    const at = (z: number) => {
      const i = Math.min(n - 2, Math.max(0, Math.floor(((z + 100) / 100) * n - 0.5)));
      const w = (z - grid.centers[i]) / (grid.centers[i + 1] - grid.centers[i]);
      return s.h_cm[i] * (1 - w) + s.h_cm[i + 1] * w;
    };
    return { errs: Math.max(...probe.map((z, j) => Math.abs(at(z) - ref[j]))), balance: s.balance().relativeError };
  }

  it('steady infiltration to a water table, homogeneous loam: h(z) converges to the quadrature solution at second order (1.8–2.2)', () => {
    const r = [50, 150, 450].map((n) => steadyRun(n, false, 0.5));
    const order = Math.log(r[1].errs / r[2].errs) / Math.log(3);
    console.log(`steady infiltration, loam: max |h − h_ref| ${r.map((x) => x.errs.toExponential(2)).join(', ')} cm at 50/150/450 cells; order ${order.toFixed(2)}; balance ${r[2].balance.toExponential(2)}`);
    expect(order).toBeGreaterThan(1.8);
    expect(order).toBeLessThan(2.2);
    for (const x of r) expect(x.balance).toBeLessThan(1e-9);
  });

  it('steady infiltration through loam over sand: converges at first order (arithmetic K across the layer face), |h − h_ref| < 0.06 cm at 450 cells', () => {
    const r = [50, 150, 450].map((n) => steadyRun(n, true, 0.5));
    const order = Math.log(r[1].errs / r[2].errs) / Math.log(3);
    console.log(`steady infiltration, loam over sand: max |h − h_ref| ${r.map((x) => x.errs.toExponential(2)).join(', ')} cm at 50/150/450 cells; order ${order.toFixed(2)}`);
    expect(r[2].errs).toBeLessThan(0.06);
    expect(order).toBeGreaterThan(0.9);
    for (const x of r) expect(x.balance).toBeLessThan(1e-9);
  });

  it('radial steady uptake: h(r) matches the matric-flux-potential solution Φ(r) = Φ(r_out) − q·r_in·ln(r_out/r) within 0.5 % of the head drop', () => {
    const soil = SOILS.loam;
    const rIn = 0.02, rOut = 0.6, q = 0.1, hOut = -300;
    const grid = radialGrid(rIn, rOut, 120, 1);
    const s = new Richards1D({ grid, soils: [soil], lower: { kind: 'flux', flux_cm_per_d: -q }, upper: { kind: 'head', head_cm: hOut }, initialHead_cm: hOut }, { dtInitial_d: 1e-4 });
    expect(s.advanceTo(50)).toBe(ReturnCode.Success);
    const phiOut = mfp(hOut, -20000, soil);
    let worst = 0;
    for (let i = 0; i < grid.n; i += 5) {
      const r = grid.centers[i];
      const phi = phiOut - q * rIn * Math.log(rOut / r);
      const href = invert((h) => mfp(h, -20000, soil), phi, -20000, -1);
      worst = Math.max(worst, Math.abs(s.h_cm[i] - href));
    }
    const drop = Math.abs(s.h_cm[0] - hOut);
    console.log(`radial steady uptake: max |h − h_MFP| ${worst.toFixed(3)} cm over a ${drop.toFixed(0)} cm drop; balance ${s.balance().relativeError.toExponential(2)}`);
    expect(worst / drop).toBeLessThan(5e-3);
    expect(s.balance().relativeError).toBeLessThan(1e-9);
  });

  it('infiltration front of ponded loam travels at (K_s − K_i)/(θ_s − θ_i) (travelling wave) within 1 %', () => {
    const grid = uniformPlanarGrid(-200, 0, 400);
    const s = new Richards1D({ grid, soils: [SOILS.loam], lower: { kind: 'freeDrainage' }, upper: { kind: 'fluxLimitedByHead', flux_cm_per_d: 100, limitHead_cm: 0 }, initialHead_cm: -400 }, { maxDeltaTheta: 0.01 });
    const thetaI = waterContent(-400, SOILS.loam);
    const mid = 0.5 * (thetaI + SOILS.loam.thetaS);
    const front = () => {
      for (let i = grid.n - 1; i > 0; i--) if (s.theta[i - 1] < mid && s.theta[i] >= mid) {
        const w = (mid - s.theta[i - 1]) / (s.theta[i] - s.theta[i - 1]);
        return grid.centers[i - 1] + w * (grid.centers[i] - grid.centers[i - 1]);
      }
      return Number.NaN;
    };
    s.advanceTo(0.3);
    const z1 = front();
    s.advanceTo(0.6);
    const z2 = front();
    const speed = (z1 - z2) / 0.3;
    const exact = (SOILS.loam.Ks_cm_per_d - hydraulicConductivity(-400, SOILS.loam)) / (SOILS.loam.thetaS - thetaI);
    console.log(`front speed ${speed.toFixed(2)} cm/d vs travelling wave ${exact.toFixed(2)} cm/d (relative ${(Math.abs(speed - exact) / exact).toExponential(2)}); ponded: ${s.upperLimited}; balance ${s.balance().relativeError.toExponential(2)}`);
    expect(Math.abs(speed - exact) / exact).toBeLessThan(0.01);
    expect(s.upperLimited).toBe(true);
    expect(s.balance().relativeError).toBeLessThan(1e-10);
  });

  it('water balance with a layered profile, cell sinks and switching evaporation stays below 1e-10 relative', () => {
    const grid = planarGrid(Array.from({ length: 61 }, (_, k) => -60 + k), 1);
    const layer = Int32Array.from(grid.centers, (z) => (z < -30 ? 1 : 0));
    const sink = Float64Array.from(grid.centers, (z) => (z > -20 ? -0.002 : 0)); // root uptake, cm³ cm⁻³ d⁻¹
    const s = new Richards1D({
      grid,
      soils: [SOILS.loam, SOILS.clay],
      layerOfCell: layer,
      source_per_d: sink,
      lower: { kind: 'freeDrainage' },
      upper: { kind: 'fluxLimitedByHead', flux_cm_per_d: (t) => (t < 1 ? 2 : -0.4), limitHead_cm: (-10000) },
      initialHead_cm: -150,
    });
    expect(s.advanceTo(8)).toBe(ReturnCode.Success);
    const b = s.balance();
    console.log(`balance: ΔS ${b.storageChange_cm3.toFixed(4)} cm³, top ${b.upperInflow_cm3.toFixed(4)}, bottom ${b.lowerInflow_cm3.toFixed(4)}, sinks ${b.sourceVolume_cm3.toFixed(4)}; relative error ${b.relativeError.toExponential(2)}; surface limited: ${s.upperLimited}`);
    expect(b.relativeError).toBeLessThan(1e-10);
    expect(s.upperLimited).toBe(true);
  });

  it('rejects bad input with errors naming the key path', () => {
    const grid = uniformPlanarGrid(-10, 0, 5);
    const bad = () => new Richards1D({ grid, soils: [SOILS.loam], lower: { kind: 'noFlux' }, upper: { kind: 'freeDrainage' }, initialHead_cm: new Float64Array(3) });
    expect(bad).toThrow(InputErrors);
    try {
      bad();
    } catch (e) {
      const msgs = (e as InputErrors).errors.map((x) => x.message).join('\n');
      expect(msgs).toMatch(/upper\.kind: got "freeDrainage", expected freeDrainage only at the lower end/);
      expect(msgs).toMatch(/initialHead_cm: got 3, expected one head per cell \(5\)/);
    }
    expect(() => new Richards1D({ grid, soils: [{ ...SOILS.loam, n: 0.9 }], lower: { kind: 'noFlux' }, upper: { kind: 'noFlux' }, initialHead_cm: -1 })).toThrow(InputError);
  });
});
