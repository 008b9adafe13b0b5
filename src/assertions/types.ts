/**
 * The assertion contract. Names and shapes follow promptfoo's where they exist:
 * `{ type, value, threshold }`, with `not-` negating any type (handled once, in the registry).
 */
import type { ChatModel } from '../providers/types.js';

export const FAILURE_CATEGORIES = [
  'format_violation', // output shape is wrong (extra words, wrong prefix, wrong case)
  'wrong_answer', // well-formed but not the expected value
  'missing_content', // required text absent
  'forbidden_content', // text present that must not be (not-contains, ...)
  'invalid_json', // not parseable as JSON
  'schema_violation', // JSON that does not match the schema
  'too_different', // levenshtein / similarity below threshold
  'rubric_failed', // llm-rubric judged it a fail
  'cost_exceeded',
  'latency_exceeded',
  'assertion_error', // the assertion itself threw (bad regex, failing custom function)
  'provider_error', // the model call failed after retries (not the prompt's fault)
] as const;
export type FailureCategory = (typeof FAILURE_CATEGORIES)[number];

/** As written in the spec (after templating of `value` with vars and `{{expected}}`). */
export interface AssertionSpec {
  type: string;
  value?: unknown;
  threshold?: number;
  /** Free-text label shown in reports. */
  metric?: string;
  /** For llm-rubric: override the judge model, e.g. `{ provider: sim, model: sim-judge }`. */
  provider?: string;
  /** For javascript: how long the function may run before it counts as an assertion_error (default 5000). */
  timeout_ms?: number;
}

/** What an assertion sees. */
export interface AssertionContext {
  output: string;
  vars: Record<string, unknown>;
  expected?: unknown;
  caseId: string;
  /** Folder of the spec, for `file://` references. */
  baseDir: string;
  costUsd: number | null;
  latencyMs: number;
  /** Judge for llm-rubric; undefined when none is configured. */
  judge?: ChatModel;
  judgeMaxTokens?: number;
  /** Ctrl-C / SIGTERM / --deadline: a custom assertion still running is stopped. */
  signal?: AbortSignal;
}

export interface AssertionOutcome {
  pass: boolean;
  /** 0..1 */
  score: number;
  /** Human-readable; says what was expected and what came back. */
  reason: string;
  /** Set when pass is false. */
  category?: FailureCategory;
  /** Short renderings for diffs in feedback (expected vs actual). */
  expected?: string;
  actual?: string;
  /** Tokens/cost spent by a judge model, if any. */
  judgeCostUsd?: number | null;
}

export type AssertionHandler = (
  assertion: AssertionSpec,
  context: AssertionContext,
) => AssertionOutcome | Promise<AssertionOutcome>;

/** One assertion's result, as stored in a case result. */
export interface AssertionResult extends AssertionOutcome {
  type: string;
  metric?: string;
}
