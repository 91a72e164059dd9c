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

export interface DayShape {
  /** Sunrise and sunset, hours after midnight. */
  readonly sunrise_h: number;
  readonly sunset_h: number;
}

export const DEFAULT_DAY: DayShape = { sunrise_h: 6, sunset_h: 18 };

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

/** Day-time shape factor s ∈ [0, 1] at time t (d, midnight = integer), truncated sinusoid. */
export function diurnalFactor(t_d: number, day: DayShape = DEFAULT_DAY): number {
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
