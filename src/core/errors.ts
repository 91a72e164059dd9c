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
