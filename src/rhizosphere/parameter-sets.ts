import { csvColumn, csvNumber, parseCsv, type CsvTable } from '../core/csv.js';
import { InputError } from '../core/errors.js';
import { readPackageData } from '../core/data.js';
import { MOLAR_MASS_C_G_PER_MOL } from '../core/units.js';
import { BIOKINETIC_PARAMS, type BiokineticParams } from './parameters.js';

/** The three sets of 004 (Table A2) and their rows in `data/trairhizo/output_random_rows.csv`. */
export const NAMED_SET_ROWS = { highCO2: 5, highMB: 44, lowMUptake: 61 } as const;
export type NamedSet = keyof typeof NAMED_SET_ROWS;

/** D_H,w is not in the random sets; 004 Table A2 gives 3.456e−3 cm² d⁻¹ for all. */
const DHW_CM2_PER_D = 3.456e-3;
/** mg C → mol C. */
const MOL_PER_MG_C = 1 / (1000 * MOLAR_MASS_C_G_PER_MOL);

let cachedTable: CsvTable | undefined;
function randomRowsTable(): CsvTable {
  if (!cachedTable) {
    const d = readPackageData('trairhizo/output_random_rows.csv');
    cachedTable = parseCsv(d.text, d.source);
  }
  return cachedTable;
}

/** Number of parameter sets in the shipped Sircan et al. (2025) sample (99). */
export function randomSetCount(): number {
  return randomRowsTable().rows.length;
}

/**
 * Parameter set from row `row` (0-based) of Sircan et al.'s sample, converted from their mg-based
 * units to model units exactly as the published code does (RHIZOSPHERE.md): concentrations
 * mg C cm⁻³ → mol C cm⁻³ (÷ 1000·M_C, M_C = 12.011); affinities per mg C → per mol C and divided
 * by the row's calibration water content θ; rates unchanged. Sircan's "large" (CL) and "small"
 * (CS) polymers are 004's C_H and C_L.
 */
export function randomSet(row: number): BiokineticParams {
  const t = randomRowsTable();
  if (!Number.isInteger(row) || row < 0 || row >= t.rows.length) {
    throw new InputError({ file: t.file, keyPath: 'row', value: row, expected: `an integer row index 0..${t.rows.length - 1}` });
  }
  const v = (name: string) => csvNumber(t, row, csvColumn(t, name));
  const theta = v('theta');
  const affinity = (name: string) => (v(name) / MOL_PER_MG_C) / theta;
  const p: BiokineticParams = {
    betaC: v('beta_C'),
    betaO: v('beta_O'),
    CthresC_molC_per_cm3_water: v('C_thres,C') * MOL_PER_MG_C,
    CthresO_molC_per_cm3_water: v('C_thres,O') * MOL_PER_MG_C,
    DLw_cm2_per_d: v('DS_W'),
    DHw_cm2_per_d: DHW_CM2_PER_D,
    kC_cm3_per_molC_d: affinity('k_C,S'),
    kO_cm3_per_molC_d: affinity('k_O,S'),
    kdC_per_d: v('k_d,C'),
    kdO_per_d: v('k_d,O'),
    krC_per_d: v('k_r,C'),
    krO_per_d: v('k_r,O'),
    KL_molC_per_cm3_water: v('K_L') * MOL_PER_MG_C,
    kmaxC_per_d: v('m_max,C'),
    kmaxO_per_d: v('m_max,O'),
    muMaxC_per_d: v('u_max,C'),
    muMaxO_per_d: v('u_max,O'),
    vMaxDepoly_per_d: v('v_max,L'),
    pL: v('p_L'),
    YM: v('Y'),
    YC: v('Y_C'),
    YO: v('Y_O'),
    CLinit_molC_per_cm3_water: v('CS_init') * MOL_PER_MG_C,
    CHinit_molC_per_cm3_water: v('CL_init') * MOL_PER_MG_C,
  };
  return p;
}

/** One of the three named sets of 004 (full-precision values, RHIZOSPHERE.md). */
export function namedSet(name: NamedSet): BiokineticParams {
  return randomSet(NAMED_SET_ROWS[name]);
}

export function isNamedSet(name: string): name is NamedSet {
  return Object.prototype.hasOwnProperty.call(NAMED_SET_ROWS, name);
}

/** Range check of a parameter set against its declarations; returns messages (empty when valid). */
export function checkBiokineticParams(p: BiokineticParams): string[] {
  const errs: string[] = [];
  for (const spec of BIOKINETIC_PARAMS) {
    const v = (p as unknown as Record<string, number>)[spec.name];
    if (typeof v !== 'number' || !Number.isFinite(v)) errs.push(`${spec.name}: got ${v}, expected a finite number (${spec.unit})`);
    else if (v < spec.min || v > spec.max) errs.push(`${spec.name}: got ${v}, expected within [${spec.min}, ${spec.max}] ${spec.unit}`);
  }
  return errs;
}
