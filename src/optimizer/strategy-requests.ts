/**
 * The optimizer requests of the two published strategies, laid out here apart from the other kinds
 * (meta-prompt.ts adds the task, the reply format and the budget around them):
 *
 * - `reflect` (pareto, after GEPA): a parent from the per-case front and its results on a minibatch of
 *   train cases: the failures to reflect on, and the cases it passes, to keep.
 * - `merge` (pareto): two front members that win different train cases, with parent A's results on
 *   cases where they differ (its failures there are cases parent B gets right).
 * - `opro` (after OPRO): earlier prompts with their train scores in ascending order (the best last),
 *   then a few training exemplars (input → expected output). Sampled several times per step.
 *
 * Every heading and tag comes from the feedback vocabulary, so the simulator reads these requests
 * with the same parser as the others.
 */
import { PROMPT_TAGS, SCORE_LINE, SECTIONS, WITHHELD_NOTE } from '../feedback/vocabulary/markers.js';
import { formatPercent } from '../util/format-percent.js';

export interface ReflectRequest {
  kind: 'reflect';
  parent: string;
  /** e.g. `train 58.3%, best on 4 of 12 training cases`. */
  parentScore: string;
  /** Train cases in the minibatch. */
  minibatch: number;
  /** The parent's results on the minibatch (train feedback of those cases). */
  feedback: string;
  /** Minibatch cases the parent passes: they must keep passing. */
  constraints?: string;
  direction: string;
}

export interface MergeRequest {
  kind: 'merge';
  parentA: string;
  scoreA: string;
  parentB: string;
  scoreB: string;
  minibatch: number;
  /** Parent A's results on the minibatch: its failures there are cases parent B gets right. */
  feedback: string;
  /** Minibatch cases parent A gets right (and parent B does not). */
  constraints?: string;
  direction: string;
}

export interface OproRequest {
  kind: 'opro';
  /** Earlier prompts with their train scores (0..1), in ascending order of score. */
  history: { prompt: string; score: number }[];
  /** Training exemplars as case blocks (input and expected output); empty under --no-feedback. */
  exemplars: string[];
  /** Sampling temperature (dropped by adapters whose model takes none). */
  temperature?: number;
}

export type StrategyRequest = ReflectRequest | MergeRequest | OproRequest;

export function isStrategyRequest(request: { kind: string }): request is StrategyRequest {
  return request.kind === 'reflect' || request.kind === 'merge' || request.kind === 'opro';
}

/** The request's sections after the task; an opro request is fitted to `budgetChars` here (its history is what gives way). */
export function strategySections(request: StrategyRequest, budgetChars: number): string[] {
  switch (request.kind) {
    case 'reflect':
      return [
        `# ${SECTIONS.parent} (${request.parentScore})\n${tagged(PROMPT_TAGS.current, request.parent)}`,
        `# ${SECTIONS.direction} reflection\n${request.direction}`,
        `# ${SECTIONS.minibatchFeedback} of ${request.minibatch} training case${request.minibatch === 1 ? '' : 's'}\n${request.feedback}`,
        ...(request.constraints ? [`# ${SECTIONS.constraints}\n${request.constraints}`] : []),
        'Reflect on the minibatch: read the inputs, the outputs and the checks that failed, work out what the task needs that the parent prompt does not say, and write the complete improved prompt. It is tried on these cases first, and scored on the whole training split only if it does better on them than the parent.',
      ];
    case 'merge':
      return [
        `# Parent A (${request.scoreA})\n${tagged(PROMPT_TAGS.parentA, request.parentA)}`,
        `# Parent B (${request.scoreB})\n${tagged(PROMPT_TAGS.parentB, request.parentB)}`,
        `# ${SECTIONS.direction} merge\n${request.direction}`,
        `# ${SECTIONS.minibatchFeedback} of ${request.minibatch} training case${request.minibatch === 1 ? '' : 's'}: parent A\n${request.feedback}`,
        ...(request.constraints ? [`# ${SECTIONS.constraints}\n${request.constraints}`] : []),
        'Merge the two parents into one prompt that keeps what makes each of them right on its own cases.',
      ];
    case 'opro':
      return oproSections(request, budgetChars);
  }
}

const OPRO_INTRO =
  'The prompts below were tried on the training cases. They are arranged in ascending order of their score (the mean case score on the training split): the best comes last.';
const EXEMPLARS_INTRO = 'Each exemplar shows an input as it fills the prompt\'s variables, and the output the reply must match.';
const OPRO_ASK = 'Write a new prompt that is different from every prompt above and scores higher than all of them.';

/** OPRO's meta-prompt: when over budget, the lowest-scoring earlier prompts go first (the best always stays), then exemplars. */
function oproSections(request: OproRequest, budgetChars: number): string[] {
  let history = request.history;
  let exemplars = request.exemplars;
  const render = () => [
    `# ${SECTIONS.scoredPrompts}\n${OPRO_INTRO}\n\n${history.map((h) => `${tagged(PROMPT_TAGS.scored, h.prompt)}\n${SCORE_LINE} ${formatPercent(h.score)}`).join('\n\n')}`,
    `# ${SECTIONS.exemplars}\n${exemplars.length > 0 ? `${EXEMPLARS_INTRO}\n${exemplars.join('\n')}` : WITHHELD_NOTE}`,
    OPRO_ASK,
  ];
  let sections = render();
  const size = () => sections.join('\n\n').length;
  while (size() > budgetChars && history.length > 1) {
    history = history.slice(1);
    sections = render();
  }
  while (size() > budgetChars && exemplars.length > 1) {
    exemplars = exemplars.slice(0, -1);
    sections = render();
  }
  return sections;
}

function tagged(tag: string, body: string): string {
  return `<${tag}>\n${body}\n</${tag}>`;
}
