/**
 * `json-schema`: the output, parsed as JSON (or, failing that, the first JSON embedded in it), matches
 * the schema in `value` (an object or `file://schema.json|yaml` relative to the spec).
 */
import { extractFirstJson, tryParseJson } from '../extract-json.js';
import { checkSchema } from '../json-schema.js';
import { assertionError, failed, passed } from '../outcome.js';
import { clip, quote } from '../text.js';
import type { AssertionHandler } from '../types.js';

export const jsonSchema: AssertionHandler = ({ value }, { output, baseDir }) => {
  if (value === undefined || value === null || value === '') {
    return assertionError('json-schema needs a schema as its value (an object or file://schema.json)');
  }
  const parsed = tryParseJson(output.trim());
  const data = parsed.ok ? parsed.value : extractFirstJson(output);
  if (data === undefined) {
    return failed('invalid_json', `output is not JSON and holds no JSON object or array; got ${quote(output)}`, {
      expected: 'JSON matching the schema',
      actual: clip(output),
      details: { kind: 'json', problem: 'not_json', errors: [] },
    });
  }
  const check = checkSchema(data, value, baseDir);
  const shown = { expected: 'JSON matching the schema', actual: clip(output) };
  if (check.ok) return passed('output JSON matches the schema', shown);
  if (check.schemaError) return assertionError(`json-schema: ${check.error}`);
  return failed('schema_violation', `output JSON does not match the schema: ${check.error}; got ${quote(output)}`, {
    ...shown,
    details: { kind: 'json', problem: 'schema', embedded: !parsed.ok, errors: check.facts },
  });
};
