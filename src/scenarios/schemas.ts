import { z } from 'zod';
import { oneOf } from '../core/errors.js';
import { SOILS, VAN_GENUCHTEN_PARAMS, type VanGenuchtenMualem } from '../soil/van-genuchten.js';
import type { TimeSeries } from '../rhizosphere/forcing.js';
import { doc, paramNumber } from './params-schema.js';

const soilNames = Object.keys(SOILS) as [keyof typeof SOILS, ...(keyof typeof SOILS)[]];
const vg = (name: (typeof VAN_GENUCHTEN_PARAMS)[number]['name']) => paramNumber('soil.vanGenuchten', VAN_GENUCHTEN_PARAMS.find((p) => p.name === name)!);

/** ψ_rsi averaging of the coupling's fixed-point iteration (CoupledConfig.psiAveraging), the key `coupling.psiAveraging` of the kinds that run the coupling. */
export const PSI_AVERAGING = ['relaxed', 'reference', 'none', 'aitken', 'secant', 'anderson', 'surrogate'] as const;
export const DEFAULT_PSI_AVERAGING = 'relaxed';
export const psiAveragingSchema = z
  .enum(PSI_AVERAGING)
  .default(DEFAULT_PSI_AVERAGING)
  .meta(doc("ψ_rsi handed to the plant in the fixed-point iteration (CoupledConfig.psiAveraging, docs/COUPLING.md): relaxed = mean of the last two iterates from iterate 4 on (two-point averaging, default); reference = mean of all previous iterates (the reference code's; converges like 1/k); none = the last iterate; aitken = Irons–Tuck relaxation from iterate 2 on, for an overshooting root–soil feedback (thin perirhizal domains of small voxels in dry soil: docs/ROOT-WATER-UPTAKE.md); secant = a relaxation factor per segment from the secant of its own residual (converges where relaxed cycles with period 3 at a drying root surface in the dry spells: docs/results/dry-spells/README.md Cost); anderson = Anderson acceleration, depth 3; surrogate = in dynamic soil a per-domain secant model of the 1D root-surface head against the uptake, with the plant water solved against those models before every 1D solve (quasi-Newton; same fixed point, fewer 1D solves in drying soil: docs/results/dry-spells/README.md \"Late-spell speed-up\"; static soil: as secant)"));

/** Van Genuchten–Mualem parameters, ranges from the registry (`soil.vanGenuchten`). */
export const vanGenuchtenSchema = z.strictObject({
  name: z.string().optional().meta(doc('name of the soil the numbers belong to (informational; resolved scenarios keep the name of a named soil here)')),
  thetaR: vg('thetaR'),
  thetaS: vg('thetaS'),
  alpha_per_cm: vg('alpha_per_cm'),
  n: vg('n'),
  Ks_cm_per_d: vg('Ks_cm_per_d'),
  l: vg('l').default(0.5),
});

/** A soil: a named benchmark soil or explicit van Genuchten–Mualem parameters; resolves to the numbers. */
export const soilSchema = z
  .union([z.enum(soilNames), vanGenuchtenSchema], {
    error: (iss) =>
      iss.code !== 'invalid_union'
        ? undefined
        : typeof iss.input === 'string'
          ? oneOf(soilNames, iss.input, 'a soil name:')
          : `a soil name (${soilNames.join(', ')}) or van Genuchten–Mualem parameters {thetaR, thetaS, alpha_per_cm, n, Ks_cm_per_d, l}`,
  })
  .meta(doc(`soil hydraulics: a named soil (${soilNames.join(', ')}; numbers in docs/PARAMETERS.md and src/soil/van-genuchten.ts) or van Genuchten–Mualem parameters`));

export type SoilInput = z.infer<typeof soilSchema>;
export type ResolvedSoil = VanGenuchtenMualem & { readonly name?: string };

/** The numbers of a soil (a named soil keeps its name in `name`). */
export function resolveSoil(s: SoilInput): ResolvedSoil {
  return typeof s === 'string' ? { name: s, ...SOILS[s] } : { ...s };
}

