/**
 * Provider errors are never a verdict on a prompt. A result with cases that still failed with a
 * provider error after retries is not a score: a candidate hit by them stays unscored (and says
 * so); a prompt the run cannot do without (the baseline, the current prompt, the held-out test)
 * stops the run with NotScoredError (exit 3; --resume continues once the provider is back).
 */
import { NotScoredError } from '../errors.js';
import type { EvalResult } from '../runner/types.js';
import type { SplitName } from '../spec/types.js';

/** "3 train case(s) failed with provider errors after retries (first: tr-07: openai: 500 ...)", or undefined when none did. */
export function providerFailureSummary(result: EvalResult, split: SplitName): string | undefined {
  const failed = result.cases.filter((c) => c.providerError);
  if (failed.length === 0) return undefined;
  const first = failed[0]!;
  return `${failed.length} ${split} case(s) failed with provider errors after retries (first: ${first.caseId}: ${first.providerError!.message})`;
}

/** Throws NotScoredError when `result` has provider failures; `what` names the prompt ("the starting prompt"). */
export function requireScored(result: EvalResult, split: SplitName, what: string): void {
  const summary = providerFailureSummary(result, split);
  if (summary) throw new NotScoredError(`${what} could not be scored on ${split}: ${summary}`);
}
