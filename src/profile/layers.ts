import { InputError, InputErrors } from '../core/errors.js';
import { columnIndex, numberColumn, requireColumns, stringColumn, type CsvTable } from '../core/csv.js';
import { MGC_PER_HA_PER_GC_PER_CM2, socDensity_MgC_per_ha } from './depth.js';
import { profileDefault } from './params.js';
import { fractionModern, fractionModernToDelta14C } from './radiocarbon/units.js';
import type { ProfileWarning } from './warnings.js';

/**
 * Layer data in the users' formats, read into one structure of arrays. Two formats:
 *
 * * **ISRaD-style** (header has `lyr_top`): `lyr_top`, `lyr_bot` (cm), `lyr_14c` (Δ14C ‰, primary),
 *   `lyr_fraction_modern` (used only where Δ14C is missing, converted with `lyr_obs_date_y`),
 *   `lyr_14c_sigma`, `lyr_obs_date_y`, `pro_lat`/`site_lat`, `lyr_c_org` (%), `lyr_bd_samp`
 *   (g cm⁻³), `lyr_soc` (g C cm⁻²); von Fromm's `*_filled` columns are used only where the reported
 *   value is missing, each time with a warning. Profile = `id`, else entry/site/profile names.
 * * **tidy**: `profile`, `top_cm`, `bottom_cm` and any of `delta14c_permil`,
 *   `delta14c_sigma_permil`, `fraction_modern`, `sampling_year`, `latitude`, `zone`,
 *   `soc_g_per_kg` or `soc_percent`, `bulk_density_g_per_cm3`, `coarse_fraction`,
 *   `stock_MgC_per_ha`, `root_mass`.
 *
 * Both may carry site-level columns for budgets (constant within a profile; given once is enough):
 * `npp_MgC_per_ha_yr`, `f_bnpp`, `bnpp_MgC_per_ha_yr`, `biome`, `root_beta`, `root_biome`,
 * `root_d50_cm`, `root_d95_cm`, and relative uncertainties `npp_cv`, `f_bnpp_cv`, `bnpp_cv`, `stock_cv`.
 */
export interface LayerTable {
  readonly file: string;
  readonly format: 'israd' | 'tidy';
  readonly n: number;
  readonly profile: readonly string[];
  /** "file:line" of each row, and the 1-based line. */
  readonly label: readonly string[];
  readonly line: Int32Array;
  readonly top_cm: Float64Array;
  readonly bottom_cm: Float64Array;
  readonly delta14C_permil: Float64Array;
  /** Where Δ14C came from: "reported", "fraction modern", or "" (missing). */
  readonly delta14CSource: readonly string[];
  readonly sigma_permil: Float64Array;
  readonly samplingYear: Float64Array;
  readonly latitude: Float64Array;
  readonly zone: readonly string[];
  readonly soc_g_per_kg: Float64Array;
  readonly bulkDensity_g_per_cm3: Float64Array;
  readonly coarseFraction: Float64Array;
  /** Layer SOC density (stock per area), Mg C ha⁻¹; NaN if it cannot be had. */
  readonly stock_MgC_per_ha: Float64Array;
  /** "reported", "computed" (003 Eq 1), "filled (von Fromm 2024)", or "". */
  readonly stockSource: readonly string[];
  readonly rootMass: Float64Array;
  /** Site-level values by column name, one per row (NaN / '' where not given). */
  readonly siteNumbers: Readonly<Record<SiteNumberColumn, Float64Array>>;
  readonly siteText: Readonly<Record<SiteTextColumn, readonly string[]>>;
  /** Row indices of each profile, in file order of first appearance. */
  readonly profiles: ReadonlyMap<string, readonly number[]>;
  /**
   * Rows whose SOC stock was larger than physically possible for the layer (above
   * `maxCarbonDensity_gC_per_cm3` × thickness): their stock is NaN (not used), the value they had is
   * kept here, and each has an `implausible-stock` warning naming the row.
   */
  readonly implausibleStocks: readonly ImplausibleStock[];
}

