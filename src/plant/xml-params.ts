import { InputError, InputErrors } from '../core/errors.js';
import { parseXml, type XmlElement } from './xml.js';

/**
 * CPlantBox plant parameter files (XML) as rhizocarb reads them. The meaning of each parameter
 * follows CPlantBox's OrganRandomParameter classes (Schnepf et al. 2018, CRootBox, Ann. Bot.
 * 121:1033; Zhou et al. 2020 and Giraud et al. 2023, CPlantBox, in silico Plants): lengths in cm,
 * rates in cm d⁻¹, angles in rad, times in d. Each value may carry a standard deviation `dev`
 * (drawn per organ from the seeded generator). Parameters rhizocarb does not use are reported
 * as warnings, never silently dropped.
 */
export type OrganKind = 'root' | 'stem' | 'leaf';

/** CPlantBox organ type numbers (Organism::OrganTypes). */
export const ORGAN_TYPE_NUMBER: Record<OrganKind, number> = { root: 2, stem: 3, leaf: 4 };

/** A value and its standard deviation. */
export interface Dist {
  readonly mean: number;
  readonly dev: number;
}

export interface SuccessorRule {
  readonly organType: OrganKind;
  readonly subType: number;
  /** Probability that a branching point carries this successor (CPlantBox `percentage`). */
  readonly probability: number;
}

/** Tropism types (CPlantBox `tropismT`): 0 plagio-, 1 gravi-, 2 exotropism. */
export type TropismType = 0 | 1 | 2;

/** Growth functions (CPlantBox `gf`): 1 negative exponential, 2 linear, 3 negative exponential, carbon/water limited. */
export type GrowthFunction = 1 | 2 | 3;

export interface OrganTypeParams {
  readonly organType: OrganKind;
  readonly subType: number;
  readonly name: string;
  /** lb: basal zone without laterals, cm. */
  readonly lb_cm: Dist;
  /** la: apical zone without laterals, cm. */
  readonly la_cm: Dist;
  /** ln: inter-lateral distance, cm. */
  readonly ln_cm: Dist;
  /** lmax: maximal length, cm. */
  readonly lmax_cm: Dist;
  /** r: initial elongation rate, cm d⁻¹. */
  readonly r_cm_per_d: Dist;
  /** a: radius (roots, stems) or half-thickness (leaves), cm. */
  readonly a_cm: Dist;
  /** θ: insertion angle relative to the parent axis, rad. */
  readonly theta_rad: Dist;
  readonly tropismType: TropismType;
  /** N: number of trials of the tropism optimisation (fractional part is a probability). */
  readonly tropismN: number;
  /** σ: expected change of heading, rad cm^-1/2 (per √cm of growth). */
  readonly tropismSigma: number;
  /** dx: maximal segment length, cm. */
  readonly dx_cm: number;
  readonly dxMin_cm: number;
  /** ldelay: delay between creation of a lateral and its growth (delay-based branching), d. */
  readonly ldelay_d: Dist;
  /** rlt: root life time, d (not used: no senescence within 004's 25 days). */
  readonly lifetime_d: number;
  readonly growthFunction: GrowthFunction;
  readonly successors: readonly SuccessorRule[];
  /** Stems: nodal growth pause (CPlantBox delayNGStart/End), organ age in d; Infinity when absent. */
  readonly growthPauseStart_d: number;
  readonly growthPauseEnd_d: number;
  /** Leaves: blade width (CPlantBox Width_blade), cm; the first lb cm are sheath (pseudostem). */
  readonly bladeWidth_cm: number;
  /** Leaves: maximal blade area, cm² (caps the blade width). */
  readonly areaMax_cm2: number;
  /** Leaves: width of the sheath (CPlantBox Width_petiole; the first lb cm), cm; the blade width when absent. */
  readonly sheathWidth_cm: number;
}

/** Lateral-emergence delay (CPlantBox DelayDefinition): 0 distance-based, 1 delay of the parent type, 2 delay of the lateral type. */
export type DelayDefinition = 0 | 1 | 2;

