import { describe, expect, it } from 'vitest';
import { getPath, parseFieldMap } from '../../src/production/field-map.js';
import { toRecord } from '../../src/production/to-record.js';

const item = (value: Record<string, unknown>, line = 1) => ({ line, value });

describe('--map and dotted paths', () => {
  it('reads keys, array indexes (negative from the end) and literal dotted keys', () => {
    const value = { request: { messages: [{ content: 'sys' }, { content: 'hi' }] }, 'feedback.rating': 'up' };
    expect(getPath(value, 'request.messages.-1.content')).toBe('hi');
    expect(getPath(value, 'request.messages.0.content')).toBe('sys');
    expect(getPath(value, 'feedback.rating')).toBe('up');
    expect(getPath(value, 'request.missing.x')).toBeUndefined();
  });

  it('refuses an unknown field with a suggestion, and entries without =', () => {
    expect(() => parseFieldMap(['feedbak.rating=x'])).toThrow(/unknown field "feedbak.rating" \(did you mean "feedback.rating"\?\)/);
    expect(() => parseFieldMap(['input'])).toThrow(/is not field=path/);
    expect(parseFieldMap(['vars.city=user.city']).vars).toEqual({ city: 'user.city' });
  });
});

describe('toRecord', () => {
  it('reads the default shape', () => {
    const record = toRecord(
      item({ id: 'r1', timestamp: '2025-06-01T10:00:00Z', input: 'hi', output: 'yo', prompt_version: 'v2', model: 'm', latency_ms: 420, usage: { input_tokens: 5, output_tokens: 2 }, cost_usd: 0.001, session: 's', feedback: { rating: 1, correction: 'hello', comment: 'rude', flags: ['format'] } }),
      parseFieldMap(),
      'input',
    );
    expect(record).toEqual({
      line: 1,
      id: 'r1',
      timestamp: '2025-06-01T10:00:00Z',
      time: Date.UTC(2025, 5, 1, 10),
      vars: { input: 'hi' },
      output: 'yo',
      promptVersion: 'v2',
      model: 'm',
      latencyMs: 420,
      inputTokens: 5,
      outputTokens: 2,
      costUsd: 0.001,
      session: 's',
      feedback: { rating: 'up', correction: 'hello', comment: 'rude', flags: ['format'] },
    });
  });

  it('reads a foreign shape through --map, CSV strings included', () => {
    const map = parseFieldMap(['input=request.messages.-1.content', 'feedback.rating=thumbs', 'timestamp=ts', 'vars.lang=meta.lang']);
    const record = toRecord(item({ request: { messages: [{ content: 'q?' }] }, thumbs: 'false', ts: '1748772000', meta: { lang: 'fr' }, latency_ms: '12.5', 'feedback.flags': 'format;moderation:hate' }), map, 'question');
    expect(record).toMatchObject({ vars: { lang: 'fr', question: 'q?' }, time: 1748772000_000, latencyMs: 12.5, feedback: { rating: 'down', flags: ['format', 'moderation:hate'] } });
  });

  it('a structured correction in a string is JSON; `vars.<name>` columns are vars', () => {
    const record = toRecord(item({ 'vars.city': 'Paris', 'feedback.correction': '{"intent": "GetWeather"}' }), parseFieldMap(), 'input');
    expect(record).toMatchObject({ vars: { city: 'Paris' }, feedback: { correction: { intent: 'GetWeather' } } });
  });

  it('names the field of a malformed record, never its value', () => {
    expect(toRecord(item({ input: 'x', feedback: { rating: 'meh' } }, 7), parseFieldMap(), 'input')).toEqual({ line: 7, field: 'feedback.rating', reason: 'feedback.rating: not a rating (use "up" or "down", 1 or 0, true or false)' });
    expect(toRecord(item({ input: 'x', timestamp: 'yesterday' }), parseFieldMap(), 'input')).toMatchObject({ field: 'timestamp' });
    expect(toRecord(item({ input: 'x', vars: { input: 'y' } }), parseFieldMap(), 'input')).toMatchObject({ field: 'input', reason: 'input: both input and vars.input are set' });
    expect(toRecord(item({ input: 'x', cost_usd: 'free' }), parseFieldMap(), 'input')).toMatchObject({ field: 'cost_usd' });
  });
});
