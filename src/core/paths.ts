import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { execFileSync } from 'node:child_process';

/**
 * Paths to files shipped with the package. Every source module lives at src/<module>/<file>
 * (compiled to dist/<module>/<file>), so the package root is two levels up in both layouts.
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

/** The git commit of the package checkout, if it is one (undefined for an npm install). */
export function gitCommit(): string | undefined {
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], { cwd: packageRoot(), stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim() || undefined;
  } catch {
    return undefined;
  }
}