export interface SeedParams {
  readonly seedPos_cm: readonly [number, number, number];
  readonly maxBasal: number;
  readonly firstBasal_d: number;
  readonly basalDelay_d: number;
  readonly maxTillers: number;
  readonly firstTiller_d: number;
  readonly tillerDelay_d: number;
  readonly delayDefinition: DelayDefinition;
  readonly delayDefinitionShoot: DelayDefinition;
}

export interface PlantParameters {
  readonly file: string;
  readonly name: string;
  readonly seed: SeedParams;
  readonly organs: readonly OrganTypeParams[];
  /** Parameters present in the file that rhizocarb does not use, and defaults applied. */
  readonly warnings: readonly string[];
}

interface ParamDef {
  readonly key: string;
  readonly default: number;
  /** Validity check; returns the expectation text when the value is invalid. */
  readonly check?: (v: number) => string | undefined;
  readonly required?: boolean;
}

const nonNeg = (v: number) => (v >= 0 ? undefined : 'a value ≥ 0');
const positive = (v: number) => (v > 0 ? undefined : 'a value > 0');
/**
 * Size bounds: values past them make root systems that cannot be simulated (a maxB of 1e9 basal
 * roots, lmax of 1e12 cm, dx of 1e-12 cm), refused before anything is grown.
 */
const within = (lo: number, hi: number, unit: string, loOpen = false) => (v: number) =>
  (loOpen ? v > lo : v >= lo) && v <= hi ? undefined : `a value in ${loOpen ? '(' : '['}${lo}, ${hi}]${unit ? ' ' + unit : ''}`;
const count = (hi: number, what: string) => (v: number) => (Number.isInteger(v) && v >= 0 && v <= hi ? undefined : `a whole number of ${what} from 0 to ${hi}`);
const angle = (v: number) => (v >= 0 && v <= Math.PI ? undefined : 'an angle in [0, π] rad');

/** Organ parameters rhizocarb uses, with CPlantBox's defaults (OrganRandomParameter, RootRandomParameter). */
const ORGAN_PARAMS: readonly ParamDef[] = [
  { key: 'lb', default: 0, check: within(0, 1e4, 'cm') },
  { key: 'la', default: 10, check: within(0, 1e4, 'cm') },
  { key: 'ln', default: 1, check: within(0, 1e4, 'cm') },
  { key: 'lmax', default: 0, check: within(0, 1e4, 'cm', true), required: true },
  { key: 'r', default: 1, check: within(0, 1e3, 'cm d-1'), required: true },
  { key: 'a', default: 0.1, check: within(0, 10, 'cm', true), required: true },
  { key: 'theta', default: 1.22, check: angle },
  { key: 'tropismT', default: 1, check: (v) => ([0, 1, 2].includes(v) ? undefined : '0 (plagiotropism), 1 (gravitropism) or 2 (exotropism); hydro-/chemotropism need a soil field and are not supported') },
  { key: 'tropismN', default: 1, check: nonNeg },
  { key: 'tropismS', default: 0.2, check: nonNeg },
  { key: 'dx', default: 0.25, check: within(0.01, 100, 'cm') },
  { key: 'dxMin', default: 1e-6, check: nonNeg },
  { key: 'ldelay', default: 0, check: nonNeg },
  { key: 'rlt', default: 1e9, check: positive },
  { key: 'gf', default: 1, check: (v) => ([1, 2, 3].includes(v) ? undefined : '1 (negative exponential), 2 (linear) or 3 (negative exponential, carbon/water limited)') },
  { key: 'delayNGStart', default: Infinity, check: nonNeg },
  { key: 'delayNGEnd', default: Infinity, check: nonNeg },
  { key: 'Width_blade', default: 0, check: nonNeg },
  { key: 'areaMax', default: Infinity, check: positive },
  { key: 'Width_petiole', default: NaN, check: positive },
];

/** Parameters CPlantBox files often carry that rhizocarb reads but does not use (one warning each). */
const KNOWN_UNUSED = new Set([
  'shapeType', 'isPseudostem', 'geometryN', 'parametrisationType', 'leafGeometry', 'nodalGrowth',
  'lnf', 'RotBeta', 'BetaDev', 'InitBeta', 'tropismAge', 'hairsZone', 'hairsLength', 'hairsElongation', 'kr', 'kx',
  'colorR', 'colorG', 'colorB', 'organType', 'subType', 'name',
]);

