/**
 * The final version of a run, chosen once the loop ends among the prompts it adopted (the start and
 * every accepted candidate, each scored on train and validation when it was adopted): the best on
 * validation among those whose train score is not significantly below the best train score (the
 * objective's paired test on the train cases: McNemar's exact test for the pass rate, a paired
 * bootstrap of the case scores for the mean score; paired-test.ts). Ties on validation go to the higher train score (more evidence,
 * the same validation), then to the shorter prompt. The last prompt adopted is often
 * not it: a later candidate that won a few train cases may have lost validation cases within noise.
 * Without a validation split the best on train is chosen, and the selection says it used train only.
 */
import { formatPercent as pct } from '../util/format-percent.js';
import { objectiveOf, pairedTestOfScores, significantlyWorse } from './paired-test.js';
import type { CurrentPrompt, FinalSelection, RunState, SelectionEntry } from './types.js';

/** The run's versions in the order they were adopted (one entry per version number, its last adoption). */
export function adoptedPrompts(state: RunState): CurrentPrompt[] {
  const byVersion = new Map<number, CurrentPrompt>();
  const add = (p: CurrentPrompt) => {
    byVersion.delete(p.version);
    byVersion.set(p.version, p);
  };
  if (state.start.version > 0 && state.start.train.total > 0) add(state.start);
  for (const iteration of state.iterations) {
    for (const c of iteration.candidates) {
      if (c.status !== 'accepted' || c.version === undefined || !c.train) continue;
      add({ candidateId: c.candidate.id, prompt: c.candidate.prompt, version: c.version, train: c.train, ...(c.validation ? { validation: c.validation } : {}) });
    }
  }
  // The current prompt is always one (a checkpoint written before versions were recorded on candidates included).
  if (state.current.version > 0 && state.current.train.total > 0 && !byVersion.has(state.current.version)) add(state.current);
  return [...byVersion.values()];
}

/** The selection, with the chosen prompt; undefined when the run has no scored version. */
export function selectFinal(state: RunState, alpha: number): { selection: FinalSelection; chosen: CurrentPrompt } | undefined {
  const pool = adoptedPrompts(state);
  if (pool.length === 0) return undefined;
  const bestTrain = pool.reduce((best, p) => (p.train.score > best.train.score ? p : best));
  const eligibility = new Map(pool.map((p) => [p, p === bestTrain || !significantlyWorse(pairedTestOfScores(p.train, bestTrain.train), alpha)]));
  const eligible = (p: CurrentPrompt) => eligibility.get(p)!;
  const by = state.start.validation !== undefined ? 'validation' : 'train';
  const value = (p: CurrentPrompt) => (by === 'validation' ? p.validation?.score ?? -1 : p.train.score);
  const chosen = pool
    .filter(eligible)
    .sort((a, b) => value(b) - value(a) || b.train.score - a.train.score || a.prompt.length - b.prompt.length || b.version - a.version)[0]!;
  const entries: SelectionEntry[] = pool.map((p) => ({
    version: p.version,
    candidateId: p.candidateId,
    train: p.train.score,
    ...(p.validation ? { validation: p.validation.score } : {}),
    promptChars: p.prompt.length,
    eligible: eligible(p),
  }));
  const kept = entries.filter((e) => e.eligible).length;
  const objective = objectiveOf(bestTrain.train);
  // Scores are the objective's figure; the mean score is named (a bare percentage has always been the pass rate).
  const of = (score: number) => `${objective === 'mean_score' ? 'mean score ' : ''}${pct(score)}`;
  const reason =
    by === 'validation'
      ? `v${chosen.version}: the best on validation (${of(chosen.validation?.score ?? 0)}) among the ${kept} of ${pool.length} version(s) whose train score is not significantly below the best (v${bestTrain.version}, ${of(bestTrain.train.score)}); ties go to the higher train score, then the shorter prompt`
      : `v${chosen.version}: the best on train (${of(chosen.train.score)}; ties go to the shorter prompt); there is no validation split, so selection used train only`;
  return {
    selection: { by, objective, alpha, version: chosen.version, candidateId: chosen.candidateId, bestTrainVersion: bestTrain.version, entries, reason },
    chosen,
  };
}
