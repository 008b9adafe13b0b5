/**
 * The validation phase improves generalization without breaking training. Candidates are written
 * from descriptive validation feedback (patterns, not raw cases, unless the spec allows it), re-checked
 * on train first: one that breaks a train case the current prompt passes (with `objective: mean_score`:
 * lowers the train mean score beyond noise) is rejected, and the cases it broke go to the next
 * iteration as constraints ("combined feedback"). Survivors compete on validation.
 */
import { analyzeFailures } from '../feedback/analyze-failures.js';
import { varFacts } from '../feedback/case-text.js';
import { formatDescriptiveFeedback, formatTrainFeedback, scoreLine } from '../feedback/format-feedback.js';
import { formatCaseBlock, formatVars, readVars } from '../feedback/vocabulary/case-block.js';
import { WITHHELD_NOTE } from '../feedback/vocabulary/markers.js';
import { stringifyValue } from '../template/template.js';
import type { CaseResult } from '../runner/types.js';
import type { Objective } from '../spec/types.js';
import { candidateDirections } from './directions.js';
import { enterPhase, type LoopContext, type LoopSettings } from './loop-context.js';
import { feedbackBudgetChars } from './meta-prompt.js';
import { requireScored } from './provider-failures.js';
import { gainRules, noTrainBreak } from './rules/acceptance-rules.js';
import { converged, maxIterations, patience } from './rules/stop-rules.js';
import { runPhase, type PhasePlan } from './run-iteration.js';
import { scoreSplit } from './score-split.js';
import { withheldUnlessFeedback } from './training-phase.js';
import type { SplitScore, TrainConstraint } from './types.js';

const MAX_CONSTRAINTS = 10;

/**
 * Runs the validation phase (nothing when there is no validation split). The current prompt's
 * validation score is measured first when the training phase did not (a resumed older run).
 */
export async function runValidationPhase(context: LoopContext): Promise<void> {
  const { state } = context;
  if (!context.hasSplit('validation')) return;
  enterPhase(context, 'validation');
  if (!state.current.validation) {
    const result = await context.resultsOf(state.current.prompt, 'validation', { phase: 'validation' });
    requireScored(result, 'validation', `the current prompt (v${state.current.version})`);
    state.current.validation = scoreSplit('validation', result.cases, context.spec.objective);
  }
  await runPhase(context, validationPlan(context.settings));
}

/**
 * The validation phase's plan: candidates are written from descriptive validation feedback, re-checked
 * on train first (one that breaks a train case the current prompt passes is out, and those cases go
 * to the next request as constraints), and survivors compete on validation under the same gain rules
 * as training (`strict_below`, and the paired test with `accept: significant`).
 */
export function validationPlan(settings: LoopSettings): PhasePlan {
  let constraints: TrainConstraint[] = [];
  return {
    phase: 'validation',
    lead: 'validation',
    stages: [
      { split: 'train', rules: [noTrainBreak] },
      { split: 'validation', rules: gainRules(settings) },
    ],
    stops: [maxIterations(settings.validationIterations), patience(settings.patience), converged('validation')],
    propose(context, { iteration, current, results }) {
      constraints = [];
      const shownValidation = context.forOptimizer(results.cases);
      const analysis = withheldUnlessFeedback(analyzeFailures(shownValidation), settings.feedback);
      const budgetChars = feedbackBudgetChars(settings.metaPromptTokens, current.prompt.length);
      const objective = context.spec.objective;
      const patterns = !settings.feedback
        ? `${scoreLine('Validation results', analysis, objective)}. ${WITHHELD_NOTE}`
        : settings.showValidationCases
          ? formatTrainFeedback(analysis, shownValidation, { budgetChars, seed: settings.seed, title: 'Validation results', objective })
          : formatDescriptiveFeedback(analysis, { budgetChars, title: 'Validation patterns', objective });
      const feedback = [`${trainingLine(current.train, objective)}`, patterns].join('\n\n');
      const directions = candidateDirections(analysis, settings.candidates, iteration, { descriptive: !settings.showValidationCases });
      const block = formatConstraints(context.state.constraints);
      return directions.map((direction) => ({
        request: { kind: 'refine', current: current.prompt, feedback, memory: context.state.memory, direction, ...(block ? { constraints: block } : {}) },
        origin: 'refine',
        direction,
        parents: [current.candidateId],
      }));
    },
    rejected(context, candidate, rejection) {
      if (rejection.status !== 'breaks_train') return;
      constraints.push(...constraintsFrom(context.forOptimizer(candidate.results.train!.cases), candidate.record.broken));
    },
    finished(context) {
      // One entry per broken case (several candidates may break the same one).
      const byCase = new Map(constraints.map((c) => [c.caseId, c]));
      context.state.constraints = [...byCase.values()].slice(0, MAX_CONSTRAINTS);
    },
  };
}

/**
 * What the optimizer is told about training in the validation phase: the current train score (both
 * figures, the objective's named) and what noTrainBreak holds it to under that objective.
 */
function trainingLine(train: SplitScore, objective: Objective): string {
  // Scores from before objectives carry only `score` (the pass rate then).
  const figures = { passed: train.passed, total: train.total, passRate: train.passRate ?? train.score, score: train.meanScore ?? train.score };
  const rule =
    objective === 'mean_score'
      ? 'The training mean score must not fall: do not trade training cases for validation ones.'
      : 'Every training case that passes now must keep passing.';
  return `${scoreLine('Training', figures, objective)}. ${rule}`;
}

/** The broken cases as constraints; `cases` already hold only the variables optimizer requests may show. */
function constraintsFrom(cases: CaseResult[], brokenIds: string[]): TrainConstraint[] {
  const broken = new Set(brokenIds);
  return cases
    .filter((c) => broken.has(c.caseId))
    .map((c) => ({
      caseId: c.caseId,
      input: formatVars(varFacts(c.vars)),
      expected: stringifyValue(c.expected),
      actual: c.output,
    }));
}

/** The "training constraints to preserve" block: train cases the last candidates broke. */
export function formatConstraints(constraints: TrainConstraint[]): string | undefined {
  if (constraints.length === 0) return undefined;
  const clip = (text: string) => (text.length > 300 ? `${text.slice(0, 299)}…` : text);
  return [
    'SITUATION: the last refinement tried to fix validation patterns but broke these training cases. Fix the',
    'validation patterns WITHOUT breaking them:',
    ...constraints.map((c) => {
      const { vars, end } = readVars(c.input);
      return formatCaseBlock({
        id: c.caseId,
        // A constraint saved by an older version holds its input as plain text.
        vars: end === c.input.length ? vars : [{ name: 'input', text: clip(c.input) }],
        expected: clip(c.expected),
        answerField: 'broken',
        answer: clip(c.actual),
        failed: [],
      });
    }),
  ].join('\n');
}
