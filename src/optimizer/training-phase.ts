/**
 * The training phase's plan: each iteration the strategy proposes N requests from the current
 * prompt's train feedback; candidates whose proposal carries a minibatch gate (pareto) are screened
 * on it first; the candidates are scored on train (a gain there, per `strict_below` and `accept`),
 * those that pass on validation (no drop beyond noise), and the best on train is adopted.
 * Stops at 100% train, `max_iterations`, or `patience` iterations that adopt nothing.
 */
import { analyzeFailures } from '../feedback/analyze-failures.js';
import type { FailureAnalysis } from '../feedback/types.js';
import type { LoopContext, LoopSettings } from './loop-context.js';
import { gainRules, noValidationRegression } from './rules/acceptance-rules.js';
import { converged, maxIterations, patience } from './rules/stop-rules.js';
import { runPhase, type PhasePlan } from './run-iteration.js';
import { strategyTools } from './strategy-tools.js';
import type { CaseScores } from './strategies/types.js';
import type { StopReason } from './types.js';

export function trainingPlan(settings: LoopSettings): PhasePlan {
  // Per-case train scores of the iteration's candidates, for the strategy's bookkeeping (pareto's front).
  const caseScores = new Map<string, CaseScores>();
  return {
    phase: 'train',
    lead: 'train',
    stages: [
      { screen: 'minibatch' },
      { split: 'train', rules: gainRules(settings) },
      { split: 'validation', rules: [noValidationRegression] },
    ],
    stops: [converged('train'), maxIterations(settings.maxIterations), patience(settings.patience)],
    propose(context, { iteration, current, results }) {
      const feedback = context.trainFeedback(results);
      context.feedbackById.set(current.candidateId, feedback);
      return context.strategy.propose({
        iteration,
        candidates: context.settings.candidates,
        current,
        results,
        // --no-feedback: the directions must not carry failure details (groups, suggested fixes) either.
        analysis: withheldUnlessFeedback(analyzeFailures(context.forOptimizer(results.cases)), context.settings.feedback),
        feedback,
        memory: context.state.memory,
        feedbackFor: (id) => context.feedbackById.get(id),
        ...strategyTools(context, iteration),
      });
    },
    scored(context, split, candidates) {
      // Train feedback of every scored candidate, for strategies that build on other members (evolutionary parents).
      if (split !== 'train') return;
      for (const c of candidates) {
        context.feedbackById.set(c.record.candidate.id, context.trainFeedback(c.results.train!));
        caseScores.set(c.record.candidate.id, new Map(c.results.train!.cases.map((r) => [r.caseId, r.score])));
      }
    },
    finished(context: LoopContext, record) {
      context.strategy.observe(record.candidates, context.state.current, (id) => caseScores.get(id));
      caseScores.clear();
      context.state.strategyState = context.strategy.snapshot();
    },
  };
}

/** The analysis as the optimizer may see it: only counts under --no-feedback. */
export function withheldUnlessFeedback(analysis: FailureAnalysis, feedback: boolean): FailureAnalysis {
  return feedback ? analysis : { ...analysis, groups: [], labels: [] };
}

export function runTrainingPhase(context: LoopContext): Promise<StopReason> {
  return runPhase(context, trainingPlan(context.settings));
}
