/**
 * `promptopt bench [specs|suite...] --strategies a,b --runs 5 --seed 1 [--max-calls N] [--budget-per-run USD]`:
 * every (task × strategy × seed) is one optimize run under the same budget (src/bench/ does the
 * work); this wires the flags, prints one line per finished run on stderr and the tables on stdout
 * (or bench.json with --json). Exit 0; 2 bad input; 3 provider failure (finished runs kept); 130 on
 * Ctrl-C (finished runs kept: the same command continues).
 */
import chalk from 'chalk';
import { resolve } from 'node:path';
import { defaultBenchDir, parseStrategies, planTasks, runBench, type BenchEvent } from '../../bench/index.js';
import { UsageError } from '../../errors.js';
import { STRATEGY_NAMES } from '../../optimizer/strategies/resolve-strategy.js';
import { displayPath } from '../../spec/issues.js';
import { formatPercent } from '../terminal.js';
import type { CommandEnv } from '../program/command-env.js';
import { parsePositiveInt } from './eval.js';

export interface BenchOptions {
  strategies?: string;
  runs: string;
  seed: string;
  budgetPerRun?: string;
  maxCalls?: string;
  parallel: string;
  concurrency?: string;
  alpha: string;
  out?: string;
  cache: boolean;
  json?: boolean;
  quiet?: boolean;
}

export async function benchCommand(specs: string[], options: BenchOptions, ctx: CommandEnv): Promise<number> {
  const { io } = ctx;
  // Every flag is checked before a spec is read.
  const strategies = parseStrategies(options.strategies ?? STRATEGY_NAMES.join(','));
  const runs = parsePositiveInt('--runs', options.runs);
  const seed = parseInteger('--seed', options.seed);
  const parallel = parsePositiveInt('--parallel', options.parallel);
  const concurrency = options.concurrency === undefined ? undefined : parsePositiveInt('-j/--concurrency', options.concurrency);
  const maxTargetCalls = options.maxCalls === undefined ? undefined : parsePositiveInt('--max-calls', options.maxCalls);
  const maxUsd = options.budgetPerRun === undefined ? undefined : parseUsd(options.budgetPerRun);
  const alpha = parseAlpha(options.alpha);
  const quiet = Boolean(options.quiet || options.json);
  const warned = new Set<string>();
  const warn = (message: string) => {
    if (warned.has(message)) return; // every run loads the same specs: say each thing once
    warned.add(message);
    io.err(chalk.yellow(message));
  };
  const say = (line: string) => {
    if (!quiet) io.err(line);
  };

  const tasks = await planTasks({ files: specs, budget: { maxTargetCalls, maxUsd }, env: ctx.env, trustSpec: ctx.trustSpec, warn });
  for (const task of tasks) {
    const { maxTargetCalls: calls, maxUsd: usd } = task.budget;
    if (calls === undefined && usd === undefined) {
      warn(`warning: ${task.id}: no budget (no --max-calls, --budget-per-run or suite budget): each run stops at the spec's iteration limits, so strategies may spend different amounts`);
    } else if (calls === undefined && task.simulated.target && task.simulated.optimizer) {
      warn(`warning: ${task.id}: the simulator is free, so a USD budget never binds on it; budget calls with --max-calls`);
    }
  }
  const dir = options.out ? resolve(options.out) : defaultBenchDir(process.cwd(), tasks);
  const settings = { strategies, runs, seed, parallel, alpha, ...(concurrency ? { concurrency } : {}) };
  say(`promptopt bench · ${tasks.length} task(s) × ${strategies.length} strateg${strategies.length === 1 ? 'y' : 'ies'} (${strategies.join(', ')}) × ${runs} seed(s) from ${seed} · ${parallel} at once`);

  const starts = new Map<string, number>();
  const onEvent = (event: BenchEvent) => {
    switch (event.type) {
      case 'planned':
        say(`folder ${displayPath(event.dir)}${event.finished > 0 ? ` · continuing: ${event.finished} of ${event.total} runs already finished` : ` · ${event.total} runs`}`);
        for (const s of event.skipped) say(chalk.yellow(`${s.task}: not run: needs a real model (${s.reason}); the spec's target is the simulator`));
        return;
      case 'start_scored':
        starts.set(event.record.task, event.record.scores.test);
        say(`${event.record.task}: starting prompt · test ${formatPercent(event.record.scores.test)} · validation ${event.record.scores.validation === undefined ? '—' : formatPercent(event.record.scores.validation)}${event.reused ? ' (recorded)' : ''}`);
        return;
      case 'run_started':
        return;
      case 'run_finished': {
        const r = event.record;
        const charged = r.usage.charged;
        const start = starts.get(r.task);
        say(
          `[${event.done}/${event.total}] ${r.task} · ${r.strategy} · seed ${r.seed}: test ${formatPercent(r.scores.test)}${start === undefined ? '' : ` (start ${formatPercent(start)})`}` +
            ` · ${charged.target.calls} target + ${charged.optimizer.calls} optimizer calls charged · stopped: ${r.stopReason} · ${(r.wallMs / 1000).toFixed(1)} s`,
        );
      }
    }
  };
  const outcome = await runBench({ tasks, settings, dir, env: ctx.env, trustSpec: ctx.trustSpec, signal: ctx.signal, cache: options.cache, warn, onEvent });
  if (options.json) io.out(JSON.stringify(outcome.json));
  else io.out(outcome.markdown.trimEnd());
  say(chalk.dim(`tables: ${displayPath(outcome.files.markdown)}, ${displayPath(outcome.files.json)}, ${displayPath(outcome.files.html)}`));
  return 0;
}

function parseInteger(flag: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n)) throw new UsageError(`${flag} must be an integer (got "${value}")`);
  return n;
}

function parseUsd(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new UsageError(`--budget-per-run must be a positive number of USD (got "${value}")`);
  return n;
}

function parseAlpha(value: string): number {
  const n = Number(value);
  if (!(n > 0 && n < 1)) throw new UsageError(`--alpha must be between 0 and 1 (got "${value}")`);
  return n;
}
