import { InputError, oneOf } from '../../core/errors.js';
import { readPackageData } from '../../core/data.js';
import { numberColumn, parseCsv, requireColumns, stringColumn, type CsvTable } from '../../core/csv.js';

/**
 * Atmospheric Δ14C curves by zone (PROFILE.md "Atmospheric curves"). A curve is a table of
 * (decimal year, Δ14C ‰) points; between points it is **linear** in time, which lets the soil
 * models be solved exactly between points. Files live in data/radiocarbon/ (PROVENANCE.md there).
 */

/** Hua et al. (2013) zones: NH zones 1–3, SH zones 1–2 (merged) and 3. */
export const ZONES = ['NH1', 'NH2', 'NH3', 'SH12', 'SH3'] as const;
export type Zone = (typeof ZONES)[number];

export const CURVE_IDS = ['Hua2022', 'Hua2013', 'Graven2017', 'ISRaD-annual'] as const;
export type CurveId = (typeof CURVE_IDS)[number];

/**
 * What to do for times past a curve's last point. `none`: refuse (the default). `hold-last`: keep
 * the last value constant. `forecast`: append the ISRaD annual hemispheric series (Hua et al. 2022
 * annual means) after the curve's end, then the ISRaD 2020–2025 forecast (after Sierra 2018);
 * both are hemispheric, so zone contrasts are lost over the appended years.
 */
export const EXTENSION_RULES = ['none', 'hold-last', 'forecast'] as const;
export type ExtensionRule = (typeof EXTENSION_RULES)[number];

export const CURVE_CITATIONS: Record<CurveId, string> = {
  Hua2022: 'Hua et al. (2022) Radiocarbon 64:723–745, doi:10.1017/RDC.2021.95 (SoilR Hua2021)',
  Hua2013: 'Hua et al. (2013) Radiocarbon 55:2059–2072, doi:10.2458/azu_js_rc.v55i2.16177 (SoilR Hua2013)',
  Graven2017: 'Graven et al. (2017) Geosci. Model Dev. 10:4405–4417, doi:10.5194/gmd-10-4405-2017 (SoilR Graven2017)',
  'ISRaD-annual': 'Hua et al. (2022) as annual hemispheric means, ISRaD 2.5.5 Hua_2021',
};

/** Start of the model runs: the pre-bomb steady state is taken at 1950.0 (001 Methods: "from 1950 in this study"). */
export const PRE_BOMB_START_YEAR = 1950;

export interface AtmosphericCurve {
  readonly id: CurveId;
  readonly zone: Zone;
  /** Column or zone name in the source file that serves `zone` (e.g. Graven's "NH"). */
  readonly sourceZone: string;
  /** Strictly increasing decimal years. */
  readonly years: Float64Array;
  /** Δ14C of the atmosphere, ‰, at `years`. */
  readonly delta14C_permil: Float64Array;
  /** A/A_std = Δ14C/1000 + 1 at `years` (001 Eq 5), what the models integrate. */
  readonly absolute: Float64Array;
  /** Last year of the original curve (before any extension). */
  readonly originalEndYear: number;
  readonly extension: ExtensionRule;
  /** Years from which the values come from the extension rule (NaN when none). */
  readonly extendedFromYear: number;
  /** The end of validity: last point, or +Infinity for `hold-last`. */
  readonly endYear: number;
  readonly citation: string;
}

/** An error for a time outside a curve; names the curve, its last year and the ways out. */
export class CurveRangeError extends InputError {
  readonly curveId: CurveId;
  readonly lastYear: number;
  constructor(curve: AtmosphericCurve, year: number, keyPath = 'year') {
    super({
      keyPath,
      value: year,
      expected: `a sampling year ≤ ${round4(curve.endYear)}, the end of curve ${curve.id} (zone ${curve.zone}${curve.extension !== 'none' ? `, extended by "${curve.extension}"` : ''})`,
      detail:
        curve.extension === 'none'
          ? 'choose an extension rule (--extend forecast: ISRaD annual + 2020–2025 forecast; --extend hold-last) or another curve'
          : 'no extension rule reaches this year',
    });
    this.name = 'CurveRangeError';
    this.curveId = curve.id;
    this.lastYear = curve.endYear;
  }
}

function round4(x: number): number {
  return Math.round(x * 1e4) / 1e4;
}

