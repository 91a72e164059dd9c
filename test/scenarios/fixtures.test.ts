import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadScenario } from '../../src/scenarios/run.js';
import { loadSweepFile } from '../../src/scenarios/sweep.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const fixtureRoot = join(root, 'test/fixtures/scenarios');

/** Scenario files written for earlier versions must keep loading (pastas-style compatibility fixtures). */
describe('scenario files from earlier versions still load', () => {
  for (const version of readdirSync(fixtureRoot)) {
    for (const file of readdirSync(join(fixtureRoot, version)).filter((f) => f.endsWith('.yaml'))) {
      it(`${version}/${file}`, () => {
        const loaded = loadScenario(join(fixtureRoot, version, file));
        expect(loaded.kind.kind).toBeTruthy();
      });
    }
  }
  it('every shipped example loads', () => {
    const examples = readdirSync(join(root, 'examples')).filter((f) => f.endsWith('.yaml'));
    expect(examples.length).toBeGreaterThan(0);
    for (const f of examples) {
      const file = join(root, 'examples', f);
      if (/^kind: sweep$/m.test(readFileSync(file, 'utf8'))) expect(loadSweepFile(file).tasks.length).toBeGreaterThan(0);
      else expect(loadScenario(file).kind.kind).toBeTruthy();
    }
  });
});
