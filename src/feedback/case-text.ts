/**
 * The texts of one case result as the feedback stage reads them, and their compact renderings.
 * Shared by the analysis, the sampler and the formatters so sizes measured while sampling match
 * what is finally printed.
 */
import type { FailureCategory } from '../assertions/types.js';
import type { CaseFailure, CaseResult } from '../runner/types.js';
import { stringifyValue } from '../spec/template.js';
import { compactDiff } from './diff-outputs.js';
import { mostSevere } from './severity.js';

const MAX_VAR_CHARS = 160;
const MAX_VARS_CHARS = 360;
const MAX_TEXT_CHARS = 300;
const MAX_REASON_CHARS = 200;
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

/** The failure's own expected rendering when it has one, else the case's expected value. */
export function expectedText(result: CaseResult, failures: readonly CaseFailure[] = result.failures): string | undefined {
  const fromFailure = failures.find((f) => f.expected !== undefined && f.expected !== '')?.expected;
  if (fromFailure !== undefined) return fromFailure;
  const fromCase = stringifyValue(result.expected);
  return fromCase === '' ? undefined : fromCase;
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

/** `key="value", n=3` with long values shortened; `(none)` without vars. */
export function compactVars(vars: Record<string, unknown>, maxChars = MAX_VARS_CHARS): string {
  const entries = Object.entries(vars);
  if (entries.length === 0) return '(none)';
  const parts = entries.map(([key, value]) => {
    const text = typeof value === 'string' ? JSON.stringify(truncate(value, MAX_VAR_CHARS)) : stringifyValue(value);
    return `${key}=${truncate(text, MAX_VAR_CHARS)}`;
  });
  return truncate(parts.join(', '), maxChars);
}

/** One line per value, quoted as JSON so newlines and edges stay visible. */
function quoted(text: string, max = MAX_TEXT_CHARS): string {
  return JSON.stringify(truncate(text, max));
}

/** The block shown for one failing training case. */
export function renderFailingCase(result: CaseResult): string {
  const failures = caseFailures(result);
  const expected = expectedText(result, failures);
  const actual = failingOutput(result);
  const categories = [...new Set(failures.map((f) => f.category))].join(', ');
  const lines = [`- case ${result.caseId} [${categories}]`, `  input: ${compactVars(result.vars)}`];
  if (expected !== undefined) lines.push(`  expected: ${quoted(expected)}`);
  lines.push(`  actual: ${quoted(actual)}`);
  if (expected !== undefined) lines.push(`  diff: ${compactDiff(expected, actual, DIFF_CHARS)}`);
  const reasons = [...new Set(failures.map((f) => f.reason))].join('; ');
  lines.push(`  why: ${truncate(reasons, MAX_REASON_CHARS)}`);
  return lines.join('\n');
}

/** The block shown for one training case that passed before and broke with the last candidate. */
export function renderBrokenCase(result: CaseResult): string {
  const failures = result.failures;
  const expected = expectedText(result, failures);
  const lines = [`- case ${result.caseId}`, `  input: ${compactVars(result.vars)}`];
  if (expected !== undefined) lines.push(`  expected: ${quoted(expected)}`);
  lines.push(`  now answered: ${quoted(failingOutput(result))}`);
  const reasons = [...new Set(failures.map((f) => f.reason))].join('; ');
  if (reasons !== '') lines.push(`  why it fails: ${truncate(reasons, MAX_REASON_CHARS)}`);
  return lines.join('\n');
}
