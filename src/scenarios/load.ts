import { LineCounter, parseDocument, isNode, parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { InputError, InputErrors, nearestName, oneOf } from '../core/errors.js';
import { readTextFile } from '../io/files.js';

/** A parsed YAML file that can locate any key path (for error messages with file:line:col). */
export interface SourceDocument {
  readonly file: string;
  readonly data: unknown;
  /**
   * 1-based line/column of the value at `path`, or of its nearest existing parent; `file` when the
   * value came from elsewhere (a `--set` override). Spread it after `file:` into an InputError.
   */
  locate(path: readonly (string | number)[]): { file?: string; line?: number; column?: number };
}

/** A scenario given as an object (library calls, CLI wrappers): errors name `label` and the key path. */
export function objectSource(data: unknown, label = '<scenario>'): SourceDocument {
  return { file: label, data, locate: () => ({}) };
}

/** Read and parse a YAML (or JSON) file; syntax errors become {@link InputError}s with positions. */
export function readYamlFile(file: string): SourceDocument {
  return parseYamlText(readTextFile(file, 'a readable YAML file'), file);
}

/** Deepest nesting of mappings and lists accepted in a scenario (the shipped schemas need fewer than 10). */
export const MAX_YAML_DEPTH = 64;
/** Alias expansions (`*name`) accepted in one document; more is refused as a likely alias bomb. */
export const MAX_YAML_ALIASES = 100;

/**
 * Position of the first flow collection (`[`, `{`) nested deeper than `max`, outside quotes and
 * comments (checked before parsing: the parser recurses per level).
 */
function tooDeepFlow(text: string, max: number): number | undefined {
  let depth = 0;
  let quote = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === '\\' && quote === '"') i++;
      else if (c === quote) quote = '';
      continue;
    }
    if (c === '#' && (i === 0 || /\s/.test(text[i - 1]))) {
      while (i < text.length && text[i] !== '\n') i++;
    } else if ((c === '"' || c === "'") && (depth > 0 || i === 0 || /[\s:,\[{-]/.test(text[i - 1]))) quote = c;
    else if (c === '[' || c === '{') {
      if (++depth > max) return i;
    } else if (c === ']' || c === '}') depth = Math.max(0, depth - 1);
  }
  return undefined;
}

/** Depth of a parsed value (iterative: no recursion on hostile input). */
function valueDepth(v: unknown): number {
  let max = 0;
  const stack: [unknown, number][] = [[v, 0]];
  while (stack.length > 0) {
    const [x, d] = stack.pop()!;
    if (x === null || typeof x !== 'object') continue;
    if (d + 1 > max) max = d + 1;
    if (max > MAX_YAML_DEPTH) return max;
    for (const c of Array.isArray(x) ? x : Object.values(x)) stack.push([c, d + 1]);
  }
  return max;
}

export function parseYamlText(text: string, file: string): SourceDocument {
  const lineCounter = new LineCounter();
  const at = (offset: number) => {
    const pos = lineCounter.linePos(offset);
    return { line: pos.line, column: pos.col };
  };
  const nestingError = (extra: { line?: number; column?: number } = {}) =>
    new InputError({ file, ...extra, expected: `mappings and lists nested at most ${MAX_YAML_DEPTH} levels deep (the document nests deeper)` });
  const deep = tooDeepFlow(text, MAX_YAML_DEPTH);
  let doc: ReturnType<typeof parseDocument>;
  try {
    doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  } catch (e) {
    if (e instanceof RangeError) throw nestingError(deep !== undefined ? at(deep) : {});
    throw e;
  }
  if (deep !== undefined) throw nestingError(at(deep));
  if (doc.errors.length > 0) {
    throw new InputErrors(
      doc.errors.map((err) => {
        if (/call stack/i.test(err.message)) return nestingError(at(err.pos[0]));
        return new InputError({ file, ...at(err.pos[0]), expected: 'valid YAML', detail: err.message.split('\n')[0] });
      }),
    );
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_YAML_ALIASES });
  } catch (e) {
    const msg = (e as Error).message;
    const unresolved = /Unresolved alias.*?: (\S+)/.exec(msg);
    if (unresolved) {
      const i = text.indexOf(`*${unresolved[1]}`);
      throw new InputError({ file, ...(i >= 0 ? at(i) : {}), expected: 'valid YAML', detail: `alias *${unresolved[1]} refers to no anchor &${unresolved[1]} defined before it` });
    }
    if (/alias count/i.test(msg)) throw new InputError({ file, expected: `at most ${MAX_YAML_ALIASES} alias expansions (*name) in the document (it expands more: an alias bomb?)` });
    if (e instanceof RangeError) throw nestingError();
    throw e;
  }
  if (valueDepth(data) > MAX_YAML_DEPTH) throw nestingError();
  return {
    file,
    data,
    locate(path) {
      for (let k = path.length; k >= 0; k--) {
        const node = doc.getIn(path.slice(0, k), true);
        if (isNode(node) && node.range) {
          const p = lineCounter.linePos(node.range[0]);
          return { line: p.line, column: p.col };
        }
      }
      return {};
    },
  };
}

