/**
 * Checks that a feedback text copies nothing from case inputs or outputs: the guarantee behind
 * descriptive (validation) feedback, where the optimizer must generalize rather than memorize.
 */
import type { CaseResult } from '../runner/types.js';
import { stringifyValue } from '../template/template.js';

export interface VerbatimCheckOptions {
  /** Shortest copied run that counts as a leak (default 12 chars). */
  minLength?: number;
  /** Words that may appear anyway, such as labels and token statistics (matched ignoring case). */
  allow?: readonly string[];
}

const MASK = '\u0000';

function mask(text: string, allow: readonly string[]): string {
  let out = text.toLowerCase();
  for (const word of allow) {
    if (word !== '') out = out.split(word.toLowerCase()).join(MASK);
  }
  return out;
}

/** Every var value and every sample output of the cases. */
function caseTexts(results: readonly CaseResult[]): string[] {
  const texts: string[] = [];
  for (const r of results) {
    for (const value of Object.values(r.vars)) texts.push(stringifyValue(value));
    texts.push(r.output);
    for (const s of r.samples) texts.push(s.output);
  }
  return texts;
}

/**
 * The runs of `minLength` chars (ignoring case) that appear both in `text` and in some case input
 * or output. Runs overlapping an allowed word, and runs without any letter or digit, are ignored.
 * Linear in the total size of the texts.
 */
export function findVerbatimLeaks(
  text: string,
  results: readonly CaseResult[],
  options: VerbatimCheckOptions = {},
): string[] {
  const minLength = options.minLength ?? 12;
  const allow = [...(options.allow ?? [])].sort((a, b) => b.length - a.length);
  const grams = new Set<string>();
  const masked = mask(text, allow);
  for (let i = 0; i + minLength <= masked.length; i++) grams.add(masked.slice(i, i + minLength));
  const leaks = new Set<string>();
  for (const source of caseTexts(results)) {
    const s = mask(source, allow);
    for (let i = 0; i + minLength <= s.length; i++) {
      const gram = s.slice(i, i + minLength);
      if (gram.includes(MASK) || !/[\p{L}\p{N}]/u.test(gram)) continue;
      if (grams.has(gram)) leaks.add(gram);
    }
  }
  return [...leaks];
}
