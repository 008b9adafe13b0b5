/**
 * Scores a batch of candidates on one split, all at once (they share the loop's limiter), and turns
 * each into a CandidateRecord with fixed/broken cases against the current prompt. A candidate with
 * cases that failed with provider errors after retries gets no score: status `unscored`, with why.
 */
import type { EvalResult } from '../runner/types.js';
import type { SplitName } from '../spec/types.js';
import type { LoopContext } from './loop-context.js';
import { providerFailureSummary } from './provider-failures.js';
import { fixedAndBroken, scoreSplit } from './score-split.js';
import type { Candidate, CandidateRecord, Phase, SplitScore } from './types.js';

export interface ScoredCandidate {
  record: CandidateRecord;
  result: EvalResult;
}

export async function scoreCandidates(
  context: LoopContext,
  candidates: Candidate[],
  split: SplitName,
  baseline: SplitScore,
  phase: Phase,
  iteration: number,
): Promise<ScoredCandidate[]> {
  const results = await Promise.all(
    candidates.map((candidate, index) => context.evaluate(candidate.prompt, split, { iteration, candidate: index + 1, phase })),
  );
  return candidates.map((candidate, index) => {
    const result = results[index]!;
    const unscored = providerFailureSummary(result, split);
    if (unscored) {
      const record: CandidateRecord = { candidate, status: 'unscored', reason: `not scored: ${unscored}`, fixed: [], broken: [] };
      return { record, result };
    }
    const score = scoreSplit(split, result.cases, context.spec.objective);
    const { fixed, broken } = fixedAndBroken(baseline, score);
    const record: CandidateRecord = { candidate, status: 'rejected', reason: '', fixed, broken, [split === 'validation' ? 'validation' : 'train']: score };
    return { record, result };
  });
}