const SEED_PARAMS: readonly ParamDef[] = [
  { key: 'seedPos.x', default: 0 },
  { key: 'seedPos.y', default: 0 },
  { key: 'seedPos.z', default: -3 },
  { key: 'maxB', default: 0, check: count(1000, 'basal roots') },
  { key: 'firstB', default: 1e9, check: nonNeg },
  { key: 'delayB', default: 1e9, check: nonNeg },
  { key: 'maxTi', default: 0, check: count(1000, 'tillers') },
  { key: 'maxTil', default: 0, check: count(1000, 'tillers') },
  { key: 'firstTi', default: 1e9, check: nonNeg },
  { key: 'firstTil', default: 1e9, check: nonNeg },
  { key: 'delayTi', default: 1e9, check: nonNeg },
  { key: 'delayTil', default: 1e9, check: nonNeg },
  { key: 'delayDefinition', default: 0, check: (v) => ([0, 1, 2].includes(v) ? undefined : '0, 1 or 2') },
  { key: 'delayDefinitionShoot', default: 0, check: (v) => ([0, 1, 2].includes(v) ? undefined : '0, 1 or 2') },
  { key: 'nC', default: 0, check: (v) => (v === 0 ? undefined : '0 (shoot-borne root crowns are not supported)') },
  { key: 'simulationTime', default: 0 },
];
const SEED_UNUSED = new Set(['delayRC', 'delaySB', 'firstSB', 'nz', 'a', 'plantingdepth', 'name', 'subType']);

function organKindOf(el: XmlElement): OrganKind | 'seed' | undefined {
  const t = el.name === 'organ' ? el.attributes.type : el.name;
  return t === 'root' || t === 'stem' || t === 'leaf' || t === 'seed' ? t : undefined;
}

/**
 * Parse a CPlantBox plant parameter file (`<plant><organ type="root" subType="1"><parameter name=… value=… dev=…/>`,
 * also the older `<plant><root subType="1">…` layout). All problems are reported together as
 * {@link InputErrors}, each naming the file, line, key path and value.
 */
