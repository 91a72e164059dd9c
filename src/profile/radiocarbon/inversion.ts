import { InputError } from '../../core/errors.js';
import { brentRoot, goldenMin } from '../../numerics/roots1d.js';
import type { AtmosphericCurve } from './curves.js';
import { onePoolAbsolute } from './one-pool.js';
import type { Delta14CPermil } from './units.js';

/**
 * Age inversion of the one-pool model (001 Eqs 1–5): every turnover time τ whose modelled soil
 * Δ14C at the sampling year equals the measurement. Under the bomb curve Δ14C(τ) is not monotone:
 * it rises with τ while bomb carbon accumulates ("fast" branch), peaks, then falls towards
 * −1000 ‰ ("slow" branch, the one continuous with the pre-bomb steady state). A measurement
 * between the atmosphere and the peak therefore has two (rarely more) solutions; all are returned
 * and the result is flagged ambiguous.
 *
 * Method: Δ14C(τ) is evaluated exactly on a log-spaced grid of τ, its local extrema are located
 * and refined by golden-section search; between consecutive extrema Δ14C is monotone ("limbs"), so
 * each limb holds at most one root, found by Brent's method in ln τ to 1e−12 relative. Extrema
 * closer than one grid step (a factor 10^(1/pointsPerDecade) in τ) would be missed; the curves'
 * monthly resolution makes such features physically meaningless.
 */

export type Branch = 'fast' | 'slow';

export interface AgeRoot {
  /** τ = 1/k, years (001: C_age). */
  readonly turnoverYears: number;
  /** "fast": Δ14C rises with τ here (bomb carbon dominates); "slow": Δ14C falls with τ (pre-bomb-like branch). */
  readonly branch: Branch;
  /** Index of the monotone limb (0 = fastest). */
  readonly limb: number;
  /** τ range on the same limb for Δ14C ± σ, when σ is given; [lo, hi] years. */
  readonly interval?: readonly [number, number];
  /** True if Δ14C ± σ leaves the limb: the interval stops at a turning point (the other branch is within 1σ) or at the search range. */
  readonly intervalClamped?: boolean;
}

export type InversionStatus = 'ok' | 'above-maximum' | 'below-search-range';

export interface AgeInversion {
  readonly delta14C_permil: number;
  readonly sigma_permil: number | undefined;
  readonly year: number;
  readonly roots: readonly AgeRoot[];
  readonly ambiguous: boolean;
  readonly status: InversionStatus;
  /** Highest Δ14C any τ in the search range can produce at this year, ‰, and where. */
  readonly maxDelta14C_permil: number;
  readonly turnoverAtMaxYears: number;
  /** Δ14C at the old end of the search range, ‰ (a measurement below this is "older than the range"). */
  readonly minDelta14C_permil: number;
  readonly searchRangeYears: readonly [number, number];
}

export interface InversionOptions {
  /** Measurement uncertainty (1σ), ‰: gives an interval per root. */
  readonly sigma_permil?: number;
  /** Search range for τ, years (defaults 0.1 and 1e7). */
  readonly minTurnoverYears?: number;
  readonly maxTurnoverYears?: number;
  /** Grid density for locating the limbs (default 40 points per decade of τ). */
  readonly pointsPerDecade?: number;
}

/** Monotone pieces of Δ14C(ln τ) at one sampling year. */
interface LimbTable {
  readonly lnT: Float64Array;
  readonly delta: Float64Array;
  /** Limb boundaries in ln τ (first = ln τ_min, last = ln τ_max, in between the refined extrema), and Δ14C there. */
  readonly edges: Float64Array;
  readonly edgeDelta: Float64Array;
  /** Grid index range [gridStart[k], gridEnd[k]] covering limb k (points outside its edges are skipped). */
  readonly gridStart: Int32Array;
  readonly gridEnd: Int32Array;
}

const tables = new WeakMap<AtmosphericCurve, Map<string, LimbTable>>();

const deltaAt = (curve: AtmosphericCurve, lnT: number, year: number): number => (onePoolAbsolute(curve, Math.exp(lnT), year) - 1) * 1000;

