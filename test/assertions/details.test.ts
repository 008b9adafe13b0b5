import { describe, expect, it } from 'vitest';
import { check } from './helpers.js';

/** Failures carry their facts as data (details), so feedback never has to parse reasons. */
describe('assertion details', () => {
  it('text checks name the needles and which were missing; a negated one which were present', async () => {
    expect((await check({ type: 'regex', value: '####\\s*-?[\\d,]+' }, 'The total is 20.')).details).toEqual({
      kind: 'text',
      check: 'regex',
      needles: ['####\\s*-?[\\d,]+'],
      missing: ['####\\s*-?[\\d,]+'],
      ignoreCase: false,
    });
    expect((await check({ type: 'contains-all', value: ['alpha', 'beta'] }, 'alpha only')).details).toMatchObject({
      check: 'contains',
      missing: ['beta'],
    });
    expect((await check({ type: 'starts-with', value: 'Dear' }, 'Hi there')).details).toMatchObject({ check: 'starts-with', missing: ['Dear'] });
    const forbidden = await check({ type: 'not-icontains', value: 'sorry' }, 'Sorry, no.');
    expect(forbidden).toMatchObject({ pass: false, category: 'forbidden_content' });
    expect(forbidden.details).toMatchObject({ kind: 'text', needles: ['sorry'], missing: [], negated: true });
  });

  it('json-schema keeps ajv errors: path, keyword and the field they name', async () => {
    const schema = {
      type: 'object',
      required: ['intent', 'slots'],
      additionalProperties: false,
      properties: { intent: { type: 'string' }, slots: { type: 'object', additionalProperties: { type: 'string' } } },
    };
    const result = await check({ type: 'json-schema', value: schema }, '{"label": "x", "slots": {"n": 3}}');
    expect(result.category).toBe('schema_violation');
    expect(result.details).toEqual({
      kind: 'json',
      problem: 'schema',
      embedded: false,
      errors: expect.arrayContaining([
        { path: '', keyword: 'required', field: 'intent', message: "must have required property 'intent'" },
        { path: '', keyword: 'additionalProperties', field: 'label', message: 'must NOT have additional properties' },
        { path: '/slots/n', keyword: 'type', message: 'must be string' },
      ]),
    });
    expect((await check({ type: 'is-json' }, 'Here: {"a": 1}')).details).toEqual({ kind: 'json', problem: 'not_json', embedded: true, errors: [] });
  });

  it('equals on JSON data and contains-json list the paths that differ', async () => {
    const result = await check({ type: 'equals', value: { intent: 'PlayMusic', slots: { artist: 'Abba' } } }, '{"intent": "PlayMusic", "slots": {"song": "x"}}');
    expect(result.details).toEqual({
      kind: 'json_diff',
      diffs: [
        { path: '$.slots.artist', kind: 'missing' },
        { path: '$.slots.song', kind: 'unexpected' },
      ],
    });
  });

  it('javascript keeps what the function said and its score; levenshtein the distance', async () => {
    const said = await check({ type: 'javascript', value: "({ pass: false, score: 0.25, reason: 'uses 3 bullet points, needs 5' })" }, 'x');
    expect(said.details).toEqual({ kind: 'function', said: 'uses 3 bullet points, needs 5', score: 0.25 });
    expect((await check({ type: 'javascript', value: 'output.length > 10' }, 'x')).details).toEqual({ kind: 'function' });
    expect((await check({ type: 'levenshtein', value: 'kitten', threshold: 1 }, 'sitting')).details).toEqual({ kind: 'distance', distance: 3, max: 1 });
  });
});
