import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_BODY_BYTES, startServer, type RunningServer } from '../../src/web/server.js';
import { RootJail } from '../../src/web/security.js';

const tmp = mkdtempSync(join(tmpdir(), 'rhizocarb-serve-'));
const root = join(tmp, 'results');
const secret = join(tmp, 'secret.txt');
let server: RunningServer;

beforeAll(async () => {
  mkdirSync(join(root, 'run-a', 'plots'), { recursive: true });
  writeFileSync(join(root, 'run-a', 'summary.json'), JSON.stringify({ scenario: 'a', kind: 'single-root', balance: { carbon: { relativeError: 1e-15, tolerance: 1e-9, passed: true } }, totals: { co2_molC: 1e-6 } }));
  writeFileSync(join(root, 'run-a', 'plots', 'p.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  writeFileSync(join(root, '.hidden'), 'hidden');
  writeFileSync(secret, 'SECRET');
  symlinkSync(secret, join(root, 'run-a', 'link-out.txt'));
  symlinkSync(tmp, join(root, 'dir-out'));
  server = await startServer({ root, port: 0 });
});
afterAll(async () => {
  await server?.close();
  rmSync(tmp, { recursive: true, force: true });
});

/** A raw HTTP request (no URL normalisation by the client), to 127.0.0.1 unless told otherwise. */
function raw(path: string, opts: { method?: string; host?: string; port?: number; headers?: Record<string, string>; body?: Buffer | string; address?: string } = {}): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: opts.address ?? '127.0.0.1', port: opts.port ?? server.port, path, method: opts.method ?? 'GET', headers: { Host: opts.host ?? `127.0.0.1:${opts.port ?? server.port}`, ...opts.headers }, setHost: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
    });
    req.on('error', reject);
    if (opts.body) req.end(opts.body);
    else req.end();
  });
}

describe('dashboard server: files only from under --root', () => {
  it('serves a result file by its path relative to the root', async () => {
    const r = await raw('/api/file?path=run-a/summary.json');
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body).scenario).toBe('a');
    expect(String(r.headers['content-security-policy'])).toContain('sandbox');
  });

  const attempts = [
    '../../etc/passwd', '..%2f..%2fetc%2fpasswd', '%2e%2e%2f%2e%2e%2fetc%2fpasswd', '%252e%252e%252f%252e%252e%252fetc%252fpasswd', '..%5c..%5cetc%5cpasswd',
    '/etc/passwd', '%2fetc%2fpasswd', 'run-a/../../secret.txt', 'run-a/%2e%2e/%2e%2e/secret.txt', '....//....//etc/passwd', '..', '.%2e/secret.txt',
    'run-a/link-out.txt', 'dir-out/secret.txt', '.hidden', 'run-a%00/summary.json', '~/.bashrc', 'C:%5cWindows%5cwin.ini',
  ];
  it.each(attempts)('refuses %s with 403 or 404 and never returns the file outside', async (p) => {
    const r = await raw(`/api/file?path=${p}`);
    expect([403, 404]).toContain(r.status);
    expect(r.body).not.toContain('SECRET');
    expect(r.body).not.toContain('root:');
  });

  it('the jail resolves symbolic links before deciding', () => {
    const jail = new RootJail(root);
    expect(jail.file('run-a/link-out.txt')).toMatchObject({ ok: false, status: 403 });
    expect(jail.resolve('dir-out')).toMatchObject({ ok: false, status: 403 });
    expect(jail.file('run-a/summary.json').ok).toBe(true);
  });

  it('run ids are confined the same way', async () => {
    expect((await raw('/api/run?id=..%2f..')).status).toBe(403);
    expect((await raw('/api/report?id=dir-out')).status).toBe(403);
    expect((await raw('/api/run?id=run-a')).status).toBe(200);
  });
});