export function parsePlantXml(text: string, file: string): PlantParameters {
  const doc = parseXml(text, file);
  const errors: InputError[] = [];
  const warnings: string[] = [];
  if (doc.name !== 'plant' && doc.name !== 'Plant') {
    throw new InputError({ file, line: doc.line, column: doc.column, keyPath: doc.name, expected: 'a <plant> document element (CPlantBox parameter file)' });
  }
  let seed: SeedParams | undefined;
  const organs: OrganTypeParams[] = [];
  for (const el of doc.children) {
    const kind = organKindOf(el);
    if (!kind) {
      errors.push(new InputError({ file, line: el.line, column: el.column, keyPath: el.name, value: el.attributes.type, expected: 'an organ of type seed, root, stem or leaf' }));
      continue;
    }
    const subTypeText = el.attributes.subType ?? '0';
    const subType = Number(subTypeText);
    const where = `${kind}[subType=${subTypeText}]`;
    if (!Number.isInteger(subType) || subType < 0) {
      errors.push(new InputError({ file, line: el.line, column: el.column, keyPath: `${where}.subType`, value: subTypeText, expected: 'an integer ≥ 0' }));
      continue;
    }
    const values = new Map<string, Dist>();
    const seen = new Set<string>();
    const successors: SuccessorRule[] = [];
    for (const p of el.children) {
      if (p.name !== 'parameter') {
        warnings.push(`${file}:${p.line} ${where}: element <${p.name}> ignored`);
        continue;
      }
      const name = p.attributes.name;
      if (!name) {
        errors.push(new InputError({ file, line: p.line, column: p.column, keyPath: `${where}.parameter`, expected: 'a name="…" attribute' }));
        continue;
      }
      seen.add(name);
      if (name === 'successor') {
        const st = Number(p.attributes.subType ?? p.attributes.type);
        const otNum = p.attributes.organType !== undefined ? Number(p.attributes.organType) : ORGAN_TYPE_NUMBER[kind === 'seed' ? 'root' : kind];
        const ot = (Object.entries(ORGAN_TYPE_NUMBER).find(([, v]) => v === otNum)?.[0] ?? undefined) as OrganKind | undefined;
        const prob = Number(p.attributes.percentage ?? 1);
        if (!Number.isInteger(st) || st < 1) errors.push(new InputError({ file, line: p.line, column: p.column, keyPath: `${where}.successor.type`, value: p.attributes.subType ?? p.attributes.type, expected: 'the subType (integer ≥ 1) of the lateral' }));
        else if (!ot) errors.push(new InputError({ file, line: p.line, column: p.column, keyPath: `${where}.successor.organType`, value: p.attributes.organType, expected: 'an organ type number 2 (root), 3 (stem) or 4 (leaf)' }));
        else if (!(prob >= 0 && prob <= 1)) errors.push(new InputError({ file, line: p.line, column: p.column, keyPath: `${where}.successor.percentage`, value: p.attributes.percentage, expected: 'a probability in [0, 1]' }));
        else successors.push({ organType: ot, subType: st, probability: prob });
        continue;
      }
      if (p.attributes.value === undefined) {
        if (!KNOWN_UNUSED.has(name)) warnings.push(`${file}:${p.line} ${where}.${name}: no value attribute, ignored`);
        else warnings.push(`${file}:${p.line} ${where}.${name}: not used by rhizocarb`);
        continue;
      }
      const v = Number(p.attributes.value);
      const dev = p.attributes.dev === undefined ? 0 : Number(p.attributes.dev);
      if (!Number.isFinite(v)) {
        errors.push(new InputError({ file, line: p.line, column: p.column, keyPath: `${where}.${name}`, value: p.attributes.value, expected: 'a finite number' }));
        continue;
      }
      if (!(dev >= 0)) {
        errors.push(new InputError({ file, line: p.line, column: p.column, keyPath: `${where}.${name}.dev`, value: p.attributes.dev, expected: 'a standard deviation ≥ 0' }));
        continue;
      }
      if (values.has(name)) warnings.push(`${file}:${p.line} ${where}.${name}: given twice, the last value is used`);
      values.set(name, { mean: v, dev });
      const defs = kind === 'seed' ? SEED_PARAMS : ORGAN_PARAMS;
      const def = defs.find((d) => d.key === name);
      if (!def) {
        const unused = kind === 'seed' ? SEED_UNUSED : KNOWN_UNUSED;
        warnings.push(`${file}:${p.line} ${where}.${name}: ${unused.has(name) ? 'not used by rhizocarb' : 'unknown parameter, ignored'}`);
      } else {
        const bad = def.check?.(v);
        if (bad) errors.push(new InputError({ file, line: p.line, column: p.column, keyPath: `${where}.${name}`, value: p.attributes.value, expected: bad }));
      }
    }
    const get = (defs: readonly ParamDef[], key: string): Dist => {
      const v = values.get(key);
      if (v) return v;
      const def = defs.find((d) => d.key === key)!;
      if (def.required && !seen.has(key)) errors.push(new InputError({ file, line: el.line, column: el.column, keyPath: `${where}.${key}`, expected: `a <parameter name="${key}" value="…"/> (required for a ${kind})` }));
      return { mean: def.default, dev: 0 };
    };
    if (kind === 'seed') {
      if (seed) warnings.push(`${file}:${el.line} second seed ignored`);
      else {
        const g = (k: string) => get(SEED_PARAMS, k).mean;
        seed = {
          seedPos_cm: [g('seedPos.x'), g('seedPos.y'), g('seedPos.z')],
          maxBasal: Math.round(g('maxB')),
          firstBasal_d: g('firstB'),
          basalDelay_d: g('delayB'),
          maxTillers: Math.round(values.has('maxTi') ? g('maxTi') : g('maxTil')),
          firstTiller_d: values.has('firstTi') ? g('firstTi') : g('firstTil'),
          tillerDelay_d: values.has('delayTi') ? g('delayTi') : g('delayTil'),
          delayDefinition: g('delayDefinition') as DelayDefinition,
          // Absent delayDefinitionShoot: shoot laterals follow the roots' rule (as the 2021-era CPlantBox,
          // whose stems delayed their k-th leaf by k × the stem's lateral delay).
          delayDefinitionShoot: (values.has('delayDefinitionShoot') ? g('delayDefinitionShoot') : g('delayDefinition')) as DelayDefinition,
        };
      }
      continue;
    }
    if (subType < 1) {
      errors.push(new InputError({ file, line: el.line, column: el.column, keyPath: `${where}.subType`, value: subType, expected: 'an integer ≥ 1 for roots, stems and leaves' }));
      continue;
    }
    if (organs.some((o) => o.organType === kind && o.subType === subType)) {
      errors.push(new InputError({ file, line: el.line, column: el.column, keyPath: `${where}.subType`, value: subType, expected: `a subType not used by another ${kind}` }));
      continue;
    }
    const d = (k: string) => get(ORGAN_PARAMS, k);
    const m = (k: string) => d(k).mean;
    const lmax = d('lmax');
    const branched = lmax.mean - m('la') - m('lb');
    if (branched > 0 && !(branched / m('ln') <= 1e4)) {
      const at = values.has('ln') ? { line: el.line, column: el.column } : {};
      errors.push(new InputError({ file, ...at, keyPath: `${where}.ln`, value: m('ln'), expected: `an inter-lateral distance giving at most 10000 branching points per organ ((lmax − la − lb)/ln = ${(branched / m('ln')).toExponential(2)})` }));
    }
    if (kind === 'leaf' && m('Width_blade') <= 0) {
      errors.push(new InputError({ file, line: el.line, column: el.column, keyPath: `${where}.Width_blade`, value: values.get('Width_blade')?.mean, expected: 'a blade width > 0 cm (leaves photosynthesise on their blade)' }));
    }
    organs.push({
      organType: kind,
      subType,
      name: el.attributes.name ?? `${kind}${subType}`,
      lb_cm: d('lb'),
      la_cm: d('la'),
      ln_cm: d('ln'),
      lmax_cm: lmax,
      r_cm_per_d: d('r'),
      a_cm: d('a'),
      theta_rad: d('theta'),
      tropismType: m('tropismT') as TropismType,
      tropismN: m('tropismN'),
      tropismSigma: m('tropismS'),
      dx_cm: m('dx'),
      dxMin_cm: m('dxMin'),
      ldelay_d: d('ldelay'),
      lifetime_d: m('rlt'),
      growthFunction: m('gf') as GrowthFunction,
      successors,
      growthPauseStart_d: m('delayNGStart'),
      growthPauseEnd_d: Math.max(m('delayNGEnd'), m('delayNGStart')),
      bladeWidth_cm: m('Width_blade'),
      areaMax_cm2: m('areaMax'),
      sheathWidth_cm: Number.isFinite(m('Width_petiole')) ? m('Width_petiole') : m('Width_blade'),
    });
  }
  if (!organs.some((o) => o.organType === 'root' && o.subType === 1)) {
    errors.push(new InputError({ file, line: doc.line, column: doc.column, keyPath: 'root[subType=1]', expected: 'a tap root type (organ type="root" subType="1")' }));
  }
  for (const o of organs) {
    for (const s of o.successors) {
      if (!organs.some((p) => p.organType === s.organType && p.subType === s.subType)) {
        errors.push(new InputError({ file, keyPath: `${o.organType}[subType=${o.subType}].successor`, value: `${s.organType} subType ${s.subType}`, expected: 'a successor type defined in the file' }));
      }
    }
  }
  if (errors.length > 0) throw errors.length === 1 ? errors[0] : new InputErrors(errors);
  return {
    file,
    name: doc.attributes.name ?? 'plant',
    seed: seed ?? {
      seedPos_cm: [0, 0, -3], maxBasal: 0, firstBasal_d: 1e9, basalDelay_d: 1e9, maxTillers: 0, firstTiller_d: 1e9, tillerDelay_d: 1e9, delayDefinition: 0, delayDefinitionShoot: 0,
    },
    organs,
    warnings,
  };
}

/** The parameters of one organ type; throws (programming error) if missing. */
export function organParams(plant: PlantParameters, organType: OrganKind, subType: number): OrganTypeParams {
  const p = plant.organs.find((o) => o.organType === organType && o.subType === subType);
  if (!p) throw new Error(`${plant.file}: no ${organType} of subType ${subType}`);
  return p;
}
