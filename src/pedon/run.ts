import { InputError } from '../core/errors.js';
import { preBombStartYear, type AtmosphericCurve } from '../profile/radiocarbon/curves.js';
import { meanAtmosphere, preBombAtmosphere } from './atmosphere.js';
import { NPOOL, POOLS, PedonModel, type LandUse, type PedonGrid, type PedonSoil } from './model.js';

/**
 * A pedon run (ZONES.md): spin-up to steady state under the first land use and the pre-bomb
 * atmosphere, then time stepping from `startYear` to `endYear` through land-use transitions, with
 * profiles, boundary, fluxes between zones, CO₂ by zone, leaching and carbon/¹⁴C balances recorded.
 */
export interface PedonPhase {
  readonly fromYear: number;
  readonly landUse: LandUse;
}

export type SpinUp =
  | { readonly method: 'direct' }
  | { readonly method: 'march'; readonly tolerancePerCentury: number; readonly maxYears: number; readonly step_yr: number };

export interface PedonRunSpec {
  readonly grid: PedonGrid;
  readonly soil: PedonSoil;
  /** The first phase is the spin-up land use; later phases start at their `fromYear`. */
  readonly phases: readonly PedonPhase[];
  readonly startYear: number;
  readonly endYear: number;
  /** Step before t₀ (1950) and from t₀ on (the bomb era needs finer steps). */
  readonly step_yr: number;
  readonly bombStep_yr: number;
  readonly curve: AtmosphericCurve;
  /** Years at which profiles are recorded (snapped to step ends; the start and end are always included). */
  readonly profileYears: readonly number[];
  readonly spinUp: SpinUp;
  readonly onProgress?: (year: number, fraction: number) => void;
  /** Awaited every few steps (e.g. to let signals in and abort); may throw to stop the run. */
  readonly checkpoint?: () => Promise<void>;
  /** Called after every step with the model (e.g. to sample it in a given year). */
  readonly onStepEnd?: (year: number, model: PedonModel) => void;
}

/** Profiles as columns (one row per year × layer × pool). `pool` is POC, MAOC, DOC, MIC, SOC or CO2 (cumulative since the start). */
export interface ProfileRecords {
  readonly year: number[];
  readonly layerTop_cm: number[];
  readonly layerBottom_cm: number[];
  readonly pool: string[];
  readonly stock_gC_per_m2: number[];
  readonly delta14c_permil: number[];
  readonly meanAge_yr: number[];
}

/** One row per step (rates are means over the step, g C m⁻² yr⁻¹). */
export interface SeriesRecords {
  readonly year: number[];
  readonly landUse: string[];
  readonly zb_cm: number[];
  readonly zbTarget_cm: number[];
  readonly socVzi_gC_per_m2: number[];
  readonly socMmzi_gC_per_m2: number[];
  readonly socTotal_gC_per_m2: number[];
  readonly delta14cBulk_permil: number[];
  readonly rootInput: number[];
  readonly soilInput: number[];
  readonly co2Vzi: number[];
  readonly co2Mmzi: number[];
  readonly co2Rhizosphere: number[];
  readonly co2Litter: number[];
  readonly leaching: number[];
  readonly boundaryAdvection: number[];
  readonly boundaryBioturbation: number[];
  readonly boundaryAnecic: number[];
  readonly rootShareBelowBoundary: number[];
  readonly carbonStepError: number[];
  readonly c14StepError: number[];
}

export interface BalanceReport {
  readonly initial: number;
  readonly final: number;
  readonly inputs: number;
  readonly co2: number;
  readonly leaching: number;
  readonly decay: number;
  /** final − initial − (inputs − co2 − leaching − decay). */
  readonly residual: number;
  /** |residual| / (initial + inputs). */
  readonly relativeError: number;
  /** Largest |step residual| / (stock + step inputs) over the steps. */
  readonly maxStepRelativeError: number;
}

export interface PedonRunResult {
  readonly model: PedonModel;
  readonly profiles: ProfileRecords;
  readonly series: SeriesRecords;
  readonly spinUp: { readonly method: string; readonly iterations: number; readonly yearsMarched: number; readonly relativeChangePerCentury: number; readonly zb_cm: number; readonly soc_gC_per_m2: number };
  readonly balance: { readonly carbon: BalanceReport; readonly c14: BalanceReport };
  /** Cumulative amounts over the run, g C m⁻². */
  readonly totals: { readonly rootInput: number; readonly soilInput: number; readonly co2Vzi: number; readonly co2Mmzi: number; readonly co2Rhizosphere: number; readonly co2Litter: number; readonly leaching: number; readonly boundaryAdvection: number; readonly boundaryBioturbation: number; readonly boundaryAnecic: number };
  readonly steps: number;
}

