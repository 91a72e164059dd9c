import type { Command } from 'commander';
import { InputError, oneOf } from '../../core/errors.js';
import { benchmarkRegistry, missedTolerances, type BenchmarkPath, type BenchmarkReport } from '../../benchmarks/index.js';
import { CliExit, EXIT, addOutputOptions, cliOutput, type OutputOptions } from '../conventions.js';

function fmt(v: number | null | undefined): string {
  return v === null || v === undefined || !Number.isFinite(v) ? '—' : v.toExponential(3);
}

/** Human-readable table: one row per case, rhizocarb's error then each other simulator's. */
export function formatBenchmarkReport(r: BenchmarkReport): string {
  const sims = [...new Set(r.cases.flatMap((c) => Object.keys(c.others)))];
  const header = ['case', 'rhizocarb', ...sims];
  const rows = r.cases.map((c) => [c.tolerance !== undefined ? `${c.name} (tolerance ${fmt(c.tolerance)}${Math.abs(c.error) <= c.tolerance ? '' : ', MISSED'})` : c.name, fmt(c.error), ...sims.map((s) => fmt(c.others[s]))]);
  const widths = header.map((h, j) => Math.max(h.length, ...rows.map((row) => row[j].length)));
  const line = (cells: string[]) => cells.map((c, j) => c.padEnd(widths[j])).join('  ');
  const out = [`${r.benchmark}: ${r.metric}`, line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)];
  if (r.balance) for (const [k, v] of Object.entries(r.balance)) out.push(`${k}: ${fmt(v)}`);
  for (const n of r.notes ?? []) out.push(`note: ${n}`);
  return out.join('\n') + '\n';
}

export function registerBenchmarkCommand(program: Command): void {
  addOutputOptions(program
    .command('benchmark')
    .description('run a published benchmark problem and print errors next to other simulators’ results')
    .argument('<name>', 'benchmark name (see `rhizocarb benchmark list`)')
    .option('--path <path>', 'model path: 1d (the benchmark\'s own model) or coupled (through the multiscale coupling; c1.1)', '1d')
    .option('--cells <n>', 'radial cells of the 1D model (c1.1; default 400)'))
    .action(async (name: string, opts: OutputOptions & { path: string; cells?: string }) => {
      const reg = benchmarkRegistry();
      const io = cliOutput(opts);
      if (name === 'list') {
        io.answerJson([...reg.values()].map((b) => ({ name: b.name, description: b.description })));
        io.answer([...reg.values()].map((b) => `${b.name.padEnd(12)} ${b.description}`).join('\n'));
        return;
      }
      const b = reg.get(name.toLowerCase());
      if (!b) throw new InputError({ file: 'command line', keyPath: 'benchmark name', value: name, expected: `${oneOf([...reg.keys(), 'list'], name.toLowerCase())}` });
      const paths = b.paths ?? ['1d'];
      if (!(paths as readonly string[]).includes(opts.path)) throw new InputError({ file: 'command line', keyPath: '--path', value: opts.path, expected: `${oneOf(paths, opts.path)} (the paths benchmark ${b.name} runs through)` });
      let cells: number | undefined;
      if (opts.cells !== undefined) {
        cells = Number(opts.cells);
        if (!b.takesCells) throw new InputError({ file: 'command line', keyPath: '--cells', value: opts.cells, expected: `no --cells for benchmark ${b.name} (only benchmarks with a radial 1D grid, such as c1.1)` });
        if (!(Number.isInteger(cells) && cells >= 2 && cells <= 10_000)) throw new InputError({ file: 'command line', keyPath: '--cells', value: opts.cells, expected: 'a whole number of radial cells, 2 … 10000' });
      }
      const report = await b.run({ path: opts.path as BenchmarkPath, cells });
      const missed = missedTolerances(report);
      io.answerJson({ ...report, status: missed.length > 0 ? 'failed' : 'ok', missedTolerances: missed });
      io.answer(formatBenchmarkReport(report));
      if (missed.length > 0) {
        for (const m of missed) process.stderr.write(`check failed: ${m}\n`);
        throw new CliExit(EXIT.checkFailed);
      }
    });
}
