import { appendFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { redactSecrets, secretsFromEnv } from '../../src/report/redact.js';
import { traceEntryFromCall, type TraceEntry } from '../../src/report/trace-entry.js';
import { TraceWriter } from '../../src/report/trace-writer.js';
import { readTrace } from '../../src/report/read-trace.js';
import { resolveText, TraceEncoder, type CallLine, type TraceText } from '../../src/report/trace-format.js';
import { seededRandom } from '../../src/util/seeded-random.js';

const FAKE_KEY = 'fake-test-key-value-0123456789';
const ANTHROPIC_KEY = 'sk-ant-' + 'api03-Zx9_Qw8-Er7Ty6Ui5Op4As3Df2Gh1Jk0';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'promptopt-trace-'));
  process.env.FAKE_TEST_API_KEY = FAKE_KEY;
});
afterEach(async () => {
  delete process.env.FAKE_TEST_API_KEY;
  await rm(dir, { recursive: true, force: true });
});

function entry(i: number, content = `case ${i}`): TraceEntry {
  return {
    at: new Date(Date.UTC(2025, 0, 1, 0, 0, i)).toISOString(),
    role: 'target',
    provider: 'sim',
    model: 'sim-target',
    simulated: true,
    iteration: 1,
    candidate: 2,
    phase: 'train',
    case_id: `c${i}`,
    sample: 0,
    cache_hit: false,
    request: { system: 'be brief', messages: [{ role: 'user', content }], temperature: 0, max_tokens: 50 },
    output: `label ${i}`,
    input_tokens: 10,
    output_tokens: 2,
    cost_usd: 0.0001,
    latency_ms: 5,
  };
}

async function readLines(file: string): Promise<Record<string, any>[]> {
  const text = await readFile(file, 'utf8');
  expect(text.endsWith('\n')).toBe(true);
  return text.trimEnd().split('\n').map((line) => JSON.parse(line) as Record<string, any>);
}

/** The entry as JSON keeps it (undefined fields dropped): what a trace can give back. */
const asJson = (value: TraceEntry) => JSON.parse(JSON.stringify(value)) as TraceEntry;

/** A long prompt (3 KB) that differs per case only where the case's input goes, like a rendered template. */
const INSTRUCTIONS = `Classify the message into one of these intents: ${Array.from({ length: 120 }, (_, i) => `intent_${i}`).join(', ')}.`;
const rendered = (input: string, variant = '') => `${variant}${INSTRUCTIONS}\n\nQuery: ${input}\nAnswer with the intent only.`;

