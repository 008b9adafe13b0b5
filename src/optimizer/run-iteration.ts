/**
 * The one iteration skeleton both phases run: propose (the phase's plan) → generate candidates →
 * score them stage by stage (each stage a split and the acceptance rules checked on it; a candidate a
 * rule rejects goes no further, so later stages cost only what survives) → rank the survivors on
 * the phase's split → adopt the best (a new version), record it as a lateral move, or reject it
 * (rules/adoption.ts) → memory, trajectory, checkpoint. The phases differ only in their plan
 * (training-phase.ts, validation-phase.ts).
 */
import { ProviderError } from '../errors.js';
import type { EvalResult } from '../runner/types.js';
import type { SplitName } from '../spec/types.js';
import { formatPercent as pct } from '../util/format-percent.js';
import { compareCandidates } from './acceptance.js';
import { generateCandidates, proposedEvent } from './generate-candidates.js';
import { enterPhase, type LoopContext } from './loop-context.js';
import { rememberIteration } from './memory.js';
import { evidenceOf, type SplitEvidence } from './paired-test.js';
import { providerFailureSummary, requireScored } from './provider-failures.js';
import type { AcceptanceRule, Rejection } from './rules/acceptance-rules.js';
import { decideAdoption } from './rules/adoption.js';
import { firstStop, type StopRule } from './rules/stop-rules.js';
import { fixedAndBroken } from './score-split.js';
import { selectFinal } from './select-final.js';
import { screenOnMinibatch } from './screen-stage.js';
import type { MinibatchGate, Proposal } from './strategies/types.js';
import type { Candidate, CandidateRecord, CurrentPrompt, IterationRecord, StopReason } from './types.js';

/**
 * One scoring step: the split, and the rules a candidate must pass on it to go on; or the minibatch
 * screen (screen-stage.ts), which scores a candidate whose proposal carries a gate on its minibatch.
 */
export type Stage = SplitStage | { screen: 'minibatch' };

export interface SplitStage {
  split: SplitName;
  rules: AcceptanceRule[];
}

/** A candidate on its way through the stages of one iteration. */
export interface ScoredCandidate {
  record: CandidateRecord;
  /** Its results and evidence on the splits it was scored on so far. */
  results: Partial<Record<SplitName, EvalResult>>;
  evidence: Partial<Record<SplitName, SplitEvidence>>;
  /** 1-based position among the iteration's proposals (for call records). */
  position: number;
  /** Its proposal's minibatch gate, if any. */
  gate?: MinibatchGate;
}

export interface PhasePlan {
  phase: 'train' | 'validation';
  /** The split the phase improves: candidates are ranked on it, and gains are measured there. */
  lead: 'train' | 'validation';
  stages: Stage[];
  stops: StopRule[];
  /** The optimizer requests of one iteration, from the current prompt's results on the lead split. */
  propose(context: LoopContext, input: { iteration: number; current: CurrentPrompt; results: EvalResult }): Proposal[] | Promise<Proposal[]>;
  /** After a stage scored its candidates (before its rules). */
  scored?(context: LoopContext, split: SplitName, candidates: readonly ScoredCandidate[]): void;
  /** A rule rejected this candidate. */
  rejected?(context: LoopContext, candidate: ScoredCandidate, rejection: Rejection): void;
  /** The iteration is decided (the state's current prompt is the one after it). */
  finished?(context: LoopContext, record: IterationRecord): void;
}

/** Runs the phase's iterations until one of its stop rules fires; returns that rule's reason. */
export async function runPhase(context: LoopContext, plan: PhasePlan): Promise<StopReason> {
  enterPhase(context, plan.phase);
  for (;;) {
    const stop = firstStop(plan.stops, context.state);
    if (stop) return stop;
    await runIteration(context, plan, context.state.iteration + 1);
  }
}