function limbTable(curve: AtmosphericCurve, year: number, lnMin: number, lnMax: number, perDecade: number): LimbTable {
  let byKey = tables.get(curve);
  if (!byKey) tables.set(curve, (byKey = new Map()));
  const key = `${year}|${lnMin}|${lnMax}|${perDecade}`;
  const hit = byKey.get(key);
  if (hit) return hit;
  const m = Math.max(8, Math.ceil(((lnMax - lnMin) / Math.LN10) * perDecade) + 1);
  const lnT = new Float64Array(m);
  const delta = new Float64Array(m);
  for (let j = 0; j < m; j++) {
    lnT[j] = lnMin + ((lnMax - lnMin) * j) / (m - 1);
    delta[j] = deltaAt(curve, lnT[j], year);
  }
  // Discrete extrema, ignoring sub-nano-permil wiggles of round-off.
  const noise = 1e-9;
  const edges: number[] = [lnMin];
  const edgeDelta: number[] = [delta[0]];
  const gridStart: number[] = [];
  const gridEnd: number[] = [];
  let start = 0;
  let lastDir = 0;
  for (let j = 1; j < m; j++) {
    const diff = delta[j] - delta[j - 1];
    const dir = diff > noise ? 1 : diff < -noise ? -1 : 0;
    if (dir === 0) continue;
    if (lastDir !== 0 && dir !== lastDir) {
      // Extremum near grid point j−1: refine on [j−2, j].
      const isMax = lastDir > 0;
      const lo = lnT[Math.max(0, j - 2)];
      const hi = lnT[j];
      const x = goldenMin((u) => (isMax ? -1 : 1) * deltaAt(curve, u, year), lo, hi, 1e-12);
      gridStart.push(start);
      gridEnd.push(j);
      edges.push(x);
      edgeDelta.push(deltaAt(curve, x, year));
      start = Math.max(0, j - 2);
    }
    lastDir = dir;
  }
  gridStart.push(start);
  gridEnd.push(m - 1);
  edges.push(lnMax);
  edgeDelta.push(delta[m - 1]);
  const table: LimbTable = {
    lnT,
    delta,
    edges: Float64Array.from(edges),
    edgeDelta: Float64Array.from(edgeDelta),
    gridStart: Int32Array.from(gridStart),
    gridEnd: Int32Array.from(gridEnd),
  };
  byKey.set(key, table);
  return table;
}

/** Root of Δ14C(ln τ) = target on limb k, or NaN if the target is outside the limb's range. */
function solveOnLimb(curve: AtmosphericCurve, year: number, t: LimbTable, k: number, target: number): number {
  const lo = t.edges[k];
  const hi = t.edges[k + 1];
  const dLo = t.edgeDelta[k];
  const dHi = t.edgeDelta[k + 1];
  if (!((target - dLo) * (target - dHi) <= 0)) return NaN;
  // Narrow the bracket to one grid cell (Δ is monotone on the limb).
  let a = lo;
  let b = hi;
  const rising = dHi > dLo;
  for (let j = t.gridStart[k]; j <= t.gridEnd[k]; j++) {
    const x = t.lnT[j];
    if (x <= lo || x >= hi) continue;
    const below = rising ? t.delta[j] <= target : t.delta[j] >= target;
    if (below) a = x;
    else {
      b = x;
      break;
    }
  }
  return brentRoot((u) => deltaAt(curve, u, year) - target, a, b, 1e-13);
}

/** ln τ on limb k for a target Δ14C; outside the limb's range, the limb end whose Δ14C is nearer (clamped). */
function solveOrClamp(curve: AtmosphericCurve, year: number, t: LimbTable, k: number, target: number): { lnT: number; clamped: boolean } {
  const u = solveOnLimb(curve, year, t, k, target);
  if (!Number.isNaN(u)) return { lnT: u, clamped: false };
  const edge = Math.abs(t.edgeDelta[k] - target) < Math.abs(t.edgeDelta[k + 1] - target) ? k : k + 1;
  return { lnT: t.edges[edge], clamped: true };
}

/**
 * All turnover times τ (years) at which the one-pool model reproduces `delta14C` measured at
 * `year`, with their branch; with `sigma_permil`, an interval per root on the same branch.
 */
