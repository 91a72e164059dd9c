import { describe, expect, it } from 'vitest';
import { buildLandUse, buildSoil, pedonGrid, runPedon, uniformPedonGrid, PedonModel, NPOOL, type LandUse } from '../../src/pedon/index.js';
import { expm, loadCurve, multiPoolForward } from '../../src/profile/radiocarbon/index.js';
import { BandLowRankSolver } from '../../src/numerics/index.js';
import { denseSolve } from '../helpers/dense.js';

/**
 * Verification of the pedon model (docs/PEDON.md "Verification"): conservation, analytic steady
 * states, an independent dense assembly of the two-zone linear system (steady state by Gaussian
 * elimination, transient by the matrix exponential), and ¹⁴C against the SoilR-style matrix model
 * of the profile module. The references below are written from the equations, not from the code.
 */

const curve = loadCurve('Hua2022', 'NH1');
const F0 = 0.98; // a constant atmosphere A/A_std for the carbon-only checks


describe('numerics: band + low-rank (Woodbury) solve', () => {
  it('matches a dense solve of B + U·Vᵀ to 1e-13 relative', () => {
    const n = 30;
    const s = new BandLowRankSolver(n, 2, 2, 3);
    const dense = Array.from({ length: n }, () => new Array<number>(n).fill(0));
    for (let i = 0; i < n; i++) for (let j = Math.max(0, i - 2); j <= Math.min(n - 1, i + 2); j++) {
      const v = i === j ? 5 + i * 0.1 : Math.sin(i + 2 * j);
      s.band.matrix.set(i, j, v);
      dense[i][j] += v;
    }
    s.rank = 3;
    for (let k = 0; k < 3; k++) for (let i = 0; i < n; i++) {
      s.U[k * n + i] = Math.cos(i * (k + 1)) * 0.3;
      s.V[k * n + i] = Math.sin(i + k) * 0.2;
    }
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) for (let k = 0; k < 3; k++) dense[i][j] += s.U[k * n + i] * s.V[k * n + j];
    const b = Array.from({ length: n }, (_, i) => 1 + i);
    expect(s.factor()).toBe(true);
    const x = Float64Array.from(b);
    s.solve(x);
    const ref = denseSolve(dense, b);
    const err = Math.max(...ref.map((v, i) => Math.abs(x[i] - v) / Math.abs(v)));
    console.log(`Woodbury band + rank-3 vs dense: ${err.toExponential(2)}`);
    expect(err).toBeLessThan(1e-12);
  });
});

/** A land use with every process on: capacity-limited sorption, dilution in the MMZI, anecic link, tillage. */
function busyLandUse(name: string, overrides: Parameters<typeof buildLandUse>[1] = {}): LandUse {
  return buildLandUse('grassland', { name, anecic: { exchange_cm_per_yr: 0.5 }, zones: { mmzi: { dilutionHalfSaturation_gC_per_m3: 2 } }, ...overrides });
}

