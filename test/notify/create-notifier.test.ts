import { describe, expect, it } from 'vitest';
import { createNotifier } from '../../src/notify/create-notifier.js';
import type { FetchLike } from '../../src/notify/deliver.js';
import type { NotifyEvent } from '../../src/notify/types.js';

const EVENT: NotifyEvent = {
  type: 'degradation',
  task: 'sentiment',
  summary: 'sentiment: score 50% is below its threshold 80%',
  versions: { current: 3 },
  scores: { all: 0.5 },
  report: '/tmp/results.json',
};

function fakeFetch(respond: (url: string, n: number) => number | Promise<number>) {
  const calls: { url: string; body: Record<string, unknown>; headers: Record<string, string> }[] = [];
  const fetch: FetchLike = async (url, init) => {
    calls.push({ url, body: JSON.parse(String(init.body)) as Record<string, unknown>, headers: init.headers as Record<string, string> });
    const status = await respond(url, calls.filter((c) => c.url === url).length);
    return new Response(null, { status });
  };
  return { fetch, calls };
}

const fast = { sleep: async () => undefined, random: () => 0 };

describe('createNotifier', () => {
  it('posts the event with schema_version, tool and sent_at to every webhook', async () => {
    const { fetch, calls } = fakeFetch(() => 200);
    const warnings: string[] = [];
    const notifier = createNotifier({
      urls: ['http://a.test/hook', 'http://b.test/hook', 'http://a.test/hook'],
      warn: (m) => warnings.push(m),
      delivery: { fetch, ...fast },
      now: () => new Date('2025-01-02T03:04:05.000Z'),
    });
    void notifier.send(EVENT);
    await notifier.flush();
    expect(calls.map((c) => c.url).sort()).toEqual(['http://a.test/hook', 'http://b.test/hook']);
    expect(calls[0]!.body).toEqual({ schema_version: 1, tool: 'promptopt', sent_at: '2025-01-02T03:04:05.000Z', ...EVENT });
    expect(notifier.deliveries()).toEqual([
      { url: 'http://a.test/hook', event: 'degradation', ok: true, attempts: 1, status: 200 },
      { url: 'http://b.test/hook', event: 'degradation', ok: true, attempts: 1, status: 200 },
    ]);
    expect(warnings).toEqual([]);
  });

  it('retries a 500, then succeeds', async () => {
    const { fetch, calls } = fakeFetch((_url, n) => (n === 1 ? 500 : 200));
    const notifier = createNotifier({ urls: ['http://a.test/hook'], warn: () => undefined, delivery: { fetch, ...fast } });
    await notifier.send(EVENT);
    expect(calls).toHaveLength(2);
    expect(notifier.deliveries()).toEqual([{ url: 'http://a.test/hook', event: 'degradation', ok: true, attempts: 2, status: 200 }]);
  });

  it('gives up after N attempts: a record and one warning naming the URL (query redacted), never a throw', async () => {
    const { fetch, calls } = fakeFetch(() => 500);
    const warnings: string[] = [];
    const notifier = createNotifier({ urls: ['http://a.test/hook?sig=TOPSECRET'], warn: (m) => warnings.push(m), delivery: { fetch, ...fast, attempts: 4 } });
    await expect(notifier.send(EVENT)).resolves.toBeUndefined();
    await notifier.flush();
    expect(calls).toHaveLength(4);
    expect(notifier.deliveries()).toEqual([
      { url: 'http://a.test/hook?[REDACTED]', event: 'degradation', ok: false, attempts: 4, status: 500, error: 'HTTP 500' },
    ]);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('http://a.test/hook?[REDACTED]');
    expect(warnings[0]).toContain('after 4 attempts');
    expect(warnings.join('\n')).not.toContain('TOPSECRET');
  });

  it('sends only the events it is subscribed to', async () => {
    const { fetch, calls } = fakeFetch(() => 200);
    const notifier = createNotifier({ urls: ['http://a.test/hook'], events: ['new_version'], warn: () => undefined, delivery: { fetch, ...fast } });
    void notifier.send(EVENT);
    void notifier.send({ type: 'new_version', task: 't', summary: 'v2', versions: { from: 1, to: 2 } });
    await notifier.flush();
    expect(calls.map((c) => c.body.type)).toEqual(['new_version']);
    expect(notifier.deliveries().map((d) => d.event)).toEqual(['new_version']);
  });

  it('delivers to one webhook in the order events were sent, even when the first one is retried', async () => {
    const { fetch, calls } = fakeFetch((_url, n) => (n === 1 ? 503 : 200));
    const notifier = createNotifier({ urls: ['http://a.test/hook'], warn: () => undefined, delivery: { fetch, ...fast } });
    void notifier.send({ ...EVENT, type: 'budget_warning' });
    void notifier.send({ ...EVENT, type: 'budget_exhausted' });
    void notifier.send({ ...EVENT, type: 'new_version' });
    await notifier.flush();
    expect(calls.map((c) => c.body.type)).toEqual(['budget_warning', 'budget_warning', 'budget_exhausted', 'new_version']);
  });

  it('reads header values from the environment when sending; a missing variable fails that delivery unsent', async () => {
    const { fetch, calls } = fakeFetch(() => 200);
    const warnings: string[] = [];
    const env: NodeJS.ProcessEnv = { HOOK_TOKEN: 'Bearer abc' };
    const notifier = createNotifier({ urls: ['http://a.test/hook'], headers: { Authorization: 'HOOK_TOKEN' }, env, warn: (m) => warnings.push(m), delivery: { fetch, ...fast } });
    await notifier.send(EVENT);
    expect(calls[0]!.headers.Authorization).toBe('Bearer abc');
    delete env.HOOK_TOKEN;
    await notifier.send(EVENT);
    expect(calls).toHaveLength(1);
    expect(notifier.deliveries()[1]).toEqual({
      url: 'http://a.test/hook',
      event: 'degradation',
      ok: false,
      attempts: 0,
      error: 'environment variable HOOK_TOKEN (for header Authorization) is not set',
    });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('unsent');
  });

  it('does nothing without webhooks', async () => {
    const notifier = createNotifier({ urls: [], warn: () => undefined });
    await notifier.send(EVENT);
    await notifier.flush();
    expect(notifier.deliveries()).toEqual([]);
  });
});
