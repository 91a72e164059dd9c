import type { Command } from 'commander';
import cliProgress from 'cli-progress';
import { InputError, InterruptedError } from '../../core/errors.js';
import { loadSweepFile } from '../../scenarios/sweep.js';
import { runSweep, type SweepProgress } from '../../sweeps/run.js';
import { taskCheckpointEvery } from '../../sweeps/task.js';
import { runWorker } from '../../sweeps/worker.js';
import { analyseDrySpells, analysisLine } from './analyse.js';
import { addOutputOptions, CliExit, cliOutput, currentCommandLine, EXIT, exitCodeForSignal, withSignals, type OutputOptions } from '../conventions.js';

function eta(s: number | null): string {
  if (s === null || !Number.isFinite(s)) return '–';
  if (s < 90) return `${Math.round(s)} s`;
  if (s < 5400) return `${Math.round(s / 60)} min`;
  return `${(s / 3600).toFixed(1)} h`;
}

/** A running task named by its override values ("lateDry/highMB"), for the per-run progress. */
function runName(overrides: Readonly<Record<string, unknown>>, hash: string): string {
  const parts = Object.values(overrides).filter((v) => typeof v === 'string' || typeof v === 'number').map(String);
  return parts.length > 0 && parts.join('/').length <= 40 ? parts.join('/') : hash.slice(0, 12);
}

/**
 * One progress display for a sweep: a bar on a terminal (with the running tasks' progress), a line
 * every 10 % (and at the end) otherwise, and a line per running task at every 10 % of its steps.
 */
function sweepProgress(enabled: boolean): { update(p: SweepProgress): void; stop(): void } {
  if (!enabled) return { update() {}, stop() {} };
  const text = (p: SweepProgress) => `done ${p.done} | running ${p.running} | failed ${p.failed} | pending ${Math.max(0, p.pending - p.running)} | ETA ${eta(p.etaSeconds)}`;
  const pct = (r: NonNullable<SweepProgress['runs']>[number]) => Math.floor((100 * r.done) / Math.max(1, r.total));
  const day = (r: NonNullable<SweepProgress['runs']>[number]) => (r.info?.day !== undefined ? ` day ${r.info.day}` : '') + (typeof r.info?.work === 'number' ? `, work ${Math.floor(100 * r.info.work)}%` : '');
  if (process.stderr.isTTY) {
    const bar = new cliProgress.SingleBar({ stream: process.stderr, format: 'sweep [{bar}] {value}/{total} | {info}', hideCursor: true }, cliProgress.Presets.shades_classic);
    let started = false;
    return {
      update(p) {
        if (!started) bar.start(p.total, 0, { info: '' });
        started = true;
        const runs = (p.runs ?? []).filter((r) => r.done < r.total).map((r) => `${runName(r.overrides, r.hash)} ${pct(r)}%`).join(', ');
        bar.update(p.done + p.failed, { info: text(p) + (runs ? ` | ${runs}` : '') });
      },
      stop: () => started && bar.stop(),
    };
  }
  let last = -1;
  const lastRun = new Map<string, number>();
  return {
    update(p) {
      for (const r of p.runs ?? []) {
        const decile = Math.floor(pct(r) / 10);
        if (decile > (lastRun.get(r.hash) ?? -1)) {
          lastRun.set(r.hash, decile);
          process.stderr.write(`  run ${runName(r.overrides, r.hash)} (${r.hash.slice(0, 12)}): ${r.done}/${r.total} steps (${pct(r)}%)${day(r)}\n`);
        }
      }
      const decile = Math.floor((10 * (p.done + p.failed)) / Math.max(1, p.total));
      if (decile > last) {
        last = decile;
        process.stderr.write(`sweep ${p.done + p.failed}/${p.total}: ${text(p)}\n`);
      }
    },
    stop() {},
  };
}

/** Options of `rhizocarb sweep` that `rhizocarb run <sweep file>` shares. */
export interface SweepCommandOptions extends OutputOptions {
  out: string;
  engine?: string;
  concurrency?: number;
  resume?: boolean;
  detach?: boolean;
  yes?: boolean;
  catalogue?: string;
  dryRun?: boolean;
  set?: string[];
  only?: string[];
  allowLong?: boolean;
  /** Steps between checkpoints of the tasks (a whole number, or `off`); overrides the sweep file's `checkpointEvery`. */
  checkpointEvery?: string;
}

