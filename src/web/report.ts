import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { InputError } from '../core/errors.js';
import { addFileToResult, checkOutputFile, writeFileAtomic } from '../io/atomic.js';
import { parseCsv } from '../core/csv.js';
import { paramRegistry, type ParamSpec } from '../core/params.js';
import { packageRoot } from '../io/paths.js';
import type { CheckEntry, RunDetail, TableInfo } from '../webapp/api.js';
import { formatNumber, unitFromName } from '../webapp/summary.js';
import { MAX_PARSE_BYTES, readJsonFile, readRunDetail, readRunRecord } from './result-folder.js';
import '../scenarios/kinds.js'; // the kinds' model modules declare their parameters (provenance table)

/**
 * The self-contained HTML report of a result folder (`rhizocarb report`, `run --report`, and the
 * dashboard's "report" link). Generic over scenario kinds: everything comes from summary.json,
 * resolved-scenario.json, plots/ and the CSV tables with their column dictionaries, so a new kind
 * gets a full report without code here. No scripts, no external resources: plots are embedded as
 * data: images, so the file opens offline and a hostile SVG in a result folder cannot run script.
 */

type Json = Record<string, unknown>;

export interface ReportOptions {
  /** Time stamp printed as "report written" (tests pass a fixed one). */
  readonly now?: Date;
}

const esc = (s: unknown): string =>
  String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

