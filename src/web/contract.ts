import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { InputError, InputErrors, formatValue } from '../core/errors.js';
import { packageRoot } from '../io/paths.js';
import { parseYamlText } from '../scenarios/load.js';
import { estimateScenario, resolveScenario, validateScenario } from '../scenarios/run.js';
import { scenarioKinds } from '../scenarios/registry.js';
import '../scenarios/kinds.js';
import type { FieldError, JsonSchema, KindInfo } from '../webapp/api.js';

/**
 * The dashboard's one adapter to the scenario contract (kinds, JSON Schemas, validation). Everything
 * the server needs from `src/scenarios` goes through here, so the contract can change behind it.
 * JSON Schemas: the generated `schemas/<kind>.json` of the package when present, else zod's own
 * conversion of the kind's schema (the same source the generated files come from).
 */

function schemaOf(kind: string, schema: z.ZodType): JsonSchema {
  try {
    return JSON.parse(readFileSync(join(packageRoot(), 'schemas', `${kind}.json`), 'utf8')) as JsonSchema;
  } catch {
    return z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  }
}

/** The shipped example scenarios (`examples/*.yaml`) by kind. */
function examplesByKind(): Map<string, { name: string; scenario: Record<string, unknown> }[]> {
  const out = new Map<string, { name: string; scenario: Record<string, unknown> }[]>();
  const dir = join(packageRoot(), 'examples');
  let names: string[] = [];
  try {
    names = readdirSync(dir).filter((n) => /\.ya?ml$/.test(n)).sort();
  } catch {
    return out;
  }
  for (const n of names) {
    try {
      const data = parseYamlText(readFileSync(join(dir, n), 'utf8'), n).data as Record<string, unknown>;
      if (data && typeof data.kind === 'string') {
        const list = out.get(data.kind) ?? [];
        list.push({ name: n, scenario: data });
        out.set(data.kind, list);
      }
    } catch {
      // an unreadable example is not offered
    }
  }
  return out;
}

let kindsCache: KindInfo[] | undefined;

/** Every scenario kind with its JSON Schema and shipped examples. */
export function kindsInfo(): KindInfo[] {
  if (!kindsCache) {
    const examples = examplesByKind();
    kindsCache = [...scenarioKinds().values()].map((k) => ({ kind: k.kind, description: k.description, schema: schemaOf(k.kind, k.schema as z.ZodType), examples: examples.get(k.kind) ?? [] }));
  }
  return kindsCache;
}

function fieldErrors(e: unknown): FieldError[] | null {
  const list = e instanceof InputErrors ? e.errors : e instanceof InputError ? [e] : null;
  if (!list) return null;
  return list.map((x) => ({
    keyPath: x.keyPath ?? '',
    message: x.value !== undefined ? `got ${formatValue(x.value)}, expected ${x.expected}` : `expected ${x.expected}`,
  }));
}

export type Validation = { ok: true; kind: string; name: string; inputs: string[] } | { ok: false; errors: FieldError[] };

/**
 * Validate a scenario object as `rhizocarb run` would — schema, the kind's checks, resolution and
 * the work estimate — with relative paths taken from `baseDir`. Writes nothing. On success returns
 * the files the resolved scenario reads (absolute), for the caller's confinement check.
 */
export function checkScenario(scenario: unknown, baseDir: string): Validation {
  if (scenario === null || typeof scenario !== 'object' || Array.isArray(scenario)) return { ok: false, errors: [{ keyPath: '', message: 'expected a scenario object with a `kind`' }] };
  try {
    const v = validateScenario(scenario as Record<string, unknown>, { baseDir, label: 'dashboard form' });
    const resolved = resolveScenario(v);
    const estimate = estimateScenario(resolved);
    if (estimate.workUnits > estimate.limit) {
      return { ok: false, errors: [{ keyPath: 'estimated work', message: `got ${estimate.workUnits.toPrecision(3)} ${estimate.unit} (${estimate.description}), expected at most ${estimate.limit.toExponential(1)} for a run launched from the dashboard (longer runs: rhizocarb run --allow-long)` }] };
    }
    return { ok: true, kind: v.kind.kind, name: typeof resolved.name === 'string' ? resolved.name : v.kind.kind, inputs: v.kind.inputs?.(resolved) ?? [] };
  } catch (e) {
    const errors = fieldErrors(e);
    if (errors) return { ok: false, errors };
    throw e;
  }
}

/**
 * Keys whose string values name files (`plant.file`, `input`, `soilFile`, `input_path`): checked before
 * validation, which may already read the files it names.
 */
const FILE_KEY = /(^|_)(file|path|dir|folder|input)s?$|(File|Path|Dir|Input)s?$/;

/** Every string in `scenario` that names a file, with its key path. */
export function fileReferences(scenario: unknown): { keyPath: string; value: string }[] {
  const out: { keyPath: string; value: string }[] = [];
  const walk = (v: unknown, path: string, key: string, depth: number) => {
    if (depth > 20) return;
    if (typeof v === 'string') {
      if (FILE_KEY.test(key)) out.push({ keyPath: path, value: v });
    } else if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${path}[${i}]`, key, depth + 1));
    else if (v !== null && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, path ? `${path}.${k}` : k, k, depth + 1);
  };
  walk(scenario, '', '', 0);
  return out;
}
