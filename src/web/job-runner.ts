/**
 * Child process of the dashboard that runs one launched scenario (forked by jobs.ts). Messages:
 * parent → child `{type: 'run', scenarioFile, out}`; child → parent `progress`, `log`, `done`
 * (with the summary) or `failed` (with the message and whether it was bad input). A cancelled job
 * is ended by signal from the parent, which then removes any staging folder.
 */
import { InputError, InputErrors } from '../core/errors.js';
import { runScenarioFile } from '../scenarios/run.js';
import type { Progress } from '../scenarios/registry.js';

interface RunMessage {
  type: 'run';
  scenarioFile: string;
  out: string;
}

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

process.on('message', (m: RunMessage) => {
  if (m?.type !== 'run') return;
  runScenarioFile(m.scenarioFile, m.out, { progress: messageProgress(), log: (line) => send({ type: 'log', line }) }).then(
    (summary) => {
      send({ type: 'done', summary });
      process.disconnect?.();
    },
    (e: unknown) => {
      const input = e instanceof InputError || e instanceof InputErrors;
      send({ type: 'failed', input, message: input ? (e as Error).message : ((e as Error).stack ?? String(e)) });
      process.disconnect?.();
    },
  );
});
send({ type: 'ready' });
