import { describe, expect, it } from 'vitest';
import { backoffMs, deliver, parseRetryAfter, type FetchLike } from '../../src/notify/deliver.js';
import { redactUrl, secretInUrl } from '../../src/notify/url.js';

/** A fetch that answers from a list of statuses (the last one repeats) and records what it was sent. */
function scriptedFetch(statuses: (number | Error | { status: number; headers: Record<string, string> })[]) {
  const calls: { url: string; init: RequestInit }[] = [];
  const fetch: FetchLike = async (url, init) => {
    calls.push({ url, init });
    const next = statuses[Math.min(calls.length - 1, statuses.length - 1)]!;
    if (next instanceof Error) throw next;
    const { status, headers } = typeof next === 'number' ? { status: next, headers: {} } : next;
    return new Response(status === 204 ? null : 'body', { status, headers });
  };
  return { fetch, calls };
}

function recordingSleep() {
  const waits: number[] = [];
  return { waits, sleep: async (ms: number) => void waits.push(ms) };
}

const URL_ = 'http://127.0.0.1:9/hook';

describe('deliver', () => {
  it('sends user:password@ in the URL as Basic authentication, to the URL without them; a configured Authorization header wins', async () => {
    const { fetch, calls } = scriptedFetch([204]);
    await deliver({ url: 'https://ci-bot:p%40ss word@hooks.example.com/x?sig=1', body: '{}', fetch });
    expect(calls[0]!.url).toBe('https://hooks.example.com/x?sig=1');
    expect((calls[0]!.init.headers as Record<string, string>).authorization).toBe(`Basic ${Buffer.from('ci-bot:p@ss word').toString('base64')}`);
    await deliver({ url: 'https://u:p@hooks.example.com/x', body: '{}', headers: { Authorization: 'Bearer from-env' }, fetch });
    expect(calls[1]!.init.headers).toMatchObject({ Authorization: 'Bearer from-env' });
    expect(calls[1]!.init.headers).not.toHaveProperty('authorization');
  });

  it('retries a 500 and succeeds on the next attempt', async () => {
    const { fetch, calls } = scriptedFetch([500, 200]);
    const { waits, sleep } = recordingSleep();
    const outcome = await deliver({ url: URL_, body: '{"a":1}', fetch, sleep, random: () => 0.5 });
    expect(outcome).toEqual({ ok: true, attempts: 2, status: 200 });
    expect(calls).toHaveLength(2);
    expect(calls[0]!.init.method).toBe('POST');
    expect(calls[0]!.init.body).toBe('{"a":1}');
    expect((calls[0]!.init.headers as Record<string, string>)['content-type']).toBe('application/json');
    expect(waits).toEqual([150]); // 200 ms × 2^0, jittered in its upper half
  });

  it('gives up after the attempts with the last status, backing off 200 ms × 2^n', async () => {
    const { fetch, calls } = scriptedFetch([503]);
    const { waits, sleep } = recordingSleep();
    const outcome = await deliver({ url: URL_, body: '{}', fetch, sleep, random: () => 0.999 });
    expect(outcome).toEqual({ ok: false, attempts: 3, status: 503, error: 'HTTP 503' });
    expect(calls).toHaveLength(3);
    expect(waits).toEqual([200, 400]); // no wait after the last attempt
  });

  it('honours Retry-After (seconds) instead of its own backoff', async () => {
    const { fetch } = scriptedFetch([{ status: 429, headers: { 'retry-after': '2' } }, 204]);
    const { waits, sleep } = recordingSleep();
    const outcome = await deliver({ url: URL_, body: '{}', fetch, sleep, random: () => 0 });
    expect(outcome).toEqual({ ok: true, attempts: 2, status: 204 });
    expect(waits).toEqual([2000]);
  });

  it('gives up at once when Retry-After asks for longer than it waits', async () => {
    const { fetch, calls } = scriptedFetch([{ status: 503, headers: { 'retry-after': '3600' } }]);
    const { waits, sleep } = recordingSleep();
    const outcome = await deliver({ url: URL_, body: '{}', fetch, sleep });
    expect(outcome.ok).toBe(false);
    expect(outcome.attempts).toBe(1);
    expect(outcome.error).toMatch(/HTTP 503; the server asked to retry after 3600 s/);
    expect(calls).toHaveLength(1);
    expect(waits).toEqual([]);
  });

  it('does not retry a 4xx other than 408/425/429', async () => {
    const { fetch, calls } = scriptedFetch([404]);
    const outcome = await deliver({ url: URL_, body: '{}', fetch, sleep: async () => undefined });
    expect(outcome).toEqual({ ok: false, attempts: 1, status: 404, error: 'HTTP 404' });
    expect(calls).toHaveLength(1);
  });

  it('retries network errors and says what went wrong, never repeating the query', async () => {
    const secretUrl = 'http://127.0.0.1:9/hook?token=s3cr3t';
    const error = Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED', message: `connect ECONNREFUSED ${secretUrl}` } });
    const { fetch, calls } = scriptedFetch([error]);
    const outcome = await deliver({ url: secretUrl, body: '{}', fetch, sleep: async () => undefined, attempts: 2 });
    expect(calls).toHaveLength(2);
    expect(outcome.ok).toBe(false);
    expect(outcome.error).toContain('ECONNREFUSED');
    expect(outcome.error).not.toContain('s3cr3t');
  });

  it('times an attempt out', async () => {
    const fetch: FetchLike = (_url, init) =>
      new Promise((_resolve, reject) => init.signal!.addEventListener('abort', () => reject(init.signal!.reason)));
    const outcome = await deliver({ url: URL_, body: '{}', fetch, sleep: async () => undefined, attempts: 2, timeoutMs: 20 });
    expect(outcome).toEqual({ ok: false, attempts: 2, error: 'timed out after 20 ms' });
  });

  it('stops when the command is interrupted', async () => {
    const controller = new AbortController();
    const { fetch, calls } = scriptedFetch([500]);
    const sleep = async () => {
      controller.abort();
      throw new Error('aborted');
    };
    const outcome = await deliver({ url: URL_, body: '{}', fetch, sleep, signal: controller.signal });
    expect(calls).toHaveLength(1);
    expect(outcome).toMatchObject({ ok: false, attempts: 1, error: 'interrupted' });
  });
});

