import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { checkArchitecture } from '../scripts/check-architecture.js';
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
});
