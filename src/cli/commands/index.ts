import type { Command } from 'commander';
import { registerProfileCommands } from './profile.js';

/** Commands beyond `run`; one registration line per command module. */
export function registerExtraCommands(program: Command): void {
  registerProfileCommands(program);
}
