import { InputError } from '../core/errors.js';
import { layerAges, rowZone, type AgeOptions, type LayerAges } from './ages.js';
import { STANDARD_LAYERS, iBulk_MgC_per_ha_yr, rootFractions, type RootDistribution } from './inputs.js';
import { siteText, siteValue, type LayerTable } from './layers.js';
import { BIOMES_001, JACKSON_BETA_PARAMS, biomeDefaultBnpp, biomeDefaultFBnpp, jacksonBeta, profileDefault, type Biome001, type JacksonBiome } from './params.js';
import { loadCurve, type Zone } from './radiocarbon/curves.js';
import { turnoverOnLimb } from './radiocarbon/inversion.js';
import { amountOutside, conservationError, harmoniseAmounts, harmonisationWeights } from './harmonise.js';
import { cleanHorizons, fitEqualAreaSpline } from './spline.js';
import { SeededRng as Rng } from '../numerics/random.js';
import { summariseDraws, type DrawSummary } from './stats.js';
import type { ProfileWarning } from './warnings.js';

/**
 * Site carbon budget of 001 by standard layer: I_root (BNPP split by the root distribution),
 * I_bulk = C_stock / C_age from each measured layer's radiocarbon age (Eq 6), both harmonised to
 * the standard layers conservatively ({@link harmonisationWeights}: each horizon's measured stock is
 * split over the layers by the shape of the equal-area spline of stock per cm, and its I_bulk
 * follows its stock — one measured age per horizon), so the measured stock and I_bulk are
 * conserved and never negative; partly covered layers carry their measured part only. I_loss = I_root −
 * I_bulk and I_loss / I_root (negative values kept and flagged), apparent turnover C_stock / I_root
 * against the radiocarbon age C_stock / I_bulk; Monte Carlo (seeded) over Δ14C, stocks and NPP.
 */
export interface BudgetOptions extends AgeOptions {
  /** Standard layer boundaries, cm (default 001: 0, 20, 40, 60, 80, 100, 150, 200). */
  readonly standardDepthsCm?: readonly number[];
  /** Monte Carlo draws (default 500, 001 Methods); 0 for none. */
  readonly draws?: number;
  readonly seed?: number;
  readonly lambda?: number;
}

export interface LayerBudget {
  readonly top_cm: number;
  readonly bottom_cm: number;
  /**
   * Fraction of the layer covered by measured horizons. Below 1, every value of the layer (stock,
   * I_root, I_bulk, I_loss) is for the measured part only — nothing is extrapolated — and a
   * `partial-layer` warning says so.
   */
  readonly coverage: number;
  /** cm of the layer between measured horizons (nothing measured there). */
  readonly gap_cm: number;
  /** I_root of the whole layer (BNPP × root fraction), for reference. */
  readonly iRootFullLayer: number;
  /** I_root of the measured part of the layer (equal to iRootFullLayer when coverage = 1). */
  readonly iRoot: number;
  readonly iBulk: number;
  readonly iLoss: number;
  readonly lossFraction: number;
  readonly stock_MgC_per_ha: number;
  /** C_stock / I_bulk: the layer's stock-weighted radiocarbon turnover, years. */
  readonly radiocarbonAgeYears: number;
  /** C_stock / I_root: apparent turnover from inputs, years. */
  readonly apparentTurnoverYears: number;
  readonly mc: { readonly iRoot: DrawSummary; readonly iBulk: DrawSummary; readonly iLoss: DrawSummary; readonly lossFraction: DrawSummary } | undefined;
}

