/**
 * Radiocarbon quantities and their conversions (Stuiver & Polach 1977, Radiocarbon 19:355;
 * Reimer, Brown & Reimer 2004, Radiocarbon 46:1299). Three quantities that are easy to confuse
 * carry branded types, so a fraction modern cannot be passed where a Δ14C is expected:
 *
 * * {@link Delta14CPermil} Δ14C, ‰: age-corrected deviation from the absolute standard (001 Eq 4).
 * * {@link FractionModern} F14C (a.k.a. "fraction modern", Fm): the measured ¹⁴C/¹²C ratio relative
 *   to the standard, not corrected for decay since the year of measurement.
 * * {@link AbsoluteFraction} A/A_std = Δ14C/1000 + 1 (001 Eq 5): the variable the soil models work
 *   in, independent of A_std.
 */

declare const brand: unique symbol;
type Brand<T, B extends string> = T & { readonly [brand]: B };

/** Δ14C in per mil (‰). */
export type Delta14CPermil = Brand<number, 'Delta14CPermil'>;
/** F14C, fraction modern as measured (dimensionless). */
export type FractionModern = Brand<number, 'FractionModern'>;
/** A/A_std = Δ14C/1000 + 1 (001 Eq 5), dimensionless. */
export type AbsoluteFraction = Brand<number, 'AbsoluteFraction'>;

/** Tag a number as Δ14C in ‰. */
export const delta14CPermil = (v: number): Delta14CPermil => v as Delta14CPermil;
/** Tag a number as F14C (fraction modern). */
export const fractionModern = (v: number): FractionModern => v as FractionModern;
/** Tag a number as A/A_std. */
export const absoluteFraction = (v: number): AbsoluteFraction => v as AbsoluteFraction;

/** Mean life of ¹⁴C from the Cambridge half-life 5730 yr: 5730/ln 2 = 8266.6 ≈ 8267 yr (001's 1/γ; Stuiver & Polach's age correction). */
export const MEAN_LIFE_CAMBRIDGE_YEARS = 8267;
/** γ = λ, the ¹⁴C decay constant, yr⁻¹ (001 Eq 1: "equal to 1/8267 per year"). */
export const DECAY_CONSTANT_PER_YEAR = 1 / MEAN_LIFE_CAMBRIDGE_YEARS;
/** Libby mean life 5568/ln 2 = 8033 yr, used only for conventional radiocarbon ages (Stuiver & Polach 1977). */
export const MEAN_LIFE_LIBBY_YEARS = 8033;
/** Reference year of the radiocarbon standard, AD (ages "before present" count from 1950). */
export const REFERENCE_YEAR_AD = 1950;

/** Δ14C (‰) = (F14C·exp((1950 − y)/8267) − 1)·1000, y = year of measurement (Stuiver & Polach 1977, Reimer et al. 2004 Eq 6). */
export function fractionModernToDelta14C(f: FractionModern, measurementYear: number): Delta14CPermil {
  return ((f * Math.exp((REFERENCE_YEAR_AD - measurementYear) / MEAN_LIFE_CAMBRIDGE_YEARS) - 1) * 1000) as Delta14CPermil;
}

/** F14C = (Δ14C/1000 + 1)·exp((y − 1950)/8267); inverse of {@link fractionModernToDelta14C}. */
export function delta14CToFractionModern(d: Delta14CPermil, measurementYear: number): FractionModern {
  return ((d / 1000 + 1) * Math.exp((measurementYear - REFERENCE_YEAR_AD) / MEAN_LIFE_CAMBRIDGE_YEARS)) as FractionModern;
}

/** A/A_std = Δ14C/1000 + 1 (001 Eq 5). */
export function delta14CToAbsolute(d: Delta14CPermil): AbsoluteFraction {
  return (d / 1000 + 1) as AbsoluteFraction;
}

/** Δ14C (‰) = (A/A_std − 1)·1000 (001 Eq 4). */
export function absoluteToDelta14C(a: AbsoluteFraction): Delta14CPermil {
  return ((a - 1) * 1000) as Delta14CPermil;
}

/** Conventional radiocarbon age, ¹⁴C yr BP = −8033·ln F14C (Stuiver & Polach 1977; Libby mean life). Negative for F14C > 1 ("modern"). */
export function fractionModernToConventionalAge(f: FractionModern): number {
  return -MEAN_LIFE_LIBBY_YEARS * Math.log(f);
}

/** F14C = exp(−age/8033), inverse of {@link fractionModernToConventionalAge}. */
export function conventionalAgeToFractionModern(ageYearsBP: number): FractionModern {
  return Math.exp(-ageYearsBP / MEAN_LIFE_LIBBY_YEARS) as FractionModern;
}

/** Conventional age (¹⁴C yr BP) of a sample with Δ14C `d` measured in `measurementYear`. */
export function delta14CToConventionalAge(d: Delta14CPermil, measurementYear: number): number {
  return fractionModernToConventionalAge(delta14CToFractionModern(d, measurementYear));
}

/** Δ14C (‰) of a sample of conventional age `ageYearsBP` measured in `measurementYear`. */
export function conventionalAgeToDelta14C(ageYearsBP: number, measurementYear: number): Delta14CPermil {
  return fractionModernToDelta14C(conventionalAgeToFractionModern(ageYearsBP), measurementYear);
}
