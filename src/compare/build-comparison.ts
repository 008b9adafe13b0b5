/**
 * Pair runs -> the Comparison every renderer reads: a summary per pair, every pair against the
 * baseline, results per model (versions ranked on each model, each against the baseline version on
 * that model: a version can be best on one model and not on another), and the per-case grid.
 */
import type { SplitName } from '../spec/types.js';
import { comparePair } from './compare-pair.js';
import { summarizePair } from './summarize-pair.js';
import type { CaseRow, CompareSettings, Comparison, ComparePlan, ModelResults, PairRun, PairSummary } from './types.js';

export interface BuildComparisonInput {
  task: string;
  specFile: string;
  split: SplitName | 'all';
  plan: ComparePlan;
  runs: PairRun[];
  settings: CompareSettings;
}

export const CONFIDENCE = 0.95;

export function buildComparison(input: BuildComparisonInput): Comparison {
  const { plan, runs, settings } = input;
  const runOf = (id: string) => runs.find((r) => r.pair.id === id)!;
  const baseline = runOf(plan.baseline.id);
  const pairs = runs.map((run) => summarizePair(run, settings.objective));
  const comparisons = runs.filter((r) => r !== baseline).map((r) => comparePair(r, baseline, settings));

  const perModel: ModelResults[] = plan.models.map((model) => {
    const onModel = runs.filter((r) => r.pair.model === model);
    const summaries = onModel.map((r) => pairs.find((p) => p.id === r.pair.id)!);
    const ranking = rank(summaries).map((s) => s.version);
    const reference = onModel.find((r) => r.pair.version === plan.baseline.version)!;
    return {
      model: model.label,
      bestVersion: ranking[0]!,
      baselineVersion: plan.baseline.version.label,
      ranking,
      comparisons: onModel.filter((r) => r !== reference).map((r) => comparePair(r, reference, settings)),
    };
  });

  return {
    task: input.task,
    specFile: input.specFile,
    split: input.split,
    settings,
    confidence: CONFIDENCE,
    versions: plan.versions,
    models: plan.models.map((m) => ({ label: m.label, simulated: runs.some((r) => r.pair.model === m && r.simulated) })),
    baseline: baseline.pair.id,
    pairs,
    comparisons,
    perModel,
    cases: caseRows(runs),
  };
}

/** Best first: the objective's figure, then the pass rate, then the mean score; ties keep the order of --versions. */
function rank(summaries: PairSummary[]): PairSummary[] {
  return summaries
    .map((s, index) => ({ s, index }))
    .sort((a, b) => b.s.objectiveValue - a.s.objectiveValue || b.s.passRate - a.s.passRate || b.s.score - a.s.score || a.index - b.index)
    .map(({ s }) => s);
}

function caseRows(runs: PairRun[]): CaseRow[] {
  const first = runs[0];
  if (!first) return [];
  const byPair = runs.map((r) => ({ pair: r.pair.id, cases: new Map(r.result.cases.map((c) => [c.caseId, c])) }));
  return first.result.cases.map((c) => ({
    id: c.caseId,
    split: c.split,
    vars: c.vars,
    ...(c.expected !== undefined ? { expected: c.expected } : {}),
    cells: byPair.flatMap(({ pair, cases }) => {
      const result = cases.get(c.caseId);
      if (!result) return [];
      return [
        {
          pair,
          pass: result.pass,
          score: result.score,
          ...(result.unchecked ? { unchecked: true as const } : {}),
          output: result.output,
          latencyMs: result.latencyMs,
          costUsd: result.costUsd,
          ...(result.providerError ? { providerError: result.providerError.message } : {}),
        },
      ];
    }),
  }));
}
