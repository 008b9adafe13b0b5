/**
 * What the feedback text of an optimizer request shows, read with the feedback vocabulary
 * (src/feedback/vocabulary/): failing cases with their input, expected and actual output (training
 * feedback), label confusions with counts and shape counts (also in descriptive validation feedback,
 * which has no case text), the failing checks with their categories, and the training cases to
 * preserve. Anything the vocabulary does not recognise is ignored.
 */
import { parseCaseBlocks, readFeedback, type CaseFacts, type VarFact } from '../../feedback/vocabulary/index.js';

export interface ShownCase {
  id: string;
  /** The input text (the value of the prompt's input variable). */
  input: string;
  /** The input was cut short in the feedback (ends with …). */
  truncated: boolean;
  expected?: string;
  actual?: string;
  categories: string[];
}

export interface Confusion {
  expected: string;
  actual: string;
  count: number;
}

export interface Evidence {
  /** Failing cases shown (case blocks and group examples), one per id. */
  cases: ShownCase[];
  /** Training cases that must keep passing. */
  constraints: ShownCase[];
  confusions: Confusion[];
  /** Labels named in "Allowed labels: ..." fixes. */
  allowedLabels: string[];
  /** Failure categories with their case counts (summed over the failing checks). */
  categories: Map<string, number>;
  /** Patterns say outputs hold the expected answer inside extra words, or in the wrong case. */
  wrappedAnswers: number;
  /** Patterns say outputs wrap JSON in code fences or text. */
  wrappedJson: number;
  /** "Failure details withheld": only pass counts. */
  withheld: boolean;
  /** Patterns only (validation feedback): no case text. */
  descriptive: boolean;
}

/**
 * @param inputVar  the variable whose value is the input (the prompt's last variable); when a case
 *                  shows several variables and none has this name, the first one is used.
 */
export function readEvidence(feedback: string, constraints: string, inputVar: string | undefined): Evidence {
  const facts = readFeedback(feedback);
  const cases = new Map<string, ShownCase>();
  for (const c of facts.cases.map((f) => shownCase(f, inputVar))) if (c && !cases.has(c.id)) cases.set(c.id, c);
  for (const e of facts.examples) {
    if (cases.has(e.id)) continue;
    const input = pickInput(e.vars, inputVar);
    if (input === undefined) continue;
    cases.set(e.id, { id: e.id, ...input, expected: e.expected, actual: e.actual, categories: [] });
  }
  const constraintCases = [...parseCaseBlocks(constraints), ...facts.constraints]
    .map((f) => shownCase(f, inputVar))
    .filter((c): c is ShownCase => c !== undefined);
  const categories = new Map<string, number>();
  for (const g of facts.groups) categories.set(g.category, (categories.get(g.category) ?? 0) + g.count);
  return {
    cases: [...cases.values()],
    constraints: constraintCases,
    confusions: facts.confusions,
    allowedLabels: facts.allowedLabels,
    categories,
    wrappedAnswers: facts.wrappedAnswers,
    wrappedJson: Math.max(facts.wrappedJson, categories.get('invalid_json') ?? 0),
    withheld: facts.withheld,
    descriptive: facts.patternsOnly,
  };
}

function shownCase(facts: CaseFacts, inputVar: string | undefined): ShownCase | undefined {
  const input = pickInput(facts.vars, inputVar);
  if (input === undefined) return undefined;
  return { id: facts.id, ...input, expected: facts.expected, actual: facts.answer, categories: facts.categories ?? [] };
}

/** The input variable's text (or the first variable's), without the `…` that marks a cut. */
function pickInput(vars: readonly VarFact[], inputVar: string | undefined): { input: string; truncated: boolean } | undefined {
  const chosen = (inputVar !== undefined ? vars.find((v) => v.name === inputVar) : undefined) ?? vars[0];
  if (chosen === undefined) return undefined;
  const truncated = chosen.text.endsWith('…');
  return { input: truncated ? chosen.text.slice(0, -1) : chosen.text, truncated };
}
