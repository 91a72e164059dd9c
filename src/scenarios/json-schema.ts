import { z } from 'zod';
import { scenarioKinds, type ScenarioKind } from './registry.js';
import { sweepSchema } from './sweep.js';
import './kinds.js';

/**
 * JSON Schemas of the scenario kinds and the key reference of docs/SCENARIOS.md, generated from
 * the zod schemas (`npm run docs:scenarios`; a test fails when the checked-in files are stale).
 * Units, ranges and sources of registered parameters come from the parameter registry through
 * `paramNumber` (params-schema.ts).
 */

type JsonSchema = {
  type?: string | string[];
  description?: string;
  markdownDescription?: string;
  unit?: string;
  source?: string;
  parameter?: string;
  default?: unknown;
  enum?: unknown[];
  const?: unknown;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minItems?: number;
  maxItems?: number;
  pattern?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  additionalProperties?: boolean | JsonSchema;
  [k: string]: unknown;
};

const SAFE = Number.MAX_SAFE_INTEGER;

/** What the generator needs of a file kind: the scenario kinds, and `sweep` (run by `rhizocarb sweep`, not a scenario kind). */
type FileKind = Pick<ScenarioKind<any, any>, 'kind' | 'description' | 'schema' | 'tolerances'>;

const SWEEP_KIND: FileKind = {
  kind: 'sweep',
  description: 'a sweep: a base scenario, a grid (or list) of overrides and seeds; every task a scenario of the base\'s kind, run by `rhizocarb sweep` (docs/SWEEPS.md)',
  schema: sweepSchema,
  tolerances: {},
};

/** The scenario kinds and the sweep kind, in the order of the generated files and docs. */
function fileKinds(): FileKind[] {
  return [...scenarioKinds().values(), SWEEP_KIND];
}

function rangeOf(s: JsonSchema): string {
  const lo = s.minimum !== undefined && s.minimum > -SAFE ? `≥ ${s.minimum}` : s.exclusiveMinimum !== undefined ? `> ${s.exclusiveMinimum}` : '';
  const hi = s.maximum !== undefined && s.maximum < SAFE ? `≤ ${s.maximum}` : s.exclusiveMaximum !== undefined ? `< ${s.exclusiveMaximum}` : '';
  const items = s.minItems !== undefined || s.maxItems !== undefined ? `${s.minItems ?? 0}–${s.maxItems ?? '∞'} items` : '';
  return [lo, hi, items].filter(Boolean).join(', ');
}

function typeOf(s: JsonSchema): string {
  if (s.const !== undefined) return JSON.stringify(s.const);
  if (s.enum) return s.enum.map((e) => JSON.stringify(e)).join(' | ');
  const alts = s.anyOf ?? s.oneOf;
  if (alts) {
    const objects = alts.filter((a) => a.type === 'object' && a.properties);
    const tag = objects.length > 1 ? Object.keys(objects[0].properties!).find((k) => objects.every((o) => o.properties![k]?.const !== undefined)) : undefined;
    if (tag && objects.length === alts.length) return `mapping (${tag}: ${objects.map((o) => JSON.stringify(o.properties![tag].const)).join(' | ')})`;
    return alts.map((a) => (a.type === 'object' ? 'mapping' : typeOf(a))).join(' or ');
  }
  if (s.type === 'array') return `list of ${s.items ? typeOf(s.items) : 'values'}`;
  if (s.type === 'object') return 'mapping';
  return Array.isArray(s.type) ? s.type.join(' | ') : (s.type ?? 'any');
}

/** Add `markdownDescription` (shown by editors on hover and completion) with unit, range, default and source. */
function annotate(s: JsonSchema): void {
  if (s.description) {
    const parts = [s.description];
    if (s.unit && s.unit !== '1') parts.push(`Unit: ${s.unit}.`);
    const r = rangeOf(s);
    if (r) parts.push(`Range: ${r}.`);
    if (s.default !== undefined) parts.push(`Default: \`${JSON.stringify(s.default)}\`.`);
    if (s.source) parts.push(`Source: ${s.source}.`);
    s.markdownDescription = parts.join(' ');
  }
  for (const v of Object.values(s.properties ?? {})) annotate(v);
  if (s.items) annotate(s.items);
  for (const a of [...(s.anyOf ?? []), ...(s.oneOf ?? [])]) annotate(a);
}

/** JSON Schema (draft-07, editors' common denominator) of one kind's scenario files. */
export function kindJsonSchema(kind: FileKind): JsonSchema {
  const s = z.toJSONSchema(kind.schema, { io: 'input', target: 'draft-7', unrepresentable: 'any' }) as JsonSchema;
  annotate(s);
  const { $schema, ...rest } = s;
  return { $schema, $id: `https://rhizocarb.invalid/schemas/${kind.kind}.json`, title: `rhizocarb scenario, kind ${kind.kind}`, description: kind.description, ...rest };
}

