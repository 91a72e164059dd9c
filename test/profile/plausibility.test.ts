import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../src/core/csv.js';
import { paramSpec } from '../../src/core/params.js';
import { layerTableFromCsv, runDepth, screenLayerStocks, STOCK_SCREEN_PARAMS } from '../../src/profile/index.js';

// One profile per case: soc_percent, bulk density; stock = SOC × BD × thickness (003 Eq 1).
const CSV = [
  'profile,top_cm,bottom_cm,soc_percent,bulk_density_g_per_cm3',
  'ok,0,10,2,1.2', // mineral topsoil: kept
  'ok,10,20,1,1.4',
  'peat,0,10,50,0.05', // organic layer, light: kept (ρ_b,min = 0.02)
  'dense,0,10,0.5,2.3', // bulk density above 2.0: dropped
  'light,0,10,1.2,0.05', // mineral (1.2 % C) at 0.05 g cm-3: dropped
  'carbon,0,10,65,0.1', // 65 % organic C: dropped
  'nobd,0,10,2,', // no bulk density, no stock: nothing to screen
].join('\n');

describe('plausibility screen of training stocks (profile.stockScreen)', () => {
  const table = layerTableFromCsv(parseCsv(CSV, 'screen.csv'), []);

  it('drops each implausible stock with its reason and keeps the plausible ones', () => {
    const s = screenLayerStocks(table);
    expect(s.dropped.map((d) => [d.profile, d.reason])).toEqual([
      ['dense', 'bulk density > 2 g cm-3'],
      ['light', 'mineral layer (organic C < 12 %) with bulk density < 0.3 g cm-3'],
      ['carbon', 'organic C > 60 %'],
    ]);
    expect(s.byReason).toEqual({ 'bulk density > 2 g cm-3': 1, 'mineral layer (organic C < 12 %) with bulk density < 0.3 g cm-3': 1, 'organic C > 60 %': 1 });
    // The kept stocks are the input's (2 % × 1.2 g cm-3 × 10 cm = 0.24 g C cm-2 = 24 Mg C ha-1).
    expect(s.table.stock_MgC_per_ha[0]).toBeCloseTo(24, 10);
    expect(s.table.stock_MgC_per_ha[2]).toBeCloseTo(25, 10);
    expect(Number.isNaN(s.table.stock_MgC_per_ha[3])).toBe(true);
    expect(s.table.stockSource[3]).toBe('dropped (bulk density > 2 g cm-3)');
    // The dropped row carries the stock it had: 0.5 % × 2.3 × 10 cm = 11.5 Mg C ha-1.
    expect(s.dropped[0].stock_MgC_per_ha).toBeCloseTo(11.5, 10);
    // The input table is not changed.
    expect(table.stock_MgC_per_ha[3]).toBeCloseTo(11.5, 10);
  });

  it('limits are overridable, and the depth analysis sees a dropped layer as one without a stock', () => {
    const s = screenLayerStocks(table, { bulkDensityMax_g_per_cm3: 2.5 });
    expect(s.dropped.map((d) => d.profile)).toEqual(['light', 'carbon']);
    const d = runDepth(screenLayerStocks(table).table, {}, []);
    expect(d.profiles.find((p) => p.profile === 'dense')!.layersWithStock).toBe(0);
    expect(d.profiles.find((p) => p.profile === 'ok')!.layersWithStock).toBe(2);
    expect(() => screenLayerStocks(table, { bulkDensityMin_g_per_cm3: 2.1 })).toThrow(/must be below/);
  });

  it('every limit is a declared parameter with unit, range and source, its default inside the range', () => {
    for (const p of STOCK_SCREEN_PARAMS) {
      const spec = paramSpec('profile.stockScreen', p.name);
      expect(spec.source.length).toBeGreaterThan(10);
      expect(spec.default!).toBeGreaterThanOrEqual(spec.min);
      expect(spec.default!).toBeLessThanOrEqual(spec.max);
    }
  });
});
