import type { StagedOutputDir } from '../io/atomic.js';
import { lineChartSvg, type Series } from '../io/plot.js';
import { tableToCsv, writeTable, type Column, type Table } from '../io/table.js';
import type { Check } from './registry.js';
import {
  betaCumulative,
  countWarnings,
  splineValueAt,
  type BudgetRunResult,
  type DepthRunResult,
  type DrawSummary,
  type LayerAges,
  type LayerTable,
  type ProfileWarning,
} from '../profile/index.js';

/** Tables, plots and summary fields of the profile kinds (`profile-depth`, `site-budget`). */

/** Implausible per-layer stocks (rejected by the reader) as a warning-level check: shown on stderr with the first rows. */
function implausibleCheck(rows: LayerTable['implausibleStocks']): Check[] {
  const first = rows.slice(0, 3).map((r) => `${r.label} (${r.profile}, ${r.top_cm}–${r.bottom_cm} cm: ${r.density_gC_per_cm3.toPrecision(3)} g C cm⁻³)`).join('; ');
  return [
    {
      name: 'plausibility.layerStock',
      passed: rows.length === 0,
      severity: 'warning',
      message: rows.length === 0 ? 'no layer stock above maxCarbonDensity_gC_per_cm3 × thickness' : `${rows.length} row(s) with an implausible SOC stock were rejected (above maxCarbonDensity_gC_per_cm3 × thickness): ${first}${rows.length > 3 ? '; …' : ''} — all in warnings.csv (implausible-stock) and summary.json`,
      value: rows.length,
    },
  ];
}

/** Most warnings listed in summary.json (all are in warnings.csv). */
const SUMMARY_WARNING_LIMIT = 1000;

const num = (name: string, unit: string, data: ArrayLike<number>, description = ''): Column => ({ name, unit, data, description });
const txt = (name: string, data: readonly string[], description = ''): Column => ({ name, data, description });


function warningsTable(w: readonly ProfileWarning[]): Table {
  return { columns: [txt('profile', w.map((x) => x.profile)), txt('horizon', w.map((x) => x.horizon)), txt('code', w.map((x) => x.code)), txt('message', w.map((x) => x.message))] };
}

function ageColumns(t: LayerTable, a: LayerAges): Column[] {
  return [
    txt('profile', t.profile),
    txt('source', t.label, 'file:line of the input row'),
    num('top_cm', 'cm', t.top_cm),
    num('bottom_cm', 'cm', t.bottom_cm),
    num('delta14c_permil', '‰', t.delta14C_permil, 'Δ14C as used'),
    txt('delta14c_source', t.delta14CSource, 'reported, or computed from fraction modern'),
    num('delta14c_sigma_permil', '‰', t.sigma_permil),
    num('sampling_year', 'yr AD', t.samplingYear),
    txt('zone', a.zone, 'atmospheric zone used'),
    num('stock_MgC_per_ha', 'Mg C ha-1', t.stock_MgC_per_ha, 'layer SOC density (003 Eq 1)'),
    txt('stock_source', t.stockSource),
    num('turnover_years', 'yr', a.turnoverYears, 'chosen one-pool turnover time τ = C_age (001 Eqs 1–5)'),
    num('turnover_lo_years', 'yr', a.turnoverLoYears, 'τ for Δ14C ∓ σ on the same branch'),
    num('turnover_hi_years', 'yr', a.turnoverHiYears, 'τ for Δ14C ± σ on the same branch'),
    txt('branch', a.branch, 'fast (Δ14C rises with τ) or slow'),
    num('n_roots', '1', a.rootCount, 'number of turnover times that fit'),
    num('ambiguous', '1', a.ambiguous, '1 if more than one turnover time fits'),
    txt('all_roots', a.allRoots, 'every fitting τ (years) and its branch'),
    txt('age_status', a.status),
  ];
}

function summaryBase(command: string, input: string, opts: Record<string, unknown>, warnings: readonly ProfileWarning[]) {
  return {
    command,
    input,
    options: opts,
    warningCounts: countWarnings(warnings),
    warnings: warnings.slice(0, SUMMARY_WARNING_LIMIT),
    warningsTruncated: warnings.length > SUMMARY_WARNING_LIMIT ? `${warnings.length} warnings; all are in warnings.csv` : false,
  };
}

