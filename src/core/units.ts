/**
 * Unit conversions used at module boundaries. Inside the code: time in days, length in cm,
 * volume in cm³, carbon in mol C, water potential as head in cm of water (RHIZOSPHERE.md).
 */

/** cm of water head per hPa (1 hPa = 1.019716 cm H2O at 4 °C, standard gravity). */
export const CM_PER_HPA = 1.019716;

/** Molar mass of carbon, g mol⁻¹ (IUPAC 2013 conventional value 12.011; used by the TraiRhizo code). */
export const MOLAR_MASS_C_G_PER_MOL = 12.011;

export const SECONDS_PER_DAY = 86_400;

/** Convert a pressure in hPa to a head in cm of water. */
export function hPaToCm(p_hPa: number): number {
  return p_hPa * CM_PER_HPA;
}

/** Convert a head in cm of water to a pressure in hPa. */
export function cmToHPa(h_cm: number): number {
  return h_cm / CM_PER_HPA;
}