/** `--checkpoint-every N|off` of a sweep. */
function checkpointOption(v: string | undefined): number | 'off' | undefined {
  if (v === undefined) return undefined;
  if (v === 'off') return 'off';
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new InputError({ keyPath: '--checkpoint-every', value: v, expected: 'a whole number of steps ≥ 1, or off' });
  return n;
}

/** Run a sweep file from the CLI (`rhizocarb sweep`, and `rhizocarb run` given a sweep file). */
export async function runSweepCommand(file: string, opts: SweepCommandOptions): Promise<void> {
  const out = cliOutput(opts);
  const engine = opts.engine ?? 'local';
  const checkpointEvery = checkpointOption(opts.checkpointEvery);
  if (opts.detach && !/^rediss?:/.test(engine)) throw new InputError({ keyPath: '--detach', expected: 'the redis engine (--engine redis://host:port): local tasks run in this process' });
  const sweep = loadSweepFile(file, { yes: opts.yes, set: opts.set, only: (opts.only ?? []).flatMap((o) => o.split(',')) });
  if (opts.dryRun) {
    out.answerJson({ name: sweep.name, tasks: sweep.tasks.map((t) => ({ index: t.index, hash: t.hash, overrides: t.overrides })) });
    out.answer([`${sweep.name}: ${sweep.tasks.length} tasks`, ...sweep.tasks.slice(0, 20).map((t) => `  ${t.hash}  ${JSON.stringify(t.overrides)}`), ...(sweep.tasks.length > 20 ? ['  …'] : [])].join('\n'));
    return;
  }
  const progress = sweepProgress(!out.quiet);
  const cadences = [...new Set(sweep.tasks.map((t) => taskCheckpointEvery({ resolved: t.resolved, checkpointEvery: checkpointEvery ?? sweep.checkpointEvery })).filter((n) => n !== undefined))];
  const checkpoints = cadences.length > 0 ? `, checkpoints inside tasks every ${cadences.join('/')} steps (${opts.out}/tasks/.checkpoints/)` : '';
  out.info(`sweep ${sweep.name}: ${sweep.tasks.length} tasks, engine ${engine}${opts.resume ? ' (resume)' : ''}${checkpoints}`);
  let r;
  try {
    r = await withSignals((signal) =>
      runSweep(sweep, { out: opts.out, outLabel: '--out', engine, concurrency: opts.concurrency, resume: opts.resume, detach: opts.detach, allowLong: opts.allowLong, ...(checkpointEvery !== undefined ? { checkpointEvery } : {}), catalogue: process.env.RHIZOCARB_CATALOGUE === 'off' || opts.catalogue === 'off' ? false : opts.catalogue, signal, onProgress: (p) => progress.update(p), log: out.info }),
    );
  } catch (e) {
    if (!(e instanceof InterruptedError)) throw e;
    progress.stop();
    process.stderr.write(`error: interrupted by ${e.signal}: the sweep stopped; finished tasks are kept in ${opts.out}/tasks/, the rest are pending in ${opts.out}/sweep.json (continue with --resume)\n`);
    throw new CliExit(exitCodeForSignal(e.signal));
  } finally {
    progress.stop();
  }
  out.answerJson({ status: r.status, out: r.out, engine: r.engine, done: r.done, failed: r.failed, pending: r.pending, skipped: r.skipped, wallSeconds: r.wallSeconds });
  out.answer(`${r.status === 'detached' ? 'enqueued' : 'wrote'} ${r.out}/ (${r.done} done, ${r.failed} failed, ${r.pending} pending${r.skipped ? `, ${r.skipped} already done` : ''}; ${r.wallSeconds.toFixed(1)} s, ${r.engine})`);
  for (const t of r.tasks.filter((t) => t.status === 'failed').slice(0, 10)) process.stderr.write(`task failed: ${t.hash} ${JSON.stringify(t.overrides)}: ${t.error}\n`);
  if (r.failed > 0) {
    process.stderr.write(`error: ${r.failed} of ${r.tasks.length} tasks failed; see ${r.out}/sweep.json\n`);
    if (sweep.analyse) process.stderr.write(`(no analysis: rhizocarb analyse ${sweep.analyse} ${r.out} analyses the tasks that are done)\n`);
    throw new CliExit(EXIT.checkFailed);
  }
  if (sweep.analyse === 'dry-spells' && r.status === 'done') {
    out.info(`analyse dry-spells ${r.out}`);
    out.info(analysisLine(await analyseDrySpells(r.out, { command: currentCommandLine() })));
  }
}

