/** Regenerate docs/PARAMETERS.md from the parameter registry: `npm run docs:params`. */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { paramsMarkdown } from '../src/core/params.js';
import '../src/index.js';

export function parametersDoc(): string {
  return `# Parameters\n\nGenerated from the parameter declarations (\`declareParams\`) by \`npm run docs:params\`; do not edit by hand.\nEach parameter: code name, the paper's symbol, unit, default, admissible range, source.\n\n${paramsMarkdown()}`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(fileURLToPath(new URL('../docs/PARAMETERS.md', import.meta.url)), parametersDoc());
}
