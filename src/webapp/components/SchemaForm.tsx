import { useEffect, useState, type ReactNode } from 'react';
import type { FieldError, JsonSchema } from '../api.js';
import { formatNumber } from '../summary.js';

/**
 * A form generated from a scenario kind's JSON Schema (as zod emits it): objects become fieldsets,
 * enums selects, unions a variant choice, numbers text inputs that accept 1e-6, arrays of numbers a
 * comma list, records key/value rows, anything else a JSON box. Validation is the server's (the same
 * checks as `rhizocarb run`); its errors are shown at the field whose key path they name.
 */
type Path = (string | number)[];
type Json = Record<string, unknown>;

export function keyPathOf(path: Path): string {
  let s = '';
  for (const p of path) s += typeof p === 'number' ? `[${p}]` : (s ? '.' : '') + p;
  return s;
}

function isObject(v: unknown): v is Json {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function setIn(root: unknown, path: Path, v: unknown): unknown {
  if (path.length === 0) return v;
  const [head, ...rest] = path;
  if (typeof head === 'number') {
    const arr = Array.isArray(root) ? [...root] : [];
    arr[head] = setIn(arr[head], rest, v);
    return arr;
  }
  const obj: Json = isObject(root) ? { ...root } : {};
  const next = setIn(obj[head], rest, v);
  if (next === undefined) delete obj[head];
  else obj[head] = next;
  return obj;
}

function resolveRef(s: JsonSchema, root: JsonSchema): JsonSchema {
  let cur = s;
  for (let k = 0; k < 10 && cur.$ref; k++) {
    const m = /^#\/(\$defs|definitions)\/(.+)$/.exec(cur.$ref);
    const target = m ? (root[m[1]] as Record<string, JsonSchema> | undefined)?.[m[2]] : undefined;
    if (!target) break;
    const { $ref: _drop, ...restOf } = cur;
    cur = { ...target, ...restOf };
  }
  return cur;
}

function typeOf(s: JsonSchema): string | undefined {
  return Array.isArray(s.type) ? (s.type as string[]).find((t) => t !== 'null') : (s.type as string | undefined);
}

/** Does `value` fit option `s` of a union (const discriminators, types)? */
function fits(s: JsonSchema, value: unknown, root: JsonSchema): boolean {
  const r = resolveRef(s, root);
  if (r.const !== undefined) return value === r.const;
  if (r.enum) return r.enum.includes(value);
  const t = typeOf(r);
  if (t === 'object' || r.properties) {
    if (!isObject(value)) return false;
    for (const [k, p] of Object.entries(r.properties ?? {})) {
      const pr = resolveRef(p, root);
      if (pr.const !== undefined && value[k] !== pr.const) return false;
    }
    return true;
  }
  if (t === 'array') return Array.isArray(value);
  if (t === 'number' || t === 'integer') return typeof value === 'number';
  if (t === 'string') return typeof value === 'string';
  if (t === 'boolean') return typeof value === 'boolean';
  return false;
}

/** A starting value for a schema (a union variant the user switches to, an array item). */
function template(s: JsonSchema, root: JsonSchema): unknown {
  const r = resolveRef(s, root);
  if (r.default !== undefined) return structuredClone(r.default);
  if (r.const !== undefined) return r.const;
  if (r.enum) return r.enum[0];
  const opts = r.anyOf ?? r.oneOf;
  if (opts?.length) return template(opts[0], root);
  const t = typeOf(r);
  if (t === 'object' || r.properties) {
    const o: Json = {};
    for (const k of r.required ?? []) o[k] = template(r.properties?.[k] ?? {}, root);
    return o;
  }
  if (t === 'array') return [];
  if (t === 'number' || t === 'integer') return r.minimum ?? (r.exclusiveMinimum !== undefined ? r.exclusiveMinimum + 1 : 0);
  if (t === 'boolean') return false;
  if (t === 'string') return '';
  return null;
}

function rangeHint(s: JsonSchema): string {
  const lo = s.minimum !== undefined ? `≥ ${formatNumber(s.minimum)}` : s.exclusiveMinimum !== undefined ? `> ${formatNumber(s.exclusiveMinimum)}` : '';
  const hiRaw = s.maximum !== undefined && s.maximum < 1e15 ? `≤ ${formatNumber(s.maximum)}` : s.exclusiveMaximum !== undefined ? `< ${formatNumber(s.exclusiveMaximum)}` : '';
  const loOk = s.minimum !== undefined && s.minimum < -1e15 ? '' : lo;
  return [loOk, hiRaw].filter(Boolean).join(', ');
}

interface Ctx {
  root: JsonSchema;
  errors: ReadonlyMap<string, string[]>;
  set: (path: Path, v: unknown) => void;
}

function Errors({ path, ctx }: { path: Path; ctx: Ctx }) {
  const list = ctx.errors.get(keyPathOf(path));
  if (!list?.length) return null;
  return (
    <div className="field-error" data-error-for={keyPathOf(path)}>
      {list.join('; ')}
    </div>
  );
}

function NumberInput({ value, onChange, integer, id, placeholder }: { value: unknown; onChange: (v: unknown) => void; integer: boolean; id: string; placeholder?: string }) {
  const shown = value === undefined ? '' : typeof value === 'number' ? String(value) : String(value);
  const [text, setText] = useState(shown);
  useEffect(() => {
    if (!(typeof value === 'number' && Number(text) === value) && !(value === undefined && text === '')) setText(shown);
  }, [shown]);
  return (
    <input
      id={id}
      type="text"
      inputMode={integer ? 'numeric' : 'decimal'}
      value={text}
      placeholder={placeholder}
      onChange={(e) => {
        const t = e.target.value;
        setText(t);
        if (t.trim() === '') onChange(undefined);
        else {
          const n = Number(t);
          // Not a number: pass the text on, so the server names the field and what it expects.
          onChange(t.trim() !== '' && Number.isFinite(n) ? n : t);
        }
      }}
    />
  );
}

function ListInput({ value, onChange, id }: { value: unknown; onChange: (v: unknown) => void; id: string }) {
  const shown = Array.isArray(value) ? value.join(', ') : '';
  const [text, setText] = useState(shown);
  useEffect(() => {
    if (Array.isArray(value) && value.join(', ') !== text.split(',').map((s) => s.trim()).join(', ')) setText(shown);
  }, [shown]);
  return (
    <input
      id={id}
      type="text"
      value={text}
      placeholder="comma-separated numbers"
      onChange={(e) => {
        setText(e.target.value);
        const parts = e.target.value.split(',').map((s) => s.trim()).filter(Boolean);
        onChange(e.target.value.trim() === '' ? undefined : parts.map((p) => (Number.isFinite(Number(p)) ? Number(p) : p)));
      }}
    />
  );
}

function JsonInput({ value, onChange, id }: { value: unknown; onChange: (v: unknown) => void; id: string }) {
  const [text, setText] = useState(value === undefined ? '' : JSON.stringify(value));
  const [bad, setBad] = useState(false);
  return (
    <span>
      <textarea
        id={id}
        rows={2}
        cols={50}
        value={text}
        onChange={(e) => {
          setText(e.target.value);
          if (e.target.value.trim() === '') {
            setBad(false);
            onChange(undefined);
            return;
          }
          try {
            onChange(JSON.parse(e.target.value));
            setBad(false);
          } catch {
            setBad(true);
          }
        }}
      />
      {bad && <span className="field-error"> not valid JSON yet</span>}
    </span>
  );
}

function Field({ name, schema, value, path, required, ctx, bare = false }: { name: string; schema: JsonSchema; value: unknown; path: Path; required: boolean; ctx: Ctx; bare?: boolean }) {
  const s = resolveRef(schema, ctx.root);
  const kp = keyPathOf(path);
  const id = `f-${kp.replace(/[^A-Za-z0-9_-]/g, '_')}`;
  const set = (v: unknown) => ctx.set(path, v);
  const invalid = (ctx.errors.get(kp)?.length ?? 0) > 0;
  const t = typeOf(s);
  const union = s.anyOf ?? s.oneOf;
  const help = [s.description, rangeHint(s), s.default !== undefined && !isObject(s.default) ? `default ${JSON.stringify(s.default)}` : ''].filter(Boolean).join(' · ');

  const row = (control: ReactNode) => bare ? <div className="field" data-keypath-variant={kp}><label htmlFor={id}>{name}</label><div>{control}</div></div> : (
    <div className={`field${invalid ? ' invalid' : ''}`} data-keypath={kp}>
      <label htmlFor={id}>
        {name}
        {required ? ' *' : ''}
      </label>
      <div>
        {control}
        {help && <span className="muted small"> {help}</span>}
        <Errors path={path} ctx={ctx} />
      </div>
    </div>
  );

  if (s.const !== undefined) return row(<code id={id}>{JSON.stringify(s.const)}</code>);
  if (s.enum) {
    return row(
      <select id={id} value={value === undefined ? '' : String(value)} onChange={(e) => set(e.target.value === '' ? undefined : s.enum!.find((x) => String(x) === e.target.value))}>
        {!required && <option value="">{s.default !== undefined ? `(default: ${String(s.default)})` : '(not set)'}</option>}
        {s.enum.map((x) => (
          <option key={String(x)} value={String(x)}>
            {String(x)}
          </option>
        ))}
      </select>,
    );
  }
  if (union) {
    const current = value === undefined ? (s.default !== undefined ? union.findIndex((o) => fits(o, s.default, ctx.root)) : -1) : union.findIndex((o) => fits(o, value, ctx.root));
    const label = (o: JsonSchema, i: number) => {
      const r = resolveRef(o, ctx.root);
      if (r.enum) return `one of: ${r.enum.slice(0, 4).join(', ')}${r.enum.length > 4 ? ', …' : ''}`;
      const disc = Object.entries(r.properties ?? {}).find(([, p]) => resolveRef(p, ctx.root).const !== undefined);
      if (disc) return `${disc[0]}: ${String(resolveRef(disc[1], ctx.root).const)}`;
      if (r.properties) return `{ ${Object.keys(r.properties).join(', ')} }`;
      return typeOf(r) ?? `option ${i + 1}`;
    };
    const chosen = current >= 0 ? union[current] : undefined;
    return (
      <fieldset data-keypath={kp} className={invalid ? 'invalid' : ''}>
        <legend>{name}</legend>
        <select aria-label={`${kp} variant`} value={current} onChange={(e) => set(template(union[Number(e.target.value)], ctx.root))}>
          {current < 0 && <option value={-1}>(choose)</option>}
          {union.map((o, i) => (
            <option key={i} value={i}>
              {label(o, i)}
            </option>
          ))}
        </select>
        {help && <span className="muted small"> {help}</span>}
        <Errors path={path} ctx={ctx} />
        {chosen && (value !== undefined || s.default !== undefined) && <Field name="value" schema={{ ...resolveRef(chosen, ctx.root), description: undefined }} value={value ?? s.default} path={path} required ctx={ctx} bare />}
      </fieldset>
    );
  }
  if (t === 'object' || s.properties) {
    if (s.properties) {
      const absent = value === undefined && s.default === undefined && !required;
      const obj = isObject(value) ? value : {};
      const fields = Object.entries(s.properties).map(([k, p]) => <Field key={k} name={k} schema={p} value={obj[k]} path={[...path, k]} required={(s.required ?? []).includes(k)} ctx={ctx} />);
      if (bare) return <div className="variant">{fields}</div>;
      return (
        <fieldset data-keypath={kp}>
          <legend>
            {absent || !required ? (
              <label>
                <input type="checkbox" checked={!absent} aria-label={`include ${kp}`} onChange={(e) => set(e.target.checked ? template({ ...s, default: undefined }, ctx.root) : undefined)} /> {name}
              </label>
            ) : (
              name
            )}
          </legend>
          <Errors path={path} ctx={ctx} />
          {!absent && fields}
        </fieldset>
      );
    }
    if (isObject(s.additionalProperties)) {
      const obj = isObject(value) ? value : {};
      const entries = Object.entries(obj);
      return (
        <fieldset data-keypath={kp}>
          <legend>{name}</legend>
          <Errors path={path} ctx={ctx} />
          {entries.map(([k, v]) => (
            <div className="field" key={k} data-keypath={keyPathOf([...path, k])}>
              <label>{k}</label>
              <div>
                <NumberInput id={`${id}-${k}`} value={v} integer={false} onChange={(nv) => set({ ...obj, [k]: nv })} />
                <button onClick={() => set(Object.fromEntries(entries.filter(([x]) => x !== k)))}>remove</button>
                <Errors path={[...path, k]} ctx={ctx} />
              </div>
            </div>
          ))}
          <AddKey onAdd={(k) => set({ ...obj, [k]: 0 })} />
        </fieldset>
      );
    }
  }
  if (t === 'array') {
    const items = s.items ? resolveRef(s.items, ctx.root) : {};
    const it = typeOf(items);
    if (it === 'number' || it === 'integer') return row(<ListInput id={id} value={value} onChange={set} />);
    if (it === 'object' || items.properties || items.anyOf || items.oneOf) {
      const arr = Array.isArray(value) ? value : [];
      return (
        <fieldset data-keypath={kp}>
          <legend>{name}</legend>
          <Errors path={path} ctx={ctx} />
          {arr.map((v, i) => (
            <div key={i}>
              <Field name={`${name}[${i}]`} schema={items} value={v} path={[...path, i]} required ctx={ctx} />
              <button onClick={() => set(arr.filter((_, j) => j !== i))}>remove {name}[{i}]</button>
            </div>
          ))}
          <button onClick={() => set([...arr, template(items, ctx.root)])}>add to {name}</button>
        </fieldset>
      );
    }
  }
  if (t === 'number' || t === 'integer') return row(<NumberInput id={id} value={value} integer={t === 'integer'} onChange={set} placeholder={s.default !== undefined ? String(s.default) : undefined} />);
  if (t === 'boolean') return row(<input id={id} type="checkbox" checked={value === undefined ? s.default === true : value === true} onChange={(e) => set(e.target.checked)} />);
  if (t === 'string') return row(<input id={id} type="text" value={typeof value === 'string' ? value : ''} placeholder={typeof s.default === 'string' ? s.default : undefined} onChange={(e) => set(e.target.value === '' && !required ? undefined : e.target.value)} />);
  return row(<JsonInput id={id} value={value} onChange={set} />);
}

function AddKey({ onAdd }: { onAdd: (k: string) => void }) {
  const [k, setK] = useState('');
  return (
    <div>
      <input type="text" placeholder="parameter name" value={k} onChange={(e) => setK(e.target.value)} />
      <button disabled={!k.trim()} onClick={() => (onAdd(k.trim()), setK(''))}>
        add
      </button>
    </div>
  );
}

export function SchemaForm({ schema, value, onChange, errors }: { schema: JsonSchema; value: Json; onChange: (v: Json) => void; errors: readonly FieldError[] }) {
  const map = new Map<string, string[]>();
  for (const e of errors) map.set(e.keyPath, [...(map.get(e.keyPath) ?? []), e.message]);
  const ctx: Ctx = { root: schema, errors: map, set: (path, v) => onChange(setIn(value, path, v) as Json) };
  const root = resolveRef(schema, schema);
  return (
    <div className="schema-form">
      {Object.entries(root.properties ?? {}).map(([k, p]) => (
        <Field key={k} name={k} schema={p} value={value[k]} path={[k]} required={(root.required ?? []).includes(k)} ctx={ctx} />
      ))}
    </div>
  );
}
