/**
 * Which check a failure came from, and what it found, read from the assertion that failed (its type,
 * `metric:` name, category and structured details) rather than from its `expected` text. Failures of
 * one check fall into one group: assertion type + metric + category, and for a javascript check the
 * shape of the reason it returned.
 */
import { parseAssertionType } from '../assertions/names.js';
import type { AssertionDetails, FailureCategory } from '../assertions/types.js';
import type { CaseFailure } from '../runner/types.js';
import { reasonShape } from './reason-shape.js';
import { formatCheckTitle } from './vocabulary/check-title.js';
import { readJsonString } from './vocabulary/json-text.js';

/**
 * How a group of failures is analysed and what advice fits it:
 * - label: `equals` against short labels (confusions, format, length);
 * - exact: `equals` against other text, `levenshtein` (wrapping, length, missing words);
 * - text: contains*, starts-with, regex (the text or pattern missing, or present when forbidden);
 * - json: is-json, json-schema, contains-json, equals on JSON (schema errors, fields, diff paths);
 * - function: javascript (what it said, its score); judge: llm-rubric (the judge's reason);
 * - limit: cost, latency; error: the check itself failed to run; other: anything else.
 */
export type CheckFamily = 'label' | 'exact' | 'text' | 'json' | 'function' | 'judge' | 'limit' | 'error' | 'other';

export interface CheckIdentity {
  /** Grouping key. */
  key: string;
  /** `regex [final-answer]`, `javascript "has # bullet points, needs #"` (vocabulary/check-title.ts). */
  title: string;
  type: string;
  metric?: string;
  /** A javascript check's reason shape. */
  said?: string;
  category: FailureCategory;
  /** `exact` for every equals on text; the analysis turns groups of short labels into `label`. */
  family: Exclude<CheckFamily, 'label'>;
}

const TEXT_TYPES = new Set(['contains', 'icontains', 'contains-any', 'icontains-any', 'contains-all', 'icontains-all', 'starts-with', 'regex']);
const JSON_TYPES = new Set(['is-json', 'json-schema', 'contains-json']);
const MAX_FACT_CHARS = 200;

function familyOf(failure: CaseFailure): CheckIdentity['family'] {
  if (failure.category === 'assertion_error') return 'error';
  const base = parseAssertionType(failure.type).base;
  if (base === undefined) return 'other';
  if (base === 'equals') return failure.details?.kind === 'json_diff' || failure.category === 'invalid_json' ? 'json' : 'exact';
  if (base === 'levenshtein') return 'exact';
  if (TEXT_TYPES.has(base)) return 'text';
  if (JSON_TYPES.has(base)) return 'json';
  if (base === 'javascript' || base === 'python') return 'function';
  if (base === 'llm-rubric') return 'judge';
  return 'limit';
}

/** Identities by failure object: a failure is identified by the analysis, the sampler and the renderer. */
const identities = new WeakMap<CaseFailure, CheckIdentity>();

export function identifyCheck(failure: CaseFailure): CheckIdentity {
  let identity = identities.get(failure);
  if (identity === undefined) {
    identity = identify(failure);
    identities.set(failure, identity);
  }
  return identity;
}

function identify(failure: CaseFailure): CheckIdentity {
  const family = familyOf(failure);
  const said = family === 'function' && failure.details?.kind === 'function' && failure.details.said ? reasonShape(failure.details.said) : undefined;
  const title = formatCheckTitle({ type: failure.type, metric: failure.metric, said });
  return {
    key: `${title}\u0000${failure.category}`,
    title,
    type: failure.type,
    ...(failure.metric !== undefined ? { metric: failure.metric } : {}),
    ...(said !== undefined ? { said } : {}),
    category: failure.category,
    family,
  };
}

/** What one failed check found, in one short line (the `failed <title>: …` line of a case). */
export function failureFact(failure: CaseFailure): string {
  const fact = detailsFact(failure.details) ?? withoutEcho(failure.reason);
  const score = failure.details?.kind === 'function' && failure.details.score !== undefined ? ` (score ${round(failure.details.score)})` : '';
  const text = fact + score;
  return text.length > MAX_FACT_CHARS ? `${text.slice(0, MAX_FACT_CHARS - 1)}…` : text;
}

function detailsFact(details: AssertionDetails | undefined): string | undefined {
  if (details === undefined) return undefined;
  switch (details.kind) {
    case 'text': {
      const present = details.needles.filter((n) => !details.missing.includes(n));
      if (details.negated) return `contains forbidden ${describeNeedles(details.check, present)}`;
      if (details.check === 'regex') return `does not match ${describeNeedles('regex', details.missing)}`;
      if (details.check === 'starts-with') return `does not start with ${describeNeedles('starts-with', details.missing)}`;
      return `missing ${describeNeedles('contains', details.missing)}`;
    }
    case 'json':
      if (details.problem === 'not_json') return details.embedded ? 'JSON inside other text (prose or a code fence)' : 'not JSON';
      return details.errors.map(schemaErrorText).join('; ') || 'does not match the schema';
    case 'json_diff':
      return details.diffs.map((d) => `${d.path} ${d.kind}`).join('; ') || 'different JSON';
    case 'function':
      return details.said ?? (details.score !== undefined ? 'scored below its threshold' : 'returned false');
    case 'judge':
      return `${details.said} (judge score ${round(details.score)})`;
    case 'distance':
      return `edit distance ${details.distance}, at most ${details.max} allowed`;
  }
}

/** `/pattern/` for regex, quoted text otherwise; several joined with commas. */
export function describeNeedles(check: 'contains' | 'starts-with' | 'regex', needles: readonly string[]): string {
  return needles.map((n) => (check === 'regex' ? `/${n}/` : JSON.stringify(n))).join(', ');
}

/** `/slots additionalProperties first_name`, `(root) required intent`, `/age type (must be integer)`. */
export function schemaErrorText(e: { path: string; keyword: string; field?: string; message?: string }): string {
  const where = e.path === '' ? '(root)' : e.path;
  const what = e.field !== undefined ? `${e.keyword} ${e.field}` : e.message !== undefined ? `${e.keyword} (${e.message})` : e.keyword;
  return `${where} ${what}`;
}

/**
 * A reason without the output it quotes (`got "…"`, `for output "…"`): the block shows the output
 * already, and descriptive feedback must not carry it.
 */
export function withoutEcho(reason: string): string {
  let out = reason;
  for (const marker of ['; got ', ', got ', ' for output ', ' got ']) {
    for (let at = out.indexOf(`${marker}"`); at >= 0; at = out.indexOf(`${marker}"`, at)) {
      const quoted = readJsonString(out, at + marker.length);
      if (!quoted) break;
      out = out.slice(0, at) + out.slice(quoted.end);
    }
  }
  return out.trim();
}

function round(n: number): string {
  return String(Math.round(n * 100) / 100);
}
