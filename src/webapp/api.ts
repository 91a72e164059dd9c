/**
 * The dashboard's HTTP API contract, shared by the server (`src/web/server.ts`) and the browser app.
 * Types only: nothing here runs, so the browser bundle and the Node server agree without importing
 * each other's code. All paths are relative to the server's `--root`, `/`-separated.
 */

/** A balance entry of a run's summary (`summary.balance.<name>`). */
export interface BalanceEntry {
  readonly name: string;
  readonly relativeError: number | null;
  /** Tolerance stated by the run (absent in results written before the scenario contract stated one). */
  readonly tolerance: number | null;
  /** `passed` as stated by the run, else relativeError ≤ tolerance, else null (not judged). */
  readonly passed: boolean | null;
}

/** One pass/fail check found in a summary (plausibility checks, App. G constraints, `checks`). */
export interface CheckEntry {
  /** Key path in summary.json, e.g. `plausibility.checks.growthMostlyAtNight`. */
  readonly path: string;
  readonly label: string;
  readonly passed: boolean;
  /** `warning`: a failed check is reported but does not fail the run (the scenario contract's severity). */
  readonly severity?: 'error' | 'warning';
  readonly detail?: string;
}

export type RunStatus = 'passed' | 'failed' | 'unchecked';

/** One row of the run list. */
export interface RunRecord {
  /** Folder of the run relative to the root (`.` for the root itself). */
  readonly id: string;
  readonly kind: string;
  readonly name: string;
  readonly version: string | null;
  readonly commit: string | null;
  /** ISO time the run finished (summary timestamp if stated, else the summary file's modification time). */
  readonly date: string | null;
  readonly status: RunStatus;
  /** Failed checks and balances, as short labels (empty when passed). */
  readonly failures: readonly string[];
  readonly wallSeconds: number | null;
  readonly balance: readonly BalanceEntry[];
  /** Numeric entries of `summary.totals`. */
  readonly totals: Readonly<Record<string, number>>;
  /** A sweep folder (`sweep.json`): its tasks are runs under it. */
  readonly sweep: { readonly tasks: number; readonly done: number; readonly failed: number } | null;
}

export interface ColumnInfo {
  readonly name: string;
  readonly unit: string;
  readonly description: string;
}

/** A CSV table of a run, with the units of its columns. */
export interface TableInfo {
  readonly name: string;
  readonly path: string;
  readonly bytes: number;
  readonly columns: readonly ColumnInfo[];
}

export interface RunDetail extends RunRecord {
  readonly summary: Record<string, unknown>;
  readonly resolvedScenario: Record<string, unknown> | null;
  readonly checks: readonly CheckEntry[];
  /** SVG/PNG plots (`plots/**`), paths relative to the root. */
  readonly plots: readonly string[];
  /** Other images (maps) found in the folder. */
  readonly images: readonly string[];
  readonly tables: readonly TableInfo[];
  readonly files: readonly { readonly path: string; readonly bytes: number }[];
  /** For a sweep: its tasks. */
  readonly tasks: readonly SweepTask[] | null;
}

export interface SweepTask {
  readonly hash: string;
  readonly status: string;
  readonly overrides: Record<string, unknown>;
  readonly error: string | null;
  /** Result folder of the task relative to the root, when it exists. */
  readonly id: string | null;
}

export interface ServerInfo {
  readonly version: string;
  readonly commit: string | null;
  readonly root: string;
  /** Where the run list comes from: result folders under the root, or the DuckDB catalogue. */
  readonly index: string;
}

/** A scenario kind the server can launch, with its JSON Schema and an example to start from. */
export interface KindInfo {
  readonly kind: string;
  readonly description: string;
  readonly schema: JsonSchema;
  readonly examples: readonly { readonly name: string; readonly scenario: Record<string, unknown> }[];
}

/** A field-level validation error (key path as users write it: `time.days`, `forcing.exudation.peak`). */
export interface FieldError {
  readonly keyPath: string;
  readonly message: string;
}

export interface ValidateResponse {
  readonly ok: boolean;
  readonly errors: readonly FieldError[];
}

export type JobState = 'queued' | 'running' | 'done' | 'failed' | 'cancelled';

export interface JobInfo {
  readonly id: string;
  readonly name: string;
  readonly kind: string;
  readonly state: JobState;
  /** Result folder (relative to the root) once the run is done. */
  readonly runId: string | null;
  /** The finished run's status (`failed`: a balance or check failed; outputs written for inspection). */
  readonly runStatus: 'ok' | 'failed' | null;
  readonly failedChecks: readonly string[];
  readonly progress: { readonly done: number; readonly total: number; readonly label: string; readonly info: Record<string, string | number> } | null;
  readonly log: readonly string[];
  readonly error: string | null;
  readonly startedAt: string;
  readonly endedAt: string | null;
}

/** The subset of JSON Schema (draft 2020-12, as zod emits it) that the launch form renders. */
export interface JsonSchema {
  readonly type?: string | readonly string[];
  readonly properties?: Readonly<Record<string, JsonSchema>>;
  readonly required?: readonly string[];
  readonly additionalProperties?: boolean | JsonSchema;
  readonly items?: JsonSchema;
  readonly enum?: readonly unknown[];
  readonly const?: unknown;
  readonly anyOf?: readonly JsonSchema[];
  readonly oneOf?: readonly JsonSchema[];
  readonly default?: unknown;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly exclusiveMinimum?: number;
  readonly exclusiveMaximum?: number;
  readonly minLength?: number;
  readonly description?: string;
  readonly title?: string;
  readonly $ref?: string;
  readonly $defs?: Readonly<Record<string, JsonSchema>>;
  readonly [key: string]: unknown;
}
