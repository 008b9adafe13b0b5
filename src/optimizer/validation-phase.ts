/**
 * The validation phase improves generalization without breaking training. Candidates are written
 * from descriptive validation feedback (patterns, not raw cases, unless the spec allows it), re-checked
 * on train first: one that breaks a train case the current prompt passes is rejected, and those cases
 * go to the next iteration as constraints ("combined feedback"). Survivors compete on validation.
 */
import { formatPercent as pct } from '../util/format-percent.js';
import { analyzeFailures } from '../feedback/analyze-failures.js';
import { varFacts } from '../feedback/case-text.js';
import { formatDescriptiveFeedback, formatTrainFeedback } from '../feedback/format-feedback.js';
import { formatCaseBlock, formatVars, readVars } from '../feedback/vocabulary/case-block.js';
import { WITHHELD_NOTE } from '../feedback/vocabulary/markers.js';
import { stringifyValue } from '../spec/template.js';
import type { CaseResult } from '../runner/types.js';
import { compareCandidates, decideAcceptance } from './acceptance.js';
import { candidateDirections } from './directions.js';
import { generateCandidates, proposedEvent } from './generate-candidates.js';
import { enterPhase, type LoopContext } from './loop-context.js';
import { feedbackBudgetChars } from './meta-prompt.js';
import { rememberIteration } from './memory.js';
import { requireScored } from './provider-failures.js';
import { scoreCandidates } from './score-candidates.js';
import { scoreSplit } from './score-split.js';
import { withheldUnlessFeedback } from './training-phase.js';
import type { CandidateRecord, IterationRecord, TrainConstraint } from './types.js';

const MAX_CONSTRAINTS = 10;

export async function runValidationPhase(context: LoopContext): Promise<void> {
  const { state, settings } = context;
  enterPhase(context, 'validation');
  if (!state.current.validation) {
    const result = await context.evaluate(state.current.prompt, 'validation', { phase: 'validation' });
    if (result.cases.length === 0) return;
    requireScored(result, 'validation', `the current prompt (v${state.current.version})`);
    state.current.validation = scoreSplit('validation', result.cases, context.spec.objective);
  }
  while (
    state.iteration < settings.validationIterations &&
    state.stale < settings.patience &&
    (state.current.validation?.score ?? 1) < 1
  ) {
    await runValidationIteration(context, state.iteration + 1);
  }
}

