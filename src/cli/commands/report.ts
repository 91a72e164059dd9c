import type { Command } from 'commander';
import { writeReport } from '../../web/report.js';
import { addOutputOptions, cliOutput, type OutputOptions } from '../conventions.js';

export function registerReportCommand(program: Command): void {
  addOutputOptions(
    program
      .command('report')
      .description('write a self-contained HTML report (no network needed to open it) of a run or sweep result folder')
      .argument('<result-dir>', 'result folder of `rhizocarb run` (or of a sweep)')
      .option('-o, --out <file>', 'report file (default: <result-dir>/report.html)'),
  ).action((resultDir: string, opts: OutputOptions & { out?: string }) => {
    const out = cliOutput(opts);
    const path = writeReport(resultDir, opts.out);
    out.answerJson({ report: path });
    out.answer(`wrote ${path}`);
  });
}