function isObject(v: unknown): v is Json {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function cell(v: unknown): string {
  if (typeof v === 'number') return `<td class="num">${esc(formatNumber(v))}</td>`;
  if (typeof v === 'boolean') return `<td>${badge(v)}</td>`;
  if (v === null || v === undefined) return '<td class="muted">—</td>';
  if (typeof v === 'object') return `<td><code>${esc(compactJson(v))}</code></td>`;
  return `<td>${esc(v)}</td>`;
}

function compactJson(v: unknown): string {
  const s = JSON.stringify(v);
  return s.length > 240 ? s.slice(0, 237) + '…' : s;
}

function badge(passed: boolean | null): string {
  if (passed === null) return '<span class="badge na">not judged</span>';
  return passed ? '<span class="badge pass">pass</span>' : '<span class="badge fail">FAIL</span>';
}

function table(head: readonly string[], rows: readonly string[][], cls = ''): string {
  return `<table class="${cls}"><thead><tr>${head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows.map((r) => `<tr>${r.join('')}</tr>`).join('')}</tbody></table>`;
}

/** A nested object as a key / value table; arrays of objects as tables of their own. */
function objectHtml(v: unknown, depth = 0): string {
  if (Array.isArray(v)) {
    if (v.length > 0 && v.every(isObject)) {
      const keys = [...new Set(v.flatMap((o) => Object.keys(o)))];
      const rows = v.slice(0, 500).map((o) => keys.map((k) => cell(o[k])));
      return table(keys.map((k) => withUnit(k)), rows, 'compact') + (v.length > 500 ? `<p class="muted">${v.length - 500} more rows not shown</p>` : '');
    }
    return `<code>${esc(compactJson(v))}</code>`;
  }
  if (!isObject(v)) return cell(v).replace(/^<td[^>]*>|<\/td>$/g, '');
  if (depth > 5) return `<code>${esc(compactJson(v))}</code>`;
  const rows = Object.entries(v).map(([k, x]) => {
    const inner = isObject(x) || (Array.isArray(x) && x.some(isObject)) ? `<td>${objectHtml(x, depth + 1)}</td>` : cell(x);
    return `<tr><th scope="row">${esc(k)}${unitSpan(k)}</th>${inner}</tr>`;
  });
  return `<table class="kv"><tbody>${rows.join('')}</tbody></table>`;
}

function unitSpan(name: string): string {
  const u = unitFromName(name);
  return u ? ` <span class="unit">[${esc(u)}]</span>` : '';
}

function withUnit(name: string): string {
  const u = unitFromName(name);
  return u ? `${name} [${u}]` : name;
}

function dataUri(path: string): string | null {
  const ext = path.slice(path.lastIndexOf('.') + 1).toLowerCase();
  const mime = ext === 'svg' ? 'image/svg+xml' : ext === 'png' ? 'image/png' : ext === 'jpg' || ext === 'jpeg' ? 'image/jpeg' : ext === 'webp' ? 'image/webp' : ext === 'gif' ? 'image/gif' : null;
  if (!mime) return null;
  try {
    return `data:${mime};base64,${readFileSync(path).toString('base64')}`;
  } catch {
    return null;
  }
}

function figure(root: string, id: string, rel: string): string {
  const file = join(root, rel);
  const uri = dataUri(file);
  const name = id === '.' ? rel : rel.slice(id.length + 1);
  if (!uri) return `<figure class="plot missing"><figcaption>${esc(name)} (could not be read)</figcaption></figure>`;
  return `<figure class="plot"><img src="${uri}" alt="${esc(name)}" data-plot="${esc(name)}"><figcaption>${esc(name)}</figcaption></figure>`;
}

interface ColumnStats {
  rows: number;
  first: string;
  last: string;
  min: number | null;
  max: number | null;
}

/** Per-column first, last, min and max of a CSV table (numbers; other cells count as text). */
function tableStats(root: string, t: TableInfo): ColumnStats[] | null {
  if (t.bytes > MAX_PARSE_BYTES) return null;
  let csv;
  try {
    csv = parseCsv(readFileSync(join(root, t.path), 'utf8'), t.path);
  } catch {
    return null;
  }
  return csv.header.map((_, j) => {
    let min = Infinity;
    let max = -Infinity;
    for (const row of csv.rows) {
      const x = row[j] === '' ? NaN : Number(row[j]);
      if (row[j] !== '' && Number.isFinite(x)) {
        if (x < min) min = x;
        if (x > max) max = x;
      }
    }
    const fmt = (s: string | undefined) => (s === undefined ? '' : s !== '' && Number.isFinite(Number(s)) ? formatNumber(Number(s)) : s);
    return { rows: csv.rows.length, first: fmt(csv.rows[0]?.[j]), last: fmt(csv.rows[csv.rows.length - 1]?.[j]), min: min <= max ? min : null, max: min <= max ? max : null };
  });
}

function tableSection(root: string, t: TableInfo, open: boolean): string {
  const stats = tableStats(root, t);
  const rows = t.columns.map((c, j) => {
    const s = stats?.[j];
    return [`<td><code>${esc(c.name)}</code></td>`, `<td>${esc(c.unit)}</td>`, `<td>${esc(c.description)}</td>`, `<td class="num">${esc(s?.first ?? '')}</td>`, `<td class="num">${esc(s?.last ?? '')}</td>`, cell(s?.min ?? null), cell(s?.max ?? null)];
  });
  const n = stats?.[0]?.rows;
  return `<details class="table"${open ? ' open' : ''}><summary><code>${esc(t.name)}.csv</code> — ${t.columns.length} columns${n !== undefined ? `, ${n} rows` : ''} (${(t.bytes / 1024).toFixed(0)} KiB)</summary>${table(['column', 'unit', 'description', 'first', 'last', 'min', 'max'], rows, 'compact')}</details>`;
}

/** Parameter declarations by name (for provenance of the numbers in the resolved scenario). */
function specsByName(): Map<string, ParamSpec & { module: string }> {
  const m = new Map<string, ParamSpec & { module: string }>();
  for (const [module, specs] of paramRegistry()) for (const s of specs) if (!m.has(s.name)) m.set(s.name, { ...s, module });
  return m;
}

/** Numbers of the resolved scenario (and of the summary) whose key is a declared parameter. */
function parameterRows(resolved: Json | null, summary: Json): string[][] {
  const specs = specsByName();
  const rows: string[][] = [];
  const seen = new Set<string>();
  const walk = (v: unknown, path: string, depth: number) => {
    if (depth > 8 || v === null || typeof v !== 'object') return;
    for (const [k, x] of Object.entries(v as Json)) {
      const p = path ? `${path}.${k}` : k;
      const spec = specs.get(k);
      if (spec && typeof x === 'number' && !seen.has(p)) {
        seen.add(p);
        const inRange = x >= spec.min && x <= spec.max;
        rows.push([`<td><code>${esc(p)}</code></td>`, `<td>${esc(spec.symbol)}</td>`, cell(x), `<td>${esc(spec.unit)}</td>`, cell(spec.default ?? null), `<td>[${esc(formatNumber(spec.min))}, ${esc(formatNumber(spec.max))}] ${inRange ? '' : badge(false)}</td>`, `<td>${esc(spec.source)}</td>`]);
      } else if (typeof x === 'object') walk(x, p, depth + 1);
    }
  };
  walk(resolved, '', 0);
  if (rows.length === 0) walk(summary, '', 0);
  return rows;
}

/** Shipped data folders a run names: `provenance.data` entries and paths into the package's data/. */
function dataFolders(...docs: (Json | null)[]): string[] {
  const root = packageRoot().replace(/\/$/, '');
  const found = new Set<string>();
  const visit = (v: unknown, depth: number) => {
    if (depth > 10) return;
    if (typeof v === 'string') {
      const m = v.startsWith(root + '/data/') ? /^data\/([^/]+)/.exec(v.slice(root.length + 1)) : /^data\/([A-Za-z0-9._-]+)(\/|$)/.exec(v);
      if (m && existsSync(join(root, 'data', m[1], 'PROVENANCE.md'))) found.add(m[1]);
    } else if (Array.isArray(v)) v.forEach((x) => visit(x, depth + 1));
    else if (isObject(v)) Object.values(v).forEach((x) => visit(x, depth + 1));
  };
  docs.forEach((d) => visit(d, 0));
  return [...found].sort();
}

const CSS = `
:root{--fg:#1d2329;--muted:#6a737d;--line:#d8dee4;--pass:#1a7f37;--fail:#cf222e;--bg2:#f6f8fa}
*{box-sizing:border-box}body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;color:var(--fg);margin:0 auto;max-width:1180px;padding:24px}
h1{font-size:24px;margin:0 0 4px}h2{font-size:18px;margin:28px 0 8px;border-bottom:1px solid var(--line);padding-bottom:4px}
table{border-collapse:collapse;margin:6px 0;font-size:13px}th,td{border:1px solid var(--line);padding:3px 7px;vertical-align:top;text-align:left}
thead th{background:var(--bg2)}td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
table.kv th{background:var(--bg2);font-weight:600;white-space:nowrap}.unit{color:var(--muted);font-weight:normal}
.muted{color:var(--muted)}code{font:12px ui-monospace,SFMono-Regular,Menlo,monospace}
.badge{display:inline-block;padding:0 7px;border-radius:9px;font-size:12px;font-weight:600;color:#fff}
.badge.pass{background:var(--pass)}.badge.fail{background:var(--fail)}.badge.na{background:#8c959f}.badge.warn{background:#bf8700}
.status{padding:10px 14px;border-radius:6px;margin:12px 0;font-weight:600}
.status.passed{background:#dafbe1;color:var(--pass)}.status.failed{background:#ffebe9;color:var(--fail)}.status.unchecked{background:var(--bg2);color:var(--muted)}
.plots{display:grid;grid-template-columns:repeat(auto-fill,minmax(520px,1fr));gap:14px}
figure.plot{margin:0;border:1px solid var(--line);border-radius:6px;padding:6px;background:#fff}
figure.plot img{width:100%;height:auto;display:block}figcaption{color:var(--muted);font-size:12px;margin-top:4px}
details{margin:6px 0}summary{cursor:pointer}pre{background:var(--bg2);padding:10px;overflow:auto;font-size:12px;max-height:480px}
nav a{margin-right:12px}
`;

/** Marks files written by {@link renderReport}: only such files are ever overwritten by a new report. */
export const REPORT_GENERATOR = 'rhizocarb report';

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'">
<meta name="generator" content="${REPORT_GENERATOR}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title><style>${CSS}</style></head>
<body>${body}</body></html>
`;
}

function checkBadge(c: CheckEntry): string {
  return !c.passed && c.severity === 'warning' ? '<span class="badge warn">warning</span>' : badge(c.passed);
}

function checksTable(checks: readonly CheckEntry[]): string {
  if (checks.length === 0) return '<p class="muted">This run states no pass/fail checks.</p>';
  const failed = checks.filter((c) => !c.passed && c.severity !== 'warning').length;
  const warned = checks.filter((c) => !c.passed && c.severity === 'warning').length;
  return `<p>${checks.length - failed - warned} of ${checks.length} checks pass${failed ? `; <strong>${failed} fail</strong>` : ''}${warned ? `; ${warned} warning${warned > 1 ? 's' : ''} (reported, the run does not fail on them)` : ''}.</p>` +
    table(['check', 'result', 'values', 'where in summary.json'], checks.map((c) => [`<td>${esc(c.label)}</td>`, `<td>${checkBadge(c)}</td>`, `<td>${esc(c.detail ?? '')}</td>`, `<td><code>${esc(c.path)}</code></td>`]), 'checks');
}

/** Summary keys shown in their own sections (the rest go to "Other results"). */
const SHOWN = new Set(['scenario', 'name', 'kind', 'version', 'gitCommit', 'commit', 'wallSeconds', 'balance', 'totals', 'status', 'checks', 'timestamp', 'finishedAt', 'startedAt', 'commandLine', 'nodeVersion', 'node', 'platform', 'scenarioHash', 'scenarioFile', 'description']);

function runReport(root: string, id: string, d: RunDetail, now: Date): string {
  const s = d.summary;
  const resolved = d.resolvedScenario;
  const prov = (isObject(resolved?._provenance) ? resolved!._provenance : {}) as Json;
  const what: [string, unknown][] = [
    ['scenario', d.name],
    ['kind', d.kind],
    ['description', resolved?.description ?? s.description],
    ['scenario file', s.scenarioFile ?? prov.scenarioFile],
    ['rhizocarb version', d.version],
    ['git commit', d.commit],
    ['run finished', d.date],
    ['started', s.startedAt],
    ['wall time [s]', d.wallSeconds === null ? null : d.wallSeconds.toFixed(2)],
    ['command line', s.commandLine],
    ['Node.js', s.node ?? s.nodeVersion],
    ['platform', s.platform],
    ['scenario hash', s.scenarioHash],
    ['work estimate', isObject(s.estimate) ? s.estimate.description : undefined],
    ['result folder', id],
  ];
  const unjudged = d.balance.filter((b) => b.passed === null).map((b) => b.name);
  const statusText =
    d.status === 'passed'
      ? unjudged.length === 0 ? 'Passed: every balance and check stated by this run is within its tolerance.'
        : `Checks pass; the ${unjudged.join(' and ')} balance${unjudged.length > 1 ? 's are' : ' is'} reported without a tolerance (not judged).`
      : d.status === 'failed' ? `Failed: ${d.failures.join('; ')}`
        : 'Not judged: this run states no tolerances or checks.';
  const parts: string[] = [];
  parts.push(`<h1>${esc(d.name)} <span class="muted">(${esc(d.kind)})</span></h1>`);
  parts.push(`<p class="muted">rhizocarb report written ${esc(now.toISOString())}</p>`);
  parts.push(`<div class="status ${d.status}" data-status="${d.status}">${esc(statusText)}</div>`);
  parts.push('<nav><a href="#run">What was run</a><a href="#balance">Balances</a><a href="#checks">Checks</a><a href="#totals">Totals</a><a href="#plots">Plots</a><a href="#tables">Tables</a><a href="#other">Other results</a><a href="#provenance">Provenance</a></nav>');
  const whatRows = what.filter(([, v]) => v !== undefined && v !== null && v !== '').map(([k, v]) => `<tr><th scope="row">${esc(k)}</th>${cell(v)}</tr>`);
  parts.push(`<h2 id="run">What was run</h2><table class="kv"><tbody>${whatRows.join('')}</tbody></table>`);

  parts.push('<h2 id="balance">Conservation (balance errors)</h2>');
  if (d.balance.length === 0) parts.push('<p class="muted">This run reports no balance.</p>');
  else {
    parts.push(table(['balance', 'relative error', 'tolerance', 'result'], d.balance.map((b) => [`<td>${esc(b.name)}</td>`, cell(b.relativeError), cell(b.tolerance), `<td>${badge(b.passed)}</td>`]), 'balance'));
    const terms = Object.entries((s.balance ?? {}) as Json).filter(([, v]) => isObject(v));
    parts.push(`<details><summary>all balance terms</summary>${objectHtml(Object.fromEntries(terms))}</details>`);
  }

  parts.push(`<h2 id="checks">Plausibility and constraint checks</h2>${checksTable(d.checks)}`);

  parts.push('<h2 id="totals">Totals</h2>');
  const totals = Object.entries(d.totals);
  parts.push(totals.length ? table(['quantity', 'value', 'unit'], totals.map(([k, v]) => [`<td><code>${esc(k)}</code></td>`, cell(v), `<td>${esc(unitFromName(k))}</td>`]), 'totals') : '<p class="muted">This run reports no totals.</p>');

  parts.push(`<h2 id="plots">Plots (${d.plots.length})</h2>`);
  parts.push(d.plots.length ? `<div class="plots">${d.plots.map((p) => figure(root, id, p)).join('')}</div>` : '<p class="muted">This run wrote no plots.</p>');
  if (d.images.length) parts.push(`<h3>Maps and other figures</h3><div class="plots">${d.images.map((p) => figure(root, id, p)).join('')}</div>`);

  parts.push(`<h2 id="tables">Tables (${d.tables.length})</h2>`);
  parts.push(d.tables.length ? d.tables.map((t, i) => tableSection(root, t, i < 2)).join('') : '<p class="muted">This run wrote no CSV tables.</p>');

  const other = Object.fromEntries(Object.entries(s).filter(([k]) => !SHOWN.has(k)));
  parts.push('<h2 id="other">Other results</h2>');
  parts.push(Object.keys(other).length ? objectHtml(other) : '<p class="muted">None.</p>');

  parts.push('<h2 id="provenance">Provenance</h2>');
  const params = parameterRows(resolved, s);
  parts.push('<h3>Parameters</h3>');
  parts.push(params.length ? table(['key', 'symbol', 'value', 'unit', 'default', 'range', 'source'], params, 'params') : '<p class="muted">No declared parameter appears by name in the resolved scenario.</p>');
  const folders = dataFolders(resolved, s);
  parts.push('<h3>Data</h3>');
  if (folders.length === 0) parts.push('<p class="muted">This run names no shipped data file.</p>');
  for (const f of folders) {
    const text = readFileSync(join(packageRoot(), 'data', f, 'PROVENANCE.md'), 'utf8');
    parts.push(`<details><summary><code>data/${esc(f)}/PROVENANCE.md</code></summary><pre>${esc(text)}</pre></details>`);
  }
  parts.push('<h3>Resolved scenario</h3>');
  parts.push(resolved ? `<details><summary><code>resolved-scenario.json</code></summary><pre>${esc(JSON.stringify(resolved, null, 2))}</pre></details>` : '<p class="muted">No resolved-scenario.json in this folder.</p>');
  parts.push(`<details><summary><code>summary.json</code></summary><pre>${esc(JSON.stringify(s, null, 2))}</pre></details>`);
  parts.push(`<details><summary>files (${d.files.length})</summary>${table(['file', 'bytes'], d.files.map((f) => [`<td><code>${esc(f.path)}</code></td>`, cell(f.bytes)]), 'compact')}</details>`);
  return page(`${d.name} — rhizocarb report`, parts.join('\n'));
}

function sweepReport(root: string, id: string, d: RunDetail, now: Date): string {
  const tasks = d.tasks ?? [];
  const s = d.summary;
  const taskRecords = tasks.map((t) => (t.id ? readRunRecord(join(root, t.id), t.id) : null));
  const balanceNames = [...new Set(taskRecords.flatMap((r) => r?.balance.map((b) => b.name) ?? []))];
  const totalNames = [...new Set(taskRecords.flatMap((r) => Object.keys(r?.totals ?? {})))].slice(0, 6);
  const head = ['task', 'status', 'overrides', ...balanceNames.map((b) => `${b} balance`), ...totalNames.map(withUnit), 'checks', 'error'];
  const rows = tasks.map((t, i) => {
    const r = taskRecords[i];
    return [
      `<td><code>${esc(t.hash)}</code></td>`,
      `<td>${/fail|error/i.test(t.status) ? badge(false) : ''} ${esc(t.status)}</td>`,
      `<td><code>${esc(Object.entries(t.overrides).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(', '))}</code></td>`,
      ...balanceNames.map((b) => cell(r?.balance.find((x) => x.name === b)?.relativeError ?? null)),
      ...totalNames.map((k) => cell(r?.totals[k] ?? null)),
      `<td>${r ? badge(r.status === 'unchecked' ? null : r.status === 'passed') : ''}</td>`,
      `<td>${esc(t.error ?? '')}</td>`,
    ];
  });
  const sw = d.sweep!;
  const statusText = sw.failed > 0 ? `Failed: ${sw.failed} of ${sw.tasks} tasks failed.` : sw.done === sw.tasks ? `All ${sw.tasks} tasks done.` : `${sw.done} of ${sw.tasks} tasks done.`;
  const parts = [
    `<h1>${esc(d.name)} <span class="muted">(sweep)</span></h1>`,
    `<p class="muted">rhizocarb report written ${esc(now.toISOString())}</p>`,
    `<div class="status ${d.status}" data-status="${d.status}">${esc(statusText)}</div>`,
    `<h2>Sweep</h2>${objectHtml(Object.fromEntries(Object.entries(s).filter(([k]) => k !== 'tasks')))}`,
    `<h2 id="tasks">Tasks (${tasks.length})</h2>${table(head, rows, 'tasks')}`,
  ];
  return page(`${d.name} — rhizocarb sweep report`, parts.join('\n'));
}

/**
 * HTML report of the result folder `dir`: a run (summary.json) or a sweep (sweep.json). Returns
 * null when `dir` is neither.
 */
export function renderReport(dir: string, options: ReportOptions = {}): string | null {
  const d = readRunDetail(dir, '.');
  if (!d) return null;
  const now = options.now ?? new Date();
  return d.sweep ? sweepReport(dir, '.', d, now) : runReport(dir, '.', d, now);
}

/** True when `dir` holds a sweep (for messages). */
export function isSweepFolder(dir: string): boolean {
  return readJsonFile(join(dir, 'sweep.json')) !== null;
}

/** True when `path` does not exist or is a report written by rhizocarb (safe to replace). */
export function isReplaceableReport(path: string): boolean {
  if (!existsSync(path)) return true;
  try {
    const head = readFileSync(path, 'utf8').slice(0, 2000);
    return head.includes(`<meta name="generator" content="${REPORT_GENERATOR}">`);
  } catch {
    return false;
  }
}

const NOT_A_RESULT = 'a rhizocarb result folder (with summary.json or sweep.json)';

/**
 * Write the self-contained HTML report of a result folder; returns the path written. Inside the
 * result folder the report is listed in its marker (the folder stays replaceable by a later run).
 * Refuses (InputError, exit 2) a folder that is not a rhizocarb result and an existing `out` file
 * that is not a rhizocarb report.
 */
export function writeReport(resultDir: string, out?: string): string {
  const dir = resolve(resultDir);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new InputError({ file: resultDir, expected: NOT_A_RESULT });
  const target = checkOutputFile(out ?? join(dir, 'report.html'), { label: '--out' });
  if (!isReplaceableReport(target)) throw new InputError({ file: target, keyPath: '--out', expected: 'a new file or an earlier rhizocarb report to replace', detail: 'the file exists and is not a rhizocarb report; it was left as it is' });
  const html = renderReport(dir);
  if (html === null) throw new InputError({ file: resultDir, expected: NOT_A_RESULT });
  const rel = relative(dir, target);
  if (!rel.startsWith('..') && !rel.startsWith(sep)) addFileToResult(dir, rel, html);
  else writeFileAtomic(target, html);
  return target;
}

