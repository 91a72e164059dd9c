import { parseCsv } from '../core/csv.js';
import { runBudget, type SiteBudget } from '../profile/budget.js';
import { layerTableFromCsv } from '../profile/layers.js';
import type { CurveId, ExtensionRule, Zone } from '../profile/radiocarbon/curves.js';
import type { ProfileWarning } from '../profile/warnings.js';
import { NPOOL, PedonModel } from './model.js';

/**
 * The loop with 001 (ZONES.md "Closing the loop"): the pedon model, run to steady state with a
 * known input to bulk soil and a larger root input with the leak f_loss, is sampled like a soil
 * profile in a sampling year (Δ14C and stock per horizon, the root profile as observed root mass,
 * BNPP = I_root); those samples go through rhizocarb's own 001 chain — `runBudget` of the profile
 * module: one-pool radiocarbon ages (001 Eqs 1–5), I_bulk = C_stock/C_age (Eq 6), conservative
 * harmonisation to the standard layers — and the recovered I_bulk is compared with the model's
 * true one per standard layer. The apparent turnover bias when the leak is ignored is
 * (C/I_bulk)/(C/I_root) = ΣI_root/ΣI_bulk,recovered, to compare with ΣI_root/ΣI_bulk,true
 * (= 1/(1 − f_loss) for a uniform leak; 001: ~4).
 */
export interface ClosedLoopOptions {
  readonly samplingYear: number;
  /** Sampled horizon boundaries, cm (unions of model layers). */
  readonly horizons_cm: readonly number[];
  /** Standard layers of the 001 chain (default 001's seven). */
  readonly standardDepthsCm: readonly number[];
  readonly curve: CurveId;
  readonly zone: Zone;
  readonly extension: ExtensionRule;
  /** Layers above this depth enter the bias and the 5 % criterion (issue 10: 100 cm). */
  readonly criterionDepth_cm: number;
}

export interface ClosedLoopLayer {
  readonly top_cm: number;
  readonly bottom_cm: number;
  /** Mg C ha⁻¹ yr⁻¹. */
  readonly trueIBulk: number;
  readonly recoveredIBulk: number;
  readonly relativeError: number;
  readonly iRoot: number;
  readonly stock_MgC_per_ha: number;
  readonly radiocarbonAgeYears: number;
  readonly delta14c_permil: number;
}

export interface ClosedLoopResult {
  readonly layers: ClosedLoopLayer[];
  /** ΣI_root/ΣI_bulk,recovered over the layers above criterionDepth_cm. */
  readonly turnoverBias: number;
  /** ΣI_root/ΣI_bulk,true over the same layers. */
  readonly expectedBias: number;
  readonly biasRelativeError: number;
  readonly maxRelativeErrorAboveCriterion: number;
  readonly criterionDepth_cm: number;
  /** The samples as fed to the chain (tidy layer CSV) and the chain's site result. */
  readonly samplesCsv: string;
  readonly site: SiteBudget;
  readonly warnings: ProfileWarning[];
}

/** Sample the model's current state and run the 001 chain on the samples. */
export function closedLoop(model: PedonModel, o: ClosedLoopOptions): ClosedLoopResult {
  const g = model.grid;
  const bulk = model.bulkInputs();
  const root = model.rootInputs();
  const rows = ['site,top_cm,bottom_cm,delta14c_permil,sampling_year,zone,stock_MgC_per_ha,root_mass,bnpp_MgC_per_ha_yr'];
  const totalRoot = root.reduce((a, b) => a + b, 0) / 100;
  const horizonStats: { top: number; bottom: number; c: number; r: number; root: number }[] = [];
  for (let h = 0; h + 1 < o.horizons_cm.length; h++) {
    const a = o.horizons_cm[h];
    const b = o.horizons_cm[h + 1];
    let c = 0, r = 0, rt = 0;
    for (let i = 0; i < g.n; i++) {
      if (g.top_cm[i] < a - 1e-9 || g.bottom_cm[i] > b + 1e-9) continue;
      for (let p = 0; p < NPOOL; p++) {
        c += model.C[NPOOL * i + p];
        r += model.R[NPOOL * i + p];
      }
      rt += root[i];
    }
    horizonStats.push({ top: a, bottom: b, c, r, root: rt });
    // Stocks g C m⁻² → Mg C ha⁻¹ (÷ 100); root input serves as the observed root-mass profile.
    rows.push(`pedon,${a},${b},${PedonModel.delta14C(c, r)},${o.samplingYear},${o.zone},${c / 100},${rt / 100},${totalRoot}`);
  }
  const samplesCsv = rows.join('\n') + '\n';
  const warnings: ProfileWarning[] = [];
  const table = layerTableFromCsv(parseCsv(samplesCsv, 'closed-loop-samples.csv'), warnings);
  const budget = runBudget(table, { curve: o.curve, extension: o.extension, zone: o.zone, standardDepthsCm: o.standardDepthsCm, draws: 0 }, warnings);
  const site = budget.sites[0];
  const d = o.standardDepthsCm;
  const layers: ClosedLoopLayer[] = [];
  let sumRoot = 0, sumTrue = 0, sumRec = 0, worst = 0;
  for (let j = 0; j + 1 < d.length; j++) {
    let t = 0, c = 0, r = 0;
    for (let i = 0; i < g.n; i++) {
      if (g.top_cm[i] < d[j] - 1e-9 || g.bottom_cm[i] > d[j + 1] + 1e-9) continue;
      t += bulk[i];
      for (let p = 0; p < NPOOL; p++) {
        c += model.C[NPOOL * i + p];
        r += model.R[NPOOL * i + p];
      }
    }
    const L = site.layers[j];
    const trueIBulk = t / 100;
    const err = (L.iBulk - trueIBulk) / trueIBulk;
    layers.push({ top_cm: d[j], bottom_cm: d[j + 1], trueIBulk, recoveredIBulk: L.iBulk, relativeError: err, iRoot: L.iRoot, stock_MgC_per_ha: L.stock_MgC_per_ha, radiocarbonAgeYears: L.radiocarbonAgeYears, delta14c_permil: PedonModel.delta14C(c, r) });
    if (d[j + 1] <= o.criterionDepth_cm + 1e-9) {
      sumRoot += L.iRoot;
      sumTrue += trueIBulk;
      sumRec += L.iBulk;
      worst = Math.max(worst, Math.abs(err));
    }
  }
  const turnoverBias = sumRoot / sumRec;
  const expectedBias = sumRoot / sumTrue;
  return {
    layers,
    turnoverBias,
    expectedBias,
    biasRelativeError: (turnoverBias - expectedBias) / expectedBias,
    maxRelativeErrorAboveCriterion: worst,
    criterionDepth_cm: o.criterionDepth_cm,
    samplesCsv,
    site,
    warnings,
  };
}
