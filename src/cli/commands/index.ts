import type { Command } from 'commander';
import { registerBenchmarkCommand } from './benchmark.js';
import { registerProfileCommands } from './profile.js';

/** Commands beyond `run`; one registration line per command module. */
export function registerExtraCommands(program: Command): void {
  registerBenchmarkCommand(program);
  registerProfileCommands(program);
}
