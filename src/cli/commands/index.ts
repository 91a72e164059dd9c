import type { Command } from 'commander';
import { registerAnalyseCommand } from './analyse.js';
import { registerBenchmarkCommand } from './benchmark.js';
import { registerProfileCommands } from './profile.js';
import { registerLearnCommands } from './learn.js';
import { registerMapCommand } from './map.js';
import { registerReportCommand } from './report.js';
import { registerServeCommand } from './serve.js';
import { registerRunsCommands } from './runs.js';
import { registerSweepCommands } from './sweep.js';

/** Commands beyond `run`; one registration line per command module. */
export function registerExtraCommands(program: Command): void {
  registerAnalyseCommand(program);
  registerBenchmarkCommand(program);
  registerProfileCommands(program);
  registerLearnCommands(program);
  registerMapCommand(program);
  registerReportCommand(program);
  registerServeCommand(program);
  registerSweepCommands(program);
  registerRunsCommands(program);
}
