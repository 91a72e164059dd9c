/**
 * Diurnal weather as a truncated sinusoid (RHIZOSPHERE.md, 004 Sec. 2.3): between sunrise and sunset
 * every variable moves from its night value towards its day value with s(t) = sin(π (h − h_rise)/(h_set − h_rise)),
 * and stays at its night value at night (s = 0). PAR is 0 at night. 004's code (fixedPointIter2,
 * `helpfull.py::sinusoidal3`, called with t + 0.5) uses s = max(0, 0.75 + [cos 2π(t − ½) + cos 2π(t + Δt − ½)]/2)/1.75
 * instead: light about 18.5 h a day, mean factor 0.450 against 0.318 here (COUPLING.md "Scenarios";
 * docs/results/dry-spells/README.md, departures found on 2026-12-04). rhizocarb follows PLANT.md (truncated).
 */
export interface WeatherRegime {
  /** Night and day air temperature, °C. */
  readonly tNight_C: number;
  readonly tDay_C: number;
  /** Night and day relative humidity (0–1). */
  readonly rhNight: number;
  readonly rhDay: number;
  /** Air pressure, hPa. */
  readonly pAir_hPa: number;
  /** Photosynthetically active radiation at the peak of the day, µmol photons m⁻² s⁻¹. */
  readonly parDay_umol_m2_s: number;
  /** Atmospheric CO₂ mole fraction, µmol mol⁻¹. */
  readonly co2_umol_per_mol: number;
}

/** 004's baseline weather (RHIZOSPHERE.md; 004 code `weather()`, condition "wet"). */
export const BASELINE_WEATHER: WeatherRegime = { tNight_C: 15.8, tDay_C: 22, rhNight: 0.88, rhDay: 0.6, pAir_hPa: 1010, parDay_umol_m2_s: 960, co2_umol_per_mol: 350 };
/** 004's dry-spell weather (RHIZOSPHERE.md; 004 code `weather()`, condition "dry"). */
export const DRY_SPELL_WEATHER: WeatherRegime = { tNight_C: 20.7, tDay_C: 30.27, rhNight: 0.78, rhDay: 0.44, pAir_hPa: 1070, parDay_umol_m2_s: 960, co2_umol_per_mol: 350 };

/** Diurnal shapes: `truncated-sine` (PLANT.md, between sunrise and sunset) or `sinusoidal3` (004's code). */
export const DAY_SHAPE_KINDS = ['truncated-sine', 'sinusoidal3'] as const;
export type DayShapeKind = (typeof DAY_SHAPE_KINDS)[number];

export interface DayShape {
  /** Sunrise and sunset, hours after midnight (truncated-sine only). */
  readonly sunrise_h: number;
  readonly sunset_h: number;
  /** Default `truncated-sine`. */
  readonly kind?: DayShapeKind;
  /** sinusoidal3: the code's step Δt over which it averages two cosines, d (004: 20 min). */
  readonly averagingStep_d?: number;
}

export const DEFAULT_DAY: DayShape = { sunrise_h: 6, sunset_h: 18 };

/** 004's code step (fixedPointIter2 `mainTraiRhizo.py`: dt = 20/60/24), d: the Δt of {@link sinusoidal3Factor}. */
export const CODE004_STEP_D = 20 / 1440;

/** 004's code day shape (`helpfull.py::sinusoidal3`, phase of the code: light peaks at integer days). */
export const CODE004_DAY: DayShape = { sunrise_h: 0, sunset_h: 24, kind: 'sinusoidal3', averagingStep_d: CODE004_STEP_D };

/**
 * 004's code shape (fixedPointIter2 `helpfull.py::sinusoidal3`, called as `sinusoidal3(t + 0.5, dt)` by
 * `weatherFunctions.py`): s = max(0, 0.75 + [cos 2π(T − ½) + cos 2π(T + Δt − ½)]/2)/1.75 with T = t + ½ the code's
 * step start. For the step centred on t the two cosines average to cos(πΔt)·cos 2πt, so
 * s(t) = max(0, 0.75 + cos(πΔt)·cos 2πt)/1.75: light peaks at integer t (the code's phase; 004's text calls
 * 24.5 d "midday", its code and figures have light at integer days and night around x.5, COUPLING.md
 * "Scenarios"), dark for t mod 1 ∈ (0.385, 0.615) (about 5.5 h), daily mean ≈ 0.450 (truncated sine 6–18 h: 0.318).
 */
export function sinusoidal3Factor(t_d: number, averagingStep_d = CODE004_STEP_D): number {
  return Math.max(0, 0.75 + Math.cos(Math.PI * averagingStep_d) * Math.cos(2 * Math.PI * t_d)) / 1.75;
}

export interface Weather {
  readonly t_C: number;
  readonly rh: number;
  readonly pAir_hPa: number;
  readonly par_umol_m2_s: number;
  readonly co2_umol_per_mol: number;
  /** Saturation vapour pressure at air temperature, hPa. */
  readonly es_hPa: number;
  /** Vapour pressure deficit, kPa. */
  readonly vpd_kPa: number;
}

/** Day-time shape factor s ∈ [0, 1] at time t (d, midnight = integer): truncated sinusoid, or {@link sinusoidal3Factor} for `kind: 'sinusoidal3'`. */
export function diurnalFactor(t_d: number, day: DayShape = DEFAULT_DAY): number {
  if (day.kind === 'sinusoidal3') return sinusoidal3Factor(t_d, day.averagingStep_d ?? CODE004_STEP_D);
  const h = (t_d - Math.floor(t_d)) * 24;
  if (h <= day.sunrise_h || h >= day.sunset_h) return 0;
  return Math.sin((Math.PI * (h - day.sunrise_h)) / (day.sunset_h - day.sunrise_h));
}

/** Saturation vapour pressure over water, hPa (Bolton 1980: 6.112·exp(17.67 T/(T + 243.5)), T in °C; 004 code). */
export function saturationVapourPressure_hPa(t_C: number): number {
  return 6.112 * Math.exp((17.67 * t_C) / (t_C + 243.5));
}

/** Weather at time t (d) for a regime. */
export function weatherAt(t_d: number, regime: WeatherRegime, day: DayShape = DEFAULT_DAY): Weather {
  const s = diurnalFactor(t_d, day);
  const t = regime.tNight_C + (regime.tDay_C - regime.tNight_C) * s;
  const rh = regime.rhNight + (regime.rhDay - regime.rhNight) * s;
  const es = saturationVapourPressure_hPa(t);
  return {
    t_C: t,
    rh,
    pAir_hPa: regime.pAir_hPa,
    par_umol_m2_s: regime.parDay_umol_m2_s * s,
    co2_umol_per_mol: regime.co2_umol_per_mol,
    es_hPa: es,
    vpd_kPa: (es * (1 - rh)) / 10,
  };
}
