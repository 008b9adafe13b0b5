/** `is-json`: the whole output parses as JSON; with a value, it also matches that JSON schema. */
import { checkSchema } from '../json-schema.js';
import { extractFirstJson, tryParseJson } from '../extract-json.js';
import { assertionError, failed, passed } from '../outcome.js';
import { clip, quote } from '../text.js';
import type { AssertionHandler } from '../types.js';

export const isJson: AssertionHandler = ({ value }, { output, baseDir }) => {
  const shown = { actual: clip(output) };
  const parsed = tryParseJson(output.trim());
  if (!parsed.ok) {
    const embedded = extractFirstJson(output) !== undefined ? ' (it holds JSON inside other text)' : '';
    return failed('invalid_json', `output is not valid JSON${embedded}: ${parsed.error}; got ${quote(output)}`, {
      ...shown,
      expected: 'valid JSON',
      details: { kind: 'json', problem: 'not_json', embedded: embedded !== '', errors: [] },
    });
  }
  if (value === undefined || value === null || value === '') return passed('output is valid JSON', shown);
  const check = checkSchema(parsed.value, value, baseDir);
  if (check.ok) return passed('output is valid JSON matching the schema', shown);
  if (check.schemaError) return assertionError(`is-json: ${check.error}`);
  return failed('schema_violation', `output JSON does not match the schema: ${check.error}; got ${quote(output)}`, {
    ...shown,
    expected: 'JSON matching the schema',
    details: { kind: 'json', problem: 'schema', errors: check.facts },
  });
};
