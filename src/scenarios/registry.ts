import type { z } from 'zod';
import type { StagedOutputDir } from '../io/atomic.js';
import type { SourceDocument } from './load.js';

/** Progress reporting from a running scenario (the CLI draws a bar; tests pass a no-op). */
export interface Progress {
  start(total: number, label: string): void;
  update(done: number, info?: Record<string, string | number>): void;
  stop(): void;
}

export const silentProgress: Progress = { start() {}, update() {}, stop() {} };

export interface RunContext {
  /** Where outputs go; committed by the caller when `run` returns. */
  readonly out: StagedOutputDir;
  readonly scenarioFile: string;
  readonly progress: Progress;
  /** Information lines for the user (stderr in the CLI). */
  readonly log: (line: string) => void;
}

/** A kind of scenario (`kind:` in the YAML): its schema, semantic checks and runner. */
export interface ScenarioKind<S = unknown> {
  readonly kind: string;
  readonly description: string;
  readonly schema: z.ZodType<S>;
  /** Second validation pass (names, cross-field ranges); throws InputError(s). */
  check?(scenario: S, source: SourceDocument): void;
  /** Run and write outputs into ctx.out; returns the summary object (also written as summary.json by the caller). */
  run(scenario: S, ctx: RunContext): Promise<Record<string, unknown>>;
}

const kinds = new Map<string, ScenarioKind<unknown>>();

export function registerScenarioKind<S>(k: ScenarioKind<S>): ScenarioKind<S> {
  kinds.set(k.kind, k as ScenarioKind<unknown>);
  return k;
}

export function scenarioKinds(): ReadonlyMap<string, ScenarioKind<unknown>> {
  return kinds;
}
