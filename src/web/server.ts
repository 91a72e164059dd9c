import { createReadStream, existsSync, mkdirSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, isAbsolute, join, relative, resolve as resolvePath, sep } from 'node:path';
import { gitCommit, packageRoot, packageVersion } from '../io/paths.js';
import type { FieldError, ServerInfo } from '../webapp/api.js';
import { checkScenario as validateScenarioObject, fileReferences, kindsInfo, type Validation } from './contract.js';
import { JobManager } from './jobs.js';
import { renderReport } from './report.js';
import { newToken, RootJail, tokenMatches } from './security.js';
import { openRunIndex, type RunIndex } from './run-index.js';

/**
 * `rhizocarb serve`: the local dashboard. Plain node:http, no framework. Security model
 * (docs/DASHBOARD.md): bound to 127.0.0.1 unless a host is given, and then every request needs the
 * token printed at start; requests must name this server in `Host` (no DNS rebinding); POSTs must be
 * JSON from this origin (no cross-site requests); bodies over {@link MAX_BODY_BYTES} get 413; every
 * file path is confined to the root by {@link RootJail}; launched scenarios may reference only files
 * under the root.
 */
export interface ServeOptions {
  readonly root: string;
  /** 0 picks a free port. */
  readonly port?: number;
  /** Address to bind. Absent: 127.0.0.1, no token. Given: a token is required. */
  readonly host?: string;
  /** Token to require (default: a new random one when `host` is given). */
  readonly token?: string;
  /** Built browser app (default: dist/dashboard of the package). */
  readonly appDir?: string;
  /** Scenario runs at once (default 1). */
  readonly maxJobs?: number;
}

export interface RunningServer {
  readonly url: string;
  readonly host: string;
  readonly port: number;
  readonly token: string | null;
  readonly server: Server;
  readonly jobs: JobManager;
  close(): Promise<void>;
}

export const MAX_BODY_BYTES = 1024 * 1024;
const TOKEN_COOKIE = 'rhizocarb_token';
const SAFE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8', '.csv': 'text/csv; charset=utf-8', '.txt': 'text/plain; charset=utf-8', '.md': 'text/plain; charset=utf-8',
  '.yaml': 'text/plain; charset=utf-8', '.yml': 'text/plain; charset=utf-8', '.svg': 'image/svg+xml', '.png': 'image/png', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg',
  '.webp': 'image/webp', '.gif': 'image/gif', '.parquet': 'application/vnd.apache.parquet', '.vtp': 'application/xml', '.pvd': 'application/xml', '.ico': 'image/x-icon',
  '.tif': 'image/tiff', '.tiff': 'image/tiff', '.woff2': 'font/woff2',
};

/** Responses for result files: never executed as a page of this origin (a result folder is data). */
const FILE_CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'; sandbox";
const APP_CSP = "default-src 'self'; script-src 'self'; worker-src 'self' blob:; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

class HttpError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

function baseHeaders(res: ServerResponse): void {
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

function sendError(res: ServerResponse, status: number, message: string, close = false): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  if (close) res.setHeader('Connection', 'close');
  sendJson(res, status, { error: message });
}

/** Read a JSON body of at most `limit` bytes; larger bodies are refused with 413 before reading them. */
function readJsonBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<unknown> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) return Promise.reject(new HttpError(413, `request body of ${declared} bytes exceeds the limit of ${limit} bytes`));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    req.on('data', (c: Buffer) => {
      if (failed) return;
      size += c.length;
      if (size > limit) {
        failed = true;
        reject(new HttpError(413, `request body exceeds the limit of ${limit} bytes`));
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => {
      if (failed) return;
      try {
        resolve(chunks.length ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : {});
      } catch {
        reject(new HttpError(400, 'request body is not valid JSON'));
      }
    });
    req.on('error', (e) => {
      if (!failed) reject(e);
    });
  });
}

function cookie(req: IncomingMessage, name: string): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return v.join('=');
  }
  return undefined;
}

