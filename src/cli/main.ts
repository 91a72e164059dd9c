#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { InputError, InputErrors } from '../core/errors.js';
import { packageVersion } from '../core/paths.js';
import { registerRunCommand } from './commands/run.js';
import { registerExtraCommands } from './commands/index.js';

/** Exit codes: 0 success, 1 failure while running, 2 bad input (nothing was written). */
async function main(argv: string[]): Promise<number> {
  const program = new Command();
  program
    .name('rhizocarb')
    .description('Follow root-derived carbon from the plant, through the rhizosphere, into the soil profile.')
    .version(packageVersion())
    .exitOverride()
    .showHelpAfterError();
  registerRunCommand(program);
  registerExtraCommands(program);
  try {
    await program.parseAsync(argv);
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      return e.exitCode === 0 ? 0 : 2;
    }
    if (e instanceof InputError || e instanceof InputErrors) {
      process.stderr.write(`error: ${e.message}\n`);
      return 2;
    }
    process.stderr.write(`rhizocarb failed: ${(e as Error).stack ?? String(e)}\n`);
    return 1;
  }
}

main(process.argv).then(
  (code) => {
    process.exitCode = code;
  },
  (e) => {
    process.stderr.write(String(e) + '\n');
    process.exitCode = 1;
  },
);
