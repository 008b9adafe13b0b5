/**
 * Fixed phrases of optimizer requests that the simulator (and tests) recognise: the meta-prompt's
 * section headings and tags, the feedback section titles, and the notes that say what is withheld.
 * Written once here; every writer and reader imports them.
 */

/** `# <heading>` sections of an optimizer request (src/optimizer/meta-prompt.ts). */
export const SECTIONS = {
  task: 'Task',
  usage: 'How the prompt is used',
  current: 'Current prompt',
  starting: 'Starting prompt',
  parent: 'Parent prompt',
  memory: 'Optimization memory',
  constraints: 'Training constraints to preserve',
  direction: 'Your direction for this',
  feedback: 'Evaluation feedback',
  /** pareto's reflection: the feedback of the parent on a minibatch (a heading that starts like `feedback`). */
  minibatchFeedback: 'Evaluation feedback on a minibatch',
  /** opro: earlier prompts with their scores, in ascending order, then training exemplars. */
  scoredPrompts: 'Earlier prompts and their scores',
  exemplars: 'Training exemplars',
} as const;

/** Tags around the prompt(s) to edit. */
export const PROMPT_TAGS = { current: 'current_prompt', parentA: 'parent_a', parentB: 'parent_b', scored: 'scored_prompt' } as const;

/** The line after each `<scored_prompt>` block of an opro request: `score: 41.7%`. */
export const SCORE_LINE = 'score:';

/** The line of the usage section that lists the variables, and its system-message wording. */
export const VARIABLES_LINE = 'Template variables the prompt must keep, exactly:';
export const SENT_AS_SYSTEM = 'The prompt is sent as the system message.';

/** Feedback section titles. */
export const GROUPS_TITLE = 'Failures by check:';
export const PATTERNS_TITLE = 'Failure patterns by check:';
export const FAILING_CASES_TITLE = 'Failing cases';

/** Validation feedback: no case text. */
export const PATTERNS_ONLY_NOTE =
  'Patterns only: individual cases are withheld. Fix the patterns in general terms; do not target specific inputs.';
/** --no-feedback: only pass counts. */
export const WITHHELD_NOTE = '(Failure details withheld: --no-feedback.)';

/** The training cases a candidate broke, inside feedback or as their own section. */
export const CONSTRAINTS_TITLE = 'Training constraints to preserve:';

export function isWithheld(feedback: string): boolean {
  return feedback.includes(WITHHELD_NOTE);
}

export function isPatternsOnly(feedback: string): boolean {
  return feedback.includes('individual cases are withheld');
}
