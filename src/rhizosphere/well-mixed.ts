import { denseLuFactor, denseLuSolve } from '../numerics/linalg/dense.js';
import { RODAS4_COEFFICIENTS as R, gustafssonFactor, rodas4InitialStep } from '../numerics/ode/rodas4.js';
import { ReturnCode, newOdeStats, type OdeStats } from '../numerics/ode/types.js';
import { headFromThetaExtended } from '../soil/mol-transport.js';
import type { VanGenuchtenMualem } from '../soil/van-genuchten.js';
import { NV, V, addCellMicrobialRates, cellReactions, cellReactionsJacobian, waterFactors, type KineticsOptions, type MicrobialRateTotals, type WaterFactors } from './kinetics.js';
import { DEFAULT_RHIZOSPHERE_CONSTANTS, type BiokineticParams, type RhizosphereConstants } from './parameters.js';

/** Carbon unknowns of a well-mixed cell: V.L … V.CO2 (θ is held over a reaction step). */
const NC = NV - 1;

export interface WellMixedOptions {
  readonly soil: VanGenuchtenMualem;
  readonly params: BiokineticParams;
  readonly constants?: RhizosphereConstants;
  /** Water limitation of the kinetics (f_A, f_A2D, f_D2A of 004 Eqs D10, D29, D30), default true. */
  readonly waterLimitation?: boolean;
  /** S_s for h(θ) above saturation, cm⁻¹ (as the perirhizal models), default 1e-4. */
  readonly specificStorage_per_cm?: number;
  /** RODAS4 tolerances (defaults those of the perirhizal models: rtol 1e-6, atol 1e-14 mol C cm⁻³). */
  readonly rtol?: number;
  readonly atolCarbon_molC_per_cm3?: number;
  readonly maxStepsPerAdvance?: number;
}

/** Saved step-size proposals of {@link WellMixedCells} (the pools themselves live with the caller). */
export interface WellMixedState {
  readonly kind: 'well-mixed';
  readonly hNext_d: Float64Array;
}

/**
 * The TraiRhizo kinetics (004 App. D, Eqs D1–D32, kinetic sorption Eq 24) of many well-mixed
 * cells at fixed water content — the voxels without roots of the macroscale soil. Each cell's 8
 * carbon pools are integrated with its own adaptive RODAS4 (Hairer & Wanner 1996, Sec. IV.7; the
 * coefficients and step controller of {@link Rodas4}) using the analytic reaction Jacobian
 * ({@link cellReactionsJacobian}) and an 8×8 dense LU with partial pivoting ({@link denseLuFactor}).
 * It replaces 1-cell perirhizal domains (10 unknowns, band LU of the full band, a finite-difference
 * θ column) and gives the same results within the integration tolerance (test).
 *
 * Carbon: the eight rates sum to zero for any state and J has zero column sums, so every stage
 * k_i sums to zero and each cell conserves carbon to round-off.
 *
 * Works in place on a caller's pool array (9 amounts per cm³ soil per cell, layout {@link V});
 * all work arrays are allocated once, nothing per step.
 */
export class WellMixedCells {
  readonly nCells: number;
  readonly stats: OdeStats = newOdeStats();
  /** Step-size proposal per cell, d (warm start of the next advance). */
  readonly hNext_d: Float64Array;
  /** Per cell: θ the water factors were computed at, and f_A, f_A2D, f_D2A (reused while θ is unchanged). */
  private readonly factorTheta: Float64Array;
  private readonly factors: Float64Array;
  private readonly soil: VanGenuchtenMualem;
  private readonly params: BiokineticParams;
  private readonly constants: RhizosphereConstants;
  private readonly kinetics: KineticsOptions;
  private readonly specificStorage: number;
  private readonly rtol: number;
  private readonly atol: number;
  private readonly maxSteps: number;
  private readonly wf: WaterFactors = { fA: 1, fA2D: 0, fD2A: 1 };
  private readonly y = new Float64Array(NV);
  private readonly f0 = new Float64Array(NV);
  private readonly fTmp = new Float64Array(NV);
  private readonly yTmp = new Float64Array(NV);
  private readonly yNew = new Float64Array(NV);
  private readonly k1 = new Float64Array(NV);
  private readonly k2 = new Float64Array(NV);
  private readonly k3 = new Float64Array(NV);
  private readonly k4 = new Float64Array(NV);
  private readonly k5 = new Float64Array(NV);
  private readonly k6 = new Float64Array(NV);
  private readonly jac = new Float64Array(NC * NC);
  private readonly E = new Float64Array(NC * NC);
  private readonly piv = new Int32Array(NC);
  private readonly put: (row: number, col: number, value: number) => void;

