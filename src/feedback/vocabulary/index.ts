/**
 * The vocabulary of optimizer requests: every phrase feedback writes that something else reads back
 * (the simulator, tests), each as a formatter and its reader in one place. `readFeedback` reads a
 * whole feedback text into the facts it states; a round-trip test checks that it gives back what the
 * formatters were given.
 */
import { parseCaseBlocks, parseExamples, type CaseFacts, type ExampleFacts } from './case-block.js';
import { CONSTRAINTS_TITLE, PATTERNS_TITLE, isPatternsOnly, isWithheld } from './markers.js';
import {
  parseAllowedLabels,
  parseConfusions,
  parseGroupHeaders,
  parseWrappedAnswers,
  parseWrappedJson,
  type ConfusionFacts,
  type GroupHeaderFacts,
} from './pattern-lines.js';

export * from './case-block.js';
export * from './check-title.js';
export * from './markers.js';
export * from './pattern-lines.js';
export { readJsonString } from './json-text.js';

export interface FeedbackFacts {
  groups: GroupHeaderFacts[];
  /** Failing case blocks (before any "Training constraints to preserve:" part). */
  cases: CaseFacts[];
  /** Training cases to preserve, stated inside the feedback. */
  constraints: CaseFacts[];
  examples: ExampleFacts[];
  confusions: ConfusionFacts[];
  allowedLabels: string[];
  /** Outputs said to hold the expected answer inside extra words or in the wrong letter case. */
  wrappedAnswers: number;
  /** Outputs said to wrap their JSON in a code fence or in text. */
  wrappedJson: number;
  /** --no-feedback: only pass counts. */
  withheld: boolean;
  /** Validation feedback: patterns, no case text. */
  patternsOnly: boolean;
}

export function readFeedback(text: string): FeedbackFacts {
  const at = text.search(new RegExp(`^${CONSTRAINTS_TITLE}`, 'm'));
  const main = at < 0 ? text : text.slice(0, at);
  const constraints = at < 0 ? '' : text.slice(at);
  return {
    groups: parseGroupHeaders(text),
    cases: parseCaseBlocks(main),
    constraints: parseCaseBlocks(constraints),
    examples: parseExamples(text),
    confusions: parseConfusions(text),
    allowedLabels: parseAllowedLabels(text),
    wrappedAnswers: parseWrappedAnswers(text),
    wrappedJson: parseWrappedJson(text),
    withheld: isWithheld(text),
    patternsOnly: isPatternsOnly(text) || text.includes(PATTERNS_TITLE),
  };
}
