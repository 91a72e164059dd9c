/**
 * Reading a run's `summary.json` generically, for every scenario kind: balance entries, pass/fail
 * checks, status, totals, and units from rhizocarb's unit-suffixed names. Pure functions, used by the
 * HTML report (Node) and by the dashboard (browser), so both judge a run the same way.
 */
import type { BalanceEntry, CheckEntry, RunStatus } from './api.js';

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function num(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

/**
 * `summary.balance.<name>` entries. A run states `{relativeError, tolerance, passed}`; when it states
 * no tolerance (results written before the scenario contract had one) the entry is not judged.
 */
export function balanceEntries(summary: Json): BalanceEntry[] {
  const b = summary.balance;
  if (!isObject(b)) return [];
  const out: BalanceEntry[] = [];
  for (const [name, v] of Object.entries(b)) {
    if (!isObject(v)) continue;
    const relativeError = typeof v.relativeError === 'number' ? v.relativeError : null;
    const tolerance = num(v.tolerance) ?? num(v.relativeTolerance);
    let passed: boolean | null = typeof v.passed === 'boolean' ? v.passed : null;
    if (passed === null && tolerance !== null && relativeError !== null) passed = Number.isFinite(relativeError) && Math.abs(relativeError) <= tolerance;
    out.push({ name, relativeError, tolerance, passed });
  }
  return out;
}

/** Words that make a readable label out of a camelCase check name. */
function labelFromKey(key: string): string {
  return key
    .replace(/(\d)_(\d)/g, '$1.$2') // 0_15 → 0.15
    .replace(/_/g, ' ')
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .replace(/([A-Za-z])(\d)/g, '$1 $2')
    .replace(/(\d)([A-Za-z])/g, '$1 $2')
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase();
}

const PASS_KEYS = ['passed', 'satisfied', 'ok'] as const;

/**
 * Every pass/fail check in a summary: objects with a boolean `passed` / `satisfied` / `ok` (labelled
 * by their `id`, `name`, `text` or key), and boolean members of any object named `checks`. The
 * balance section is left out (see {@link balanceEntries}).
 */
export function checkEntries(summary: Json): CheckEntry[] {
  // The scenario contract's list (`checks: [{name, passed, severity, message, value}]`) is complete:
  // use it alone, without the balance checks (shown with the balances).
  if (Array.isArray(summary.checks) && summary.checks.every((c) => isObject(c) && typeof c.name === 'string' && typeof c.passed === 'boolean')) {
    return (summary.checks as Json[])
      .filter((c) => !String(c.name).startsWith('balance.'))
      .map((c, i) => ({
        path: `checks[${i}]`,
        label: typeof c.message === 'string' ? `${c.name}: ${c.message}` : String(c.name),
        passed: c.passed as boolean,
        ...(c.severity === 'warning' || c.severity === 'error' ? { severity: c.severity } : {}),
        ...(typeof c.value === 'number' ? { detail: `value ${formatNumber(c.value)}` } : {}),
      }));
  }
  const out: CheckEntry[] = [];
  const seen = new Set<string>();
  const add = (e: CheckEntry) => {
    if (!seen.has(e.path)) {
      seen.add(e.path);
      out.push(e);
    }
  };
  const walk = (v: unknown, path: string, parentKey: string, depth: number): void => {
    if (depth > 8) return;
    if (Array.isArray(v)) {
      v.forEach((x, i) => walk(x, `${path}[${i}]`, `${parentKey}[]`, depth + 1));
      return;
    }
    if (!isObject(v)) return;
    const passKey = PASS_KEYS.find((k) => typeof v[k] === 'boolean');
    if (passKey && path !== '') {
      const id = [v.id, v.name, v.check].find((x) => typeof x === 'string') as string | undefined;
      const text = [v.text, v.message, v.description, v.expected].find((x) => typeof x === 'string') as string | undefined;
      const values = isObject(v.values) ? Object.entries(v.values).map(([k, x]) => `${k} = ${typeof x === 'number' ? formatNumber(x) : String(x)}`).join(', ') : undefined;
      const value = v.value !== undefined ? `value ${typeof v.value === 'number' ? formatNumber(v.value) : JSON.stringify(v.value)}` : undefined;
      add({
        path,
        label: id ? (text && text !== id ? `${id}: ${text}` : id) : text ?? labelFromKey(path.split('.').pop() ?? path),
        passed: v[passKey] as boolean,
        detail: [values, value].filter(Boolean).join('; ') || undefined,
      });
    }
    for (const [k, x] of Object.entries(v)) {
      const p = path ? `${path}.${k}` : k;
      if (path === '' && k === 'balance') continue;
      if (typeof x === 'boolean' && /checks$/i.test(parentKey) && !(passKey && k === passKey)) {
        add({ path: p, label: labelFromKey(k), passed: x });
      } else if (typeof x === 'object') walk(x, p, k, depth + 1);
    }
  };
  walk(summary, '', '', 0);
  return out;
}

/** Status of a run: a stated `status`, else failed when a judged balance or a check fails. */
export function runStatus(summary: Json, balance: readonly BalanceEntry[], checks: readonly CheckEntry[]): { status: RunStatus; failures: string[] } {
  // A failed warning-severity check is reported but does not fail the run.
  const failures = [
    ...balance.filter((b) => b.passed === false).map((b) => `${b.name} balance ${b.relativeError === null ? 'not reported' : formatNumber(b.relativeError)} > ${b.tolerance === null ? '?' : formatNumber(b.tolerance)}`),
    ...checks.filter((c) => !c.passed && c.severity !== 'warning').map((c) => c.label),
  ];
  const stated = typeof summary.status === 'string' ? summary.status.toLowerCase() : undefined;
  if (stated) {
    if (/fail|error|invalid/.test(stated)) return { status: 'failed', failures: failures.length ? failures : [`status: ${stated}`] };
    if (/^(ok|passed|pass|success|succeeded|done)$/.test(stated)) return { status: 'passed', failures };
  }
  if (failures.length > 0) return { status: 'failed', failures };
  const judged = balance.some((b) => b.passed !== null) || checks.length > 0;
  return { status: judged ? 'passed' : 'unchecked', failures };
}

/** Numeric members of `summary.totals` (flat). */
export function totalsOf(summary: Json): Record<string, number> {
  const t = summary.totals;
  const out: Record<string, number> = {};
  if (isObject(t)) for (const [k, v] of Object.entries(t)) if (typeof v === 'number') out[k] = v;
  return out;
}

/** Compact number for tables: 4 significant digits, exponent form for very small or large values. */
export function formatNumber(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return '0';
  const a = Math.abs(x);
  if (Number.isInteger(x) && a < 1e9) return String(x);
  if (a < 1e-3 || a >= 1e6) return x.toExponential(3);
  return String(Number(x.toPrecision(4)));
}

const UNIT_TOKENS: Record<string, string> = {
  molC: 'mol C', mmolC: 'mmol C', umolC: 'µmol C', mol: 'mol', mmol: 'mmol', umol: 'µmol', g: 'g', mg: 'mg', kg: 'kg', gC: 'g C', kgC: 'kg C', MgC: 'Mg C',
  cm: 'cm', cm2: 'cm²', cm3: 'cm³', mm: 'mm', m: 'm', m2: 'm²', m3: 'm³', ha: 'ha', d: 'd', h: 'h', min: 'min', s: 's', yr: 'yr', years: 'yr', year: 'yr',
  hPa: 'hPa', C: '°C', K: 'K', permil: '‰', percent: '%', pct: '%', water: 'water', soil: 'soil', molC_per_cm3: 'mol C cm⁻³',
};
const SUPERSCRIPT: Record<string, string> = { '2': '²', '3': '³' };

/**
 * Unit of a unit-suffixed name as rhizocarb writes them (`co2_molC` → "mol C",
 * `flux_molC_per_cm2_d` → "mol C cm⁻² d⁻¹", `head_cm` → "cm"); "" when the name carries none.
 */
export function unitFromName(name: string): string {
  const parts = name.split('_');
  if (parts.length < 2) return '';
  // The unit part starts at the first token that is a known unit (after the quantity name).
  let start = -1;
  for (let i = 1; i < parts.length; i++) {
    if (UNIT_TOKENS[parts[i]] !== undefined && parts[i] !== 'water' && parts[i] !== 'soil') {
      start = i;
      break;
    }
  }
  if (start < 0) return '';
  const num: string[] = [];
  const den: string[] = [];
  let per = false;
  for (const tok of parts.slice(start)) {
    if (tok === 'per') {
      per = true;
      continue;
    }
    const u = UNIT_TOKENS[tok];
    if (u === undefined) return '';
    if (!per) num.push(u);
    else {
      const m = /^(.*?)([23])?$/.exec(u)!;
      const base = m[1].replace(/[²³]$/, '');
      const power = m[2] ?? (u.endsWith('²') ? '2' : u.endsWith('³') ? '3' : '');
      den.push(tok === 'water' || tok === 'soil' ? u : `${base}⁻${power ? SUPERSCRIPT[power] : '¹'}`);
    }
  }
  return [...num, ...den].join(' ');
}