export interface ImplausibleStock {
  readonly row: number;
  /** "file:line" of the row. */
  readonly label: string;
  readonly profile: string;
  readonly top_cm: number;
  readonly bottom_cm: number;
  /** The rejected stock, Mg C ha⁻¹, where it came from, and its carbon density, g C cm⁻³. */
  readonly stock_MgC_per_ha: number;
  readonly stockSource: string;
  readonly density_gC_per_cm3: number;
}

export const SITE_NUMBER_COLUMNS = ['npp_MgC_per_ha_yr', 'f_bnpp', 'bnpp_MgC_per_ha_yr', 'root_beta', 'root_d50_cm', 'root_d95_cm', 'npp_cv', 'f_bnpp_cv', 'bnpp_cv', 'stock_cv'] as const;
export type SiteNumberColumn = (typeof SITE_NUMBER_COLUMNS)[number];
export const SITE_TEXT_COLUMNS = ['biome', 'root_biome'] as const;
export type SiteTextColumn = (typeof SITE_TEXT_COLUMNS)[number];

const SITE_RANGES: Record<SiteNumberColumn, [number, number, string]> = {
  npp_MgC_per_ha_yr: [0, 100, 'NPP in Mg C ha⁻¹ yr⁻¹, 0–100'],
  f_bnpp: [0, 1, 'a belowground fraction of NPP in [0, 1]'],
  bnpp_MgC_per_ha_yr: [0, 100, 'BNPP in Mg C ha⁻¹ yr⁻¹, 0–100'],
  root_beta: [0, 1, 'a root β in (0, 1)'],
  root_d50_cm: [0, 10000, 'D50 in cm > 0'],
  root_d95_cm: [0, 10000, 'D95 in cm > 0'],
  npp_cv: [0, 10, 'a coefficient of variation ≥ 0 (e.g. 0.2)'],
  f_bnpp_cv: [0, 10, 'a coefficient of variation ≥ 0'],
  bnpp_cv: [0, 10, 'a coefficient of variation ≥ 0'],
  stock_cv: [0, 10, 'a coefficient of variation ≥ 0'],
};

const DEPTH = { min: -1000, max: 100000, expected: 'a depth in cm (negative only for organic layers above the mineral surface)' };
const YEAR = { min: 1000, max: 2200, expected: 'a sampling year AD (e.g. 2012 or 2012.5)' };
const LAT = { min: -90, max: 90, expected: 'a latitude in decimal degrees, −90 to 90' };

