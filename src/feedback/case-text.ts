/**
 * The texts of one case result as the feedback stage reads them, and their compact renderings.
 * Shared by the analysis, the sampler and the formatters so sizes measured while sampling match
 * what is finally printed.
 */
import type { FailureCategory } from '../assertions/types.js';
import type { CaseFailure, CaseResult } from '../runner/types.js';
import { stringifyValue } from '../template/template.js';
import { failureFact, identifyCheck } from './check-kind.js';
import { compactDiff } from './diff-outputs.js';
import { mostSevere } from './severity.js';
import { formatCaseBlock, type AnswerField, type CaseFacts, type FailedCheckFact, type VarFact } from './vocabulary/case-block.js';

const MIN_VAR_CHARS = 80;
const MAX_VARS_CHARS = 400;
const MAX_TEXT_CHARS = 300;
const DIFF_CHARS = 240;

/** Estimated tokens for a text (chars / 4, rounded up). */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

/** Cuts `text` to at most `max` chars, ending in `…` when cut. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= 0) return '';
  return `${text.slice(0, max - 1)}…`;
}

/** True when the model call failed for this case (on the case or on any sample). */
export function hasProviderError(result: CaseResult): boolean {
  return result.providerError !== undefined || result.samples.some((s) => s.providerError !== undefined);
}

/** The output of the first failing sample (which `failures` describe), else the first output. */
export function failingOutput(result: CaseResult): string {
  const sample = result.samples.find((s) => !s.pass && s.providerError === undefined);
  return sample?.output ?? result.output;
}

/** The case's expected value, else the first failure's own expected rendering (for ordering cases). */
export function expectedText(result: CaseResult, failures: readonly CaseFailure[] = result.failures): string | undefined {
  const fromCase = stringifyValue(result.expected);
  if (fromCase !== '') return fromCase;
  return failures.find((f) => f.expected !== undefined && f.expected !== '')?.expected;
}

/** A failing case that recorded no assertion failure is still a failure: counted as wrong_answer. */
const FALLBACK_FAILURE: CaseFailure = {
  type: 'unknown',
  category: 'wrong_answer',
  reason: 'failed without a recorded assertion failure',
};

/** The failures of a failing case (never empty); empty for passing or provider-error cases. */
export function caseFailures(result: CaseResult): CaseFailure[] {
  if (result.pass || hasProviderError(result)) return [];
  return result.failures.length > 0 ? result.failures : [FALLBACK_FAILURE];
}

/** Distinct failure categories of a case, in order of first appearance. */
export function caseCategories(result: CaseResult): FailureCategory[] {
  return [...new Set(caseFailures(result).map((f) => f.category))];
}

/** The most severe category a failing case failed in (its queue when sampling). */
export function primaryCategory(result: CaseResult): FailureCategory | undefined {
  const categories = caseCategories(result);
  return categories.length > 0 ? mostSevere(categories) : undefined;
}

/**
 * The variables of a case as shown: each value cut so that together they stay near `maxChars`
 * (at least 80 chars each). The caller decides which variables a case has (see visible-vars.ts).
 */
export function varFacts(vars: Record<string, unknown>, maxChars = MAX_VARS_CHARS): VarFact[] {
  const entries = Object.entries(vars);
  const each = Math.max(MIN_VAR_CHARS, Math.floor(maxChars / Math.max(1, entries.length)));
  return entries.map(([name, value]) =>
    typeof value === 'string' ? { name, text: truncate(value, each) } : { name, text: truncate(stringifyValue(value), each), json: true },
  );
}

/** The expected value a case block shows: the case's own, else the text an exact check compared to. */
function shownExpected(result: CaseResult, failures: readonly CaseFailure[]): string | undefined {
  const fromCase = stringifyValue(result.expected);
  if (fromCase !== '') return fromCase;
  return failures.find((f) => identifyCheck(f).family === 'exact' && f.expected !== undefined && f.expected !== '')?.expected;
}

/** A case as a block shows it; `answerField` says which answer it is (see vocabulary/case-block.ts). */
export function caseFacts(result: CaseResult, failures: readonly CaseFailure[], answerField: AnswerField, categories?: string[]): CaseFacts {
  const expected = shownExpected(result, failures);
  const answer = failingOutput(result);
  // A word diff only means something where the output was compared to that text (and is left out of
  // the shorter blocks of broken training cases).
  const exact = answerField === 'actual' && failures.some((f) => identifyCheck(f).family === 'exact');
  return {
    id: result.caseId,
    ...(categories !== undefined ? { categories } : {}),
    vars: varFacts(result.vars),
    ...(expected !== undefined ? { expected: truncate(expected, MAX_TEXT_CHARS) } : {}),
    answerField,
    answer: truncate(answer, MAX_TEXT_CHARS),
    ...(exact && expected !== undefined ? { diff: compactDiff(expected, answer, DIFF_CHARS) } : {}),
    failed: dedupeFailed(failures.map((f) => ({ check: identifyCheck(f).title, text: failureFact(f) }))),
  };
}

function dedupeFailed(failed: FailedCheckFact[]): FailedCheckFact[] {
  const seen = new Set<string>();
  return failed.filter((f) => {
    const key = `${f.check}\u0000${f.text}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The block shown for one failing training case. */
export function renderFailingCase(result: CaseResult): string {
  const failures = caseFailures(result);
  const categories = [...new Set(failures.map((f) => f.category))];
  return formatCaseBlock(caseFacts(result, failures, 'actual', categories));
}

/** The block shown for one training case that passed before and broke with the last candidate. */
export function renderBrokenCase(result: CaseResult): string {
  return formatCaseBlock(caseFacts(result, result.failures, 'now'));
}