export interface SiteBudget {
  readonly site: string;
  readonly zone: string;
  readonly samplingYear: number;
  readonly bnpp_MgC_per_ha_yr: number;
  readonly bnppSource: string;
  readonly rootSource: string;
  readonly layers: LayerBudget[];
  /** Totals over the measured parts of the layers (from coveredFromCm to coveredToCm). */
  readonly totals: {
    readonly coveredFromCm: number;
    readonly coveredToCm: number;
    readonly iRootAll: number;
    readonly iRoot: number;
    readonly iBulk: number;
    readonly iLoss: number;
    readonly lossFraction: number;
    readonly mc: { readonly iRoot: DrawSummary; readonly iBulk: DrawSummary; readonly iLoss: DrawSummary; readonly lossFraction: DrawSummary } | undefined;
  };
  /**
   * The harmonisation conserves what was measured: Σ standard-layer stock + the part of the
   * horizons outside the layers = Σ measured horizon stocks (relativeError, round-off). The same for
   * I_bulk (in Mg C ha⁻¹ yr⁻¹, despite the field names).
   */
  readonly stockConservation: Conservation;
  readonly iBulkConservation: Conservation;
  readonly drawsClampedAtTurningPoint: number;
  readonly status: 'ok' | 'warned' | 'rejected';
}

export interface Conservation {
  readonly measured_MgC_per_ha: number;
  readonly harmonised_MgC_per_ha: number;
  readonly outsideLayers_MgC_per_ha: number;
  readonly relativeError: number;
}

export interface BudgetRunResult {
  readonly table: LayerTable;
  readonly ages: LayerAges;
  /** I_bulk of each measured layer, Mg C ha⁻¹ yr⁻¹ (NaN without stock or age). */
  readonly layerIBulk: Float64Array;
  readonly sites: SiteBudget[];
  readonly warnings: ProfileWarning[];
  readonly counts: { sites: number; processed: number; warned: number; rejected: number; layers: number; layersUsed: number; implausibleStocks: number };
}

interface SiteInputs {
  bnpp: number;
  bnppSource: string;
  /** Draw a BNPP value. */
  drawBnpp: (rng: Rng) => number;
  roots: RootDistribution;
  rootSource: string;
}

function isBiome(s: string): s is Biome001 {
  return (BIOMES_001 as readonly string[]).includes(s);
}