/** Dotted key path as users write it: soil.n, exudation.pulses[2].start_h. */
export function formatKeyPath(path: readonly PropertyKey[]): string {
  let s = '';
  for (const p of path) {
    if (typeof p === 'number') s += `[${p}]`;
    else s += (s ? '.' : '') + String(p);
  }
  return s || '(top level)';
}

function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let v: unknown = data;
  for (const p of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[p as string];
  }
  return v;
}

/** "a number ≤ 3650", "at most 1000 items", … for zod's default too_big/too_small messages. */
function boundText(issue: Issue): string {
  const big = issue.code === 'too_big';
  const bound = (big ? issue.maximum : issue.minimum) as number | bigint;
  const inclusive = issue.inclusive !== false;
  switch (issue.origin) {
    case 'number':
    case 'int':
    case 'bigint':
      return `${issue.origin === 'int' ? 'an integer' : 'a number'} ${big ? (inclusive ? '≤' : '<') : inclusive ? '≥' : '>'} ${bound}`;
    case 'array':
    case 'set':
      return `${big ? 'at most' : 'at least'} ${bound} item${Number(bound) === 1 ? '' : 's'}`;
    case 'string':
      return `${big ? 'at most' : 'at least'} ${bound} character${Number(bound) === 1 ? '' : 's'}`;
    default:
      return issue.message;
  }
}

type Issue = { code: string; path: PropertyKey[]; message: string; errors?: Issue[][]; [k: string]: unknown };

/**
 * A union whose value matched one option's type (e.g. a soil given as a mapping, not a name)
 * reports that option's issues (soil.n: expected …) instead of zod's "Invalid input".
 */
function flattenUnionIssues(issues: readonly Issue[]): Issue[] {
  const out: Issue[] = [];
  for (const issue of issues) {
    if (issue.code === 'invalid_union' && issue.errors) {
      const matched = issue.errors.filter((branch) => branch.length > 0 && !branch.some((b) => b.path.length === 0 && (b.code === 'invalid_type' || b.code === 'invalid_value')));
      if (matched.length === 1) {
        out.push(...flattenUnionIssues(matched[0].map((b) => ({ ...b, path: [...issue.path, ...b.path] }))));
        continue;
      }
    }
    out.push(issue);
  }
  return out;
}

type ZodDef = { type: string; innerType?: ZodLike; in?: ZodLike; element?: ZodLike; shape?: Record<string, ZodLike>; options?: ZodLike[] };
type ZodLike = { _zod: { def: ZodDef } };

/** The keys of the object schema at `path` inside `schema` (through defaults, optionals, arrays, discriminated unions), if it is one. */
function knownKeysAt(schema: unknown, path: readonly (string | number)[]): string[] | undefined {
  let cur = schema as ZodLike | undefined;
  const unwrap = () => {
    for (let k = 0; cur && k < 20; k++) {
      const d = cur._zod.def;
      if (d.innerType) cur = d.innerType;
      else if (d.type === 'pipe' && d.in) cur = d.in;
      else break;
    }
  };
  for (const p of path) {
    unwrap();
    const d = cur?._zod.def;
    if (!d) return undefined;
    if (d.type === 'object' && typeof p === 'string') cur = d.shape?.[p];
    else if (d.type === 'array' && typeof p === 'number') cur = d.element;
    else return undefined;
  }
  unwrap();
  const d = cur?._zod.def;
  return d?.type === 'object' && d.shape ? Object.keys(d.shape) : undefined;
}

/**
 * Validate `source.data` against a zod schema. Every issue becomes an {@link InputError} naming
 * the file, line and column, the key path, the value found and what was expected; all issues are
 * reported together.
 */
export function validateWithSchema<T>(source: SourceDocument, schema: z.ZodType<T>, data: unknown = source.data, basePath: (string | number)[] = []): T {
  const result = schema.safeParse(data);
  if (result.success) return result.data;
  const errors = flattenUnionIssues(result.error.issues as unknown as Issue[]).map((issue) => {
    const path = [...basePath, ...(issue.path as (string | number)[])];
    let keyPath = path;
    let expected = issue.message;
    if (issue.code === 'unrecognized_keys') {
      const keys = issue.keys as string[];
      keyPath = [...path, keys[0]];
      const known = knownKeysAt(schema, issue.path as (string | number)[]);
      const near = known ? nearestName(keys[0], known) : undefined;
      expected = `one of the known keys (unknown key${keys.length > 1 ? 's' : ''}: ${keys.join(', ')}${near ? `; did you mean "${near}"?` : known && known.length <= 40 ? `; known: ${known.join(', ')}` : ''})`;
      const pos = source.locate(keyPath);
      return new InputError({ file: source.file, keyPath: formatKeyPath(keyPath), ...pos, expected });
    }
    const pos = source.locate(path);
    const value = valueAt(source.data, path);
    if (issue.code === 'invalid_type' && (issue as { expected?: string }).expected === 'int') expected = 'an integer';
    if ((issue.code === 'too_big' || issue.code === 'too_small') && /^Too (big|small)/.test(issue.message)) expected = boundText(issue);
    if (issue.code === 'invalid_value' && Array.isArray(issue.values) && /^Invalid (option|input)/.test(issue.message) && issue.values.every((x) => typeof x === 'string')) expected = oneOf(issue.values as string[], value);
    if (value === undefined && issue.code === 'invalid_type') {
      const want = (issue as { expected?: string }).expected;
      expected = `this required key${want ? ` (${want === 'object' ? 'a mapping' : `a ${want}`})` : ''}`;
    }
    return new InputError({
      file: source.file,
      keyPath: formatKeyPath(keyPath),
      value,
      ...pos,
      expected: expected.replace(/^Invalid input: /, '').replace(/^expected /, ''),
    });
  });
  throw new InputErrors(errors);
}