describe('delivery helpers', () => {
  it('backoff doubles and jitters within the upper half', () => {
    expect([1, 2, 3].map((n) => backoffMs(n, 200, () => 0))).toEqual([100, 200, 400]);
    expect([1, 2, 3].map((n) => backoffMs(n, 200, () => 0.9999999))).toEqual([200, 400, 800]);
  });

  it('reads Retry-After as seconds or an HTTP date', () => {
    expect(parseRetryAfter('3')).toBe(3000);
    expect(parseRetryAfter(null)).toBeUndefined();
    expect(parseRetryAfter('soon')).toBeUndefined();
    const now = Date.parse('2025-01-01T00:00:00Z');
    expect(parseRetryAfter('Wed, 01 Jan 2025 00:00:05 GMT', now)).toBe(5000);
  });

  it('redacts credentials, query and fragment from a URL in messages', () => {
    expect(redactUrl('https://hooks.example.com/a/b?token=x&y=2#frag')).toBe('https://hooks.example.com/a/[REDACTED]?[REDACTED]#[REDACTED]');
    // Slack/Discord/Teams webhooks carry the secret in the path.
    expect(redactUrl('https://hooks.slack.test/services/T000/B000/XyZsecret123')).toBe('https://hooks.slack.test/services/[REDACTED]');
    expect(redactUrl('https://user:pw@hooks.example.com/a')).toBe('https://[REDACTED]@hooks.example.com/a');
    expect(redactUrl('http://127.0.0.1:8080/hook')).toBe('http://127.0.0.1:8080/hook');
    expect(redactUrl('not a url sk-secret')).toBe('<not a URL>');
  });

  it('finds credentials written into a URL', () => {
    expect(secretInUrl('https://h.example.com/x?api_key=abc')).toMatch(/query \("api_key=\.\.\."\)/);
    expect(secretInUrl('https://u:p@h.example.com/x')).toMatch(/password/);
    expect(secretInUrl('https://h.example.com/x?channel=ops')).toBeUndefined();
  });
});