  constructor(nCells: number, o: WellMixedOptions) {
    this.nCells = nCells;
    this.hNext_d = new Float64Array(nCells);
    this.factorTheta = new Float64Array(nCells).fill(Number.NaN);
    this.factors = new Float64Array(3 * nCells);
    this.soil = o.soil;
    this.params = o.params;
    this.constants = o.constants ?? DEFAULT_RHIZOSPHERE_CONSTANTS;
    this.kinetics = { waterLimitation: o.waterLimitation ?? true };
    this.specificStorage = o.specificStorage_per_cm ?? 1e-4;
    this.rtol = o.rtol ?? 1e-6;
    this.atol = o.atolCarbon_molC_per_cm3 ?? 1e-14;
    this.maxSteps = o.maxStepsPerAdvance ?? 200_000;
    const jac = this.jac;
    this.put = (row, col, value) => {
      jac[(row - 1) * NC + col - 1] += value;
    };
  }

  /**
   * Advance the cells `only[q]` of `pools` (n·9 amounts per cm³ soil, θ held) by dt_d. Returns
   * Success or the first failure code (that cell keeps its last accepted state).
   */
  advance(pools: Float64Array, dt_d: number, only: ArrayLike<number>): ReturnCode {
    let code = ReturnCode.Success;
    for (let q = 0; q < only.length; q++) {
      const c = only[q];
      const y = this.y;
      for (let v = 0; v < NV; v++) y[v] = pools[c * NV + v];
      const r = this.integrateCell(dt_d, c);
      for (let v = 1; v < NV; v++) pools[c * NV + v] = y[v];
      if (r !== ReturnCode.Success && code === ReturnCode.Success) code = r;
    }
    return code;
  }

  /**
   * Add Σ volume·(gross growth, CO₂ production) of the cells `only[q]` at their current amounts in
   * `pools` to `out` (mol C d⁻¹; water factors at each cell's θ as in {@link advance}). Diagnostic.
   */
  addMicrobialRates(pools: Float64Array, only: ArrayLike<number>, volume_cm3: ArrayLike<number>, out: MicrobialRateTotals): MicrobialRateTotals {
    const wf: WaterFactors = { fA: 1, fA2D: 0, fD2A: 1 };
    for (let q = 0; q < only.length; q++) {
      const c = only[q];
      const theta = pools[c * NV + V.theta];
      if (!(theta > this.soil.thetaR)) continue;
      waterFactors(headFromThetaExtended(theta, this.soil, this.specificStorage), this.constants, this.kinetics, wf);
      addCellMicrobialRates(theta, wf, pools, c * NV, this.params, this.constants, volume_cm3[c], out);
    }
    return out;
  }

  saveState(): WellMixedState {
    return { kind: 'well-mixed', hNext_d: this.hNext_d.slice() };
  }

  restoreState(s: WellMixedState): void {
    this.hNext_d.set(s.hNext_d);
  }

  private rhs(y: Float64Array, out: Float64Array): void {
    for (let v = 1; v < NV; v++) out[v] = 0;
    cellReactions(y[V.theta], this.wf, y, 0, this.params, this.constants, out);
  }

  /** Give up on a cell: keep the step proposal, return why. */
  private stop(cell: number, h: number, code: ReturnCode): ReturnCode {
    this.hNext_d[cell] = h;
    return code;
  }

