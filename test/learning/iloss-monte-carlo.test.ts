import { describe, expect, it } from 'vitest';
import { ilossMonteCarlo, type IlossModelInfo } from '../../src/learning/index.js';

/**
 * 001's per-cell I_loss Monte Carlo against hand-computed distributions. The draws of a model are
 * N(ȳ̂, (τ̂·sd/1.96)²) on the scale it was trained on; the tolerances are 4 Monte Carlo standard
 * errors: sd(mean) = σ/√D, sd(median) ≈ σ·√(π/2)/√D, sd(q) ≈ σ·√(p(1 − p))/φ(z_p)/√D on the normal scale.
 */
const D = 4000;
const TAU = 5.34; // τ̂_95 of the full run's I_root model
const Z = 1.959963984540054;
const sdFor = (sigma: number) => (sigma * Z) / TAU; // tree sd giving draws of scale σ
const seMedian = Math.sqrt(Math.PI / 2) / Math.sqrt(D);
const seQ025 = Math.sqrt(0.025 * 0.975) / (Math.exp(-(Z * Z) / 2) / Math.sqrt(2 * Math.PI)) / Math.sqrt(D);

function run(models: IlossModelInfo[], mean: number[][], sd: number[][], n: number) {
  const stats = mean.map((m, k) => ({ mean: Float64Array.from(m), sd: Float64Array.from(sd[k]) }));
  return ilossMonteCarlo({ iroot: 0, ibulk: models.slice(1).map((_, j) => j + 1), layerNames: models.slice(1).map((_, j) => `l${j}`), draws: D, seed: 3, stream: 7 }, n, models, stats).outputs;
}

describe('I_loss Monte Carlo (001 Methods)', () => {
  it('linear-scale models: I_loss = R − B1 − B2 is normal with the hand-computed mean, median and 95 % points', () => {
    const lin: IlossModelInfo = { tau: TAU, target: { name: 'x', transform: 'none' } };
    // R ~ N(2, 0.3²), B1 ~ N(0.3, 0.2²), B2 ~ N(0.2, 0.3²) ⇒ I_loss ~ N(1.5, 0.22).
    const s = Math.sqrt(0.3 ** 2 + 0.2 ** 2 + 0.3 ** 2);
    const n = 3;
    const o = run([lin, lin, lin], [[2, 2, 2], [0.3, 0.3, 0.3], [0.2, 0.2, 0.2]], [Array(n).fill(sdFor(0.3)), Array(n).fill(sdFor(0.2)), Array(n).fill(sdFor(0.3))], n);
    for (let i = 0; i < n; i++) {
      expect(Math.abs(o.iloss_total_mean[i] - 1.5)).toBeLessThan((4 * s) / Math.sqrt(D));
      expect(Math.abs(o.iloss_total_median[i] - 1.5)).toBeLessThan(4 * s * seMedian);
      expect(Math.abs(o.iloss_total_lower[i] - (1.5 - Z * s))).toBeLessThan(4 * s * seQ025);
      expect(Math.abs(o.iloss_total_upper[i] - (1.5 + Z * s))).toBeLessThan(4 * s * seQ025);
      // relative uncertainty = 95 % half-width / |median| ≈ 1.96·0.469/1.5 = 0.613
      expect(o.iloss_total_relunc[i]).toBeCloseTo((o.iloss_total_upper[i] - o.iloss_total_lower[i]) / 2 / Math.abs(o.iloss_total_median[i]), 5);
      expect(Math.abs(o.iloss_total_relunc[i] - (Z * s) / 1.5)).toBeLessThan(0.03);
    }
  });

  it('ln-scale I_root with σ = 2.5 (the full run\'s regime): median and 95 % points of I_loss and I_loss/I_root are exp(μ ± 1.96σ) mapped through, not τ̂·sd', () => {
    const log: IlossModelInfo = { tau: TAU, target: { name: 'x', transform: 'log' } };
    // Cell 0: ln R ~ N(ln 1.8, 2.5²); cell 1: ln R ~ N(ln 1.8, 0.5²). I_bulk = 0.5 exactly (sd 0).
    // I_loss = R − 0.5 and I_loss/I_root = 1 − 0.5/R are increasing in R, so their quantiles are
    // those of R mapped through: back to z = (ln R − μ)/σ they must sit at 0 and ±1.96.
    const mu = Math.log(1.8);
    const sig = [2.5, 0.5];
    const o = run([log, log], [[mu, mu], [Math.log(0.5), Math.log(0.5)]], [sig.map(sdFor), [0, 0]], 2);
    const zOfLoss = (v: number, i: number) => (Math.log(v + 0.5) - mu) / sig[i];
    const zOfFraction = (f: number, i: number) => (Math.log(0.5 / (1 - f)) - mu) / sig[i];
    for (let i = 0; i < 2; i++) {
      expect(Math.abs(zOfLoss(o.iloss_total_median[i], i))).toBeLessThan(4 * seMedian);
      expect(Math.abs(zOfLoss(o.iloss_total_lower[i], i) + Z)).toBeLessThan(4 * seQ025);
      expect(Math.abs(zOfLoss(o.iloss_total_upper[i], i) - Z)).toBeLessThan(4 * seQ025);
      expect(Math.abs(zOfFraction(o.ilossfraction_total_median[i], i))).toBeLessThan(4 * seMedian);
      expect(Math.abs(zOfFraction(o.ilossfraction_total_lower[i], i) + Z)).toBeLessThan(4 * seQ025);
      // one layer: all of I_root goes to it
      expect(o['iloss_l0_median'][i]).toBeCloseTo(o.iloss_total_median[i], 4);
    }
    // Hand values of cell 0: median I_loss = 1.8 − 0.5 = 1.3; median I_loss/I_root = 1 − 0.5/1.8 = 0.722.
    expect(Math.abs(o.iloss_total_median[0] - 1.3)).toBeLessThan(1.8 * (Math.exp(4 * 2.5 * seMedian) - 1));
    expect(Math.abs(o.ilossfraction_total_median[0] - 0.7222)).toBeLessThan(0.5 / 1.8 * (Math.exp(4 * 2.5 * seMedian) - 1) + 1e-4);
    // Cell 1 (σ = 0.5): the mean is stable and equals 1.8·e^{σ²/2} − 0.5 = 1.5394;
    // sd of the sample mean = 1.8·√(e^{σ²} − 1)·e^{σ²/2}/√D.
    const m1 = 1.8 * Math.exp(0.125) - 0.5;
    expect(Math.abs(o.iloss_total_mean[1] - m1)).toBeLessThan((4 * 1.8 * Math.sqrt(Math.exp(0.25) - 1) * Math.exp(0.125)) / Math.sqrt(D));
  });
});