/** A layer table from a parsed CSV in either format (see {@link LayerTable}); all bad cells are reported together. Reading the file is io's job (`readCsvFile`). */
export function layerTableFromCsv(t: CsvTable, warnings: ProfileWarning[]): LayerTable {
  const isIsrad = columnIndex(t, 'lyr_top') >= 0;
  if (!isIsrad && columnIndex(t, 'top_cm') < 0) {
    throw new InputError({
      file: t.file,
      keyPath: 'header',
      value: t.header.join(','),
      expected: 'an ISRaD-style layer table (lyr_top, lyr_bot, lyr_14c, …) or a tidy table (profile, top_cm, bottom_cm, …)',
    });
  }
  const errors: InputError[] = [];
  const n = t.rows.length;
  const label = Array.from(t.lines, (l) => `${t.file}:${l}`);
  let profile: string[];
  let top: Float64Array, bottom: Float64Array, d14: Float64Array, fm: Float64Array, sigma: Float64Array, year: Float64Array, lat: Float64Array;
  let soc: Float64Array, bd: Float64Array, coarse: Float64Array, stock: Float64Array, rootMass: Float64Array;
  let zone: string[];
  let socFilled: Float64Array | undefined, bdFilled: Float64Array | undefined, stockFilled: Float64Array | undefined;
  if (isIsrad) {
    requireColumns(t, ['lyr_top', 'lyr_bot'], 'ISRaD layer depths');
    const ids = stringColumn(t, 'id');
    const entry = stringColumn(t, 'entry_name');
    const site = stringColumn(t, 'site_name');
    const pro = stringColumn(t, 'pro_name');
    profile = ids.map((id, i) => id || [entry[i], site[i], pro[i]].filter(Boolean).join('_'));
    top = numberColumn(t, 'lyr_top', errors, DEPTH);
    bottom = numberColumn(t, 'lyr_bot', errors, DEPTH);
    d14 = numberColumn(t, 'lyr_14c', errors, { min: -1000, max: 5000, expected: 'Δ14C in ‰, > −1000' });
    fm = numberColumn(t, 'lyr_fraction_modern', errors, { min: 0, max: 10, expected: 'a fraction modern ≥ 0' });
    sigma = numberColumn(t, 'lyr_14c_sigma', errors, { min: 0, max: 1000, expected: 'a Δ14C uncertainty ≥ 0 ‰' });
    year = numberColumn(t, 'lyr_obs_date_y', errors, YEAR);
    const proLat = numberColumn(t, 'pro_lat', errors, LAT);
    const siteLat = numberColumn(t, 'site_lat', errors, LAT);
    lat = proLat.map((v, i) => (Number.isNaN(v) ? siteLat[i] : v));
    zone = stringColumn(t, 'zone');
    soc = numberColumn(t, 'lyr_c_org', errors, { min: 0, max: 100, expected: 'organic C in % (0–100)' }).map((v) => v * 10);
    bd = numberColumn(t, 'lyr_bd_samp', errors, { min: 0, max: 3, expected: 'a bulk density in g cm⁻³ (0–3)' });
    coarse = new Float64Array(n).fill(NaN);
    stock = numberColumn(t, 'lyr_soc', errors, { min: 0, max: 100, expected: 'a SOC stock in g C cm⁻² ≥ 0' }).map((v) => v * MGC_PER_HA_PER_GC_PER_CM2);
    rootMass = numberColumn(t, 'root_mass', errors, { min: 0, expected: 'a root mass ≥ 0' });
    if (columnIndex(t, 'lyr_c_org_filled') >= 0) socFilled = numberColumn(t, 'lyr_c_org_filled', errors, { min: 0, max: 100, expected: 'organic C in % (0–100)' }).map((v) => v * 10);
    if (columnIndex(t, 'lyr_bd_samp_filled') >= 0) bdFilled = numberColumn(t, 'lyr_bd_samp_filled', errors, { min: 0, max: 3, expected: 'a bulk density in g cm⁻³ (0–3)' });
    if (columnIndex(t, 'lyr_soc_filled') >= 0) stockFilled = numberColumn(t, 'lyr_soc_filled', errors, { min: 0, max: 100, expected: 'a SOC stock in g C cm⁻² ≥ 0' }).map((v) => v * MGC_PER_HA_PER_GC_PER_CM2);
  } else {
    const pcol = columnIndex(t, 'profile') >= 0 ? 'profile' : 'site';
    requireColumns(t, [pcol, 'top_cm', 'bottom_cm'], 'tidy layer table');
    profile = stringColumn(t, pcol);
    top = numberColumn(t, 'top_cm', errors, DEPTH);
    bottom = numberColumn(t, 'bottom_cm', errors, DEPTH);
    d14 = numberColumn(t, 'delta14c_permil', errors, { min: -1000, max: 5000, expected: 'Δ14C in ‰, > −1000' });
    fm = numberColumn(t, 'fraction_modern', errors, { min: 0, max: 10, expected: 'a fraction modern ≥ 0' });
    sigma = numberColumn(t, 'delta14c_sigma_permil', errors, { min: 0, max: 1000, expected: 'a Δ14C uncertainty ≥ 0 ‰' });
    year = numberColumn(t, 'sampling_year', errors, YEAR);
    lat = numberColumn(t, 'latitude', errors, LAT);
    zone = stringColumn(t, 'zone');
    const socPct = numberColumn(t, 'soc_percent', errors, { min: 0, max: 100, expected: 'organic C in % (0–100)' });
    soc = numberColumn(t, 'soc_g_per_kg', errors, { min: 0, max: 1000, expected: 'organic C in g kg⁻¹ (0–1000)' }).map((v, i) => (Number.isNaN(v) ? socPct[i] * 10 : v));
    bd = numberColumn(t, 'bulk_density_g_per_cm3', errors, { min: 0, max: 3, expected: 'a bulk density in g cm⁻³ (0–3)' });
    coarse = numberColumn(t, 'coarse_fraction', errors, { min: 0, max: 1, expected: 'a coarse-fragment volume fraction in [0, 1)' });
    stock = numberColumn(t, 'stock_MgC_per_ha', errors, { min: 0, max: 10000, expected: 'a layer SOC stock in Mg C ha⁻¹ ≥ 0' });
    rootMass = numberColumn(t, 'root_mass', errors, { min: 0, expected: 'a root mass ≥ 0' });
  }
  const siteNumbers = Object.fromEntries(
    SITE_NUMBER_COLUMNS.map((c) => [c, numberColumn(t, c, errors, { min: SITE_RANGES[c][0], max: SITE_RANGES[c][1], expected: SITE_RANGES[c][2] })]),
  ) as Record<SiteNumberColumn, Float64Array>;
  const siteText = Object.fromEntries(SITE_TEXT_COLUMNS.map((c) => [c, stringColumn(t, c)])) as Record<SiteTextColumn, string[]>;
  for (let i = 0; i < n; i++) if (!profile[i]) errors.push(new InputError({ file: t.file, line: t.lines[i], keyPath: isIsrad ? 'id' : 'profile', value: '', expected: 'a profile identifier' }));
  if (errors.length > 0) throw errors.length === 1 ? errors[0] : new InputErrors(errors);

  const d14Source = new Array<string>(n).fill('');
  const stockSource = new Array<string>(n).fill('');
  for (let i = 0; i < n; i++) {
    if (Number.isFinite(d14[i])) d14Source[i] = 'reported';
    else if (Number.isFinite(fm[i]) && fm[i] > 0) {
      if (Number.isFinite(year[i])) {
        d14[i] = fractionModernToDelta14C(fractionModern(fm[i]), year[i]);
        d14Source[i] = 'fraction modern';
        warnings.push({ profile: profile[i], horizon: label[i], code: 'delta14c-from-fraction-modern', message: `Δ14C missing: computed ${d14[i].toFixed(1)} ‰ from fraction modern ${fm[i]} measured in ${year[i]} (Stuiver & Polach)` });
      } else {
        warnings.push({ profile: profile[i], horizon: label[i], code: 'fraction-modern-without-year', message: 'Δ14C missing and fraction modern cannot be converted without the sampling year' });
      }
    }
    if (socFilled && Number.isNaN(soc[i]) && Number.isFinite(socFilled[i])) {
      soc[i] = socFilled[i];
      warnings.push({ profile: profile[i], horizon: label[i], code: 'filled-c-org', message: 'organic C not reported: von Fromm et al. (2024) filled value lyr_c_org_filled used' });
    }
    if (bdFilled && Number.isNaN(bd[i]) && Number.isFinite(bdFilled[i])) {
      bd[i] = bdFilled[i];
      warnings.push({ profile: profile[i], horizon: label[i], code: 'filled-bulk-density', message: 'bulk density not reported: von Fromm et al. (2024) filled value lyr_bd_samp_filled used' });
    }
    if (Number.isFinite(stock[i])) stockSource[i] = 'reported';
    else if (Number.isFinite(soc[i]) && Number.isFinite(bd[i]) && bottom[i] > top[i]) {
      stock[i] = socDensity_MgC_per_ha(soc[i], bd[i], bottom[i] - top[i], Number.isFinite(coarse[i]) ? coarse[i] : 0);
      stockSource[i] = 'computed';
    } else if (stockFilled && Number.isFinite(stockFilled[i])) {
      stock[i] = stockFilled[i];
      stockSource[i] = 'filled (von Fromm 2024)';
      warnings.push({ profile: profile[i], horizon: label[i], code: 'filled-stock', message: 'SOC stock not reported nor computable: von Fromm et al. (2024) filled lyr_soc_filled used' });
    }
  }
  // Plausibility: a layer cannot hold more carbon than ρ_C,max per cm³ (e.g. lyr_soc 100× off).
  const maxDensity = profileDefault('maxCarbonDensity_gC_per_cm3');
  const implausibleStocks: ImplausibleStock[] = [];
  for (let i = 0; i < n; i++) {
    const h = bottom[i] - top[i];
    if (!Number.isFinite(stock[i]) || !(h > 0)) continue;
    const density = stock[i] / MGC_PER_HA_PER_GC_PER_CM2 / h;
    if (density <= maxDensity) continue;
    implausibleStocks.push({ row: i, label: label[i], profile: profile[i], top_cm: top[i], bottom_cm: bottom[i], stock_MgC_per_ha: stock[i], stockSource: stockSource[i], density_gC_per_cm3: density });
    warnings.push({
      profile: profile[i],
      horizon: label[i],
      code: 'implausible-stock',
      message: `SOC stock rejected: ${stock[i].toPrecision(4)} Mg C ha⁻¹ (${stockSource[i]}) over ${top[i]}–${bottom[i]} cm is ${density.toPrecision(3)} g C cm⁻³, above the physical bound ${maxDensity} g C cm⁻³ (maxCarbonDensity_gC_per_cm3); check the unit of the stock column`,
    });
    stock[i] = NaN;
    stockSource[i] = `rejected (implausible ${stockSource[i]})`;
  }
  if (n === 0) throw new InputError({ file: t.file, expected: 'at least one layer row below the header (the file has none)' });
  // Duplicate ids are refused, never merged: a profile's rows are contiguous and hold each depth interval once.
  const profiles = new Map<string, number[]>();
  const dupErrors: InputError[] = [];
  const idKey = isIsrad ? 'id' : columnIndex(t, 'profile') >= 0 ? 'profile' : 'site';
  for (let i = 0; i < n; i++) {
    const list = profiles.get(profile[i]);
    if (!list) {
      profiles.set(profile[i], [i]);
      continue;
    }
    const last = list[list.length - 1];
    if (last !== i - 1 && dupErrors.length < 20) {
      dupErrors.push(new InputError({ file: t.file, line: t.lines[i], keyPath: idKey, value: profile[i], expected: `a profile id not used before (${label[list[0]]}–${t.lines[last]} are "${profile[i]}" and other rows come between; duplicate ids are not merged: give each profile its own id, or keep its rows together)` }));
    }
    const same = list.find((j) => top[j] === top[i] && bottom[j] === bottom[i]);
    if (same !== undefined && dupErrors.length < 20) {
      dupErrors.push(new InputError({ file: t.file, line: t.lines[i], keyPath: idKey, value: profile[i], expected: `each depth interval once per profile (${top[i]}–${bottom[i]} cm is also ${label[same]}; a duplicated profile?)` }));
    }
    list.push(i);
  }
  if (dupErrors.length > 0) throw dupErrors.length === 1 ? dupErrors[0] : new InputErrors(dupErrors);
  return {
    file: t.file,
    format: isIsrad ? 'israd' : 'tidy',
    n,
    profile,
    label,
    line: t.lines,
    top_cm: top,
    bottom_cm: bottom,
    delta14C_permil: d14,
    delta14CSource: d14Source,
    sigma_permil: sigma,
    samplingYear: year,
    latitude: lat,
    zone,
    soc_g_per_kg: soc,
    bulkDensity_g_per_cm3: bd,
    coarseFraction: coarse,
    stock_MgC_per_ha: stock,
    stockSource,
    rootMass,
    siteNumbers,
    siteText,
    profiles,
    implausibleStocks,
  };
}