export async function startServer(options: ServeOptions): Promise<RunningServer> {
  const rootDir = options.root;
  mkdirSync(rootDir, { recursive: true });
  const jail = new RootJail(rootDir);
  const root = jail.root;
  const explicitHost = options.host !== undefined;
  const bindHost = options.host ?? '127.0.0.1';
  const token = explicitHost ? (options.token ?? newToken()) : null;
  const appDir = options.appDir ?? join(packageRoot(), 'dist', 'dashboard');
  const index: RunIndex = openRunIndex(root);
  const jobs = new JobManager({ root, maxConcurrent: options.maxJobs ?? 1 });
  const appJail = existsSync(appDir) ? new RootJail(appDir) : null;
  const packageData = join(packageRoot(), 'data');
  let port = options.port ?? 8787;

  const allowedHosts = (): Set<string> => new Set(['127.0.0.1', 'localhost', '[::1]'].map((h) => `${h}:${port}`));

  const info: ServerInfo = { version: packageVersion(), commit: gitCommit() ?? null, root, index: index.source };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    baseHeaders(res);
    const host = req.headers.host ?? '';
    if (!explicitHost && !allowedHosts().has(host.toLowerCase())) throw new HttpError(403, `this dashboard answers only to 127.0.0.1:${port} / localhost:${port} (got Host: ${host || 'none'})`);
    const url = new URL(req.url ?? '/', `http://${host || 'localhost'}`);
    if (token) {
      const presented = req.headers['x-rhizocarb-token'] ?? (req.headers.authorization?.startsWith('Bearer ') ? req.headers.authorization.slice(7) : undefined) ?? cookie(req, TOKEN_COOKIE) ?? url.searchParams.get('token');
      if (!tokenMatches(Array.isArray(presented) ? presented[0] : presented, token)) throw new HttpError(401, 'this dashboard needs the token printed when it started (open the printed URL)');
      if (url.searchParams.get('token')) res.setHeader('Set-Cookie', `${TOKEN_COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`);
    }
    if (req.method === 'POST') {
      const origin = req.headers.origin;
      if (origin && origin !== `http://${host}`) throw new HttpError(403, 'cross-origin requests are refused');
      if (!/^application\/json\b/i.test(req.headers['content-type'] ?? '')) throw new HttpError(415, 'POST bodies must be application/json');
    } else if (req.method !== 'GET' && req.method !== 'HEAD') throw new HttpError(405, `method ${req.method} not allowed`);

    const p = url.pathname;
    if (p.startsWith('/api/')) return api(req, res, url);
    return serveApp(res, p);
  };

  const api = async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> => {
    const q = url.searchParams;
    const route = `${req.method === 'HEAD' ? 'GET' : req.method} ${url.pathname}`;
    switch (route) {
      case 'GET /api/info':
        return sendJson(res, 200, info);
      case 'GET /api/runs':
        return sendJson(res, 200, await index.list({ text: q.get('text') ?? undefined, kind: q.get('kind') ?? undefined, status: q.get('status') ?? undefined }));
      case 'GET /api/run': {
        const id = runId(q.get('id'));
        const d = await index.get(id);
        if (!d) throw new HttpError(404, `no run ${id}`);
        return sendJson(res, 200, d);
      }
      case 'GET /api/file': {
        const r = jail.file(q.get('path'));
        if (!r.ok) throw new HttpError(r.status, r.reason);
        const st = statSync(r.path);
        res.writeHead(200, { 'Content-Type': MIME[extname(r.path).toLowerCase()] ?? 'application/octet-stream', 'Content-Length': st.size, 'Content-Security-Policy': FILE_CSP, 'Cache-Control': 'no-cache' });
        if (req.method === 'HEAD') return void res.end();
        createReadStream(r.path).pipe(res);
        return;
      }
      case 'GET /api/report': {
        const id = runId(q.get('id'));
        const html = renderReport(id === '.' ? root : join(root, ...id.split('/')));
        if (html === null) throw new HttpError(404, `no run ${id}`);
        res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Security-Policy': FILE_CSP, 'Cache-Control': 'no-store' });
        return void res.end(html);
      }
      case 'GET /api/kinds':
        return sendJson(res, 200, kindsInfo());
      case 'POST /api/validate': {
        const body = (await readJsonBody(req)) as { scenario?: unknown };
        const v = checkScenario(body.scenario);
        return sendJson(res, 200, v.ok ? { ok: true, errors: [] } : { ok: false, errors: v.errors });
      }
      case 'POST /api/launch': {
        const body = (await readJsonBody(req)) as { scenario?: unknown; name?: unknown };
        const v = checkScenario(body.scenario);
        if (!v.ok) return sendJson(res, 422, { ok: false, errors: v.errors });
        const name = typeof body.name === 'string' && body.name ? body.name : v.name;
        if (!SAFE_NAME.test(name)) return sendJson(res, 422, { ok: false, errors: [{ keyPath: 'name', message: `got ${JSON.stringify(name)}, expected a run name of letters, digits, '.', '_' or '-' (at most 64)` }] });
        return sendJson(res, 202, jobs.launch(body.scenario as Record<string, unknown>, name, v.kind));
      }
      case 'GET /api/jobs':
        return sendJson(res, 200, jobs.list());
      case 'GET /api/job': {
        const j = jobs.get(q.get('id') ?? '');
        if (!j) throw new HttpError(404, 'no such job');
        return sendJson(res, 200, j);
      }
      case 'POST /api/job/cancel': {
        const id = q.get('id') ?? '';
        if (!jobs.get(id)) throw new HttpError(404, 'no such job');
        return sendJson(res, 200, { cancelled: jobs.cancel(id), job: jobs.get(id) });
      }
      case 'GET /api/job/events':
        return jobEvents(req, res, q.get('id') ?? '');
      default:
        throw new HttpError(404, `no API route ${route}`);
    }
  };

  /** A run id from the client: a folder under the root (403/404 otherwise). */
  const runId = (id: string | null): string => {
    if (id === '.' || id === '') return '.';
    const r = jail.resolve(id);
    if (!r.ok) throw new HttpError(r.status, r.reason);
    return id!.split('/').filter((s) => s && s !== '.').join('/');
  };

  /** Files a launched scenario names must be under the root (the package's own data/ is allowed for defaults). */
  const confined = (path: string, keyPath: string): FieldError | null => {
    const rel = isAbsolute(path) ? relative(root, path) : path;
    const r = jail.resolve(rel);
    if (r.ok) return null;
    if (isAbsolute(path) && resolvePath(path).startsWith(packageData + sep)) return null;
    return { keyPath, message: `got ${JSON.stringify(path)}, expected a file under the dashboard's root ${root} (${r.status === 404 ? 'no such file' : r.reason})` };
  };

  const checkScenario = (scenario: unknown): Validation => {
    // Before validation, which may read the files a scenario names.
    const before = fileReferences(scenario).map((ref) => confined(ref.value, ref.keyPath)).filter((e): e is FieldError => e !== null);
    if (before.length) return { ok: false, errors: before };
    const v = validateScenarioObject(scenario, root);
    if (!v.ok) return v;
    const after = v.inputs.map((f) => confined(f, 'input files')).filter((e): e is FieldError => e !== null);
    return after.length ? { ok: false, errors: after } : v;
  };

  const jobEvents = (req: IncomingMessage, res: ServerResponse, id: string): void => {
    const first = jobs.get(id);
    if (!first) throw new HttpError(404, 'no such job');
    res.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-store', Connection: 'keep-alive' });
    const send = (j: unknown) => res.write(`data: ${JSON.stringify(j)}\n\n`);
    send(first);
    const onJob = (j: { id: string } | null) => {
      if (j && j.id === id) send(jobs.get(id));
    };
    jobs.on('job', onJob);
    const ping = setInterval(() => res.write(': ping\n\n'), 15_000);
    req.on('close', () => {
      jobs.off('job', onJob);
      clearInterval(ping);
    });
  };

  const serveApp = (res: ServerResponse, pathname: string): void => {
    if (!appJail) {
      res.writeHead(503, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end(`The dashboard's browser app is not built (looked for ${appDir}). Run \`npm run build\` in the rhizocarb package.\n`);
      return;
    }
    let rel = decodeURIComponent(pathname).replace(/^\/+/, '');
    if (rel === '' || !extname(rel)) rel = 'index.html';
    const r = appJail.file(rel);
    if (!r.ok) throw new HttpError(r.status, r.reason);
    res.writeHead(200, {
      'Content-Type': MIME[extname(r.path).toLowerCase()] ?? 'application/octet-stream',
      'Content-Security-Policy': APP_CSP,
      'X-Frame-Options': 'DENY',
      'Cache-Control': rel === 'index.html' ? 'no-store' : 'public, max-age=3600',
    });
    createReadStream(r.path).pipe(res);
  };

  const server = createServer({ requestTimeout: 60_000, headersTimeout: 20_000, maxHeaderSize: 16 * 1024 }, (req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (e instanceof HttpError) {
        // A refused body is not read: answer and close the connection.
        if (e.status === 413) {
          sendError(res, 413, e.message, true);
          req.resume();
          setTimeout(() => req.socket.destroy(), 1000).unref();
          return;
        }
        return sendError(res, e.status, e.message);
      }
      sendError(res, 500, `internal error: ${(e as Error).message}`);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, bindHost, () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  const urlHost = bindHost.includes(':') ? `[${bindHost}]` : bindHost;
  const url = `http://${urlHost}:${port}/${token ? `?token=${token}` : ''}`;
  return {
    url,
    host: bindHost,
    port,
    token,
    server,
    jobs,
    async close() {
      await jobs.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

