import { describe, expect, it } from 'vitest';
import { ReturnCode, SeededRng } from '../../src/numerics/index.js';
import { DEFAULT_RHIZOSPHERE_CONSTANTS, NV, PerirhizalBatch, V, carbonPoolScales, namedSet, seriesMean, type TimeSeries } from '../../src/rhizosphere/index.js';
import { SOILS, waterContent } from '../../src/soil/index.js';

const SETS = ['highCO2', 'highMB', 'lowMUptake'] as const;
const geometry = { rIn_cm: 0.02, rOut_cm: 0.6, length_cm: 1 };

describe('perirhizal domain: conservation', () => {
  for (const name of SETS) {
    it(`${name}: a closed well-mixed cell conserves total C to ≤ 1e-10 relative over 10 days`, () => {
      const b = new PerirhizalBatch([geometry], -100, { soil: SOILS.loam, params: namedSet(name), cells: 1 });
      // Start away from equilibrium: 20× the initial dissolved C.
      const o = b.offset(0, 0);
      b.state[o + V.L] *= 20;
      const c0 = b.domainCarbon(0);
      for (let k = 0; k < 240; k++) expect(b.advance(1 / 24)).toBe(ReturnCode.Success);
      const rel = Math.abs(b.domainCarbon(0) - c0) / c0;
      console.log(`${name} closed cell: relative carbon change ${rel.toExponential(2)} over 10 d; CO₂ produced ${b.poolTotal(0, V.CO2).toExponential(3)} mol C`);
      expect(rel).toBeLessThan(1e-10);
      expect(b.poolTotal(0, V.CO2)).toBeGreaterThan(0);
    });

    it(`${name}: a closed 9-cell domain with a C_L hotspot at the root conserves C and water to ≤ 1e-10 relative over 10 days`, () => {
      const b = new PerirhizalBatch([geometry], -300, { soil: SOILS.loam, params: namedSet(name) });
      b.state[b.offset(0, 0) + V.L] *= 1000;
      b.state[b.offset(0, 0) + V.theta] = waterContent(-80, SOILS.loam); // and a wet inner cell: water redistributes
      const c0 = b.domainCarbon(0);
      const w0 = b.domainWater(0);
      for (let k = 0; k < 240; k++) expect(b.advance(1 / 24)).toBe(ReturnCode.Success);
      const rc = Math.abs(b.domainCarbon(0) - c0) / c0;
      const rw = Math.abs(b.domainWater(0) - w0) / w0;
      console.log(`${name} closed domain: carbon ${rc.toExponential(2)}, water ${rw.toExponential(2)}`);
      expect(rc).toBeLessThan(1e-10);
      expect(rw).toBeLessThan(1e-10);
    });
  }

  it('root water release, exudation and per-cell exchange sources are all accounted: balance ≤ 1e-10 relative', () => {
    const b = new PerirhizalBatch([geometry, { rIn_cm: 0.05, rOut_cm: 0.3, length_cm: 2 }], [-100, -1000], { soil: SOILS.loam, params: namedSet('highMB') });
    for (let k = 0; k < 48; k++) {
      b.waterUptake_cm_per_d.set([k % 2 ? -0.05 : 0.2, 0.1]); // release (negative uptake) every other step
      b.exudation_molC_per_cm2_d.set([1e-4, 3e-5]);
      b.mucilage_molC_per_cm2_d.set([5e-6, 0]);
      for (let i = 0; i < 9; i++) {
        b.sourceWater_per_d[9 + i] = 0.002;
        b.sourceL_molC_per_cm3_d[i] = 1e-7;
        b.sourceH_molC_per_cm3_d[9 + i] = -1e-8;
      }
      expect(b.advance(1 / 48)).toBe(ReturnCode.Success);
    }
    const rel = b.relativeBalanceErrors();
    console.log(`open two-domain batch: water ${rel.water.toExponential(2)}, carbon ${rel.carbon.toExponential(2)}`);
    expect(rel.water).toBeLessThan(1e-10);
    expect(rel.carbon).toBeLessThan(1e-10);
    expect(b.balance(0).rootUptake_cm3).toBeGreaterThan(0);
  });

  it('uptake stops at ψ_crit (Eq B12): the root-surface head never drops below ψ_crit and realised uptake falls below the prescribed one', () => {
    const b = new PerirhizalBatch([geometry], -5000, { soil: SOILS.loam, params: namedSet('highCO2'), psiCrit_cm: -15000 });
    b.waterUptake_cm_per_d[0] = 1; // far more than the dry soil can deliver
    let hMin = 0;
    for (let k = 0; k < 24; k++) {
      expect(b.advance(1 / 24)).toBe(ReturnCode.Success);
      hMin = Math.min(hMin, b.head(0, 0));
    }
    const realised = b.balance(0).rootUptake_cm3 / (2 * Math.PI * 0.02 * 1);
    console.log(`dry soil: lowest root-cell head ${hMin.toFixed(0)} cm; realised uptake ${realised.toFixed(4)} cm vs prescribed 1 cm over 1 d`);
    expect(hMin).toBeGreaterThan(-15000);
    expect(realised).toBeLessThan(0.5);
  });
});

