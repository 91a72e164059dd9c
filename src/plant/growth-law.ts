import type { GrowthFunction } from './xml-params.js';

/**
 * Potential elongation laws of CRootBox/CPlantBox (Schnepf et al. 2018, Ann. Bot. 121:1033, Eq. 1):
 * negative exponential l(t) = lmax·(1 − exp(−r·t/lmax)) and linear l(t) = min(lmax, r·t), with
 * their inverses (age at a given length). Organs integrate growth through the *developmental age*
 * (the age at which the potential law gives the current length), so unlimited growth reproduces the
 * law exactly for any sub-stepping, and carbon- or water-limited growth continues from the length
 * reached (gf = 3 is the negative exponential as potential, realised growth limited by the carbon model).
 */
export interface GrowthLaw {
  readonly lmax_cm: number;
  readonly r_cm_per_d: number;
  readonly gf: GrowthFunction;
  /** Developmental ages in [pauseStart, pauseEnd) do not lengthen the organ (CPlantBox nodal growth pause), d. */
  readonly pauseStart_d: number;
  readonly pauseEnd_d: number;
}

/** Age after removing the growth pause, d. */
export function growingAge(law: GrowthLaw, age_d: number): number {
  if (age_d <= law.pauseStart_d) return age_d;
  if (age_d < law.pauseEnd_d) return law.pauseStart_d;
  return age_d - (law.pauseEnd_d - law.pauseStart_d);
}

/** Potential length at developmental age `age_d`, cm: lmax(1 − e^{−r t/lmax}) (gf 1, 3) or min(lmax, r t) (gf 2). */
export function lengthAtAge(law: GrowthLaw, age_d: number): number {
  const t = growingAge(law, Math.max(age_d, 0));
  if (law.gf === 2) return Math.min(law.lmax_cm, law.r_cm_per_d * t);
  if (law.lmax_cm <= 0 || law.r_cm_per_d <= 0) return 0;
  return -law.lmax_cm * Math.expm1((-law.r_cm_per_d * t) / law.lmax_cm);
}

/**
 * Growing age at which the potential law reaches `length_cm`, d (pause not included); Infinity at or
 * beyond lmax. Inverse of {@link lengthAtAge} without the pause: −(lmax/r)·ln(1 − l/lmax).
 */
export function ageAtLength(law: GrowthLaw, length_cm: number): number {
  if (length_cm <= 0) return 0;
  if (length_cm >= law.lmax_cm || law.r_cm_per_d <= 0) return Infinity;
  if (law.gf === 2) return length_cm / law.r_cm_per_d;
  return (-law.lmax_cm / law.r_cm_per_d) * Math.log1p(-length_cm / law.lmax_cm);
}

/** Developmental age with the pause re-inserted, consistent with the phase of `previousAge_d`, d. */
export function developmentalAgeAtLength(law: GrowthLaw, length_cm: number, previousAge_d: number): number {
  const a = ageAtLength(law, length_cm);
  return previousAge_d >= law.pauseStart_d && Number.isFinite(law.pauseEnd_d) ? Math.max(a + (law.pauseEnd_d - law.pauseStart_d), previousAge_d) : a;
}

/** Potential elongation rate dl/dt at developmental age `age_d`, cm d⁻¹. */
export function elongationRate(law: GrowthLaw, age_d: number): number {
  if (age_d >= law.pauseStart_d && age_d < law.pauseEnd_d) return 0;
  const t = growingAge(law, age_d);
  if (law.gf === 2) return law.r_cm_per_d * t < law.lmax_cm ? law.r_cm_per_d : 0;
  return law.r_cm_per_d * Math.exp((-law.r_cm_per_d * t) / law.lmax_cm);
}
