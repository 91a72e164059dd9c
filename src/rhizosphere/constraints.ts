import type { BiokineticParams } from './parameters.js';

/** Outcome of one constraint of 004 App. G. */
export interface ConstraintCheck {
  readonly id: string;
  readonly text: string;
  readonly satisfied: boolean;
  /** The numbers compared, for the report. */
  readonly values: Record<string, number>;
}

/** Parameter constraints of 004 Table G1 (Sircan et al. 2025) for one set. */
export function checkParameterConstraints(p: BiokineticParams): ConstraintCheck[] {
  const c = (id: string, text: string, ok: boolean, values: Record<string, number>): ConstraintCheck => ({ id, text, satisfied: ok, values });
  return [
    c('G1.1', 'μ_max,C > μ_max,O', p.muMaxC_per_d > p.muMaxO_per_d, { muMaxC: p.muMaxC_per_d, muMaxO: p.muMaxO_per_d }),
    c('G1.2', 'k_O,S > k_C,S', p.kO_cm3_per_molC_d > p.kC_cm3_per_molC_d, { kO: p.kO_cm3_per_molC_d, kC: p.kC_cm3_per_molC_d }),
    c('G1.3', 'k_max,C > k_max,O', p.kmaxC_per_d > p.kmaxO_per_d, { kmaxC: p.kmaxC_per_d, kmaxO: p.kmaxO_per_d }),
    c('G1.4', 'C_thres,C > C_thres,O', p.CthresC_molC_per_cm3_water > p.CthresO_molC_per_cm3_water, { CthresC: p.CthresC_molC_per_cm3_water, CthresO: p.CthresO_molC_per_cm3_water }),
    c('G1.5', 'k_max,i < μ_max,i (i = O, C)', p.kmaxO_per_d < p.muMaxO_per_d && p.kmaxC_per_d < p.muMaxC_per_d, { kmaxO: p.kmaxO_per_d, muMaxO: p.muMaxO_per_d, kmaxC: p.kmaxC_per_d, muMaxC: p.muMaxC_per_d }),
    c('G1.6', 'k_r,i ≥ k_d,i (i = O, C)', p.krO_per_d >= p.kdO_per_d && p.krC_per_d >= p.kdC_per_d, { krO: p.krO_per_d, kdO: p.kdO_per_d, krC: p.krC_per_d, kdC: p.kdC_per_d }),
    c(
      'G1.7',
      'k_j,i > μ_max,i (i = O, C; j = r, d)',
      p.krO_per_d > p.muMaxO_per_d && p.kdO_per_d > p.muMaxO_per_d && p.krC_per_d > p.muMaxC_per_d && p.kdC_per_d > p.muMaxC_per_d,
      { krO: p.krO_per_d, kdO: p.kdO_per_d, muMaxO: p.muMaxO_per_d, krC: p.krC_per_d, kdC: p.kdC_per_d, muMaxC: p.muMaxC_per_d },
    ),
    c('G1.8', 'Y_O > Y_C', p.YO > p.YC, { YO: p.YO, YC: p.YC }),
  ];
}

/**
 * Mean pools of a soil volume, mol C cm⁻³ (dissolved per cm³ water, microbes per cm³ soil), as the
 * process constraints of 004 Table G2 compare them between rhizosphere (R) and baseline soil (B).
 */
export interface ZoneMeans {
  readonly CL_molC_per_cm3_water: number;
  readonly CH_molC_per_cm3_water: number;
  readonly CO_molC_per_cm3_soil: number;
  readonly CC_molC_per_cm3_soil: number;
  readonly COa_molC_per_cm3_soil: number;
  readonly CCa_molC_per_cm3_soil: number;
}

/**
 * Process constraints of 004 Table G2 (bounds as relaxed there, ᵃ/ᵇ) for rhizosphere means `R`
 * against baseline means `B`. 004 takes the rhizosphere as the soil within 3 mm of the root.
 */
export function checkProcessConstraints(R: ZoneMeans, B: ZoneMeans): ConstraintCheck[] {
  const micR = R.CO_molC_per_cm3_soil + R.CC_molC_per_cm3_soil;
  const micB = B.CO_molC_per_cm3_soil + B.CC_molC_per_cm3_soil;
  const socR = R.CL_molC_per_cm3_water + R.CH_molC_per_cm3_water;
  const socB = B.CL_molC_per_cm3_water + B.CH_molC_per_cm3_water;
  const act = (R.COa_molC_per_cm3_soil + R.CCa_molC_per_cm3_soil) / micR;
  const c = (id: string, text: string, ok: boolean, values: Record<string, number>): ConstraintCheck => ({ id, text, satisfied: ok, values });
  return [
    c('G2.1', '3.33e−6 < (C_O + C_C)_R < 1e−4 mol cm⁻³', micR > 3.33e-6 && micR < 1e-4, { microbesR: micR }),
    c('G2.2', '0.9 < (C_O + C_C)_R / (C_O + C_C)_B < 2.5', micR / micB > 0.9 && micR / micB < 2.5, { ratio: micR / micB }),
    c('G2.3', '3.33e−4 < (C_L^l + C_H^l)_R < 1.33e−3·1.1 mol cm⁻³', socR > 3.33e-4 && socR < 1.33e-3 * 1.1, { solutesR: socR }),
    c('G2.4', '0.66 < (C_L^l + C_H^l)_R / (C_L^l + C_H^l)_B < 2·1.1', socR / socB > 0.66 && socR / socB < 2.2, { ratio: socR / socB }),
    c('G2.5', '6e−4 < active/total microbes (R) < 0.6', act > 6e-4 && act < 0.6, { activeFraction: act }),
    c('G2.6', 'C_L,R^l < 4.58e−5 mol cm⁻³', R.CL_molC_per_cm3_water < 4.58e-5, { CLR: R.CL_molC_per_cm3_water }),
    c('G2.7', '0.9·C_L,B^l < C_L,R^l', 0.9 * B.CL_molC_per_cm3_water < R.CL_molC_per_cm3_water, { CLR: R.CL_molC_per_cm3_water, CLB: B.CL_molC_per_cm3_water }),
    c('G2.8', '0.9·C_C,R > C_O,R', 0.9 * R.CC_molC_per_cm3_soil > R.CO_molC_per_cm3_soil, { CCR: R.CC_molC_per_cm3_soil, COR: R.CO_molC_per_cm3_soil }),
    c(
      'G2.9',
      'C_C,B/C_O,B < C_C,R/C_O,R',
      B.CC_molC_per_cm3_soil / B.CO_molC_per_cm3_soil < R.CC_molC_per_cm3_soil / R.CO_molC_per_cm3_soil,
      { ratioB: B.CC_molC_per_cm3_soil / B.CO_molC_per_cm3_soil, ratioR: R.CC_molC_per_cm3_soil / R.CO_molC_per_cm3_soil },
    ),
  ];
}