export async function runIteration(context: LoopContext, plan: PhasePlan, iteration: number): Promise<void> {
  const { state, settings, hooks } = context;
  const phase = plan.phase;
  hooks.emit({ type: 'iteration_started', phase, iteration });
  const spentBefore = context.caller.ledger.totalCostUsd;
  const current = state.current;
  const describeCurrent = `the current prompt (v${current.version})`;
  const leadResult = await context.resultsOf(current.prompt, plan.lead, { iteration, phase });
  requireScored(leadResult, plan.lead, describeCurrent);

  const proposals = await plan.propose(context, { iteration, current, results: leadResult });
  const generated = await generateCandidates({
    proposals,
    task: context.task,
    optimizer: context.optimizer,
    caller: context.caller,
    phase,
    iteration,
    budgetTokens: settings.metaPromptTokens,
    maxTokens: settings.optimizerMaxTokens,
    reference: state.start.prompt,
    known: new Set([current.prompt]),
    onCandidate: earlyScoring(context, plan, proposals, iteration),
  });
  if (proposals.length > 0 && generated.candidates.length === 0 && generated.providerFailures.length === proposals.length) {
    throw generated.providerFailures[0] ?? new ProviderError(context.optimizer.provider, 'server', 'every optimizer call failed');
  }
  hooks.emit(proposedEvent(iteration, generated));

  const all = generated.candidates.map((candidate) => scoredCandidate(candidate, proposals));
  const currentEvidence: Partial<Record<SplitName, SplitEvidence>> = {};
  let alive = all;
  for (const stage of plan.stages) {
    if (alive.length === 0) continue;
    if ('screen' in stage) {
      alive = await screenOnMinibatch(context, alive, iteration);
      continue;
    }
    if (!context.hasSplit(stage.split)) continue;
    const currentResult = await context.resultsOf(current.prompt, stage.split, { iteration, phase });
    requireScored(currentResult, stage.split, describeCurrent);
    const before = evidenceOf(stage.split, currentResult, context.spec.objective);
    currentEvidence[stage.split] = before;
    alive = await scoreStage(context, plan, alive, stage, before, iteration);
  }

  // The survivors compete on the lead split (then the other split, then fewer severe failures, then the shorter prompt).
  const other: SplitName = plan.lead === 'train' ? 'validation' : 'train';
  const on = (c: ScoredCandidate, split: SplitName) => (split === 'validation' ? c.record.validation : c.record.train)?.score ?? -1;
  const ranked = [...alive].sort((a, b) => on(b, plan.lead) - on(a, plan.lead) || on(b, other) - on(a, other) || compareCandidates(a.record, b.record, plan.lead));
  const best = ranked[0];
  for (const loser of ranked.slice(1)) {
    loser.record.status = 'rejected';
    const [mine, theirs] = [loser.record[plan.lead]!.score, best!.record[plan.lead]!.score];
    loser.record.reason =
      mine === theirs
        ? `tied with ${best!.record.candidate.id} on ${plan.lead} (${pct(mine)}), which won on ${tieBreak(loser, best!, other, on)}`
        : `not the best candidate this iteration (${plan.lead} ${pct(mine)} vs ${pct(theirs)})`;
  }
  const scoreBefore = currentEvidence[plan.lead]?.score.score ?? scoreOn(current, plan.lead);
  let acceptedId: string | undefined;
  let lateralId: string | undefined;
  if (best) {
    const decision = decideAdoption({ lead: plan.lead, candidate: best.evidence, current: currentEvidence, settings });
    const record = best.record;
    if (decision.kind === 'adopt') {
      const version = await hooks.writeVersion({
        prompt: record.candidate.prompt,
        parent: current.version,
        hypothesis: record.candidate.hypothesis,
        train: record.train!,
        validation: record.validation,
      });
      [record.status, record.reason, record.version] = ['accepted', decision.reason, version];
      acceptedId = record.candidate.id;
      state.current = { candidateId: acceptedId, prompt: record.candidate.prompt, version, train: record.train!, ...(record.validation ? { validation: record.validation } : {}) };
      for (const [split, result] of Object.entries(best.results)) context.held.set(record.candidate.prompt, split as SplitName, result);
    } else if (decision.kind === 'lateral') {
      [record.status, record.reason] = ['lateral', decision.reason];
      lateralId = record.candidate.id;
    } else {
      [record.status, record.reason] = [decision.status, decision.reason];
    }
  }
  const records = [...all.map((s) => s.record), ...generated.invalid];
  for (const scored of all) hooks.emit({ type: 'candidate_scored', iteration, record: scored.record });

  state.stale = acceptedId ? 0 : state.stale + 1;
  const record: IterationRecord = {
    iteration,
    phase,
    candidates: records,
    ...(acceptedId ? { acceptedId } : {}),
    ...(lateralId ? { lateralId } : {}),
    scoreBefore,
    scoreAfter: acceptedId ? scoreOn(state.current, plan.lead) : scoreBefore,
    lateral: lateralId !== undefined,
    costUsd: context.caller.ledger.totalCostUsd - spentBefore,
  };
  state.iterations.push(record);
  state.iteration = iteration;
  plan.finished?.(context, record);
  state.memory = rememberIteration(state.memory, record);
  // Hold on to the results of the current prompt and of the version the final selection would pick now.
  context.held.keep([state.current.prompt, selectFinal(state, settings.alpha)?.chosen.prompt ?? state.current.prompt]);
  hooks.emit({ type: 'iteration_finished', record, current: state.current });
  await hooks.checkpoint(state);
}

