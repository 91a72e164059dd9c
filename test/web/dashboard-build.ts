import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Newest modification time of the files under `dir`. */
function newest(dir: string): number {
  let t = 0;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const st = statSync(p);
    t = Math.max(t, st.isDirectory() ? newest(p) : st.mtimeMs);
  }
  return t;
}

/**
 * The dashboard as `npm run build` builds it (dist/dashboard). Rebuilt here only when missing or
 * older than its sources, so a test never runs against a stale app.
 */
export function ensureDashboardBuilt(): string {
  const out = join('dist', 'dashboard');
  const index = join(out, 'index.html');
  const sources = Math.max(newest(join('src', 'webapp')), newest(join('src', 'profile')), newest(join('src', 'rhizosphere')), newest(join('src', 'core')));
  if (!existsSync(index) || statSync(index).mtimeMs < sources) {
    execFileSync(process.execPath, [join('node_modules', 'vite', 'bin', 'vite.js'), 'build', '-c', 'src/webapp/vite.config.ts'], { stdio: 'pipe' });
  }
  return out;
}
