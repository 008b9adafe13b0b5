/**
 * promptfoo configs, end to end through the CLI and the real SDKs against the loopback server,
 * reading the requests it received: `eval promptfooconfig.yaml` maps the config in memory (chat
 * turns as separate messages, each prompt of a `---` file on its own, Nunjucks rendered, JSON cells
 * resolved, `__expected` applied, every test × prompt × provider sent); whatever is not mapped is
 * named in one warning; an assertion that cannot be mapped stops everything before any call; and
 * `import promptfoo` writes a spec whose eval gives the same results as the config's.
 */
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir, parseJsonOut, removeDir, runCli } from './helpers/cli.js';
import { startFakeLlmServer, type FakeLlmServer, type FakeRequest } from '../support/fake-llm-server.js';

const KEY = 'sk-test-promptfoo-0001';
let server: FakeLlmServer;
let dir: string;

/** The fake model: "billing" for money words in the last turn, JSON of the last turn when asked for JSON, else "tech". */
function respond(request: FakeRequest): string {
  const last = request.messages.at(-1)?.content ?? '';
  if (/json/i.test(`${request.system ?? ''} ${last}`)) return JSON.stringify({ echo: last });
  return /refund|charge|invoice/i.test(last) ? 'billing' : `tech: ${last}`;
}

beforeAll(async () => {
  server = await startFakeLlmServer({ validKeys: [KEY], respond });
});
afterAll(() => server.close());
beforeEach(async () => {
  server.reset();
  dir = await makeTempDir('promptopt-promptfoo-');
});
afterEach(() => removeDir(dir));

const env = () => ({ OPENAI_API_KEY: KEY, OPENAI_BASE_URL: server.openaiBaseUrl, ANTHROPIC_API_KEY: KEY, ANTHROPIC_BASE_URL: server.anthropicBaseUrl });

async function write(files: Record<string, string>): Promise<void> {
  for (const [name, text] of Object.entries(files)) {
    await mkdir(join(dir, name, '..'), { recursive: true });
    await writeFile(join(dir, name), text);
  }
}

/** A chat prompt file, a CSV of tests with __expected in promptfoo's syntax, Nunjucks filters, JSON cells. */
const ROUTING = {
  'promptfooconfig.yaml': [
    'description: Ticket routing',
    'prompts:',
    '  - file://prompts/route.yaml',
    'providers:',
    '  - openai:gpt-4o-mini',
    'defaultTest:',
    '  assert:',
    '    - type: not-icontains',
    '      value: sorry',
    'tests: file://tests.csv',
    'threshold: 0.5',
    '',
  ].join('\n'),
  'prompts/route.yaml': [
    '- role: system',
    '  content: "You route tickets for {{ customer.company | upper }}. Reply with the team only."',
    '- role: user',
    '  content: "Ticket: {{ ticket }}{% if customer.vip %} (VIP){% endif %}"',
    '',
  ].join('\n'),
  'tests.csv': [
    'ticket,customer,__expected,__description,__metric',
    '"I want a refund","{""company"": ""acme"", ""vip"": true}",billing,refund,routing',
    '"The app crashes","{""company"": ""globex"", ""vip"": false}",contains: tech,crash,routing',
    '"Login fails","{""company"": ""initech"", ""vip"": false}",billing,login (wrong on purpose),routing',
    '',
  ].join('\n'),
};

function requestWith(text: string): FakeRequest & { body: Record<string, any> } {
  const found = server.requests.find((r) => JSON.stringify(r.body).includes(text));
  expect(found, `a request with "${text}"`).toBeDefined();
  return found as unknown as FakeRequest & { body: Record<string, any> };
}

/** The texts of a request's messages (OpenAI and Anthropic bodies; a content given as blocks joined). */
function turns(body: unknown): string[] {
  const messages = (body as { messages: { content: string | { text: string }[] }[] }).messages;
  return messages.map((m) => (typeof m.content === 'string' ? m.content : m.content.map((b) => b.text).join('')));
}

