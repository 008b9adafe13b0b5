/**
 * The assertion contract. Names and shapes follow promptfoo's where they exist:
 * `{ type, value, threshold }`, with `not-` negating any type (handled once, in the registry).
 */
import type { ChatModel } from '../providers/types.js';
import type { TemplateEngine } from '../template/template.js';

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
  /** A named metric: reported per split (mean score, cases passed) and used to group feedback. */
  metric?: string;
  /** Weight in the case's score, the weighted mean of its assertion scores (default 1; 0: reported only). */
  weight?: number;
  /** For llm-rubric: override the judge model, e.g. `{ provider: sim, model: sim-judge }`. */
  provider?: string;
  /** For javascript and python: how long the function may run before it counts as an assertion_error (default 5000). */
  timeout_ms?: number;
  /** Applied to the output (after the spec's `transform`) for this assertion only: JavaScript, or `file://x.js|x.py[:fn]`. */
  transform?: string;
}

/** What an assertion sees. */
export interface AssertionContext {
  /** The answer as text (a transform's non-text result as its JSON). */
  output: string;
  /** What a transform returned when it is not text (an object, a list, a number): javascript and python see it as is. */
  outputValue?: unknown;
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
  /** How assertion values render (the spec's `template:`; default `simple`). */
  templateEngine?: TemplateEngine;
  /** The spec's output transform, run on the answer before every assertion (`transform:`). */
  transform?: string;
}

/** One ajv error, kept as data: where in the JSON, which schema keyword, and the field it names. */
export interface SchemaErrorFact {
  /** JSON Pointer into the output's JSON (`/slots/first_name`); '' for the root. */
  path: string;
  /** The schema keyword that failed: required, additionalProperties, type, enum, pattern, ... */
  keyword: string;
  /** The property a `required` / `additionalProperties` / dependency error names. */
  field?: string;
  /** ajv's message, e.g. "must be string". */
  message: string;
}

/** A difference between expected and actual JSON: a field missing, unexpected, or with another value. */
export interface JsonDiffFact {
  /** `$.slots.artist` */
  path: string;
  kind: 'missing' | 'unexpected' | 'changed';
}

/**
 * What a check found, as data, for the feedback stage (the reason is the same for people). Set on
 * failures, and on passes of text checks (so a negated check knows what was present).
 */
export type AssertionDetails =
  /** contains*, icontains*, starts-with, regex: the texts (or pattern) looked for, and which were missing. */
  | { kind: 'text'; check: 'contains' | 'starts-with' | 'regex'; needles: readonly string[]; missing: readonly string[]; ignoreCase: boolean; negated?: boolean }
  /** is-json, json-schema, contains-json: no JSON at all, JSON inside other text, or schema errors. */
  | { kind: 'json'; problem: 'not_json' | 'schema'; embedded?: boolean; errors: readonly SchemaErrorFact[] }
  /** equals / contains-json against expected JSON data: the paths that differ. */
  | { kind: 'json_diff'; diffs: readonly JsonDiffFact[] }
  /** javascript: what the user function said, as it said it. */
  | { kind: 'function'; said?: string; score?: number }
  /** llm-rubric: the judge's reason and score. */
  | { kind: 'judge'; said: string; score: number }
  /** levenshtein: the edit distance and the most allowed. */
  | { kind: 'distance'; distance: number; max: number };

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
  /** Structured facts for feedback (see AssertionDetails). */
  details?: AssertionDetails;
}

export type AssertionHandler = (
  assertion: AssertionSpec,
  context: AssertionContext,
) => AssertionOutcome | Promise<AssertionOutcome>;

/** One assertion's result, as stored in a case result. */
export interface AssertionResult extends AssertionOutcome {
  type: string;
  metric?: string;
  /** Set when the spec gave one (default 1). */
  weight?: number;
}

/** A failed check of a case, as results and reports keep it. */
export interface CaseFailure {
  type: string;
  category: FailureCategory;
  reason: string;
  /** The assertion's `metric:` name, when the spec gave one. */
  metric?: string;
  /** The failed assertion's score, 0..1. */
  score?: number;
  expected?: string;
  actual?: string;
  /** Structured facts behind the failure, for feedback. */
  details?: AssertionDetails;
}

/** A named metric (`metric:`) on one case: mean score of its assertions (over samples), all passed. */
export interface CaseMetric {
  name: string;
  score: number;
  pass: boolean;
}
