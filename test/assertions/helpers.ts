/** Shared test helpers: a context builder, one-assertion runner, and a recording fake judge. */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runAssertions } from '../../src/assertions/run-assertions.js';
import type { AssertionContext, AssertionResult, AssertionSpec } from '../../src/assertions/types.js';
import type { ChatModel, ChatRequest, ChatResponse } from '../../src/providers/types.js';

export const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/assertions');

export function ctx(output: string, overrides: Partial<AssertionContext> = {}): AssertionContext {
  return { output, vars: {}, caseId: 'case-1', baseDir: FIXTURES, costUsd: 0.001, latencyMs: 120, ...overrides };
}

/** Runs a single assertion and returns its result. */
export async function check(
  assertion: AssertionSpec,
  output: string,
  overrides: Partial<AssertionContext> = {},
): Promise<AssertionResult> {
  const [result] = await runAssertions([assertion], ctx(output, overrides));
  return result!;
}

/** A judge that answers from a script and records every request; an unscripted call fails the test. */
export class FakeJudge implements ChatModel {
  readonly provider = 'sim' as const;
  readonly modelId = 'fake-judge';
  readonly simulated = true;
  readonly requests: ChatRequest[] = [];

  constructor(
    private readonly replies: string[],
    private readonly costUsd: number | null = 0.0002,
  ) {}

  async complete(request: ChatRequest): Promise<ChatResponse> {
    this.requests.push(request);
    const text = this.replies.shift();
    if (text === undefined) throw new Error(`unexpected judge call #${this.requests.length}`);
    return { text, usage: { inputTokens: 50, outputTokens: 20 }, latencyMs: 0, costUsd: this.costUsd, model: this.modelId };
  }
}
