import type { Command } from 'commander';

/** Commands beyond `run`; one registration line per command module. */
export function registerExtraCommands(program: Command): void {
  void program;
}
