import { z } from 'zod';
import { SOILS, type VanGenuchtenMualem } from '../soil/van-genuchten.js';
import type { TimeSeries } from '../rhizosphere/forcing.js';

/** A soil: a named benchmark soil or explicit van Genuchten–Mualem parameters. */
export const soilSchema = z.union([
  z.enum(Object.keys(SOILS) as [keyof typeof SOILS, ...(keyof typeof SOILS)[]]),
  z.strictObject({
    thetaR: z.number().min(0).max(0.5),
    thetaS: z.number().gt(0.05).max(1),
    alpha_per_cm: z.number().positive(),
    n: z.number().gt(1).max(10),
    Ks_cm_per_d: z.number().positive(),
    l: z.number().default(0.5),
  }),
]);

export function resolveSoil(s: z.infer<typeof soilSchema>): VanGenuchtenMualem {
  return typeof s === 'string' ? SOILS[s] : s;
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
  const nonNeg = kind === 'carbon' ? z.number().min(0) : z.number();
  return z.discriminatedUnion('shape', [
    z.strictObject({ shape: z.literal('constant'), value: nonNeg, unit }),
    z.strictObject({ shape: z.literal('diurnal'), peak: nonNeg, unit, dayStart_h: z.number().min(0).max(24).default(6), dayEnd_h: z.number().min(0).max(24).default(18) }),
    z.strictObject({
      shape: z.literal('pulses'),
      value: nonNeg,
      unit,
      start_h: z.number().min(0).max(24).default(6),
      duration_h: z.number().positive().default(2),
      every_d: z.number().positive().default(1),
    }),
    z.strictObject({ shape: z.literal('table'), times_d: z.array(z.number()).min(1), values: z.array(nonNeg).min(1), unit }),
  ]);
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
