import { createHash } from 'node:crypto';
import { dirname, resolve as resolvePath } from 'node:path';
import { performance } from 'node:perf_hooks';
import { InputError, InterruptedError, SolverFailure, oneOf } from '../core/errors.js';
import { StagedOutputDir } from '../io/atomic.js';
import { CHECKPOINT_DIR, findResumableStaging, readCheckpoint, writeCheckpoint } from '../io/checkpoint.js';
import { gitCommit, packageRoot, packageVersion } from '../io/paths.js';
import { applyOverrides, objectSource, parseOverride, readYamlFile, validateWithSchema, type Override, type SourceDocument } from './load.js';
import { scenarioKinds, silentProgress, type BalanceEntry, type Check, type Progress, type RunContext, type ScenarioContext, type ScenarioKind, type WorkEstimate } from './registry.js';
import './kinds.js';

/**
 * The scenario pipeline: schema → check → resolve → estimate → run → write. Every entry point
 * (CLI `run`, `depth`, `budget`, the library, sweeps) goes through {@link runScenario}.
 */

/** A scenario as parsed from a file (or built in code) with where it came from; the input of every step below. */
export class ScenarioDocument {
  constructor(
    readonly source: SourceDocument,
    /** Folder relative paths in the scenario start from. */
    readonly baseDir: string,
  ) {}

  get data(): unknown {
    return this.source.data;
  }
}

export type ScenarioInput = ScenarioDocument | Record<string, unknown>;

/** A plain JSON object holding every number of a run (see ScenarioKind.resolve); `kind` first. */
export type ResolvedScenario = { readonly kind: string; readonly name?: string } & Readonly<Record<string, unknown>>;

export interface ValidatedScenario {
  readonly kind: ScenarioKind<any, any>;
  readonly scenario: Record<string, unknown>;
  readonly context: ScenarioContext;
}

export interface LoadOptions {
  /** `--set key.path=value` overrides (text form) or parsed ones, applied before validation. */
  readonly set?: readonly (string | Override)[];
}

/** Read a YAML/JSON scenario file and apply overrides; validation comes next. Throws InputError(s). */
export function loadScenarioFile(file: string, options: LoadOptions = {}): ScenarioDocument {
  const source = readYamlFile(file);
  const overrides = (options.set ?? []).map((o) => (typeof o === 'string' ? parseOverride(o) : o));
  return new ScenarioDocument(applyOverrides(source, overrides), dirname(resolvePath(file)));
}

function toDocument(input: ScenarioInput, options: { baseDir?: string; label?: string } = {}): ScenarioDocument {
  if (input instanceof ScenarioDocument) return input;
  return new ScenarioDocument(objectSource(input, options.label ?? '<scenario>'), options.baseDir ?? process.cwd());
}

/** Schema (defaults filled) then the kind's semantic checks; throws InputError(s) naming file, key, value and expectation. */
export function validateScenario(input: ScenarioInput, options: { baseDir?: string; label?: string } = {}): ValidatedScenario {
  const doc = toDocument(input, options);
  const { source } = doc;
  let data = source.data;
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new InputError({ file: source.file, value: data, expected: 'a YAML mapping with a `kind:` key' });
  }
  if ('$schema' in data) {
    // JSON scenario files may name their schema for editors; it is not part of the scenario.
    const { $schema: _, ...rest } = data as Record<string, unknown>;
    data = rest;
  }
  const kindName = (data as Record<string, unknown>).kind;
  const kinds = scenarioKinds();
  const kind = typeof kindName === 'string' ? kinds.get(kindName) : undefined;
  if (!kind) {
    throw new InputError({
      file: source.file,
      keyPath: 'kind',
      value: kindName,
      ...source.locate(['kind']),
      expected: oneOf([...kinds.keys()], kindName),
      ...(kindName === 'sweep' ? { detail: 'a sweep file runs with `rhizocarb sweep <file> --out <dir>` (docs/SWEEPS.md)' } : {}),
    });
  }
  const scenario = validateWithSchema(source, kind.schema, data) as Record<string, unknown>;
  const context: ScenarioContext = { source, baseDir: doc.baseDir };
  kind.check?.(scenario, context);
  return { kind, scenario, context };
}

/** Validate and resolve: every default filled, named things expanded to numbers, paths absolute. */
export function resolveScenario(input: ScenarioInput | ValidatedScenario, options: { baseDir?: string; label?: string } = {}): ResolvedScenario {
  const v = isValidated(input) ? input : validateScenario(input, options);
  return v.kind.resolve(v.scenario, v.context) as ResolvedScenario;
}

