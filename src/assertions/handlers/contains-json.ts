/**
 * `contains-json`: the output holds a JSON object or array somewhere (fences and prose around it are
 * fine). With a value: a JSON schema (object or `file://`) that some embedded JSON must match, or —
 * when the value is plain data, as with `value: "{{expected}}"` — JSON that must equal it deeply.
 */
import { canonicalJson } from '../../util/hash.js';
import { extractJsonValues } from '../extract-json.js';
import { jsonDiff, jsonDiffFacts } from '../json-diff.js';
import { checkSchema } from '../json-schema.js';
import { assertionError, failed, passed } from '../outcome.js';
import { clip, quote, showJson } from '../text.js';
import type { AssertionHandler, AssertionOutcome, SchemaErrorFact } from '../types.js';

const SCHEMA_KEYWORDS = new Set([
  '$schema', '$id', '$ref', '$defs', '$comment', 'definitions', 'type', 'properties', 'required',
  'additionalProperties', 'patternProperties', 'propertyNames', 'items', 'prefixItems', 'additionalItems',
  'contains', 'minItems', 'maxItems', 'uniqueItems', 'enum', 'const', 'anyOf', 'oneOf', 'allOf', 'not',
  'if', 'then', 'else', 'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf',
  'minLength', 'maxLength', 'pattern', 'format', 'minProperties', 'maxProperties', 'dependentRequired',
  'dependentSchemas', 'unevaluatedProperties', 'unevaluatedItems', 'title', 'description', 'default',
  'examples', 'readOnly', 'writeOnly', 'deprecated', 'nullable',
]);
const JSON_TYPES = new Set(['object', 'array', 'string', 'number', 'integer', 'boolean', 'null']);

/**
 * True when an object reads as a JSON schema rather than expected data: every key is a schema keyword
 * and at least one is a validation keyword with a plausible value (so `{title, description}` is data).
 */
export function looksLikeSchema(value: object): boolean {
  if (Array.isArray(value)) return false;
  const entries = Object.entries(value);
  if (entries.length === 0 || !entries.every(([key]) => SCHEMA_KEYWORDS.has(key))) return false;
  const v = value as Record<string, unknown>;
  const typeOk = (t: unknown) => typeof t === 'string' && JSON_TYPES.has(t);
  const isPlainObject = (x: unknown) => x !== null && typeof x === 'object' && !Array.isArray(x);
  return (
    typeof v.$schema === 'string' ||
    typeof v.$ref === 'string' ||
    typeOk(v.type) ||
    (Array.isArray(v.type) && v.type.every(typeOk)) ||
    isPlainObject(v.properties) ||
    (Array.isArray(v.required) && v.required.every((r) => typeof r === 'string')) ||
    Array.isArray(v.enum) ||
    ['anyOf', 'oneOf', 'allOf'].some((k) => Array.isArray(v[k]))
  );
}

function matchSchema(found: unknown[], value: unknown, baseDir: string, output: string): AssertionOutcome {
  const shown = { expected: 'JSON matching the schema', actual: clip(output) };
  let first: { error: string; facts: SchemaErrorFact[] } | undefined;
  for (const candidate of found) {
    const check = checkSchema(candidate, value, baseDir);
    if (check.ok) return passed(`output contains JSON matching the schema: ${showJson(candidate)}`, shown);
    if (check.schemaError) return assertionError(`contains-json: ${check.error}`);
    first ??= { error: check.error, facts: check.facts };
  }
  return failed('schema_violation', `output JSON does not match the schema: ${first?.error ?? ''}; got ${quote(output)}`, {
    ...shown,
    details: { kind: 'json', problem: 'schema', errors: first?.facts ?? [] },
  });
}

function matchData(found: unknown[], expected: object, output: string): AssertionOutcome {
  const want = canonicalJson(expected);
  const shown = { expected: clip(want), actual: clip(output) };
  if (found.some((candidate) => canonicalJson(candidate) === want)) return passed(`output contains the JSON ${showJson(expected)}`, shown);
  const diff = jsonDiff(expected, found[0]).join('; ');
  return failed('wrong_answer', `output JSON differs from ${showJson(expected)}: ${diff}; got ${quote(output)}`, {
    ...shown,
    details: { kind: 'json_diff', diffs: jsonDiffFacts(expected, found[0]) },
  });
}

export const containsJson: AssertionHandler = ({ value }, { output, baseDir }) => {
  const found = extractJsonValues(output);
  if (found.length === 0) {
    return failed('invalid_json', `output contains no JSON object or array; got ${quote(output)}`, {
      expected: 'a JSON object or array',
      actual: clip(output),
      details: { kind: 'json', problem: 'not_json', errors: [] },
    });
  }
  if (value === undefined || value === null || value === '') {
    return passed(`output contains JSON ${showJson(found[0])}`, { actual: clip(output) });
  }
  if (typeof value === 'object' && !looksLikeSchema(value)) return matchData(found, value, output);
  return matchSchema(found, value, baseDir, output);
};
