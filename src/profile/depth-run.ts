import { layerAges, type AgeOptions, type LayerAges } from './ages.js';
import { betaExtrapolate, betaStatistics, fitBeta, type BetaStatistics } from './depth.js';
import { conservationError, gapEstimates, harmoniseAmounts, harmonisationWeights } from './harmonise.js';
import { STANDARD_LAYERS } from './inputs.js';
import type { LayerTable } from './layers.js';
import { profileDefault } from './params.js';
import { cleanHorizons, fitEqualAreaSpline, type EqualAreaSpline, type SplineMode } from './spline.js';
import type { ProfileWarning } from './warnings.js';

/**
 * The `depth` analysis of 003 over every profile of a layer table: SOC density per layer (Eq 1),
 * spline harmonisation of density per cm to standard layers, β fit (Eq 3) and extrapolation to
 * 100 and 200 cm (Eq 4), plus a radiocarbon age per layer (001 Eqs 1–5). Profiles that cannot be
 * used are rejected with a warning; nothing throws for data problems.
 */
export interface DepthRunOptions extends AgeOptions {
  /** Standard layer boundaries, cm (default 003: 0, 20, …, 100). */
  readonly standardDepthsCm?: readonly number[];
  readonly splineMode?: SplineMode;
  readonly lambda?: number;
  readonly minLayers?: number;
  /** Reference depth d0 of Eq 4 (default 20 cm). */
  readonly referenceDepthCm?: number;
}

export interface DepthProfileRow {
  readonly profile: string;
  readonly status: 'ok' | 'warned' | 'rejected';
  readonly layers: number;
  readonly layersWithStock: number;
  readonly layersWithAge: number;
  readonly latitude: number;
  readonly samplingYear: number;
  readonly beta: number;
  readonly betaRmse: number;
  readonly betaPoints: number;
  readonly deepestCm: number;
  /** Observed stock from the surface to the deepest horizon (gaps filled linearly), Mg C ha⁻¹. */
  readonly stockObserved_MgC_per_ha: number;
  /** Stock above d0 from the spline, and the β extrapolations to 100 and 200 cm (Eq 4), Mg C ha⁻¹. */
  readonly stockAboveD0_MgC_per_ha: number;
  readonly stock100_MgC_per_ha: number;
  readonly stock200_MgC_per_ha: number;
  readonly splineRmse: number;
}

export interface DepthRunResult {
  readonly table: LayerTable;
  readonly ages: LayerAges;
  readonly profiles: DepthProfileRow[];
  /**
   * Harmonised standard layers, one row per profile × layer: the measured stock in the layer
   * (conserved, ≥ 0; the measured part only where coverage < 1), the cm lying in gaps between
   * horizons, and the stock with those gaps filled by the spline (003's estimate, reported apart).
   */
  readonly standard: { profile: string[]; top_cm: number[]; bottom_cm: number[]; stock_MgC_per_ha: number[]; coverage: number[]; gap_cm: number[]; stockWithGaps_MgC_per_ha: number[] };
  /** β statistics over the fits with β < 1; fits with β ≥ 1 (no decline with depth) are counted apart. */
  readonly betaStatistics: BetaStatistics;
  /** Largest |harmonised + outside − measured| / measured stock over the processed profiles. */
  readonly maxStockConservationError: number;
  /** Fitted splines of the processed profiles (for plots). */
  readonly splines: Map<string, EqualAreaSpline>;
  readonly warnings: ProfileWarning[];
  readonly counts: { profiles: number; processed: number; warned: number; rejected: number; layers: number; layersWithAge: number; ambiguousLayers: number; betaFits: number; implausibleStocks: number };
  /** The rows whose stock was rejected as implausible (see {@link LayerTable.implausibleStocks}). */
  readonly implausibleStocks: LayerTable['implausibleStocks'];
}

