import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as rhizocarb from '../src/index.js';

/** `values:` lines of docs/API.md by section: "(top level)" or the namespace name. */
function documentedValues(): Map<string, string[]> {
  const md = readFileSync(new URL('../docs/API.md', import.meta.url), 'utf8');
  const out = new Map<string, string[]>();
  let section = '';
  for (const line of md.split('\n')) {
    const h = /^### `?([^`]+)`?$/.exec(line);
    if (h) section = h[1];
    const v = /^values: (.*)$/.exec(line);
    if (v) out.set(section, [...v[1].matchAll(/`([^`]+)`/g)].map((m) => m[1]).sort());
  }
  return out;
}

describe('public API', () => {
  it('the package entry exports exactly the namespaces and names listed in docs/API.md', () => {
    const doc = documentedValues();
    const actual = new Map<string, string[]>();
    const top: string[] = [];
    for (const [k, v] of Object.entries(rhizocarb)) {
      if (typeof v === 'object' && v !== null && Object.prototype.toString.call(v) === '[object Module]') actual.set(k, Object.keys(v).sort());
      else top.push(k);
    }
    actual.set('(top level)', top.sort());
    expect([...actual.keys()].sort()).toEqual([...doc.keys()].sort());
    for (const [ns, names] of actual) expect(names, ns).toEqual(doc.get(ns));
    const count = [...actual.values()].reduce((a, n) => a + n.length, 0);
    console.log(`public API: ${actual.size - 1} namespaces, ${count} values`);
  });

  it('a scenario runs from the package entry (library use, no deep imports)', async () => {
    const r = rhizocarb.resolveScenario({ kind: 'single-root', forcing: { waterUptake: { shape: 'constant', value: 0.01, unit: 'cm d-1' }, exudation: { shape: 'constant', value: 0, unit: 'mol C cm-2 d-1' }, mucilage: { shape: 'constant', value: 0, unit: 'mol C cm-2 d-1' } } });
    expect(r.kind).toBe('single-root');
    expect(rhizocarb.scenarioHash(r)).toBe(rhizocarb.scenarios.scenarioHash(r));
    expect(rhizocarb.scenarios.estimateScenario(r).unit).toBe('cell-steps');
  });
});
