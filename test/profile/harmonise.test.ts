import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../src/core/csv.js';
import { readCsvFile } from '../../src/io/files.js';
import { SeededRng } from '../../src/numerics/random.js';
import { betaStatistics } from '../../src/profile/depth.js';
import { amountOutside, conservationError, gapEstimates, harmoniseAmounts, harmonisationWeights } from '../../src/profile/harmonise.js';
import { layerTableFromCsv } from '../../src/profile/layers.js';
import { runBudget } from '../../src/profile/budget.js';
import { fitEqualAreaSpline } from '../../src/profile/spline.js';
import type { ProfileWarning } from '../../src/profile/warnings.js';

/** Random clean horizons: sorted, non-overlapping, some gaps, amounts with steep declines (spline undershoots). */
function randomProfile(rng: SeededRng): { tops: Float64Array; bottoms: Float64Array; amounts: Float64Array } {
  const n = 2 + Math.floor(rng.uniform() * 8);
  const tops: number[] = [];
  const bottoms: number[] = [];
  const amounts: number[] = [];
  let z = rng.uniform() < 0.7 ? 0 : 5 * rng.uniform();
  for (let i = 0; i < n; i++) {
    const h = 1 + 40 * rng.uniform();
    tops.push(z);
    bottoms.push(z + h);
    amounts.push(h * Math.exp(-z / 15) * (0.2 + rng.uniform()) * (rng.uniform() < 0.15 ? 50 : 1));
    z += h + (rng.uniform() < 0.25 ? 15 * rng.uniform() : 0);
  }
  return { tops: Float64Array.from(tops), bottoms: Float64Array.from(bottoms), amounts: Float64Array.from(amounts) };
}

