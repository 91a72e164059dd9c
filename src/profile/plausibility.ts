import { declareParams } from '../core/params.js';
import { MGC_PER_HA_PER_GC_PER_CM2 } from './depth.js';
import type { ImplausibleStock, LayerTable } from './layers.js';
import { profileDefault } from './params.js';

/**
 * Plausibility screen of layer SOC stocks used as training data (the mapping pipelines: I_bulk of
 * the ISRaD layers, 001; the spline 0–20 cm stock and β, 003). A layer whose stock rests on a
 * measurement outside a plausible range is not used: its stock becomes NaN (so the I_bulk chain
 * skips the row and the depth analysis treats the layer as one without a stock) and the row is
 * listed with the reason. The reader's physical bound (`profile.maxCarbonDensity_gC_per_cm3`,
 * applied when the table is read) is listed here too, so one list holds every dropped stock.
 *
 * Checks (each only where the value is given): bulk density within [ρ_b,min, ρ_b,max]; in mineral
 * layers (organic C below OC_org) bulk density ≥ ρ_b,min,mineral; organic C ≤ OC_max.
 */
export const STOCK_SCREEN_PARAMS = declareParams('profile.stockScreen', [
  {
    name: 'bulkDensityMin_g_per_cm3',
    symbol: 'ρ_b,min',
    unit: 'g cm-3',
    default: 0.02,
    min: 0,
    max: 1,
    source: 'approximate lower end of peat bulk densities (surface Sphagnum peat ≈ 0.02–0.1 g cm⁻³; northern peat mean ≈ 0.1, Loisel et al. 2014 The Holocene 24:1028)',
    description: 'a layer with a bulk density below ρ_b,min is implausible: its stock is not used for training',
  },
  {
    name: 'bulkDensityMax_g_per_cm3',
    symbol: 'ρ_b,max',
    unit: 'g cm-3',
    default: 2.0,
    min: 1,
    max: 2.65,
    source: 'above the root-restricting bulk densities of USDA NRCS Soil Quality Indicators: Bulk Density (sandy soils ≥ 1.80 g cm⁻³) and below the particle density of mineral soil (≈ 2.65 g cm⁻³, quartz); dense tills can approach 2.0',
    description: 'a layer with a bulk density above ρ_b,max is implausible: its stock is not used for training',
  },
  {
    name: 'mineralBulkDensityMin_g_per_cm3',
    symbol: 'ρ_b,min,mineral',
    unit: 'g cm-3',
    default: 0.3,
    min: 0,
    max: 1.5,
    source: 'approximate: the lightest mineral soils are Andosols (andic property: bulk density ≤ 0.90 g cm⁻³, USDA Soil Taxonomy / WRB; allophanic horizons ≈ 0.3–0.6 g cm⁻³); lower values need organic material',
    description: 'a mineral layer (organic C < OC_org) lighter than ρ_b,min,mineral is implausible (a unit or transcription problem): its stock is not used',
  },
  {
    name: 'organicLayerCarbonMin_percent',
    symbol: 'OC_org',
    unit: '%',
    default: 12,
    min: 1,
    max: 60,
    source: 'USDA Soil Taxonomy: organic soil material has ≥ 12–18 % organic C (12 % without clay); WRB organic material ≥ 20 %',
    description: 'organic C from which a layer counts as organic (then only ρ_b,min applies)',
  },
  {
    name: 'organicCarbonMax_percent',
    symbol: 'OC_max',
    unit: '%',
    default: 60,
    min: 1,
    max: 100,
    source: 'organic matter is ≈ 50–58 % C (van Bemmelen factor 1.724 ⇒ 58 %); plant tissue ≈ 45–50 % C',
    description: 'a layer with more organic C than OC_max is implausible: its stock is not used for training',
  },
] as const);

export type StockScreenName = (typeof STOCK_SCREEN_PARAMS)[number]['name'];
export type StockScreenLimits = Readonly<Record<StockScreenName, number>>;

export function stockScreenDefaults(): StockScreenLimits {
  return Object.fromEntries(STOCK_SCREEN_PARAMS.map((p) => [p.name, p.default])) as Record<StockScreenName, number>;
}

