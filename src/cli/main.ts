/**
 * Commander wiring only. Each command lives in commands/; runCommand turns what they throw into
 * exit codes. This is the one module that calls process.exit.
 */
import { readFileSync } from 'node:fs';
import { Command, CommanderError, Option } from 'commander';
import { EXIT } from '../errors.js';
import { runCommand } from './run-command.js';
import { configureColor, processIo } from './terminal.js';
// Commands are imported when they run: each pulls in its own dependency tree (eval does not need
// the optimizer, reports or versions store), and module loading is most of a short run's time.
import type { EvalOptions } from './commands/eval.js';
import type { OptimizeOptions } from './commands/optimize.js';
import type { CacheOptions } from './commands/cache.js';

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

program
  .command('eval')
  .description('score a prompt on a task; exit 0 when score >= threshold, 1 below, 2 bad input, 3 provider failure')
  .argument('<task.yaml>', 'task spec')
  .option('--prompt <file>', 'evaluate this prompt file instead of the spec\'s prompt')
  .addOption(new Option('--split <split>', 'which cases to run').choices(['train', 'validation', 'test', 'all']).default('all'))
  .option('--threshold <score>', 'pass mark from 0 to 1 (default: the spec\'s threshold)')
  .option('--json', 'print one JSON document on stdout and nothing else there')
  .option('--output <file>', 'also write the JSON results to a file')
  .option('--junit <file>', 'also write JUnit XML')
  .option('-j, --concurrency <n>', 'requests in flight (default: the spec\'s concurrency, 50)')
  .option('--no-cache', 'ignore the response cache (neither read nor written)')
  .option('--quiet', 'no progress output')
  .option('--dry-run', 'print how many calls would be made and their estimated cost; make none')
  .action(async (file: string, options: EvalOptions) => {
    process.exitCode = await runCommand({ json: Boolean(options.json), io: processIo }, async () => {
      const { evalCommand } = await import('./commands/eval.js');
      return evalCommand(file, options, processIo, controller.signal);
    });
  });

program
  .command('optimize')
  .description('optimize the prompt of a task: versions, trace, checkpoints and a report per run')
  .argument('<task.yaml>', 'task spec')
  .addOption(new Option('--strategy <name>', 'search strategy (default: the spec\'s, iterative)').choices(['iterative', 'evolutionary', 'hybrid']))
  .option('--max-iterations <n>', 'training iterations at most')
  .option('--candidates <n>', 'candidates per iteration, 1 to 10')
  .option('--seed <n>', 'seed for sampling and strategies')
  .option('--max-cost <usd>', 'budget over optimizer, target and judge calls (default: budget.max_cost_usd)')
  .addOption(new Option('--accept <rule>', 'acceptance: score, or significant (paired McNemar test)').choices(['score', 'significant']))
  .option('--resume <run>', 'continue a run from its last checkpoint (a run id, a run folder, or "latest")')
  .option('--fail-under <score>', 'exit 1 when the final held-out test score is below this (0 to 1)')
  .option('-j, --concurrency <n>', 'requests in flight (default: the spec\'s concurrency, 50)')
  .option('--no-cache', 'ignore the response cache')
  .option('--no-feedback', 'ablation: show the optimizer only pass counts, no failure details')
  .option('--dry-run', 'print the projected calls and cost; make none')
  .option('--json', 'print one JSON summary on stdout and nothing else there')
  .option('--quiet', 'no live view; only the closing summary')
  .action(async (file: string, options: OptimizeOptions) => {
    process.exitCode = await runCommand({ json: Boolean(options.json), io: processIo }, async () => {
      const { optimizeCommand } = await import('./commands/optimize.js');
      return optimizeCommand(file, options, processIo, controller.signal);
    });
  });

program
  .command('init')
  .description('scaffold a working task (spec, prompt, cases, a custom assertion) that runs offline')
  .argument('[dir]', 'folder to create it in', '.')
  .option('--force', 'overwrite existing files')
  .action(async (dir: string, options: { force?: boolean }) => {
    process.exitCode = await runCommand({ json: false, io: processIo }, async () => {
      const { initCommand } = await import('./commands/init.js');
      return initCommand(dir, options, processIo);
    });
  });

const cache = program.command('cache').description('inspect or clear the response cache');
cache
  .command('stats')
  .argument('[task.yaml]', 'use the cache folder of this spec')
  .option('--dir <folder>', 'cache folder (default: the spec\'s, or .promptopt/cache)')
  .option('--json', 'JSON output')
  .action(async (file: string | undefined, options: CacheOptions) => {
    process.exitCode = await runCommand({ json: Boolean(options.json), io: processIo }, async () => {
      const { cacheStatsCommand } = await import('./commands/cache.js');
      return cacheStatsCommand(file, options, processIo);
    });
  });
cache
  .command('clear')
  .argument('[task.yaml]', 'use the cache folder of this spec')
  .option('--dir <folder>', 'cache folder (default: the spec\'s, or .promptopt/cache)')
  .option('--json', 'JSON output')
  .action(async (file: string | undefined, options: CacheOptions) => {
    process.exitCode = await runCommand({ json: Boolean(options.json), io: processIo }, async () => {
      const { cacheClearCommand } = await import('./commands/cache.js');
      return cacheClearCommand(file, options, processIo);
    });
  });

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    const benign = error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help';
    process.exitCode = benign ? EXIT.ok : EXIT.badInput;
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
