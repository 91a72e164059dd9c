#!/usr/bin/env node
import { EXIT } from './conventions.js';
import { runCli } from './program.js';

// A closed pipe (`rhizocarb benchmark list | head`) is not an error.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw e;
});

runCli(process.argv).then(
  (code) => {
    process.exitCode = code;
  },
  (e) => {
    process.stderr.write(String(e) + '\n');
    process.exitCode = EXIT.internal;
  },
);