export function invertOnePool(curve: AtmosphericCurve, delta14C: Delta14CPermil, year: number, options: InversionOptions = {}): AgeInversion {
  if (!(delta14C > -1000) || !Number.isFinite(delta14C)) {
    throw new InputError({ keyPath: 'delta14c', value: delta14C, expected: 'a Δ14C > −1000 ‰ (fraction of the standard > 0)' });
  }
  const sigma = options.sigma_permil;
  if (sigma !== undefined && !(sigma >= 0)) throw new InputError({ keyPath: 'sigma', value: sigma, expected: 'a measurement uncertainty ≥ 0 ‰' });
  const tMin = options.minTurnoverYears ?? 0.1;
  const tMax = options.maxTurnoverYears ?? 1e7;
  if (!(tMin > 0 && tMax > tMin)) throw new InputError({ keyPath: 'searchRange', value: [tMin, tMax], expected: '0 < minimum < maximum turnover years' });
  const table = limbTable(curve, year, Math.log(tMin), Math.log(tMax), options.pointsPerDecade ?? 40);
  const nLimbs = table.edges.length - 1;
  const roots: AgeRoot[] = [];
  for (let k = 0; k < nLimbs; k++) {
    const u = solveOnLimb(curve, year, table, k, delta14C);
    if (Number.isNaN(u)) continue;
    const branch: Branch = table.edgeDelta[k + 1] > table.edgeDelta[k] ? 'fast' : 'slow';
    // A target exactly at a shared limb edge (a turning point) is found on both limbs: keep one.
    if (roots.length > 0 && Math.abs(Math.log(roots[roots.length - 1].turnoverYears) - u) < 1e-9) continue;
    let interval: [number, number] | undefined;
    let clamped: boolean | undefined;
    if (sigma !== undefined) {
      clamped = false;
      const ends: number[] = [];
      for (const target of [delta14C - sigma, delta14C + sigma]) {
        const v = solveOrClamp(curve, year, table, k, target);
        if (v.clamped) clamped = true;
        ends.push(Math.exp(v.lnT));
      }
      interval = [Math.min(ends[0], ends[1]), Math.max(ends[0], ends[1])];
    }
    roots.push({ turnoverYears: Math.exp(u), branch, limb: k, ...(interval ? { interval, intervalClamped: clamped } : {}) });
  }
  let maxD = -Infinity;
  let atMax = NaN;
  for (let k = 0; k < table.edges.length; k++) {
    if (table.edgeDelta[k] > maxD) {
      maxD = table.edgeDelta[k];
      atMax = Math.exp(table.edges[k]);
    }
  }
  const minD = table.edgeDelta[table.edgeDelta.length - 1];
  const status: InversionStatus = roots.length > 0 ? 'ok' : delta14C > maxD ? 'above-maximum' : 'below-search-range';
  return {
    delta14C_permil: delta14C,
    sigma_permil: sigma,
    year,
    roots,
    ambiguous: roots.length > 1,
    status,
    maxDelta14C_permil: maxD,
    turnoverAtMaxYears: atMax,
    minDelta14C_permil: minD,
    searchRangeYears: [tMin, tMax],
  };
}

/** How to pick one τ when several fit: the slowest (largest τ, the usual choice for bulk soil) or the fastest. */
export type RootChoice = 'slowest' | 'fastest';

/** The chosen root of an inversion, or undefined when there is none. */
export function chooseRoot(inv: AgeInversion, choice: RootChoice = 'slowest'): AgeRoot | undefined {
  if (inv.roots.length === 0) return undefined;
  return choice === 'slowest' ? inv.roots[inv.roots.length - 1] : inv.roots[0];
}

/**
 * τ on a given limb (branch) for a Δ14C value, e.g. a Monte Carlo draw near a measured value:
 * if the value leaves the limb's range, τ stops at the limb's nearer end and `clamped` is true.
 * Uses the same cached limb table as {@link invertOnePool} with the same options.
 */
export function turnoverOnLimb(curve: AtmosphericCurve, delta14C: number, year: number, limb: number, options: InversionOptions = {}): { turnoverYears: number; clamped: boolean } {
  const table = limbTable(curve, year, Math.log(options.minTurnoverYears ?? 0.1), Math.log(options.maxTurnoverYears ?? 1e7), options.pointsPerDecade ?? 40);
  if (limb < 0 || limb >= table.edges.length - 1) return { turnoverYears: NaN, clamped: true };
  const v = solveOrClamp(curve, year, table, limb, delta14C);
  return { turnoverYears: Math.exp(v.lnT), clamped: v.clamped };
}
