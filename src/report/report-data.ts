/** RunState + context -> the data every report renders. Pure. */
import { extname } from 'node:path';
import { createTwoFilesPatch } from 'diff';
import type { FailureCategory } from '../assertions/types.js';
import type { CandidateRecord, IterationRecord, Phase, SplitScore } from '../optimizer/types.js';
import type { CallRole, SpendLine } from '../runner/spend-ledger.js';
import type { SplitName } from '../spec/types.js';
import { generalizationGap } from './generalization-gap.js';
import type { CandidateRow, CaseRecord, CategoryRow, MetricCell, MetricRow, ReportData, ReportInput, ScoreCell, SummaryRow, TrajectoryRow } from './types.js';

export function buildReportData(input: ReportInput): ReportData {
  const { state } = input;
  const baseline = { train: cell(state.start.train), validation: optionalCell(state.start.validation) };
  const final = {
    train: cell(state.current.train),
    validation: optionalCell(state.current.validation),
    test: optionalCell(state.test),
  };
  const summary: SummaryRow[] = [
    { split: 'train', start: baseline.train, final: final.train },
    { split: 'validation', start: baseline.validation, final: final.validation },
    { split: 'test', final: final.test },
  ];
  const spend = sortSpend(state.spend);
  const metrics = metricRows([
    ['train', state.start.train, state.current.train],
    ['validation', state.start.validation, state.current.validation],
    ['test', undefined, state.test],
  ]);
  const total = input.callsMade + input.cacheHits;
  const objective = state.current.train.objective ?? 'pass_rate';
  const ext = extname(input.finalVersion.file) || '.txt';
  return {
    runId: state.runId,
    task: { ...input.task },
    target: { ...input.target },
    optimizerModel: { ...input.optimizerModel },
    simulated: input.target.simulated || input.optimizerModel.simulated,
    strategy: state.strategy,
    seed: state.seed,
    startedAt: state.startedAt,
    finishedAt: state.finishedAt ?? state.stoppedAt,
    wallTimeMs: state.wallTimeMs,
    stopReason: state.stopReason,
    startVersion: input.startVersion,
    finalVersion: { ...input.finalVersion },
    versionsDir: input.versionsDir,
    runDir: input.runDir,
    objective,
    baseline,
    final,
    generalization: generalizationGap({ train: final.train.score, validation: final.validation?.score, test: final.test?.score }, objective),
    ...(state.selection ? { selection: structuredClone(state.selection) } : {}),
    iterations: {
      train: state.iterations.filter((it) => it.phase === 'train').length,
      validation: state.iterations.filter((it) => it.phase === 'validation').length,
      lateral: state.iterations.filter((it) => it.lateralId !== undefined).length,
    },
    ...screeningOf(state.iterations),
    summary,
    metrics,
    trajectory: buildTrajectory(state.iterations, state.start.train.score, state.start.validation?.score),
    categories: compareCategories(state.start.train, state.current.train),
    lessons: [...state.memory.lessons],
    spend,
    totals: {
      costUsd: sum(spend, (l) => l.costUsd),
      inputTokens: sum(spend, (l) => l.inputTokens),
      outputTokens: sum(spend, (l) => l.outputTokens),
      unknownCostCalls: sum(spend, (l) => l.unknownCostCalls),
      reservedCalls: sum(spend, (l) => l.reservedCalls),
      replayedCalls: sum(spend, (l) => l.replayedCalls),
      replayedUsd: sum(spend, (l) => l.replayedUsd),
      savedCalls: sum(spend, (l) => l.savedCalls),
      savedUsd: sum(spend, (l) => l.savedUsd),
    },
    calls: { made: input.callsMade, cacheHits: input.cacheHits, hitRate: total === 0 ? 0 : input.cacheHits / total },
    startPrompt: input.startPrompt,
    finalPrompt: input.finalPrompt,
    changed: input.startPrompt !== input.finalPrompt,
    diffFromStart: createTwoFilesPatch(
      `v${input.startVersion}${ext}`,
      `v${input.finalVersion.version}${ext}`,
      input.startPrompt,
      input.finalPrompt,
    ),
    ...(input.cases ? { cases: sortCases(input.cases) } : {}),
  };
}

const SPLIT_ORDER: Record<CaseRecord['split'], number> = { train: 0, validation: 1, test: 2 };

/** Train, then validation, then test; the saved order within a split. */
function sortCases(cases: CaseRecord[]): CaseRecord[] {
  return cases
    .map((c, index) => ({ c, index }))
    .sort((a, b) => SPLIT_ORDER[a.c.split] - SPLIT_ORDER[b.c.split] || a.index - b.index)
    .map(({ c }) => ({ ...c, failures: c.failures.map((f) => ({ ...f })) }));
}

function cell(score: SplitScore): ScoreCell {
  return {
    score: score.score,
    passed: score.passed,
    total: score.total,
    // Runs from before objectives kept only the pass rate, as `score`.
    ...(score.passRate !== undefined ? { passRate: score.passRate } : score.objective === undefined ? { passRate: score.score } : {}),
    ...(score.meanScore !== undefined ? { meanScore: score.meanScore } : {}),
    ...(score.unchecked !== undefined ? { unchecked: score.unchecked } : {}),
  };
}

