import { describe, expect, it } from 'vitest';
import {
  CARBON_VARS,
  DEFAULT_RHIZOSPHERE_CONSTANTS as C,
  NV,
  V,
  activitySwitch,
  cellReactions,
  deactivationWaterFactor,
  namedSet,
  randomSet,
  reactivationWaterFactor,
  waterAccessFactor,
  waterFactors,
  type BiokineticParams,
} from '../../src/rhizosphere/index.js';
import { ReturnCode, Rodas4, integrateRk4Fixed, type OdeProblem } from '../../src/numerics/index.js';

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (1664525 * s + 1013904223) >>> 0), s / 2 ** 32);
}

/**
 * Independent transcription of 004 App. D (Eqs D1–D32) and Eq 24, written from the paper and
 * RHIZOSPHERE.md without looking at src/rhizosphere/kinetics.ts' arithmetic: per-water
 * concentrations in, d/dt of the nine per-soil amounts out.
 */
function referenceRates(s: { theta: number; psi: number; CL: number; CH: number; Ls: number; Oa: number; Od: number; Ca: number; Cd: number }, p: BiokineticParams) {
  const hPa = (cm: number) => cm / 1.019716;
  const psi = hPa(s.psi); // negative, hPa
  const opt = -30, th = -158000;
  const fA = psi > opt ? 1 : psi < th ? 0 : 1 - Math.pow(Math.log10(psi / opt) / Math.log10(th / opt), 1.47); // D10
  const A2D = 4600, tau = 0.39, om = 3.38;
  const fA2D = 1 / (1 + Math.pow(A2D / Math.abs(psi), om)); // D29 (magnitudes)
  const fD2A = 1 / (1 + Math.pow(Math.abs(psi) / (tau * A2D), om)); // D30
  const lim = 1e-10;
  const OaBar = Math.max(0, s.Oa - lim), CaBar = Math.max(0, s.Ca - lim); // D16, D17
  const monod = (max: number, k: number) => (max * s.CL * k) / (max + s.CL * k);
  const gO = fA * monod(p.muMaxO_per_d, p.kO_cm3_per_molC_d) * Math.max(s.Oa, lim); // D8
  const gC = fA * monod(p.muMaxC_per_d, p.kC_cm3_per_molC_d) * Math.max(s.Ca, lim); // D9
  const sGrowthL = gO / p.YO + gC / p.YC; // D7
  const uOa = fA * monod(p.kmaxO_per_d, p.kO_cm3_per_molC_d) * OaBar; // D19
  const uOd = fA * monod(p.kmaxO_per_d, p.kO_cm3_per_molC_d) * p.betaO * s.Od; // D20
  const uCa = fA * monod(p.kmaxC_per_d, p.kC_cm3_per_molC_d) * CaBar; // D21
  const uCd = fA * monod(p.kmaxC_per_d, p.kC_cm3_per_molC_d) * p.betaC * s.Cd; // D22
  const sUptake = uOa + uOd + uCa + uCd; // D18
  const mOa = p.kmaxO_per_d * OaBar - uOa; // D12
  const mOd = p.kmaxO_per_d * p.betaO * s.Od - uOd; // D13
  const mCa = p.kmaxC_per_d * CaBar - uCa; // D14
  const mCd = p.kmaxC_per_d * p.betaC * s.Cd - uCd; // D15
  const sDecay = mOa + mOd + mCa + mCd; // D11
  const phi = (thr: number) => 1 / (Math.exp((thr - s.CL) / (0.1 * thr)) + 1); // D27, D28
  const phiO = phi(p.CthresO_molC_per_cm3_water), phiC = phi(p.CthresC_molC_per_cm3_water);
  const dO = Math.max(1 - phiO, fA2D) * p.kdO_per_d * OaBar; // D23
  const dC = Math.max(1 - phiC, fA2D) * p.kdC_per_d * CaBar; // D24
  const rO = Math.min(phiO, fD2A) * p.krO_per_d * s.Od; // D25
  const rC = Math.min(phiC, fD2A) * p.krC_per_d * s.Cd; // D26
  const depoly = fA * p.vMaxDepoly_per_d * (s.CH / (p.KL_molC_per_cm3_water + s.CH)) * OaBar; // D31
  const sorb = 23265.14 * s.CL * ((1.51 * 0.079 * 0.45) / 12.011 - s.Ls) - 4.47 * s.Ls; // Eq 24
  return {
    L: depoly + (1 - p.pL) * sDecay - sGrowthL - sUptake - sorb, // D1 + S_ads
    H: -depoly + p.pL * sDecay, // D2
    Ls: sorb,
    Oa: gO - dO + rO - mOa / p.YM, // D3
    Od: dO - rO - mOd / p.YM, // D4
    Ca: gC - dC + rC - mCa / p.YM, // D5
    Cd: dC - rC - mCd / p.YM, // D6
    CO2: ((1 - p.YO) / p.YO) * gO + ((1 - p.YC) / p.YC) * gC + ((1 - p.YM) / p.YM) * sDecay + sUptake, // D32
  };
}

