import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkArchitecture, importSpecifiers } from '../scripts/check-architecture.js';
import { paramRegistry } from '../src/core/params.js';
import '../src/index.js';

describe('architecture and contracts', () => {
  it('every import between src/ modules follows an allowed arrow of docs/ARCHITECTURE.md', () => {
    const root = fileURLToPath(new URL('..', import.meta.url));
    const { violations, unknownModules, files } = checkArchitecture(root);
    expect(files).toBeGreaterThan(10);
    expect(unknownModules).toEqual([]);
    expect(violations).toEqual([]);
  });

  it('the check sees bare side-effect imports, dynamic import(), re-exports and file-system imports in models; not comments', () => {
    const root = mkdtempSync(join(tmpdir(), 'rhizocarb-arch-'));
    for (const m of ['soil', 'numerics', 'io', 'cli']) mkdirSync(join(root, 'src', m), { recursive: true });
    writeFileSync(join(root, 'src/io/x.ts'), 'export const x = 1;\n');
    writeFileSync(join(root, 'src/cli/y.ts'), 'export const y = 1;\n');
    writeFileSync(
      join(root, 'src/soil/a.ts'),
      [
        "import '../io/x.js';",
        "const m = await import('../cli/y.js');",
        'const name = "../cli/y.js";',
        'const n = await import(name);',
        "import { readFileSync } from 'node:fs';",
        "// import '../cli/commented.js';",
        '/* import { z } from "../cli/block.js"; */',
        "import type { Q } from\n  '../io/x.js';",
        'export {};',
      ].join('\n'),
    );
    writeFileSync(join(root, 'src/numerics/b.ts'), "export * from '../io/x.js';\nimport { y } from '../soil/a.js';\n");
    const { violations } = checkArchitecture(root);
    const found = violations.map((v) => `${v.file} ${v.imported}`);
    expect(found.sort()).toEqual(
      [
        'src/numerics/b.ts ../io/x.js',
        'src/numerics/b.ts ../soil/a.js',
        'src/soil/a.ts ../cli/y.js',
        'src/soil/a.ts ../io/x.js',
        'src/soil/a.ts ../io/x.js',
        'src/soil/a.ts (computed: name)',
        'src/soil/a.ts node:fs',
      ].sort(),
    );
    expect(importSpecifiers("import a, { b } from './c.js'; export { d } from './e.js'")).toEqual(['./c.js', './e.js']);
  });

  it('every declared parameter has a unit, a source, a description and a consistent range', () => {
    const reg = paramRegistry();
    expect(reg.size).toBeGreaterThan(0);
    const problems: string[] = [];
    for (const [mod, specs] of reg) {
      for (const s of specs) {
        const id = `${mod}.${s.name}`;
        if (!s.unit || !s.unit.trim()) problems.push(`${id}: no unit`);
        if (!s.source || !s.source.trim()) problems.push(`${id}: no source`);
        if (!s.description || !s.description.trim()) problems.push(`${id}: no description`);
        if (!s.symbol) problems.push(`${id}: no symbol`);
        if (!(s.min <= s.max)) problems.push(`${id}: min ${s.min} > max ${s.max}`);
        if (s.default !== undefined && !(s.default >= s.min && s.default <= s.max)) problems.push(`${id}: default ${s.default} outside [${s.min}, ${s.max}]`);
      }
    }
    expect(problems).toEqual([]);
  });
});

describe('generated documentation', () => {
  it('docs/PARAMETERS.md is up to date with the parameter declarations (regenerate: npm run docs:params)', async () => {
    const { readFileSync } = await import('node:fs');
    const { parametersDoc } = await import('../scripts/gen-params-doc.js');
    const committed = readFileSync(new URL('../docs/PARAMETERS.md', import.meta.url), 'utf8');
    expect(committed).toBe(parametersDoc());
  });
  it('src/numerics/linalg/block-tridiagonal-kernels.ts is what scripts/gen-block-kernels.ts generates (regenerate: npx tsx scripts/gen-block-kernels.ts)', async () => {
    const { readFileSync } = await import('node:fs');
    const { blockKernelsSource } = await import('../scripts/gen-block-kernels.js');
    const committed = readFileSync(new URL('../src/numerics/linalg/block-tridiagonal-kernels.ts', import.meta.url), 'utf8');
    expect(committed).toBe(blockKernelsSource());
  });
});