describe('pedon conservation', () => {
  it('carbon and ¹⁴C are conserved per step and over 1,000 years (1010–2010, three land uses, anecic link, capacity and dilution on) to ≤ 1e-10', async () => {
    const grid = uniformPedonGrid(200, 2);
    const t0 = performance.now();
    const r = await runPedon({
      grid,
      soil: buildSoil(grid),
      phases: [
        { fromYear: 1010, landUse: busyLandUse('grassland') },
        { fromYear: 1500, landUse: buildLandUse('cropland', { anecic: { exchange_cm_per_yr: 0.2 } }) },
        { fromYear: 1800, landUse: busyLandUse('woodland', { rootDistribution: { kind: 'beta', beta: 0.966 }, fBnpp: 0.3 }) },
      ],
      startYear: 1010,
      endYear: 2010,
      step_yr: 1,
      bombStep_yr: 0.25,
      curve,
      profileYears: [],
      spinUp: { method: 'direct' },
    });
    const b = r.balance;
    console.log(
      `1,000 years (${r.steps} steps, ${((performance.now() - t0) / 1000).toFixed(2)} s): carbon relative error ${b.carbon.relativeError.toExponential(2)} (worst step ${b.carbon.maxStepRelativeError.toExponential(2)}), ` +
        `¹⁴C ${b.c14.relativeError.toExponential(2)} (worst step ${b.c14.maxStepRelativeError.toExponential(2)}); inputs ${(b.carbon.inputs / 1e3).toFixed(1)} kg C m⁻², CO₂ ${(b.carbon.co2 / 1e3).toFixed(1)}, leaching ${b.carbon.leaching.toFixed(2)} g C m⁻²; anecic net down ${r.totals.boundaryAnecic.toFixed(1)} g C m⁻²`,
    );
    expect(b.carbon.relativeError).toBeLessThan(1e-10);
    expect(b.c14.relativeError).toBeLessThan(1e-10);
    expect(b.carbon.maxStepRelativeError).toBeLessThan(1e-12);
    expect(b.c14.maxStepRelativeError).toBeLessThan(1e-12);
    expect(r.totals.boundaryAnecic).not.toBe(0);
    expect(b.c14.decay).toBeGreaterThan(0);
  });
});

