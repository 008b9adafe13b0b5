/**
 * OPRO (after "Large Language Models as Optimizers", Yang et al., 2023): the meta-prompt holds the
 * best earlier prompts (top 20 by train score) with their scores, in ascending order so the best
 * comes last, then a few training exemplars (input and expected output, drawn anew each step). Each
 * iteration samples that one meta-prompt N times (the candidates), at a temperature (1 unless the
 * spec sets the optimizer's), each with its own sample index, so the samples differ where the model
 * samples and are cached apart. Every candidate scored on train joins the history.
 */
import { varFacts, truncate } from '../../../feedback/case-text.js';
import { formatCaseBlock } from '../../../feedback/vocabulary/case-block.js';
import type { CaseResult } from '../../../runner/types.js';
import { stringifyValue } from '../../../template/template.js';
import { unitHash } from '../../../util/hash.js';
import { seededRandom } from '../../../util/seeded-random.js';
import type { CandidateRecord, CandidateStatus } from '../../types.js';
import type { Proposal, ProposalContext, Strategy } from '../types.js';

/** Earlier prompts the meta-prompt holds at most (OPRO's default), and training exemplars per step. */
export const OPRO_HISTORY = 20;
export const OPRO_EXEMPLARS = 3;
/** OPRO samples its optimizer at temperature 1.0. */
export const OPRO_TEMPERATURE = 1;

export interface ScoredPrompt {
  id: string;
  prompt: string;
  score: number;
}

/** Statuses whose train score stays out of the history: not a real score, or a prompt known to hurt validation. */
const LEFT_OUT: ReadonlySet<CandidateStatus> = new Set(['invalid', 'unscored', 'screened_out', 'hurts_validation']);

export class OproStrategy implements Strategy {
  readonly name = 'opro' as const;
  private scored: ScoredPrompt[] = [];

  propose(context: ProposalContext): Proposal[] {
    this.remember({ id: context.current.candidateId, prompt: context.current.prompt, score: context.current.train.score });
    const shown = this.ascending();
    const random = seededRandom(Math.floor(unitHash(context.seed, `opro:${context.iteration}`) * 0x1_0000_0000));
    const showable = context.showable(context.results.cases);
    const exemplars = showable ? pickExemplars(showable, OPRO_EXEMPLARS, random).map(exemplarBlock) : [];
    const request = {
      kind: 'opro' as const,
      history: shown.map((h) => ({ prompt: h.prompt, score: h.score })),
      exemplars,
      temperature: context.temperature ?? OPRO_TEMPERATURE,
    };
    return Array.from({ length: context.candidates }, (_, i) => ({
      request,
      origin: 'sample' as const,
      direction: `OPRO sample ${i + 1} of ${context.candidates} of the same meta-prompt`,
      parents: shown.map((h) => h.id),
    }));
  }

  observe(records: CandidateRecord[]): void {
    for (const r of records) {
      if (r.train && !LEFT_OUT.has(r.status)) this.remember({ id: r.candidate.id, prompt: r.candidate.prompt, score: r.train.score });
    }
  }

  snapshot(): unknown {
    return { scored: this.scored };
  }

  restore(state: unknown): void {
    const scored = (state as { scored?: ScoredPrompt[] } | null)?.scored;
    this.scored = Array.isArray(scored) ? scored.map((s) => ({ ...s })) : [];
  }

  /** The history the next meta-prompt shows: the best OPRO_HISTORY, lowest score first (equal scores: the older first). */
  ascending(): ScoredPrompt[] {
    return [...this.scored].reverse();
  }

  /** Keeps the best OPRO_HISTORY prompts, best first (equal scores: the newer first, as OPRO's stable sort has it); each prompt once. */
  private remember(entry: ScoredPrompt): void {
    if (this.scored.some((s) => s.prompt === entry.prompt)) return;
    const at = this.scored.findIndex((s) => s.score <= entry.score);
    this.scored.splice(at < 0 ? this.scored.length : at, 0, entry);
    this.scored = this.scored.slice(0, OPRO_HISTORY);
  }
}

/** `count` train cases at random, preferring those with an expected value (an exemplar shows it). */
function pickExemplars(cases: readonly CaseResult[], count: number, random: () => number): CaseResult[] {
  const withExpected = cases.filter((c) => c.expected !== undefined);
  const pool = [...(withExpected.length >= count ? withExpected : cases)];
  const picked: CaseResult[] = [];
  while (picked.length < count && pool.length > 0) picked.push(pool.splice(Math.floor(random() * pool.length), 1)[0]!);
  return picked;
}

/** An exemplar: the case's input and expected output (no model output: OPRO shows none). */
function exemplarBlock(c: CaseResult): string {
  const expected = stringifyValue(c.expected);
  return formatCaseBlock({ id: c.caseId, vars: varFacts(c.vars), ...(expected !== '' ? { expected: truncate(expected, 300) } : {}), answerField: 'actual', failed: [] });
}
