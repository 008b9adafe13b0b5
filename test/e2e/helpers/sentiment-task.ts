/**
 * The small task the e2e tests evaluate: four reviews to classify, and a fake model that gets three
 * right and one wrong ("fine" is neutral, it says positive), so a run scores 0.75. The fake judge
 * answers `[promptopt:judge]` requests with a JSON verdict: pass when the output is the sentiment
 * the rubric names.
 */
import type { FakeLlmServer, FakeLlmServerOptions, FakeReply, FakeRequest } from '../../support/fake-llm-server.js';
import { startFakeLlmServer } from '../../support/fake-llm-server.js';

export interface SentimentCase {
  id: string;
  input: string;
  expected: string;
}

export const CASES: SentimentCase[] = [
  { id: 'love', input: 'I love this phone, the battery lasts for days', expected: 'positive' },
  { id: 'hate', input: 'I hate waiting forty minutes for cold food', expected: 'negative' },
  { id: 'fine', input: 'The hotel was fine I guess, nothing special', expected: 'neutral' },
  { id: 'best', input: 'Best concert I have been to in years', expected: 'positive' },
];

/** What the fake model answers per case: right for all but `fine`. */
export const MODEL_ANSWERS: Record<string, string> = { love: 'positive', hate: 'negative', fine: 'positive', best: 'positive' };
export const EXPECTED_PASS: Record<string, boolean> = { love: true, hate: true, fine: false, best: true };
export const EXPECTED_SCORE = 0.75;

export const PROMPT = 'Classify the sentiment of this review as positive, negative or neutral. Reply with one word.\n\nReview: {{input}}';
export const JUDGE_MARKER = '[promptopt:judge]';

/** The case a target request is about (by its review text), if any. */
export function caseOf(request: FakeRequest): SentimentCase | undefined {
  const text = request.messages.map((m) => m.content).join('\n');
  return CASES.find((c) => text.includes(c.input));
}

export function isJudgeRequest(request: FakeRequest): boolean {
  return (request.system ?? '').includes(JUDGE_MARKER);
}

/** The fake judge: `<rubric>...neutral...</rubric><output>positive</output>` → fail. */
export function judgeVerdict(request: FakeRequest): string {
  const user = request.messages.at(-1)?.content ?? '';
  const rubric = /<rubric>([\s\S]*?)<\/rubric>/.exec(user)?.[1] ?? '';
  const output = (/<output>([\s\S]*?)<\/output>/.exec(user)?.[1] ?? '').trim().toLowerCase();
  const pass = output !== '' && new RegExp(`\\b${output}\\b`, 'i').test(rubric);
  return JSON.stringify({ pass, score: pass ? 1 : 0, reason: pass ? `the answer is ${output}` : `"${output}" is not what the rubric asks for` });
}

/** Target requests get MODEL_ANSWERS; judge requests get a verdict. */
export function sentimentRespond(request: FakeRequest): FakeReply {
  if (isJudgeRequest(request)) return judgeVerdict(request);
  const testCase = caseOf(request);
  return testCase ? MODEL_ANSWERS[testCase.id]! : 'unknown';
}

export interface E2eServer {
  server: FakeLlmServer;
  /** Swap the answer function (restored by `reset`). */
  setRespond(respond: (request: FakeRequest) => FakeReply | Promise<FakeReply>): void;
  /** Counters, records and faults cleared; respond back to sentimentRespond. */
  reset(): void;
}

/** A fake server whose answers can be changed per test. */
export async function startSentimentServer(options: Omit<FakeLlmServerOptions, 'respond'> = {}): Promise<E2eServer> {
  let respond: (request: FakeRequest) => FakeReply | Promise<FakeReply> = sentimentRespond;
  const server = await startFakeLlmServer({ latencyMs: 2, ...options, respond: (request) => respond(request) });
  return {
    server,
    setRespond(next) {
      respond = next;
    },
    reset() {
      server.reset(); // also restores the fault plan given at start
      respond = sentimentRespond;
    },
  };
}

export interface TargetSection {
  provider: 'anthropic' | 'openai' | 'openai-compatible' | 'openrouter' | 'sim';
  model: string;
  [field: string]: unknown;
}

/** The task spec as an object (write it with writeSpec). */
export function sentimentSpec(target: TargetSection, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: 'sentiment',
    description: 'Classify review sentiment (e2e fixture)',
    prompt: PROMPT,
    target,
    cases: CASES.map((c) => ({ id: c.id, input: c.input, expected: c.expected })),
    defaults: { assert: [{ type: 'equals', value: '{{expected}}' }] },
    threshold: 0.7,
    ...extra,
  };
}

/** Per-case `{id: {pass, output, score}}` of an eval JSON document, for comparing runs. */
export function caseOutcomes(document: Record<string, any>): Record<string, { pass: boolean; output: string; score: number }> {
  const out: Record<string, { pass: boolean; output: string; score: number }> = {};
  for (const c of document.cases as { id: string; pass: boolean; output: string; score: number }[]) {
    out[c.id] = { pass: c.pass, output: c.output, score: c.score };
  }
  return out;
}

/** The `split: all` line of the JSON summary. */
export function overall(document: Record<string, any>): Record<string, any> {
  return (document.summary as Record<string, any>[]).find((s) => s.split === 'all')!;
}
