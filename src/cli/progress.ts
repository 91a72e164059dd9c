import cliProgress from 'cli-progress';
import type { Progress } from '../scenarios/registry.js';

/** A progress bar on a terminal; periodic plain lines when stderr is not a TTY (CI logs). */
export function terminalProgress(enabled: boolean): Progress {
  if (!enabled) return { start() {}, update() {}, stop() {} };
  if (process.stderr.isTTY) {
    const bar = new cliProgress.SingleBar(
      { stream: process.stderr, format: '{label} [{bar}] {percentage}% | {value}/{total} | {info}', hideCursor: true, etaBuffer: 50 },
      cliProgress.Presets.shades_classic,
    );
    return {
      start(total, label) {
        bar.start(total, 0, { label, info: '' });
      },
      update(done, info) {
        bar.update(done, { info: info ? Object.entries(info).map(([k, v]) => `${k} ${v}`).join(' ') : '' });
      },
      stop() {
        bar.stop();
      },
    };
  }
  let total = 1;
  let label = '';
  let lastPct = -1;
  return {
    start(t, l) {
      total = Math.max(1, t);
      label = l;
      lastPct = -1;
    },
    update(done, info) {
      const pct = Math.floor((100 * done) / total / 10) * 10;
      if (pct > lastPct) {
        lastPct = pct;
        const extra = info ? ' ' + Object.entries(info).map(([k, v]) => `${k} ${v}`).join(' ') : '';
        process.stderr.write(`${label}: ${pct}%${extra}\n`);
      }
    },
    stop() {},
  };
}