/** Zones of Hua et al. (2022/2013) as spelt in the SoilR exports. */
const HUA_ZONE_NAME: Record<CurveId, Record<Zone, string> | undefined> = {
  Hua2022: { NH1: 'NHZone1', NH2: 'NHZone2', NH3: 'NHZone3', SH12: 'SHZone1-2', SH3: 'SHZone3' },
  Hua2013: { NH1: 'NHZone1', NH2: 'NHZone2', NH3: 'NHZone3', SH12: 'SHZone12', SH3: 'SHZone3' },
  Graven2017: undefined,
  'ISRaD-annual': undefined,
};

/** Graven et al. (2017) bands: NH > 30°N, Tropics 30°S–30°N, SH > 30°S; nearest band per Hua zone (approximate). */
const GRAVEN_COLUMN: Record<Zone, string> = { NH1: 'NH_delta14C', NH2: 'NH_delta14C', NH3: 'Tropics_delta14C', SH3: 'Tropics_delta14C', SH12: 'SH_delta14C' };
/** ISRaD hemispheric series: north or south of the equator. */
const ISRAD_COLUMN: Record<Zone, string> = { NH1: 'NH14C', NH2: 'NH14C', NH3: 'NH14C', SH3: 'SH14C', SH12: 'SH14C' };

const fileCache = new Map<string, CsvTable>();
function shipped(file: string): CsvTable {
  let t = fileCache.get(file);
  if (!t) {
    const d = readPackageData(`radiocarbon/${file}`);
    t = parseCsv(d.text, d.source);
    fileCache.set(file, t);
  }
  return t;
}

function numbers(t: CsvTable, col: string): Float64Array {
  const errors: InputError[] = [];
  requireColumns(t, [col], 'shipped curve file');
  const v = numberColumn(t, col, errors);
  if (errors.length > 0) throw errors[0];
  return v;
}

interface RawSeries {
  years: Float64Array;
  delta: Float64Array;
  sourceZone: string;
}

function rawSeries(id: CurveId, zone: Zone): RawSeries {
  if (id === 'Hua2022' || id === 'Hua2013') {
    const t = shipped(id === 'Hua2022' ? 'SoilR_Hua2021_all_zones.csv' : 'SoilR_Hua2013_all_zones.csv');
    const name = HUA_ZONE_NAME[id]![zone];
    const zones = stringColumn(t, 'zone');
    const years = numbers(t, 'year_ad');
    const delta = numbers(t, 'mean.Delta14C');
    const idx = zones.flatMap((z, i) => (z === name ? [i] : []));
    return { years: Float64Array.from(idx, (i) => years[i]), delta: Float64Array.from(idx, (i) => delta[i]), sourceZone: name };
  }
  if (id === 'Graven2017') {
    const t = shipped('SoilR_Graven2017.csv');
    return { years: numbers(t, 'year_ad'), delta: numbers(t, GRAVEN_COLUMN[zone]), sourceZone: GRAVEN_COLUMN[zone] };
  }
  const t = shipped('ISRaD_Hua_2021.csv');
  return { years: numbers(t, 'Year.AD'), delta: numbers(t, ISRAD_COLUMN[zone]), sourceZone: ISRAD_COLUMN[zone] };
}

const curveCache = new Map<string, AtmosphericCurve>();

/**
 * The atmospheric curve `id` for `zone`, optionally extended past its end by a named rule.
 * Curves are cached (they are immutable).
 */
export function loadCurve(id: CurveId = 'Hua2022', zone: Zone = 'NH1', extension: ExtensionRule = 'none'): AtmosphericCurve {
  if (!CURVE_IDS.includes(id)) throw new InputError({ keyPath: 'curve', value: id, expected: `one of ${CURVE_IDS.join(', ')}` });
  if (!ZONES.includes(zone)) throw new InputError({ keyPath: 'zone', value: zone, expected: `one of ${ZONES.join(', ')}` });
  if (!EXTENSION_RULES.includes(extension)) throw new InputError({ keyPath: 'extend', value: extension, expected: `one of ${EXTENSION_RULES.join(', ')}` });
  const key = `${id}|${zone}|${extension}`;
  const hit = curveCache.get(key);
  if (hit) return hit;
  const raw = rawSeries(id, zone);
  const years = Array.from(raw.years);
  const delta = Array.from(raw.delta);
  const originalEndYear = years[years.length - 1];
  let extendedFromYear = NaN;
  let endYear = originalEndYear;
  if (extension === 'hold-last') {
    extendedFromYear = originalEndYear;
    endYear = Infinity;
  } else if (extension === 'forecast') {
    const annual = shipped('ISRaD_Hua_2021.csv');
    const future = shipped('ISRaD_future14C.csv');
    const col = ISRAD_COLUMN[zone];
    for (const t of [annual, future]) {
      const y = numbers(t, 'Year.AD');
      const d = numbers(t, col);
      for (let i = 0; i < y.length; i++) {
        if (y[i] > years[years.length - 1]) {
          if (Number.isNaN(extendedFromYear)) extendedFromYear = originalEndYear;
          years.push(y[i]);
          delta.push(d[i]);
        }
      }
    }
    endYear = years[years.length - 1];
  }
  for (let i = 1; i < years.length; i++) {
    if (!(years[i] > years[i - 1])) throw new Error(`curve ${id} ${zone}: years not increasing at ${years[i]}`);
  }
  const curve: AtmosphericCurve = {
    id,
    zone,
    sourceZone: raw.sourceZone,
    years: Float64Array.from(years),
    delta14C_permil: Float64Array.from(delta),
    absolute: Float64Array.from(delta, (d) => d / 1000 + 1),
    originalEndYear,
    extension,
    extendedFromYear,
    endYear,
    citation: CURVE_CITATIONS[id] + (extension === 'forecast' ? '; extended with ISRaD annual NH/SH series and the ISRaD 2020–2025 forecast (Sierra 2018)' : extension === 'hold-last' ? '; held constant after its last point' : ''),
  };
  curveCache.set(key, curve);
  return curve;
}

