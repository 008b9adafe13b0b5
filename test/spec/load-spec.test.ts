import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSpec } from '../../src/session/load-spec.js';
import { issueAt, lines, specErrorOf, writeFiles } from './helpers.js';

const HEAD = ['name: t', 'description: d', 'prompt: "Answer: {{input}}"'];
const SIM_TARGET = ['target:', '  provider: sim', '  model: sim-classifier'];
/** One case, with a check (cases no assertion checks are refused), on three lines as the line numbers below expect. */
const INLINE_CASES = ['cases:', '  - { input: hello, expected: hi,', '      assert: [{ type: equals, value: "{{expected}}" }] }'];

function specDir(yaml: string, files: Record<string, string> = {}): { dir: string; file: string } {
  const dir = writeFiles({ 'task.yaml': yaml, ...files });
  return { dir, file: join(dir, 'task.yaml') };
}

describe('loadSpec: a good spec', () => {
  it('fills in every default', async () => {
    const dir = resolve('test/fixtures/spec/good');
    const spec = await loadSpec(join(dir, 'task.yaml'));
    const model = { maxTokens: 8192, apiKeyEnv: ['ANTHROPIC_API_KEY'], timeoutMs: 300_000, maxRetries: 4 };
    expect(spec).toEqual({
      file: join(dir, 'task.yaml'),
      dir,
      name: 'poem-sentiment',
      description: 'Classify the sentiment of a line of poetry.',
      prompt: {
        text: 'Classify the sentiment of this line of poetry as positive, negative, mixed or no_impact.\n\nLine: {{input}}\n',
        file: join(dir, 'prompt.md'),
        form: { kind: 'text' },
        origin: { file: join(dir, 'task.yaml'), path: 'prompt', line: 3, column: 9 },
      },
      promptRole: 'user',
      templateEngine: 'simple',
      target: { provider: 'sim', model: 'sim-classifier', maxTokens: 1024, apiKeyEnv: [], timeoutMs: 60_000, maxRetries: 4 },
      optimizer: {
        provider: 'anthropic',
        model: 'claude-opus-5-5',
        ...model,
        defaulted: 'provider-default', // no optimizer.model: named as the default in headers and key errors
        strategy: 'iterative',
        maxIterations: 10,
        candidates: 3,
        patience: 3,
        validationIterations: 3,
        strictBelow: 0.1,
        accept: 'score',
        showValidationCases: false,
        metaPromptTokens: 12_000,
        seed: 0,
        minibatch: 3, // pareto only
        merge: true,
        showVars: [],
        hideVars: [],
      },
      // No judge: the target's model (its provider and key), with a judge's own max_tokens and timeout.
      judge: { provider: 'sim', model: 'sim-classifier', maxTokens: 1024, apiKeyEnv: [], timeoutMs: 60_000, maxRetries: 4, defaulted: 'target' },
      cases: [
        {
          id: expect.stringMatching(/^[0-9a-f]{12}$/),
          vars: { input: 'among the sources of thy glorious streams,', source_split: 'train', source_id: 113 },
          expected: 'positive',
          assert: [],
          origin: { file: join(dir, 'cases.jsonl'), path: 'cases[0]', line: 1, column: 1 },
        },
        {
          id: expect.stringMatching(/^[0-9a-f]{12}$/),
          vars: { input: 'even hearts estranged would turn once more to me,', source_split: 'train', source_id: 599 },
          expected: 'mixed',
          assert: [],
          origin: { file: join(dir, 'cases.jsonl'), path: 'cases[1]', line: 2, column: 1 },
        },
        {
          id: 'dumb-with-awe',
          vars: { input: 'looks, and is dumb with awe;' },
          expected: 'mixed',
          assert: [],
          split: 'test',
          origin: { file: join(dir, 'cases.jsonl'), path: 'cases[2]', line: 4, column: 1 },
        },
      ],
      casesFile: join(dir, 'cases.jsonl'),
      casesFiles: [join(dir, 'cases.jsonl')],
      defaultAssert: [{ type: 'equals', value: '{{expected}}' }],
      splits: { train: 0.6, validation: 0.2, test: 0.2, seed: 0, stratify: true },
      threshold: 1,
      objective: 'pass_rate',
      concurrency: 50,
      cache: { enabled: true, dir: join(dir, '.promptopt/cache') },
      repeat: 1,
      versionsDir: join(dir, 'prompt-versions'),
      runsDir: join(dir, '.promptopt/runs'),
      inputVar: 'input',
      flags: {},
      redact: { enabled: true, types: ['secret', 'email', 'iban', 'card', 'ip', 'phone'], patterns: [], traces: false },
      origins: expect.objectContaining({
        prompt: { file: join(dir, 'task.yaml'), path: 'prompt', line: 3, column: 1 },
        'target.model': { file: join(dir, 'task.yaml'), path: 'target.model', line: 6, column: 3 },
      }),
    });
  });

  it('gives the same generated ids on every load', async () => {
    const a = await loadSpec('test/fixtures/spec/good/task.yaml');
    const b = await loadSpec('test/fixtures/spec/good/task.yaml');
    expect(a.cases.map((c) => c.id)).toEqual(b.cases.map((c) => c.id));
  });

  it('reads every field of a full spec', async () => {
    const { dir, file } = specDir(
      lines(
        'name: full',
        'description: every field',
        'prompt: Classify.',
        'prompt_role: system',
        'user: "{{text}}"',
        'target:',
        '  provider: openai',
        '  model: gpt-4o-mini',
        '  temperature: 0.5',
        '  max_tokens: 256',
        '  api_key_env: [OPENAI_KEY_A, OPENAI_KEY_B]',
        '  timeout_ms: 1000',
        '  max_retries: 1',
        '  concurrency: 5',
        '  price: { input_per_mtok: 0.1, output_per_mtok: 0.2 }',
        'optimizer:',
        '  provider: sim',
        '  model: sim-optimizer',
        '  strategy: hybrid',
        '  candidates: 10',
        '  sim_latency_ms: 5',
        'judge:',
        '  max_tokens: 100',
        'input_var: text',
        'cases:',
        '  - input: a',
        '    expected: x',
        '    split: train',
        '    assert: [{ type: not-contains, value: "no" }]',
        'splits: { train: 0.8, seed: 7, stratify: false }',
        'threshold: 0.9',
        'concurrency: 8',
        'cache: { dir: my-cache }',
        'budget: { max_cost_usd: 2.5 }',
        'repeat: 3',
        'versions_dir: v',
        'runs_dir: /tmp/runs',
      ),
    );
    const spec = await loadSpec(file, { env: {}, trustSpec: true }); // runs_dir outside the project needs --trust-spec
    expect(spec.promptRole).toBe('system');
    expect(spec.user).toBe('{{text}}');
    expect(spec.target).toEqual({
      provider: 'openai',
      model: 'gpt-4o-mini',
      temperature: 0.5,
      maxTokens: 256,
      apiKeyEnv: ['OPENAI_KEY_A', 'OPENAI_KEY_B'],
      timeoutMs: 1000,
      maxRetries: 1,
      concurrency: 5,
      price: { inputPerMTok: 0.1, outputPerMTok: 0.2 },
    });
    expect(spec.optimizer).toMatchObject({ provider: 'sim', model: 'sim-optimizer', apiKeyEnv: [], strategy: 'hybrid', candidates: 10, simLatencyMs: 5 });
    // The judge is the target's model (keys, price, retries and concurrency included), not its temperature.
    expect(spec.judge).toEqual({
      provider: 'openai',
      model: 'gpt-4o-mini',
      apiKeyEnv: ['OPENAI_KEY_A', 'OPENAI_KEY_B'],
      maxTokens: 100,
      timeoutMs: 60_000,
      maxRetries: 1,
      concurrency: 5,
      price: { inputPerMTok: 0.1, outputPerMTok: 0.2 },
    });
    expect(spec.cases).toEqual([
      expect.objectContaining({ vars: { text: 'a' }, expected: 'x', split: 'train', assert: [{ type: 'not-contains', value: 'no' }] }),
    ]);
    expect(spec.splits).toEqual({ train: 0.8, validation: 0.1, test: 0.1, seed: 7, stratify: false });
    expect(spec).toMatchObject({ threshold: 0.9, concurrency: 8, repeat: 3, budget: { maxCostUsd: 2.5 }, inputVar: 'text' });
    expect(spec.cache).toEqual({ enabled: true, dir: join(dir, 'my-cache') });
    expect(spec.versionsDir).toBe(join(dir, 'v'));
    expect(spec.runsDir).toBe('/tmp/runs');
    expect(spec.casesFile).toBeUndefined();
  });

  it('gives the judge its own provider defaults when it names another provider', async () => {
    const { file } = specDir(lines(...HEAD, ...SIM_TARGET, 'judge:', '  provider: sim', '  model: sim-judge', ...INLINE_CASES));
    const spec = await loadSpec(file);
    expect(spec.judge).toEqual({ provider: 'sim', model: 'sim-judge', apiKeyEnv: [], maxTokens: 1024, timeoutMs: 60_000, maxRetries: 4 });
  });

  it('takes the judge from the target when the spec names none, and its own model and price from judge:', async () => {
    const target = ['target:', '  provider: openai', '  model: gpt-4o-mini', '  base_url: http://127.0.0.1:9/v1'];
    const plain = await loadSpec(specDir(lines(...HEAD, ...target, ...INLINE_CASES)).file, { env: {} });
    expect(plain.judge).toMatchObject({ provider: 'openai', model: 'gpt-4o-mini', baseUrl: 'http://127.0.0.1:9/v1', apiKeyEnv: ['OPENAI_API_KEY'], defaulted: 'target' });
    expect(plain.optimizer).toMatchObject({ provider: 'anthropic', model: 'claude-opus-5-5', defaulted: 'provider-default' });
    const priced = [...target, '  price: { input_per_mtok: 0.15, output_per_mtok: 0.6 }'];
    const stronger = await loadSpec(specDir(lines(...HEAD, ...priced, 'judge:', '  model: gpt-4o', ...INLINE_CASES)).file, { env: {} });
    expect(stronger.judge).toMatchObject({ provider: 'openai', model: 'gpt-4o', baseUrl: 'http://127.0.0.1:9/v1' });
    expect(stronger.judge.price).toBeUndefined(); // gpt-4o-mini's price is not gpt-4o's: the price table decides
    expect(stronger.judge.defaulted).toBeUndefined();
  });
});

