/**
 * `promptopt eval` under a seeded mix of faults (10% 429, 5% 500, 2% truncated bodies: half cut off
 * in a complete response, half by a connection closed mid-body), through both real SDKs: for every
 * fault seed the per-case results equal the fault-free run's and the exit code is 0. A persistent
 * malformed body (valid JSON without the fields we need) is still a provider error, exit 3.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir, parseJsonOut, removeDir, runCli, writeSpec } from './helpers/cli.js';
import { caseOutcomes, overall } from './helpers/sentiment-task.js';
import { seededFaults, startFakeLlmServer, type FakeLlmServer, type FakeRequest } from '../support/fake-llm-server.js';

const LABELS = ['positive', 'negative', 'neutral'];
const CASES = Array.from({ length: 40 }, (_, i) => ({ id: `r${String(i).padStart(2, '0')}`, input: `review number ${i} about item ${(i * 7) % 13}`, expected: LABELS[i % 3]! }));
/** Right on most cases, wrong on every fifth: a run scores 0.8, so a changed outcome would show. */
function answer(request: FakeRequest): string {
  const text = request.messages.at(-1)?.content ?? '';
  const index = CASES.findIndex((c) => text === `Classify: ${c.input}`);
  if (index < 0) return 'unknown';
  return index % 5 === 0 ? LABELS[(index + 1) % 3]! : CASES[index]!.expected;
}

const SEEDS = [1, 2, 3];
const MIX = (seed: number) =>
  seededFaults(seed, [
    [{ status: 429 }, 0.1],
    [{ status: 500 }, 0.05],
    [{ malformed: 'truncated' }, 0.01],
    [{ malformed: 'cut' }, 0.01],
  ]);

let server: FakeLlmServer;
const dirs: string[] = [];
beforeAll(async () => {
  server = await startFakeLlmServer({ respond: answer });
});
afterAll(() => server.close());
afterEach(async () => {
  await Promise.all(dirs.splice(0).map(removeDir));
});

const TARGETS = {
  openai: { provider: 'openai-compatible', model: 'local-llama', base_url: '' },
  anthropic: { provider: 'anthropic', model: 'claude-haiku-4-5' },
} as const;

async function evalRun(sdk: keyof typeof TARGETS): Promise<{ code: number | null; document: Record<string, any>; stderr: string }> {
  const dir = await makeTempDir();
  dirs.push(dir);
  const target = sdk === 'openai' ? { ...TARGETS.openai, base_url: server.openaiBaseUrl } : TARGETS.anthropic;
  await writeSpec(dir, {
    name: 'seeded-faults',
    description: 'classify reviews under injected faults',
    prompt: 'Classify: {{input}}',
    target: { ...target, max_retries: 4, retry_delay_ms: 10 },
    cases: CASES,
    defaults: { assert: [{ type: 'equals', value: '{{expected}}' }] },
    threshold: 0.5,
    concurrency: 20,
  });
  const env = { OPENAI_API_KEY: 'sk-test-seeded-0001', ANTHROPIC_API_KEY: 'sk-ant-test-seeded-0001', ANTHROPIC_BASE_URL: server.anthropicBaseUrl };
  const result = await runCli(['eval', 'task.yaml', '--json', '--quiet', '--no-cache'], { cwd: dir, env });
  return { code: result.code, document: parseJsonOut(result), stderr: result.stderr };
}

describe.each(Object.keys(TARGETS) as (keyof typeof TARGETS)[])('seeded faults through the %s SDK', (sdk) => {
  it('for every seed the per-case results equal the fault-free run, exit 0', async () => {
    server.setFaults(undefined);
    server.reset();
    const clean = await evalRun(sdk);
    expect(clean.code, clean.stderr).toBe(0);
    expect(overall(clean.document)).toMatchObject({ total: CASES.length, passed: 32, provider_errors: 0 });

    const truncated: number[] = [];
    for (const seed of SEEDS) {
      server.reset();
      const plan = MIX(seed);
      server.setFaults(plan);
      const faulty = await evalRun(sdk);
      expect(plan.longestRun(), `seed ${seed}: a case met more faults in a row than max_retries absorbs`).toBeLessThanOrEqual(4);
      expect(faulty.code, `seed ${seed}: ${faulty.stderr}`).toBe(0);
      expect(caseOutcomes(faulty.document), `seed ${seed}`).toEqual(caseOutcomes(clean.document));
      expect(overall(faulty.document)).toMatchObject({ total: CASES.length, passed: 32, provider_errors: 0 });
      const injected = plan.injected.reduce((a, b) => a + b, 0);
      expect(injected, `seed ${seed}`).toBeGreaterThan(0);
      expect(server.count).toBe(CASES.length + injected); // every fault was retried once, nothing more
      truncated.push(plan.injected[2]! + plan.injected[3]!);
    }
    expect(truncated.reduce((a, b) => a + b, 0)).toBeGreaterThan(0); // the seeds did exercise truncated bodies
  });
});

describe('a body that is valid JSON but lacks the answer', () => {
  it('is not retried: a provider error for that case, exit 3', async () => {
    server.reset();
    server.setFaults((request) => (request.messages.at(-1)?.content === `Classify: ${CASES[1]!.input}` ? { malformed: 'missing-usage' } : null));
    const run = await evalRun('openai');
    expect(run.code).toBe(3);
    expect(server.count).toBe(CASES.length);
    expect(run.document.cases.find((c: any) => c.id === 'r01').provider_error).toMatchObject({ code: 'PROVIDER_MALFORMED_RESPONSE' });
    server.setFaults(undefined);
  });
});