function resolveSite(t: LayerTable, site: string, rows: readonly number[], warn: (code: string, msg: string) => void): SiteInputs {
  const num = (c: Parameters<typeof siteValue>[2]): number => siteValue(t, rows, c);
  const biomeText = siteText(t, rows, 'biome');
  if (biomeText && !isBiome(biomeText)) {
    throw new InputError({ file: t.file, keyPath: 'biome', value: biomeText, expected: `one of 001's biomes: ${BIOMES_001.join(', ')}`, detail: `site "${site}"` });
  }
  const biome = biomeText ? (biomeText as Biome001) : undefined;
  const bnppObs = num('bnpp_MgC_per_ha_yr');
  const npp = num('npp_MgC_per_ha_yr');
  let fB = num('f_bnpp');
  const cv = (c: Parameters<typeof siteValue>[2]): number => {
    const v = num(c);
    return Number.isFinite(v) ? v : 0;
  };
  let bnpp: number;
  let bnppSource: string;
  let drawBnpp: (rng: Rng) => number;
  if (Number.isFinite(bnppObs)) {
    bnpp = bnppObs;
    bnppSource = 'observed BNPP';
    const c = cv('bnpp_cv');
    drawBnpp = (rng) => rng.lognormalMeanCv(bnppObs, c);
  } else if (Number.isFinite(npp)) {
    if (!Number.isFinite(fB)) {
      const d = biomeDefaultFBnpp(biome);
      fB = d.value;
      warn('default-f-bnpp', `f_BNPP not given: 001 default ${d.value} (${d.parameter}) used`);
    }
    const f = fB;
    bnpp = npp * f;
    bnppSource = 'NPP × f_BNPP';
    const cn = cv('npp_cv');
    const cf = cv('f_bnpp_cv');
    drawBnpp = (rng) => rng.lognormalMeanCv(npp, cn) * Math.min(1, rng.lognormalMeanCv(f, cf));
  } else {
    const d = biomeDefaultBnpp(biome);
    bnpp = d.value;
    bnppSource = `001 default (${d.parameter})`;
    warn('default-bnpp', d.biomeSpecific
      ? `neither BNPP nor NPP given: 001's ${biome} mean I_root ${d.value} Mg C ha⁻¹ yr⁻¹ used`
      : `neither BNPP nor NPP given${biome ? ` and 001 states no mean for ${biome}` : ' nor a biome'}: 001's global mean I_root ${d.value} Mg C ha⁻¹ yr⁻¹ used`);
    const c = cv('bnpp_cv');
    drawBnpp = (rng) => rng.lognormalMeanCv(d.value, c);
  }
  // Root distribution: observed masses, then D50/D95, then β, then a Jackson biome β.
  const masses = rows.filter((i) => Number.isFinite(t.rootMass[i]));
  const d50 = num('root_d50_cm');
  const d95 = num('root_d95_cm');
  const beta = num('root_beta');
  const rootBiome = siteText(t, rows, 'root_biome');
  let roots: RootDistribution;
  let rootSource: string;
  if (masses.length > 0) {
    roots = { kind: 'observed', topsCm: masses.map((i) => t.top_cm[i]), bottomsCm: masses.map((i) => t.bottom_cm[i]), rootMass: masses.map((i) => t.rootMass[i]) };
    rootSource = `observed root mass (${masses.length} horizons)`;
  } else if (Number.isFinite(d50) && Number.isFinite(d95)) {
    roots = { kind: 'schenk-jackson', d50Cm: d50, d95Cm: d95 };
    rootSource = `Schenk & Jackson D50 ${d50} cm, D95 ${d95} cm`;
  } else if (Number.isFinite(beta)) {
    roots = { kind: 'beta', beta };
    rootSource = `β = ${beta}`;
  } else {
    const names = JACKSON_BETA_PARAMS.map((p) => p.name) as readonly string[];
    if (rootBiome && !names.includes(rootBiome)) {
      throw new InputError({ file: t.file, keyPath: 'root_biome', value: rootBiome, expected: `one of Jackson et al. (1996): ${names.join(', ')}`, detail: `site "${site}"` });
    }
    const j = jacksonBeta((rootBiome || 'all_biomes_global') as JacksonBiome);
    roots = { kind: 'beta', beta: j.beta };
    rootSource = `Jackson et al. (1996) β ${j.beta} (${rootBiome || 'all_biomes_global'})`;
    if (!rootBiome) warn('default-root-beta', `no root distribution given: Jackson et al. (1996) global β ${j.beta} used`);
    if (j.unverified) warn('unverified-root-beta', `root β ${j.beta} for ${rootBiome} is UNVERIFIED (recalled, not checked against Jackson et al. 1996 Table 1; see data/roots/PROVENANCE.md)`);
  }
  return { bnpp, bnppSource, drawBnpp, roots, rootSource };
}

/**
 * I_root of the measured part of each standard layer: root fractions on the union of the standard
 * boundaries and the horizon boundaries, summed over the sub-intervals that lie inside a horizon
 * (so a partly covered layer compares like with like: I_root and I_bulk over the same depths).
 */
function coveredRootFractions(roots: RootDistribution, depths: readonly number[], tops: Float64Array, bottoms: Float64Array): Float64Array {
  const nl = depths.length - 1;
  const d0 = depths[0];
  const dEnd = depths[nl];
  const cuts = new Set<number>(depths);
  for (let i = 0; i < tops.length; i++) {
    if (tops[i] > d0 && tops[i] < dEnd) cuts.add(tops[i]);
    if (bottoms[i] > d0 && bottoms[i] < dEnd) cuts.add(bottoms[i]);
  }
  const points = [...cuts].sort((a, b) => a - b);
  const f = rootFractions(roots, points).fractions;
  const out = new Float64Array(nl);
  let j = 0;
  let h = 0;
  for (let k = 0; k + 1 < points.length; k++) {
    const mid = 0.5 * (points[k] + points[k + 1]);
    while (j + 1 < nl && mid >= depths[j + 1]) j++;
    while (h < tops.length && bottoms[h] <= mid) h++;
    if (h < tops.length && tops[h] <= mid) out[j] += f[k];
  }
  return out;
}

const layerName = (depths: readonly number[], j: number): string => `${depths[j]}–${depths[j + 1]} cm`;

