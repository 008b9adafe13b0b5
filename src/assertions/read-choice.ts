/**
 * Reading a multiple-choice answer ("(A)", "A)", "Answer: B", "the answer is (C)") out of an output,
 * the way a grader would: the final answer of a reasoning reply, not the first option it mentions.
 * A lone letter is read as an option only where it cannot be the English article: in parentheses,
 * after an answer marker, or alone on a line.
 */

/** `(A)` or `A)`: an option label. A bare `A` may be a grade or a class name, so it is not one. */
const OPTION_LABEL = /^\(?([A-Z])\)$/;

/**
 * "the answer is (C)", "Answer: B", "Final answer: **(D)**", "the correct option is c)". A bare capital
 * after a marker counts only at the end of a sentence ("The answer is B."), so "the answer is I think
 * (B)" is not read as "I". Case-sensitive on purpose: a lowercase bare "a" is the article.
 */
const MARKED =
  /\b(?:[Ff]inal [Aa]nswer|[Aa]nswer|ANSWER|[Cc]orrect (?:option|choice|answer))\b[*_\s]*(?:is|would be|=|:)?[*_\s:]*(?:\(([A-Za-z])\)|([A-Z])\)|([A-Z])(?=[*_]*\s*(?:$|[.,;!\]]|\n)))/gu;
/** `(B)` anywhere. */
const PARENTHESIZED = /\(([A-Za-z])\)/g;
/** A line that is only an option: `B`, `B.`, `B)`, `(B)`, `**B**`. */
const LONE_LINE = /^[\s*_>-]*\(?([A-Z])\)?[.:]?[\s*_]*$/;
/** A line that starts with an option and its text: `B) The minivan is the newest`. */
const LEADING_OPTION = /^[\s*_>-]*\(?([A-Z])\)\s+\S/;

/** The letter of an option label (`(A)` -> `A`), or undefined when `label` is not one. */
export function optionLetter(label: string): string | undefined {
  return OPTION_LABEL.exec(label.trim())?.[1];
}

/** True when every label is an option label (a multiple-choice task). */
export function isOptionSet(labels: readonly string[]): boolean {
  return labels.length > 0 && labels.every((l) => optionLetter(l) !== undefined);
}

function lastMatch(text: string, pattern: RegExp, allowed: ReadonlySet<string> | undefined): string | undefined {
  let found: string | undefined;
  for (const m of text.matchAll(pattern)) {
    const letter = (m[1] ?? m[2] ?? m[3])?.toUpperCase();
    if (letter !== undefined && (allowed === undefined || allowed.has(letter))) found = letter;
  }
  return found;
}

/**
 * The option letter an output answers, or undefined when none can be read. In order: the last
 * answer marker ("the answer is (C)"), the last line that is only an option, the last parenthesized
 * letter, the last line that starts with `X)`. `allowed` limits the letters (the task's options).
 */
export function readChoice(output: string, allowed?: Iterable<string>): string | undefined {
  const letters = allowed === undefined ? undefined : new Set([...allowed].map((l) => optionLetter(l) ?? l.toUpperCase()));
  const marked = lastMatch(output, MARKED, letters);
  if (marked !== undefined) return marked;
  const lines = output.split('\n');
  for (let i = lines.length - 1; i >= 0; i--) {
    const letter = LONE_LINE.exec(lines[i]!)?.[1];
    if (letter !== undefined && (letters === undefined || letters.has(letter))) return letter;
  }
  const parenthesized = lastMatch(output, PARENTHESIZED, letters);
  if (parenthesized !== undefined) return parenthesized;
  for (let i = lines.length - 1; i >= 0; i--) {
    const letter = LEADING_OPTION.exec(lines[i]!)?.[1];
    if (letter !== undefined && (letters === undefined || letters.has(letter))) return letter;
  }
  return undefined;
}