describe('conservative harmonisation of extensive amounts to standard layers (issue 10 item 4)', () => {
  it('500 random profiles (gaps, partial layers, steep declines, λ 0–10): Σ layers + outside = Σ measured ≤ 1e-13, every layer ≥ 0', () => {
    const rng = new SeededRng(11);
    const depths = [0, 20, 40, 60, 80, 100, 150, 200];
    let worst = 0;
    let negative = 0;
    let undershooting = 0;
    for (let k = 0; k < 500; k++) {
      const p = randomProfile(rng);
      const lambda = [0, 1e-3, 0.1, 1, 10][k % 5];
      const perCm = p.amounts.map((a, i) => a / (p.bottoms[i] - p.tops[i]));
      const s = fitEqualAreaSpline(p.tops, p.bottoms, perCm, lambda);
      if (Array.from(s.alpha).some((a) => a < 0)) undershooting++;
      const H = harmonisationWeights(p.tops, p.bottoms, depths, s);
      const out = harmoniseAmounts(H, p.amounts, new Float64Array(depths.length - 1));
      worst = Math.max(worst, conservationError(H, p.amounts, out));
      negative += Array.from(out).filter((v) => v < 0).length;
    }
    console.log(`harmonisation: 500 random profiles (${undershooting} with a spline going below 0): worst conservation error ${worst.toExponential(2)}, negative layers ${negative}`);
    expect(worst).toBeLessThan(1e-13);
    expect(negative).toBe(0);
  });

  it('a partly covered layer carries only what was measured in it (no extrapolation), with its coverage; gaps are estimated apart', () => {
    const tops = Float64Array.from([0, 20, 50]);
    const bottoms = Float64Array.from([20, 40, 130]);
    const amounts = Float64Array.from([40, 20, 40]);
    const depths = [0, 20, 40, 60, 80, 100, 150];
    const H = harmonisationWeights(tops, bottoms, depths); // uniform shape: exact expectations
    const out = harmoniseAmounts(H, amounts, new Float64Array(6));
    // Horizon 50–130 (0.5 per cm): 10 cm in 40–60, 20 in 60–80, 20 in 80–100, 30 in 100–150 (coverage 0.6).
    expect(Array.from(out)).toEqual([40, 20, 5, 10, 10, 15]);
    expect(H.coverage[5]).toBeCloseTo(0.6, 14);
    expect(H.coverage[2]).toBeCloseTo(0.5, 14);
    expect(H.gapCm[2]).toBe(10);
    expect(amountOutside(H, amounts)).toBe(0);
    const s = fitEqualAreaSpline(tops, bottoms, amounts.map((a, i) => a / (bottoms[i] - tops[i])), 0.1);
    const g = gapEstimates(s, depths, new Float64Array(6));
    console.log(`gap 40–50 cm: spline estimate ${g[2].toFixed(3)} (neighbours 1.0 and 0.5 per cm)`);
    expect(g[2]).toBeGreaterThan(4);
    expect(g[2]).toBeLessThan(11);
    expect(g[0] + g[1] + g[3] + g[4] + g[5]).toBe(0);
  });

  it('`budget` on the shipped sites: no negative (or NaN) age or stock in any measured layer; harmonised + outside = measured stock per site ≤ 1e-9; I_bulk conserved too', () => {
    const w: ProfileWarning[] = [];
    const t = layerTableFromCsv(readCsvFile('examples/profile/sites.csv'), w);
    const r = runBudget(t, { draws: 50 }, w);
    const lines: string[] = [];
    for (const s of r.sites) {
      const measured = s.layers.filter((l) => l.coverage > 0);
      for (const l of measured) {
        expect(l.radiocarbonAgeYears).toBeGreaterThan(0);
        expect(l.stock_MgC_per_ha).toBeGreaterThanOrEqual(0);
        expect(l.iBulk).toBeGreaterThan(0);
        expect(l.mc!.iBulk.q025).toBeGreaterThan(0);
      }
      const c = s.stockConservation;
      lines.push(`${s.site}: measured ${c.measured_MgC_per_ha.toFixed(3)}, harmonised ${c.harmonised_MgC_per_ha.toFixed(3)} + outside ${c.outsideLayers_MgC_per_ha.toFixed(3)} Mg C/ha (error ${c.relativeError.toExponential(1)}); I_bulk error ${s.iBulkConservation.relativeError.toExponential(1)}; youngest/oldest layer age ${Math.min(...measured.map((l) => l.radiocarbonAgeYears)).toFixed(0)}/${Math.max(...measured.map((l) => l.radiocarbonAgeYears)).toFixed(0)} yr`);
      expect(c.relativeError).toBeLessThan(1e-9);
      expect(s.iBulkConservation.relativeError).toBeLessThan(1e-9);
      expect(Math.abs(c.harmonised_MgC_per_ha + c.outsideLayers_MgC_per_ha - c.measured_MgC_per_ha)).toBeLessThan(1e-9 * c.measured_MgC_per_ha);
    }
    console.log(lines.join('\n'));
    // China Hat is measured to 108 cm: 100–150 carries 8 cm, flagged, not extrapolated to 50 cm.
    const ch = r.sites.find((s) => s.site === 'ChinaHat_CA')!;
    expect(ch.layers[5].coverage).toBeCloseTo(0.16, 12);
    expect(ch.stockConservation.outsideLayers_MgC_per_ha).toBe(0);
    expect(w.some((x) => x.profile === 'ChinaHat_CA' && x.code === 'partial-layer' && x.horizon === '100–150 cm')).toBe(true);
    expect(w.some((x) => x.code === 'harmonised-negative')).toBe(false);
  });

  it('implausible per-layer stocks (lyr_soc above 0.2 g C cm⁻³ × thickness) are rejected with their row (the ISRaD extract: test/profile/israd.test.ts)', () => {
    const w: ProfileWarning[] = [];
    const csv = 'id,lyr_top,lyr_bot,lyr_14c,lyr_obs_date_y,site_lat,lyr_soc\nA,0,10,50,2000,45,15.9\nA,10,20,10,2000,45,0.1\n';
    const t = layerTableFromCsv(parseCsv(csv, 'soc.csv'), w);
    expect(Number.isNaN(t.stock_MgC_per_ha[0])).toBe(true);
    expect(t.stock_MgC_per_ha[1]).toBeCloseTo(10, 12);
    expect(t.implausibleStocks).toHaveLength(1);
    expect(w.find((x) => x.code === 'implausible-stock')).toMatchObject({ horizon: 'soc.csv:2' });
    expect(w.find((x) => x.code === 'implausible-stock')!.message).toMatch(/1\.59 g C cm⁻³, above the physical bound 0\.2/);

  });

  it('β statistics exclude β ≥ 1 fits and report them separately', () => {
    const s = betaStatistics([0.97, 0.98, NaN, 1.02, 0.96, 1.0]);
    expect(s).toMatchObject({ fits: 5, declining: 3, noDecline: 2, noDeclineBetas: [1.02, 1.0] });
    expect(s.median).toBeCloseTo(0.97, 14);
    expect(s.mean).toBeCloseTo(0.97, 14);
  });
});