const collect = (value: string, previous: string[]) => [...previous, value];

const positiveInt = (name: string) => (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new InputError({ keyPath: name, value: v, expected: 'an integer ≥ 0' });
  return n;
};

export function registerSweepCommands(program: Command): void {
  addOutputOptions(
    program
      .command('sweep')
      .description('run every task of a sweep file (kind: sweep) into <out>/tasks/<task hash>/, with sweep.json and tasks.csv; exit 3 if a task failed')
      .argument('<sweep>', 'sweep YAML file (docs/SWEEPS.md)')
      .requiredOption('-o, --out <dir>', 'the sweep folder: new or empty, or a previous sweep with --resume')
      .option('--engine <engine>', 'local (worker threads on this machine) or redis://host:port (tasks for `rhizocarb worker` processes)', 'local')
      .option('--concurrency <n>', 'worker threads of the local engine (default: the cores)', positiveInt('--concurrency'))
      .option('--resume', 'continue a sweep in --out: tasks whose result exists are skipped')
      .option('--detach', 'redis engine: enqueue the tasks and return at once')
      .option('--yes', `confirm a sweep of more than 10000 tasks`)
      .option('--catalogue <file>', 'run catalogue to record the tasks in (default <out>/catalogue.duckdb, or env RHIZOCARB_CATALOGUE); "off" (option or env): none')
      .option('--dry-run', 'validate the sweep and list its tasks; run nothing')
      .option('--set <key=value>', 'override a key of the base scenario in every task, after the task\'s own overrides, e.g. --set time.end_d=10.5 (repeatable; value read as YAML; changes the task hashes)', collect, [])
      .option('--only <selector>', 'run only the tasks matching: parts separated by / are override values (lateDry/highMB) or key=value (repeatable, or comma-separated)', collect, [])
      .option('--allow-long', 'run tasks whose work estimate exceeds their kind\'s documented limit (also the sweep file key allowLong)')
      .option('--checkpoint-every <steps>', 'steps between checkpoints of tasks whose kind writes them (coupled: default 6 h of simulated time), kept in <out>/tasks/.checkpoints/ until the task is done: a killed task continues from its last one on --resume or a retry; a number or off (overrides the sweep file key checkpointEvery)'),
  ).action(async (file: string, opts: SweepCommandOptions) => runSweepCommand(file, opts));

  addOutputOptions(
    program
      .command('worker')
      .description('run sweep tasks from a Redis queue until stopped (SIGINT/SIGTERM: finish nothing new, return the running tasks to the queue)')
      .requiredOption('--engine <url>', 'redis://host:port of the queue (?queue=name for another queue than the default)')
      .option('--concurrency <n>', 'tasks at once (worker threads; default 1)', positiveInt('--concurrency'), 1)
      .option('--stall-ms <ms>', 'a task whose worker sends no heartbeat for this long is given to another worker (default 30000)', positiveInt('--stall-ms'))
      .option('--max-tasks <n>', 'exit after this many tasks (benchmarks)', positiveInt('--max-tasks')),
  ).action(async (opts: OutputOptions & { engine: string; concurrency: number; stallMs?: number; maxTasks?: number }) => {
    const out = cliOutput(opts);
    if (!/^rediss?:\/\//.test(opts.engine)) throw new InputError({ keyPath: '--engine', value: opts.engine, expected: 'redis://host:port' });
    const n = await withSignals((signal) => runWorker(opts.engine, { concurrency: Math.max(1, opts.concurrency), stallMs: opts.stallMs, maxTasks: opts.maxTasks, signal, log: out.info }));
    out.answerJson({ tasks: n });
    out.answer(`worker stopped after ${n} tasks`);
  });
}