/** Scores `candidates` on the stage's split (all at once), then applies its rules; returns those that pass. */
async function scoreStage(
  context: LoopContext,
  plan: PhasePlan,
  candidates: ScoredCandidate[],
  stage: SplitStage,
  current: SplitEvidence,
  iteration: number,
): Promise<ScoredCandidate[]> {
  const { split } = stage;
  const results = await Promise.all(
    candidates.map((c) => context.evaluate(c.record.candidate.prompt, split, { iteration, candidate: c.position, phase: plan.phase })),
  );
  const scored: ScoredCandidate[] = [];
  candidates.forEach((c, index) => {
    const result = results[index]!;
    const unscored = providerFailureSummary(result, split);
    if (unscored) {
      [c.record.status, c.record.reason] = ['unscored', `not scored: ${unscored}`];
      return;
    }
    const evidence = evidenceOf(split, result, context.spec.objective);
    c.results[split] = result;
    c.evidence[split] = evidence;
    c.record[split === 'validation' ? 'validation' : 'train'] = evidence.score;
    if (split === 'train') Object.assign(c.record, fixedAndBroken(current.score, evidence.score));
    scored.push(c);
  });
  plan.scored?.(context, split, scored);
  return scored.filter((c) => {
    for (const rule of stage.rules) {
      const rejection = rule.check({ split, candidate: c.evidence[split]!, current, record: c.record, settings: context.settings });
      if (!rejection) continue;
      [c.record.status, c.record.reason] = [rejection.status, rejection.reason];
      plan.rejected?.(context, c, rejection);
      return false;
    }
    return true;
  });
}

/**
 * Scoring a candidate on the first split stage starts as soon as its prompt is written, while its
 * siblings are still being written: every candidate that stage sees is scored there, so this only moves
 * the same calls earlier (the stage then finds the evaluation under way or done). A candidate whose
 * proposal carries a minibatch gate (pareto) is left alone: its screen decides whether it is scored on
 * the split at all.
 */
function earlyScoring(context: LoopContext, plan: PhasePlan, proposals: readonly Proposal[], iteration: number): ((prompt: string, index: number) => void) | undefined {
  const stages = plan.stages[0] && 'screen' in plan.stages[0] ? plan.stages.slice(1) : plan.stages;
  const first = stages[0];
  if (!first || 'screen' in first || !context.hasSplit(first.split)) return undefined;
  return (prompt, index) => {
    if (proposals[index]?.gate) return;
    // The stage awaits the same evaluation and sees its failure; here it is only started.
    context.evaluate(prompt, first.split, { iteration, candidate: index + 1, phase: plan.phase }).catch(() => undefined);
  };
}

function scoredCandidate(candidate: Candidate, proposals: readonly Proposal[]): ScoredCandidate {
  const position = Number(/c(\d+)$/.exec(candidate.id)?.[1] ?? 0);
  const gate = proposals[position - 1]?.gate;
  return { record: { candidate, status: 'rejected', reason: '', fixed: [], broken: [] }, results: {}, evidence: {}, position, ...(gate ? { gate } : {}) };
}

function scoreOn(prompt: CurrentPrompt, split: 'train' | 'validation'): number {
  return split === 'train' ? prompt.train.score : prompt.validation?.score ?? 0;
}

/** What decided between two candidates with the same lead score, in the order the ranking applies. */
function tieBreak(loser: ScoredCandidate, best: ScoredCandidate, other: SplitName, on: (c: ScoredCandidate, split: SplitName) => number): string {
  const [won, lost] = [on(best, other), on(loser, other)];
  if (won !== lost) return won >= 0 && lost >= 0 ? `${other} (${pct(won)} vs ${pct(lost)})` : `${other} (scored for one of them only)`;
  return 'fewer severe failures, then the shorter prompt';
}
