/**
 * `promptopt eval promptfooconfig.yaml`: the config mapped in memory (src/promptfoo), every
 * prompt × provider scored as its own eval, in order, then one table side by side. The exit code is
 * the worst of the runs (3 provider failure, then 2 nothing checked, then 1 below threshold).
 */
import chalk from 'chalk';
import { EXIT, MissingApiKeyError, PromptoptError, UsageError } from '../../errors.js';
import { loadSpec } from '../../session/load-spec.js';
import { checkModelAccess } from '../../session/task-session.js';
import { displayPath } from '../../spec/issues.js';
import { mappedRuns, mapPromptfooConfig, type MappedRun } from '../../promptfoo/index.js';
import type { CommandEnv } from '../program/command-env.js';
import { formatPercent } from '../terminal.js';
import type { EvalOptions } from './eval.js';

export interface MappedVerdict {
  score: number;
  passRate: number;
  meanScore: number;
  exitCode: number;
}

const WORST_FIRST: number[] = [EXIT.providerFailure, EXIT.badInput, EXIT.belowThreshold, EXIT.ok];

export async function evalPromptfooConfig(
  file: string,
  options: EvalOptions,
  ctx: CommandEnv,
  warn: (message: string) => void,
  evalRun: (run: MappedRun, onVerdict: (verdict: MappedVerdict) => void) => Promise<number>,
): Promise<number> {
  const { io } = ctx;
  const shown = displayPath(file);
  if (options.prompt) {
    throw new UsageError(`--prompt replaces a spec's prompt; ${shown} is a promptfoo config with prompts of its own`, `\`promptopt import promptfoo ${shown} -o task.yaml\` converts it; then eval task.yaml --prompt <file>`);
  }
  const config = await mapPromptfooConfig(file, { env: ctx.env, trustSpec: ctx.trustSpec });
  const runs = mappedRuns(config);
  if (runs.length > 1 && (options.output || options.junit)) {
    throw new UsageError(`--output and --junit hold one eval; ${shown} makes ${runs.length} (prompts × providers)`, '--json prints one document per line, one per run; or import the config and eval one spec');
  }
  // Every run's spec, and every provider's key, is checked before the first call: a mistake in the last
  // one stops nothing half-run (a dry run makes no call, so it needs no key).
  for (const run of runs) {
    const spec = await loadSpec(file, { env: ctx.env, trustSpec: ctx.trustSpec, source: run.source });
    if (!options.dryRun) {
      try {
        checkModelAccess(spec, { env: ctx.env, trustSpec: ctx.trustSpec });
      } catch (error) {
        // A config has no `provider: sim` to switch to: say what a promptfoo user can do.
        if (!(error instanceof MissingApiKeyError)) throw error;
        throw new PromptoptError(error.code, `${error.message} (a provider of ${shown})`, {
          exitCode: error.exitCode,
          hint: `set it, or \`promptopt eval ${shown} --dry-run\` to see the calls without a key; to try it offline, \`promptopt import promptfoo ${shown}\` and set the spec's target to { provider: sim, model: sim-classifier }`,
        });
      }
    }
  }
  if (config.warning) warn(config.warning);
  const several = runs.length > 1;
  if (several && !options.quiet && !options.json) {
    io.err(`promptfoo config ${shown}: ${config.prompts.length} prompt(s) × ${config.providers.length} provider(s) = ${runs.length} evals, each scored on its own`);
  }
  const rows: { run: MappedRun; verdict?: MappedVerdict; code: number }[] = [];
  for (const run of runs) {
    // A dry run's estimate names only the target: say which prompt it is for.
    if (several && options.dryRun && !options.json) io.out(`prompt "${run.prompt}" · provider ${run.provider}`);
    let verdict: MappedVerdict | undefined;
    const code = await evalRun(run, (v) => (verdict = v));
    rows.push({ run, code, ...(verdict ? { verdict } : {}) });
    if (several && !options.json) io.out('');
  }
  if (several && !options.json && !options.dryRun) io.out(comparisonTable(rows));
  return WORST_FIRST.find((code) => rows.some((row) => row.code === code)) ?? rows[0]!.code;
}

function comparisonTable(rows: { run: MappedRun; verdict?: MappedVerdict; code: number }[]): string {
  const header = ['prompt', 'provider', 'pass rate', 'mean score', 'verdict'];
  const body = rows.map(({ run, verdict, code }) => [
    run.prompt,
    run.provider === run.target ? run.target : `${run.provider} (${run.target})`,
    verdict ? formatPercent(verdict.passRate) : '-',
    verdict ? formatPercent(verdict.meanScore) : '-',
    code === EXIT.ok ? 'PASS' : code === EXIT.belowThreshold ? 'FAIL' : code === EXIT.providerFailure ? 'ERROR (provider)' : 'NOT CHECKED',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => r[i]!.length)));
  const line = (cells: string[]) => `  ${cells.map((c, i) => (i >= 2 && i <= 3 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ')}`.trimEnd();
  return [chalk.bold('prompts × providers'), line(header), ...body.map(line)].join('\n');
}
