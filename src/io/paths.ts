import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { execFileSync } from 'node:child_process';
import { setPackageDataReader } from '../core/data.js';
import { decodeText } from './files.js';

/**
 * Paths to files shipped with the package. Every source module lives at src/<module>/<file>
 * (compiled to dist/<module>/<file>), so the package root is two levels up in both layouts.
 * Importing this module installs the Node reader of shipped data for `core` and the models.
 */
const ROOT_URL = new URL('../../', import.meta.url);

export function packageRoot(): string {
  return fileURLToPath(ROOT_URL);
}

/** Absolute path of a file under the package's data/ folder. */
export function dataPath(relative: string): string {
  return fileURLToPath(new URL(`data/${relative}`, ROOT_URL));
}

let cachedVersion: string | undefined;
/** The package version from package.json. */
export function packageVersion(): string {
  if (!cachedVersion) {
    const pkg = JSON.parse(readFileSync(fileURLToPath(new URL('package.json', ROOT_URL)), 'utf8')) as { version: string };
    cachedVersion = pkg.version;
  }
  return cachedVersion;
}

let cachedCommit: string | null | undefined;
/** The git commit of the package checkout, if it is one (undefined for an npm install). */
export function gitCommit(): string | undefined {
  if (cachedCommit === undefined) {
    try {
      cachedCommit = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: packageRoot(), stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim() || null;
    } catch {
      cachedCommit = null;
    }
  }
  return cachedCommit ?? undefined;
}

setPackageDataReader((relative) => {
  const source = dataPath(relative);
  return { text: decodeText(readFileSync(source), source), source };
});