/** Budgets for every site (profile) of a layer table. */
export function runBudget(table: LayerTable, options: BudgetOptions, warnings: ProfileWarning[]): BudgetRunResult {
  const ages = layerAges(table, options, warnings);
  const depths = options.standardDepthsCm ?? STANDARD_LAYERS['001'];
  const nl = depths.length - 1;
  const draws = options.draws ?? profileDefault('monteCarloDraws');
  const lambda = options.lambda ?? profileDefault('splineLambda');
  const rng = new Rng(options.seed ?? 1);
  const layerIBulk = new Float64Array(table.n).fill(NaN);
  const sites: SiteBudget[] = [];
  let warned = 0;
  let rejected = 0;
  let layersUsed = 0;
  for (const [site, rows] of table.profiles) {
    const before = warnings.length;
    const warn = (code: string, message: string): void => {
      warnings.push({ profile: site, horizon: '', code, message });
    };
    const inputs = resolveSite(table, site, rows, warn);
    const rootF = rootFractions(inputs.roots, depths).fractions;
    // Measured layers with both a stock and an age.
    const used: number[] = [];
    for (const i of rows) {
      if (!Number.isFinite(table.stock_MgC_per_ha[i])) {
        warnings.push({ profile: site, horizon: table.label[i], code: 'budget-no-stock', message: table.stockSource[i].startsWith('rejected') ? 'layer not used: its SOC stock was rejected as implausible' : 'layer not used: no SOC stock (give stock_MgC_per_ha, or SOC and bulk density)' });
        continue;
      }
      if (!Number.isFinite(ages.turnoverYears[i])) {
        if (ages.status[i] === 'no-delta14c') warnings.push({ profile: site, horizon: table.label[i], code: 'budget-no-delta14c', message: 'layer not used: no Δ14C' });
        continue;
      }
      layerIBulk[i] = iBulk_MgC_per_ha_yr(table.stock_MgC_per_ha[i], ages.turnoverYears[i]);
      used.push(i);
    }
    const labels = used.map((i) => table.label[i]);
    const clean = cleanHorizons({ profile: site, tops: used.map((i) => table.top_cm[i]), bottoms: used.map((i) => table.bottom_cm[i]), labels, values: used.map((i) => table.stock_MgC_per_ha[i] / (table.bottom_cm[i] - table.top_cm[i])), valueName: 'SOC stock' }, warnings);
    const iRootFull = Float64Array.from(rootF, (f) => f * inputs.bnpp);
    const iRootAll = iRootFull.reduce((a, b) => a + b, 0);
    const firstRow = rows[0];
    const base = { site, zone: rowZone(table, firstRow, options.zone) ?? '', samplingYear: table.samplingYear[firstRow], bnpp_MgC_per_ha_yr: inputs.bnpp, bnppSource: inputs.bnppSource, rootSource: inputs.rootSource };
    if (clean.rejected) {
      warn('budget-rejected', 'site rejected: no measured layer has both a SOC stock and a radiocarbon age');
      rejected++;
      const layers = Array.from({ length: nl }, (_, j): LayerBudget => ({ top_cm: depths[j], bottom_cm: depths[j + 1], coverage: 0, gap_cm: 0, iRootFullLayer: iRootFull[j], iRoot: NaN, iBulk: NaN, iLoss: NaN, lossFraction: NaN, stock_MgC_per_ha: NaN, radiocarbonAgeYears: NaN, apparentTurnoverYears: NaN, mc: undefined }));
      const none = { measured_MgC_per_ha: NaN, harmonised_MgC_per_ha: NaN, outsideLayers_MgC_per_ha: NaN, relativeError: NaN };
      sites.push({ ...base, layers, totals: { coveredFromCm: NaN, coveredToCm: NaN, iRootAll, iRoot: NaN, iBulk: NaN, iLoss: NaN, lossFraction: NaN, mc: undefined }, stockConservation: none, iBulkConservation: none, drawsClampedAtTurningPoint: 0, status: 'rejected' });
      continue;
    }
    layersUsed += used.length;
    // Clean (sorted) horizons back to rows; per-horizon amounts (extensive) and ages.
    const rowOf = new Map(labels.map((l, k) => [l, used[k]]));
    const order = clean.labels.map((l) => rowOf.get(l)!);
    const nh = order.length;
    const stockAmt = Float64Array.from(order, (i) => table.stock_MgC_per_ha[i]);
    const bulkAmt = Float64Array.from(order, (i) => layerIBulk[i]);
    // The spline of stock per cm shapes each horizon's share of the layers; amounts are conserved.
    const shape = fitEqualAreaSpline(clean.tops, clean.bottoms, clean.values, lambda);
    const H = harmonisationWeights(clean.tops, clean.bottoms, depths, shape);
    const stock = harmoniseAmounts(H, stockAmt, new Float64Array(nl));
    const iBulk = harmoniseAmounts(H, bulkAmt, new Float64Array(nl));
    for (let j = 0; j < nl; j++) {
      if (H.measuredCm[j] > 0) continue;
      stock[j] = NaN;
      iBulk[j] = NaN;
    }
    const conservation = (amounts: Float64Array, harmonised: Float64Array) => {
      const measured = amounts.reduce((a, b) => a + b, 0);
      const outsideLayers = amountOutside(H, amounts);
      const finite = Float64Array.from(harmonised, (v) => (Number.isFinite(v) ? v : 0));
      return { measured_MgC_per_ha: measured, harmonised_MgC_per_ha: finite.reduce((a, b) => a + b, 0), outsideLayers_MgC_per_ha: outsideLayers, relativeError: conservationError(H, amounts, finite) };
    };
    const stockConservation = conservation(stockAmt, stock);
    const iBulkConservation = conservation(bulkAmt, iBulk);
    if (stockConservation.outsideLayers_MgC_per_ha > 0) warn('measured-outside-layers', `${stockConservation.outsideLayers_MgC_per_ha.toPrecision(4)} Mg C ha⁻¹ of the measured stock lies outside ${depths[0]}–${depths[nl]} cm and is not in the standard layers`);
    const covF = coveredRootFractions(inputs.roots, depths, clean.tops, clean.bottoms);
    const iRoot = Float64Array.from(covF, (f, j) => (H.measuredCm[j] > 0 ? f * inputs.bnpp : NaN));
    for (let j = 0; j < nl; j++) {
      if (H.coverage[j] > 0 && H.coverage[j] < 1 - 1e-12) {
        warnings.push({ profile: site, horizon: layerName(depths, j), code: 'partial-layer', message: `standard layer measured over ${H.measuredCm[j].toPrecision(4)} of ${depths[j + 1] - depths[j]} cm (coverage ${H.coverage[j].toFixed(3)}${H.gapCm[j] > 0 ? `, ${H.gapCm[j].toPrecision(3)} cm in gaps between horizons` : ''}): stock, I_root and I_bulk are for the measured part only, not extrapolated to the layer` });
      }
    }
    const coveredFromCm = Math.max(depths[0], clean.tops[0]);
    const coveredToCm = Math.min(depths[nl], clean.bottoms[nh - 1]);
    const totalsOf = (ir: ArrayLike<number>, ib: ArrayLike<number>): { iRoot: number; iBulk: number; iLoss: number; lossFraction: number } => {
      let r = 0, b = 0;
      for (let j = 0; j < nl; j++) {
        if (!Number.isFinite(ib[j])) continue;
        r += ir[j];
        b += ib[j];
      }
      return { iRoot: r, iBulk: b, iLoss: r - b, lossFraction: (r - b) / r };
    };
    // Monte Carlo: horizon stocks and ages are drawn; the harmonisation weights stay fixed.
    let clamped = 0;
    let mcLayers: LayerBudget['mc'][] = new Array(nl).fill(undefined);
    let mcTotals: SiteBudget['totals']['mc'];
    if (draws > 0) {
      const dRoot = Array.from({ length: nl }, () => new Float64Array(draws));
      const dBulk = Array.from({ length: nl }, () => new Float64Array(draws));
      const tot = { r: new Float64Array(draws), b: new Float64Array(draws) };
      const sCv = siteValue(table, rows, 'stock_cv');
      const stockCv = Number.isFinite(sCv) ? sCv : 0;
      const noSigma = order.filter((i) => !Number.isFinite(table.sigma_permil[i])).length;
      if (noSigma > 0) warn('mc-no-delta14c-sigma', `${noSigma} layer(s) without a Δ14C uncertainty: their analytical error is not propagated`);
      if (stockCv === 0) warn('mc-no-stock-cv', 'no stock_cv: stock uncertainty not propagated');
      const bulkDraw = new Float64Array(nh);
      const ibLayers = new Float64Array(nl);
      const irLayers = new Float64Array(nl);
      const curves = order.map((i) => loadCurve(options.curve ?? 'Hua2022', ages.zone[i] as Zone, options.extension ?? 'none'));
      for (let d = 0; d < draws; d++) {
        const bnpp = inputs.drawBnpp(rng);
        for (let k = 0; k < nh; k++) {
          const i = order[k];
          const sigma = Number.isFinite(table.sigma_permil[i]) ? table.sigma_permil[i] : 0;
          const tau = sigma > 0 ? turnoverOnLimb(curves[k], table.delta14C_permil[i] + sigma * rng.normal(), table.samplingYear[i], ages.limb[i]) : { turnoverYears: ages.turnoverYears[i], clamped: false };
          if (tau.clamped) clamped++;
          bulkDraw[k] = rng.lognormalMeanCv(stockAmt[k], stockCv) / tau.turnoverYears;
        }
        harmoniseAmounts(H, bulkDraw, ibLayers);
        for (let j = 0; j < nl; j++) {
          if (!(H.measuredCm[j] > 0)) ibLayers[j] = NaN;
          irLayers[j] = covF[j] * bnpp;
          dRoot[j][d] = irLayers[j];
          dBulk[j][d] = ibLayers[j];
        }
        const tt = totalsOf(irLayers, ibLayers);
        tot.r[d] = tt.iRoot;
        tot.b[d] = tt.iBulk;
      }
      const summarise = (r: Float64Array, b: Float64Array) => ({
        iRoot: summariseDraws(r),
        iBulk: summariseDraws(b),
        iLoss: summariseDraws(r.map((v, k) => v - b[k])),
        lossFraction: summariseDraws(r.map((v, k) => (v - b[k]) / v)),
      });
      mcLayers = dRoot.map((r, j) => (Number.isFinite(iBulk[j]) ? summarise(r, dBulk[j]) : undefined));
      mcTotals = summarise(tot.r, tot.b);
      if (clamped > 0) warn('mc-clamped-at-turning-point', `${clamped} Δ14C draw(s) fell outside the branch of the measured value; their τ stops at the branch's turning point`);
    }
    const layers: LayerBudget[] = [];
    for (let j = 0; j < nl; j++) {
      const iLoss = iRoot[j] - iBulk[j];
      if (iLoss < 0) warnings.push({ profile: site, horizon: layerName(depths, j), code: 'negative-i-loss', message: `I_loss = ${iLoss.toFixed(3)} < 0: I_bulk exceeds I_root (possible downward C movement, as 001 notes); kept` });
      layers.push({
        top_cm: depths[j],
        bottom_cm: depths[j + 1],
        coverage: H.coverage[j],
        gap_cm: H.gapCm[j],
        iRootFullLayer: iRootFull[j],
        iRoot: iRoot[j],
        iBulk: iBulk[j],
        iLoss,
        lossFraction: iLoss / iRoot[j],
        stock_MgC_per_ha: stock[j],
        radiocarbonAgeYears: stock[j] / iBulk[j],
        apparentTurnoverYears: stock[j] / iRoot[j],
        mc: mcLayers[j],
      });
    }
    const totals = totalsOf(iRoot, iBulk);
    const status = warnings.length > before || rows.some((i) => ages.ambiguous[i]) ? 'warned' : 'ok';
    if (status === 'warned') warned++;
    sites.push({ ...base, layers, totals: { ...totals, coveredFromCm, coveredToCm, iRootAll, mc: mcTotals }, stockConservation, iBulkConservation, drawsClampedAtTurningPoint: clamped, status });
  }
  return { table, ages, layerIBulk, sites, warnings, counts: { sites: table.profiles.size, processed: table.profiles.size - rejected, warned, rejected, layers: table.n, layersUsed, implausibleStocks: table.implausibleStocks.length } };
}
