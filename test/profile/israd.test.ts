import { describe, expect, it } from 'vitest';
import { dataPath } from '../../src/io/paths.js';
import { parseCsv } from '../../src/core/csv.js';
import { layerTableFromCsv } from '../../src/profile/layers.js';
import { readCsvFile } from '../../src/io/files.js';
import { runDepth } from '../../src/profile/depth-run.js';
import { countWarnings, type ProfileWarning } from '../../src/profile/warnings.js';

describe('ISRaD layer data', () => {
  it('the whole shipped ISRaD subset (4,755 layers, 1,365 profiles) runs through depth and ages without a crash', () => {
    const warnings: ProfileWarning[] = [];
    const t0 = performance.now();
    const table = layerTableFromCsv(readCsvFile(dataPath('israd/ISRaD_vonFromm2024_layer14C_subset.csv')), warnings);
    const r = runDepth(table, {}, warnings);
    const s = (performance.now() - t0) / 1000;
    const c = r.counts;
    const betas = r.profiles.map((p) => p.beta).filter(Number.isFinite).sort((a, b) => a - b);
    console.log(
      `ISRaD subset: ${c.profiles} profiles: ${c.processed} processed, ${c.warned} warned, ${c.rejected} rejected; ${c.layers} layers, ${c.layersWithAge} with an age, ${c.ambiguousLayers} ambiguous; ` +
        `${c.betaFits} β fits, median β ${betas[betas.length >> 1].toFixed(4)}; ${(c.layers / s).toFixed(0)} layers/s\nwarnings: ${JSON.stringify(countWarnings(warnings))}`,
    );
    expect(c.layers).toBe(4755);
    expect(c.profiles).toBe(1365);
    expect(c.processed + c.rejected).toBe(c.profiles);
    // 59 layers sampled in 2020 lie past the end of Hua 2022 (2019.375) and are refused without --extend.
    expect(countWarnings(warnings)['age-past-curve-end']).toBe(59);
    expect(c.layersWithAge).toBeGreaterThan(4600);
    // Issue 10 item 4: implausible per-layer stocks are rejected and reported with their rows.
    const finstad = r.implausibleStocks.filter((x) => x.profile.startsWith('Finstad_2020'));
    console.log(`implausible-stock rows rejected: ${c.implausibleStocks} (${finstad.length} Finstad_2020, ${Math.min(...finstad.map((x) => x.density_gC_per_cm3)).toFixed(2)}–${Math.max(...finstad.map((x) => x.density_gC_per_cm3)).toFixed(2)} g C cm⁻³); worst stock conservation error ${r.maxStockConservationError.toExponential(1)}`);
    expect(finstad.length).toBe(120);
    expect(c.implausibleStocks).toBe(r.implausibleStocks.length);
    expect(r.implausibleStocks.every((x) => x.density_gC_per_cm3 > 0.2 && /layer14C_subset\.csv:\d+$/.test(x.label))).toBe(true);
    expect(countWarnings(warnings)['implausible-stock']).toBe(c.implausibleStocks);
    expect(r.maxStockConservationError).toBeLessThan(1e-12);
    expect(r.standard.stock_MgC_per_ha.every((v) => Number.isNaN(v) || v >= 0)).toBe(true);
    const b = r.betaStatistics;
    console.log(`β statistics: ${b.fits} fits, ${b.declining} with β < 1 (median ${b.median.toFixed(4)}, 5–95 % ${b.p05.toFixed(4)}–${b.p95.toFixed(4)}), ${b.noDecline} with β ≥ 1 reported apart`);
    expect(b.declining + b.noDecline).toBe(b.fits);
    expect(b.noDecline).toBeGreaterThan(0);
    expect(b.p95).toBeLessThan(1);
  });

  it('with --extend forecast the 2020 samples get ages too', () => {
    const warnings: ProfileWarning[] = [];
    const table = layerTableFromCsv(readCsvFile(dataPath('israd/fixture_3_profiles.csv')), warnings);
    expect(table.n).toBe(27);
    const r = runDepth(table, { extension: 'forecast' }, warnings);
    expect(r.counts.layersWithAge).toBe(27);
  });

  it('lyr_14c is primary; fraction modern is converted only where Δ14C is missing (with a warning); lyr_soc g/cm² → Mg/ha', () => {
    const csv = 'id,lyr_top,lyr_bot,lyr_14c,lyr_fraction_modern,lyr_obs_date_y,site_lat,lyr_soc\nA,0,10,50,0.5,2000,45,0.05\nA,10,20,,0.9,2000,45,\n';
    const w: ProfileWarning[] = [];
    const t = layerTableFromCsv(parseCsv(csv, 'x.csv'), w);
    expect(t.delta14C_permil[0]).toBe(50);
    expect(t.delta14C_permil[1]).toBeCloseTo((0.9 * Math.exp((1950 - 2000) / 8267) - 1) * 1000, 10);
    expect(w.map((x) => x.code)).toEqual(['delta14c-from-fraction-modern']);
    expect(t.stock_MgC_per_ha[0]).toBeCloseTo(5, 12);
  });

  it('organic layers (negative depths, Gaudinski 2001) are dropped with warnings naming the rows', () => {
    const warnings: ProfileWarning[] = [];
    const table = layerTableFromCsv(readCsvFile(dataPath('israd/ISRaD_pkg_Gaudinski_2001_layer.csv')), warnings);
    runDepth(table, { zone: 'NH1' }, warnings);
    const dropped = warnings.filter((w) => w.code === 'dropped-negative-depth');
    expect(dropped.length).toBeGreaterThan(0);
    expect(dropped[0].horizon).toMatch(/Gaudinski_2001_layer\.csv:\d+/);
  });

  it('site values that differ within a profile are an input error naming both rows', async () => {
    const { siteValue } = await import('../../src/profile/layers.js');
    const t = layerTableFromCsv(parseCsv('site,top_cm,bottom_cm,npp_MgC_per_ha_yr\nS,0,10,5\nS,10,20,6\n', 's.csv'), []);
    expect(() => siteValue(t, t.profiles.get('S')!, 'npp_MgC_per_ha_yr')).toThrow(/s\.csv:2 has 5, s\.csv:3 has 6/);
  });

  it('a wrong unit is caught: bulk density 1300 (kg m⁻³ instead of g cm⁻³) and SOC 250 % name file, column, line, value and expectation', () => {
    const csv = 'profile,top_cm,bottom_cm,soc_percent,bulk_density_g_per_cm3\nP,0,10,2.5,1300\nP,10,20,250,1.3\n';
    expect(() => layerTableFromCsv(parseCsv(csv, 'units.csv'), [])).toThrow(
      'units.csv:3 soc_percent: got 250, expected organic C in % (0–100)\nunits.csv:2 bulk_density_g_per_cm3: got 1300, expected a bulk density in g cm⁻³ (0–3)',
    );
    expect(() => layerTableFromCsv(parseCsv('profile,top,bottom\nP,0,10\n', 'cols.csv'), [])).toThrow(/cols\.csv header: got "profile,top,bottom", expected an ISRaD-style layer table/);
  });
});
