/**
 * Parameters as data: every model parameter is declared once with its symbol, unit, default,
 * admissible range and source. The declarations feed validation, the documentation tables and a
 * contract test that walks the whole registry and rejects any entry without a unit or source.
 */
export interface ParamSpec {
  /** Code name, camelCase with a unit suffix where the unit is not dimensionless. */
  readonly name: string;
  /** The paper's symbol, e.g. "k_ads" or "μ_max,C". */
  readonly symbol: string;
  /** Unit string, e.g. "cm3 water molC-1 d-1"; "1" for dimensionless. */
  readonly unit: string;
  /** Default value in `unit`, or undefined when the value must be given (per parameter set). */
  readonly default?: number;
  /** Inclusive admissible range. */
  readonly min: number;
  readonly max: number;
  /** Where the value comes from ("004 Sec. 2.2.5", "004 Table A2, highMB", ...). */
  readonly source: string;
  readonly description: string;
}

const registry = new Map<string, ParamSpec[]>();

/** Register the parameter declarations of a process module under `moduleName`; returns them. */
export function declareParams<const T extends readonly ParamSpec[]>(moduleName: string, specs: T): T {
  const existing = registry.get(moduleName);
  if (existing) {
    // Idempotent for re-imports of the same module (vitest may load modules twice).
    const names = new Set(existing.map((s) => s.name));
    for (const s of specs) if (!names.has(s.name)) existing.push(s);
  } else registry.set(moduleName, [...specs]);
  return specs;
}

/** All declared parameters, by module. */
export function paramRegistry(): ReadonlyMap<string, readonly ParamSpec[]> {
  return registry;
}

/** Look up a spec by module and name; throws if missing (a programming error, not input). */
export function paramSpec(moduleName: string, name: string): ParamSpec {
  const s = registry.get(moduleName)?.find((p) => p.name === name);
  if (!s) throw new Error(`parameter ${moduleName}.${name} is not declared`);
  return s;
}

/** Render the registry as a Markdown table (docs/PARAMETERS.md is generated from this). */
export function paramsMarkdown(): string {
  const lines: string[] = [];
  for (const [mod, specs] of [...registry.entries()].sort((a, b) => a[0].localeCompare(b[0]))) {
    lines.push(`### ${mod}`, '', '| name | symbol | unit | default | range | source | description |', '|---|---|---|---|---|---|---|');
    for (const s of specs) {
      lines.push(
        `| \`${s.name}\` | ${s.symbol} | ${s.unit} | ${s.default ?? '(per set)'} | [${s.min}, ${s.max}] | ${s.source} | ${s.description} |`,
      );
    }
    lines.push('');
  }
  return lines.join('\n');
}
