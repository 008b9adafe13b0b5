import { describe, expect, it } from 'vitest';
import { extractJsonValues } from '../../src/assertions/extract-json.js';
import { looksLikeSchema } from '../../src/assertions/handlers/contains-json.js';
import { check } from './helpers.js';

const labelSchema = {
  type: 'object',
  required: ['label'],
  properties: { label: { enum: ['positive', 'negative'] } },
};

describe('extractJsonValues', () => {
  it('finds objects and arrays in prose and fences, respecting braces inside strings', () => {
    const text = 'Sure [sic]! ```json\n{"a": "x } y", "b": [1, {"c": "]"}]}\n``` and [1,2]';
    expect(extractJsonValues(text)).toEqual([{ a: 'x } y', b: [1, { c: ']' }] }, [1, 2]]);
  });

  it('handles escaped quotes and skips spans that do not parse', () => {
    expect(extractJsonValues('{not json} then {"q": "say \\"hi\\" {"}')).toEqual([{ q: 'say "hi" {' }]);
    expect(extractJsonValues('no json at all {')).toEqual([]);
  });
});

describe('is-json', () => {
  it('passes on JSON and fails as invalid_json otherwise, noting embedded JSON', async () => {
    expect((await check({ type: 'is-json' }, ' {"a": 1} ')).pass).toBe(true);
    const r = await check({ type: 'is-json' }, 'Here: {"a": 1}');
    expect(r).toMatchObject({ pass: false, category: 'invalid_json', expected: 'valid JSON', actual: 'Here: {"a": 1}' });
    expect(r.reason).toContain('inside other text');
    expect(r.reason).toContain('"Here: {\\"a\\": 1}"');
  });

  it('validates against a schema value as schema_violation', async () => {
    expect((await check({ type: 'is-json', value: labelSchema }, '{"label":"positive"}')).pass).toBe(true);
    const r = await check({ type: 'is-json', value: labelSchema }, '{"label":"happy"}');
    expect(r.category).toBe('schema_violation');
    expect(r.reason).toContain('/label: must be equal to one of the allowed values');
  });
});

describe('contains-json', () => {
  it('passes when JSON is embedded anywhere and fails as invalid_json when none is', async () => {
    expect((await check({ type: 'contains-json' }, 'Result:\n```json\n{"label": "positive"}\n```')).pass).toBe(true);
    const r = await check({ type: 'contains-json' }, 'label: positive');
    expect(r.category).toBe('invalid_json');
    expect(r.reason).toContain('"label: positive"');
  });

  it('validates embedded JSON against a schema', async () => {
    expect((await check({ type: 'contains-json', value: labelSchema }, 'ok {"label":"negative"}')).pass).toBe(true);
    const r = await check({ type: 'contains-json', value: labelSchema }, 'ok {"labels":"negative"}');
    expect(r.category).toBe('schema_violation');
    expect(r.reason).toContain("must have required property 'label'");
  });

  it('compares against plain data deeply when the value is not a schema', async () => {
    const value = { label: 'positive', confidence: 'high' };
    expect((await check({ type: 'contains-json', value }, 'x {"confidence":"high","label":"positive"} y')).pass).toBe(true);
    const r = await check({ type: 'contains-json', value }, '{"label":"negative","confidence":"high"}');
    expect(r.category).toBe('wrong_answer');
    expect(r.reason).toContain('$.label: expected "positive", got "negative"');
  });

  it('tells schemas from data', () => {
    expect(looksLikeSchema(labelSchema)).toBe(true);
    expect(looksLikeSchema({ type: 'refund', amount: 3 })).toBe(false);
    expect(looksLikeSchema({ title: 'Dune', description: 'a novel' })).toBe(false);
    expect(looksLikeSchema([1, 2])).toBe(false);
  });
});

describe('json-schema', () => {
  it('validates against a schema file relative to baseDir, with formats', async () => {
    const value = 'file://label.schema.json';
    expect((await check({ type: 'json-schema', value }, '{"label":"neutral","confidence":0.4}')).pass).toBe(true);
    const r = await check({ type: 'json-schema', value }, '{"label":"meh","confidence":2,"email":"nope","extra":1}');
    expect(r).toMatchObject({ pass: false, category: 'schema_violation' });
    // the first 3 ajv errors, each with its instancePath, and a count of the rest
    expect(r.reason).toContain('(root): must NOT have additional properties (extra)');
    expect(r.reason).toContain('/confidence: must be <= 1');
    expect(r.reason).toContain('/email: must match format "email"');
    expect(r.reason).toContain('(+1 more)');
  });

  it('uses the embedded JSON when the output is not pure JSON', async () => {
    const r = await check({ type: 'json-schema', value: labelSchema }, 'Answer: {"label":"positive"}');
    expect(r.pass).toBe(true);
  });

  it('fails as invalid_json without any JSON, and as assertion_error for a missing or broken schema', async () => {
    expect((await check({ type: 'json-schema', value: labelSchema }, 'positive')).category).toBe('invalid_json');
    const missing = await check({ type: 'json-schema', value: 'file://nope.json' }, '{}');
    expect(missing.category).toBe('assertion_error');
    expect(missing.reason).toContain('schema file not found');
    const broken = await check({ type: 'json-schema', value: { type: 'nonsense' } }, '{}');
    expect(broken.category).toBe('assertion_error');
    expect(broken.reason).toContain('invalid JSON schema');
  });

  it('supports draft 2020-12 schemas', async () => {
    const value = {
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      type: 'array',
      prefixItems: [{ type: 'string' }],
    };
    expect((await check({ type: 'json-schema', value }, '["a", 1]')).pass).toBe(true);
    expect((await check({ type: 'json-schema', value }, '[1]')).category).toBe('schema_violation');
  });
});
