import { InputError } from '../core/errors.js';
import { layerAges, rowZone, type AgeOptions, type LayerAges } from './ages.js';
import { STANDARD_LAYERS, iBulk_MgC_per_ha_yr, rootFractions, type RootDistribution } from './inputs.js';
import { siteText, siteValue, type LayerTable } from './layers.js';
import { BIOMES_001, JACKSON_BETA_PARAMS, biomeDefaultBnpp, biomeDefaultFBnpp, jacksonBeta, profileDefault, type Biome001, type JacksonBiome } from './params.js';
import { loadCurve, type Zone } from './radiocarbon/curves.js';
import { turnoverOnLimb } from './radiocarbon/inversion.js';
import { cleanHorizons, fitEqualAreaSpline, splineLayerMeans } from './spline.js';
import { SeededRng as Rng } from '../numerics/random.js';
import { summariseDraws, type DrawSummary } from './stats.js';
import type { ProfileWarning } from './warnings.js';

/**
 * Site carbon budget of 001 by standard layer: I_root (BNPP split by the root distribution),
 * I_bulk = C_stock / C_age from each measured layer's radiocarbon age (Eq 6), both harmonised to
 * the standard layers with the equal-area spline on values per cm (PROFILE.md), I_loss = I_root −
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
  /** Fraction of the layer covered by measured horizons. */
  readonly coverage: number;
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
  /** Totals over the layers that have an I_bulk (the depth the measurements cover). */
  readonly totals: {
    readonly coveredToCm: number;
    readonly iRootAll: number;
    readonly iRoot: number;
    readonly iBulk: number;
    readonly iLoss: number;
    readonly lossFraction: number;
    readonly mc: { readonly iRoot: DrawSummary; readonly iBulk: DrawSummary; readonly iLoss: DrawSummary; readonly lossFraction: DrawSummary } | undefined;
  };
  readonly drawsClampedAtTurningPoint: number;
  readonly status: 'ok' | 'warned' | 'rejected';
}

