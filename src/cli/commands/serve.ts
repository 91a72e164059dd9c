import type { Command } from 'commander';
import { InputError } from '../../core/errors.js';
import { isLoopbackHost } from '../../web/security.js';
import { startServer } from '../../web/server.js';
import { checkServeRoot } from '../../io/atomic.js';
import { addOutputOptions, cliOutput, parseDecimal, type OutputOptions } from '../conventions.js';

const HOST = /^(\[?[0-9A-Fa-f:.]+\]?|[A-Za-z0-9]([A-Za-z0-9.-]{0,252}))$/;

/** `rhizocarb serve`: the local dashboard (docs/DASHBOARD.md). Runs until Ctrl-C. */
export function registerServeCommand(program: Command): void {
  addOutputOptions(program
    .command('serve')
    .description('local web dashboard: browse, compare and launch runs, calculators in the browser (127.0.0.1 unless --host)')
    .option('--port <n>', 'port (0: any free port)', '8787')
    .option('--root <dir>', 'results folder the dashboard lists, serves and launches runs into (created if missing)', 'out')
    .option('--host <address>', 'bind this address instead of 127.0.0.1; every request then needs the printed token')
    .option('--jobs <n>', 'scenario runs at once', '1'))
    .action(async (opts: OutputOptions & { port: string; root: string; host?: string; jobs: string }) => {
      const out = cliOutput(opts);
      const port = parseDecimal(opts.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new InputError({ keyPath: '--port', value: opts.port, expected: 'a port number 0–65535' });
      const jobs = parseDecimal(opts.jobs);
      if (!Number.isInteger(jobs) || jobs < 1 || jobs > 64) throw new InputError({ keyPath: '--jobs', value: opts.jobs, expected: 'an integer 1–64' });
      if (opts.host !== undefined && !HOST.test(opts.host)) throw new InputError({ keyPath: '--host', value: opts.host, expected: 'an IP address or host name (letters, digits, ".", "-", ":")' });
      checkServeRoot(opts.root);
      let s;
      try {
        s = await startServer({ root: opts.root, port, host: opts.host, maxJobs: jobs });
      } catch (e) {
        const err = e as NodeJS.ErrnoException;
        if (err.code === 'EADDRINUSE' || err.code === 'EACCES' || err.code === 'EADDRNOTAVAIL' || err.code === 'ENOTFOUND' || err.code === 'EAI_AGAIN') throw new InputError({ keyPath: opts.host ? '--host/--port' : '--port', value: opts.host ? `${opts.host}:${port}` : port, expected: 'an address and port this machine can listen on', detail: err.message });
        throw e;
      }
      // The URL (with the token) is the answer: stdout, or one JSON document with --json.
      out.answerJson({ url: s.url, host: s.host, port: s.port, token: s.token, root: opts.root });
      out.answer(s.url);
      out.info(`rhizocarb dashboard of ${opts.root}/ (Ctrl-C stops it)`);
      if (s.token) out.info(`every request needs the token in the URL above (once; the browser keeps it as a cookie)${opts.host && !isLoopbackHost(opts.host) ? `; reachable from other machines on ${opts.host}` : ''}`);
      await new Promise<void>((resolve) => {
        const stop = () => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          void s.close().then(resolve);
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
    });
}
