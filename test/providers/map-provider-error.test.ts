import { describe, expect, it } from 'vitest';
import { ProviderError } from '../../src/errors.js';
import { classifyHttpFailure, mapProviderError, parseRetryAfter, redactSecrets } from '../../src/providers/map-provider-error.js';

describe('classifyHttpFailure', () => {
  const kind = (status: number, body: { type?: string; code?: string; message?: string } = {}) =>
    classifyHttpFailure({ status, message: body.message ?? '', ...body });

  it('maps status and body to a kind', () => {
    expect(kind(401)).toBe('auth');
    expect(kind(403)).toBe('auth');
    expect(kind(429)).toBe('rate_limit');
    expect(kind(429, { type: 'insufficient_quota', code: 'insufficient_quota' })).toBe('quota');
    expect(kind(400, { type: 'billing_error' })).toBe('quota');
    expect(kind(400, { type: 'invalid_request_error', message: 'Your credit balance is too low' })).toBe('quota');
    expect(kind(402)).toBe('quota');
    expect(kind(529)).toBe('overloaded');
    expect(kind(503)).toBe('overloaded');
    expect(kind(500)).toBe('server');
    expect(kind(502)).toBe('server');
    expect(kind(408)).toBe('timeout');
    expect(kind(400)).toBe('bad_request');
    expect(kind(404)).toBe('bad_request');
    expect(kind(422)).toBe('bad_request');
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');
  it('reads seconds, HTTP dates and retry-after-ms (which wins)', () => {
    expect(parseRetryAfter(new Headers({ 'retry-after': '3' }), now)).toBe(3000);
    expect(parseRetryAfter(new Headers({ 'retry-after': '0.5' }), now)).toBe(500);
    expect(parseRetryAfter(new Headers({ 'retry-after': 'Thu, 01 Jan 2026 00:00:10 GMT' }), now)).toBe(10_000);
    expect(parseRetryAfter(new Headers({ 'retry-after': 'Wed, 31 Dec 2025 00:00:10 GMT' }), now)).toBe(0);
    expect(parseRetryAfter(new Headers({ 'retry-after': '3', 'retry-after-ms': '250' }), now)).toBe(250);
    expect(parseRetryAfter({ 'retry-after': '2' }, now)).toBe(2000);
  });

  it('is undefined when absent or unparseable', () => {
    expect(parseRetryAfter(new Headers(), now)).toBeUndefined();
    expect(parseRetryAfter(new Headers({ 'retry-after': 'soon' }), now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });
});

describe('mapProviderError', () => {
  it('passes ProviderErrors through; a body that is not JSON, or cut off, is retryable', () => {
    const original = new ProviderError('openai', 'server', 'x');
    expect(mapProviderError('openai', original)).toBe(original);
    expect(mapProviderError('openai', new SyntaxError('Unexpected end of JSON input'))).toMatchObject({ kind: 'unparseable_response', retryable: true });
    const cut = Object.assign(new TypeError('terminated'), { cause: Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }) });
    expect(mapProviderError('anthropic', cut)).toMatchObject({ kind: 'connection', retryable: true });
    expect(mapProviderError('openai', new TypeError('x is not a function')).kind).toBe('bad_request');
  });

  it('reads status, body and headers of an SDK-shaped error', () => {
    const error = Object.assign(new Error('429 slow down'), {
      status: 429,
      headers: new Headers({ 'retry-after': '7' }),
      error: { type: 'error', error: { type: 'rate_limit_error', message: 'slow down' } },
    });
    const mapped = mapProviderError('anthropic', error);
    expect(mapped).toMatchObject({ kind: 'rate_limit', status: 429, retryAfterMs: 7000, retryable: true, rotatesKey: false });
    expect(mapped.message).toBe('anthropic: 429 rate_limit_error: slow down');
  });

  it('scrubs keys and masked key echoes from messages', () => {
    expect(redactSecrets('bad key sk-abc123secret here', ['sk-abc123secret'])).toBe('bad key [redacted] here');
    expect(redactSecrets('Incorrect API key provided: sk-a***********cret.', [])).toBe('Incorrect API key provided: [redacted]');
  });
});
