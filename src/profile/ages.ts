import { InputError } from '../core/errors.js';
import type { LayerTable } from './layers.js';
import { CurveRangeError, loadCurve, parseZone, zoneFromLatitude, type AtmosphericCurve, type CurveId, type ExtensionRule, type Zone } from './radiocarbon/curves.js';
import { chooseRoot, invertOnePool, type AgeInversion, type RootChoice } from './radiocarbon/inversion.js';
import { delta14CPermil } from './radiocarbon/units.js';
import type { ProfileWarning } from './warnings.js';

/** How layer ages are computed from Δ14C (001 Eqs 1–5). */
export interface AgeOptions {
  /** Atmospheric curve (default Hua2022). */
  readonly curve?: CurveId;
  /** Extension past the curve's end (default none: refuse, with a warning per layer). */
  readonly extension?: ExtensionRule;
  /** Zone for rows without a `zone` column value; otherwise the zone comes from latitude. */
  readonly zone?: Zone;
  /** Which τ to use when several fit (default slowest). */
  readonly rootChoice?: RootChoice;
}

/** Age results per layer row (NaN / '' where no age). */
export interface LayerAges {
  readonly zone: string[];
  readonly inversions: (AgeInversion | undefined)[];
  /** Chosen τ (years), its interval from σ, and its branch. */
  readonly turnoverYears: Float64Array;
  readonly turnoverLoYears: Float64Array;
  readonly turnoverHiYears: Float64Array;
  readonly branch: string[];
  readonly limb: Int32Array;
  readonly rootCount: Int32Array;
  readonly ambiguous: Uint8Array;
  /** All roots as text, e.g. "10.29 fast; 72.43 slow". */
  readonly allRoots: string[];
  /** "ok", "no-delta14c", "no-year", "no-zone", "past-curve-end", "above-maximum", "below-search-range". */
  readonly status: string[];
}

/** The zone of row i: its `zone` value, else from latitude, else the option; undefined if none. */
export function rowZone(t: LayerTable, i: number, fallback: Zone | undefined): Zone | undefined {
  if (t.zone[i]) return parseZone(t.zone[i], { file: t.file, keyPath: 'zone', line: t.line[i] });
  if (fallback) return fallback;
  if (Number.isFinite(t.latitude[i])) return zoneFromLatitude(t.latitude[i]);
  return undefined;
}

/** Invert every layer's Δ14C; problems become warnings, never exceptions (except bad zone names). */
export function layerAges(t: LayerTable, options: AgeOptions, warnings: ProfileWarning[]): LayerAges {
  const n = t.n;
  const out: LayerAges = {
    zone: new Array<string>(n).fill(''),
    inversions: new Array<AgeInversion | undefined>(n).fill(undefined),
    turnoverYears: new Float64Array(n).fill(NaN),
    turnoverLoYears: new Float64Array(n).fill(NaN),
    turnoverHiYears: new Float64Array(n).fill(NaN),
    branch: new Array<string>(n).fill(''),
    limb: new Int32Array(n).fill(-1),
    rootCount: new Int32Array(n),
    ambiguous: new Uint8Array(n),
    allRoots: new Array<string>(n).fill(''),
    status: new Array<string>(n).fill(''),
  };
  const curves = new Map<Zone, AtmosphericCurve>();
  const warn = (i: number, code: string, message: string): void => {
    warnings.push({ profile: t.profile[i], horizon: t.label[i], code, message });
  };
  for (let i = 0; i < n; i++) {
    const d = t.delta14C_permil[i];
    if (!Number.isFinite(d)) {
      out.status[i] = 'no-delta14c';
      continue;
    }
    const year = t.samplingYear[i];
    if (!Number.isFinite(year)) {
      out.status[i] = 'no-year';
      warn(i, 'age-no-year', 'no age: the sampling year is missing');
      continue;
    }
    const zone = rowZone(t, i, options.zone);
    if (!zone) {
      out.status[i] = 'no-zone';
      warn(i, 'age-no-zone', 'no age: neither zone nor latitude given (use --zone)');
      continue;
    }
    out.zone[i] = zone;
    let curve = curves.get(zone);
    if (!curve) curves.set(zone, (curve = loadCurve(options.curve ?? 'Hua2022', zone, options.extension ?? 'none')));
    let inv: AgeInversion;
    try {
      const sigma = t.sigma_permil[i];
      inv = invertOnePool(curve, delta14CPermil(d), year, Number.isFinite(sigma) ? { sigma_permil: sigma } : {});
    } catch (e) {
      if (e instanceof CurveRangeError) {
        out.status[i] = 'past-curve-end';
        warn(i, 'age-past-curve-end', `no age: sampling year ${year} is after the end of ${curve.id} (${curve.endYear}); choose an extension rule (e.g. forecast)`);
        continue;
      }
      if (e instanceof InputError) {
        out.status[i] = 'invalid';
        warn(i, 'age-invalid', `no age: ${e.message}`);
        continue;
      }
      throw e;
    }
    out.inversions[i] = inv;
    out.status[i] = inv.status;
    out.rootCount[i] = inv.roots.length;
    out.ambiguous[i] = inv.ambiguous ? 1 : 0;
    out.allRoots[i] = inv.roots.map((r) => `${r.turnoverYears.toPrecision(6)} ${r.branch}`).join('; ');
    const root = chooseRoot(inv, options.rootChoice ?? 'slowest');
    if (!root) {
      warn(i, `age-${inv.status}`, inv.status === 'above-maximum'
        ? `no age: Δ14C ${d} ‰ is above the highest value a one-pool soil can reach in ${year} (${inv.maxDelta14C_permil.toFixed(1)} ‰)`
        : `no age: Δ14C ${d} ‰ is older than the search range (${inv.searchRangeYears[1]} yr)`);
      continue;
    }
    out.turnoverYears[i] = root.turnoverYears;
    out.branch[i] = root.branch;
    out.limb[i] = root.limb;
    if (root.interval) {
      out.turnoverLoYears[i] = root.interval[0];
      out.turnoverHiYears[i] = root.interval[1];
    }
    if (inv.ambiguous) warn(i, 'age-ambiguous', `Δ14C ${d} ‰ in ${year} fits ${inv.roots.length} turnover times (${out.allRoots[i]}); the ${options.rootChoice ?? 'slowest'} is used`);
  }
  return out;
}