describe('perirhizal domain: convergence with the radial cell count', () => {
  it('CO₂ produced and root-surface C_L^l converge as cells double (9 → 72); differences shrink at least 1.5× per doubling', () => {
    const exud: TimeSeries = { shape: 'diurnal', peak: 1.5e-4, dayStart_h: 6, dayEnd_h: 18 };
    const results = [9, 18, 36, 72].map((cells) => {
      const b = new PerirhizalBatch([geometry], -100, { soil: SOILS.loam, params: namedSet('highCO2'), cells });
      const dt = 1 / 72;
      for (let k = 0; k < 72 * 2; k++) {
        b.exudation_molC_per_cm2_d[0] = seriesMean(exud, k * dt, (k + 1) * dt);
        b.waterUptake_cm_per_d[0] = 0.05;
        expect(b.advance(dt)).toBe(ReturnCode.Success);
      }
      return { co2: b.poolTotal(0, V.CO2), water: b.domainWater(0) };
    });
    const d = [1, 2, 3].map((k) => Math.abs(results[k].co2 - results[k - 1].co2) / results[3].co2);
    console.log(`CO₂ after 2 d with 9/18/36/72 cells: ${results.map((r) => r.co2.toExponential(5)).join(', ')}; successive relative differences ${d.map((x) => x.toExponential(2)).join(', ')}`);
    expect(d[1]).toBeLessThan(d[0] / 1.5);
    expect(d[2]).toBeLessThan(d[1] / 1.5);
    expect(d[2]).toBeLessThan(1e-2);
  });
});

describe('perirhizal domain: layout and inputs', () => {
  it('initial state: θ(h₀), set concentrations, sorption equilibrium, microbes and zero CO₂ in every cell', () => {
    const p = namedSet('lowMUptake');
    const b = new PerirhizalBatch([geometry], -100, { soil: SOILS.loam, params: p, cells: 5 });
    const th = waterContent(-100, SOILS.loam);
    for (let i = 0; i < 5; i++) {
      const o = b.offset(0, i);
      expect(b.state[o + V.theta]).toBe(th);
      expect(b.state[o + V.L] / th).toBeCloseTo(p.CLinit_molC_per_cm3_water, 18);
      expect(b.state[o + V.CO2]).toBe(0);
    }
    expect(b.stride).toBe(5 * NV + 1);
  });

  it('rejects a non-positive interval', () => {
    const b = new PerirhizalBatch([geometry], -100, { soil: SOILS.loam, params: namedSet('highCO2'), cells: 2 });
    expect(() => b.advance(0)).toThrow(/dt must be > 0/);
  });
});

describe('perirhizal domain: hybrid Jacobian', () => {
  // The reaction part of the hybrid Jacobian is analytic (checked against central differences of the
  // reactions to 1e−7 in kinetics-jacobian.test.ts); the coloured forward differences of the WHOLE
  // right-hand side it is compared with here carry rounding errors up to ~5e−4 of a column in the cells
  // near the root, where exudation and transport terms dominate the rate (found at lowMUptake: analytic
  // −0.0119180, central difference of the reactions −0.0119179, coloured forward difference −0.0119116).
  it('equals the coloured finite-difference Jacobian of the whole right-hand side (1e-3 of each column’s largest entry) at developed states', () => {
    for (const name of SETS) {
      const b = new PerirhizalBatch([geometry], -300, { soil: SOILS.loam, params: namedSet(name) });
      b.exudation_molC_per_cm2_d[0] = 1.5e-4;
      b.waterUptake_cm_per_d[0] = 0.1;
      for (let k = 0; k < 36; k++) expect(b.advance(1 / 72)).toBe(ReturnCode.Success);
      const Jh = b.jacobianAt(0, 'hybrid');
      const Js = b.jacobianAt(0, 'sparse');
      let worst = 0;
      for (let j = 0; j < b.stride; j++) {
        let colMax = 0;
        for (let i = 0; i < b.stride; i++) colMax = Math.max(colMax, Math.abs(Js.get(i, j)));
        if (colMax === 0) continue;
        for (let i = 0; i < b.stride; i++) worst = Math.max(worst, Math.abs(Jh.get(i, j) - Js.get(i, j)) / colMax);
      }
      console.log(`${name}: hybrid vs coloured Jacobian, worst column-relative difference ${worst.toExponential(2)}`);
      expect(worst).toBeLessThan(1e-3);
    }
  });

  it('hybrid and coloured Jacobians give the same solution (within the integration tolerance) at lower cost', () => {
    const run = (jacobian: 'hybrid' | 'sparse') => {
      const b = new PerirhizalBatch([geometry], -100, { soil: SOILS.loam, params: namedSet('highMB'), jacobian });
      b.exudation_molC_per_cm2_d[0] = 1e-4;
      b.waterUptake_cm_per_d[0] = 0.05;
      for (let k = 0; k < 72; k++) expect(b.advance(1 / 72)).toBe(ReturnCode.Success);
      return { co2: b.poolTotal(0, V.CO2), cca: b.poolTotal(0, V.Ca), rhs: b.stats.rhsEvaluations / b.stats.steps };
    };
    const h = run('hybrid');
    const s = run('sparse');
    console.log(`1 d: CO₂ hybrid ${h.co2.toExponential(8)} vs coloured ${s.co2.toExponential(8)}; RHS per step ${h.rhs.toFixed(1)} vs ${s.rhs.toFixed(1)}`);
    expect(Math.abs(h.co2 / s.co2 - 1)).toBeLessThan(1e-5);
    expect(Math.abs(h.cca / s.cca - 1)).toBeLessThan(1e-5);
  });
});

