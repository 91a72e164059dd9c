/**
 * Keeps the arrows of docs/ARCHITECTURE.md honest: every import between src/ modules must be
 * allowed by ALLOWED below. Run by `npm run lint:arch` and by test/architecture.test.ts.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, dirname, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** module → modules it may import (besides itself). Mirrors docs/ARCHITECTURE.md. */
export const ALLOWED: Record<string, readonly string[]> = {
  core: [],
  numerics: ['core'],
  soil: ['numerics', 'core'],
  rhizosphere: ['soil', 'numerics', 'core'],
  plant: ['soil', 'numerics', 'core'],
  coupling: ['plant', 'rhizosphere', 'soil', 'numerics', 'core'],
  profile: ['numerics', 'core'],
  pedon: ['profile', 'numerics', 'core'],
  learning: ['numerics', 'core'],
  analysis: ['numerics', 'core'],
  io: ['core'],
  engine: ['io', 'core'],
  scenarios: ['engine', 'analysis', 'coupling', 'plant', 'rhizosphere', 'soil', 'profile', 'pedon', 'learning', 'numerics', 'io', 'core'],
  sweeps: ['scenarios', 'engine', 'io', 'core'],
  benchmarks: ['coupling', 'plant', 'rhizosphere', 'soil', 'numerics', 'io', 'core'],
  cli: ['web', 'sweeps', 'scenarios', 'engine', 'benchmarks', 'analysis', 'coupling', 'plant', 'rhizosphere', 'soil', 'profile', 'pedon', 'learning', 'numerics', 'io', 'core'],
  web: ['webapp', 'sweeps', 'scenarios', 'io', 'core'],
  webapp: ['profile', 'rhizosphere', 'soil', 'numerics', 'core'],
  api: ['sweeps', 'scenarios', 'benchmarks', 'analysis', 'coupling', 'plant', 'rhizosphere', 'soil', 'profile', 'pedon', 'learning', 'numerics', 'io', 'core'],
  '.': ['*'],
};

/**
 * Files allowed a dynamic import of a computed path: the worker pool's generic worker imports the
 * task module its caller names (a file URL from `taskModule(import.meta.url, '../learning/tasks')`
 * in scenarios or cli, so the arrow is the caller's and is allowed there).
 */
export const COMPUTED_IMPORT_ALLOWED = ['src/engine/worker.ts'] as const;

/** Modules that must run in a browser and in worker threads: they read no files and spawn nothing. */
export const PURE_MODULES = ['core', 'numerics', 'soil', 'rhizosphere', 'plant', 'coupling', 'analysis', 'profile', 'pedon', 'learning'] as const;
/** Node built-ins those modules may not import (file system, processes, network). */
const IMPURE_BUILTINS = /^(node:)?(fs|fs\/promises|child_process|net|http|https|dgram)$/;

export interface Violation {
  file: string;
  imported: string;
  from: string;
  to: string;
}

/**
 * Every module specifier in a source text: `import … from 'x'`, `export … from 'x'`, bare
 * side-effect imports `import 'x'`, and dynamic `import('x')` (a dynamic import of a computed
 * path is reported as `(computed)`, since it cannot be checked).
 */
export function importSpecifiers(text: string): string[] {
  // Comments may mention imports; strings may not hold code we care about. Strip comments only.
  const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`\\])\/\/.*$/gm, '$1');
  const specs: string[] = [];
  const re = /(?:^|[;\s])(?:import|export)\s[^'"`;]*?\sfrom\s*['"]([^'"]+)['"]|(?:^|[;\s])import\s*['"]([^'"]+)['"]|\bimport\s*\(\s*(?:['"]([^'"]+)['"]\s*\)|([^)'"\s][^)]*)\))/gm;
  for (let m = re.exec(code); m; m = re.exec(code)) specs.push(m[1] ?? m[2] ?? m[3] ?? `(computed: ${m[4].trim()})`);
  return specs;
}

function walk(dir: string, out: string[]): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (p.endsWith('.ts') || p.endsWith('.tsx')) out.push(p);
  }
  return out;
}

export function checkArchitecture(root: string): { violations: Violation[]; unknownModules: string[]; files: number } {
  const src = join(root, 'src');
  const files = walk(src, []);
  const violations: Violation[] = [];
  const unknown = new Set<string>();
  const moduleOf = (p: string): string => {
    const rel = relative(src, p).split(/[\\/]/);
    return rel.length === 1 ? '.' : rel[0];
  };
  for (const f of files) {
    const from = moduleOf(f);
    if (!(from in ALLOWED)) unknown.add(from);
    const text = readFileSync(f, 'utf8');
    for (const spec of importSpecifiers(text)) {
      if (spec.startsWith('(computed')) {
        if ((COMPUTED_IMPORT_ALLOWED as readonly string[]).includes(relative(root, f).split('\\').join('/'))) continue;
        violations.push({ file: relative(root, f), imported: spec, from, to: '(dynamic import of a computed path: cannot be checked)' });
        continue;
      }
      if (!spec.startsWith('.')) {
        if ((PURE_MODULES as readonly string[]).includes(from) && IMPURE_BUILTINS.test(spec)) violations.push({ file: relative(root, f), imported: spec, from, to: `${spec} (models and core read no files: use io)` });
        continue;
      }
      const target = resolve(dirname(f), spec);
      // The dashboard bundles shipped data files (`data/…?raw`) into the browser calculators.
      if (from === 'webapp' && spec.endsWith('?raw') && target.startsWith(join(root, 'data') + sep)) continue;
      if (!target.startsWith(src)) {
        violations.push({ file: relative(root, f), imported: spec, from, to: '(outside src)' });
        continue;
      }
      const to = moduleOf(target);
      if (to === from) continue;
      const allowed = ALLOWED[from] ?? [];
      if (!allowed.includes(to) && !allowed.includes('*')) violations.push({ file: relative(root, f), imported: spec, from, to });
    }
  }
  return { violations, unknownModules: [...unknown], files: files.length };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
  const { violations, unknownModules, files } = checkArchitecture(root);
  for (const v of violations) console.error(`${v.file}: ${v.from} → ${v.to} (import '${v.imported}') is not allowed`);
  for (const m of unknownModules) console.error(`src/${m}/ is not in the architecture (add it to docs/ARCHITECTURE.md and ALLOWED)`);
  console.log(`checked ${files} files: ${violations.length} violations, ${unknownModules.length} unknown modules`);
  process.exitCode = violations.length + unknownModules.length > 0 ? 1 : 0;
}
