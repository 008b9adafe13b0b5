/**
 * compare's report through the CLI on 120 cases over three splits (the loopback fake server answers):
 * report.html, the terminal text and compare.json state the real number of paired cases (120, not
 * the --min-cases floor of 20), show the paired bootstrap only with --repeat > 1, and write costs
 * without an exponent.
 */
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir, parseJsonOut, removeDir, runCli, writeSpec } from './helpers/cli.js';
import { startFakeLlmServer, type FakeLlmServer, type FakeRequest } from '../support/fake-llm-server.js';

const KEY = 'sk-test-compare-report-0001';
const V1 = 'Version one. Reply ok or nope.\n\nItem: {{input}}';
const V2 = 'Version two. Reply ok or nope.\n\nItem: {{input}}';
/** Cases: any count well above the --min-cases floor (20) tells the real n from the floor. */
const N = 120;

/** v1 passes the even cases, v2 the cases not divisible by 3. */
function respond(request: FakeRequest): string {
  const text = request.messages.map((m) => m.content).join('\n');
  const n = Number(/\bcase-(\d+)\b/.exec(text)?.[1]);
  const pass = text.includes('Version two') ? n % 3 !== 0 : n % 2 === 0;
  return pass ? 'ok' : 'nope';
}

let server: FakeLlmServer;
let dir: string;
const compare = (args: string[]) =>
  runCli(['compare', 'task.yaml', '--versions', 'current,v2.md', '--split', 'all', ...args], {
    cwd: dir,
    env: { OPENAI_API_KEY: KEY, OPENAI_BASE_URL: server.openaiBaseUrl },
  });

beforeAll(async () => {
  server = await startFakeLlmServer({ validKeys: [KEY], respond });
  dir = await makeTempDir('promptopt-compare-report-');
  await writeSpec(
    dir,
    {
      name: 'three-hundred',
      description: `Compare report e2e fixture: ${N} cases whose outcome per version is known`,
      prompt: V1,
      target: { provider: 'openai-compatible', model: 'model-a', base_url: server.openaiBaseUrl, max_tokens: 16, price: { input_per_mtok: 0.15, output_per_mtok: 0.6 } },
      cases: Array.from({ length: N }, (_, i) => ({ id: `case-${i}`, input: `case-${i} item`, expected: 'ok' })),
      splits: { train: 0.5, validation: 0.2, test: 0.3, seed: 7 },
      defaults: { assert: [{ type: 'equals', value: '{{expected}}' }] },
      concurrency: 16,
    },
    { files: { 'v2.md': V2 } },
  );
});
afterAll(async () => {
  await server.close();
  await removeDir(dir);
});

describe(`compare report on ${N} cases`, () => {
  it('repeat 1: n = N paired cases in the text, the JSON and the HTML; no bootstrap; costs without an exponent', async () => {
    const result = await compare(['--json']);
    expect(result.code, result.stderr).toBe(0);
    const doc = parseJsonOut(result);
    expect(doc.comparisons[0]).toMatchObject({ n: N, test: 'mcnemar_exact', bootstrap: null });
    expect(doc.min_cases).toBe(20);
    const html = await readFile(doc.report_html, 'utf8');
    expect(html).toContain(`${N} cases (all splits)`);
    expect(html).toContain(`(${N} paired cases against the baseline)`);
    expect(html).not.toMatch(/verdicts from 20|bootstrap/i);
    // Three splits in the grid's filters, and the per-case cost (a few millionths of a dollar) in full.
    for (const split of ['train', 'validation', 'test']) expect(html).toContain(`<label for="f-split-${split}">`);
    const costs = html.match(/\$[\d.,]+(e[-+]?\d+)?/g) ?? [];
    expect(costs.length).toBeGreaterThan(0);
    for (const cost of costs) expect(cost).not.toMatch(/e/);

    const text = await compare([]);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(new RegExp(`v2\\.md@openai-compatible:model-a: \\w[^(]*\\([^)]*· n ${N} paired · McNemar exact p=`));
    expect(text.stdout).not.toMatch(/\$[\d.]+e-/);
  });

  it('repeat 2: the paired bootstrap decides, and is shown', async () => {
    const result = await compare(['--repeat', '2', '--resamples', '400', '--json']);
    expect(result.code, result.stderr).toBe(0);
    const doc = parseJsonOut(result);
    expect(doc.comparisons[0]).toMatchObject({ n: N, test: 'paired_bootstrap', bootstrap: { resamples: 400 } });
    const html = await readFile(doc.report_html, 'utf8');
    expect(html).toContain('Δ pass rate, 95% CI (bootstrap)');
    expect(html).toContain('paired bootstrap of the mean pass-rate difference (400 resamples');
    expect(html).toContain(`(${N} paired cases against the baseline)`);
  });
});
