import { InputError, oneOf } from '../../core/errors.js';
import { parseDecimal } from '../conventions.js';
import {
  CURVE_IDS,
  EXTENSION_RULES,
  STANDARD_LAYERS,
  checkDepths,
  parseZone,
  type CurveId,
  type ExtensionRule,
  type RootChoice,
  type SplineMode,
  type Zone,
} from '../../profile/index.js';

/** Option parsing shared by the profile commands: every bad value names the option and what was expected. */

export function parseNumberOption(name: string, text: string | undefined, expected: string, check: (v: number) => boolean = Number.isFinite): number {
  const v = parseDecimal(text);
  if (!Number.isFinite(v) || !check(v)) throw new InputError({ keyPath: `--${name}`, value: text, expected });
  return v;
}

export function optionalNumber(name: string, text: string | undefined, expected: string, check?: (v: number) => boolean): number | undefined {
  return text === undefined ? undefined : parseNumberOption(name, text, expected, check);
}

export function parseCurve(text: string | undefined): CurveId {
  const c = (text ?? 'Hua2022') as CurveId;
  if (!CURVE_IDS.includes(c)) throw new InputError({ keyPath: '--curve', value: text, expected: oneOf(CURVE_IDS, text) });
  return c;
}

export function parseExtension(text: string | undefined): ExtensionRule {
  const e = (text ?? 'none') as ExtensionRule;
  if (!EXTENSION_RULES.includes(e)) throw new InputError({ keyPath: '--extend', value: text, expected: oneOf(EXTENSION_RULES, text) });
  return e;
}

export function parseZoneOption(text: string | undefined): Zone | undefined {
  return text === undefined ? undefined : parseZone(text, { keyPath: '--zone' });
}

export function parseRootChoice(text: string | undefined): RootChoice {
  const r = text ?? 'slowest';
  if (r !== 'slowest' && r !== 'fastest') throw new InputError({ keyPath: '--root-choice', value: text, expected: 'slowest or fastest' });
  return r;
}

export function parseMode(text: string | undefined): SplineMode {
  const m = text ?? 'exact';
  if (m !== 'exact' && m !== 'mpspline2') throw new InputError({ keyPath: '--mode', value: text, expected: 'exact or mpspline2' });
  return m;
}

/** "--layers 001", "003" or a list "0,10,30,100". */
export function parseLayers(text: string | undefined, fallback: keyof typeof STANDARD_LAYERS, option = '--layers'): number[] {
  if (text === undefined) return [...STANDARD_LAYERS[fallback]];
  if (text in STANDARD_LAYERS) return [...STANDARD_LAYERS[text as keyof typeof STANDARD_LAYERS]];
  const depths = text.split(',').map(parseDecimal);
  try {
    checkDepths(depths, option);
  } catch (e) {
    if (e instanceof InputError) throw new InputError({ keyPath: option, value: text, expected: e.expected });
    throw e;
  }
  return depths;
}

/** Common options of the `depth` and `budget` commands. */
export interface RunOptions {
  out: string;
  curve?: string;
  extend?: string;
  zone?: string;
  rootChoice?: string;
  layers?: string;
  plots?: string;
}