describe('perirhizal domain: block stage solver', () => {
  // RODAS4 solves (α I − J) x = b six times per step; the block solver (cells coupled through θ, C_L,
  // C_H; CO₂ and the uptake accumulator back-substituted) must solve the same system as the band LU.
  it('solves the stage systems of developed states like the band LU (dynamic and frozen water, α over 7 decades)', () => {
    const b = new PerirhizalBatch([geometry], -300, { soil: SOILS.loam, params: namedSet('highMB') });
    b.exudation_molC_per_cm2_d[0] = 1.5e-4;
    b.mucilage_molC_per_cm2_d[0] = 1e-5;
    b.waterUptake_cm_per_d[0] = 0.1;
    for (let k = 0; k < 36; k++) expect(b.advance(1 / 72)).toBe(ReturnCode.Success);
    const rng = new SeededRng(3);
    const rand = () => 2 * rng.uniform() - 1;
    let worstBand = 0;
    let worstRatio = 0;
    let worstResidual = 0;
    for (const frozen of [false, true]) {
      b.frozenWater = frozen;
      const J = b.jacobianAt(0, 'hybrid');
      const n = b.stride;
      // Largest row residual of x relative to the size of the row's terms (α x_i, b_i, (J x)_i).
      const residual = (alpha: number, x: Float64Array, rhs: Float64Array) => {
        const Jx = new Float64Array(n);
        J.multiply(x, Jx);
        let w = 0;
        for (let i = 0; i < n; i++) w = Math.max(w, Math.abs(alpha * x[i] - Jx[i] - rhs[i]) / (Math.abs(alpha * x[i]) + Math.abs(Jx[i]) + Math.abs(rhs[i]) + 1e-300));
        return w;
      };
      for (const alpha of [1e-2, 1, 1e2, 1e5]) {
        // Right-hand side shaped like a stage: the state's magnitudes times random factors.
        const rhs = Float64Array.from({ length: n }, (_, i) => rand() * (Math.abs(b.state[i]) + 1e-12));
        const xBlock = b.solveStageSystem(J, alpha, rhs, 'block');
        const xBand = b.solveStageSystem(J, alpha, rhs, 'band');
        for (let i = 0; i < n; i++) worstBand = Math.max(worstBand, Math.abs(xBlock[i] - xBand[i]) / (Math.abs(xBand[i]) + 1e-30));
        // Small α leaves I/α − J ill-conditioned (J's slow modes): both solvers then have residuals
        // well above round-off; the block solver must be as backward-stable as the band LU.
        const rBlock = residual(alpha, xBlock, rhs);
        const rBand = residual(alpha, xBand, rhs);
        worstResidual = Math.max(worstResidual, rBlock);
        worstRatio = Math.max(worstRatio, rBlock / (rBand + 1e-15));
        expect(rBlock).toBeLessThan(10 * rBand + 1e-14);
      }
    }
    console.log(`stage systems: block vs band LU worst componentwise relative difference ${worstBand.toExponential(2)}; worst row residual ${worstResidual.toExponential(2)}, at most ${worstRatio.toFixed(2)}× the band LU's (+1e-15)`);
    expect(worstBand).toBeLessThan(1e-8);
  });

  it('gives the band-LU trajectory within the integration tolerance over a day (coupled-like forcing, frozen and moving water)', () => {
    for (const frozen of [false, true]) {
      const run = (stageSolver: 'block' | 'band') => {
        const b = new PerirhizalBatch([geometry, { rIn_cm: 0.05, rOut_cm: 0.3, length_cm: 2 }], [-100, -800], { soil: SOILS.loam, params: namedSet('highMB'), stageSolver });
        b.frozenWater = frozen;
        const ex: TimeSeries = { shape: 'diurnal', peak: 1.5e-4, dayStart_h: 6, dayEnd_h: 18 };
        for (let k = 0; k < 72; k++) {
          b.exudation_molC_per_cm2_d[0] = seriesMean(ex, k / 72, (k + 1) / 72);
          b.waterUptake_cm_per_d[1] = 0.05;
          b.sourceL_molC_per_cm3_d[1 * 9 + 8] = 1e-9;
          expect(b.advance(1 / 72)).toBe(ReturnCode.Success);
        }
        return b;
      };
      const blk = run('block');
      const band = run('band');
      // In units of the integration tolerance (rtol 1e-6 relative + atol 1e-14 mol C cm⁻³, 1e-10 θ):
      // round-off differences can flip one accept/reject decision, after which the two trajectories
      // differ by a fraction of the tolerance, not by round-off.
      let worst = 0;
      for (let i = 0; i < blk.state.length; i++) worst = Math.max(worst, Math.abs(blk.state[i] - band.state[i]) / (1e-6 * Math.abs(band.state[i]) + 1e-14));
      console.log(`${frozen ? 'frozen' : 'moving'} water, 1 d: block vs band stage solver, worst state difference ${worst.toExponential(2)} tolerances; steps ${blk.stats.steps} vs ${band.stats.steps}`);
      expect(worst).toBeLessThan(2);
    }
  });
});