describe('dashboard server: request limits, origin and binding', () => {
  it(`answers a 50 MB POST with 413 before reading it (limit ${MAX_BODY_BYTES} bytes)`, async () => {
    const body = Buffer.alloc(50 * 1024 * 1024, 0x20);
    const t0 = Date.now();
    const r = await raw('/api/validate', { method: 'POST', headers: { 'Content-Type': 'application/json', 'Content-Length': String(body.length) }, body });
    console.log(`50 MB POST answered with ${r.status} in ${Date.now() - t0} ms`);
    expect(r.status).toBe(413);
  });

  it('answers a chunked body that grows past the limit with 413', async () => {
    const r = await raw('/api/validate', { method: 'POST', headers: { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' }, body: Buffer.alloc(MAX_BODY_BYTES + 10, 0x20) });
    expect(r.status).toBe(413);
  });

  it('refuses other Host names (DNS rebinding), cross-origin POSTs and non-JSON POSTs', async () => {
    expect((await raw('/api/runs', { host: 'evil.example:80' })).status).toBe(403);
    expect((await raw('/api/validate', { method: 'POST', headers: { 'Content-Type': 'application/json', Origin: 'http://evil.example' }, body: '{}' })).status).toBe(403);
    expect((await raw('/api/validate', { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: '{}' })).status).toBe(415);
  });

  it('binds 127.0.0.1 only by default: another loopback address of this machine gets no answer', async () => {
    expect(server.host).toBe('127.0.0.1');
    expect(server.token).toBeNull();
    const refused = await new Promise<string>((resolve) => {
      const s = connect({ host: '127.0.0.2', port: server.port });
      s.on('connect', () => (s.destroy(), resolve('connected')));
      s.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'error'));
    });
    expect(refused).toBe('ECONNREFUSED');
  });

  it('with --host, every request needs the printed token', async () => {
    const other = await startServer({ root, port: 0, host: '127.0.0.2' });
    try {
      expect(other.token).toMatch(/^[A-Za-z0-9_-]{32}$/);
      expect(other.url).toContain(`?token=${other.token}`);
      const opts = { address: '127.0.0.2', port: other.port, host: `127.0.0.2:${other.port}` };
      expect((await raw('/api/runs', opts)).status).toBe(401);
      expect((await raw('/api/runs', { ...opts, headers: { 'X-Rhizocarb-Token': 'wrong' } })).status).toBe(401);
      expect((await raw('/api/runs', { ...opts, headers: { Authorization: `Bearer ${other.token}` } })).status).toBe(200);
      const viaUrl = await raw(`/api/info?token=${other.token}`, opts);
      expect(viaUrl.status).toBe(200);
      expect(String(viaUrl.headers['set-cookie'])).toContain('HttpOnly');
      expect((await raw('/api/runs', { ...opts, headers: { Cookie: `rhizocarb_token=${other.token}` } })).status).toBe(200);
    } finally {
      await other.close();
    }
  });
});

describe('dashboard server: scenarios launched from the dashboard', () => {
  const post = (path: string, body: unknown) => raw(path, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });

  it('reports validation errors at the field (key path), as the CLI would', async () => {
    const r = await post('/api/validate', { scenario: { kind: 'single-root', time: { days: -1 } } });
    const v = JSON.parse(r.body) as { ok: boolean; errors: { keyPath: string; message: string }[] };
    expect(v.ok).toBe(false);
    expect(v.errors.map((e) => e.keyPath)).toEqual(expect.arrayContaining(['time.days', 'forcing']));
    expect(v.errors.find((e) => e.keyPath === 'time.days')!.message).toContain('got -1');
  });

  it('refuses scenario files that reference files outside the root', async () => {
    for (const ref of [secret, '../secret.txt', 'run-a/link-out.txt']) {
      const r = await post('/api/launch', { scenario: { kind: 'plant', plant: { file: ref } } });
      expect(r.status).toBe(422);
      const v = JSON.parse(r.body) as { errors: { keyPath: string; message: string }[] };
      expect(v.errors[0].keyPath).toBe('plant.file');
      expect(v.errors[0].message).toContain("expected a file under the dashboard's root");
    }
    expect(readFileSync(secret, 'utf8')).toBe('SECRET');
  });

  it('refuses run names that are not plain folder names', async () => {
    const scenario = JSON.parse(JSON.stringify({ kind: 'single-root', forcing: { waterUptake: { shape: 'constant', value: 0, unit: 'cm d-1' }, exudation: { shape: 'constant', value: 0, unit: 'mol C cm-2 d-1' }, mucilage: { shape: 'constant', value: 0, unit: 'mol C cm-2 d-1' } } }));
    const r = await post('/api/launch', { scenario, name: '../../escape' });
    expect(r.status).toBe(422);
    expect(r.body).toContain('a run name of letters');
  });
});
