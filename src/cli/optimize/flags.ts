/** optimize's command-line flags, parsed into the library's typed overrides (every flag checked before anything is read). */
import { UsageError } from '../../errors.js';
import type { LoopOverrides } from '../../optimizer/resolve-settings.js';
import { parsePositiveInt } from '../commands/eval.js';

export interface OptimizeFlags {
  strategy?: string;
  maxIterations?: string;
  candidates?: string;
  seed?: string;
  maxCost?: string;
  accept?: string;
  concurrency?: string;
  feedback: boolean;
  failUnder?: string;
}

export function loopOverrides(flags: OptimizeFlags): LoopOverrides {
  return {
    ...(flags.strategy !== undefined ? { strategy: flags.strategy } : {}),
    ...(flags.maxIterations !== undefined ? { maxIterations: parsePositiveInt('--max-iterations', flags.maxIterations) } : {}),
    ...(flags.candidates !== undefined ? { candidates: parsePositiveInt('--candidates', flags.candidates) } : {}),
    ...(flags.seed !== undefined ? { seed: parseSeed(flags.seed) } : {}),
    ...(flags.accept !== undefined ? { accept: flags.accept } : {}),
    ...(flags.concurrency !== undefined ? { concurrency: parsePositiveInt('-j/--concurrency', flags.concurrency) } : {}),
    feedback: flags.feedback,
  };
}

function parseSeed(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n)) throw new UsageError(`--seed must be an integer (got "${value}")`);
  return n;
}

export function parseMaxCost(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new UsageError(`--max-cost must be a positive number of USD (got "${value}")`);
  return n;
}