function isValidated(x: unknown): x is ValidatedScenario {
  return typeof x === 'object' && x !== null && 'kind' in x && 'scenario' in x && 'context' in x && typeof (x as ValidatedScenario).kind === 'object';
}

/** JSON with object keys sorted at every level (numbers in JavaScript's shortest round-trip form). */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value)) throw new Error(`canonicalJson: non-finite number ${value}`);
    return JSON.stringify(value) ?? 'null';
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/** SHA-256 (hex) of the canonical JSON of a resolved scenario: equal for equal simulations. */
export function scenarioHash(resolved: ResolvedScenario): string {
  return createHash('sha256').update(canonicalJson(resolved)).digest('hex');
}

/** The work a resolved scenario will take (before anything is allocated). */
export function estimateScenario(resolved: ResolvedScenario): WorkEstimate {
  const kind = scenarioKinds().get(resolved.kind);
  if (!kind) throw new InputError({ keyPath: 'kind', value: resolved.kind, expected: `one of ${[...scenarioKinds().keys()].join(', ')}` });
  return kind.estimate(resolved);
}

export interface RunScenarioOptions {
  /** Output folder: created, or replaced only if it is a previous rhizocarb result (see io/atomic.ts). */
  readonly out: string;
  readonly progress?: Progress;
  /** Information lines (notes, warnings). */
  readonly log?: (line: string) => void;
  /** Abort the run: the staging folder is removed and the promise rejects with the reason (an InterruptedError by default). */
  readonly signal?: AbortSignal;
  /** Run even when the work estimate exceeds the kind's documented limit. */
  readonly allowLong?: boolean;
  /** For scenario objects: folder relative paths start from (default cwd) and the name used in error messages. */
  readonly baseDir?: string;
  readonly label?: string;
  /** How the output folder is named in errors ("--out" in the CLI). */
  readonly outLabel?: string;
  /** The command line recorded in summary.json (the CLI passes its argv). */
  readonly commandLine?: readonly string[];
  /** Save a checkpoint every this many steps of the kind (kinds with checkpoints only; see registry CheckpointControl). */
  readonly checkpointEvery?: number;
  /**
   * Continue an interrupted run from its last checkpoint: the `out` folder of that run (its
   * staging folder is found next to it) or the staging folder itself. The scenario must resolve
   * to the same simulation (same scenarioHash).
   */
  readonly resume?: string;
  /**
   * `resume` names a staging folder copied from another attempt's (a sweep task's checkpoint in the
   * result store) into place next to `out`: the output folder it recorded is not checked (the
   * resolved scenario hash, version and kind still are).
   */
  readonly resumeFromCopy?: boolean;
  /** Called (synchronously) after each checkpoint is saved, with the staging folder that holds it and the outputs so far (sweep tasks copy it into the store). */
  readonly onCheckpoint?: (checkpoint: { readonly staging: string; readonly stepsDone: number }) => void;
}

export interface RunSummary {
  readonly scenario: string;
  readonly kind: string;
  readonly status: 'ok' | 'failed';
  readonly checks: readonly Check[];
  readonly balance: Readonly<Record<string, BalanceEntry>>;
  readonly scenarioHash: string;
  readonly scenarioFile: string | null;
  readonly estimate: WorkEstimate;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly wallSeconds: number;
  readonly commandLine: string | null;
  readonly node: string;
  readonly platform: string;
  readonly version: string;
  readonly gitCommit: string | null;
  readonly [key: string]: unknown;
}

export interface RunResult {
  /** `failed` when a balance or an error-severity check failed (outputs are written for inspection; the CLI exits 3). */
  readonly status: 'ok' | 'failed';
  readonly outDir: string;
  readonly summary: RunSummary;
  readonly balance: Readonly<Record<string, BalanceEntry>>;
  readonly checks: readonly Check[];
  /** The checks that failed (errors and warnings). */
  readonly failedChecks: readonly Check[];
  readonly resolved: ResolvedScenario;
}

/** Minimum time between two event-loop turns taken by `checkpoint()`. */
const CHECKPOINT_INTERVAL_MS = 50;

function abortReason(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new InterruptedError(typeof signal.reason === 'string' ? signal.reason : 'abort');
}

