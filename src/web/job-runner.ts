/**
 * Child process of the dashboard that runs one launched scenario (forked by jobs.ts) through the
 * library's `runScenario`. Messages: parent → child `{type: 'run', scenario, baseDir, out}` and
 * `{type: 'cancel'}` (aborts the run at its next checkpoint; the staging folder is removed);
 * child → parent `progress`, `log`, `done` (status and summary) or `failed` (message, whether it
 * was bad input or an interruption).
 */
import { InputError, InputErrors, InterruptedError } from '../core/errors.js';
import { runScenario } from '../scenarios/run.js';
import type { Progress } from '../scenarios/registry.js';

type Message = { type: 'run'; scenario: Record<string, unknown>; baseDir: string; out: string } | { type: 'cancel' };

const controller = new AbortController();

function send(m: unknown): void {
  process.send?.(m);
}

/** Progress as messages, at most every 100 ms (and always the last update). */
function messageProgress(): Progress {
  let total = 0;
  let label = '';
  let last = 0;
  return {
    start(t, l) {
      total = t;
      label = l;
      send({ type: 'progress', done: 0, total, label, info: {} });
    },
    update(done, info) {
      const now = Date.now();
      if (now - last >= 100 || done >= total) {
        last = now;
        send({ type: 'progress', done, total, label, info: info ?? {} });
      }
    },
    stop() {},
  };
}

process.on('message', (m: Message) => {
  if (m?.type === 'cancel') {
    controller.abort(new InterruptedError("a cancel from the dashboard"));
    return;
  }
  if (m?.type !== 'run') return;
  runScenario(m.scenario, { out: m.out, baseDir: m.baseDir, label: 'dashboard form', progress: messageProgress(), log: (line) => send({ type: 'log', line }), signal: controller.signal }).then(
    (r) => {
      send({ type: 'done', status: r.status, failedChecks: r.failedChecks.filter((c) => c.severity === 'error').map((c) => `${c.name}: ${c.message}`) });
      process.disconnect?.();
    },
    (e: unknown) => {
      const input = e instanceof InputError || e instanceof InputErrors;
      const interrupted = e instanceof InterruptedError;
      send({ type: 'failed', input, interrupted, message: input || interrupted ? (e as Error).message : ((e as Error).stack ?? String(e)) });
      process.disconnect?.();
    },
  );
});
send({ type: 'ready' });