/** Every named metric of a split, start and final, in the order they first appear. */
function metricRows(splits: [SplitName, SplitScore | undefined, SplitScore | undefined][]): MetricRow[] {
  return splits.flatMap(([split, start, final]) => {
    const names = [...new Set([...(start?.metrics ?? []), ...(final?.metrics ?? [])].map((m) => m.name))];
    const find = (score: SplitScore | undefined, name: string): MetricCell | undefined => {
      const m = score?.metrics?.find((x) => x.name === name);
      return m ? { cases: m.cases, passed: m.passed, score: m.score } : undefined;
    };
    return names.map((name) => ({ name, split, ...definedCell('start', find(start, name)), ...definedCell('final', find(final, name)) }));
  });
}

function definedCell<K extends 'start' | 'final'>(key: K, value: MetricCell | undefined): Partial<Record<K, MetricCell>> {
  return value ? ({ [key]: value } as Record<K, MetricCell>) : {};
}

function optionalCell(score: SplitScore | undefined): ScoreCell | undefined {
  return score ? cell(score) : undefined;
}

/**
 * One row per iteration, following the current prompt's train and validation scores: an accepted
 * candidate brings its own scores; a split it was not scored on becomes unknown, except the
 * phase's split, whose score after the iteration the engine records.
 */
function buildTrajectory(iterations: IterationRecord[], startTrain: number, startValidation: number | undefined): TrajectoryRow[] {
  let train: number | undefined = startTrain;
  let validation = startValidation;
  return iterations.map((it) => {
    const accepted = it.acceptedId === undefined ? undefined : it.candidates.find((c) => c.candidate.id === it.acceptedId);
    if (accepted) {
      train = accepted.train?.score;
      validation = accepted.validation?.score;
    }
    if (it.phase === 'train') train = it.scoreAfter;
    if (it.phase === 'validation') validation = it.scoreAfter;
    return {
      iteration: it.iteration,
      phase: it.phase,
      scoreBefore: it.scoreBefore,
      scoreAfter: it.scoreAfter,
      train,
      validation,
      accepted: it.acceptedId,
      lateral: it.lateral,
      ...(it.lateralId ? { lateralId: it.lateralId } : {}),
      costUsd: it.costUsd,
      candidates: it.candidates.map((c) => candidateRow(c, it.phase)),
    };
  });
}

function candidateRow(record: CandidateRecord, phase: Phase): CandidateRow {
  const split = phase === 'validation' ? record.validation : record.train;
  return {
    id: record.candidate.id,
    status: record.status,
    reason: record.reason,
    origin: record.candidate.origin,
    score: split?.score,
    train: record.train?.score,
    validation: record.validation?.score,
    hypothesis: record.candidate.hypothesis,
    fixed: record.fixed.length,
    broken: record.broken.length,
    ...(record.minibatch
      ? {
          minibatch: {
            cases: record.minibatch.caseIds.length,
            score: record.minibatch.score,
            bar: record.minibatch.bar,
            passed: record.minibatch.passed,
            savedCalls: record.minibatch.savedCalls,
          },
        }
      : {}),
  };
}

/** The run's minibatch screening in numbers (pareto); nothing when no candidate was screened. */
function screeningOf(iterations: IterationRecord[]): Pick<ReportData, 'screening'> {
  const screened = iterations.flatMap((it) => it.candidates).filter((c) => c.minibatch);
  if (screened.length === 0) return {};
  const out = screened.filter((c) => c.status === 'screened_out');
  return { screening: { screened: screened.length, screenedOut: out.length, savedCalls: sum(out, (c) => c.minibatch!.savedCalls) } };
}

/** Every category failing at the start or the end, most failures at the start first. */
function compareCategories(start: SplitScore, final: SplitScore): CategoryRow[] {
  const names = new Set([...Object.keys(start.categories), ...Object.keys(final.categories)]) as Set<FailureCategory>;
  return [...names]
    .map((category) => ({ category, before: start.categories[category] ?? 0, after: final.categories[category] ?? 0 }))
    .filter((row) => row.before > 0 || row.after > 0)
    .sort((a, b) => b.before - a.before || b.after - a.after || a.category.localeCompare(b.category));
}

const ROLE_ORDER: Record<CallRole, number> = { optimizer: 0, target: 1, judge: 2 };

function sortSpend(lines: SpendLine[]): SpendLine[] {
  const empty = { reservedCalls: 0, replayedCalls: 0, replayedUsd: 0, savedCalls: 0, savedUsd: 0 };
  return lines.map((l) => ({ ...empty, ...l })).sort((a, b) => ROLE_ORDER[a.role] - ROLE_ORDER[b.role] || a.model.localeCompare(b.model));
}

function sum<T>(items: T[], pick: (item: T) => number): number {
  return items.reduce((total, item) => total + pick(item), 0);
}