  private admissible(y: Float64Array): boolean {
    for (let v = 1; v < NV; v++) if (y[v] < -this.atol) return false;
    return true;
  }

  private norm(k: Float64Array, y: Float64Array, yNew: Float64Array): number {
    let sum = 0;
    for (let v = 1; v < NV; v++) {
      const e = k[v] / (this.atol + this.rtol * Math.max(Math.abs(y[v]), Math.abs(yNew[v])));
      sum += e * e;
    }
    return Math.sqrt(sum / NC);
  }

  /** One cell's RODAS4 over [0, span] on this.y (the controller of {@link Rodas4.integrate}, autonomous case). */
  private integrateCell(span: number, cell: number): ReturnCode {
    const { y, f0, fTmp, yTmp, yNew, k1, k2, k3, k4, k5, k6, jac, E, piv, stats } = this;
    const theta = y[V.theta];
    if (!(theta > this.soil.thetaR)) return ReturnCode.Inadmissible;
    const wf = this.wf;
    const fc = this.factors;
    if (theta !== this.factorTheta[cell]) {
      waterFactors(headFromThetaExtended(theta, this.soil, this.specificStorage), this.constants, this.kinetics, wf);
      fc[3 * cell] = wf.fA;
      fc[3 * cell + 1] = wf.fA2D;
      fc[3 * cell + 2] = wf.fD2A;
      this.factorTheta[cell] = theta;
    } else {
      wf.fA = fc[3 * cell];
      wf.fA2D = fc[3 * cell + 1];
      wf.fD2A = fc[3 * cell + 2];
    }
    this.rhs(y, f0);
    stats.rhsEvaluations++;
    for (let v = 1; v < NV; v++) if (!Number.isFinite(f0[v])) return ReturnCode.Unstable;
    let h = this.hNext_d[cell] > 0 ? this.hNext_d[cell] : rodas4InitialStep(y, f0, 1, NC, this.rtol, null, this.atol, span);
    if (!(h > 0) || !Number.isFinite(h)) h = 1e-6 * span;
    let t = 0;
    let jacobianCurrent = false;
    let attempts = 0;
    let rejectedLast = false;
    let firstStep = true;
    let hAcc = 0;
    let errAcc = 0;
    let failures = 0;
    while (t < span) {
      if (attempts++ >= this.maxSteps) return this.stop(cell, h, ReturnCode.MaxIters);
      stats.steps++;
      const hMin = 10 * Number.EPSILON * Math.abs(t);
      let hs = h;
      const last = t + hs >= span - 1e-12 * span || t + 1.01 * hs >= span;
      if (last) hs = span - t;
      if (hs < hMin && !last) return this.stop(cell, h, ReturnCode.DtLessThanMin);
      if (!jacobianCurrent) {
        jac.fill(0);
        cellReactionsJacobian(theta, this.wf, y, 0, this.params, this.constants, this.put);
        stats.jacobianEvaluations++;
        jacobianCurrent = true;
      }
      // E = I/(γh) − J
      const d = 1 / (R.GAMMA * hs);
      for (let i = 0; i < NC * NC; i++) E[i] = -jac[i];
      for (let i = 0; i < NC; i++) E[i * NC + i] += d;
      stats.factorizations++;
      if (!denseLuFactor(E, NC, piv)) {
        stats.rejected++;
        if (++failures > 20) return this.stop(cell, h, ReturnCode.SingularMatrix);
        h = hs * 0.25;
        rejectedLast = true;
        continue;
      }
      const hi = 1 / hs;
      for (let v = 1; v < NV; v++) k1[v] = f0[v];
      denseLuSolve(E, NC, piv, k1, 0, 0, 1);
      for (let v = 1; v < NV; v++) yTmp[v] = y[v] + R.A21 * k1[v];
      yTmp[V.theta] = theta;
      this.rhs(yTmp, fTmp);
      for (let v = 1; v < NV; v++) k2[v] = fTmp[v] + R.C21 * k1[v] * hi;
      denseLuSolve(E, NC, piv, k2, 0, 0, 1);
      for (let v = 1; v < NV; v++) yTmp[v] = y[v] + R.A31 * k1[v] + R.A32 * k2[v];
      this.rhs(yTmp, fTmp);
      for (let v = 1; v < NV; v++) k3[v] = fTmp[v] + (R.C31 * k1[v] + R.C32 * k2[v]) * hi;
      denseLuSolve(E, NC, piv, k3, 0, 0, 1);
      for (let v = 1; v < NV; v++) yTmp[v] = y[v] + R.A41 * k1[v] + R.A42 * k2[v] + R.A43 * k3[v];
      this.rhs(yTmp, fTmp);
      for (let v = 1; v < NV; v++) k4[v] = fTmp[v] + (R.C41 * k1[v] + R.C42 * k2[v] + R.C43 * k3[v]) * hi;
      denseLuSolve(E, NC, piv, k4, 0, 0, 1);
      for (let v = 1; v < NV; v++) yTmp[v] = y[v] + R.A51 * k1[v] + R.A52 * k2[v] + R.A53 * k3[v] + R.A54 * k4[v];
      this.rhs(yTmp, fTmp);
      for (let v = 1; v < NV; v++) k5[v] = fTmp[v] + (R.C51 * k1[v] + R.C52 * k2[v] + R.C53 * k3[v] + R.C54 * k4[v]) * hi;
      denseLuSolve(E, NC, piv, k5, 0, 0, 1);
      for (let v = 1; v < NV; v++) yTmp[v] += k5[v];
      this.rhs(yTmp, fTmp);
      for (let v = 1; v < NV; v++) k6[v] = fTmp[v] + (R.C61 * k1[v] + R.C62 * k2[v] + R.C63 * k3[v] + R.C64 * k4[v] + R.C65 * k5[v]) * hi;
      denseLuSolve(E, NC, piv, k6, 0, 0, 1);
      stats.rhsEvaluations += 5;
      stats.linearSolves += 6;
      yNew[V.theta] = theta;
      for (let v = 1; v < NV; v++) yNew[v] = yTmp[v] + k6[v];
      const err = this.norm(k6, y, yNew);
      if (!Number.isFinite(err)) {
        stats.rejected++;
        if (++failures > 20) return this.stop(cell, h, ReturnCode.Unstable);
        h = hs * 0.2;
        rejectedLast = true;
        continue;
      }
      let fac = Math.max(1 / R.FAC_MAX, Math.min(1 / R.FAC_MIN, Math.pow(err, 0.25) / R.SAFE));
      let hNew = hs / fac;
      if (err <= 1) {
        if (!this.admissible(yNew)) {
          stats.rejected++;
          stats.inadmissible++;
          if (++failures > 40) return this.stop(cell, h, ReturnCode.Inadmissible);
          h = hs * 0.3;
          rejectedLast = true;
          continue;
        }
        stats.accepted++;
        failures = 0;
        if (!firstStep) {
          fac = gustafssonFactor(fac, hAcc, hs, err, errAcc);
          hNew = hs / fac;
        }
        hAcc = hs;
        errAcc = Math.max(1e-2, err);
        firstStep = false;
        t = last ? span : t + hs;
        y.set(yNew);
        if (t < span) {
          this.rhs(y, f0);
          stats.rhsEvaluations++;
        }
        jacobianCurrent = false;
        if (rejectedLast) hNew = Math.min(hNew, hs);
        rejectedLast = false;
        h = last && hs < h ? Math.max(hNew, h) : hNew;
        h = Math.max(h, hMin);
      } else {
        stats.rejected++;
        failures++;
        h = firstStep ? hs * 0.1 : hNew;
        rejectedLast = true;
      }
    }
    this.hNext_d[cell] = h;
    return ReturnCode.Success;
  }
}
