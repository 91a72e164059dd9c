import { describe, expect, it } from 'vitest';
import { osmoticHeadPerConcentration, SucroseSolver, type SucroseProblem } from '../../src/plant/carbon.js';
import { CARBON_PARAMS, paramDefaults } from '../../src/plant/plant-params.js';

const cp = paramDefaults(CARBON_PARAMS);

function chain(n: number, over: Partial<SucroseProblem> = {}): SucroseProblem {
  const z = () => new Float64Array(n);
  return {
    n,
    parent: Int32Array.from({ length: n }, (_, k) => k - 1),
    dt_d: 0.01,
    volume_cm3: new Float64Array(n).fill(1e-4),
    conductance_cm3_per_d_cm: new Float64Array(n).fill(1e-3),
    phi_cm: z(),
    osmoticHead_cm_per_molC_cm3: osmoticHeadPerConcentration(20),
    source_molC_per_d: z(),
    maintenancePotential_molC_per_d: z(),
    growthDemand_molC_per_d: z(),
    exudationCoef_cm3_per_d: z(),
    mucilageCoef_cm3_per_d: z(),
    soilConc_molC_per_cm3: z(),
    params: { ...cp, starchRate_per_d: 0, exudationThreshold_molC_per_cm3: 0 },
    ...over,
  };
}

