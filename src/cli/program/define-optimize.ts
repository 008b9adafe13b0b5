import { Option, type Command } from 'commander';
import { runAction } from '../run-command.js';
import type { ProgramEnv } from './command-env.js';
import type { OptimizeOptions } from '../commands/optimize.js';

/** `promptopt optimize`. */
export function defineOptimize(program: Command, env: ProgramEnv): void {
  program
    .command('optimize')
    .description('optimize the prompt of a task: versions, trace, checkpoints and a report per run')
    .argument('<task.yaml>', 'task spec')
    .addOption(new Option('--strategy <name>', 'search strategy (default: the spec\'s, iterative)').choices(['iterative', 'evolutionary', 'hybrid', 'pareto', 'opro']))
    .option('--max-iterations <n>', 'training iterations at most')
    .option('--candidates <n>', 'candidates per iteration, 1 to 10')
    .option('--seed <n>', 'seed for sampling and strategies')
    .option('--max-cost <usd>', 'budget over optimizer, target and judge calls (default: budget.max_cost_usd)')
    .addOption(new Option('--accept <rule>', 'acceptance: score, or significant (a paired test: McNemar on pass rates, a bootstrap on mean scores)').choices(['score', 'significant']))
    .option('--resume <run>', 'continue a run from its last checkpoint (a run id, a run folder, or "latest")')
    .option('--fail-under <score>', 'exit 1 when the final held-out test score is below this (0 to 1)')
    .option('-j, --concurrency <n>', 'requests in flight (default: the spec\'s concurrency, 50)')
    .option('--no-cache', 'ignore the response cache')
    .option('--no-feedback', 'ablation: show the optimizer only pass counts, no failure details')
    .addOption(
      new Option('--trace <mode>', 'trace.jsonl: full (every call, long texts stored once), calls (no request texts) or off')
        .choices(['full', 'calls', 'off'])
        .default('full'),
    )
    .option('--dry-run', 'print the projected calls and cost; make none')
    .option('--json', 'print one JSON summary on stdout and nothing else there')
    .option('--quiet', 'no live view; only the closing summary')
    .option('--deadline <duration>', 'stop and exit 3 when the run takes longer than this (e.g. 90s, 15m, 2h); the checkpoint is kept for --resume')
    .option('--notify <url>', 'also post notifications to this webhook (repeatable; added to the spec\'s notify.webhooks)', (url: string, urls: string[] = []) => [...urls, url])
    .action(async (file: string, options: OptimizeOptions) => {
      await runAction(env, Boolean(options.json), async () => {
        const { optimizeCommand } = await import('../commands/optimize.js');
        return optimizeCommand(file, options, env);
      });
    });
}