describe('eval promptfooconfig.yaml', () => {
  it('sends chat turns as messages, renders Nunjucks with JSON cells, and applies __expected', async () => {
    await write(ROUTING);
    const result = await runCli(['eval', 'promptfooconfig.yaml', '--json'], { cwd: dir, env: env() });
    expect(result.code, result.stderr).toBe(0);
    expect(server.requests).toHaveLength(3);
    expect(requestWith('I want a refund').body.messages).toEqual([
      { role: 'system', content: 'You route tickets for ACME. Reply with the team only.' },
      { role: 'user', content: 'Ticket: I want a refund (VIP)' },
    ]);
    expect(requestWith('The app crashes').body.messages[1].content).toBe('Ticket: The app crashes');
    const out = parseJsonOut(result);
    const byTicket = (ticket: string) => out.cases.find((c: any) => c.output === 'billing' ? ticket.includes('refund') : c.output.includes(ticket));
    // __expected "billing" is an equals check, "contains: tech" a contains check: the login case fails on it.
    expect(byTicket('I want a refund').pass).toBe(true);
    expect(byTicket('The app crashes').pass).toBe(true);
    expect(byTicket('Login fails').pass).toBe(false);
    expect(JSON.stringify(byTicket('Login fails'))).toContain('billing');
    expect(out.summary.find((s: any) => s.split === 'all').metrics.map((m: any) => m.name)).toContain('routing');
    expect(out.promptfoo).toEqual({ prompt: 'prompts/route.yaml', provider: 'openai:gpt-4o-mini' });
  });

  it('runs every prompt of a --- file, every prompt object and every provider, each on every test', async () => {
    await write({
      'promptfooconfig.yaml': [
        'prompts:',
        '  - file://prompts.txt',
        '  - label: as-json',
        '    raw: "Answer in JSON. Topic: {{ topic }}"',
        '    config:',
        '      response_format:',
        '        type: json_schema',
        '        json_schema: { name: echo, schema: { type: object, properties: { echo: { type: string } }, required: [echo] } }',
        'providers:',
        '  - openai:chat:gpt-4o-mini',
        '  - id: anthropic:messages:claude-haiku-4-5',
        '    label: haiku',
        '    config: { temperature: 0, max_tokens: 300 }',
        'tests:',
        '  - vars: { topic: [cats, dogs] }',
        '    assert:',
        '      - type: icontains',
        '        value: "{{ topic }}"',
        '        metric: on_topic',
        '',
      ].join('\n'),
      'prompts.txt': 'Write one line about {{ topic }}.\n---\nWrite a haiku about {{ topic | capitalize }}.\n',
    });
    const result = await runCli(['eval', 'promptfooconfig.yaml'], { cwd: dir, env: env() });
    expect(result.code, result.stdout + result.stderr).toBe(0);
    // 3 prompts (never concatenated) × 2 providers × 2 tests (the list var runs once per value).
    expect(server.requests).toHaveLength(12);
    const sent = server.requests.map((r) => `${r.api} ${turns(r.body).join('|')}`);
    for (const api of ['openai', 'anthropic']) {
      for (const topic of ['cats', 'dogs']) {
        expect(sent).toContain(`${api} Write one line about ${topic}.`);
        expect(sent).toContain(`${api} Write a haiku about ${topic[0]!.toUpperCase()}${topic.slice(1)}.`);
        expect(sent).toContain(`${api} Answer in JSON. Topic: ${topic}`);
      }
    }
    expect(sent.some((s) => s.includes('---'))).toBe(false);
    const anthropic = server.requests.find((r) => r.api === 'anthropic' && JSON.stringify(r.body).includes('Answer in JSON'))!;
    expect((anthropic.body as any).output_config.format.type).toBe('json_schema');
    expect((anthropic.body as any).max_tokens).toBe(300);
    const openai = server.requests.find((r) => r.api === 'openai' && JSON.stringify(r.body).includes('Answer in JSON'))!;
    expect((openai.body as any).response_format.type).toBe('json_schema');
    // One table, one row per prompt × provider.
    expect(result.stdout).toContain('prompts × providers');
    expect(result.stdout).toMatch(/prompts\.txt#1\s+openai:gpt-4o-mini/);
    expect(result.stdout).toMatch(/as-json\s+haiku \(anthropic:claude-haiku-4-5\)/);
  });

  it('maps weights, per-test thresholds (and __threshold), defaultTest vars and the top-level threshold as the gate', async () => {
    await write({
      'promptfooconfig.yaml': [
        'prompts: ["{{ greeting }}, {{ question }}"]',
        'providers: [openai:gpt-4o-mini]',
        'defaultTest:',
        '  vars: { greeting: Hello }',
        'threshold: 0.6',
        'tests:',
        '  - vars: { question: where is my refund }', // "billing": contains passes (weight 3), starts-with fails
        '    threshold: 0.7',
        '    assert:',
        '      - { type: contains, value: bill, weight: 3 }',
        '      - { type: starts-with, value: Dear }',
        '  - vars: { question: app crashes }', // same checks, no threshold: fails
        '    assert:',
        '      - { type: contains, value: tech, weight: 3 }',
        '      - { type: starts-with, value: Dear }',
        '  - file://more.csv',
        '',
      ].join('\n'),
      'more.csv': 'question,__expected1,__expected2,__threshold\nlogin broken,contains: tech,starts-with: Dear,0.5\n',
    });
    const result = await runCli(['eval', 'promptfooconfig.yaml', '--json'], { cwd: dir, env: env() });
    const out = parseJsonOut(result);
    const byId = Object.fromEntries(out.cases.map((c: any) => [c.id, c]));
    expect(byId['promptfooconfig.yaml:7']).toMatchObject({ pass: true, score: 0.75 });
    expect(byId['promptfooconfig.yaml:12']).toMatchObject({ pass: false, score: 0.75 });
    expect(byId['more.csv:2']).toMatchObject({ pass: true, score: 0.5 });
    expect(requestWith('where is my refund').body.messages.at(-1).content).toBe('Hello, where is my refund');
    // 2 of 3 pass: 66.7% >= the config's threshold 0.6.
    expect(out.threshold).toBe(0.6);
    expect(result.code, result.stderr).toBe(0);
  });

  it('--json prints one document per prompt × provider, each naming its prompt and provider', async () => {
    await write({
      'promptfooconfig.yaml': 'prompts: ["One: {{ q }}", "Two: {{ q }}"]\nproviders: [openai:gpt-4o-mini]\ntests:\n  - vars: { q: refund }\n    assert: [{ type: equals, value: billing }]\n',
    });
    const result = await runCli(['eval', 'promptfooconfig.yaml', '--json'], { cwd: dir, env: env() });
    expect(result.code, result.stderr).toBe(0);
    const docs = result.stdout.trim().split('\n').map((line) => JSON.parse(line));
    expect(docs.map((d) => d.promptfoo.prompt)).toEqual(['One: {{ q }}', 'Two: {{ q }}']);
    expect(docs.every((d) => d.score === 1)).toBe(true);
    const refused = await runCli(['eval', 'promptfooconfig.yaml', '--output', 'r.json'], { cwd: dir, env: env() });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('--output and --junit hold one eval');
  });

  it('checks every provider\'s key before the first call: a missing one stops the eval with exit 2 and nothing spent', async () => {
    await write({
      'promptfooconfig.yaml': 'prompts: ["One: {{ q }}"]\nproviders: [openai:gpt-4o-mini, anthropic:messages:claude-haiku-4-5]\ntests:\n  - vars: { q: refund }\n    assert: [{ type: equals, value: billing }]\n',
    });
    const result = await runCli(['eval', 'promptfooconfig.yaml'], { cwd: dir, env: { ...env(), ANTHROPIC_API_KEY: '' } });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('ANTHROPIC_API_KEY (a provider of promptfooconfig.yaml)');
    expect(result.stderr).toContain('import promptfoo promptfooconfig.yaml` and set the spec\'s target to { provider: sim');
    expect(server.requests).toHaveLength(0);
    // A dry run needs no key; its --json documents name their prompt and provider like a real run's.
    const dry = await runCli(['eval', 'promptfooconfig.yaml', '--dry-run', '--json'], { cwd: dir, env: { ...env(), ANTHROPIC_API_KEY: '' } });
    expect(dry.code, dry.stderr).toBe(0);
    const docs = dry.stdout.trim().split('\n').map((line) => JSON.parse(line));
    expect(docs.map((d) => d.promptfoo.provider)).toEqual(['openai:gpt-4o-mini', 'anthropic:claude-haiku-4-5']);
    expect(docs[1].missing_keys).toEqual([expect.objectContaining({ role: 'target' })]);
    expect(server.requests).toHaveLength(0);
  });

  it('an inline JSON message list is a chat prompt: its system turn is Anthropic\'s system, the user turn a message', async () => {
    await write({
      'promptfooconfig.yaml': [
        'prompts:',
        `  - '[{"role": "system", "content": "Route tickets for {{ company }}."}, {"role": "user", "content": "{{ ticket }}"}]'`,
        'providers: [anthropic:claude-haiku-4-5]',
        'tests:',
        '  - vars: { company: Acme, ticket: refund please }',
        '    assert: [{ type: equals, value: billing }]',
        '',
      ].join('\n'),
    });
    const result = await runCli(['eval', 'promptfooconfig.yaml'], { cwd: dir, env: env() });
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(server.requests).toHaveLength(1);
    const body = server.requests[0]!.body as Record<string, any>;
    expect(JSON.stringify(body.system)).toContain('Route tickets for Acme.');
    expect(turns(body)).toEqual(['refund please']);
  });

  it('names every unmapped feature in one warning, with its file and line', async () => {
    await write({
      'promptfooconfig.yaml': [
        'prompts: ["Reply to {{ question }}"]', // 1
        'providers: [openai:gpt-4o-mini]', // 2
        'derivedMetrics:', // 3
        '  - { name: f1, value: "2 * p * r / (p + r)" }', // 4
        'sharing: true', // 5
        'defaultTest:', // 6
        '  options:', // 7
        '    transform: output.trim()', // 8
        '    provider: openai:gpt-4o', // 9
        'tests:', // 10
        '  - vars: { question: hi, _conversation: [] }', // 11
        '    options: { transform: output.toUpperCase() }', // 12
        '    assert:', // 13
        '      - type: contains', // 14
        '        value: hi', // 15
        '        weight: 0', // 16
        '      - type: contains', // 17
        '        value: hi', // 18
        '        provider: openai:gpt-4o', // 19
        '  - file://more.csv', // 20
        '',
      ].join('\n'),
      'more.csv': 'question,__expected,__prefix\nhello,contains: hello,Q:\n',
    });
    const result = await runCli(['eval', 'promptfooconfig.yaml'], { cwd: dir, env: env() });
    expect(result.code, result.stderr).toBe(0);
    const warnings = result.stderr.split('\n').filter((l) => l.startsWith('warning:'));
    expect(warnings.filter((l) => l.includes('promptfoo feature'))).toHaveLength(1);
    for (const item of [
      'promptfooconfig.yaml:3: `derivedMetrics`',
      'promptfooconfig.yaml:5: `sharing`',
      'promptfooconfig.yaml:9: defaultTest.options.provider',
      'promptfooconfig.yaml:11: `_conversation`',
      'promptfooconfig.yaml:12: test options.transform',
      'promptfooconfig.yaml:14: assertion (contains) `weight: 0`',
      'promptfooconfig.yaml:17: assertion (contains) `provider`',
      'more.csv:2: CSV column `__prefix`',
    ]) {
      expect(result.stderr).toContain(`  - ${item}`);
    }
    // defaultTest.options.transform is mapped (the spec's transform), not listed.
    expect(result.stderr).not.toContain(': defaultTest.options.transform');
  });

  it('a misspelled key is an error with a suggestion, never a skipped check; a real unmapped feature stays a warning', async () => {
    const base = 'prompts: ["Route: {{ q }}"]\nproviders: [openai:gpt-4o-mini]\n';
    const cases: [string, Record<string, string>, RegExp][] = [
      ['defaultTests', { 'promptfooconfig.yaml': `${base}defaultTests:\n  assert: [{ type: equals, value: billing }]\ntests:\n  - vars: { q: refund }\n` }, /promptfooconfig\.yaml:3:1: unknown key `defaultTests` \(did you mean `defaultTest`\?\)/],
      ['asert', { 'promptfooconfig.yaml': `${base}tests:\n  - vars: { q: refund }\n    asert: [{ type: equals, value: billing }]\n` }, /promptfooconfig\.yaml:5:1: unknown key `asert` \(did you mean `assert`\?\)/],
      ['treshold', { 'promptfooconfig.yaml': `${base}tests:\n  - vars: { q: refund }\n    assert: [{ type: equals, value: billing, treshold: 0.5 }]\n` }, /unknown key `treshold` \(did you mean `threshold`\?\)/],
      ['__expectd', { 'promptfooconfig.yaml': `${base}tests: file://tests.csv\n`, 'tests.csv': 'q,__expectd\nrefund,billing\n' }, /tests\.csv:2:1: unknown key `__expectd` \(did you mean `__expected`\?\)/],
    ];
    for (const [name, files, message] of cases) {
      await write(files);
      const result = await runCli(['eval', 'promptfooconfig.yaml'], { cwd: dir, env: env() });
      expect(result.code, name).toBe(2);
      expect(result.stderr, name).toMatch(message);
      await removeDir(dir);
      await mkdir(dir, { recursive: true });
    }
    expect(server.requests).toHaveLength(0);
    await write({ 'promptfooconfig.yaml': `${base}outputPath: results.json\ntests:\n  - vars: { q: refund }\n    assert: [{ type: equals, value: billing }]\n` });
    const kept = await runCli(['eval', 'promptfooconfig.yaml'], { cwd: dir, env: env() });
    expect(kept.code, kept.stderr).toBe(0);
    expect(kept.stderr).toMatch(/promptfooconfig\.yaml:3: `outputPath`/);
  });

  it('refuses an assertion it cannot map, naming the file, line and type, before any call', async () => {
    await write({
      'promptfooconfig.yaml': ['prompts: ["Summarize {{ text }}"]', 'providers: [openai:gpt-4o-mini]', 'tests:', '  - vars: { text: a long text }', '    assert:', '      - type: similar', '        value: a summary', '        threshold: 0.8', ''].join('\n'),
    });
    const result = await runCli(['eval', 'promptfooconfig.yaml'], { cwd: dir, env: env() });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('promptfooconfig.yaml:6');
    expect(result.stderr).toContain('assertion type "similar" cannot be mapped');
    expect(server.requests).toHaveLength(0);
  });

  it('refuses an unmappable __expected cell too (similar(0.9): ...), at its CSV line', async () => {
    await write({
      'promptfooconfig.yaml': 'prompts: ["Summarize {{ text }}"]\nproviders: [openai:gpt-4o-mini]\ntests: file://tests.csv\n',
      'tests.csv': 'text,__expected\nsome text,contains: text\nother text,similar(0.9): a summary\n',
    });
    const result = await runCli(['eval', 'promptfooconfig.yaml'], { cwd: dir, env: env() });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/tests\.csv:3.*assertion type "similar" cannot be mapped/);
    expect(server.requests).toHaveLength(0);
  });

  it('optimize on a promptfoo config says to import it first (exit 2)', async () => {
    await write(ROUTING);
    const result = await runCli(['optimize', 'promptfooconfig.yaml'], { cwd: dir, env: env() });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('this is a promptfoo config');
    expect(result.stderr).toContain('import promptfoo promptfooconfig.yaml');
    expect(server.requests).toHaveLength(0);
  });
});

