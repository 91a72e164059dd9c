/**
 * Errors that reach users. An {@link InputError} always names where the bad value came from
 * (file and key path), the value itself and what was expected, so the CLI can print one line
 * and exit with code 2 without writing anything.
 */
export class InputError extends Error {
  readonly file: string | undefined;
  readonly keyPath: string | undefined;
  readonly value: unknown;
  readonly expected: string;
  /** 1-based line and column in `file`, when known. */
  readonly line: number | undefined;
  readonly column: number | undefined;

  constructor(args: {
    file?: string;
    keyPath?: string;
    value?: unknown;
    expected: string;
    line?: number;
    column?: number;
    detail?: string;
  }) {
    // Command-line options name themselves ("--out: …"); anything else without a file says <input>.
    const where =
      args.file !== undefined
        ? args.file + (args.line !== undefined ? `:${args.line}${args.column !== undefined ? `:${args.column}` : ''}` : '')
        : args.keyPath?.startsWith('-')
          ? ''
          : '<input>';
    const key = args.keyPath ? `${where ? ' ' : ''}${args.keyPath}:` : '';
    const got = 'value' in args ? ` got ${formatValue(args.value)},` : '';
    super(`${where}${key}${got} expected ${args.expected}${args.detail ? ` (${args.detail})` : ''}`);
    this.name = 'InputError';
    this.file = args.file;
    this.keyPath = args.keyPath;
    this.value = args.value;
    this.expected = args.expected;
    this.line = args.line;
    this.column = args.column;
  }
}

/** A list of input errors found in one validation pass (all reported at once). */
export class InputErrors extends Error {
  readonly errors: InputError[];
  constructor(errors: InputError[]) {
    super(errors.map((e) => e.message).join('\n'));
    this.name = 'InputErrors';
    this.errors = errors;
  }
}

export function formatValue(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number' || typeof v === 'boolean' || v === null) return String(v);
  try {
    const s = JSON.stringify(v);
    return s.length > 80 ? s.slice(0, 77) + '...' : s;
  } catch {
    return String(v);
  }
}

/** A run stopped on request (SIGINT, SIGTERM, an aborted AbortSignal); nothing was written. */
export class InterruptedError extends Error {
  /** The signal name ("SIGINT", "SIGTERM") or "abort". */
  readonly signal: string;
  constructor(signal: string) {
    super(`interrupted by ${signal}: the run stopped, nothing was written (an earlier result in the output folder is intact)`);
    this.name = 'InterruptedError';
    this.signal = signal;
  }
}

/** Levenshtein distance (case-insensitive), for did-you-mean suggestions. */
function editDistance(a: string, b: string): number {
  a = a.toLowerCase();
  b = b.toLowerCase();
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length];
}

/** The name in `names` nearest to `value` (case-insensitive edit distance ≤ max(2, a third of its length)), if any. */
export function nearestName(value: unknown, names: readonly string[]): string | undefined {
  if (typeof value !== 'string' || value === '') return undefined;
  let best: string | undefined;
  let bestD = Infinity;
  for (const n of names) {
    const d = editDistance(value, n);
    if (d < bestD) (bestD = d), (best = n);
  }
  if (best !== undefined && bestD <= Math.max(2, Math.floor(value.length / 3)) && best !== value) return best;
  // A name the value starts ("Vcmax" for "vcmax25_umol_m2_s"): the unit suffix was left out.
  const v = value.toLowerCase();
  return v.length >= 3 ? names.find((n) => n.toLowerCase().startsWith(v)) : undefined;
}

/** `one of "a", "b", "c" (did you mean "b"?)`: the valid names, with the nearest to `value` suggested. */
export function oneOf(names: readonly string[], value: unknown, what = 'one of'): string {
  const near = nearestName(value, names);
  return `${what} ${names.map((n) => JSON.stringify(n)).join(', ')}${near ? ` (did you mean "${near}"?)` : ''}`;
}

/**
 * A numerical solver could not continue (step size underflow, instability, Newton failure). Not
 * bad input in the schema sense and not a bug: a run that throws it ends as a failed run (exit 3)
 * with the `solver` check naming the time and the solver's return code.
 */
export class SolverFailure extends Error {
  constructor(message: string, readonly time_d?: number, readonly code?: string) {
    super(message);
    this.name = 'SolverFailure';
  }
}
