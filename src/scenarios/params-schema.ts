import { z } from 'zod';
import type { ParamSpec } from '../core/params.js';

/**
 * Scenario schemas take units, ranges, defaults and sources of registered parameters from the
 * parameter registry (`declareParams`, src/core/params.ts) — the one place they live — so the
 * JSON Schemas, docs/SCENARIOS.md and validation agree with docs/PARAMETERS.md.
 */

/** Documentation attached to every scenario key (`.meta(...)`); read by the JSON Schema and docs generator. */
export type KeyMeta = {
  description: string;
  unit?: string;
  source?: string;
  /** Registry entry the key comes from ("soil.vanGenuchten.thetaS"). */
  parameter?: string;
  [key: string]: unknown;
};

export function rangeText(spec: Pick<ParamSpec, 'min' | 'max' | 'unit'>): string {
  return `a number in [${spec.min}, ${spec.max}]${spec.unit === '1' ? '' : ` ${spec.unit}`}`;
}

/** A number bounded by a registered parameter's range, documented with its unit, source and description. */
export function paramNumber(moduleName: string, spec: ParamSpec): z.ZodNumber {
  const msg = rangeText(spec);
  return z
    .number({ error: msg })
    .min(spec.min, { error: msg })
    .max(spec.max, { error: msg })
    .meta({ description: `${spec.description} (${spec.symbol})`, unit: spec.unit, source: spec.source, parameter: `${moduleName}.${spec.name}` } satisfies KeyMeta);
}

/** A strict object of optional overrides, one key per registered parameter. */
export function paramOverrides(moduleName: string, specs: readonly ParamSpec[]) {
  return z.strictObject(Object.fromEntries(specs.map((s) => [s.name, paramNumber(moduleName, s).optional()])) as Record<string, z.ZodOptional<z.ZodNumber>>);
}

/** A strict object with every registered parameter required (a fully resolved parameter set). */
export function paramValues(moduleName: string, specs: readonly ParamSpec[]) {
  return z.strictObject(Object.fromEntries(specs.map((s) => [s.name, paramNumber(moduleName, s)])) as Record<string, z.ZodNumber>);
}

/** Shorthand for `.meta({ description, unit?, source? })`. */
export function doc(description: string, unit?: string, source?: string): KeyMeta {
  return { description, ...(unit ? { unit } : {}), ...(source ? { source } : {}) };
}