export interface BudgetRunResult {
  readonly table: LayerTable;
  readonly ages: LayerAges;
  /** I_bulk of each measured layer, Mg C ha⁻¹ yr⁻¹ (NaN without stock or age). */
  readonly layerIBulk: Float64Array;
  readonly sites: SiteBudget[];
  readonly warnings: ProfileWarning[];
  readonly counts: { sites: number; processed: number; warned: number; rejected: number; layers: number; layersUsed: number };
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

/** Stock and I_bulk per standard layer from measured layers (values per cm → spline → layer totals). */
function harmonise(
  tops: Float64Array,
  bottoms: Float64Array,
  perCm: Float64Array,
  depths: readonly number[],
  lambda: number,
  minCoverage: number,
  out: Float64Array,
  coverageOut?: Float64Array,
): void {
  const s = fitEqualAreaSpline(tops, bottoms, perCm, lambda);
  // No clamping: it would break mass preservation where the curve undershoots (up to 86 % in the
  // budget test profile); a negative layer total is kept and flagged by the caller.
  const { means, coverage } = splineLayerMeans(s, depths, { mode: 'exact', vlow: -Infinity, vhigh: Infinity });
  for (let j = 0; j + 1 < depths.length; j++) {
    out[j] = coverage[j] >= minCoverage ? means[j] * (depths[j + 1] - depths[j]) : NaN;
    if (coverageOut) coverageOut[j] = coverage[j];
  }
}

/** Budgets for every site (profile) of a layer table. */
export function runBudget(table: LayerTable, options: BudgetOptions, warnings: ProfileWarning[]): BudgetRunResult {
  const ages = layerAges(table, options, warnings);
  const depths = options.standardDepthsCm ?? STANDARD_LAYERS['001'];
  const nl = depths.length - 1;
  const draws = options.draws ?? profileDefault('monteCarloDraws');
  const lambda = options.lambda ?? profileDefault('splineLambda');
  const minCoverage = profileDefault('minLayerCoverage');
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
        warnings.push({ profile: site, horizon: table.label[i], code: 'budget-no-stock', message: 'layer not used: no SOC stock (give stock_MgC_per_ha, or SOC and bulk density)' });
        continue;
      }
      if (!Number.isFinite(ages.turnoverYears[i])) {
        if (ages.status[i] === 'no-delta14c') warnings.push({ profile: site, horizon: table.label[i], code: 'budget-no-delta14c', message: 'layer not used: no Δ14C' });
        continue;
      }
      layerIBulk[i] = iBulk_MgC_per_ha_yr(table.stock_MgC_per_ha[i], ages.turnoverYears[i]);
      used.push(i);
    }
    const rawStock = { profile: site, tops: used.map((i) => table.top_cm[i]), bottoms: used.map((i) => table.bottom_cm[i]), labels: used.map((i) => table.label[i]) };
    const clean = cleanHorizons({ ...rawStock, values: used.map((i) => table.stock_MgC_per_ha[i] / (table.bottom_cm[i] - table.top_cm[i])), valueName: 'SOC stock' }, warnings);
    const iRootLayers = Float64Array.from(rootF, (f) => f * inputs.bnpp);
    const emptyLayers = (): LayerBudget[] =>
      Array.from({ length: nl }, (_, j) => ({ top_cm: depths[j], bottom_cm: depths[j + 1], coverage: 0, iRoot: iRootLayers[j], iBulk: NaN, iLoss: NaN, lossFraction: NaN, stock_MgC_per_ha: NaN, radiocarbonAgeYears: NaN, apparentTurnoverYears: NaN, mc: undefined }));
    const firstRow = rows[0];
    const base = { site, zone: rowZone(table, firstRow, options.zone) ?? '', samplingYear: table.samplingYear[firstRow], bnpp_MgC_per_ha_yr: inputs.bnpp, bnppSource: inputs.bnppSource, rootSource: inputs.rootSource };
    if (clean.rejected) {
      warn('budget-rejected', 'site rejected: no measured layer has both a SOC stock and a radiocarbon age');
      rejected++;
      const sum = iRootLayers.reduce((a, b) => a + b, 0);
      sites.push({ ...base, layers: emptyLayers(), totals: { coveredToCm: NaN, iRootAll: sum, iRoot: NaN, iBulk: NaN, iLoss: NaN, lossFraction: NaN, mc: undefined }, drawsClampedAtTurningPoint: 0, status: 'rejected' });
      continue;
    }
    layersUsed += used.length;
    // Map clean (sorted) horizons back to rows.
    const order = clean.labels.map((l) => used[rawStock.labels.indexOf(l)]);
    const stockPerCm = Float64Array.from(order, (i) => table.stock_MgC_per_ha[i] / (table.bottom_cm[i] - table.top_cm[i]));
    const bulkPerCm = Float64Array.from(order, (i) => layerIBulk[i] / (table.bottom_cm[i] - table.top_cm[i]));
    const stock = new Float64Array(nl);
    const iBulk = new Float64Array(nl);
    const coverage = new Float64Array(nl);
    harmonise(clean.tops, clean.bottoms, stockPerCm, depths, lambda, minCoverage, stock, coverage);
    harmonise(clean.tops, clean.bottoms, bulkPerCm, depths, lambda, minCoverage, iBulk);
    const totalsOf = (ir: ArrayLike<number>, ib: ArrayLike<number>): { iRoot: number; iBulk: number; iLoss: number; lossFraction: number; coveredToCm: number } => {
      let r = 0, b = 0, deepest = NaN;
      for (let j = 0; j < nl; j++) {
        if (!Number.isFinite(ib[j])) continue;
        r += ir[j];
        b += ib[j];
        deepest = depths[j + 1];
      }
      return { iRoot: r, iBulk: b, iLoss: r - b, lossFraction: (r - b) / r, coveredToCm: deepest };
    };
    // Monte Carlo.
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
      const bulkDraw = new Float64Array(order.length);
      const stockDraw = new Float64Array(order.length);
      const ibLayers = new Float64Array(nl);
      for (let d = 0; d < draws; d++) {
        const bnpp = inputs.drawBnpp(rng);
        for (let k = 0; k < order.length; k++) {
          const i = order[k];
          const sigma = Number.isFinite(table.sigma_permil[i]) ? table.sigma_permil[i] : 0;
          const curve = loadCurve(options.curve ?? 'Hua2022', ages.zone[i] as Zone, options.extension ?? 'none');
          const tau = sigma > 0 ? turnoverOnLimb(curve, table.delta14C_permil[i] + sigma * rng.normal(), table.samplingYear[i], ages.limb[i]) : { turnoverYears: ages.turnoverYears[i], clamped: false };
          if (tau.clamped) clamped++;
          const h = table.bottom_cm[i] - table.top_cm[i];
          stockDraw[k] = rng.lognormalMeanCv(table.stock_MgC_per_ha[i], stockCv) / h;
          bulkDraw[k] = stockDraw[k] / tau.turnoverYears;
        }
        harmonise(clean.tops, clean.bottoms, bulkDraw, depths, lambda, minCoverage, ibLayers);
        for (let j = 0; j < nl; j++) {
          dRoot[j][d] = rootF[j] * bnpp;
          dBulk[j][d] = ibLayers[j];
        }
        const tt = totalsOf(Float64Array.from(rootF, (f) => f * bnpp), ibLayers);
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
      const iLoss = iRootLayers[j] - iBulk[j];
      if (iBulk[j] < 0 || stock[j] < 0) warnings.push({ profile: site, horizon: `${depths[j]}–${depths[j + 1]} cm`, code: 'harmonised-negative', message: `the spline undershoots below zero here (harmonised I_bulk ${iBulk[j].toFixed(4)}, stock ${stock[j].toFixed(3)}); kept unclamped to preserve mass — check the horizons` });
      if (iLoss < 0) warnings.push({ profile: site, horizon: `${depths[j]}–${depths[j + 1]} cm`, code: 'negative-i-loss', message: `I_loss = ${iLoss.toFixed(3)} < 0: I_bulk exceeds I_root (possible downward C movement, as 001 notes); kept` });
      layers.push({
        top_cm: depths[j],
        bottom_cm: depths[j + 1],
        coverage: coverage[j],
        iRoot: iRootLayers[j],
        iBulk: iBulk[j],
        iLoss,
        lossFraction: iLoss / iRootLayers[j],
        stock_MgC_per_ha: stock[j],
        radiocarbonAgeYears: stock[j] / iBulk[j],
        apparentTurnoverYears: stock[j] / iRootLayers[j],
        mc: mcLayers[j],
      });
    }
    const totals = totalsOf(iRootLayers, iBulk);
    const status = warnings.length > before || rows.some((i) => ages.ambiguous[i]) ? 'warned' : 'ok';
    if (status === 'warned') warned++;
    sites.push({ ...base, layers, totals: { ...totals, iRootAll: iRootLayers.reduce((a, b) => a + b, 0), mc: mcTotals }, drawsClampedAtTurningPoint: clamped, status });
  }
  return { table, ages, layerIBulk, sites, warnings, counts: { sites: table.profiles.size, processed: table.profiles.size - rejected, warned, rejected, layers: table.n, layersUsed } };
}
