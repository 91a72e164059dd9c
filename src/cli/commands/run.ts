import { resolve } from 'node:path';
import type { Command } from 'commander';
import { InputError } from '../../core/errors.js';
import { readYamlFile } from '../../scenarios/load.js';
import { loadScenarioFile } from '../../scenarios/run.js';
import { addOutputOptions, runScenarioCommand, type ScenarioCommandOptions } from '../conventions.js';
import { runSweepCommand } from './sweep.js';

const collect = (value: string, previous: string[]) => [...previous, value];

export function registerRunCommand(program: Command): void {
  addOutputOptions(
    program
      .command('run')
      .description('validate a scenario file and run it; outputs appear in --out only if the run finishes (exit 3 if a balance or check fails). A sweep file (kind: sweep) runs as `rhizocarb sweep` does')
      .argument('<scenario>', 'scenario YAML (or JSON) file; docs/SCENARIOS.md lists every key')
      .requiredOption('-o, --out <dir>', 'output folder: new, empty, or a previous rhizocarb result (replaced atomically)')
      .option('--set <key=value>', 'override a scenario key, e.g. --set time.days=3 --set forcing.exudation.peak=0.2 (repeatable; value read as YAML; sweep files: in every task)', collect, [])
      .option('--allow-long', 'run even if the work estimate exceeds the documented limit')
      .option('--checkpoint-every <steps>', 'save a checkpoint every N steps in the staging folder (kinds that support it: docs/SCENARIOS.md); a killed or interrupted run can then be resumed. Sweep files: in every task of such a kind, into the sweep folder (N or off; overrides the sweep file key checkpointEvery)')
      .option('--resume <dir>', 'continue the interrupted run whose --out was <dir> from its last checkpoint (same scenario and --set options); ends with the results of an uninterrupted run. Sweep files: continue the sweep in <dir> (= --out), done tasks are skipped')
      .option('--only <selector>', 'sweep files: run only the tasks matching, e.g. lateDry/highMB (parts are override values or key=value; repeatable)', collect, [])
      .option('--concurrency <n>', 'sweep files: worker threads (default: the cores)')
      .option('--report', 'also write <out>/report.html, a self-contained HTML report of the run (also when a check failed)'),
  ).action(async (scenario: string, opts: ScenarioCommandOptions & { set: string[]; only: string[]; concurrency?: string }) => {
    if ((readYamlFile(scenario).data as { kind?: unknown } | null)?.kind === 'sweep') {
      if (opts.report) throw new InputError({ keyPath: '--report', expected: 'a scenario file (each sweep task is a result folder: rhizocarb report <out>/tasks/<hash>)' });
      if (opts.resume !== undefined && resolve(opts.resume) !== resolve(opts.out)) throw new InputError({ keyPath: '--resume', value: opts.resume, expected: `the sweep folder given as --out (${opts.out})` });
      const concurrency = opts.concurrency === undefined ? undefined : Number(opts.concurrency);
      if (concurrency !== undefined && !(Number.isInteger(concurrency) && concurrency >= 0)) throw new InputError({ keyPath: '--concurrency', value: opts.concurrency, expected: 'an integer ≥ 0' });
      await runSweepCommand(scenario, { ...opts, resume: opts.resume !== undefined, concurrency, set: opts.set, only: opts.only, allowLong: opts.allowLong, checkpointEvery: opts.checkpointEvery });
      return;
    }
    if (opts.only.length > 0 || opts.concurrency !== undefined) throw new InputError({ keyPath: opts.only.length > 0 ? '--only' : '--concurrency', expected: 'a sweep file (kind: sweep); this is a scenario file' });
    const doc = loadScenarioFile(scenario, { set: opts.set });
    await runScenarioCommand(doc, opts, (r) => {
      const lines = [`${r.status === 'ok' ? 'wrote' : 'wrote (FAILED checks)'} ${r.outDir}/ (${r.summary.wallSeconds.toFixed(2)} s)`];
      for (const [k, v] of Object.entries(r.balance)) lines.push(`  ${k} balance relative error ${Number.isFinite(v.relativeError) ? v.relativeError.toExponential(2) : String(v.relativeError)} (tolerance ${v.tolerance.toExponential(0)}${v.passed ? '' : ', FAILED'})`);
      return lines.join('\n');
    });
  });
}