describe('import promptfoo', () => {
  it('writes a spec whose eval gives the same results as the config evaluated directly', async () => {
    await write(ROUTING);
    const direct = await runCli(['eval', 'promptfooconfig.yaml', '--json', '--no-cache'], { cwd: dir, env: env() });
    expect(direct.code, direct.stderr).toBe(0);
    const imported = await runCli(['import', 'promptfoo', 'promptfooconfig.yaml', '-o', 'task.yaml'], { cwd: dir, env: env() });
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stdout).toContain('eval task.yaml');
    expect(await readFile(join(dir, 'task.yaml'), 'utf8')).toContain('template: nunjucks');
    expect(await readFile(join(dir, 'task-prompts', 'route.yaml'), 'utf8')).toContain('{{ customer.company | upper }}');
    const before = server.requests.length;
    const fromSpec = await runCli(['eval', 'task.yaml', '--json', '--no-cache'], { cwd: dir, env: env() });
    expect(fromSpec.code, fromSpec.stderr).toBe(0);
    expect(server.requests.length - before).toBe(3);
    const strip = (out: Record<string, any>) => out.cases.map((c: any) => ({ id: c.id, pass: c.pass, score: c.score, output: c.output, failures: c.failures, metrics: c.metrics }));
    expect(strip(parseJsonOut(fromSpec))).toEqual(strip(parseJsonOut(direct)));
    expect(parseJsonOut(fromSpec).score).toBe(parseJsonOut(direct).score);
    // The same messages went out.
    const bodies = server.requests.map((r) => JSON.stringify((r.body as any).messages));
    expect(bodies.slice(before).sort()).toEqual(bodies.slice(0, before).sort());
  });

  it('refuses to write a spec whose checks it could not read from where it is written (outside the project), writing nothing', async () => {
    await write({
      'cfg/promptfooconfig.yaml': 'prompts: ["Route: {{ q }}"]\nproviders: [openai:gpt-4o-mini]\ntests:\n  - vars: { q: refund }\n    assert: [{ type: javascript, value: file://lib/check.js }]\n',
      'cfg/lib/check.js': 'module.exports = (output) => output === "billing";\n',
    });
    await mkdir(join(dir, 'out'));
    const refused = await runCli(['import', 'promptfoo', 'cfg/promptfooconfig.yaml', '-o', 'out/spec.yaml'], { cwd: dir, env: env() });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/could not read its checks: the script cfg\/lib\/check\.js is outside the project .*nothing was written/);
    expect(await readdir(join(dir, 'out'))).toEqual([]);
    // Beside the config it works, and eval of the written spec reads the script.
    const written = await runCli(['import', 'promptfoo', 'cfg/promptfooconfig.yaml'], { cwd: dir, env: env() });
    expect(written.code, written.stderr).toBe(0);
    const evaluated = await runCli(['eval', 'cfg/task.yaml', '--json'], { cwd: dir, env: env() });
    expect(evaluated.code, evaluated.stderr).toBe(0);
    expect(parseJsonOut(evaluated).score).toBe(1);
  });

  it('writes one prompt file per prompt and names the compare command for the others; never overwrites', async () => {
    await write({
      'promptfooconfig.yaml': 'prompts: [file://prompts.txt]\nproviders: [openai:gpt-4o-mini, anthropic:messages:claude-haiku-4-5]\ntests:\n  - vars: { topic: cats }\n    assert: [{ type: icontains, value: cats }]\n',
      'prompts.txt': 'One line about {{ topic }}.\n---\nA haiku about {{ topic }}.\n',
    });
    const first = await runCli(['import', 'promptfoo', 'promptfooconfig.yaml'], { cwd: dir, env: env() });
    expect(first.code, first.stderr).toBe(0);
    expect(await readFile(join(dir, 'task-prompts', 'prompts-1.txt'), 'utf8')).toBe('One line about {{ topic }}.\n');
    expect(await readFile(join(dir, 'task-prompts', 'prompts-2.txt'), 'utf8')).toBe('A haiku about {{ topic }}.\n');
    expect(first.stdout).toContain('compare task.yaml --versions current,task-prompts/prompts-2.txt --models openai:gpt-4o-mini,anthropic:claude-haiku-4-5');
    const again = await runCli(['import', 'promptfoo', 'promptfooconfig.yaml'], { cwd: dir, env: env() });
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('would overwrite');
    const evalSpec = await runCli(['eval', 'task.yaml'], { cwd: dir, env: env() });
    expect(evalSpec.code, evalSpec.stdout + evalSpec.stderr).toBe(0);
  });

  it('leaves the production-log import as it was (promptopt import <task.yaml> <file>)', async () => {
    const result = await runCli(['import', 'task.yaml', 'logs.jsonl', '-o', 'x.yaml'], { cwd: dir, env: env() });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('belong to `promptopt import promptfoo');
  });
});
