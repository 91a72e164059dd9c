import { Command, CommanderError } from 'commander';
import { InputError, InputErrors, InterruptedError } from '../core/errors.js';
import { packageVersion } from '../io/paths.js';
import { registerRunCommand } from './commands/run.js';
import { registerExtraCommands } from './commands/index.js';
import { CliExit, EXIT, exitCodeForSignal, setCommandLine } from './conventions.js';

/**
 * Exit codes (docs/CLI.md): 0 ok, 1 internal error, 2 bad input (nothing written), 3 a check
 * failed (outputs written for inspection), 130/143 interrupted by SIGINT/SIGTERM.
 */
function errorJson(code: number, e: unknown): string {
  const list = e instanceof InputErrors ? e.errors : e instanceof InputError ? [e] : [];
  const errors = list.length > 0
    ? list.map((x) => ({ message: x.message, file: x.file ?? null, line: x.line ?? null, column: x.column ?? null, keyPath: x.keyPath ?? null, expected: x.expected }))
    : [{ message: e instanceof Error ? e.message : String(e) }];
  return JSON.stringify({ status: 'error', exitCode: code, errors }) + '\n';
}

/** Parse `argv` (as process.argv: node, script, …) and run the command; resolves to the exit code. */
export async function runCli(argv: string[]): Promise<number> {
  const json = argv.includes('--json');
  setCommandLine(argv.slice(2));
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
    return EXIT.ok;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? EXIT.ok : EXIT.input;
    if (e instanceof CliExit) return e.code;
    let code: number = EXIT.internal;
    if (e instanceof InputError || e instanceof InputErrors) {
      code = EXIT.input;
      process.stderr.write(`error: ${e.message.replace(/\n/g, '\nerror: ')}\n`);
    } else if (e instanceof InterruptedError) {
      code = exitCodeForSignal(e.signal);
      process.stderr.write(`error: ${e.message}\n`);
    } else {
      process.stderr.write(`rhizocarb failed (an internal error; please report it with the command line): ${(e as Error).stack ?? String(e)}\n`);
    }
    if (json) process.stdout.write(errorJson(code, e));
    return code;
  }
}