export async function writeDepthOutputs(out: StagedOutputDir, r: DepthRunResult, input: string, opts: Record<string, unknown>, plots: number, seconds: number) {
  const meta = { 'rhizocarb.command': 'depth', 'rhizocarb.input': input };
  writeTable(out, 'layers', { columns: ageColumns(r.table, r.ages) }, meta);
  const p = r.profiles;
  writeTable(out, 'profiles', {
    columns: [
      txt('profile', p.map((x) => x.profile)),
      txt('status', p.map((x) => x.status)),
      num('layers', '1', p.map((x) => x.layers)),
      num('layers_with_stock', '1', p.map((x) => x.layersWithStock)),
      num('layers_with_age', '1', p.map((x) => x.layersWithAge)),
      num('latitude', 'deg', p.map((x) => x.latitude)),
      num('sampling_year', 'yr AD', p.map((x) => x.samplingYear)),
      num('beta', '1', p.map((x) => x.beta), 'β of Y = 1 − β^d fitted to normalised cumulative stocks (003 Eq 3)'),
      num('beta_rmse', '1', p.map((x) => x.betaRmse)),
      num('deepest_cm', 'cm', p.map((x) => x.deepestCm)),
      num('stock_observed_MgC_per_ha', 'Mg C ha-1', p.map((x) => x.stockObserved_MgC_per_ha), 'surface to deepest horizon'),
      num('stock_0_d0_MgC_per_ha', 'Mg C ha-1', p.map((x) => x.stockAboveD0_MgC_per_ha), 'spline stock above d0 (20 cm)'),
      num('stock_100_MgC_per_ha', 'Mg C ha-1', p.map((x) => x.stock100_MgC_per_ha), 'X100 (003 Eq 4)'),
      num('stock_200_MgC_per_ha', 'Mg C ha-1', p.map((x) => x.stock200_MgC_per_ha), 'X200 by Eq 4'),
      num('spline_rmse', 'Mg C ha-1 cm-1', p.map((x) => x.splineRmse)),
    ],
  }, meta);
  const s = r.standard;
  writeTable(out, 'standard-layers', {
    columns: [
      txt('profile', s.profile),
      num('top_cm', 'cm', s.top_cm),
      num('bottom_cm', 'cm', s.bottom_cm),
      num('stock_MgC_per_ha', 'Mg C ha-1', s.stock_MgC_per_ha, 'measured stock in the layer: each horizon split by the equal-area spline shape, conserved (measured part only where coverage < 1)'),
      num('coverage', '1', s.coverage, 'fraction of the layer covered by measured horizons'),
      num('gap_cm', 'cm', s.gap_cm, 'cm of the layer between measured horizons'),
      num('stock_with_gaps_MgC_per_ha', 'Mg C ha-1', s.stockWithGaps_MgC_per_ha, 'stock_MgC_per_ha plus the spline estimate for the gaps (003 style; not measured)'),
    ],
  }, meta);
  out.write('warnings.csv', tableToCsv(warningsTable(r.warnings)));
  const betaStats = r.betaStatistics;
  let plotted = 0;
  for (const row of p) {
    if (plotted >= plots) break;
    const spline = r.splines.get(row.profile);
    if (!spline || !Number.isFinite(row.beta)) continue;
    const horizons: Series = { name: 'horizons (stock per cm)', x: Array.from(spline.tops).flatMap((t, i) => [t, spline.bottoms[i]]), y: Array.from(spline.values).flatMap((v) => [v, v]) };
    const xs: number[] = [];
    for (let x = spline.tops[0]; x < spline.bottoms[spline.bottoms.length - 1]; x += 0.5) xs.push(x);
    const fit: Series = { name: 'equal-area spline', x: xs, y: xs.map((x) => splineValueAt(spline, x)) };
    const name = `plots/${plotted + 1}-${row.profile.replace(/[^A-Za-z0-9_.-]+/g, '_').slice(0, 60)}`;
    out.write(`${name}-spline.svg`, await lineChartSvg({ title: `${row.profile}: SOC stock per cm`, xTitle: 'depth (cm)', yTitle: 'Mg C ha⁻¹ cm⁻¹', series: [horizons, fit], points: true }));
    const cumX = Array.from(spline.bottoms);
    let acc = 0;
    const cumY = Array.from(spline.values, (v, i) => (acc += v * (spline.bottoms[i] - spline.tops[i])));
    const total = cumY[cumY.length - 1];
    const dMax = cumX[cumX.length - 1];
    const model: Series = { name: `1 − β^d, β = ${row.beta.toFixed(4)}`, x: xs, y: xs.map((d) => betaCumulative(row.beta, d) / betaCumulative(row.beta, dMax)) };
    out.write(`${name}-beta.svg`, await lineChartSvg({ title: `${row.profile}: cumulative SOC (normalised)`, xTitle: 'depth (cm)', yTitle: 'Y(d)/Y(d_max)', series: [{ name: 'observed', x: cumX, y: cumY.map((c) => c / total) }, model], points: true }));
    plotted++;
  }
  return {
    ...summaryBase('depth', input, opts, r.warnings),
    computeSeconds: seconds,
    counts: r.counts,
    betaStatistics: betaStats,
    implausibleStocks: r.implausibleStocks,
    balance: { stock: { relativeError: r.maxStockConservationError, note: 'largest |Σ standard-layer stock + stock outside the layers − Σ measured horizon stock| / measured over the profiles' } },
    checks: implausibleCheck(r.implausibleStocks),
    plots: plotted,
  };
}