function randomState(r: () => number) {
  const theta = 0.1 + 0.3 * r();
  const psi = -Math.pow(10, 0.5 + 5.5 * r()); // −3 cm … −1e6 cm
  const logU = (lo: number, hi: number) => Math.pow(10, lo + (hi - lo) * r());
  return { theta, psi, CL: logU(-9, -3), CH: logU(-6, -2), Ls: logU(-6, -2.5), Oa: logU(-11, -4), Od: logU(-8, -4), Ca: logU(-11, -4), Cd: logU(-8, -4) };
}

describe('TraiRhizo microbial kinetics (004 App. D)', () => {
  it('cellReactions equals an independent transcription of Eqs D1–D32 and Eq 24 (1e-9 relative) for 3 sets × 2000 random states', () => {
    const r = rng(42);
    let worst = 0;
    const dy = new Float64Array(NV);
    const y = new Float64Array(NV);
    for (const name of ['highCO2', 'highMB', 'lowMUptake'] as const) {
      const p = namedSet(name);
      for (let k = 0; k < 2000; k++) {
        const s = randomState(r);
        y[V.theta] = s.theta;
        y[V.L] = s.CL * s.theta;
        y[V.H] = s.CH * s.theta;
        y[V.Ls] = s.Ls;
        y[V.Oa] = s.Oa;
        y[V.Od] = s.Od;
        y[V.Ca] = s.Ca;
        y[V.Cd] = s.Cd;
        y[V.CO2] = 0;
        dy.fill(0);
        cellReactions(s.theta, waterFactors(s.psi, C, { waterLimitation: true }, { fA: 0, fA2D: 0, fD2A: 0 }), y, 0, p, C, dy);
        const ref = referenceRates(s, p);
        const scale = Object.values(ref).reduce((m, v) => Math.max(m, Math.abs(v)), 0);
        for (const [key, v] of Object.entries(ref)) {
          const ours = dy[V[key as keyof typeof V]];
          const rel = Math.abs(ours - v) / scale;
          worst = Math.max(worst, rel);
        }
      }
    }
    console.log(`max difference to the independent transcription, relative to the largest rate: ${worst.toExponential(2)}`);
    expect(worst).toBeLessThan(1e-9);
  });

  it('the eight carbon rates sum to zero (carbon conserved by the reactions) for all 99 sets, to 1e-14 of the largest rate', () => {
    const r = rng(7);
    let worst = 0;
    const dy = new Float64Array(NV);
    const y = new Float64Array(NV);
    for (let row = 0; row < 99; row++) {
      const p = randomSet(row);
      for (let k = 0; k < 200; k++) {
        const s = randomState(r);
        Object.assign(y, [s.theta, s.CL * s.theta, s.CH * s.theta, s.Ls, s.Oa, s.Od, s.Ca, s.Cd, 0]);
        dy.fill(0);
        cellReactions(s.theta, waterFactors(s.psi, C, { waterLimitation: true }, { fA: 0, fA2D: 0, fD2A: 0 }), y, 0, p, C, dy);
        let sum = 0, big = 0;
        for (const v of CARBON_VARS) {
          sum += dy[v];
          big = Math.max(big, Math.abs(dy[v]));
        }
        worst = Math.max(worst, Math.abs(sum) / big);
      }
    }
    console.log(`worst |Σ carbon rates| / max |rate|: ${worst.toExponential(2)}`);
    expect(worst).toBeLessThan(1e-14);
  });

  it('water functions hit their defining points: f_A(ψ_opt) = 1, f_A(ψ_th) = 0, f_A2D(ψ_A2D) = ½, f_D2A(τψ_A2D) = ½, φ(C_thres) = ½', () => {
    expect(waterAccessFactor(C.psiOpt_cm, C)).toBe(1);
    expect(waterAccessFactor(C.psiTh_cm * (1 - 1e-12), C)).toBeCloseTo(0, 10);
    expect(waterAccessFactor(-1e9, C)).toBe(0);
    expect(waterAccessFactor(-10, C)).toBe(1);
    expect(deactivationWaterFactor(-C.psiA2D_cm, C)).toBeCloseTo(0.5, 14);
    expect(reactivationWaterFactor(-C.tau * C.psiA2D_cm, C)).toBeCloseTo(0.5, 14);
    expect(activitySwitch(1e-5, 1e-5, 0.1)).toBe(0.5);
    // Monotone: drier → less access, more deactivation, less reactivation.
    expect(waterAccessFactor(-1000, C)).toBeLessThan(waterAccessFactor(-100, C));
    expect(deactivationWaterFactor(-1e4, C)).toBeGreaterThan(deactivationWaterFactor(-1e3, C));
    expect(reactivationWaterFactor(-1e4, C)).toBeLessThan(reactivationWaterFactor(-1e3, C));
  });
});

