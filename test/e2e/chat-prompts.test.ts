/**
 * Chat-format prompts and per-prompt model config, end to end through the CLI and the real SDKs
 * against the loopback server, reading the requests it received: each turn arrives as a message of its
 * own role (OpenAI: system first in `messages`; Anthropic: the top-level `system`), each content
 * rendered; a `.yaml`/`.json` prompt file is a message list, never literal YAML/JSON text;
 * `response_format` goes out the way each API takes it (OpenAI `response_format`, Anthropic
 * `output_config.format`), and what cannot be sent is refused before any call.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir, parseJsonOut, removeDir, runCli, writeSpec } from './helpers/cli.js';
import { startFakeLlmServer, type FakeLlmServer, type FakeRequest } from '../support/fake-llm-server.js';

const KEY = 'sk-test-chat-0001';
let server: FakeLlmServer;
let dir: string;

/** The fake model: "billing" when the last user turn mentions money, else "tech". */
function route(request: FakeRequest): string {
  const last = request.messages.at(-1)?.content ?? '';
  return /refund|charge|invoice/i.test(last) ? 'billing' : 'tech';
}

beforeAll(async () => {
  server = await startFakeLlmServer({ validKeys: [KEY], respond: route });
});
afterAll(() => server.close());
beforeEach(async () => {
  server.reset();
  dir = await makeTempDir();
});
afterEach(() => removeDir(dir));

const MESSAGES = [
  { role: 'system', content: 'You route support tickets for {{company}}.\nReply with the team name only.' },
  { role: 'user', content: 'Ticket: my card was charged twice' },
  { role: 'assistant', content: 'billing' },
  { role: 'user', content: 'Ticket: {{input}}' },
];
const CASES = [
  { id: 'refund', vars: { input: 'I want a refund for my order', company: 'Acme' }, expected: 'billing' },
  { id: 'login', vars: { input: 'The app crashes at login', company: 'Globex' }, expected: 'tech' },
];

function spec(target: Record<string, unknown>, prompt: unknown, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: 'ticket-routing',
    description: 'Route a support ticket',
    prompt,
    target: { max_retries: 0, ...target },
    cases: CASES,
    defaults: { assert: [{ type: 'equals', value: '{{expected}}' }] },
    ...extra,
  };
}

const OPENAI = { provider: 'openai', model: 'gpt-4o-mini' };
const ANTHROPIC = { provider: 'anthropic', model: 'claude-haiku-4-5' };
const env = () => ({ OPENAI_API_KEY: KEY, OPENAI_BASE_URL: server.openaiBaseUrl, ANTHROPIC_API_KEY: KEY, ANTHROPIC_BASE_URL: server.anthropicBaseUrl });

/** The body of the request sent for a case, by the input its last message carries. */
function bodyFor(input: string): Record<string, any> {
  const found = server.requests.find((r) => JSON.stringify(r.body).includes(input));
  expect(found, `a request for "${input}"`).toBeDefined();
  return found!.body as Record<string, any>;
}