/** Step ends from start to end, with every breakpoint hit exactly. */
export function stepEnds(start: number, end: number, breakpoints: readonly number[], stepBefore: number, stepAfter: number, switchYear: number): number[] {
  const cuts = [...new Set([start, end, ...breakpoints.filter((b) => b > start && b < end), ...(switchYear > start && switchYear < end ? [switchYear] : [])])].sort((a, b) => a - b);
  const out: number[] = [];
  for (let k = 0; k + 1 < cuts.length; k++) {
    const a = cuts[k];
    const b = cuts[k + 1];
    const h = a >= switchYear ? stepAfter : stepBefore;
    const m = Math.max(1, Math.ceil((b - a) / h - 1e-9));
    for (let j = 1; j <= m; j++) out.push(j === m ? b : a + ((b - a) * j) / m);
  }
  return out;
}

export async function runPedon(spec: PedonRunSpec): Promise<PedonRunResult> {
  const { grid, curve } = spec;
  if (spec.phases.length === 0) throw new InputError({ keyPath: 'landUse', expected: 'at least one land use' });
  if (!(spec.endYear > spec.startYear)) throw new InputError({ keyPath: 'time.end', value: spec.endYear, expected: `a year after time.start (${spec.startYear})` });
  if (spec.endYear > curve.endYear) throw new InputError({ keyPath: 'time.end', value: spec.endYear, expected: `a year ≤ ${curve.endYear}, the end of curve ${curve.id}${curve.extension === 'none' ? ' (or radiocarbon.extension: hold-last / forecast)' : ''}` });
  const phases = [...spec.phases].sort((a, b) => a.fromYear - b.fromYear);
  const model = new PedonModel(grid, spec.soil, phases[0].landUse);
  const f0 = preBombAtmosphere(curve);
  // Spin-up.
  let spin: PedonRunResult['spinUp'];
  if (spec.spinUp.method === 'direct') {
    const s = model.steadyState(f0, { year: spec.startYear });
    spin = { method: 'direct (linear solve; fixed point on the saturation/dilution factors when active)', iterations: s.iterations, yearsMarched: 0, relativeChangePerCentury: NaN, zb_cm: model.zb_cm, soc_gC_per_m2: model.totalCarbon() };
  } else {
    const su = spec.spinUp;
    let years = 0;
    let change = Infinity;
    while (years < su.maxYears) {
      const c0 = model.totalCarbon();
      model.step(su.step_yr, f0, spec.startYear);
      years += su.step_yr;
      change = (Math.abs(model.totalCarbon() - c0) / model.totalCarbon()) * (100 / su.step_yr);
      if (change < su.tolerancePerCentury) break;
      if (spec.checkpoint && Math.round(years / su.step_yr) % 64 === 0) await spec.checkpoint();
    }
    if (!(change < su.tolerancePerCentury)) throw new InputError({ keyPath: 'spinUp.maxYears', value: su.maxYears, expected: `enough years to reach a relative change per century below ${su.tolerancePerCentury} (reached ${change.toExponential(2)})` });
    spin = { method: 'march', iterations: 0, yearsMarched: years, relativeChangePerCentury: change, zb_cm: model.zb_cm, soc_gC_per_m2: model.totalCarbon() };
  }
  model.setFeedbackReference();
  // Stationarity of the spin-up state: one trial year at the pre-bomb atmosphere, then undone.
  const stationary = measureStationarity(model, f0, spec.startYear);
  spin = { ...spin, relativeChangePerCentury: Number.isNaN(spin.relativeChangePerCentury) ? stationary : spin.relativeChangePerCentury };
  model.resetCumulative();

  const tSwitch = preBombStartYear(curve);
  const ends = stepEnds(spec.startYear, spec.endYear, [...phases.slice(1).map((p) => p.fromYear), ...spec.profileYears], spec.step_yr, spec.bombStep_yr, tSwitch);
  const profileSet = new Set(spec.profileYears.filter((y) => y >= spec.startYear && y <= spec.endYear).concat([spec.startYear, spec.endYear]));
  const profiles: ProfileRecords = { year: [], layerTop_cm: [], layerBottom_cm: [], pool: [], stock_gC_per_m2: [], delta14c_permil: [], meanAge_yr: [] };
  const series: SeriesRecords = { year: [], landUse: [], zb_cm: [], zbTarget_cm: [], socVzi_gC_per_m2: [], socMmzi_gC_per_m2: [], socTotal_gC_per_m2: [], delta14cBulk_permil: [], rootInput: [], soilInput: [], co2Vzi: [], co2Mmzi: [], co2Rhizosphere: [], co2Litter: [], leaching: [], boundaryAdvection: [], boundaryBioturbation: [], boundaryAnecic: [], rootShareBelowBoundary: [], carbonStepError: [], c14StepError: [] };
  const totals = { rootInput: 0, soilInput: 0, co2Vzi: 0, co2Mmzi: 0, co2Rhizosphere: 0, co2Litter: 0, leaching: 0, boundaryAdvection: 0, boundaryBioturbation: 0, boundaryAnecic: 0 };
  const c = { initial: model.totalCarbon(), inputs: 0, co2: 0, leaching: 0, residual: 0, maxStep: 0 };
  const r = { initial: model.totalRadiocarbon(), inputs: 0, co2: 0, leaching: 0, decay: 0, residual: 0, maxStep: 0 };
  recordProfile(model, spec.startYear, profiles);
  let phase = 0;
  let t = spec.startYear;
  const total = spec.endYear - spec.startYear;
  for (let k = 0; k < ends.length; k++) {
    while (phase + 1 < phases.length && phases[phase + 1].fromYear <= t + 1e-9) {
      phase++;
      model.setLandUse(phases[phase].landUse);
    }
    const t1 = ends[k];
    const dt = t1 - t;
    const atm = meanAtmosphere(curve, t, t1);
    const stockBefore = model.totalCarbon();
    const rBefore = model.totalRadiocarbon();
    const f = model.step(dt, atm, t1);
    c.inputs += f.inputC;
    c.co2 += f.co2C;
    c.leaching += f.leachC;
    c.residual += f.carbonResidual;
    c.maxStep = Math.max(c.maxStep, Math.abs(f.carbonResidual) / (stockBefore + f.inputC));
    r.inputs += f.inputR;
    r.co2 += f.co2R;
    r.leaching += f.leachR;
    r.decay += f.decayR;
    r.residual += f.c14Residual;
    r.maxStep = Math.max(r.maxStep, Math.abs(f.c14Residual) / (rBefore + f.inputR));
    totals.rootInput += f.rootInputC;
    totals.soilInput += f.inputC;
    totals.co2Vzi += f.co2VziC + f.rhizosphereCO2C + f.litterCO2C;
    totals.co2Mmzi += f.co2MmziC;
    totals.co2Rhizosphere += f.rhizosphereCO2C;
    totals.co2Litter += f.litterCO2C;
    totals.leaching += f.leachC;
    totals.boundaryAdvection += f.boundaryAdvectionC;
    totals.boundaryBioturbation += f.boundaryBioturbationC;
    totals.boundaryAnecic += f.boundaryAnecicC;
    let socV = 0, socM = 0;
    for (let i = 0; i < grid.n; i++) {
      const phi = model.zoneShare(i, model.zb_cm);
      socV += phi * model.layerSoc(i);
      socM += (1 - phi) * model.layerSoc(i);
    }
    series.year.push(t1);
    series.landUse.push(model.currentLandUse.name);
    series.zb_cm.push(model.zb_cm);
    series.zbTarget_cm.push(model.zbTarget_cm);
    series.socVzi_gC_per_m2.push(socV);
    series.socMmzi_gC_per_m2.push(socM);
    series.socTotal_gC_per_m2.push(model.totalCarbon());
    series.delta14cBulk_permil.push(PedonModel.delta14C(model.totalCarbon(), model.totalRadiocarbon()));
    series.rootInput.push(f.rootInputC / dt);
    series.soilInput.push(f.inputC / dt);
    series.co2Vzi.push((f.co2VziC + f.rhizosphereCO2C + f.litterCO2C) / dt);
    series.co2Mmzi.push(f.co2MmziC / dt);
    series.co2Rhizosphere.push(f.rhizosphereCO2C / dt);
    series.co2Litter.push(f.litterCO2C / dt);
    series.leaching.push(f.leachC / dt);
    series.boundaryAdvection.push(f.boundaryAdvectionC / dt);
    series.boundaryBioturbation.push(f.boundaryBioturbationC / dt);
    series.boundaryAnecic.push(f.boundaryAnecicC / dt);
    series.rootShareBelowBoundary.push(f.rootShareBelowBoundary);
    series.carbonStepError.push(Math.abs(f.carbonResidual) / (stockBefore + f.inputC));
    series.c14StepError.push(Math.abs(f.c14Residual) / (rBefore + f.inputR));
    t = t1;
    if ([...profileSet].some((y) => Math.abs(y - t1) < 1e-9)) recordProfile(model, t1, profiles);
    spec.onStepEnd?.(t1, model);
    if (spec.checkpoint && k % 16 === 0) await spec.checkpoint();
    spec.onProgress?.(t1, (t1 - spec.startYear) / total);
  }
  const cFinal = model.totalCarbon();
  const rFinal = model.totalRadiocarbon();
  const carbonResidual = cFinal - c.initial - (c.inputs - c.co2 - c.leaching);
  const c14Residual = rFinal - r.initial - (r.inputs - r.co2 - r.leaching - r.decay);
  return {
    model,
    profiles,
    series,
    spinUp: spin,
    balance: {
      carbon: { initial: c.initial, final: cFinal, inputs: c.inputs, co2: c.co2, leaching: c.leaching, decay: 0, residual: carbonResidual, relativeError: Math.abs(carbonResidual) / (c.initial + c.inputs), maxStepRelativeError: c.maxStep },
      c14: { initial: r.initial, final: rFinal, inputs: r.inputs, co2: r.co2, leaching: r.leaching, decay: r.decay, residual: c14Residual, relativeError: Math.abs(c14Residual) / (r.initial + r.inputs), maxStepRelativeError: r.maxStep },
    },
    totals,
    steps: ends.length,
  };
}

