/**
 * The in-browser calculators: rhizocarb's own models run here, in a Web Worker, with no server —
 * radiocarbon forward model and age inversion (001 Eqs 1–5), the equal-area spline (003), and a
 * short single-root run of the TraiRhizo perirhizal model (004 App. D). The shipped data the models
 * read (bomb curves, parameter sets) are bundled into this worker (package-data.ts).
 */
import { atmosphereDelta14CAt, loadCurve, parseZone, type CurveId, type ExtensionRule } from '../../profile/radiocarbon/curves.js';
import { invertOnePool } from '../../profile/radiocarbon/inversion.js';
import { onePoolDelta14C } from '../../profile/radiocarbon/one-pool.js';
import { delta14CPermil, delta14CToFractionModern } from '../../profile/radiocarbon/units.js';
import { checkDepths, splineProfile, splineValueAt } from '../../profile/spline.js';
import type { ProfileWarning } from '../../profile/warnings.js';
import { seriesMean, type TimeSeries } from '../../rhizosphere/forcing.js';
import { V } from '../../rhizosphere/kinetics.js';
import { isNamedSet, namedSet } from '../../rhizosphere/parameter-sets.js';
import { PerirhizalBatch } from '../../rhizosphere/perirhizal.js';
import { SOILS } from '../../soil/van-genuchten.js';
import { ReturnCode } from '../../numerics/ode/types.js';
import { installBundledPackageData } from './package-data.js';
import type { CalcReply, CalcRequest, SingleRootRequest } from './protocol.js';

installBundledPackageData();

const post = (m: CalcReply) => (self as unknown as { postMessage(m: CalcReply): void }).postMessage(m);

function curveOf(r: { curve: string; zone: string; extend: string }) {
  return loadCurve(r.curve as CurveId, parseZone(r.zone), r.extend as ExtensionRule);
}

function forward(r: Extract<CalcRequest, { type: 'forward' }>) {
  if (!(r.turnoverYears > 0)) throw new Error(`turnover time: got ${r.turnoverYears}, expected > 0 years`);
  const curve = curveOf(r);
  const d = onePoolDelta14C(curve, r.turnoverYears, r.year);
  // The soil's and the atmosphere's Δ14C from 1950 to the sampling year, for the plot.
  const years: number[] = [];
  for (let y = 1950; y < r.year; y += 0.5) years.push(y);
  years.push(r.year);
  return {
    delta14c: d,
    fractionModern: delta14CToFractionModern(delta14CPermil(d), r.year),
    atmosphereDelta14c: atmosphereDelta14CAt(curve, r.year),
    curve: curve.id,
    zone: curve.zone,
    citation: curve.citation,
    years,
    soil: years.map((y) => onePoolDelta14C(curve, r.turnoverYears, y)),
    atmosphere: years.map((y) => atmosphereDelta14CAt(curve, y)),
  };
}

function age(r: Extract<CalcRequest, { type: 'age' }>) {
  const curve = curveOf(r);
  const inv = invertOnePool(curve, delta14CPermil(r.delta14c), r.year, r.sigma !== null ? { sigma_permil: r.sigma } : {});
  return { roots: inv.roots, ambiguous: inv.ambiguous, status: inv.status, maxDelta14c: inv.maxDelta14C_permil, turnoverAtMaxYears: inv.turnoverAtMaxYears, curve: curve.id, zone: curve.zone };
}

