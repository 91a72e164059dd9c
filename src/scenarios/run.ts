import { performance } from 'node:perf_hooks';
import { InputError } from '../core/errors.js';
import { gitCommit, packageVersion } from '../core/paths.js';
import { StagedOutputDir } from '../io/atomic.js';
import { readYamlFile, validateWithSchema, type SourceDocument } from './load.js';
import { scenarioKinds, silentProgress, type Progress, type ScenarioKind } from './registry.js';
import './kinds.js';

export interface LoadedScenario {
  readonly kind: ScenarioKind<unknown>;
  readonly scenario: Record<string, unknown>;
  readonly source: SourceDocument;
}

/** Read, validate (schema, then semantic checks) and resolve defaults; throws InputError(s). Writes nothing. */
export function loadScenario(file: string): LoadedScenario {
  const source = readYamlFile(file);
  const data = source.data;
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new InputError({ file, value: data, expected: 'a YAML mapping with a `kind:` key' });
  }
  const kindName = (data as Record<string, unknown>).kind;
  const kinds = scenarioKinds();
  const kind = typeof kindName === 'string' ? kinds.get(kindName) : undefined;
  if (!kind) {
    throw new InputError({
      file,
      keyPath: 'kind',
      value: kindName,
      ...source.locate(['kind']),
      expected: `one of ${[...kinds.keys()].map((k) => JSON.stringify(k)).join(', ')}`,
    });
  }
  const scenario = validateWithSchema(source, kind.schema) as Record<string, unknown>;
  kind.check?.(scenario, source);
  return { kind, scenario, source };
}

export interface RunOptions {
  progress?: Progress;
  log?: (line: string) => void;
}

/**
 * Validate a scenario file and run it into `outDir`. Outputs appear atomically: on any error
 * nothing is written (earlier results in `outDir` stay as they were).
 */
export async function runScenarioFile(file: string, outDir: string, options: RunOptions = {}): Promise<Record<string, unknown>> {
  const loaded = loadScenario(file);
  const out = new StagedOutputDir(outDir);
  const t0 = performance.now();
  try {
    const ctx = { out, scenarioFile: file, progress: options.progress ?? silentProgress, log: options.log ?? (() => {}) };
    const result = await loaded.kind.run(loaded.scenario, ctx);
    const wallSeconds = (performance.now() - t0) / 1000;
    const provenance = { version: packageVersion(), gitCommit: gitCommit() ?? null, scenarioFile: file, kind: loaded.kind.kind };
    out.write('resolved-scenario.json', JSON.stringify({ ...loaded.scenario, _provenance: provenance }, null, 2) + '\n');
    const summary = {
      scenario: (loaded.scenario.name as string | undefined) ?? loaded.kind.kind,
      kind: loaded.kind.kind,
      version: provenance.version,
      gitCommit: provenance.gitCommit,
      wallSeconds,
      ...result,
    };
    out.write('summary.json', JSON.stringify(summary, null, 2) + '\n');
    out.commit();
    return summary;
  } catch (e) {
    out.abort();
    throw e;
  }
}