export function runDepth(table: LayerTable, options: DepthRunOptions, warnings: ProfileWarning[]): DepthRunResult {
  const ages = layerAges(table, options, warnings);
  const depths = options.standardDepthsCm ?? STANDARD_LAYERS['003'];
  const lambda = options.lambda ?? profileDefault('splineLambda');
  const minLayers = options.minLayers ?? profileDefault('betaFitMinLayers');
  const d0 = options.referenceDepthCm ?? profileDefault('betaReferenceDepth_cm');
  const profiles: DepthProfileRow[] = [];
  const standard = { profile: [] as string[], top_cm: [] as number[], bottom_cm: [] as number[], stock_MgC_per_ha: [] as number[], coverage: [] as number[], gap_cm: [] as number[], stockWithGaps_MgC_per_ha: [] as number[] };
  let maxStockConservationError = 0;
  const splines = new Map<string, EqualAreaSpline>();
  let warned = 0;
  let rejected = 0;
  let betaFits = 0;
  for (const [id, rows] of table.profiles) {
    const before = warnings.length;
    const warn = (code: string, message: string): void => {
      warnings.push({ profile: id, horizon: '', code, message });
    };
    // Stocks per cm for the spline; rows without a stock are dropped (with a warning) by cleanHorizons.
    const withStock = rows.filter((i) => Number.isFinite(table.stock_MgC_per_ha[i]));
    if (withStock.length === 0) warn('no-stock', 'no SOC stock in any layer (needs a stock, or organic C and bulk density): density, β and harmonisation skipped');
    const clean = cleanHorizons(
      {
        profile: id,
        tops: rows.map((i) => table.top_cm[i]),
        bottoms: rows.map((i) => table.bottom_cm[i]),
        values: rows.map((i) => table.stock_MgC_per_ha[i] / (table.bottom_cm[i] - table.top_cm[i])),
        labels: rows.map((i) => table.label[i]),
        valueName: 'SOC stock',
      },
      withStock.length > 0 ? warnings : [],
    );
    const layersWithAge = rows.filter((i) => Number.isFinite(ages.turnoverYears[i])).length;
    const row = {
      profile: id,
      layers: rows.length,
      layersWithStock: clean.tops.length,
      layersWithAge,
      latitude: table.latitude[rows[0]],
      samplingYear: table.samplingYear[rows[0]],
      beta: NaN,
      betaRmse: NaN,
      betaPoints: 0,
      deepestCm: clean.tops.length > 0 ? clean.bottoms[clean.bottoms.length - 1] : NaN,
      stockObserved_MgC_per_ha: NaN,
      stockAboveD0_MgC_per_ha: NaN,
      stock100_MgC_per_ha: NaN,
      stock200_MgC_per_ha: NaN,
      splineRmse: NaN,
    };
    if (clean.rejected && layersWithAge === 0) {
      rejected++;
      profiles.push({ ...row, status: 'rejected' });
      continue;
    }
    if (!clean.rejected) {
      const spline = fitEqualAreaSpline(clean.tops, clean.bottoms, clean.values, lambda);
      splines.set(id, spline);
      row.splineRmse = spline.rmse;
      // Stocks are extensive: conservative harmonisation (the spline only shapes each horizon's share).
      const amounts = Float64Array.from(clean.values, (v, k) => v * (clean.bottoms[k] - clean.tops[k]));
      const H = harmonisationWeights(clean.tops, clean.bottoms, depths, spline);
      const layerStock = harmoniseAmounts(H, amounts, new Float64Array(depths.length - 1));
      const gaps = gapEstimates(spline, depths, new Float64Array(depths.length - 1));
      maxStockConservationError = Math.max(maxStockConservationError, conservationError(H, amounts, layerStock));
      for (let j = 0; j + 1 < depths.length; j++) {
        const measured = H.measuredCm[j] > 0;
        standard.profile.push(id);
        standard.top_cm.push(depths[j]);
        standard.bottom_cm.push(depths[j + 1]);
        standard.stock_MgC_per_ha.push(measured ? layerStock[j] : NaN);
        standard.coverage.push(H.coverage[j]);
        standard.gap_cm.push(H.gapCm[j]);
        standard.stockWithGaps_MgC_per_ha.push(measured || H.gapCm[j] > 0 ? layerStock[j] + gaps[j] : NaN);
        if (H.coverage[j] > 0 && H.coverage[j] < 1 - 1e-12) {
          warnings.push({ profile: id, horizon: `${depths[j]}–${depths[j + 1]} cm`, code: 'partial-layer', message: `standard layer measured over ${H.measuredCm[j].toPrecision(4)} of ${depths[j + 1] - depths[j]} cm${H.gapCm[j] > 0 ? ` (${H.gapCm[j].toPrecision(3)} cm in gaps between horizons: see stock_with_gaps)` : ''}: its stock is the measured part only, not extrapolated` });
        }
      }
      // Cumulative observed stock from the surface (gaps: density interpolated linearly).
      const nh = clean.tops.length;
      if (clean.tops[0] !== 0) {
        warn('beta-not-from-surface', `no β fit: the first horizon starts at ${clean.tops[0]} cm, not at the surface`);
      } else {
        const cum = new Float64Array(nh);
        let acc = 0;
        for (let k = 0; k < nh; k++) {
          if (k > 0) {
            const gap = clean.tops[k] - clean.bottoms[k - 1];
            if (gap > 0) {
              acc += (gap * (clean.values[k - 1] + clean.values[k])) / 2;
              warnings.push({ profile: id, horizon: clean.labels[k], code: 'beta-gap-filled', message: `gap ${clean.bottoms[k - 1]}–${clean.tops[k]} cm filled by linear interpolation of stock per cm for the cumulative stock` });
            }
          }
          acc += clean.values[k] * (clean.bottoms[k] - clean.tops[k]);
          cum[k] = acc;
        }
        row.stockObserved_MgC_per_ha = acc;
        if (nh < minLayers) warn('beta-too-few-layers', `no β fit: ${nh} layer(s) with a stock, at least ${minLayers} needed`);
        else {
          const fit = fitBeta(clean.bottoms, cum);
          betaFits++;
          row.beta = fit.beta;
          row.betaRmse = fit.rmse;
          row.betaPoints = fit.points;
          if (fit.beta >= 1) warn('beta-no-decline', `fitted β = ${fit.beta.toFixed(4)} ≥ 1: the stock does not decline with depth (excluded from the β statistics, counted apart)`);
          const above = harmonisationWeights(clean.tops, clean.bottoms, [0, d0], spline);
          if (above.coverage[0] >= 1 - 1e-12) {
            row.stockAboveD0_MgC_per_ha = harmoniseAmounts(above, amounts, new Float64Array(1))[0];
            row.stock100_MgC_per_ha = betaExtrapolate(fit.beta, row.stockAboveD0_MgC_per_ha, d0, 100);
            row.stock200_MgC_per_ha = betaExtrapolate(fit.beta, row.stockAboveD0_MgC_per_ha, d0, 200);
          } else warn('beta-no-d0', `no extrapolation: horizons do not cover 0–${d0} cm`);
        }
      }
    }
    const hasWarnings = warnings.length > before || rows.some((i) => ages.status[i] !== 'ok' && ages.status[i] !== 'no-delta14c') || rows.some((i) => ages.ambiguous[i]);
    if (hasWarnings) warned++;
    profiles.push({ ...row, status: hasWarnings ? 'warned' : 'ok' });
  }
  let layersWithAge = 0;
  let ambiguousLayers = 0;
  for (let i = 0; i < table.n; i++) {
    if (Number.isFinite(ages.turnoverYears[i])) layersWithAge++;
    if (ages.ambiguous[i]) ambiguousLayers++;
  }
  return {
    table,
    ages,
    profiles,
    standard,
    splines,
    warnings,
    betaStatistics: betaStatistics(profiles.map((p) => p.beta)),
    maxStockConservationError,
    counts: { profiles: table.profiles.size, processed: table.profiles.size - rejected, warned, rejected, layers: table.n, layersWithAge, ambiguousLayers, betaFits, implausibleStocks: table.implausibleStocks.length },
    implausibleStocks: table.implausibleStocks,
  };
}