describe('pedon steady states', () => {
  it('linear one-layer case: stock = input × turnover, turnover from the analytic steady state of the four pools (≤ 1e-12)', () => {
    const grid = pedonGrid([0, 30]);
    const soil = buildSoil(grid, { sorptionCapacity: false });
    const lu = buildLandUse(undefined, {
      abovegroundLitter_gC_per_m2_yr: 80,
      abovegroundDocFraction: 0.25,
      litterSurfaceLossFraction: 0.5,
      rootInput_gC_per_m2_yr: 200,
      rootDistribution: { kind: 'beta', beta: 0.9 },
      leakFraction: 0.6,
      rootLitterFraction: 0.5,
      rhizodepositFraction: 0.3,
      rhizoMaocFraction: 0.2,
      temperature_C: 15,
      percolation_cm_per_yr: 25,
      boundary: { prescribed: [{ year: 0, depth_cm: 30 }] },
    });
    const m = new PedonModel(grid, soil, lu);
    m.steadyState(F0, { year: 0 });
    // Analytic: inputs to POC, DOC, MAOC; rates with f_bio = Q10^((T − T_ref)/10) on k_POC, k_U, k_M.
    const z = lu.zones.vzi; // one layer, entirely above z_b = 30 cm
    const fb = 2 ** ((15 - 10) / 10);
    const kP = z.kPoc_per_yr * fb, U = z.kUptake_per_yr * fb, c = z.cue, mD = z.kMicrobialDeath_per_yr * fb, f = z.necromassToMaocFraction, S = z.kSorption_per_yr, d = z.kDesorption_per_yr;
    const a = 25 / (0.3 * 30);
    const ag = 80 * 0.5;
    const bulkRoot = 200 * 0.4;
    const IP = ag * 0.75 + bulkRoot * 0.5, ID = ag * 0.25 + bulkRoot * 0.3, IM = bulkRoot * 0.2;
    const I = IP + ID + IM;
    const P = IP / kP;
    const D = I / (U * (1 - c) + a);
    const B = (c * U * D) / mD;
    const M = (IM + S * D + f * c * U * D) / d;
    const turnover = (P + D + B + M) / I;
    const got = [m.C[0], m.C[1], m.C[2], m.C[3]];
    const want = [P, M, D, B];
    const err = Math.max(...want.map((w, k) => Math.abs(got[k] - w) / w));
    const total = got.reduce((s, v) => s + v, 0);
    console.log(`one layer: turnover ${turnover.toFixed(4)} yr, stock ${total.toFixed(3)} = input ${I} × turnover; pools POC ${P.toFixed(3)}, MAOC ${M.toFixed(3)}, DOC ${D.toFixed(5)}, MIC ${B.toFixed(4)}; max pool error ${err.toExponential(2)}`);
    expect(err).toBeLessThan(1e-12);
    expect(Math.abs(total - I * turnover) / total).toBeLessThan(1e-12);
  });

  it('¹⁴C of the one-layer case against the SoilR-style compartment model (profile module): steady state ≤ 1e-10 ‰; through the bomb period to 2010 first-order in Δt', async () => {
    const grid = pedonGrid([0, 20]);
    const soil = buildSoil(grid, { sorptionCapacity: false });
    const lu = buildLandUse(undefined, { abovegroundLitter_gC_per_m2_yr: 0, rootInput_gC_per_m2_yr: 300, leakFraction: 0.75, rootLitterFraction: 0.7, rhizodepositFraction: 0.3, rhizoMaocFraction: 0, percolation_cm_per_yr: 0, boundary: { prescribed: [{ year: 0, depth_cm: 20 }] } });
    const z = lu.zones.vzi;
    // Compartment matrix (pools POC, MAOC, DOC, MIC), written from the equations of docs/PEDON.md.
    const A = [
      [-z.kPoc_per_yr, 0, 0, 0],
      [0, -z.kDesorption_per_yr, z.kSorption_per_yr, z.necromassToMaocFraction * z.kMicrobialDeath_per_yr],
      [z.kPoc_per_yr, z.kDesorption_per_yr, -(z.kUptake_per_yr + z.kSorption_per_yr), (1 - z.necromassToMaocFraction) * z.kMicrobialDeath_per_yr],
      [0, 0, z.cue * z.kUptake_per_yr, -z.kMicrobialDeath_per_yr],
    ];
    const inputs = [300 * 0.25 * 0.7, 0, 300 * 0.25 * 0.3, 0];
    const pre = multiPoolForward({ matrix_per_year: A, inputs_per_year: inputs }, curve, 1949);
    const exact = multiPoolForward({ matrix_per_year: A, inputs_per_year: inputs }, curve, 2010);
    const errs: number[] = [];
    let steadyErr = 0;
    for (const dt of [0.2, 0.1, 0.05]) {
      const r = await runPedon({ grid, soil, phases: [{ fromYear: 1900, landUse: lu }], startYear: 1900, endYear: 2010, step_yr: 1, bombStep_yr: dt, curve, profileYears: [], spinUp: { method: 'direct' } });
      if (dt === 0.2) {
        const mS = new PedonModel(grid, soil, lu);
        mS.steadyState(preBomb());
        steadyErr = Math.max(...[0, 1, 2, 3].map((p) => Math.abs(PedonModel.delta14C(mS.C[p], mS.R[p]) - pre.poolDelta14C_permil[p])));
      }
      let c = 0, rr = 0;
      for (let p = 0; p < NPOOL; p++) {
        c += r.model.C[p];
        rr += r.model.R[p];
      }
      errs.push(Math.abs(PedonModel.delta14C(c, rr) - exact.bulkDelta14C_permil));
    }
    const order = Math.log2(errs[1] / errs[2]);
    console.log(`one layer vs SoilR-form multi-pool: pre-bomb steady state ${steadyErr.toExponential(2)} ‰; bulk Δ14C in 2010 ${exact.bulkDelta14C_permil.toFixed(3)} ‰, pedon errors ${errs.map((e) => e.toExponential(2)).join(', ')} ‰ for Δt 0.2, 0.1, 0.05 yr (observed order ${order.toFixed(2)})`);
    expect(steadyErr).toBeLessThan(1e-10);
    expect(errs[1]).toBeLessThan(0.05); // Δt = 0.1 yr, the default bomb-era step
    expect(order).toBeGreaterThan(0.8);
    expect(order).toBeLessThan(1.3);
  });
});

/** The pre-bomb atmosphere of the curve as the run uses it (the curve at 1950.0). */
function preBomb(): number {
  const y = curve.years;
  let i = 0;
  while (y[i + 1] <= 1950) i++;
  const w = (1950 - y[i]) / (y[i + 1] - y[i]);
  return curve.absolute[i] + w * (curve.absolute[i + 1] - curve.absolute[i]);
}