function mcColumns(prefix: string, unit: string, s: (DrawSummary | undefined)[]): Column[] {
  const pick = (k: keyof DrawSummary) => s.map((x) => (x ? (x[k] as number) : NaN));
  return [
    num(`${prefix}_median`, unit, pick('median'), 'Monte Carlo median (the central value)'),
    num(`${prefix}_mean`, unit, pick('mean'), 'Monte Carlo mean (heavy-tailed for large input CVs; not the central value)'),
    num(`${prefix}_q025`, unit, pick('q025'), 'Monte Carlo 2.5 %'),
    num(`${prefix}_q975`, unit, pick('q975'), 'Monte Carlo 97.5 %'),
    num(`${prefix}_relunc`, '1', pick('relunc'), '(q97.5 − q2.5)/2 / |median| (001 "margin of deviation", over the median as in the I_loss maps)'),
  ];
}

const FLUX = 'Mg C ha-1 yr-1';

export async function writeBudgetOutputs(out: StagedOutputDir, r: BudgetRunResult, input: string, opts: Record<string, unknown>, plots: number, seconds: number) {
  const meta = { 'rhizocarb.command': 'budget', 'rhizocarb.input': input };
  writeTable(out, 'measured-layers', { columns: [...ageColumns(r.table, r.ages), num('i_bulk', FLUX, r.layerIBulk, 'C_stock / C_age (001 Eq 6)')] }, meta);
  const L = r.sites.flatMap((s) => s.layers.map((l) => ({ site: s.site, ...l })));
  writeTable(out, 'budget-layers', {
    columns: [
      txt('site', L.map((l) => l.site)),
      num('top_cm', 'cm', L.map((l) => l.top_cm)),
      num('bottom_cm', 'cm', L.map((l) => l.bottom_cm)),
      num('coverage', '1', L.map((l) => l.coverage), 'fraction of the layer covered by measured horizons; below 1 every value is for the measured part only'),
      num('gap_cm', 'cm', L.map((l) => l.gap_cm), 'cm of the layer between measured horizons'),
      num('i_root_full_layer', FLUX, L.map((l) => l.iRootFullLayer), 'BNPP × root fraction of the whole layer'),
      num('i_root', FLUX, L.map((l) => l.iRoot), 'BNPP × root fraction of the measured part of the layer'),
      num('i_bulk', FLUX, L.map((l) => l.iBulk), 'Σ over horizons of their C_stock / C_age share in the layer (conserved)'),
      num('i_loss', FLUX, L.map((l) => l.iLoss), 'I_root − I_bulk (negative kept)'),
      num('loss_fraction', '1', L.map((l) => l.lossFraction), 'I_loss / I_root'),
      num('stock_MgC_per_ha', 'Mg C ha-1', L.map((l) => l.stock_MgC_per_ha)),
      num('radiocarbon_age_years', 'yr', L.map((l) => l.radiocarbonAgeYears), 'C_stock / I_bulk'),
      num('apparent_turnover_years', 'yr', L.map((l) => l.apparentTurnoverYears), 'C_stock / I_root'),
      ...mcColumns('i_root', FLUX, L.map((l) => l.mc?.iRoot)),
      ...mcColumns('i_bulk', FLUX, L.map((l) => l.mc?.iBulk)),
      ...mcColumns('i_loss', FLUX, L.map((l) => l.mc?.iLoss)),
      ...mcColumns('loss_fraction', '1', L.map((l) => l.mc?.lossFraction)),
    ],
  }, meta);
  const S = r.sites;
  writeTable(out, 'budget-sites', {
    columns: [
      txt('site', S.map((s) => s.site)),
      txt('status', S.map((s) => s.status)),
      txt('zone', S.map((s) => s.zone)),
      num('sampling_year', 'yr AD', S.map((s) => s.samplingYear)),
      num('bnpp', FLUX, S.map((s) => s.bnpp_MgC_per_ha_yr)),
      txt('bnpp_source', S.map((s) => s.bnppSource)),
      txt('root_source', S.map((s) => s.rootSource)),
      num('covered_from_cm', 'cm', S.map((s) => s.totals.coveredFromCm), 'totals are over the measured depths from here'),
      num('covered_to_cm', 'cm', S.map((s) => s.totals.coveredToCm), 'totals are over the measured depths down to here'),
      num('stock_measured_MgC_per_ha', 'Mg C ha-1', S.map((s) => s.stockConservation.measured_MgC_per_ha), 'Σ measured horizon stocks'),
      num('stock_harmonised_MgC_per_ha', 'Mg C ha-1', S.map((s) => s.stockConservation.harmonised_MgC_per_ha), 'Σ standard-layer stocks'),
      num('stock_outside_layers_MgC_per_ha', 'Mg C ha-1', S.map((s) => s.stockConservation.outsideLayers_MgC_per_ha), 'measured stock outside the standard layers'),
      num('stock_conservation_error', '1', S.map((s) => s.stockConservation.relativeError), '|harmonised + outside − measured| / measured'),
      num('i_root_all_layers', FLUX, S.map((s) => s.totals.iRootAll)),
      num('i_root', FLUX, S.map((s) => s.totals.iRoot)),
      num('i_bulk', FLUX, S.map((s) => s.totals.iBulk)),
      num('i_loss', FLUX, S.map((s) => s.totals.iLoss)),
      num('loss_fraction', '1', S.map((s) => s.totals.lossFraction)),
      ...mcColumns('i_root', FLUX, S.map((s) => s.totals.mc?.iRoot)),
      ...mcColumns('i_bulk', FLUX, S.map((s) => s.totals.mc?.iBulk)),
      ...mcColumns('i_loss', FLUX, S.map((s) => s.totals.mc?.iLoss)),
      ...mcColumns('loss_fraction', '1', S.map((s) => s.totals.mc?.lossFraction)),
      num('draws_clamped_at_turning_point', '1', S.map((s) => s.drawsClampedAtTurningPoint)),
    ],
  }, meta);
  out.write('warnings.csv', tableToCsv(warningsTable(r.warnings)));
  let plotted = 0;
  for (const s of S) {
    if (plotted >= plots || s.status === 'rejected') continue;
    const mid = s.layers.map((l) => (l.top_cm + l.bottom_cm) / 2);
    const series: Series[] = [
      { name: 'I_root', x: mid, y: s.layers.map((l) => l.iRoot) },
      { name: 'I_bulk', x: mid, y: s.layers.map((l) => l.iBulk) },
      { name: 'I_loss', x: mid, y: s.layers.map((l) => l.iLoss) },
      { name: 'I_bulk 2.5 %', x: mid, y: s.layers.map((l) => l.mc?.iBulk.q025 ?? NaN) },
      { name: 'I_bulk 97.5 %', x: mid, y: s.layers.map((l) => l.mc?.iBulk.q975 ?? NaN) },
      { name: 'I_loss 2.5 %', x: mid, y: s.layers.map((l) => l.mc?.iLoss.q025 ?? NaN) },
      { name: 'I_loss 97.5 %', x: mid, y: s.layers.map((l) => l.mc?.iLoss.q975 ?? NaN) },
    ];
    out.write(`plots/${plotted + 1}-${s.site.replace(/[^A-Za-z0-9_.-]+/g, '_').slice(0, 60)}-budget.svg`, await lineChartSvg({ title: `${s.site}: carbon inputs by layer (Monte Carlo 95 % bands)`, xTitle: 'layer mid-depth (cm)', yTitle: 'Mg C ha⁻¹ yr⁻¹', series, points: true }));
    plotted++;
  }
  const totals = S.filter((s) => s.status !== 'rejected').map((s) => ({ site: s.site, coveredFromCm: s.totals.coveredFromCm, coveredToCm: s.totals.coveredToCm, stockMeasured: s.stockConservation.measured_MgC_per_ha, stockHarmonised: s.stockConservation.harmonised_MgC_per_ha, stockOutsideLayers: s.stockConservation.outsideLayers_MgC_per_ha, stockConservationError: s.stockConservation.relativeError, iRoot: s.totals.iRoot, iBulk: s.totals.iBulk, iLoss: s.totals.iLoss, lossFraction: s.totals.lossFraction, iLossMedian: s.totals.mc?.iLoss.median ?? null, iLossQ025: s.totals.mc?.iLoss.q025 ?? null, iLossQ975: s.totals.mc?.iLoss.q975 ?? null }));
  const used = S.filter((s) => s.status !== 'rejected');
  const worst = (f: (s: (typeof S)[number]) => number) => used.reduce((m, s) => Math.max(m, f(s)), 0);
  return {
    ...summaryBase('budget', input, opts, r.warnings),
    computeSeconds: seconds,
    counts: r.counts,
    implausibleStocks: r.table.implausibleStocks,
    balance: {
      stock: { relativeError: worst((s) => s.stockConservation.relativeError), note: 'largest |Σ standard-layer stock + outside − Σ measured| / measured over the sites' },
      iBulk: { relativeError: worst((s) => s.iBulkConservation.relativeError), note: 'the same for I_bulk' },
    },
    checks: implausibleCheck(r.table.implausibleStocks),
    totals,
    plots: plotted,
  };
}

