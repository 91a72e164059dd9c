import { dirname } from 'node:path';
import type { Command } from 'commander';
import { InterruptedError } from '../core/errors.js';
import { abortAllStaged } from '../io/atomic.js';
import { runScenario, type RunResult, type ScenarioDocument } from '../scenarios/run.js';
import { writeReport } from '../web/report.js';
import { terminalProgress } from './progress.js';

/**
 * Conventions every command follows (docs/CLI.md):
 * - the answer goes to stdout: human text, or with `--json` exactly one JSON document;
 * - notes, warnings and progress go to stderr; `-q/--quiet` silences them (and the human answer),
 *   errors always print;
 * - exit codes: 0 ok, 1 internal error, 2 bad input (nothing written), 3 a check failed (outputs
 *   written for inspection), 130/143 interrupted by SIGINT/SIGTERM (nothing written).
 */
export const EXIT = { ok: 0, internal: 1, input: 2, checkFailed: 3 } as const;

const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
/**
 * A number written as a plain decimal (`30`, `-1.5`, `2.5e-3`); anything else — hex `0x1E`,
 * binary, `Infinity`, `NaN`, empty text, trailing units, overflow to ±∞ — is NaN. Every numeric
 * option goes through this, so `Number()`'s leniency never reaches a model.
 */
export function parseDecimal(text: string | undefined): number {
  if (text === undefined) return NaN;
  const t = text.trim();
  if (!DECIMAL.test(t)) return NaN;
  const v = Number(t);
  return Number.isFinite(v) ? v : NaN;
}

/** Thrown by a command to end with a given exit code after it printed what it had to say. */
export class CliExit extends Error {
  constructor(readonly code: number, message = `exit ${code}`) {
    super(message);
    this.name = 'CliExit';
  }
}

/**
 * Warning lines grouped by code: the first `perCode` of each code as they are, then one line
 * `warning: … and N more <code> warnings` — repeated warnings never flood stderr.
 */
export function groupWarnings(warnings: readonly { code: string; text: string }[], perCode = 3): string[] {
  const shown = new Map<string, number>();
  const lines: string[] = [];
  for (const w of warnings) {
    const k = (shown.get(w.code) ?? 0) + 1;
    shown.set(w.code, k);
    if (k <= perCode) lines.push(`warning: ${w.text}`);
  }
  for (const [code, k] of shown) if (k > perCode) lines.push(`warning: … and ${k - perCode} more "${code}" warnings (${k} in all)`);
  return lines;
}

export interface OutputOptions {
  json?: boolean;
  quiet?: boolean;
}

/** Add `--json` and `-q/--quiet` to a command. */
export function addOutputOptions(c: Command): Command {
  return c.option('--json', 'print one JSON document on stdout (messages go to stderr)').option('-q, --quiet', 'print nothing but errors');
}

export interface CliOutput {
  readonly json: boolean;
  readonly quiet: boolean;
  /** A note or warning line on stderr (suppressed by --quiet). */
  info(line: string): void;
  /** The human answer on stdout (suppressed by --quiet and by --json). */
  answer(text: string): void;
  /** The JSON answer on stdout (only with --json). */
  answerJson(value: unknown): void;
}

export function cliOutput(o: OutputOptions): CliOutput {
  const json = o.json === true;
  const quiet = o.quiet === true;
  return {
    json,
    quiet,
    info: (line) => {
      if (!quiet) process.stderr.write(line.endsWith('\n') ? line : line + '\n');
    },
    answer: (text) => {
      if (!quiet && !json) process.stdout.write(text.endsWith('\n') ? text : text + '\n');
    },
    answerJson: (value) => {
      if (json) process.stdout.write(JSON.stringify(value, (_, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v)) + '\n');
    },
  };
}

const SIGNAL_NUMBERS: Record<string, number> = { SIGINT: 2, SIGTERM: 15, SIGHUP: 1 };

export function exitCodeForSignal(signal: string): number {
  return 128 + (SIGNAL_NUMBERS[signal] ?? 0);
}

/** Grace period between a signal and a forced exit (staging folders removed) if the run does not stop by itself. */
const SIGNAL_GRACE_MS = 3000;