/** Apply a kind's tolerances to its reported balances: every declared quantity must be reported, finite and within tolerance. */
export function applyBalancePolicy(kind: ScenarioKind<any, any>, reported: Readonly<Record<string, { relativeError: number }>> | undefined): { balance: Record<string, BalanceEntry>; checks: Check[] } {
  const balance: Record<string, BalanceEntry> = {};
  const checks: Check[] = [];
  for (const q of Object.keys(reported ?? {})) {
    if (!(q in kind.tolerances)) throw new Error(`scenario kind ${kind.kind} reports balance.${q} but declares no tolerance for it`);
  }
  for (const [q, tolerance] of Object.entries(kind.tolerances)) {
    const r = reported?.[q];
    const e = r?.relativeError;
    const passed = typeof e === 'number' && Number.isFinite(e) && Math.abs(e) <= tolerance;
    balance[q] = { ...(r ?? { relativeError: NaN }), relativeError: typeof e === 'number' ? e : NaN, tolerance, passed };
    checks.push({
      name: `balance.${q}`,
      passed,
      severity: 'error',
      value: typeof e === 'number' && Number.isFinite(e) ? e : null,
      message: r === undefined ? `${q} balance not reported by the run` : `relative ${q} balance error ${typeof e === 'number' ? e.toExponential(2) : String(e)} ${passed ? '≤' : 'exceeds'} tolerance ${tolerance.toExponential(0)}${Number.isFinite(e) ? '' : ' (not a finite number)'}`,
    });
  }
  return { balance, checks };
}