describe('loadSpec: every problem names the file, the field, the line and the column', () => {
  it('an unknown key, with did-you-mean', async () => {
    const { file } = specDir(lines(...HEAD, 'target:', '  provider: sim', '  modle: sim-classifier', ...INLINE_CASES));
    const error = await specErrorOf(loadSpec(file));
    expect(issueAt(error, 'target.modle')).toMatchObject({ file, line: 6, column: 3, message: 'unknown key "modle" (did you mean "model"?)' });
    // the missing `model` is not reported a second time
    expect(error.issues).toHaveLength(1);
    expect(error.message).toContain(`${file}:6:3: target.modle: unknown key "modle" (did you mean "model"?)`);
  });

  it('a missing required field points at its parent', async () => {
    const { file } = specDir(lines(...HEAD, 'target:', '  provider: sim', ...INLINE_CASES));
    const error = await specErrorOf(loadSpec(file));
    expect(issueAt(error, 'target.model')).toMatchObject({ file, line: 4, column: 1, message: 'missing required field' });
  });

  it('a value of the wrong type', async () => {
    const { file } = specDir(lines(...HEAD, ...SIM_TARGET, ...INLINE_CASES, 'concurrency: "fast"'));
    const error = await specErrorOf(loadSpec(file));
    expect(error.issues).toHaveLength(1);
    expect(issueAt(error, 'concurrency')).toMatchObject({ file, line: 10, column: 14, message: 'expected a number, got a string' });
  });

  it('an unknown provider, with did-you-mean', async () => {
    const { file } = specDir(lines(...HEAD, 'target:', '  provider: opnai', '  model: gpt-4o', ...INLINE_CASES));
    const error = await specErrorOf(loadSpec(file));
    expect(issueAt(error, 'target.provider')).toMatchObject({ file, line: 5, column: 13, message: 'unknown value "opnai" (did you mean "openai"?)' });
  });

  it('a missing prompt file', async () => {
    const { dir, file } = specDir(lines('name: t', 'description: d', 'prompt: file://prompts/nope.md', ...SIM_TARGET, ...INLINE_CASES));
    const error = await specErrorOf(loadSpec(file));
    expect(issueAt(error, 'prompt')).toMatchObject({ file, line: 3, column: 9, message: `prompt file not found: ${join(dir, 'prompts/nope.md')}` });
  });

  it('a missing cases file', async () => {
    const { dir, file } = specDir(lines(...HEAD, ...SIM_TARGET, 'cases: data/missing.jsonl'));
    const error = await specErrorOf(loadSpec(file));
    expect(issueAt(error, 'cases')).toMatchObject({ file, line: 7, column: 8, message: `cases file not found: ${join(dir, 'data/missing.jsonl')}` });
  });

  it('an unsupported cases file type', async () => {
    const { file } = specDir(lines(...HEAD, ...SIM_TARGET, 'cases: file://cases.txt'), { 'cases.txt': 'x' });
    const error = await specErrorOf(loadSpec(file));
    expect(issueAt(error, 'cases')).toMatchObject({ file, line: 7, column: 8, message: 'unsupported cases file type ".txt"' });
  });

  it('an empty cases list', async () => {
    const { file } = specDir(lines(...HEAD, ...SIM_TARGET, 'cases: []'));
    const error = await specErrorOf(loadSpec(file));
    expect(issueAt(error, 'cases')).toMatchObject({ file, line: 7, column: 8, message: 'the cases list is empty' });
  });

  it('a template variable no case provides, with did-you-mean', async () => {
    const { file } = specDir(
      lines('name: t', 'description: d', 'prompt: "Q: {{questin}} ({{input}})"', ...SIM_TARGET, 'cases:', '  - vars: { question: a, input: b }', 'defaults: { assert: [{ type: contains, value: a }] }'),
    );
    const error = await specErrorOf(loadSpec(file));
    expect(error.issues).toHaveLength(1);
    expect(issueAt(error, 'prompt')).toMatchObject({
      file,
      line: 3,
      column: 9,
      message: 'template variable "{{questin}}" is not provided by any case (cases have: question, input) (did you mean "{{question}}"?)',
    });
  });

  it('a template variable some cases lack names the first of them', async () => {
    const { file } = specDir(
      lines('name: t', 'description: d', 'prompt: "Q: {{question}}"', ...SIM_TARGET, 'cases:', '  - vars: { question: a }', '  - input: b', '  - input: c'),
    );
    const error = await specErrorOf(loadSpec(file));
    const issue = issueAt(error, 'prompt');
    expect(issue).toMatchObject({ file, line: 3, column: 9 });
    expect(issue.message).toMatch(/^template variable "\{\{question\}\}" is not provided by case "[0-9a-f]{12}" \(cases\[1\], .*task\.yaml:9\) and 1 other case$/);
  });

  it('a template variable in a prompt file points into that file', async () => {
    const { dir, file } = specDir(lines('name: t', 'description: d', 'prompt: file://prompt.md', ...SIM_TARGET, ...INLINE_CASES), {
      'prompt.md': lines('Answer the question.', '', 'Question: {{ question }}'),
    });
    const error = await specErrorOf(loadSpec(file));
    expect(error.issues[0]).toMatchObject({
      file: join(dir, 'prompt.md'),
      path: 'prompt',
      line: 3,
      column: 11,
      message: 'template variable "{{question}}" is not provided by any case (cases have: input)',
    });
  });

  it('{{expected}} in a prompt', async () => {
    const { file } = specDir(lines('name: t', 'description: d', 'prompt: "{{input}} -> {{expected}}"', ...SIM_TARGET, ...INLINE_CASES));
    const error = await specErrorOf(loadSpec(file));
    expect(issueAt(error, 'prompt').message).toBe('template variable "{{expected}}" is the expected answer, which the model must not see');
  });

  it('an unknown assertion type, with did-you-mean (defaults and inline cases)', async () => {
    const { file } = specDir(
      lines(
        ...HEAD,
        ...SIM_TARGET,
        'cases:',
        '  - input: hello',
        '    assert:',
        '      - type: not-equal',
        'defaults:',
        '  assert:',
        '    - type: icontain',
        '      value: hi',
      ),
    );
    const error = await specErrorOf(loadSpec(file));
    expect(issueAt(error, 'defaults.assert[0].type')).toMatchObject({
      file,
      line: 13,
      column: 13,
      message: 'unknown assertion type "icontain" (did you mean "icontains"?)',
    });
    expect(issueAt(error, 'cases[0].assert[0].type')).toMatchObject({
      file,
      line: 10,
      column: 15,
      message: 'unknown assertion type "not-equal" (did you mean "not-equals"?)',
    });
  });

  it('refuses a literal API key without echoing it', async () => {
    const secret = 'sk-proj-abcdef1234567890';
    const { file } = specDir(lines(...HEAD, 'target:', '  provider: openai', '  model: gpt-4o-mini', `  api_key: ${secret}`, ...INLINE_CASES));
    const error = await specErrorOf(loadSpec(file));
    expect(error.issues).toHaveLength(1);
    expect(issueAt(error, 'target.api_key')).toMatchObject({
      file,
      line: 7,
      column: 3,
      message: 'literal API keys are not allowed in a spec',
      hint: 'put the key in an environment variable and list its name under api_key_env',
    });
    expect(JSON.stringify(error.issues) + error.message).not.toContain(secret);
  });

  it('refuses a key listed under api_key_env without echoing it', async () => {
    const secret = 'sk-ant-' + 'api03-abcdefABCDEF1234567890';
    const { file } = specDir(lines(...HEAD, 'target:', '  provider: anthropic', '  model: claude-haiku-4-5', `  api_key_env: [ANTHROPIC_API_KEY, ${secret}]`, ...INLINE_CASES));
    const error = await specErrorOf(loadSpec(file));
    expect(issueAt(error, 'target.api_key_env[1]')).toMatchObject({
      file,
      line: 7,
      column: 36,
      message: 'this entry looks like an API key, not an environment variable name',
    });
    expect(JSON.stringify(error.issues) + error.message).not.toContain(secret);
  });

  it('a budget with a model of unknown price, and the same budget once a price is given', async () => {
    const target = ['target:', '  provider: openai-compatible', '  model: llama-3', '  base_url: http://127.0.0.1:8080/v1'];
    const { file } = specDir(lines(...HEAD, ...target, ...INLINE_CASES, 'budget:', '  max_cost_usd: 5'));
    const error = await specErrorOf(loadSpec(file));
    expect(issueAt(error, 'budget.max_cost_usd')).toMatchObject({
      file,
      line: 12,
      column: 17,
      message: 'a budget needs known prices, but target model "llama-3" (openai-compatible) has no known price',
      hint: 'add `price: { input_per_mtok, output_per_mtok }` under target',
    });

    const priced = specDir(lines(...HEAD, ...target, '  price: { input_per_mtok: 0.1, output_per_mtok: 0.1 }', ...INLINE_CASES, 'budget:', '  max_cost_usd: 5'));
    const spec = await loadSpec(priced.file);
    expect(spec.budget).toEqual({ maxCostUsd: 5 });
  });

  it('checks the judge price only when an llm-rubric is used', async () => {
    const judge = ['judge:', '  provider: openrouter', '  model: meta/llama-4'];
    const plain = specDir(lines(...HEAD, ...SIM_TARGET, ...judge, ...INLINE_CASES, 'budget: { max_cost_usd: 1 }'));
    await expect(loadSpec(plain.file)).resolves.toBeDefined();
    const rubric = specDir(
      lines(...HEAD, ...SIM_TARGET, ...judge, ...INLINE_CASES, 'defaults:', '  assert: [{ type: not-llm-rubric, value: rude }]', 'budget: { max_cost_usd: 1 }'),
    );
    const error = await specErrorOf(loadSpec(rubric.file));
    expect(issueAt(error, 'budget.max_cost_usd').message).toContain('judge model "meta/llama-4" (openrouter)');
  });

  it('openai-compatible without a base_url, unless OPENAI_BASE_URL is set', async () => {
    const { file } = specDir(lines(...HEAD, 'target:', '  provider: openai-compatible', '  model: llama-3', ...INLINE_CASES));
    const error = await specErrorOf(loadSpec(file, { env: {} }));
    expect(issueAt(error, 'target.base_url')).toMatchObject({ file, line: 4, column: 1, message: 'provider openai-compatible needs a base_url' });
    await expect(loadSpec(file, { env: { OPENAI_BASE_URL: 'http://localhost:1234/v1' } })).resolves.toBeDefined();
  });

  it('an optimizer provider other than anthropic needs a model', async () => {
    const { file } = specDir(lines(...HEAD, ...SIM_TARGET, 'optimizer:', '  provider: openai', ...INLINE_CASES));
    const error = await specErrorOf(loadSpec(file));
    expect(issueAt(error, 'optimizer.model')).toMatchObject({ file, line: 7, column: 1, message: 'a model is required with provider "openai"' });
  });

  it('prompt_role system needs a user template and refuses system', async () => {
    const { file } = specDir(lines(...HEAD, 'prompt_role: system', 'system: "Be brief."', ...SIM_TARGET, ...INLINE_CASES));
    const error = await specErrorOf(loadSpec(file));
    expect(issueAt(error, 'system')).toMatchObject({ file, line: 5, column: 1 });
    expect(issueAt(error, 'user')).toMatchObject({ file, line: 4, column: 1, message: 'a fixed `user` template is required with `prompt_role: system`' });
  });

  it('user is refused with prompt_role user', async () => {
    const { file } = specDir(lines(...HEAD, 'user: "{{input}}"', ...SIM_TARGET, ...INLINE_CASES));
    const error = await specErrorOf(loadSpec(file));
    expect(issueAt(error, 'user')).toMatchObject({ file, line: 4, column: 1, message: '`user` is only allowed with `prompt_role: system`' });
  });

  it('split ratios that do not add up to 1', async () => {
    const { file } = specDir(lines(...HEAD, ...SIM_TARGET, ...INLINE_CASES, 'splits: { train: 0.7, validation: 0.2, test: 0.2 }'));
    const error = await specErrorOf(loadSpec(file));
    expect(issueAt(error, 'splits')).toMatchObject({ file, line: 10, column: 9, message: 'ratios must add up to 1, but train 0.7 + validation 0.2 + test 0.2 = 1.1' });
  });

  it('a YAML syntax error, with its line', async () => {
    const { file } = specDir(lines('name: t', 'target:', '    provider: sim', '  model: x'));
    const error = await specErrorOf(loadSpec(file));
    expect(error.issues[0]).toMatchObject({ file, line: 4, column: 1 });
    expect(error.issues[0]!.message).toMatch(/^invalid YAML: /);
  });

  it('a spec file that does not exist', async () => {
    const error = await specErrorOf(loadSpec(join(writeFiles({}), 'nope.yaml')));
    expect(error.issues[0]!.message).toBe('spec file not found');
  });

  it('reports every problem at once, in file order', async () => {
    const { dir, file } = specDir(
      lines('name: t', 'prompt: "{{input}}"', 'target:', '  provider: sim', '  model: m', '  temprature: 0', 'cases: cases.jsonl', 'repeat: 0'),
      { 'cases.jsonl': lines('{"input": "a", "expectd": "b"}') },
    );
    const error = await specErrorOf(loadSpec(file));
    expect(error.issues.map((i) => [i.file, i.path, i.line])).toEqual([
      [file, 'description', 1],
      [file, 'target.temprature', 6],
      [file, 'repeat', 8],
      [join(dir, 'cases.jsonl'), 'cases[0].expectd', 1],
    ]);
    expect(error.message).toMatch(/^4 problems:/);
    expect(issueAt(error, 'target.temprature').message).toBe('unknown key "temprature" (did you mean "temperature"?)');
  });
});
