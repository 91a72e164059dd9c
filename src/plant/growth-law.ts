import type { GrowthFunction } from './xml-params.js';

/**
 * Potential elongation laws of CRootBox/CPlantBox (Schnepf et al. 2018, Ann. Bot. 121:1033, Eq. 1):
 * negative exponential l(t) = lmax·(1 − exp(−r·t/lmax)) and linear l(t) = min(lmax, r·t), with
 * their inverses (age at a given length). Organs integrate growth through the *developmental age*
 * (the age at which the potential law gives the current length), so unlimited growth reproduces the
 * law exactly for any sub-stepping, and carbon- or water-limited growth continues from the length
 * reached (gf = 3 is the negative exponential as potential, realised growth limited by the carbon model).
 * A stem's growth pause [delayNGStart, delayNGEnd) is on its chronological age since emergence, as in
 * CPlantBox (Stem::simulate with ExponentialGrowth; runPM.cpp PhloemFlux::waterLimitedGrowth with
 * CWLimitedGrowth): under potential growth the two ages coincide; under limited growth an organ lags its
 * potential length, and its potential increment is the law continued from its *growing age* (the pause-free
 * age at its length) by the step's time outside the pause ({@link limitedPotentialLength}).
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
  return lengthAtGrowingAge(law, growingAge(law, Math.max(age_d, 0)));
}

/** Potential length at growing age `t_d` (pause excluded), cm. */
export function lengthAtGrowingAge(law: GrowthLaw, t_d: number): number {
  if (law.gf === 2) return Math.min(law.lmax_cm, law.r_cm_per_d * t_d);
  if (law.lmax_cm <= 0 || law.r_cm_per_d <= 0) return 0;
  return -law.lmax_cm * Math.expm1((-law.r_cm_per_d * t_d) / law.lmax_cm);
}

/** Part of the organ-age interval [age, age + dt] outside the growth pause [pauseStart, pauseEnd), d. */
export function growingTime_d(law: Pick<GrowthLaw, 'pauseStart_d' | 'pauseEnd_d'>, age_d: number, dt_d: number): number {
  if (!(dt_d > 0)) return 0;
  if (!(age_d + dt_d > law.pauseStart_d) || age_d >= law.pauseEnd_d) return dt_d;
  // The parts before and after the pause, summed (as 004's runPM.cpp waterLimitedGrowth does).
  const before = age_d < law.pauseStart_d ? Math.min(dt_d, law.pauseStart_d - age_d) : 0;
  const after = Math.min(dt_d, Math.max(age_d + dt_d - law.pauseEnd_d, 0));
  return before + after;
}

/**
 * Potential length at the end of a step of limited growth, cm: the law continued from the organ's
 * developmental age `devAge_d` (its growing age {@link growingAge}) for the part of the step's
 * chronological organ ages [age, age + dt] outside the pause ({@link growingTime_d}). With an organ
 * that grew at its potential so far (devAge = age), this is {@link lengthAtAge}(age + dt) exactly.
 */
export function limitedPotentialLength(law: GrowthLaw, devAge_d: number, age_d: number, dt_d: number): number {
  return lengthAtGrowingAge(law, growingAge(law, Math.max(devAge_d, 0)) + growingTime_d(law, age_d, dt_d));
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

/**
 * Developmental age at `length_cm`, d: the growing age {@link ageAtLength}, with the pause re-inserted
 * when that age lies beyond the pause start, so that lengthAtAge(result) = length and growingAge(result)
 * = ageAtLength(length). (The pause of limited growth is read on chronological age, {@link limitedPotentialLength}.)
 */
export function developmentalAgeAtLength(law: GrowthLaw, length_cm: number): number {
  const a = ageAtLength(law, length_cm);
  return a > law.pauseStart_d && Number.isFinite(law.pauseEnd_d) ? a + (law.pauseEnd_d - law.pauseStart_d) : a;
}

/** Potential elongation rate dl/dt at developmental age `age_d`, cm d⁻¹. */
export function elongationRate(law: GrowthLaw, age_d: number): number {
  if (age_d >= law.pauseStart_d && age_d < law.pauseEnd_d) return 0;
  const t = growingAge(law, age_d);
  if (law.gf === 2) return law.r_cm_per_d * t < law.lmax_cm ? law.r_cm_per_d : 0;
  return law.r_cm_per_d * Math.exp((-law.r_cm_per_d * t) / law.lmax_cm);
}
