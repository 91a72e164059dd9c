import type { Command } from 'commander';
import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { InputError } from '../../core/errors.js';
import { writeFileAtomic } from '../../io/atomic.js';
import { isReplaceableReport, renderReport } from '../../web/report.js';

/**
 * Write the self-contained HTML report of a result folder; returns the path written. Refuses (exit 2)
 * a folder that is not a rhizocarb result and an existing `out` file that is not a rhizocarb report.
 */
export function writeReport(resultDir: string, out?: string): string {
  const dir = resolve(resultDir);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new InputError({ file: resultDir, expected: 'a rhizocarb result folder (with summary.json or sweep.json)' });
  const target = resolve(out ?? join(dir, 'report.html'));
  if (existsSync(target) && statSync(target).isDirectory()) throw new InputError({ keyPath: '--out', value: out, expected: 'a file name for the report, not a folder' });
  if (!isReplaceableReport(target)) throw new InputError({ file: target, keyPath: '--out', expected: 'a new file or an earlier rhizocarb report to replace', detail: 'the file exists and is not a rhizocarb report; it was left as it is' });
  const html = renderReport(dir);
  if (html === null) throw new InputError({ file: resultDir, expected: 'a rhizocarb result folder (with summary.json or sweep.json)' });
  writeFileAtomic(target, html);
  return target;
}

export function registerReportCommand(program: Command): void {
  program
    .command('report')
    .description('write a self-contained HTML report (no network needed to open it) of a run or sweep result folder')
    .argument('<result-dir>', 'result folder of `rhizocarb run` (or of a sweep)')
    .option('-o, --out <file>', 'report file (default: <result-dir>/report.html)')
    .option('--json', 'print {"report": path} as JSON')
    .action((resultDir: string, opts: { out?: string; json?: boolean }) => {
      const path = writeReport(resultDir, opts.out);
      process.stdout.write(opts.json ? JSON.stringify({ report: path }) + '\n' : `wrote ${path}\n`);
    });
}