/**
 * Run `work` with SIGINT/SIGTERM turned into an aborted AbortSignal: the run stops at its next
 * checkpoint and removes its staging folder. A second signal, or a run that does not stop within
 * the grace period, removes every staging folder and exits at once.
 */
export async function withSignals<T>(work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const forceExit = (sig: string) => {
    abortAllStaged();
    process.stderr.write(`error: ${new InterruptedError(sig).message}\n`);
    process.exit(exitCodeForSignal(sig));
  };
  const handler = (sig: NodeJS.Signals) => {
    if (controller.signal.aborted) forceExit(sig);
    controller.abort(new InterruptedError(sig));
    timer = setTimeout(() => forceExit(sig), SIGNAL_GRACE_MS);
    timer.unref();
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  try {
    return await work(controller.signal);
  } finally {
    process.off('SIGINT', handler);
    process.off('SIGTERM', handler);
    if (timer) clearTimeout(timer);
  }
}

let commandLine: readonly string[] = process.argv.slice(2);
/** The arguments of the command being run (recorded in summary.json as `commandLine`). */
export function setCommandLine(args: readonly string[]): void {
  commandLine = args;
}
/** The command being run as one shell-quoted line, `rhizocarb …` (e.g. for findings.json `command`). */
export function currentCommandLine(): string {
  return ['rhizocarb', ...commandLine].map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');
}

export interface ScenarioCommandOptions extends OutputOptions {
  out: string;
  allowLong?: boolean;
  /** Also write `<out>/report.html` (also for a run whose checks failed: that is when it is read). */
  report?: boolean;
  /** Save a checkpoint every N steps (`run --checkpoint-every N`). */
  checkpointEvery?: string;
  /** Continue the interrupted run of this output folder (`run --resume <dir>`). */
  resume?: string;
}

/**
 * Record a finished run in the run catalogue of the folder holding it (`catalogue.duckdb` next to
 * the result folder, or RHIZOCARB_CATALOGUE; "off" for none). A catalogue that cannot be written
 * (held by another process past the retries, DuckDB not installed) is a warning: the run stands.
 */
async function recordInCatalogue(outDir: string, info: (line: string) => void): Promise<void> {
  try {
    const { catalogueFileFor, recordRun } = await import('../sweeps/catalogue.js');
    const file = catalogueFileFor(dirname(outDir));
    if (file) await recordRun(file, outDir);
  } catch (e) {
    info(`warning: the run was not recorded in the run catalogue: ${(e as Error).message}`);
  }
}

/**
 * Run a scenario for a command (`run`, `depth`, `budget`, …): progress and notes on stderr, failed
 * checks on stderr, the answer (`describe(result)` or the JSON result) on stdout, exit 3 when a
 * check failed.
 */
export async function runScenarioCommand(doc: ScenarioDocument, opts: ScenarioCommandOptions, describe: (r: RunResult) => string): Promise<RunResult> {
  const out = cliOutput(opts);
  const result = await withSignals((signal) =>
    runScenario(doc, {
      out: opts.out,
      outLabel: '--out',
      allowLong: opts.allowLong,
      checkpointEvery: opts.checkpointEvery === undefined ? undefined : Number(opts.checkpointEvery),
      resume: opts.resume,
      progress: terminalProgress(!out.quiet),
      log: out.info,
      signal,
      commandLine: ['rhizocarb', ...commandLine],
    }),
  );
  for (const c of result.failedChecks) {
    if (c.severity === 'error') process.stderr.write(`check failed: ${c.name}: ${c.message}\n`);
    else out.info(`warning: ${c.name}: ${c.message}`);
  }
  await recordInCatalogue(result.outDir, out.info);
  const report = opts.report ? writeReport(result.outDir) : undefined;
  out.answerJson({ status: result.status, outDir: result.outDir, summary: result.summary, ...(report ? { report } : {}) });
  out.answer(describe(result) + (report ? `\n  report ${report}` : ''));
  if (result.status === 'failed') {
    const n = result.failedChecks.filter((c) => c.severity === 'error').length;
    process.stderr.write(`error: the run failed ${n} check${n === 1 ? '' : 's'}; its outputs are in ${result.outDir}/ for inspection\n`);
    throw new CliExit(EXIT.checkFailed);
  }
  return result;
}