/** The scenario schema: `kind` chooses which kind schema applies. */
export function scenarioJsonSchema(): JsonSchema {
  const names = fileKinds().map((k) => k.kind);
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: 'https://rhizocarb.invalid/schemas/scenario.json',
    title: 'rhizocarb scenario (any kind)',
    description: `A rhizocarb scenario file; \`kind\` is one of ${names.join(', ')} (docs/SCENARIOS.md).`,
    type: 'object',
    required: ['kind'],
    properties: { kind: { enum: names, description: 'scenario kind' } },
    allOf: names.map((k) => ({ if: { properties: { kind: { const: k } }, required: ['kind'] }, then: { $ref: `${k}.json` } })),
  };
}

/** File name (under schemas/) → JSON text, for every kind and the union. */
export function schemaFiles(): Map<string, string> {
  const files = new Map<string, string>();
  for (const k of fileKinds()) files.set(`${k.kind}.json`, JSON.stringify(kindJsonSchema(k), null, 2) + '\n');
  files.set('scenario.json', JSON.stringify(scenarioJsonSchema(), null, 2) + '\n');
  return files;
}

const cell = (v: unknown) => String(v ?? '').replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** Rows of the key table: every key path with type, unit, default, range, description and source. */
function keyRows(s: JsonSchema, path: string, rows: string[], required: boolean, variant = ''): void {
  const alts = s.anyOf ?? s.oneOf;
  const objectAlts = (alts ?? []).filter((a) => a.type === 'object' && a.properties);
  if (path) {
    const def = s.default !== undefined ? `\`${JSON.stringify(s.default)}\`` : required ? '(required)' : '(optional)';
    const sentence = (t?: string) => (t && !/[.!?]$/.test(t) ? `${t}.` : t);
    const desc = [sentence(s.description), s.source ? `Source: ${s.source}.` : '', s.parameter ? `Registry: \`${s.parameter}\`.` : ''].filter(Boolean).join(' ');
    rows.push(`| \`${path}\`${variant} | ${cell(typeOf(s))} | ${cell(s.unit && s.unit !== '1' ? s.unit : '')} | ${cell(def)} | ${cell(rangeOf(s))} | ${cell(desc)} |`);
  }
  if (s.type === 'object' && s.properties) {
    for (const [k, v] of Object.entries(s.properties)) keyRows(v, path ? `${path}.${k}` : k, rows, s.required?.includes(k) ?? false);
  }
  if (s.type === 'array' && s.items?.type === 'object') keyRows(s.items, `${path}[i]`, rows, true);
  for (const a of objectAlts) {
    const tag = Object.entries(a.properties!).find(([, v]) => v.const !== undefined);
    const label = tag ? ` (${tag[0]}: ${JSON.stringify(tag[1].const)})` : objectAlts.length > 1 ? ` (mapping form ${objectAlts.indexOf(a) + 1})` : ' (mapping form)';
    for (const [k, v] of Object.entries(a.properties!)) {
      if (tag && k === tag[0]) continue;
      keyRows(v, `${path}.${k}`, rows, a.required?.includes(k) ?? false, label);
    }
  }
}

/** The generated part of docs/SCENARIOS.md: one section per kind with its key table. */
export function scenarioKeysMarkdown(): string {
  const out: string[] = [];
  for (const k of fileKinds()) {
    const rows: string[] = [];
    keyRows(z.toJSONSchema(k.schema, { io: 'input', target: 'draft-7', unrepresentable: 'any' }) as JsonSchema, '', rows, true);
    const tol = Object.entries(k.tolerances);
    out.push(
      `### \`${k.kind}\``,
      '',
      `${k.description}.`,
      '',
      `Schema: [\`schemas/${k.kind}.json\`](../schemas/${k.kind}.json). ${k === SWEEP_KIND ? 'Balance tolerances: those of the base scenario\'s kind, per task' : `Balance tolerances: ${tol.length ? tol.map(([q, t]) => `${q} ${t.toExponential(0)} (relative)`).join(', ') : 'none (no conserved quantity; see the kind\'s source comment)'}`}.`,
      '',
      '| key | type | unit | default | range | description |',
      '|---|---|---|---|---|---|',
      ...rows,
      '',
    );
  }
  return out.join('\n');
}

export const GENERATED_START = '<!-- generated by `npm run docs:scenarios`: do not edit between these markers -->';
export const GENERATED_END = '<!-- end of generated part -->';

/** docs/SCENARIOS.md with its generated part replaced. */
export function scenariosDoc(current: string): string {
  const a = current.indexOf(GENERATED_START);
  const b = current.indexOf(GENERATED_END);
  if (a < 0 || b < a) throw new Error('docs/SCENARIOS.md lacks the generated-part markers');
  return current.slice(0, a + GENERATED_START.length) + '\n\n' + scenarioKeysMarkdown() + '\n' + current.slice(b);
}