/** θ_s > θ_r (the cross-field condition the registry ranges cannot express), as an error message or undefined. */
export function soilCrossCheck(s: SoilInput): string | undefined {
  const r = resolveSoil(s);
  return r.thetaS > r.thetaR ? undefined : `thetaS > thetaR (${r.thetaR})`;
}

/**
 * Units accepted for a prescribed flux, with the factor to the model unit. The file states its
 * unit explicitly (`unit:`), so a value is never read in the wrong unit silently.
 */
export const FLUX_UNITS = {
  carbon: { model: 'mol C cm-2 d-1', factors: { 'mol C cm-2 d-1': 1, 'mmol C cm-2 d-1': 1e-3, 'umol C cm-2 d-1': 1e-6 } },
  water: { model: 'cm d-1', factors: { 'cm d-1': 1, 'mm d-1': 0.1, 'cm3 cm-2 d-1': 1 } },
} as const;

type FluxKind = keyof typeof FLUX_UNITS;

/** Schema of a time series of one flux kind, with explicit unit. */
export function seriesSchema<K extends FluxKind>(kind: K) {
  const units = Object.keys(FLUX_UNITS[kind].factors) as [string, ...string[]];
  const unit = z.enum(units, { error: () => `one of ${units.map((u) => JSON.stringify(u)).join(', ')}` });
  // Bounded so that a typo (1e300) is refused here, not found by the solver.
  const nonNeg = kind === 'carbon' ? z.number().min(0).max(1e6) : z.number().min(-1e6).max(1e6);
  const u = unit.meta(doc(`unit of the values: ${units.join(', ')}`));
  const hour = (d: number, what: string) => z.number().min(0).max(24).default(d).meta(doc(what, 'h'));
  return z.discriminatedUnion('shape', [
    z.strictObject({ shape: z.literal('constant').meta(doc('a constant rate')), value: nonNeg.meta(doc('the rate, in `unit`')), unit: u }),
    z.strictObject({
      shape: z.literal('diurnal').meta(doc('a half-sine between dayStart_h and dayEnd_h every day, zero at night')),
      peak: nonNeg.meta(doc('the rate at midday, in `unit`')),
      unit: u,
      dayStart_h: hour(6, 'hour of day the rate starts rising from zero'),
      dayEnd_h: hour(18, 'hour of day the rate is back at zero'),
    }),
    z.strictObject({
      shape: z.literal('pulses').meta(doc('rectangular pulses: `value` for duration_h from start_h, every every_d days')),
      value: nonNeg.meta(doc('the rate during a pulse, in `unit`')),
      unit: u,
      start_h: hour(6, 'hour of day a pulse starts'),
      duration_h: z.number().positive().default(2).meta(doc('length of a pulse', 'h')),
      every_d: z.number().positive().default(1).meta(doc('days from one pulse to the next', 'd')),
    }),
    z.strictObject({
      shape: z.literal('table').meta(doc('piecewise-linear in time between the given points, held constant outside')),
      times_d: z.array(z.number()).min(1).meta(doc('times of the points, strictly increasing', 'd')),
      values: z.array(nonNeg).min(1).meta(doc('rates at those times, in `unit`')),
      unit: u,
    }),
  ]).meta(doc(`a prescribed ${kind === 'carbon' ? 'carbon' : 'water'} flux per root surface over time: shape constant, diurnal, pulses or table`));
}

export type SeriesInput = z.infer<ReturnType<typeof seriesSchema>>;

/** Convert a validated series to model units. */
export function resolveSeries(kind: FluxKind, s: SeriesInput): TimeSeries {
  const f = (FLUX_UNITS[kind].factors as Record<string, number>)[s.unit];
  switch (s.shape) {
    case 'constant':
      return { shape: 'constant', value: s.value * f };
    case 'diurnal':
      return { shape: 'diurnal', peak: s.peak * f, dayStart_h: s.dayStart_h, dayEnd_h: s.dayEnd_h };
    case 'pulses':
      return { shape: 'pulses', value: s.value * f, start_h: s.start_h, duration_h: s.duration_h, every_d: s.every_d };
    case 'table':
      return { shape: 'table', times_d: s.times_d, values: s.values.map((v) => v * f) };
  }
}