/**
 * A site-level value of a profile: the one value given on its rows (NaN / '' if none). Different
 * values on rows of the same profile are an input error naming both rows.
 */
export function siteValue(t: LayerTable, rows: readonly number[], column: SiteNumberColumn): number {
  const col = t.siteNumbers[column];
  let v = NaN;
  let at = -1;
  for (const i of rows) {
    if (Number.isNaN(col[i])) continue;
    if (at >= 0 && col[i] !== v) {
      throw new InputError({ file: t.file, keyPath: column, value: col[i], expected: `one value per profile "${t.profile[i]}" (${t.label[at]} has ${v}, ${t.label[i]} has ${col[i]})` });
    }
    if (at < 0) {
      v = col[i];
      at = i;
    }
  }
  return v;
}

export function siteText(t: LayerTable, rows: readonly number[], column: SiteTextColumn): string {
  const col = t.siteText[column];
  let v = '';
  let at = -1;
  for (const i of rows) {
    if (!col[i]) continue;
    if (at >= 0 && col[i] !== v) {
      throw new InputError({ file: t.file, keyPath: column, value: col[i], expected: `one value per profile "${t.profile[i]}" (${t.label[at]} has "${v}")` });
    }
    if (at < 0) {
      v = col[i];
      at = i;
    }
  }
  return v;
}