describe('TraceWriter', () => {
  it('stores each long text once and refers to it: every call reads back whole, in order', async () => {
    const file = join(dir, 'run', 'trace.jsonl');
    const writer = new TraceWriter(file);
    const entries: TraceEntry[] = [];
    for (let i = 0; i < 300; i++) {
      // Two prompts under test interleaved (candidates scored together), inputs of varying length,
      // a long fixed system text, exact repeats (samples, cache hits) and a short inline message.
      const variant = i % 2 === 0 ? '' : 'Be careful. ';
      const e = entry(i, rendered(`message number ${i} ${'x'.repeat(i % 17)} 😀`, variant));
      e.request.system = `${INSTRUCTIONS} (system)`;
      if (i % 10 === 0) e.request.messages.push({ role: 'assistant', content: 'ok' }, { role: 'user', content: rendered('again') });
      if (i === 150) e.request.system = undefined;
      entries.push(e);
      writer.write(e);
      if (i % 50 === 0) writer.write(e);
    }
    await writer.close();

    const lines = await readLines(file);
    expect(lines[0]).toMatchObject({ type: 'session', format: 2, mode: 'full' });
    const prompts = lines.filter((l) => l.type === 'prompt');
    expect(new Set(prompts.map((p) => p.hash)).size).toBe(prompts.length); // each stored once
    expect(prompts.length).toBeLessThan(10);

    const { calls, sessions, unreadable } = await readTrace(file);
    expect(sessions).toHaveLength(1);
    expect(unreadable).toBe(0);
    const expected = entries.flatMap((e, i) => (i % 50 === 0 ? [e, e] : [e])).map(asJson);
    expect(calls).toEqual(expected);

    // Format 1 wrote the whole request on every line.
    const size = (await readFile(file, 'utf8')).length;
    const oneLinePerCall = expected.reduce((n, e) => n + JSON.stringify(e).length + 1, 0);
    expect(size).toBeLessThan(oneLinePerCall / 5);
    expect(() => writer.write(entry(0))).toThrow(/closed/);
  });

  it('appends a session to an existing trace (a resumed run), ending a line a crash cut short', async () => {
    const file = join(dir, 'trace.jsonl');
    const first = new TraceWriter(file);
    first.write(entry(0, rendered('first')));
    await first.close();
    await appendFile(file, '{"type":"call","at":"2025-'); // killed mid-line
    const second = new TraceWriter(file);
    second.write(entry(1, rendered('second')));
    await second.close();
    const { calls, sessions, unreadable } = await readTrace(file);
    expect(sessions).toHaveLength(2);
    expect(unreadable).toBe(1);
    expect(calls).toEqual([asJson(entry(0, rendered('first'))), asJson(entry(1, rendered('second')))]);
  });

  it('still reads format 1 traces (one full entry per line)', async () => {
    const file = join(dir, 'trace.jsonl');
    await writeFile(file, `${JSON.stringify(entry(0))}\n${JSON.stringify(entry(1))}\n`);
    expect((await readTrace(file)).calls).toEqual([asJson(entry(0)), asJson(entry(1))]);
  });

  it('keeps the response_format a request asked for, with full texts and with --trace calls', async () => {
    const format = { type: 'json_schema' as const, json_schema: { name: 'slots', schema: { type: 'object', properties: { city: { type: 'string' } } } } };
    const withFormat = (i: number): TraceEntry => ({ ...entry(i), request: { ...entry(i).request, response_format: format } });
    for (const mode of ['full', 'calls'] as const) {
      const file = join(dir, `trace-${mode}.jsonl`);
      const writer = new TraceWriter(file, { mode });
      writer.write(withFormat(0));
      writer.write(entry(1));
      await writer.close();
      const { calls } = await readTrace(file);
      expect(calls.map((c) => c.request.response_format), mode).toEqual([format, undefined]);
    }
  });

  it('--trace calls: every call, no request texts; a hash tells equal requests apart', async () => {
    const file = join(dir, 'trace.jsonl');
    const writer = new TraceWriter(file, { mode: 'calls' });
    writer.write(entry(0, rendered('alpha')));
    writer.write(entry(1, rendered('beta')));
    writer.write(entry(2, rendered('alpha')));
    await writer.close();
    const text = await readFile(file, 'utf8');
    expect(text).not.toContain('intent_7');
    expect(text).not.toContain('be brief');
    const { calls, sessions } = await readTrace(file);
    expect(sessions[0]!.mode).toBe('calls');
    expect(calls.map((c) => c.case_id)).toEqual(['c0', 'c1', 'c2']);
    const hashes = calls.map((c) => ('hash' in c.request ? c.request.hash : undefined));
    expect(hashes[0]).toMatch(/^[0-9a-f]{16}$/);
    expect(hashes[2]).toBe(hashes[0]);
    expect(hashes[1]).not.toBe(hashes[0]);
    const { request: _request, ...rest } = asJson(entry(1));
    expect(calls[1]).toEqual({ ...rest, request: { hash: hashes[1], temperature: 0, max_tokens: 50 } });
  });

  it('a failed append does not fail the call being traced: tracing stops and close reports it', async () => {
    const writer = new TraceWriter(dir); // a folder: cannot be opened as a file
    expect(() => writer.write(entry(0))).not.toThrow();
    expect(() => writer.write(entry(1))).not.toThrow();
    await expect(writer.close()).rejects.toThrow();
  });

  it('redacts API keys and key-like env var values from every string', async () => {
    const file = join(dir, 'trace.jsonl');
    const writer = new TraceWriter(file, { secrets: secretsFromEnv(process.env) });
    const leaky = entry(0, `my key is ${ANTHROPIC_KEY} and ${FAKE_KEY}`);
    leaky.request.system = `Authorization: Bearer abcdefghijklmnop0123456789`;
    leaky.output = `echo ${FAKE_KEY}`;
    leaky.error = { code: 'PROVIDER_AUTH', message: `bad key sk-proj-ABCDEFGHIJKLMNOPQRSTUV` };
    writer.write(leaky);
    leaky.output = 'mutated after write';
    // A key inside a long text that is stored once and referred to afterwards.
    writer.write(entry(1, rendered(`token ${FAKE_KEY}`)));
    writer.write(entry(2, rendered(`token ${FAKE_KEY}!`)));
    await writer.close();
    const text = await readFile(file, 'utf8');
    expect(text).not.toContain(FAKE_KEY);
    expect(text).not.toContain('sk-ant-');
    expect(text).not.toContain('abcdefghijklmnop0123456789');
    expect(text).not.toContain('sk-proj-');
    expect(text).not.toContain('mutated');
    const { calls } = await readTrace(file);
    const request = calls[0]!.request as TraceEntry['request'];
    expect(request.messages[0]!.content).toBe('my key is [REDACTED] and [REDACTED]');
    expect(request.system).toBe('Authorization: Bearer [REDACTED]');
    expect(calls[0]!.output).toBe('echo [REDACTED]');
    expect((calls[2]!.request as TraceEntry['request']).messages[0]!.content).toBe(rendered('token [REDACTED]!'));
  });
});

