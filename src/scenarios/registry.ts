import type { z } from 'zod';
import type { StagedOutputDir } from '../io/atomic.js';
import type { SourceDocument } from './load.js';

/**
 * The scenario contract. A scenario kind (`kind:` in the YAML) is a pipeline
 * schema → check → resolve → estimate → run; the runner in `pipeline.ts` owns validation,
 * output staging, the marker, resolved-scenario.json, summary.json, the balance policy and exit
 * status, so a kind only describes its inputs and simulates. docs/SCENARIOS.md ("Adding a
 * scenario kind") is the guide.
 */

/** Progress reporting from a running scenario (the CLI draws a bar; tests pass a no-op). */
export interface Progress {
  start(total: number, label: string): void;
  update(done: number, info?: Record<string, string | number>): void;
  stop(): void;
}

export const silentProgress: Progress = { start() {}, update() {}, stop() {} };

/** Where a scenario came from: the parsed document (for file:line:col in errors) and the folder relative paths start from. */
export interface ScenarioContext {
  readonly source: SourceDocument;
  /** Folder that relative paths in the scenario are resolved against (the scenario file's folder, or cwd). */
  readonly baseDir: string;
}

/** Work a resolved scenario will take, computed before anything is allocated or run. */
export interface WorkEstimate {
  /** Amount of work in `unit` (e.g. cell-steps = coupling steps × cells). */
  readonly workUnits: number;
  readonly unit: string;
  /** One line a user understands: "720 coupling steps × 9 cells". */
  readonly description: string;
  /** Documented limit of `workUnits` (about 20 minutes on one core); beyond it `run` needs --allow-long / allowLong. */
  readonly limit: number;
}

/** One check of a result: a balance (error when failed) or a plausibility range (error or warning). */
export interface Check {
  /** Dotted name, e.g. "balance.carbon", "plausibility.G2.1". */
  readonly name: string;
  readonly passed: boolean;
  /** `error`: a failed check fails the run (exit 3); `warning`: reported on stderr, status stays ok. */
  readonly severity: 'error' | 'warning';
  /** What was checked, in words, with the numbers: "relative carbon balance error 3.1e-15 ≤ 1e-9". */
  readonly message: string;
  readonly value?: number | null;
}

/** A balance as a kind reports it: the relative error (|inputs − outputs − Δstorage| / throughput) and any terms. */
export type BalanceReport = { readonly relativeError: number } & Readonly<Record<string, unknown>>;

/** A balance in summary.json: the kind's report plus the tolerance the kind declared and the verdict. */
export type BalanceEntry = BalanceReport & { readonly tolerance: number; readonly passed: boolean };

/** What `run` returns: balances (one per quantity in `tolerances`), plausibility checks, and anything else for summary.json. */
export interface KindResult {
  readonly balance?: Readonly<Record<string, BalanceReport>>;
  readonly checks?: readonly Check[];
  readonly [key: string]: unknown;
}

export interface RunContext {
  /** The staged output folder: write files with `out.write(relativePath, data)`; the runner commits it. */
  readonly out: StagedOutputDir;
  readonly progress: Progress;
  /** Information lines for the user (stderr in the CLI, suppressed by -q). */
  readonly log: (line: string) => void;
  /** Aborted on SIGINT/SIGTERM (CLI) or by the library caller. */
  readonly signal: AbortSignal;
  /**
   * Call inside long loops (every step is fine: it is throttled to one event-loop turn per ~50 ms).
   * Lets signals and progress through and throws the abort reason once `signal` is aborted.
   */
  checkpoint(): Promise<void>;
  /** Persistent checkpoints for resuming a killed run (kinds with `checkpoints: true`). */
  readonly checkpoints: CheckpointControl;
}

/**
 * Checkpoints (`--checkpoint-every N` steps, `--resume <dir>`): a kind saves its whole state —
 * the model's saveState() plus every accumulator of its outputs — after a step when `due(steps)`
 * says so, and on resume starts from `resumed` (the state it saved) instead of its initial state.
 * The state is plain data with typed arrays, stored bit for bit (io/checkpoint.ts), so a resumed
 * run ends with results identical to an uninterrupted one.
 */
export interface CheckpointControl {
  /** The state saved by the run being resumed, or undefined for a fresh run. */
  readonly resumed: unknown;
  /** Checkpoints were asked for (--checkpoint-every) or this is a resumed run. */
  readonly enabled: boolean;
  /** Whether a checkpoint is due after `stepsDone` finished steps (false when checkpoints are off). */
  due(stepsDone: number): boolean;
  /** Save `state` (synchronously; later mutation of the objects does not affect the checkpoint). */
  save(stepsDone: number, state: unknown): void;
}

/** A kind of scenario: schema, semantic checks, resolution, work estimate and runner. */
export interface ScenarioKind<S = unknown, R extends S = S> {
  readonly kind: string;
  /** One line for `docs/SCENARIOS.md` and the JSON Schema title. */
  readonly description: string;
  /** Strict zod schema of the scenario (defaults filled by zod; every key with `.meta({ description, unit?, source? })`). */
  readonly schema: z.ZodType<S>;
  /** Relative balance tolerance per quantity the kind reports in `result.balance` (may be empty: say why in the docs). */
  readonly tolerances: Readonly<Record<string, number>>;
  /**
   * Second validation pass on the schema's output: names, cross-field ranges, existence of files,
   * and hard limits (array lengths, step counts, draws) — all before anything is allocated.
   * Throws InputError(s) located with `ctx.source.locate(path)`.
   */
  check?(scenario: S, ctx: ScenarioContext): void;
  /**
   * Every default filled and every named thing expanded into its numbers (soil "loam" → its van
   * Genuchten parameters with `name: loam`; a parameter set → every parameter), paths made absolute.
   * The result must be plain JSON, valid input of `schema`, and a fixed point (resolving it again
   * gives the same object): resolved-scenario.json re-runs the same simulation.
   */
  resolve(scenario: S, ctx: ScenarioContext): R;
  /** Work of the resolved scenario (no allocation, cheap). */
  estimate(resolved: R): WorkEstimate;
  /** Files the resolved scenario reads (the output folder may not be or contain them). */
  inputs?(resolved: R): string[];
  /** The kind saves checkpoints through `ctx.checkpoints` and resumes from them (`--checkpoint-every`, `--resume`). */
  readonly checkpoints?: boolean;
  /**
   * Steps between checkpoints in sweep tasks when the sweep file sets no `checkpointEvery` (kinds
   * with `checkpoints` only; none when absent): sweep tasks of the kind then save checkpoints into
   * the result store and a killed or retried task continues from its last one (docs/SWEEPS.md).
   */
  sweepCheckpointEvery?(resolved: R): number | undefined;
  /** Simulate and write outputs into `ctx.out`; return balances, checks and summary fields. */
  run(resolved: R, ctx: RunContext): Promise<KindResult>;
}

const kinds = new Map<string, ScenarioKind<any, any>>();

export function registerScenarioKind<S, R extends S>(k: ScenarioKind<S, R>): ScenarioKind<S, R> {
  kinds.set(k.kind, k);
  return k;
}

export function scenarioKinds(): ReadonlyMap<string, ScenarioKind<any, any>> {
  return kinds;
}
