import { interpolateLinear } from '../numerics/interpolate.js';

/**
 * Prescribed boundary-flux time series (water uptake, exudation, mucilage) for root segments
 * without a plant model (scenario `single-root`). Every shape has an exact integral, so a flux held
 * constant over a coupling interval at its interval mean releases exactly the prescribed amount.
 * Times in days; values in the unit of the quantity they describe.
 */
export type TimeSeries =
  | { readonly shape: 'constant'; readonly value: number }
  /** Truncated sinusoid: peak·sin(π(τ − start)/(end − start)) between start and end hour of each day, 0 otherwise. */
  | { readonly shape: 'diurnal'; readonly peak: number; readonly dayStart_h: number; readonly dayEnd_h: number }
  /** Rectangular pulses of `value` lasting `duration_h`, starting at `start_h` every `every_d` days. */
  | { readonly shape: 'pulses'; readonly value: number; readonly start_h: number; readonly duration_h: number; readonly every_d: number }
  /** Piecewise linear through (times_d, values), held constant before the first and after the last point. */
  | { readonly shape: 'table'; readonly times_d: readonly number[]; readonly values: readonly number[] };

const HOURS = 24;

/** Value at time t (d). */
export function seriesValue(s: TimeSeries, t_d: number): number {
  switch (s.shape) {
    case 'constant':
      return s.value;
    case 'diurnal': {
      const hour = (t_d - Math.floor(t_d)) * HOURS;
      if (hour <= s.dayStart_h || hour >= s.dayEnd_h) return 0;
      return s.peak * Math.sin((Math.PI * (hour - s.dayStart_h)) / (s.dayEnd_h - s.dayStart_h));
    }
    case 'pulses': {
      const period = s.every_d;
      const phase = t_d - Math.floor(t_d / period) * period; // d since the period began
      const start = s.start_h / HOURS;
      const end = start + s.duration_h / HOURS;
      return (phase >= start && phase < end) || phase + period < end ? s.value : 0;
    }
    case 'table':
      return interpolateLinear(s.times_d, s.values, t_d);
  }
}

/** ∫_{t0}^{t1} value dt, exact for every shape (value-unit × d). */
export function seriesIntegral(s: TimeSeries, t0_d: number, t1_d: number): number {
  if (t1_d < t0_d) return -seriesIntegral(s, t1_d, t0_d);
  switch (s.shape) {
    case 'constant':
      return s.value * (t1_d - t0_d);
    case 'diurnal':
      return periodicIntegral(t0_d, t1_d, 1, (a, b) => diurnalWithinDay(s, a, b));
    case 'pulses': {
      const period = s.every_d;
      const start = s.start_h / HOURS;
      const end = start + s.duration_h / HOURS;
      // A pulse may run past the end of its period into the next one: integrate two copies.
      return periodicIntegral(t0_d, t1_d, period, (a, b) => s.value * (overlap(a, b, start, end) + overlap(a, b, start - period, end - period)));
    }
    case 'table': {
      const ts = s.times_d, vs = s.values;
      const pts = [t0_d, ...ts.filter((t) => t > t0_d && t < t1_d), t1_d];
      let sum = 0;
      for (let k = 0; k + 1 < pts.length; k++) sum += 0.5 * (interpolateLinear(ts, vs, pts[k]) + interpolateLinear(ts, vs, pts[k + 1])) * (pts[k + 1] - pts[k]);
      return sum;
    }
  }
}

/** Mean over [t0, t1] (the constant flux that delivers the same amount). */
export function seriesMean(s: TimeSeries, t0_d: number, t1_d: number): number {
  return t1_d > t0_d ? seriesIntegral(s, t0_d, t1_d) / (t1_d - t0_d) : seriesValue(s, t0_d);
}

function overlap(a: number, b: number, lo: number, hi: number): number {
  return Math.max(0, Math.min(b, hi) - Math.max(a, lo));
}

/** Split [t0, t1] at multiples of `period` and integrate each piece in period-local time. */
function periodicIntegral(t0: number, t1: number, period: number, within: (a: number, b: number) => number): number {
  let sum = 0;
  let k = Math.floor(t0 / period);
  while (k * period < t1) {
    const base = k * period;
    const a = Math.max(t0, base) - base;
    const b = Math.min(t1, base + period) - base;
    if (b > a) sum += within(a, b);
    k++;
  }
  return sum;
}

/** ∫ of the diurnal sinusoid over day-local times a..b (d). */
function diurnalWithinDay(s: Extract<TimeSeries, { shape: 'diurnal' }>, a: number, b: number): number {
  const start = s.dayStart_h / HOURS;
  const end = s.dayEnd_h / HOURS;
  const lo = Math.max(a, start);
  const hi = Math.min(b, end);
  if (hi <= lo) return 0;
  const w = Math.PI / (end - start);
  return (s.peak / w) * (Math.cos(w * (lo - start)) - Math.cos(w * (hi - start)));
}

/** A problem found in a series: the field, its value and what was expected. */
export interface SeriesProblem {
  readonly field: string;
  readonly value: unknown;
  readonly expected: string;
}

/** Problems with a series (empty when valid): ordering, lengths, hours within a day. */
export function validateSeries(s: TimeSeries): SeriesProblem[] {
  const errs: SeriesProblem[] = [];
  if (s.shape === 'diurnal') {
    if (!(s.dayEnd_h > s.dayStart_h)) errs.push({ field: 'dayEnd_h', value: s.dayEnd_h, expected: `> dayStart_h (${s.dayStart_h})` });
  } else if (s.shape === 'pulses') {
    if (!(s.duration_h / HOURS <= s.every_d)) errs.push({ field: 'duration_h', value: s.duration_h, expected: `a pulse no longer than every_d (${s.every_d} d)` });
  } else if (s.shape === 'table') {
    if (s.times_d.length !== s.values.length) errs.push({ field: 'values', value: s.values.length, expected: `as many values as times_d (${s.times_d.length})` });
    for (let k = 1; k < s.times_d.length; k++) {
      if (!(s.times_d[k] > s.times_d[k - 1])) errs.push({ field: `times_d[${k}]`, value: s.times_d[k], expected: `> ${s.times_d[k - 1]} (increasing times)` });
    }
  }
  return errs;
}