describe('TraceEncoder', () => {
  it('every reference resolves to its exact text (random edits, surrogate pairs cut at the edges)', () => {
    const encoder = new TraceEncoder('full');
    const prompts = new Map<string, string>();
    const random = seededRandom(7);
    const pieces = ['😀', 'é', '\n', ' ', 'a', 'Ω', '\u0000', '"'];
    const pick = () => pieces[Math.floor(random() * pieces.length)]!;
    const bases = [rendered('{{input}}'), rendered('{{input}}', '😀😀 preface '), `${'😀'.repeat(200)}{{input}}${'z'.repeat(300)}`];
    for (let i = 0; i < 2000; i++) {
      const base = bases[Math.floor(random() * bases.length)]!;
      const input = Array.from({ length: Math.floor(random() * 40) }, pick).join('');
      const cut = Math.floor(random() * base.length);
      const text = random() < 0.2 ? `${base.slice(0, cut)}${input}` : base.replace('{{input}}', input);
      const lines = encoder.encode({ ...entry(i), request: { messages: [{ role: 'user', content: text }], max_tokens: 5 } });
      for (const line of lines) if (line.type === 'prompt') prompts.set(line.hash, line.text);
      const call = lines.at(-1) as CallLine;
      const content = JSON.parse(JSON.stringify(call.request.messages![0]!.content)) as TraceText;
      expect(resolveText(content, prompts)).toBe(text);
    }
    expect(prompts.size).toBeLessThan(100);
  });
});

describe('redactSecrets', () => {
  it('removes key shapes and env values, and leaves ordinary text alone', () => {
    expect(redactSecrets(`a ${ANTHROPIC_KEY} b`, [])).toBe('a [REDACTED] b');
    expect(redactSecrets('k=sk-or-v1-0123456789abcdef0123', [])).toBe('k=[REDACTED]');
    expect(redactSecrets('sk-1234567890abcdefghij', [])).toBe('[REDACTED]');
    expect(redactSecrets(`x${FAKE_KEY}x`, secretsFromEnv({ FAKE_TEST_API_KEY: FAKE_KEY }))).toBe('x[REDACTED]x');
    const plain = 'task-sk-short, a risk-free Bearer token, the skeleton key';
    expect(redactSecrets(plain, [])).toBe(plain);
  });
});

describe('traceEntryFromCall', () => {
  it('maps a call event to the trace line shape', () => {
    const line = traceEntryFromCall({
      role: 'judge',
      provider: 'openai',
      model: 'gpt-4o-mini',
      simulated: false,
      request: { system: 's', messages: [{ role: 'user', content: 'u' }], maxTokens: 20, temperature: 0 },
      response: { text: 'PASS', usage: { inputTokens: 12, outputTokens: 1 }, latencyMs: 300, costUsd: null, model: 'gpt-4o-mini' },
      sample: 1,
      cacheHit: false,
      meta: { caseId: 'c9', iteration: 3, candidate: 1, phase: 'train' },
      at: '2025-01-01T00:00:00.000Z',
    });
    expect(line).toEqual({
      at: '2025-01-01T00:00:00.000Z',
      role: 'judge',
      provider: 'openai',
      model: 'gpt-4o-mini',
      simulated: false,
      iteration: 3,
      candidate: 1,
      phase: 'train',
      case_id: 'c9',
      sample: 1,
      cache_hit: false,
      request: { system: 's', messages: [{ role: 'user', content: 'u' }], temperature: 0, max_tokens: 20 },
      output: 'PASS',
      input_tokens: 12,
      output_tokens: 1,
      cost_usd: null,
      latency_ms: 300,
    });
  });
});