/** Index i with years[i] ≤ t < years[i+1] (clamped to [0, n−2]); binary search. */
export function segmentIndex(years: Float64Array, t: number): number {
  let lo = 0;
  let hi = years.length - 1;
  if (t <= years[0]) return 0;
  if (t >= years[hi]) return Math.max(0, hi - 1);
  while (hi - lo > 1) {
    const mid = (lo + hi) >>> 1;
    if (years[mid] <= t) lo = mid;
    else hi = mid;
  }
  return lo;
}

/**
 * Atmospheric A/A_std at decimal year t (linear interpolation). Before the first point the first
 * value is held (the pre-bomb level); past the end: the last value for `hold-last`, else a
 * {@link CurveRangeError}.
 */
export function atmosphereAbsoluteAt(curve: AtmosphericCurve, t: number): number {
  const { years, absolute } = curve;
  const n = years.length;
  if (t <= years[0]) return absolute[0];
  if (t >= years[n - 1]) {
    if (t === years[n - 1] || curve.extension === 'hold-last') return absolute[n - 1];
    throw new CurveRangeError(curve, t);
  }
  const i = segmentIndex(years, t);
  const w = (t - years[i]) / (years[i + 1] - years[i]);
  return absolute[i] + w * (absolute[i + 1] - absolute[i]);
}

/** Atmospheric Δ14C (‰) at decimal year t; see {@link atmosphereAbsoluteAt}. */
export function atmosphereDelta14CAt(curve: AtmosphericCurve, t: number): number {
  return (atmosphereAbsoluteAt(curve, t) - 1) * 1000;
}

/** The time of the pre-bomb steady state for `curve`: 1950.0, or the first point if the curve starts later (Hua 2013 NH: 1950.5). */
export function preBombStartYear(curve: AtmosphericCurve): number {
  return Math.max(PRE_BOMB_START_YEAR, curve.years[0]);
}

/**
 * Hua zone from latitude, a deliberately simple rule (Hua et al. 2013, Fig. 1, approximated by
 * latitude bands; the real zone boundaries follow the seasonal ITCZ and differ by longitude):
 * NH1 ≥ 40°N; NH2 25–40°N; NH3 0–25°N; SH3 0–20°S; SH12 south of 20°S. Name the zone when you know it.
 */
export function zoneFromLatitude(latitudeDeg: number): Zone {
  if (!(latitudeDeg >= -90 && latitudeDeg <= 90)) {
    throw new InputError({ keyPath: 'latitude', value: latitudeDeg, expected: 'a latitude in [−90, 90] decimal degrees' });
  }
  if (latitudeDeg >= 40) return 'NH1';
  if (latitudeDeg >= 25) return 'NH2';
  if (latitudeDeg >= 0) return 'NH3';
  if (latitudeDeg >= -20) return 'SH3';
  return 'SH12';
}

/** Parse a zone name (case-insensitive; accepts "NHZone1", "SHZone1-2" and the like). */
export function parseZone(text: string, where: { file?: string; line?: number; keyPath?: string } = {}): Zone {
  const t = text.trim().toUpperCase().replace('ZONE', '').replace('-', '');
  const z = ZONES.find((k) => k === t);
  if (!z) throw new InputError({ ...where, keyPath: where.keyPath ?? 'zone', value: text, expected: oneOf(ZONES, t, 'a zone:') });
  return z;
}
