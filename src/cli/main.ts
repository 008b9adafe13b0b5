/**
 * Commander wiring only. Each command lives in commands/; runCommand turns what they throw into
 * exit codes. This is the one module that calls process.exit.
 */
import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { EXIT } from '../errors.js';
import { configureColor, processIo } from './terminal.js';
import { JSON_SCHEMA_VERSION } from './output/json-schema-version.js';
// One file per command under program/; each loads its command body only when it runs: module
// loading is most of a short run's time, and eval does not need the optimizer, reports or store.
import { defineEval } from './program/define-eval.js';
import { defineOptimize } from './program/define-optimize.js';
import { defineInit } from './program/define-init.js';
import { defineCache } from './program/define-cache.js';
import { defineVersions } from './program/define-versions.js';
import { defineReport } from './program/define-report.js';
import { defineCompare } from './program/define-compare.js';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

configureColor();
const controller = new AbortController();
let interrupts = 0;
process.on('SIGINT', () => {
  interrupts += 1;
  if (interrupts > 1) process.exit(EXIT.interrupted);
  processIo.err('interrupt: finishing calls in flight (Ctrl-C again to quit now)');
  controller.abort();
});

const program = new Command('promptopt')
  .description('Optimize LLM prompts against evals. Docs: README.md')
  .version(pkg.version)
  .showHelpAfterError('(run with --help for usage)')
  .exitOverride();

const env = { io: processIo, signal: controller.signal };
defineEval(program, env);
defineOptimize(program, env);
defineInit(program, env);
defineCache(program, env);
defineVersions(program, env);
defineReport(program, env);
defineCompare(program, env);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    const benign = error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help';
    process.exitCode = benign ? EXIT.ok : EXIT.badInput;
    // Commander has printed the message on stderr; with --json, stdout still gets the error document.
    if (!benign && process.argv.includes('--json')) {
      const message = error.message.replace(/^error: /, '');
      processIo.out(JSON.stringify({ schema_version: JSON_SCHEMA_VERSION, error: { code: 'USAGE', message, file: null, path: null, line: null, column: null, hint: null } }));
    }
  } else {
    throw error;
  }
}
// SDK keep-alive sockets must not hold the process open once the command is done, hence exit().
// But writes to a PIPE are asynchronous on POSIX: once the pipe buffer (64 KiB) is full the rest
// waits in memory, and exit() would drop it (a truncated `eval --json | jq`, with exit 0). So wait
// until everything written so far has been handed to the OS first.
await Promise.all([drained(process.stdout), drained(process.stderr)]);
process.exit(process.exitCode ?? 0);

function drained(stream: NodeJS.WriteStream): Promise<void> {
  return new Promise((resolve) => {
    if (stream.destroyed || stream.writableLength === 0) resolve();
    else stream.write('', () => resolve()); // called once the writes queued before it are done (or failed)
  });
}
