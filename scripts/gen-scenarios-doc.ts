/** Regenerate schemas/*.json and the key reference in docs/SCENARIOS.md from the zod schemas: `npm run docs:scenarios`. */
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { schemaFiles, scenariosDoc } from '../src/scenarios/json-schema.js';
import '../src/io/paths.js';

export const SCHEMA_DIR = fileURLToPath(new URL('../schemas/', import.meta.url));
export const SCENARIOS_MD = fileURLToPath(new URL('../docs/SCENARIOS.md', import.meta.url));

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  mkdirSync(SCHEMA_DIR, { recursive: true });
  const files = schemaFiles();
  for (const f of readdirSync(SCHEMA_DIR)) if (f.endsWith('.json') && !files.has(f)) rmSync(SCHEMA_DIR + f);
  for (const [name, text] of files) writeFileSync(SCHEMA_DIR + name, text);
  writeFileSync(SCENARIOS_MD, scenariosDoc(readFileSync(SCENARIOS_MD, 'utf8')));
  console.log(`wrote ${files.size} schemas to schemas/ and the key reference of docs/SCENARIOS.md`);
}