/**
 * Relative change of total carbon per century of the current state under a constant atmosphere:
 * one 1-year step, then the state is restored (so the run starts from the spin-up state itself).
 */
function measureStationarity(model: PedonModel, atmosphere: number, year: number): number {
  const C = Float64Array.from(model.C);
  const R = Float64Array.from(model.R);
  const A = Float64Array.from(model.ageMass);
  const zb = model.zb_cm;
  const zt = model.zbTarget_cm;
  let worst = 0;
  model.step(1, atmosphere, year);
  for (let k = 0; k < C.length; k++) if (C[k] > 0) worst = Math.max(worst, Math.abs(model.C[k] - C[k]) / C[k]);
  model.C.set(C);
  model.R.set(R);
  model.ageMass.set(A);
  model.zb_cm = zb;
  model.zbTarget_cm = zt;
  return worst * 100;
}

/** Append the profile of every pool (and SOC, cumulative CO₂) at `year`. */
export function recordProfile(model: PedonModel, year: number, out: ProfileRecords): void {
  const g = model.grid;
  for (let i = 0; i < g.n; i++) {
    const o = NPOOL * i;
    let sc = 0, sr = 0, sa = 0;
    for (let p = 0; p < NPOOL; p++) {
      const cc = model.C[o + p];
      const rr = model.R[o + p];
      sc += cc;
      sr += rr;
      sa += model.ageMass[o + p];
      push(out, year, g.top_cm[i], g.bottom_cm[i], POOLS[p], cc, PedonModel.delta14C(cc, rr), cc > 0 ? model.ageMass[o + p] / cc : NaN);
    }
    push(out, year, g.top_cm[i], g.bottom_cm[i], 'SOC', sc, PedonModel.delta14C(sc, sr), sc > 0 ? sa / sc : NaN);
    push(out, year, g.top_cm[i], g.bottom_cm[i], 'CO2', model.co2CumC[i], PedonModel.delta14C(model.co2CumC[i], model.co2CumR[i]), NaN);
  }
}

function push(o: ProfileRecords, year: number, top: number, bottom: number, pool: string, stock: number, d14: number, age: number): void {
  o.year.push(year);
  o.layerTop_cm.push(top);
  o.layerBottom_cm.push(bottom);
  o.pool.push(pool);
  o.stock_gC_per_m2.push(stock);
  o.delta14c_permil.push(d14);
  o.meanAge_yr.push(age);
}
