/**
 * The training phase: each iteration the strategy proposes N requests, the optimizer model answers
 * them in parallel, every valid candidate is scored on train in parallel, the best is selected and
 * accepted adaptively. Stops at 100% train, max_iterations, or `patience` iterations without a gain.
 */
import { formatPercent as pct } from '../util/format-percent.js';
import { ProviderError } from '../errors.js';
import { analyzeFailures } from '../feedback/analyze-failures.js';
import type { FailureAnalysis } from '../feedback/types.js';
import { compareCandidates, decideAcceptance } from './acceptance.js';
import { generateCandidates, proposedEvent } from './generate-candidates.js';
import { enterPhase, type LoopContext } from './loop-context.js';
import { rememberIteration } from './memory.js';
import { pairedSignificance } from './paired-test.js';
import { providerFailureSummary, requireScored } from './provider-failures.js';
import { scoreSplit } from './score-split.js';
import { scoreCandidates } from './score-candidates.js';
import type { IterationRecord, StopReason } from './types.js';

export async function runTrainingPhase(context: LoopContext): Promise<StopReason> {
  const { state } = context;
  enterPhase(context, 'train');
  for (;;) {
    const stop = trainingStop(context);
    if (stop) return stop;
    await runTrainingIteration(context, state.iteration + 1);
  }
}

function trainingStop(context: LoopContext): StopReason | undefined {
  const { state, settings } = context;
  if (state.current.train.score >= 1) return 'converged';
  if (state.iteration >= settings.maxIterations) return 'max_iterations';
  if (state.stale >= settings.patience) return 'patience';
  return undefined;
}

async function runTrainingIteration(context: LoopContext, iteration: number): Promise<void> {
  const { state, settings, hooks, strategy } = context;
  hooks.emit({ type: 'iteration_started', phase: 'train', iteration });
  const spentBefore = context.caller.ledger.totalCostUsd;
  const current = state.current;
  const currentResult = await context.evaluate(current.prompt, 'train', { iteration, phase: 'train' });
  requireScored(currentResult, 'train', `the current prompt (v${current.version})`);
  const feedback = context.trainFeedback(currentResult);
  context.feedbackById.set(current.candidateId, feedback);

  const proposals = strategy.propose({
    iteration,
    candidates: settings.candidates,
    current,
    results: currentResult,
    // --no-feedback: the directions must not carry failure details (groups, suggested fixes) either.
    analysis: withheldUnlessFeedback(analyzeFailures(context.forOptimizer(currentResult.cases)), settings.feedback),
    feedback,
    memory: state.memory,
    feedbackFor: (id) => context.feedbackById.get(id),
  });
  const generated = await generateCandidates({
    proposals,
    task: context.task,
    optimizer: context.optimizer,
    caller: context.caller,
    phase: 'train',
    iteration,
    budgetTokens: settings.metaPromptTokens,
    maxTokens: settings.optimizerMaxTokens,
    reference: state.start.prompt,
    known: new Set([current.prompt]),
  });
  if (generated.candidates.length === 0 && generated.providerFailures.length === proposals.length) {
    throw generated.providerFailures[0] ?? new ProviderError(context.optimizer.provider, 'server', 'every optimizer call failed');
  }
  hooks.emit(proposedEvent(iteration, generated));

  const scored = await scoreCandidates(context, generated.candidates, 'train', current.train, 'train', iteration);
  for (const { record, result } of scored) {
    if (record.train) context.feedbackById.set(record.candidate.id, context.trainFeedback(result));
    hooks.emit({ type: 'candidate_scored', iteration, record });
  }
  // Unscored candidates (provider errors) are not compared: they keep their status and reason.
  const ranked = scored.filter((s) => s.record.train).sort((a, b) => compareCandidates(a.record, b.record));
  const best = ranked[0];
  let acceptedId: string | undefined;
  let lateral = false;
  if (best) {
    const paired =
      settings.accept === 'significant' ? pairedSignificance(context.spec.objective, currentResult.cases, best.result.cases, { seed: settings.seed }) : undefined;
    const decision = decideAcceptance(best.record.train!.score, current.train.score, { strictBelow: settings.strictBelow, mode: settings.accept, alpha: settings.alpha }, paired);
    best.record.status = decision.status;
    best.record.reason = decision.reason;
    if (decision.accept) {
      acceptedId = best.record.candidate.id;
      lateral = decision.lateral;
    }
    for (const other of ranked.slice(1)) {
      other.record.status = 'rejected';
      other.record.reason = `not the best candidate this iteration (${pct(other.record.train!.score)} vs ${pct(best.record.train!.score)})`;
    }
  }

  const records = [...scored.map((s) => s.record), ...generated.invalid];
  const scoreBefore = current.train.score;
  if (best && acceptedId) {
    const validationResult = await context.evaluate(best.record.candidate.prompt, 'validation', { iteration, phase: 'train' });
    // Shown in the trajectory only; left out when provider errors kept it from being a score.
    const complete = validationResult.cases.length > 0 && !providerFailureSummary(validationResult, 'validation');
    const validation = complete ? scoreSplit('validation', validationResult.cases, context.spec.objective) : undefined;
    if (validation) best.record.validation = validation; // reported in the trajectory, never used to select
    const version = await hooks.writeVersion({
      prompt: best.record.candidate.prompt,
      parent: current.version,
      hypothesis: best.record.candidate.hypothesis,
      train: best.record.train!,
      validation,
    });
    state.current = { candidateId: acceptedId, prompt: best.record.candidate.prompt, version, train: best.record.train!, validation };
  }
  const scoreAfter = state.current.train.score;
  state.stale = scoreAfter > scoreBefore ? 0 : state.stale + 1;
  const record: IterationRecord = {
    iteration,
    phase: 'train',
    candidates: records,
    acceptedId,
    scoreBefore,
    scoreAfter,
    lateral,
    costUsd: context.caller.ledger.totalCostUsd - spentBefore,
  };
  strategy.observe(records, state.current);
  state.strategyState = strategy.snapshot();
  state.memory = rememberIteration(state.memory, record);
  state.iterations.push(record);
  state.iteration = iteration;
  hooks.emit({ type: 'iteration_finished', record, current: state.current });
  await hooks.checkpoint(state);
}


/** The analysis as the optimizer may see it: only counts under --no-feedback. */
export function withheldUnlessFeedback(analysis: FailureAnalysis, feedback: boolean): FailureAnalysis {
  return feedback ? analysis : { ...analysis, groups: [], labels: [] };
}