describe('sieve-tube sucrose (004 Eqs 12–20), implicit on the tree', () => {
  it('van \'t Hoff: 0.4 mmol sucrose cm⁻³ at 20 °C is 0.975 MPa (99.4 m of water)', () => {
    const head = osmoticHeadPerConcentration(20) * 4.8e-3; // cm
    expect(Math.abs(head * 98.0665 - 0.4e-3 * 1e6 * 8.314 * 293.15)).toBeLessThan(1e-6 * head * 98.0665);
    expect(Math.abs(head / 100 - 99.4)).toBeLessThan(0.1);
  });

  it('steady Münch flow along a chain: C² is linear in position (the osmotic flux kβC̄ΔC is exact), to 1e-9', () => {
    // Source at the first node, sink (growth) at the last; many steps to steady state.
    const n = 21;
    const J = 1e-4; // mol C d⁻¹
    const pb = chain(n, {
      source_molC_per_d: Float64Array.from({ length: n }, (_, k) => (k === 0 ? J : 0)),
      exudationCoef_cm3_per_d: Float64Array.from({ length: n }, (_, k) => (k === n - 1 ? 0.05 : 0)),
      dt_d: 10,
    });
    const st = { sucrose_molC: new Float64Array(n).fill(4.8e-3 * 1e-4), starch_molC: new Float64Array(n) };
    const s = new SucroseSolver();
    for (let i = 0; i < 200; i++) s.step(pb, st);
    const c = Array.from(st.sucrose_molC, (a) => a / 1e-4);
    const k = 1e-3 * osmoticHeadPerConcentration(20);
    // Each link carries J: k·β·(C_p² − C_k²)/2 = J.
    let worst = 0;
    for (let i = 1; i < n; i++) worst = Math.max(worst, Math.abs((k * (c[i - 1] ** 2 - c[i] ** 2)) / 2 - J) / J);
    console.log(`steady Münch chain: link fluxes vs J, worst relative deviation ${worst.toExponential(2)}; C from ${c[0].toExponential(4)} to ${c[n - 1].toExponential(4)} mol C cm⁻³`);
    expect(worst).toBeLessThan(1e-9);
    // The sink takes J: exudation coefficient × C_last = J.
    expect(Math.abs((0.05 * c[n - 1]) / J - 1)).toBeLessThan(1e-9);
  });

  it('starch exchange of one node equals the backward-Euler closed form (Eq 18) to 1e-14', () => {
    const k = 20;
    const pb = chain(1, { params: { ...cp, starchRate_per_d: k }, dt_d: 0.05 });
    const V = 1e-4;
    const c0 = 6e-3;
    const st = { sucrose_molC: Float64Array.of(c0 * V), starch_molC: Float64Array.of(1e-6) };
    new SucroseSolver().step(pb, st);
    const expected = (c0 + 0.05 * k * cp.starchTarget_molC_per_cm3) / (1 + 0.05 * k);
    expect(Math.abs(st.sucrose_molC[0] / V - expected) / expected).toBeLessThan(1e-14);
    expect(Math.abs(st.starch_molC[0] - (1e-6 + (c0 - expected) * V))).toBeLessThan(1e-20);
  });

  it('exudation above the threshold: one node equals the backward-Euler closed form, and stops below it (Eqs 15–16 with C_thr)', () => {
    const V = 1e-4;
    const K = 0.05 * 0.1; // K_lat,st × S_tip, cm³ d⁻¹
    const thr = 4.8e-3;
    const cl = 5e-6;
    const dt = 0.05;
    const one = (c0: number) => {
      const pb = chain(1, { params: { ...cp, starchRate_per_d: 0, exudationThreshold_molC_per_cm3: thr }, dt_d: dt, exudationCoef_cm3_per_d: Float64Array.of(K), soilConc_molC_per_cm3: Float64Array.of(cl) });
      const st = { sucrose_molC: Float64Array.of(c0 * V), starch_molC: Float64Array.of(0) };
      const s = new SucroseSolver();
      s.step(pb, st);
      return { c: st.sucrose_molC[0] / V, exud: s.fluxes.exudation[0] };
    };
    // Above: V (C − C0)/dt = −K (C − C_thr − C_L) ⇒ C = (V C0/dt + K (C_thr + C_L))/(V/dt + K).
    const c0 = 8e-3;
    const expected = ((V * c0) / dt + K * (thr + cl)) / (V / dt + K);
    const a = one(c0);
    expect(Math.abs(a.c - expected) / expected).toBeLessThan(1e-13);
    expect(Math.abs(a.exud - dt * K * (expected - thr - cl)) / a.exud).toBeLessThan(1e-12);
    // Below the threshold nothing leaves.
    const b = one(4e-3);
    expect(Math.abs(b.exud)).toBe(0);
    expect(Math.abs(b.c - 4e-3)).toBeLessThan(1e-18);
  });

  it('a leaf node with mesophyll satisfies its two backward-Euler balances (loading law, starch towards C_targ,meso) to 1e-12', () => {
    const V = 2e-4;
    const Vm = 5e-3;
    const cap = 6e-4 * 2; // V_max,load × 2 cm of blade
    const A = 2e-3; // mol C d⁻¹ into the mesophyll
    const dt = 1 / 72;
    const p = { ...cp, exudationThreshold_molC_per_cm3: 0 };
    const pb = chain(1, {
      params: p, dt_d: dt, volume_cm3: Float64Array.of(V), source_molC_per_d: Float64Array.of(A), mesophyllVolume_cm3: Float64Array.of(Vm), loadingCapacity_molC_per_d: Float64Array.of(cap),
      maintenancePotential_molC_per_d: Float64Array.of(1e-4),
    });
    const c0 = 5e-3;
    const cm0 = 1e-3;
    const s0 = 2e-6;
    const st = { sucrose_molC: Float64Array.of(c0 * V), starch_molC: Float64Array.of(0), mesophyll_molC: Float64Array.of(cm0 * Vm), mesophyllStarch_molC: Float64Array.of(s0) };
    const s = new SucroseSolver();
    const stats = s.step(pb, st);
    const c = st.sucrose_molC[0] / V;
    const cm = st.mesophyll_molC[0] / Vm;
    // The balances written from the equations (not from the solver's coefficients):
    const F = (cap * cm) / (p.loadingHalfSaturation_molC_per_cm3 + cm) * Math.exp(-p.loadingFeedback_cm3_per_molC * c);
    const Sm = p.mesophyllStarchRate_per_d * Vm * (cm - p.mesophyllStarchTarget_molC_per_cm3);
    const Rm = (1e-4 * c) / (p.kmMaintenance_molC_per_cm3 + c);
    const S = p.starchRate_per_d * V * (c - p.starchTarget_molC_per_cm3); // sieve-tube starch (C above the target here)
    const resMeso = (Vm * (cm - cm0)) / dt - (A - F - Sm);
    const resSt = (V * (c - c0)) / dt - (F - Rm - S);
    console.log(`mesophyll node: C_st ${c.toExponential(4)}, C_meso ${cm.toExponential(4)}, loading ${F.toExponential(3)} mol C d⁻¹; residuals ${resMeso.toExponential(1)}, ${resSt.toExponential(1)} (Picard ${stats.picardIterations})`);
    expect(Math.abs(resMeso) / A).toBeLessThan(1e-12);
    expect(Math.abs(resSt) / A).toBeLessThan(1e-12);
    expect(Math.abs(s.fluxes.loading[0] / dt - F) / F).toBeLessThan(1e-12);
    expect(Math.abs(st.mesophyllStarch_molC[0] - (s0 + Sm * dt))).toBeLessThan(1e-18);
  });

  it("negative source (net A_n at night, photosynthesis code004) into an empty mesophyll: debt, no loading (004's max(0, C_meso)), budget closed", () => {
    const V = 2e-4;
    const Vm = 5e-3;
    const dt = 1 / 72;
    const A = -1e-4; // mol C d⁻¹: −R_d
    const pb = chain(1, { dt_d: dt, volume_cm3: Float64Array.of(V), source_molC_per_d: Float64Array.of(A), mesophyllVolume_cm3: Float64Array.of(Vm), loadingCapacity_molC_per_d: Float64Array.of(1.2e-3) });
    const qm0 = 1e-7; // less than the night's −A dt: the mesophyll runs dry within the step
    const st = { sucrose_molC: Float64Array.of(5e-3 * V), starch_molC: Float64Array.of(0), mesophyll_molC: Float64Array.of(qm0), mesophyllStarch_molC: Float64Array.of(0) };
    const total0 = st.sucrose_molC[0] + st.mesophyll_molC[0];
    const s = new SucroseSolver();
    s.step(pb, st);
    const total1 = st.sucrose_molC[0] + st.starch_molC[0] + st.mesophyll_molC[0] + st.mesophyllStarch_molC[0];
    const f = s.fluxes;
    const err = Math.abs(total1 - total0 - A * dt + f.maintenance[0] + f.growthUptake[0] + f.exudation[0] + f.mucilage[0]) / Math.abs(A * dt);
    console.log(`mesophyll debt: Q_meso ${qm0.toExponential(2)} → ${st.mesophyll_molC[0].toExponential(4)} mol C (qm0 + A dt = ${(qm0 + A * dt).toExponential(4)}), loading ${s.fluxes.loading[0]}, budget error ${err.toExponential(1)}`);
    expect(Math.abs(s.fluxes.loading[0])).toBe(0);
    expect(Math.abs(st.mesophyll_molC[0] - (qm0 + A * dt)) / Math.abs(qm0 + A * dt)).toBeLessThan(1e-12);
    expect(err).toBeLessThan(1e-12);
  });

  it('a random branched network with every sink and source closes the carbon budget to 1e-11 relative (round-off of the tree solve; the model requires 1e-9)', () => {
    const n = 200;
    let seed = 11;
    const rnd = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    const parent = Int32Array.from({ length: n }, (_, k) => (k === 0 ? -1 : Math.floor(rnd() * k)));
    const f = (g: () => number) => Float64Array.from({ length: n }, g);
    const pb = chain(n, {
      parent,
      volume_cm3: f(() => (rnd() < 0.05 ? 0 : 1e-5 + 1e-4 * rnd())),
      conductance_cm3_per_d_cm: f(() => 1e-4 + 1e-2 * rnd()),
      phi_cm: f(() => -5000 * rnd()),
      source_molC_per_d: f(() => (rnd() < 0.1 ? 1e-4 * rnd() : 0)),
      maintenancePotential_molC_per_d: f(() => 1e-6 * rnd()),
      growthDemand_molC_per_d: f(() => (rnd() < 0.2 ? 1e-5 * rnd() : 0)),
      exudationCoef_cm3_per_d: f(() => (rnd() < 0.2 ? 1e-2 * rnd() : 0)),
      mucilageCoef_cm3_per_d: f(() => (rnd() < 0.2 ? 0.1 * rnd() : 0)),
      soilConc_molC_per_cm3: f(() => 1e-5 * rnd()),
      // A tenth of the nodes have a leaf mesophyll (their source enters it) with active loading.
      mesophyllVolume_cm3: f(() => (rnd() < 0.1 ? 1e-2 * rnd() : 0)),
      loadingCapacity_molC_per_d: f(() => 1e-3 * rnd()),
      params: cp,
      dt_d: 1 / 72,
    });
    const st = { sucrose_molC: f(() => 5e-3 * 1e-4 * rnd()), starch_molC: f(() => 1e-7 * rnd()), mesophyll_molC: f(() => 1e-6 * rnd()), mesophyllStarch_molC: f(() => 1e-6 * rnd()) };
    const total = () => [st.sucrose_molC, st.starch_molC, st.mesophyll_molC, st.mesophyllStarch_molC].reduce((a, v) => a + v.reduce((x, y) => x + y, 0), 0);
    const s = new SucroseSolver();
    let worst = 0;
    let worstPicard = 0;
    for (let i = 0; i < 50; i++) {
      const before = total();
      const stats = s.step(pb, st);
      expect(stats.linearSolveOk).toBe(true);
      worstPicard = Math.max(worstPicard, stats.picardChange);
      const after = total();
      const fl = s.fluxes;
      let src = 0, out = 0, thr = 0;
      for (let k = 0; k < n; k++) {
        src += pb.source_molC_per_d[k] * pb.dt_d;
        out += fl.maintenance[k] + fl.growthUptake[k] + fl.exudation[k] + fl.mucilage[k];
        thr += fl.maintenance[k] + fl.growthUptake[k] + Math.abs(fl.exudation[k]) + fl.mucilage[k];
      }
      worst = Math.max(worst, Math.abs(src - out - (after - before)) / (src + thr));
      for (let k = 0; k < n; k++) {
        expect(st.sucrose_molC[k]).toBeGreaterThanOrEqual(0);
        expect(st.starch_molC[k]).toBeGreaterThanOrEqual(-1e-22);
        expect(st.mesophyll_molC[k]).toBeGreaterThanOrEqual(0);
        expect(st.mesophyllStarch_molC[k]).toBeGreaterThanOrEqual(-1e-22);
      }
    }
    console.log(`random network with mesophylls, 50 steps: worst step budget error ${worst.toExponential(2)} (relative to throughput), worst last Picard change ${worstPicard.toExponential(1)}`);
    expect(worst).toBeLessThan(1e-11);
    expect(worstPicard).toBeLessThan(1e-9);
  });
});
