import { readFileSync } from 'node:fs';
import { LineCounter, parseDocument, isNode } from 'yaml';
import type { z } from 'zod';
import { InputError, InputErrors } from '../core/errors.js';

/** A parsed YAML file that can locate any key path (for error messages with file:line:col). */
export interface SourceDocument {
  readonly file: string;
  readonly data: unknown;
  /** 1-based line/column of the value at `path`, or of its nearest existing parent. */
  locate(path: readonly (string | number)[]): { line?: number; column?: number };
}

/** Read and parse a YAML (or JSON) file; syntax errors become {@link InputError}s with positions. */
export function readYamlFile(file: string): SourceDocument {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new InputError({ file, expected: 'a readable YAML file', detail: (e as Error).message });
  }
  return parseYamlText(text, file);
}

export function parseYamlText(text: string, file: string): SourceDocument {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new InputErrors(
      doc.errors.map((err) => {
        const pos = lineCounter.linePos(err.pos[0]);
        return new InputError({ file, line: pos.line, column: pos.col, expected: 'valid YAML', detail: err.message.split('\n')[0] });
      }),
    );
  }
  const data = doc.toJS({ maxAliasCount: 100 });
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

/**
 * Validate `source.data` against a zod schema. Every issue becomes an {@link InputError} naming
 * the file, line and column, the key path, the value found and what was expected; all issues are
 * reported together.
 */
export function validateWithSchema<T>(source: SourceDocument, schema: z.ZodType<T>, data: unknown = source.data, basePath: (string | number)[] = []): T {
  const result = schema.safeParse(data);
  if (result.success) return result.data;
  const errors = result.error.issues.map((issue) => {
    const path = [...basePath, ...(issue.path as (string | number)[])];
    let keyPath = path;
    let expected = issue.message;
    if (issue.code === 'unrecognized_keys') {
      const keys = (issue as { keys: string[] }).keys;
      keyPath = [...path, keys[0]];
      expected = `one of the known keys (unknown key${keys.length > 1 ? 's' : ''}: ${keys.join(', ')})`;
      const pos = source.locate(keyPath);
      return new InputError({ file: source.file, keyPath: formatKeyPath(keyPath), ...pos, expected });
    }
    const pos = source.locate(path);
    const value = valueAt(source.data, path);
    if (issue.code === 'invalid_type' && (issue as { expected?: string }).expected === 'int') expected = 'an integer';
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
