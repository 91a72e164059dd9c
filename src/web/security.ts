import { randomBytes, timingSafeEqual } from 'node:crypto';
import { realpathSync, statSync } from 'node:fs';
import { isAbsolute, join, resolve, sep } from 'node:path';

/**
 * The dashboard's file boundary: every path a client names is relative to `--root` and must stay
 * under it after decoding, normalisation and symbolic-link resolution. Hidden entries (`.git`,
 * staging folders `.x.partial-*`, the dashboard's own `.rhizocarb/`) are never served.
 */
export type Resolved = { ok: true; path: string } | { ok: false; status: 403 | 404; reason: string };

const MAX_PATH_CHARS = 4096;

export class RootJail {
  /** The root, absolute and with symbolic links resolved. */
  readonly root: string;

  constructor(root: string) {
    this.root = realpathSync(resolve(root));
  }

  /** True when the absolute, link-free `p` is the root or inside it. */
  contains(p: string): boolean {
    return p === this.root || p.startsWith(this.root.endsWith(sep) ? this.root : this.root + sep);
  }

  /**
   * Resolve a client-supplied path (already URL-decoded once). Refused with 403: absolute paths, `..`
   * segments (also when still percent-encoded), NUL and control characters, anything whose real
   * path (links resolved) leaves the root. 404: missing files and hidden entries.
   */
  resolve(rel: unknown, options: { mustExist?: boolean } = {}): Resolved {
    if (typeof rel !== 'string' || rel.length === 0) return { ok: false, status: 404, reason: 'no path given' };
    if (rel.length > MAX_PATH_CHARS) return { ok: false, status: 403, reason: 'path too long' };
    // eslint-disable-next-line no-control-regex
    if (/[\u0000-\u001f\u007f]/.test(rel)) return { ok: false, status: 403, reason: 'control characters in path' };
    let decoded = rel;
    for (let k = 0; k < 3 && /%[0-9a-f]{2}/i.test(decoded); k++) {
      try {
        decoded = decodeURIComponent(decoded);
      } catch {
        break;
      }
    }
    for (const candidate of [rel, decoded]) {
      if (isAbsolute(candidate) || /^[A-Za-z]:/.test(candidate) || candidate.startsWith('\\') || candidate.startsWith('~')) return { ok: false, status: 403, reason: 'absolute paths are not served' };
      const segments = candidate.split(/[\\/]+/);
      if (segments.includes('..')) return { ok: false, status: 403, reason: 'paths may not leave the root' };
    }
    const segments = rel.split('/').filter((s) => s !== '' && s !== '.');
    if (segments.some((s) => s.startsWith('.'))) return { ok: false, status: 404, reason: 'not found' };
    const full = join(this.root, ...segments);
    if (!this.contains(full)) return { ok: false, status: 403, reason: 'paths may not leave the root' };
    let real: string;
    try {
      real = realpathSync(full);
    } catch {
      if (options.mustExist === false) return this.resolveMissing(full);
      return { ok: false, status: 404, reason: 'not found' };
    }
    if (!this.contains(real)) return { ok: false, status: 403, reason: 'symbolic link leads outside the root' };
    return { ok: true, path: real };
  }

  /** A path that need not exist yet: its nearest existing ancestor must be inside the root. */
  private resolveMissing(full: string): Resolved {
    let p = full;
    while (p !== this.root && p.length > this.root.length) {
      p = resolve(p, '..');
      try {
        const real = realpathSync(p);
        if (!this.contains(real)) return { ok: false, status: 403, reason: 'symbolic link leads outside the root' };
        return { ok: true, path: full };
      } catch {
        // keep walking up
      }
    }
    return { ok: true, path: full };
  }

  /** A regular file under the root (directories and special files are 404). */
  file(rel: unknown): Resolved {
    const r = this.resolve(rel);
    if (!r.ok) return r;
    try {
      if (!statSync(r.path).isFile()) return { ok: false, status: 404, reason: 'not a file' };
    } catch {
      return { ok: false, status: 404, reason: 'not found' };
    }
    return r;
  }
}

/** A random access token for a dashboard reachable beyond loopback (printed once at start). */
export function newToken(): string {
  return randomBytes(24).toString('base64url');
}

/** Constant-time comparison of a presented token with the expected one. */
export function tokenMatches(presented: string | undefined | null, expected: string): boolean {
  if (!presented) return false;
  const a = Buffer.from(presented);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Addresses that are loopback (the default binding; no token needed there). */
export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h);
}
