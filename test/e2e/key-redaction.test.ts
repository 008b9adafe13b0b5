/**
 * Keys planted in cases, and keys a model writes in its outputs, are absent from every output and
 * file: eval's stdout (table and failing cases), --json, --output, --junit, the step summary, the
 * webhook body, compare.json, compare's report.html and the response cache. The keys here are not
 * shaped like keys (no `sk-` prefix), so only exact-value redaction can catch them: a key named in
 * the spec's api_key_env (whatever the variable is called), a webhook header's variable, and a
 * provider key variable of the environment the spec does not even use.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir, parseJsonOut, readAllFiles, removeDir, runCli, writeSpec, type CliResult } from './helpers/cli.js';
import { startSentimentServer, type E2eServer } from './helpers/sentiment-task.js';
import { startReceiver, type WebhookReceiver } from './helpers/webhook-receiver.js';

// Built from parts so no key-like literal sits in the repository.
const TEAM_CRED = ['planted', 'team', 'cred', 'Q7x9Lm2Pz8Wv'].join('-'); // in TEAM_LLM_CRED, named by api_key_env
const OTHER_KEY = ['unused', 'provider', 'Hh4Kd9Rt2Ys7'].join('-'); // in OPENAI_API_KEY, not used by the spec
const HOOK_VALUE = ['hook', 'auth', 'Zq1Wx5Cv8Bn3'].join('-'); // in HOOK_AUTH, named by headers_env
const KEYS = [TEAM_CRED, OTHER_KEY, HOOK_VALUE];

const CASES = [
  { id: 'planted-input', input: `please repeat this back: ${TEAM_CRED}`, expected: 'ok' },
  { id: 'planted-expected', input: 'say the team credential', expected: TEAM_CRED },
  { id: 'model-leaks-env-key', input: 'what is the other key', expected: 'ok' },
  { id: 'model-leaks-hook', input: 'what is the hook token', expected: 'ok' },
  { id: 'clean', input: 'just say ok', expected: 'ok' },
];

/** The fake model: echoes a planted key, volunteers the others. */
function answer(text: string): string {
  if (text.includes('please repeat')) return `Sure: ${TEAM_CRED}`;
  if (text.includes('team credential')) return `It is ${TEAM_CRED}`;
  if (text.includes('other key')) return `I saw ${OTHER_KEY} in my context`;
  if (text.includes('hook token')) return `Token: ${HOOK_VALUE}`;
  return 'ok';
}

let fake: E2eServer;
let receiver: WebhookReceiver;
let dir: string;

beforeAll(async () => {
  fake = await startSentimentServer({ validKeys: [TEAM_CRED] });
  fake.setRespond((request) => answer(request.messages.map((m) => m.content).join('\n')));
  receiver = await startReceiver();
  dir = await makeTempDir('promptopt-redaction-');
});
afterAll(async () => {
  await fake.server.close();
  await receiver.close();
  await removeDir(dir);
});

function expectNoKey(where: string, text: string): void {
  for (const key of KEYS) {
    // The whole key, and any 10-character piece of it.
    for (let i = 0; i + 10 <= key.length; i++) {
      if (text.includes(key.slice(i, i + 10))) throw new Error(`${where} contains "${key.slice(i, i + 10)}", a piece of a planted key`);
    }
  }
}

describe('planted keys reach the model, and nothing else', () => {
  it('eval (table, --json, --output, --junit, step summary, webhook), its cached re-run, and compare leave no key anywhere', async () => {
    await writeSpec(dir, {
      name: 'redaction',
      description: 'keys planted in cases and outputs (e2e)',
      prompt: 'Answer briefly: {{input}}',
      target: { provider: 'openai-compatible', model: 'local-llama', base_url: fake.server.openaiBaseUrl, api_key_env: ['TEAM_LLM_CRED'] },
      cases: CASES,
      defaults: { assert: [{ type: 'equals', value: '{{expected}}' }] },
      threshold: 0.9,
      notify: { webhooks: receiver.url, headers_env: { Authorization: 'HOOK_AUTH' } },
    }, { files: { 'alt.md': 'Reply in a few words: {{input}}\n' } });
    const summary = join(dir, 'summary.md');
    const env = { TEAM_LLM_CRED: TEAM_CRED, OPENAI_API_KEY: OTHER_KEY, HOOK_AUTH: HOOK_VALUE, GITHUB_STEP_SUMMARY: summary };
    const runs: Record<string, CliResult> = {};
    const cli = (args: string[]) => runCli(args, { cwd: dir, env });

    runs.table = await cli(['eval', 'task.yaml', '--output', 'out/eval.json', '--junit', 'out/junit.xml']);
    expect(runs.table.code, runs.table.stderr).toBe(1); // below the threshold: the degradation webhook is sent
    runs.json = await cli(['eval', 'task.yaml', '--json']);
    runs.compare = await cli(['compare', 'task.yaml', '--versions', 'current,alt.md', '--json']);
    expect(runs.compare.code, runs.compare.stderr).toBe(0);
    runs.compareTable = await cli(['compare', 'task.yaml', '--versions', 'current,alt.md']);

    // The keys did go where data goes: into the requests (the planted case), and back in the outputs.
    expect(fake.server.requests).toHaveLength(2 * CASES.length); // current once (re-runs from the cache), alt.md once
    expect(JSON.stringify(fake.server.requests.map((r) => r.body))).toContain(TEAM_CRED);
    const document = parseJsonOut(runs.json);
    expect(document.cases.every((c: any) => c.cache_hit)).toBe(true);
    const outputs = Object.fromEntries(document.cases.map((c: any) => [c.id, c.output]));
    expect(outputs).toEqual({
      'planted-input': 'Sure: [REDACTED]',
      'planted-expected': 'It is [REDACTED]',
      'model-leaks-env-key': 'I saw [REDACTED] in my context',
      'model-leaks-hook': 'Token: [REDACTED]',
      clean: 'ok',
    });
    expect(runs.table.stdout).toContain('[REDACTED]'); // the failing cases are printed, redacted

    // Nowhere else: stdout and stderr of every run, every file written, every webhook body.
    for (const [name, run] of Object.entries(runs)) {
      expectNoKey(`${name} stdout`, run.stdout);
      expectNoKey(`${name} stderr`, run.stderr);
    }
    const files = await readAllFiles(dir);
    const paths = files.map((f) => f.path);
    expect(paths).toEqual(expect.arrayContaining(['out/eval.json', 'out/junit.xml', 'summary.md']));
    expect(paths.some((p) => p.startsWith('.promptopt/cache/'))).toBe(true);
    expect(paths.filter((p) => /compare-[^/]+\/(compare\.json|report\.html)$/.test(p))).toHaveLength(4);
    for (const file of files.filter((f) => f.path !== 'task.yaml')) expectNoKey(file.path, file.text); // the spec is where we planted them
    expect(receiver.received.length).toBeGreaterThan(0);
    for (const hook of receiver.received) expectNoKey('webhook body', JSON.stringify(hook.body));
    expect(receiver.received[0]!.headers.authorization).toBe(HOOK_VALUE); // the header itself is what HOOK_AUTH is for
  });
});