function spline(r: Extract<CalcRequest, { type: 'spline' }>) {
  const rows = r.horizons
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l && !/^[#a-z]/i.test(l))
    .map((l, i) => {
      const f = l.split(/[,;\t ]+/).map(Number);
      if (f.length < 3 || f.slice(0, 3).some((x) => !Number.isFinite(x))) throw new Error(`line ${i + 1} "${l}": expected top,bottom,value (numbers)`);
      return f;
    });
  checkDepths([...r.depths]);
  const warnings: ProfileWarning[] = [];
  const res = splineProfile({ profile: 'input', tops: rows.map((x) => x[0]), bottoms: rows.map((x) => x[1]), values: rows.map((x) => x[2]) }, r.depths, { lambda: r.lambda, mode: r.mode }, warnings);
  const curveDepths: number[] = [];
  const curveValues: number[] = [];
  if (res.spline) {
    const top = Math.min(...rows.map((x) => x[0]));
    const bottom = Math.max(...rows.map((x) => x[1]));
    for (let k = 0; k <= 200; k++) {
      const z = top + ((bottom - top) * k) / 200;
      curveDepths.push(z);
      curveValues.push(splineValueAt(res.spline, z));
    }
  }
  return { means: Array.from(res.means), coverage: Array.from(res.coverage), depths: r.depths, rejected: res.rejected, warnings: warnings.map((w) => w.message), horizons: rows, curveDepths, curveValues };
}

function singleRoot(id: number, r: SingleRootRequest) {
  if (!(r.days > 0 && r.days <= 2)) throw new Error(`days: got ${r.days}, expected 0 < days ≤ 2 in the browser (longer runs: rhizocarb run)`);
  if (!isNamedSet(r.parameterSet)) throw new Error(`parameter set: got ${r.parameterSet}, expected highCO2, highMB or lowMUptake`);
  const soil = SOILS[r.soil as keyof typeof SOILS];
  if (!soil) throw new Error(`soil: got ${r.soil}, expected one of ${Object.keys(SOILS).join(', ')}`);
  const radius = 0.02;
  const batch = new PerirhizalBatch([{ rIn_cm: radius, rOut_cm: 0.6, length_cm: 1 }], r.head_cm, { soil, params: namedSet(r.parameterSet), cells: 9, spacing: 'log', rtol: 1e-6 });
  const uptake: TimeSeries = { shape: 'diurnal', peak: r.uptakePeak_cm_per_d, dayStart_h: 6, dayEnd_h: 18 };
  const exudation: TimeSeries = { shape: 'diurnal', peak: r.exudationPeak_mmolC_per_cm2_d * 1e-3, dayStart_h: 6, dayEnd_h: 18 };
  const mucilage: TimeSeries = { shape: 'pulses', value: r.mucilage_mmolC_per_cm2_d * 1e-3, start_h: 20, duration_h: 4, every_d: 1 };
  const nSteps = Math.max(1, Math.round((r.days * 1440) / r.couplingStep_min));
  const dt = r.days / nSteps;
  const time = [0];
  const pools: Record<string, number[]> = { CL_dissolved: [], CH: [], microbial: [], CO2: [] };
  const record = () => {
    pools.CL_dissolved.push(batch.poolTotal(0, V.L));
    pools.CH.push(batch.poolTotal(0, V.H));
    pools.microbial.push(batch.poolTotal(0, V.Oa) + batch.poolTotal(0, V.Od) + batch.poolTotal(0, V.Ca) + batch.poolTotal(0, V.Cd));
    pools.CO2.push(batch.poolTotal(0, V.CO2));
  };
  record();
  for (let k = 1; k <= nSteps; k++) {
    const t0 = (k - 1) * dt;
    const t1 = k * dt;
    batch.waterUptake_cm_per_d[0] = seriesMean(uptake, t0, t1);
    batch.exudation_molC_per_cm2_d[0] = seriesMean(exudation, t0, t1);
    batch.mucilage_molC_per_cm2_d[0] = seriesMean(mucilage, t0, t1);
    const code = batch.advance(dt);
    if (code !== ReturnCode.Success) throw new Error(`integration failed at t = ${t0.toFixed(4)} d (return code ${code})`);
    time.push(t1);
    record();
    post({ id, type: 'progress', done: k, total: nSteps });
  }
  const rel = batch.relativeBalanceErrors();
  const bal = batch.balance(0);
  return {
    time,
    pools,
    steps: batch.stats.accepted,
    balance: { water: rel.water, carbon: rel.carbon },
    totals: { co2_molC: batch.poolTotal(0, V.CO2), exudedC_molC: bal.exudation_molC, mucilageC_molC: bal.mucilage_molC, rootWaterUptake_cm3: bal.rootUptake_cm3 },
  };
}

self.onmessage = (e: MessageEvent<{ id: number; request: CalcRequest }>) => {
  const { id, request } = e.data;
  try {
    const result =
      request.type === 'forward' ? forward(request) : request.type === 'age' ? age(request) : request.type === 'spline' ? spline(request) : singleRoot(id, request);
    post({ id, type: 'result', result });
  } catch (err) {
    post({ id, type: 'error', message: (err as Error).message });
  }
};
