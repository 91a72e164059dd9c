import type { Command } from 'commander';
import { registerBenchmarkCommand } from './benchmark.js';

/** Commands beyond `run`; one registration line per command module. */
export function registerExtraCommands(program: Command): void {
  registerBenchmarkCommand(program);
}