async function runValidationIteration(context: LoopContext, iteration: number): Promise<void> {
  const { state, settings, hooks } = context;
  hooks.emit({ type: 'iteration_started', phase: 'validation', iteration });
  const spentBefore = context.caller.ledger.totalCostUsd;
  const current = state.current;
  const validationResult = await context.evaluate(current.prompt, 'validation', { iteration, phase: 'validation' });
  requireScored(validationResult, 'validation', `the current prompt (v${current.version})`);
  const currentValidation = scoreSplit('validation', validationResult.cases, context.spec.objective);
  const shownValidation = context.forOptimizer(validationResult.cases);
  const analysis = withheldUnlessFeedback(analyzeFailures(shownValidation), settings.feedback);
  const budgetChars = feedbackBudgetChars(settings.metaPromptTokens, current.prompt.length);
  const patterns = !settings.feedback
    ? `Validation results: ${analysis.passed}/${analysis.total} passed (${pct(analysis.score)}). ${WITHHELD_NOTE}`
    : settings.showValidationCases
      ? formatTrainFeedback(analysis, shownValidation, { budgetChars, seed: settings.seed, title: 'Validation results' })
      : formatDescriptiveFeedback(analysis, { budgetChars, title: 'Validation patterns' });
  const feedback = [
    `Training: ${current.train.passed}/${current.train.total} passed (${pct(current.train.score)}). Every training case that passes now must keep passing.`,
    patterns,
  ].join('\n\n');
  const directions = candidateDirections(analysis, settings.candidates, iteration, { descriptive: !settings.showValidationCases });
  const constraints = formatConstraints(state.constraints);
  const generated = await generateCandidates({
    proposals: directions.map((direction) => ({
      request: { kind: 'refine', current: current.prompt, feedback, memory: state.memory, direction, ...(constraints ? { constraints } : {}) },
      origin: 'refine',
      direction,
      parents: [current.candidateId],
    })),
    task: context.task,
    optimizer: context.optimizer,
    caller: context.caller,
    phase: 'validation',
    iteration,
    budgetTokens: settings.metaPromptTokens,
    maxTokens: settings.optimizerMaxTokens,
    reference: state.start.prompt,
    known: new Set([current.prompt]),
  });
  hooks.emit(proposedEvent(iteration, generated));

  // 1. Re-check on train: a candidate that breaks any train case the current prompt passes is out.
  const onTrain = await scoreCandidates(context, generated.candidates, 'train', current.train, 'validation', iteration);
  const newConstraints: TrainConstraint[] = [];
  const survivors = onTrain.filter(({ record, result }) => {
    if (record.status === 'unscored') return false;
    if (record.broken.length === 0) return true;
    record.status = 'breaks_train';
    record.reason = `broke ${record.broken.length} train case(s) that passed before`;
    newConstraints.push(...constraintsFrom(context.forOptimizer(result.cases), record.broken));
    return false;
  });

  // 2. Survivors compete on validation.
  const onValidation = await scoreCandidates(
    context,
    survivors.map((s) => s.record.candidate),
    'validation',
    currentValidation,
    'validation',
    iteration,
  );
  const records: CandidateRecord[] = onTrain.map((s) => s.record);
  for (const scored of onValidation) {
    const trainRecord = records.find((r) => r.candidate.id === scored.record.candidate.id)!;
    if (scored.record.status === 'unscored') [trainRecord.status, trainRecord.reason] = [scored.record.status, scored.record.reason];
    else trainRecord.validation = scored.record.validation;
  }
  const ranked = records.filter((r) => r.validation).sort((a, b) => compareCandidates(a, b, 'validation'));
  const best = ranked[0];
  let acceptedId: string | undefined;
  let lateral = false;
  if (best) {
    const decision = decideAcceptance(best.validation!.score, currentValidation.score, { strictBelow: settings.strictBelow, mode: 'score', alpha: settings.alpha });
    best.status = decision.status;
    best.reason = decision.reason;
    if (decision.accept) {
      acceptedId = best.candidate.id;
      lateral = decision.lateral;
    }
    for (const other of ranked.slice(1)) {
      other.status = 'rejected';
      other.reason = `not the best on validation (${pct(other.validation!.score)} vs ${pct(best.validation!.score)})`;
    }
  }
  for (const record of records) hooks.emit({ type: 'candidate_scored', iteration, record });

  if (best && acceptedId) {
    const version = await hooks.writeVersion({
      prompt: best.candidate.prompt,
      parent: current.version,
      hypothesis: best.candidate.hypothesis,
      train: best.train!,
      validation: best.validation,
    });
    state.current = { candidateId: acceptedId, prompt: best.candidate.prompt, version, train: best.train!, validation: best.validation };
  }
  const scoreAfter = state.current.validation?.score ?? currentValidation.score;
  state.stale = scoreAfter > currentValidation.score ? 0 : state.stale + 1;
  // One entry per broken case (several candidates may break the same one).
  const byCase = new Map(newConstraints.map((c) => [c.caseId, c]));
  state.constraints = [...byCase.values()].slice(0, MAX_CONSTRAINTS);
  const record: IterationRecord = {
    iteration,
    phase: 'validation',
    candidates: [...records, ...generated.invalid],
    acceptedId,
    scoreBefore: currentValidation.score,
    scoreAfter,
    lateral,
    costUsd: context.caller.ledger.totalCostUsd - spentBefore,
  };
  state.memory = rememberIteration(state.memory, record);
  state.iterations.push(record);
  state.iteration = iteration;
  hooks.emit({ type: 'iteration_finished', record, current: state.current });
  await hooks.checkpoint(state);
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