describe('perirhizal domain: per-pool absolute tolerances', () => {
  // A coupled-like exuding domain (004 baseline, day 10): static soil, exudation and mucilage switched
  // on at t = 0 on a domain at the set's initial state; five 20-min intervals. The reactivation of
  // the dormant pools (k_r up to 96 d⁻¹) near the root sets the step sizes.
  const run = (opts: { rtol?: number; atolCarbon_molC_per_cm3?: number }) => {
    const b = new PerirhizalBatch([{ rIn_cm: 0.02, rOut_cm: 0.3025, length_cm: 1 }], -300, { soil: SOILS.loam, params: namedSet('highMB'), ...opts });
    b.frozenWater = true;
    b.exudation_molC_per_cm2_d[0] = 4.2e-5;
    b.mucilage_molC_per_cm2_d[0] = 1.29e-6;
    for (let k = 0; k < 5; k++) expect(b.advance(1 / 72)).toBe(ReturnCode.Success);
    return b;
  };

  it('scaled to each pool: fewer RODAS4 steps, error vs an rtol 1e-10 reference below rtol in each pool’s scale', () => {
    const ref = run({ rtol: 1e-10 });
    const uniform = run({ atolCarbon_molC_per_cm3: 1e-14 }); // the tolerance before
    const pooled = run({});
    const scales = carbonPoolScales(SOILS.loam.thetaS, namedSet('highMB'), DEFAULT_RHIZOSPHERE_CONSTANTS);
    const error = (b: PerirhizalBatch) => {
      let e = 0;
      for (let i = 0; i < b.nCells; i++) {
        for (const v of [V.L, V.H, V.Ls, V.Oa, V.Od, V.Ca, V.Cd, V.CO2]) {
          const o = b.offset(0, i) + v;
          e = Math.max(e, Math.abs(b.state[o] - ref.state[o]) / (Math.abs(ref.state[o]) + scales[v]));
        }
      }
      return e;
    };
    const eU = error(uniform);
    const eP = error(pooled);
    console.log(`exuding domain, 5 × 20 min: atol 1e-14 uniform ${uniform.stats.steps} steps, error ${eU.toExponential(2)}; per pool ${pooled.stats.steps} steps, error ${eP.toExponential(2)} (max |y − y_ref| / (|y_ref| + s_v))`);
    expect(eP).toBeLessThan(1e-6);
    expect(eU).toBeLessThan(1e-6);
    expect(pooled.stats.steps).toBeLessThan(uniform.stats.steps);
    expect(Math.abs(pooled.domainCarbon(0) - ref.domainCarbon(0)) / ref.domainCarbon(0)).toBeLessThan(1e-6);
  });

  it('an explicit atolCarbon keeps one tolerance for every pool; the default scales with the set (≥ 1e-14)', () => {
    const s = carbonPoolScales(0.4, namedSet('highMB'), DEFAULT_RHIZOSPHERE_CONSTANTS);
    expect(s[V.theta]).toBe(0);
    expect(s[V.Oa]).toBe(DEFAULT_RHIZOSPHERE_CONSTANTS.COaInit_molC_per_cm3_soil);
    expect(s[V.L]).toBeCloseTo(0.4 * namedSet('highMB').CLinit_molC_per_cm3_water, 20);
    expect(s[V.CO2]).toBeCloseTo(s[V.Oa] + s[V.Od] + s[V.Ca] + s[V.Cd], 20);
  });
});
