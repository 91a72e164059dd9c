import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { InputError, InputErrors, formatValue } from '../core/errors.js';
import { packageRoot } from '../core/paths.js';
import { parseYamlText, validateWithSchema } from '../scenarios/load.js';
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

/**
 * Validate a scenario object as if it were the file `virtualFile` (relative file references in it
 * resolve against that file's folder): schema, then the kind's semantic checks. Writes nothing.
 */
export function validateScenario(scenario: unknown, virtualFile: string): { ok: true; kind: string; name: string } | { ok: false; errors: FieldError[] } {
  if (scenario === null || typeof scenario !== 'object' || Array.isArray(scenario)) return { ok: false, errors: [{ keyPath: '', message: 'expected a scenario object with a `kind`' }] };
  const kindName = (scenario as Record<string, unknown>).kind;
  const kind = typeof kindName === 'string' ? scenarioKinds().get(kindName) : undefined;
  if (!kind) return { ok: false, errors: [{ keyPath: 'kind', message: `got ${formatValue(kindName)}, expected one of ${[...scenarioKinds().keys()].join(', ')}` }] };
  try {
    const source = parseYamlText(JSON.stringify(scenario, null, 2), virtualFile);
    const parsed = validateWithSchema(source, kind.schema) as Record<string, unknown>;
    kind.check?.(parsed, source);
    return { ok: true, kind: kind.kind, name: typeof parsed.name === 'string' ? parsed.name : kind.kind };
  } catch (e) {
    const errors = fieldErrors(e);
    if (errors) return { ok: false, errors };
    throw e;
  }
}

/** Keys whose string values name files (`plant.file`, `forcing.exudation.file`, `soilFile`, `input_path`). */
const FILE_KEY = /(^|_)(file|path|dir|folder)s?$|(File|Path|Dir)s?$/;

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
