import { Option, type Command } from 'commander';
import { runAction } from '../run-command.js';
import type { ProgramEnv } from './command-env.js';
import type { CompareOptions } from '../commands/compare.js';

/** `promptopt compare` (the command body is loaded only when it runs). */
export function defineCompare(program: Command, env: ProgramEnv): void {
  program
    .command('compare')
    .description('compare prompt versions and models side by side on the same cases, with paired significance tests; writes report.html')
    .argument('<task.yaml>', 'task spec')
    .option('--versions <list>', 'comma-separated: vN or N (a committed version), current (the spec\'s prompt), or a prompt file', 'current')
    .option('--models <list>', 'comma-separated provider:model, with the spec\'s target settings (default: the spec\'s target)')
    .option('--baseline <pair>', '<version>[@<provider:model>] to compare against (default: the first version on the first model)')
    .addOption(new Option('--split <split>', 'which cases to run').choices(['train', 'validation', 'test', 'all']).default('all'))
    .option('--repeat <k>', 'samples per case (default: the spec\'s repeat)')
    .option('--alpha <p>', 'significance level of the paired tests', '0.05')
    .option('--min-cases <n>', 'no verdict below this many paired cases', '20')
    .option('--resamples <n>', 'paired bootstrap resamples (default 10000)')
    .option('--seed <n>', 'paired bootstrap seed (default 0)')
    .option('--fail-if-worse', 'exit 1 when any pair is significantly worse than the baseline')
    .option('--json', 'print one JSON document on stdout and nothing else there')
    .option('-j, --concurrency <n>', 'requests in flight over all pairs (default: the spec\'s concurrency, 50)')
    .option('--no-cache', 'ignore the response cache (neither read nor written)')
    .option('--quiet', 'no progress output')
    .option('--notify <url>', 'also post notifications to this webhook (repeatable; added to the spec\'s notify.webhooks)', (url: string, urls: string[] = []) => [...urls, url])
    .action(async (file: string, options: CompareOptions) => {
      await runAction(env, Boolean(options.json), async () => {
        const { compareCommand } = await import('../commands/compare.js');
        return compareCommand(file, options, env);
      });
    });
}
