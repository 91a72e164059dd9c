import type { Command } from 'commander';
import { loadScenarioFile } from '../../scenarios/run.js';
import { addOutputOptions, runScenarioCommand, type ScenarioCommandOptions } from '../conventions.js';

const collect = (value: string, previous: string[]) => [...previous, value];

export function registerRunCommand(program: Command): void {
  addOutputOptions(
    program
      .command('run')
      .description('validate a scenario file and run it; outputs appear in --out only if the run finishes (exit 3 if a balance or check fails)')
      .argument('<scenario>', 'scenario YAML (or JSON) file; docs/SCENARIOS.md lists every key')
      .requiredOption('-o, --out <dir>', 'output folder: new, empty, or a previous rhizocarb result (replaced atomically)')
      .option('--set <key=value>', 'override a scenario key, e.g. --set time.days=3 --set forcing.exudation.peak=0.2 (repeatable; value read as YAML)', collect, [])
      .option('--allow-long', 'run even if the work estimate exceeds the documented limit')
      .option('--checkpoint-every <steps>', 'save a checkpoint every N steps in the staging folder (kinds that support it: docs/SCENARIOS.md); a killed or interrupted run can then be resumed')
      .option('--resume <dir>', 'continue the interrupted run whose --out was <dir> from its last checkpoint (same scenario and --set options); ends with the results of an uninterrupted run')
      .option('--report', 'also write <out>/report.html, a self-contained HTML report of the run (also when a check failed)'),
  ).action(async (scenario: string, opts: ScenarioCommandOptions & { set: string[] }) => {
    const doc = loadScenarioFile(scenario, { set: opts.set });
    await runScenarioCommand(doc, opts, (r) => {
      const lines = [`${r.status === 'ok' ? 'wrote' : 'wrote (FAILED checks)'} ${r.outDir}/ (${r.summary.wallSeconds.toFixed(2)} s)`];
      for (const [k, v] of Object.entries(r.balance)) lines.push(`  ${k} balance relative error ${Number.isFinite(v.relativeError) ? v.relativeError.toExponential(2) : String(v.relativeError)} (tolerance ${v.tolerance.toExponential(0)}${v.passed ? '' : ', FAILED'})`);
      return lines.join('\n');
    });
  });
}