describe('chat-format prompts', () => {
  it('OpenAI: an inline message list arrives as separate messages with their roles, each rendered', async () => {
    await writeSpec(dir, spec(OPENAI, MESSAGES));
    const result = await runCli(['eval', 'task.yaml', '--json'], { cwd: dir, env: env() });
    expect(result.code, result.stderr).toBe(0);
    expect(parseJsonOut(result).score).toBe(1);
    expect(bodyFor('refund for my order').messages).toEqual([
      { role: 'system', content: 'You route support tickets for Acme.\nReply with the team name only.' },
      { role: 'user', content: 'Ticket: my card was charged twice' },
      { role: 'assistant', content: 'billing' },
      { role: 'user', content: 'Ticket: I want a refund for my order' },
    ]);
    expect(bodyFor('crashes at login').messages[0].content).toBe('You route support tickets for Globex.\nReply with the team name only.');
  });

  it('Anthropic: the system message becomes `system`, the other turns `messages`', async () => {
    await writeSpec(dir, spec(ANTHROPIC, MESSAGES));
    const result = await runCli(['eval', 'task.yaml', '--json'], { cwd: dir, env: env() });
    expect(result.code, result.stderr).toBe(0);
    const body = bodyFor('refund for my order');
    expect(body.system).toBe('You route support tickets for Acme.\nReply with the team name only.');
    expect(body.messages).toEqual([
      { role: 'user', content: 'Ticket: my card was charged twice' },
      { role: 'assistant', content: 'billing' },
      { role: 'user', content: 'Ticket: I want a refund for my order' },
    ]);
  });

  it('a prompt.yaml file holding the list is a chat prompt (not literal YAML text); prompt.json too', async () => {
    const yamlFile = [
      '# the routing conversation',
      '- role: system',
      '  content: |-',
      '    You route support tickets for {{company}}.',
      '    Reply with the team name only.',
      '- role: user',
      '  content: "Ticket: {{input}}"',
      '',
    ].join('\n');
    await writeSpec(dir, spec(OPENAI, 'file://prompt.yaml'), { files: { 'prompt.yaml': yamlFile } });
    let result = await runCli(['eval', 'task.yaml', '--json'], { cwd: dir, env: env() });
    expect(result.code, result.stderr).toBe(0);
    const sent = bodyFor('refund for my order').messages;
    expect(sent).toEqual([
      { role: 'system', content: 'You route support tickets for Acme.\nReply with the team name only.' },
      { role: 'user', content: 'Ticket: I want a refund for my order' },
    ]);
    expect(JSON.stringify(sent)).not.toContain('role: system');

    server.reset();
    const json = JSON.stringify(MESSAGES.filter((m) => m.role !== 'assistant').slice(0, 1).concat([{ role: 'user', content: 'Ticket: {{input}}' }]), null, 2);
    await writeSpec(dir, spec(OPENAI, 'file://prompt.json'), { files: { 'prompt.json': json } });
    result = await runCli(['eval', 'task.yaml', '--json', '--no-cache'], { cwd: dir, env: env() });
    expect(result.code, result.stderr).toBe(0);
    expect(bodyFor('crashes at login').messages.map((m: { role: string }) => m.role)).toEqual(['system', 'user']);
  });

  it('a prompt.yaml that is not a message list is an error at its file, before any call', async () => {
    await writeSpec(dir, spec(OPENAI, 'file://prompt.yaml'), { files: { 'prompt.yaml': 'Route this ticket: {{input}}\n' } });
    const result = await runCli(['eval', 'task.yaml'], { cwd: dir, env: env() });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('prompt.yaml');
    expect(result.stderr).toContain('must hold a list of chat messages');
    expect(server.count).toBe(0);
  });

  it('a message list with a wrong role, a misplaced system message or a missing variable is refused with its path', async () => {
    const bad = [
      { role: 'user', content: 'Ticket: {{input}}' },
      { role: 'system', content: 'late system' },
      { role: 'robot', content: 'x' },
    ];
    await writeSpec(dir, spec(OPENAI, bad));
    let result = await runCli(['eval', 'task.yaml'], { cwd: dir, env: env() });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/prompt\[2\]\.role: unknown value "robot"/);

    await writeSpec(dir, spec(OPENAI, bad.slice(0, 2)));
    result = await runCli(['eval', 'task.yaml'], { cwd: dir, env: env() });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('prompt[1].role: a system message must come first');

    await writeSpec(dir, spec(OPENAI, [{ role: 'user', content: 'Ticket: {{ticket}}' }]));
    result = await runCli(['eval', 'task.yaml'], { cwd: dir, env: env() });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/prompt\[0\]\.content: template variable "\{\{ticket\}\}" is not provided by any case/);
    expect(server.count).toBe(0);
  });
});

describe('chat prompts in place of the spec\'s: eval --prompt and compare', () => {
  it('another conversation file is evaluated as a conversation; a text file for a chat spec is refused', async () => {
    const other = '- role: system\n  content: "Other rules for {{company}}"\n- role: user\n  content: "{{input}}"\n';
    await writeSpec(dir, spec(OPENAI, MESSAGES), { files: { 'other.yaml': other, 'plain.md': 'Route {{input}}' } });
    let result = await runCli(['compare', 'task.yaml', '--versions', 'current,other.yaml', '--min-cases', '1', '--json'], { cwd: dir, env: env() });
    expect(result.code, result.stderr).toBe(0);
    expect(bodyFor('Other rules for Acme').messages).toEqual([
      { role: 'system', content: 'Other rules for Acme' },
      { role: 'user', content: 'I want a refund for my order' },
    ]);
    expect(bodyFor('You route support tickets for Acme').messages).toHaveLength(4);

    server.reset();
    result = await runCli(['eval', 'task.yaml', '--prompt', 'plain.md'], { cwd: dir, env: env() });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("the task's prompt is a chat prompt (a list of messages), but plain.md is not a .yaml or .json message list");
    expect(server.count).toBe(0);
  });
});

