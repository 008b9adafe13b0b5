import { Option, type Command } from 'commander';
import { runAction } from '../run-command.js';
import type { ProgramEnv } from './command-env.js';
import type { EvalOptions } from '../commands/eval.js';

/** `promptopt eval` (the command body is loaded only when it runs). */
export function defineEval(program: Command, env: ProgramEnv): void {
  program
    .command('eval')
    .description('score a prompt on a task; exit 0 when score >= threshold, 1 below, 2 bad input, 3 provider failure')
    .argument('<task.yaml>', 'task spec, or a promptfoo config (every prompt × provider is scored)')
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
    .option('--deadline <duration>', 'stop and exit 3 when the run takes longer than this (e.g. 90s, 15m, 2h)')
    .option('--notify <url>', 'also post notifications to this webhook (repeatable; added to the spec\'s notify.webhooks)', (url: string, urls: string[] = []) => [...urls, url])
    .action(async (file: string, options: EvalOptions) => {
      await runAction(env, Boolean(options.json), async () => {
        const { evalCommand } = await import('../commands/eval.js');
        return evalCommand(file, options, env);
      });
    });
}
