/**
 * What the training phase hands a strategy besides the current prompt's results: minibatch
 * evaluations, feedback on a few cases, and case results as optimizer requests may show them. Each
 * goes through the loop context, so the held-out rule (`forOptimizer`, train cases only), the budget,
 * the cache and --no-feedback apply to them as to everything else.
 */
import { analyzeFailures } from '../feedback/analyze-failures.js';
import { caseFacts } from '../feedback/case-text.js';
import { formatTrainFeedback } from '../feedback/format-feedback.js';
import { formatCaseBlock } from '../feedback/vocabulary/case-block.js';
import { WITHHELD_NOTE } from '../feedback/vocabulary/markers.js';
import { formatPercent as pct } from '../util/format-percent.js';
import type { LoopContext } from './loop-context.js';
import { feedbackBudgetChars } from './meta-prompt.js';
import type { ProposalContext } from './strategies/types.js';

export type StrategyTools = Pick<ProposalContext, 'seed' | 'evaluateTrainCases' | 'feedbackOn' | 'showable' | 'temperature' | 'minibatch' | 'merge'>;

export const KEEP_PASSING_NOTE = 'These cases pass now: the new prompt must keep them passing.';

export function strategyTools(context: LoopContext, iteration: number): StrategyTools {
  const { settings } = context;
  return {
    seed: settings.seed,
    minibatch: settings.minibatch,
    merge: settings.merge,
    ...(settings.optimizerTemperature !== undefined ? { temperature: settings.optimizerTemperature } : {}),
    evaluateTrainCases: (prompt, caseIds) => context.evaluateCases(prompt, 'train', caseIds, { iteration, phase: 'minibatch' }),
    showable: (cases) => (settings.feedback ? context.forOptimizer(cases) : undefined),
    feedbackOn(cases, title) {
      const shown = context.forOptimizer(cases);
      const analysis = analyzeFailures(shown);
      if (!settings.feedback) {
        return { feedback: `${title}: ${analysis.passed}/${analysis.total} passed (${pct(analysis.score)}). ${WITHHELD_NOTE}`, passing: undefined };
      }
      const budgetChars = feedbackBudgetChars(settings.metaPromptTokens, context.state.current.prompt.length);
      const feedback = formatTrainFeedback(analysis, shown, { budgetChars, seed: settings.seed, title });
      const passing = shown.filter((c) => c.pass && !c.providerError);
      const blocks = passing.map((c) => formatCaseBlock(caseFacts(c, [], 'now')));
      return { feedback, passing: blocks.length > 0 ? [KEEP_PASSING_NOTE, ...blocks].join('\n') : undefined };
    },
  };
}
