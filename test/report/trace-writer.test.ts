import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { redactSecrets, secretsFromEnv } from '../../src/report/redact.js';
import { traceEntryFromCall, type TraceEntry } from '../../src/report/trace-entry.js';
import { TraceWriter } from '../../src/report/trace-writer.js';

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

async function readLines(file: string): Promise<TraceEntry[]> {
  const text = await readFile(file, 'utf8');
  expect(text.endsWith('\n')).toBe(true);
  return text.trimEnd().split('\n').map((line) => JSON.parse(line) as TraceEntry);
}

describe('TraceWriter', () => {
  it('writes every entry once, in order, across batches', async () => {
    const file = join(dir, 'run', 'trace.jsonl');
    const writer = new TraceWriter(file, { batchLines: 7, flushIntervalMs: 0 });
    for (let i = 0; i < 1000; i++) writer.write(entry(i));
    await writer.flush();
    writer.write(entry(1000));
    await writer.close();
    const lines = await readLines(file);
    expect(lines.map((l) => l.case_id)).toEqual(Array.from({ length: 1001 }, (_, i) => `c${i}`));
    expect(lines[3]).toEqual(entry(3));
    expect(() => writer.write(entry(0))).toThrow(/closed/);
  });

  it('appends to an existing trace (a resumed run)', async () => {
    const file = join(dir, 'trace.jsonl');
    const first = new TraceWriter(file);
    first.write(entry(0));
    await first.close();
    const second = new TraceWriter(file);
    second.write(entry(1));
    await second.close();
    expect((await readLines(file)).map((l) => l.case_id)).toEqual(['c0', 'c1']);
  });

  it('flushes a partial batch after the interval', async () => {
    const file = join(dir, 'trace.jsonl');
    const writer = new TraceWriter(file, { flushIntervalMs: 10 });
    writer.write(entry(0));
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect((await readLines(file)).length).toBe(1);
    await writer.close();
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
    await writer.close();
    const text = await readFile(file, 'utf8');
    expect(text).not.toContain(FAKE_KEY);
    expect(text).not.toContain('sk-ant-');
    expect(text).not.toContain('abcdefghijklmnop0123456789');
    expect(text).not.toContain('sk-proj-');
    expect(text).not.toContain('mutated');
    const [line] = await readLines(file);
    expect(line!.request.messages[0]!.content).toBe('my key is [REDACTED] and [REDACTED]');
    expect(line!.request.system).toBe('Authorization: Bearer [REDACTED]');
    expect(line!.output).toBe('echo [REDACTED]');
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
