import type { Command } from 'commander';
import { runAction } from '../run-command.js';
import type { ProgramEnv } from './command-env.js';
import type { BenchOptions } from '../commands/bench.js';

/** `promptopt bench` (the command body is loaded only when it runs). */
export function defineBench(program: Command, env: ProgramEnv): void {
  program
    .command('bench')
    .description('compare optimizer strategies on tasks under equal budgets: repeated seeded runs, held-out test scores, paired significance tests; writes bench.md, bench.json, bench.html')
    .argument('[specs...]', 'task specs, or suite files listing them (e.g. evals/bench/suite.yaml)')
    .option('--strategies <list>', 'comma-separated strategies (default: every strategy promptopt knows)')
    .option('--runs <n>', 'seeded runs per strategy and task', '5')
    .option('--seed <n>', 'the first seed (runs use seed, seed + 1, ...)', '1')
    .option('--budget-per-run <usd>', 'USD per run, cache hits counted as if paid (default: the suite file\'s budget_per_run)')
    .option('--max-calls <n>', 'target calls per run, cache hits and failed calls included (default: the suite file\'s max_calls)')
    .option('--parallel <n>', 'runs at once', '4')
    .option('-j, --concurrency <n>', 'requests in flight per run (default: the spec\'s concurrency)')
    .option('--alpha <p>', 'significance level of the verdicts', '0.05')
    .option('--out <dir>', 'the bench folder (default: .promptopt/bench/bench-<key of the tasks and budgets>; the same command continues it)')
    .option('--no-cache', 'no shared response cache (every run pays for every call; a restarted run repeats its calls)')
    .option('--json', 'print bench.json on stdout and nothing else there')
    .option('--quiet', 'no progress lines')
    .action(async (specs: string[], options: BenchOptions) => {
      await runAction(env, Boolean(options.json), async () => {
        const { benchCommand } = await import('../commands/bench.js');
        return benchCommand(specs, options, env);
      });
    });
}