describe('response_format: structured output through each SDK', () => {
  const FORMAT = {
    type: 'json_schema',
    json_schema: {
      name: 'routing',
      strict: true,
      schema: { type: 'object', properties: { team: { type: 'string', enum: ['billing', 'tech'] } }, required: ['team'], additionalProperties: false },
    },
  };

  it('OpenAI gets `response_format` as written; Anthropic gets the schema as `output_config.format`', async () => {
    await writeSpec(dir, spec(OPENAI, MESSAGES, { response_format: FORMAT }));
    let result = await runCli(['eval', 'task.yaml', '--json'], { cwd: dir, env: env() });
    expect(result.code, result.stderr).toBe(0);
    expect(bodyFor('refund for my order').response_format).toEqual(FORMAT);

    server.reset();
    await writeSpec(dir, spec(ANTHROPIC, MESSAGES, { response_format: FORMAT }));
    result = await runCli(['eval', 'task.yaml', '--json'], { cwd: dir, env: env() });
    expect(result.code, result.stderr).toBe(0);
    const body = bodyFor('refund for my order');
    expect(body.output_config).toEqual({ format: { type: 'json_schema', schema: FORMAT.json_schema.schema } });
    expect(body.response_format).toBeUndefined();
  });

  it('a response_format file is read; a changed format is a new request, not a cache hit', async () => {
    await writeSpec(dir, spec(OPENAI, MESSAGES, { response_format: 'file://format.json' }), { files: { 'format.json': JSON.stringify(FORMAT) } });
    let result = await runCli(['eval', 'task.yaml', '--json'], { cwd: dir, env: env() });
    expect(result.code, result.stderr).toBe(0);
    expect(server.count).toBe(2);
    result = await runCli(['eval', 'task.yaml', '--json'], { cwd: dir, env: env() });
    expect(server.count).toBe(2); // cached
    const other = { ...FORMAT, json_schema: { ...FORMAT.json_schema, name: 'routing_v2' } };
    await writeSpec(dir, spec(OPENAI, MESSAGES, { response_format: other }));
    result = await runCli(['eval', 'task.yaml', '--json'], { cwd: dir, env: env() });
    expect(result.code, result.stderr).toBe(0);
    expect(server.count).toBe(4);
  });

  it('json_object is refused for an anthropic target, and for OpenAI without "json" in the prompt, before any call', async () => {
    await writeSpec(dir, spec(ANTHROPIC, MESSAGES, { response_format: { type: 'json_object' } }));
    let result = await runCli(['eval', 'task.yaml'], { cwd: dir, env: env() });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('response_format.type: anthropic has no JSON mode without a schema');

    await writeSpec(dir, spec(OPENAI, MESSAGES, { response_format: { type: 'json_object' } }));
    result = await runCli(['eval', 'task.yaml'], { cwd: dir, env: env() });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('requires the word "json" in the messages');
    expect(server.count).toBe(0);

    const jsonPrompt = [{ role: 'system', content: 'Reply with a JSON object {"team": ...}.' }, { role: 'user', content: '{{input}}' }];
    await writeSpec(dir, spec(OPENAI, jsonPrompt, { response_format: { type: 'json_object' }, defaults: { assert: [{ type: 'is-json' }] } }));
    server.reset();
    result = await runCli(['eval', 'task.yaml', '--json'], { cwd: dir, env: env() });
    // The fake model answers a bare word, so is-json fails, but every request was accepted with its response_format.
    expect(server.requests.every((r) => r.status === 200 && (r.body as any).response_format.type === 'json_object')).toBe(true);
    expect(server.count).toBe(2);
    expect(result.code).toBe(1);
  });

  it('a response_format of the wrong shape names the field', async () => {
    await writeSpec(dir, spec(OPENAI, MESSAGES, { response_format: { type: 'json_schema' } }));
    const result = await runCli(['eval', 'task.yaml'], { cwd: dir, env: env() });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('response_format.json_schema: type json_schema needs a json_schema');
  });
});