/** One layer whose stock was dropped, with the values it rests on (carbon density NaN for a layer without thickness). */
export interface DroppedStock extends ImplausibleStock {
  readonly bulkDensity_g_per_cm3: number;
  readonly organicC_percent: number;
  /** Short reason key (counted), e.g. "bulk density > 2 g cm-3". */
  readonly reason: string;
}

export interface StockScreen {
  /** The table with the dropped stocks set to NaN (other columns shared with the input). */
  readonly table: LayerTable;
  /** Every dropped stock, the reader's rejections first, in row order within each. */
  readonly dropped: readonly DroppedStock[];
  /** Count by reason. */
  readonly byReason: Readonly<Record<string, number>>;
  readonly limits: StockScreenLimits;
}

/** The screen's reason for a row, or '' when its values are plausible (values that are not given are not checked). */
export function implausibleReason(bd: number, ocPercent: number, l: StockScreenLimits): string {
  if (bd < l.bulkDensityMin_g_per_cm3) return `bulk density < ${l.bulkDensityMin_g_per_cm3} g cm-3`;
  if (bd > l.bulkDensityMax_g_per_cm3) return `bulk density > ${l.bulkDensityMax_g_per_cm3} g cm-3`;
  if (ocPercent > l.organicCarbonMax_percent) return `organic C > ${l.organicCarbonMax_percent} %`;
  if (ocPercent < l.organicLayerCarbonMin_percent && bd < l.mineralBulkDensityMin_g_per_cm3) return `mineral layer (organic C < ${l.organicLayerCarbonMin_percent} %) with bulk density < ${l.mineralBulkDensityMin_g_per_cm3} g cm-3`;
  return '';
}

/** Screen the stocks of a layer table (pure; the input table is not changed). */
export function screenLayerStocks(t: LayerTable, limits: Partial<StockScreenLimits> = {}): StockScreen {
  const l: StockScreenLimits = { ...stockScreenDefaults(), ...limits };
  if (l.bulkDensityMin_g_per_cm3 >= l.bulkDensityMax_g_per_cm3) throw new RangeError(`stock screen: bulkDensityMin_g_per_cm3 (${l.bulkDensityMin_g_per_cm3}) must be below bulkDensityMax_g_per_cm3 (${l.bulkDensityMax_g_per_cm3})`);
  const stock = Float64Array.from(t.stock_MgC_per_ha);
  const stockSource = [...t.stockSource];
  const dropped: DroppedStock[] = [];
  const byReason: Record<string, number> = {};
  const add = (d: DroppedStock) => {
    dropped.push(d);
    byReason[d.reason] = (byReason[d.reason] ?? 0) + 1;
  };
  const rho = profileDefault('maxCarbonDensity_gC_per_cm3');
  for (const r of t.implausibleStocks) {
    add({ ...r, bulkDensity_g_per_cm3: t.bulkDensity_g_per_cm3[r.row], organicC_percent: t.soc_g_per_kg[r.row] / 10, reason: `carbon density > ${rho} g C cm-3 (reader)` });
  }
  for (let i = 0; i < t.n; i++) {
    if (!Number.isFinite(stock[i])) continue;
    const bd = t.bulkDensity_g_per_cm3[i];
    const oc = t.soc_g_per_kg[i] / 10;
    const reason = implausibleReason(bd, oc, l);
    if (!reason) continue;
    const h = t.bottom_cm[i] - t.top_cm[i];
    add({ row: i, label: t.label[i], profile: t.profile[i], top_cm: t.top_cm[i], bottom_cm: t.bottom_cm[i], stock_MgC_per_ha: stock[i], stockSource: stockSource[i], bulkDensity_g_per_cm3: bd, organicC_percent: oc, density_gC_per_cm3: h > 0 ? stock[i] / MGC_PER_HA_PER_GC_PER_CM2 / h : NaN, reason });
    stock[i] = NaN;
    stockSource[i] = `dropped (${reason})`;
  }
  return { table: { ...t, stock_MgC_per_ha: stock, stockSource }, dropped, byReason, limits: l };
}
