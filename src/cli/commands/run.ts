import type { Command } from 'commander';
import { runScenarioFile } from '../../scenarios/run.js';
import { terminalProgress } from '../progress.js';
import { writeReport } from './report.js';

export function registerRunCommand(program: Command): void {
  program
    .command('run')
    .description('validate a scenario file and run it; outputs appear in --out only if the run succeeds')
    .argument('<scenario>', 'scenario YAML file')
    .requiredOption('-o, --out <dir>', 'output folder (replaced atomically on success)')
    .option('-q, --quiet', 'no progress bar')
    .option('--report', 'also write <out>/report.html, a self-contained HTML report of the run')
    .action(async (scenario: string, opts: { out: string; quiet?: boolean; report?: boolean }) => {
      const summary = await runScenarioFile(scenario, opts.out, {
        progress: terminalProgress(!opts.quiet),
        log: (line) => process.stderr.write(line + '\n'),
      });
      const lines = [`wrote ${opts.out}/ (${(summary.wallSeconds as number).toFixed(2)} s)`];
      const balance = summary.balance as Record<string, { relativeError: number }> | undefined;
      if (balance) for (const [k, v] of Object.entries(balance)) lines.push(`  ${k} balance relative error ${v.relativeError.toExponential(2)}`);
      if (opts.report) lines.push(`  report ${writeReport(opts.out)}`);
      process.stdout.write(lines.join('\n') + '\n');
    });
}