/** A well-mixed cell at fixed θ and ψ: the eight carbon pools only. */
function wellMixed(p: BiokineticParams, theta: number, psi_cm: number): OdeProblem {
  const y9 = new Float64Array(NV);
  const d9 = new Float64Array(NV);
  const wf = waterFactors(psi_cm, C, { waterLimitation: true }, { fA: 0, fA2D: 0, fD2A: 0 });
  return {
    n: 8,
    rhs(_t, y, dy) {
      y9[0] = theta;
      for (let k = 0; k < 8; k++) y9[k + 1] = y[k];
      d9.fill(0);
      cellReactions(theta, wf, y9, 0, p, C, d9);
      for (let k = 0; k < 8; k++) dy[k] = d9[k + 1];
    },
  };
}

describe('well-mixed cell: RODAS4 against an independent integration (classical RK4, fixed steps of 1e-4 or 2.5e-5 d)', () => {
  for (const name of ['highCO2', 'highMB', 'lowMUptake'] as const) {
    // RK4 loses order at the non-smooth switches (max/min of Eqs D16–D26); where they are crossed
    // (dry case) its own error at 1e-4 d is ~5e-7, so the reference there uses 2.5e-5 d.
    for (const [label, theta, psi, CL0, rk4Steps] of [
      ['wet, 20× initial C_L', 0.3, -100, 1e-4, 100_000],
      ['dry (−5000 cm), initial C_L', 0.15, -5000, 5e-6, 400_000],
    ] as const) {
      it(`${name}, ${label}: every pool within 1e-6 relative after 10 days, total C conserved to 1e-12`, () => {
        const p = namedSet(name);
        const problem = wellMixed(p, theta, psi);
        const y0 = new Float64Array([theta * CL0, theta * p.CHinit_molC_per_cm3_water, 1e-3, C.COaInit_molC_per_cm3_soil, C.COdInit_molC_per_cm3_soil, C.CCaInit_molC_per_cm3_soil, C.CCdInit_molC_per_cm3_soil, 0]);
        const total0 = y0.reduce((a, b) => a + b, 0);
        const a = Float64Array.from(y0);
        const code = new Rodas4(problem).integrate(problem, 0, 10, a, { rtol: 1e-10, atol: 1e-18 });
        expect(code).toBe(ReturnCode.Success);
        const b = Float64Array.from(y0);
        integrateRk4Fixed(problem, 0, 10, b, rk4Steps);
        let worst = 0;
        for (let k = 0; k < 8; k++) worst = Math.max(worst, Math.abs(a[k] - b[k]) / Math.max(Math.abs(b[k]), 1e-14));
        const drift = Math.abs(a.reduce((x, y) => x + y, 0) - total0) / total0;
        console.log(`${name} ${label}: max relative difference RODAS4 vs RK4 ${worst.toExponential(2)}; carbon drift ${drift.toExponential(2)}`);
        expect(worst).toBeLessThan(1e-6);
        expect(drift).toBeLessThan(1e-12);
      });
    }
  }
});
