/**
 * The CLI as a function: `runCli(argv, { io, env, signal })` parses the arguments, runs one command
 * and resolves to its exit code. It never exits the process, installs no signal handler and reads
 * nothing from process.env, so the tests run it in-process against src/, and main.ts (the process
 * entry) wires it to the real terminal, environment and signals.
 */
import { setMaxListeners } from 'node:events';
import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { EXIT } from '../errors.js';
import { configureColor, type Io } from './terminal.js';
import { detectInvocation } from './invocation.js';
import { JSON_SCHEMA_VERSION } from './output/json-schema-version.js';
import type { ProgramEnv } from './program/command-env.js';
// One file per command under program/; each loads its command body only when it runs: module
// loading is most of a short run's time, and eval does not need the optimizer, reports or store.
import { defineEval } from './program/define-eval.js';
import { defineOptimize } from './program/define-optimize.js';
import { defineInit } from './program/define-init.js';
import { defineCache } from './program/define-cache.js';
import { defineVersions } from './program/define-versions.js';
import { defineReport } from './program/define-report.js';
import { defineCompare } from './program/define-compare.js';
import { closeOpenCaches } from '../runner/cache/open-caches.js';
import { defineImport } from './program/define-import.js';
import { defineStats } from './program/define-stats.js';
import { defineTraces } from './program/define-traces.js';
import { definePrune } from './program/define-prune.js';
import { defineBench } from './program/define-bench.js';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

export interface RunCliOptions {
  io: Io;
  /** Keys, base URLs, CI variables, NO_COLOR... */
  env: NodeJS.ProcessEnv;
  /** Aborted on Ctrl-C / SIGTERM: no new call starts, calls in flight are cancelled. */
  signal?: AbortSignal;
  /** Whether stdout is a terminal (colour). Default: io.isTTY. */
  stdoutIsTTY?: boolean;
  /** argv[1], the script node was started with: hints name the command the way it was started (see invocation.ts). */
  script?: string;
  /** The working folder; process.cwd() by default. */
  cwd?: string;
}

/** Runs `argv` (the arguments after the program name) and resolves to the exit code. */
export async function runCli(argv: readonly string[], options: RunCliOptions): Promise<number> {
  const { io } = options;
  configureColor(options.stdoutIsTTY ?? io.isTTY, options.env);
  let exitCode: number = EXIT.ok;
  const signal = options.signal ?? new AbortController().signal;
  // Every request in flight listens to it (the SDKs cancel on abort): -j 50 means 50 listeners.
  setMaxListeners(0, signal);
  const invocation = detectInvocation({ script: options.script, cwd: options.cwd ?? process.cwd(), env: options.env });
  const env: ProgramEnv = {
    // Messages on stderr (hints, warnings, notes) name commands the way this promptopt was started.
    io: { ...io, err: (text) => io.err(invocation.rewrite(text)) },
    invocation,
    env: options.env,
    signal,
    setExitCode: (code) => {
      exitCode = code;
    },
  };
  const program = new Command('promptopt')
    .description('Optimize LLM prompts against evals. Docs: README.md')
    .version(pkg.version)
    .option('--trust-spec', 'trust the spec: let it read and write outside its project and send API keys to its base_url (never for specs from pull requests)')
    .configureHelp({ showGlobalOptions: true })
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ writeOut: (text) => io.out(text), writeErr: (text) => io.err(text) })
    .exitOverride()
    .hook('preAction', () => {
      env.trustSpec = program.opts<{ trustSpec?: boolean }>().trustSpec === true;
    });
  defineEval(program, env);
  defineOptimize(program, env);
  defineInit(program, env);
  defineCache(program, env);
  defineVersions(program, env);
  defineReport(program, env);
  defineCompare(program, env);
  defineImport(program, env);
  defineStats(program, env);
  defineTraces(program, env);
  definePrune(program, env);
  defineBench(program, env);

  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (error) {
    if (!(error instanceof CommanderError)) throw error;
    const benign = error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help';
    if (benign) return EXIT.ok;
    // Commander has printed the message on stderr; with --json, stdout still gets the error document.
    if (argv.includes('--json')) {
      const message = error.message.replace(/^error: /, '');
      io.out(JSON.stringify({ schema_version: JSON_SCHEMA_VERSION, error: { code: 'USAGE', message, file: null, path: null, line: null, column: null, hint: null } }));
    }
    return EXIT.badInput;
  } finally {
    // Closing stamps each cache as closed cleanly, so the next command skips its full check.
    await closeOpenCaches();
  }
  return exitCode;
}