describe('pedon two-zone case against an independent dense calculation', () => {
  // 10 layers of 10 cm, z_b prescribed at 35 cm (layer 3 half in each zone), linear (no capacity, no
  // dilution), bioturbation per zone, DOC advection, and the anecic link between 0–10 cm and 35–80 cm.
  const grid = uniformPedonGrid(100, 10);
  const soil = buildSoil(grid, { sorptionCapacity: false });
  const lu1 = buildLandUse('grassland', { name: 'one', boundary: { prescribed: [{ year: 0, depth_cm: 35 }] }, anecic: { exchange_cm_per_yr: 1, sourceDepth_cm: 10, maxDepth_cm: 80 }, belowBoundary: 'allow', zones: { vzi: { bioturbation_cm2_per_yr: 10 }, mmzi: { bioturbation_cm2_per_yr: 0.5 } } });
  const lu2 = { ...lu1, name: 'two', rootInput_gC_per_m2_yr: lu1.rootInput_gC_per_m2_yr * 0.5, abovegroundLitter_gC_per_m2_yr: lu1.abovegroundLitter_gC_per_m2_yr * 2 };

  /** The linear system dx/dt = A·x + b written from docs/PEDON.md (indices 4·layer + pool: POC, MAOC, DOC, MIC). */
  function reference(lu: LandUse): { A: number[][]; b: number[] } {
    const n = grid.n;
    const N = 4 * n;
    const A = Array.from({ length: N }, () => new Array<number>(N).fill(0));
    const b = new Array<number>(N).fill(0);
    const zb = 35;
    const V = lu.zones.vzi, W = lu.zones.mmzi;
    const h = 10;
    // Root fractions of β over 0–100 cm (normalised), 'allow': no reallocation.
    const beta = (lu.rootDistribution as { beta: number }).beta;
    const cum = (d: number) => 1 - beta ** d;
    for (let i = 0; i < n; i++) {
      const top = 10 * i;
      const phi = Math.min(1, Math.max(0, (zb - top) / h));
      const r = (k: keyof typeof V) => phi * V[k] + (1 - phi) * W[k];
      const POC = 4 * i, MAOC = 4 * i + 1, DOC = 4 * i + 2, MIC = 4 * i + 3;
      const kP = r('kPoc_per_yr') * lu.litterQuality, U = r('kUptake_per_yr'), c = r('cue'), m = r('kMicrobialDeath_per_yr'), f = r('necromassToMaocFraction'), S = r('kSorption_per_yr'), d = r('kDesorption_per_yr');
      const adv = lu.percolation_cm_per_yr / (0.3 * h);
      A[POC][POC] -= kP; A[DOC][POC] += kP;
      A[DOC][DOC] -= U + S + adv; A[MIC][DOC] += c * U; A[MAOC][DOC] += S;
      if (i + 1 < n) A[DOC + 4][DOC] += adv;
      A[MIC][MIC] -= m; A[MAOC][MIC] += f * m; A[DOC][MIC] += (1 - f) * m;
      A[MAOC][MAOC] -= d; A[DOC][MAOC] += d;
      const root = (lu.rootInput_gC_per_m2_yr * (cum(top + h) - cum(top))) / cum(100) * (1 - (lu.leakFraction as number));
      b[POC] += root * lu.rootLitterFraction;
      b[DOC] += root * lu.rhizodepositFraction;
      b[MAOC] += root * lu.rhizoMaocFraction;
    }
    const ag = lu.abovegroundLitter_gC_per_m2_yr * (1 - lu.litterSurfaceLossFraction);
    b[0] += ag * (1 - lu.abovegroundDocFraction);
    b[2] += ag * lu.abovegroundDocFraction;
    // Bioturbation between layer i and i+1: flux D·(c_i − c_{i+1})/h with c = X/h, D by the face's position relative to z_b.
    for (let i = 0; i + 1 < n; i++) {
      const midI = 10 * i + 5, midJ = midI + 10;
      const w = Math.min(1, Math.max(0, (zb - midI) / (midJ - midI)));
      const D = w * V.bioturbation_cm2_per_yr + (1 - w) * W.bioturbation_cm2_per_yr;
      for (const p of [0, 1, 3]) {
        const x = 4 * i + p, y = x + 4;
        const k = D / h / h;
        A[x][x] -= k; A[y][x] += k; A[y][y] -= k; A[x][y] += k;
      }
    }
    // Anecic exchange: volume v per year each way between the surface band [0, 10] and the burrow band [35, 80].
    const v = 1;
    const src = [0];
    const tgt: [number, number][] = [[3, 5], [4, 10], [5, 10], [6, 10], [7, 10]]; // layer, cm inside [35, 80]
    const LS = 10, LT = 45;
    for (const p of [0, 1, 3]) {
      for (const s of src) {
        const down = (v * 10) / LS / h; // X_s leaves at v·(ov_s/L_S)·X_s/h (the band's mean density × v)
        A[4 * s + p][4 * s + p] -= down;
        for (const [t, ov] of tgt) A[4 * t + p][4 * s + p] += down * (ov / LT);
      }
      for (const [t, ov] of tgt) {
        const up = (v * ov) / LT / h;
        A[4 * t + p][4 * t + p] -= up;
        for (const s of src) A[4 * s + p][4 * t + p] += up * (10 / LS);
      }
    }
    return { A, b };
  }

  it('steady state equals the dense Gaussian-elimination solution of −A·x = b (≤ 1e-10 per entry)', () => {
    const m = new PedonModel(grid, soil, lu1);
    m.steadyState(F0, { year: 0 });
    const { A, b } = reference(lu1);
    const x = denseSolve(A.map((r) => r.map((v) => -v)), b);
    const err = Math.max(...x.map((v, k) => Math.abs(m.C[k] - v) / Math.abs(v)));
    console.log(`two-zone steady state vs dense solve: max relative difference ${err.toExponential(2)} over ${x.length} pools; SOC VZI ${m.zoneDensities().vzi.toFixed(2)} vs MMZI ${m.zoneDensities().mmzi.toFixed(2)} g C m⁻² cm⁻¹`);
    expect(err).toBeLessThan(1e-10);
  });

  it('a land-use change: implicit Euler converges to the matrix-exponential solution at first order (50 years)', async () => {
    const { A: A1, b: b1 } = reference(lu1);
    const { A: A2, b: b2 } = reference(lu2);
    const N = b1.length;
    const x0 = denseSolve(A1.map((r) => r.map((v) => -v)), b1);
    const xInf = denseSolve(A2.map((r) => r.map((v) => -v)), b2);
    const T = 50;
    const X = new Float64Array(N * N);
    for (let i = 0; i < N; i++) for (let j = 0; j < N; j++) X[i * N + j] = A2[i][j] * T;
    const E = new Float64Array(N * N);
    expm(N, X, E);
    const exact = xInf.map((v, i) => v + E.subarray(i * N, (i + 1) * N).reduce((s, e, j) => s + e * (x0[j] - xInf[j]), 0));
    const errs: number[] = [];
    for (const dt of [1, 0.5, 0.25]) {
      // Spin-up under lu1 at year 0, lu2 from year 0 on (the phase list is sorted stably).
      const r = await runPedon({ grid, soil, phases: [{ fromYear: 0, landUse: lu1 }, { fromYear: 0, landUse: lu2 }], startYear: 0, endYear: T, step_yr: dt, bombStep_yr: dt, curve, profileYears: [], spinUp: { method: 'direct' } });
      errs.push(Math.max(...exact.map((v, k) => Math.abs(r.model.C[k] - v) / Math.abs(v))));
    }
    console.log(`two-zone transient after a land-use change, 50 yr: max relative error ${errs.map((e) => e.toExponential(2)).join(', ')} for Δt 1, 0.5, 0.25 yr (orders ${Math.log2(errs[0] / errs[1]).toFixed(2)}, ${Math.log2(errs[1] / errs[2]).toFixed(2)})`);
    expect(errs[2]).toBeLessThan(0.01);
    expect(Math.log2(errs[1] / errs[2])).toBeGreaterThan(0.8);
  });
});

