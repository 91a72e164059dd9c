/**
 * Warnings about data: every dropped, repaired or doubtful horizon or profile is reported, never
 * silently handled. Collected per run and written to warnings.csv / summary.json by the CLI.
 */
export interface ProfileWarning {
  /** Profile (or site) identifier. */
  readonly profile: string;
  /** Horizon label (e.g. "layers.csv:12" or "0–10 cm"); '' for the whole profile. */
  readonly horizon: string;
  /** Stable machine-readable code, e.g. "dropped-negative-depth", "rejected-overlap". */
  readonly code: string;
  readonly message: string;
}

/** Counts of warnings by code. */
export function countWarnings(warnings: readonly ProfileWarning[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const w of warnings) counts[w.code] = (counts[w.code] ?? 0) + 1;
  return counts;
}