/** JSON.stringify with non-finite numbers written as null (JSON has no NaN). */
export function toJson(value: unknown): string {
  return JSON.stringify(value, (_, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2) + '\n';
}

/**
 * Validate, resolve, estimate and run a scenario into `options.out`. Bad input (schema, checks,
 * limits, output folder) throws InputError(s) before anything is written. A finished run writes
 * the kind's outputs, `resolved-scenario.json`, `summary.json` and the result marker, and is
 * committed atomically — also when a check failed (`status: "failed"`, for inspection). An
 * aborted run (options.signal) removes its staging folder and rejects with the abort reason.
 */
export async function runScenario(input: ScenarioInput, options: RunScenarioOptions): Promise<RunResult> {
  const startedAt = new Date();
  const t0 = performance.now();
  const v = validateScenario(input, options);
  const resolved = v.kind.resolve(v.scenario, v.context) as ResolvedScenario;
  const estimate = v.kind.estimate(resolved);
  const log = options.log ?? (() => {});
  if (estimate.workUnits > estimate.limit && !options.allowLong) {
    throw new InputError({
      file: v.context.source.file,
      keyPath: 'estimated work',
      value: Number(estimate.workUnits.toPrecision(3)),
      expected: `at most ${estimate.limit.toExponential(1)} ${estimate.unit} for kind ${v.kind.kind} (this run: ${estimate.description})`,
      detail: 'about 20 minutes on one core; pass --allow-long (library: allowLong: true) to run it anyway, with progress shown',
    });
  }
  const signal = options.signal ?? new AbortController().signal;
  if (signal.aborted) throw abortReason(signal);
  const version = packageVersion();
  const hash = scenarioHash(resolved);
  const every = options.checkpointEvery;
  if ((every !== undefined || options.resume !== undefined) && !v.kind.checkpoints) {
    throw new InputError({ keyPath: every !== undefined ? '--checkpoint-every' : '--resume', value: every ?? options.resume, expected: `a scenario kind that writes checkpoints (${[...scenarioKinds().values()].filter((k) => k.checkpoints).map((k) => k.kind).join(', ')}); kind ${v.kind.kind} does not` });
  }
  if (every !== undefined && !(Number.isInteger(every) && every >= 1)) throw new InputError({ keyPath: '--checkpoint-every', value: every, expected: 'a whole number of steps ≥ 1' });
  let resumed: { staging: string; stepsDone: number; state: unknown } | undefined;
  if (options.resume !== undefined) {
    const staging = findResumableStaging(options.resume);
    const { meta, state } = readCheckpoint(staging);
    if (meta.scenarioHash !== hash) throw new InputError({ keyPath: '--resume', value: options.resume, expected: `a checkpoint of this scenario (its resolved scenario hash ${meta.scenarioHash.slice(0, 12)}… differs from this one's ${hash.slice(0, 12)}…: different inputs or options)` });
    if (meta.version !== version || meta.kind !== v.kind.kind) throw new InputError({ keyPath: '--resume', value: options.resume, expected: `a checkpoint written by rhizocarb ${version} for kind ${v.kind.kind} (it was written by ${meta.version} for ${meta.kind})` });
    if (!options.resumeFromCopy && resolvePath(meta.target) !== resolvePath(options.out)) throw new InputError({ keyPath: '--out', value: options.out, expected: `the output folder of the run being resumed (${meta.target})` });
    resumed = { staging, stepsDone: meta.stepsDone, state };
  }
  const out = new StagedOutputDir(options.out, { kind: v.kind.kind, version, label: options.outLabel ?? 'out', protect: [packageRoot()], adopt: resumed?.staging, inputs: [...(v.kind.inputs?.(resolved) ?? []), ...(v.context.source.file.startsWith('<') || v.context.source.file.startsWith('--') ? [] : [resolvePath(v.context.source.file)])] });
  if (resumed) {
    out.keepOnAbort = true;
    log(`resuming from the checkpoint after step ${resumed.stepsDone} in ${out.staging}`);
  }
  const progress = options.progress ?? silentProgress;
  let last = performance.now();
  const ctx: RunContext = {
    out,
    progress,
    log,
    signal,
    async checkpoint() {
      if (signal.aborted) throw abortReason(signal);
      const now = performance.now();
      if (now - last < CHECKPOINT_INTERVAL_MS) return;
      last = now;
      await new Promise<void>((r) => setImmediate(r));
      if (signal.aborted) throw abortReason(signal);
    },
    checkpoints: {
      resumed: resumed?.state,
      enabled: every !== undefined || resumed !== undefined,
      due: (stepsDone) => every !== undefined && stepsDone % every === 0,
      save(stepsDone, state) {
        writeCheckpoint(out.staging, { kind: v.kind.kind, version, scenarioHash: hash, stepsDone, target: out.target }, state);
        if (!out.keepOnAbort) log(`checkpoint after step ${stepsDone} in ${out.staging}/${CHECKPOINT_DIR}; an interrupted run continues with --resume ${options.out}`);
        out.keepOnAbort = true;
        options.onCheckpoint?.({ staging: out.staging, stepsDone });
      },
    },
  };
  try {
    if (estimate.workUnits > estimate.limit / 20) log(`estimated work: ${estimate.description} = ${estimate.workUnits.toExponential(2)} ${estimate.unit} (limit ${estimate.limit.toExponential(1)})`);
    let result: Awaited<ReturnType<typeof v.kind.run>>;
    try {
      result = await v.kind.run(resolved, ctx);
    } catch (e) {
      // A solver that cannot continue is a failed run (exit 3), written for inspection, not a crash.
      if (!(e instanceof SolverFailure)) throw e;
      result = { checks: [{ name: 'solver', passed: false, severity: 'error', value: e.time_d ?? null, message: `the solver stopped: ${e.message}` }] };
    }
    if (signal.aborted) throw abortReason(signal);
    const { balance: reportedBalance, checks: kindChecks, ...rest } = result;
    const policy = applyBalancePolicy(v.kind, reportedBalance);
    const checks = [...policy.checks, ...(kindChecks ?? [])];
    const status = checks.some((c) => c.severity === 'error' && !c.passed) ? 'failed' : 'ok';
    const finishedAt = new Date();
    const summary: RunSummary = {
      scenario: (resolved.name as string | undefined) ?? v.kind.kind,
      kind: v.kind.kind,
      status,
      checks,
      balance: policy.balance,
      ...rest,
      scenarioHash: hash,
      scenarioFile: v.context.source.file.startsWith('<') ? null : v.context.source.file,
      estimate,
      startedAt: startedAt.toISOString(),
      finishedAt: finishedAt.toISOString(),
      wallSeconds: (performance.now() - t0) / 1000,
      commandLine: options.commandLine ? options.commandLine.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ') : null,
      node: process.version,
      platform: `${process.platform}-${process.arch}`,
      version,
      gitCommit: gitCommit() ?? null,
    };
    out.write('resolved-scenario.json', toJson(resolved));
    out.write('summary.json', toJson(summary));
    out.remove(CHECKPOINT_DIR);
    out.commit();
    return { status, outDir: out.target, summary, balance: policy.balance, checks, failedChecks: checks.filter((c) => !c.passed), resolved };
  } catch (e) {
    out.abort();
    throw e;
  } finally {
    progress.stop();
  }
}

/** Load a scenario file and run it; returns summary.json's content (see {@link runScenario} for the full result). */
export async function runScenarioFile(file: string, outDir: string, options: Omit<RunScenarioOptions, 'out'> & LoadOptions = {}): Promise<RunSummary> {
  return (await runScenario(loadScenarioFile(file, options), { ...options, out: outDir })).summary;
}

/** Read and validate a scenario file (schema and checks, defaults filled); writes nothing. */
export function loadScenario(file: string, options: LoadOptions = {}): ValidatedScenario {
  return validateScenario(loadScenarioFile(file, options));
}
