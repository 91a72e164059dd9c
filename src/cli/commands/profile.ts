import type { Command } from 'commander';
import { registerProfileRunCommands } from './profile-runs.js';
import { registerRadiocarbonCommands } from './radiocarbon.js';
import { registerSplineCommand } from './spline.js';

/** The profile commands (papers 001 and 003): radiocarbon forward|age, spline, budget, depth. */
export function registerProfileCommands(program: Command): void {
  registerRadiocarbonCommands(program);
  registerSplineCommand(program);
  registerProfileRunCommands(program);
}