/** Where an override came from, for error messages: `--set text`, or the line of a sweep file. */
export interface OverrideOrigin {
  readonly file?: string;
  readonly line?: number;
  readonly column?: number;
}

/** One `--set key.path[i]=value` override. */
export interface Override {
  /** The text as given (for error messages): "time.days=3". */
  readonly text: string;
  readonly path: readonly (string | number)[];
  readonly value: unknown;
}

const SEGMENT = /^([A-Za-z_$][\w$-]*)((?:\[\d+\])*)$/;

/** `a.b[0].c` → ['a', 'b', 0, 'c'], or what was expected (a message) when the text is not a key path. */
export function keyPathParts(keyText: string): (string | number)[] | string {
  const path: (string | number)[] = [];
  for (const seg of keyText.split('.')) {
    const m = SEGMENT.exec(seg);
    if (!m) return `a dotted key path of names and [index] (bad part: ${JSON.stringify(seg)})`;
    path.push(m[1]);
    for (const idx of m[2].matchAll(/\[(\d+)\]/g)) path.push(Number(idx[1]));
  }
  return path;
}

/** Parse `a.b[0].c=value`; the value is read as YAML (`1e-3` a number, `true` a boolean, `[1, 2]` a list; quote for a string). */
export function parseOverride(text: string): Override {
  const eq = text.indexOf('=');
  const keyText = eq < 0 ? '' : text.slice(0, eq).trim();
  if (eq < 0 || keyText === '') throw new InputError({ keyPath: '--set', value: text, expected: 'key.path=value, e.g. time.days=3 or forcing.exudation.peak=0.2' });
  const path = keyPathParts(keyText);
  if (typeof path === 'string') throw new InputError({ keyPath: '--set', value: text, expected: path });
  let value: unknown;
  try {
    value = parseYaml(text.slice(eq + 1), { maxAliasCount: 0 });
  } catch (e) {
    throw new InputError({ file: `--set ${text}`, expected: 'a YAML value', detail: (e as Error).message.split('\n')[0] });
  }
  return { text, path, value: value === undefined ? null : value };
}

/**
 * Apply overrides to a copy of `source.data`; errors found later at or below an overridden key
 * name the override (`--set time.days=abc: got "abc", expected …`). `replaceScalars` (sweeps): a
 * key path through a scalar replaces it by a mapping (`parameterSet.row` over `parameterSet: highCO2`).
 */
export function applyOverrides(source: SourceDocument, overrides: readonly Override[], origin: (o: Override) => OverrideOrigin = (o) => ({ file: `--set ${o.text}` }), options: { replaceScalars?: boolean } = {}): SourceDocument {
  if (overrides.length === 0) return source;
  const data = structuredClone(source.data) as unknown;
  if (data === null || typeof data !== 'object') throw new InputError({ file: source.file, expected: 'a mapping to apply --set to' });
  for (const o of overrides) {
    let node = data as Record<string | number, unknown>;
    for (let k = 0; k < o.path.length; k++) {
      const key = o.path[k];
      const where = formatKeyPath(o.path.slice(0, k + 1));
      if (typeof key === 'number' && !Array.isArray(node)) throw new InputError({ ...origin(o), keyPath: formatKeyPath(o.path.slice(0, k)), expected: `a list to index with [${key}]` });
      if (typeof key === 'number' && key > (node as unknown as unknown[]).length) throw new InputError({ ...origin(o), keyPath: where, expected: `an index ≤ ${(node as unknown as unknown[]).length} (the list's length)` });
      if (k === o.path.length - 1) {
        node[key] = o.value;
        break;
      }
      let next = node[key];
      if (next === undefined || next === null || (options.replaceScalars && typeof next !== 'object')) next = node[key] = typeof o.path[k + 1] === 'number' ? [] : {};
      if (typeof next !== 'object') throw new InputError({ ...origin(o), keyPath: where, value: next, expected: 'a mapping or list to set a key in' });
      node = next as Record<string | number, unknown>;
    }
  }
  const startsWith = (path: readonly (string | number)[], prefix: readonly (string | number)[]) => prefix.length <= path.length && prefix.every((p, i) => p === path[i]);
  return {
    file: source.file,
    data,
    locate(path) {
      for (let i = overrides.length - 1; i >= 0; i--) if (startsWith(path, overrides[i].path)) return { line: undefined, column: undefined, ...origin(overrides[i]) };
      return source.locate(path);
    },
  };
}
