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
  io: ['core'],
  scenarios: ['coupling', 'plant', 'rhizosphere', 'soil', 'profile', 'pedon', 'learning', 'numerics', 'io', 'core'],
  benchmarks: ['coupling', 'plant', 'rhizosphere', 'soil', 'numerics', 'io', 'core'],
  cli: ['web', 'scenarios', 'benchmarks', 'coupling', 'plant', 'rhizosphere', 'soil', 'profile', 'pedon', 'learning', 'numerics', 'io', 'core'],
  web: ['webapp', 'scenarios', 'io', 'core'],
  webapp: ['profile', 'rhizosphere', 'soil', 'numerics', 'core'],
  '.': ['*'],
};

export interface Violation {
  file: string;
  imported: string;
  from: string;
  to: string;
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
    const re = /(?:import|export)\s[^'"]*?from\s+['"](\.[^'"]+)['"]|import\(\s*['"](\.[^'"]+)['"]\s*\)/g;
    for (let m = re.exec(text); m; m = re.exec(text)) {
      const spec = m[1] ?? m[2];
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
  for (const v of violations) console.error(`${v.file}: ${v.from} → ${v.to} (import '${v.imported}') is not an allowed arrow`);
  for (const m of unknownModules) console.error(`src/${m}/ is not in the architecture (add it to docs/ARCHITECTURE.md and ALLOWED)`);
  console.log(`checked ${files} files: ${violations.length} violations, ${unknownModules.length} unknown modules`);
  process.exitCode = violations.length + unknownModules.length > 0 ? 1 : 0;
}
