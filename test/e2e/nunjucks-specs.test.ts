/**
 * `template: nunjucks` end to end: the request the loopback server receives has the template rendered
 * (filters, conditionals, loops, `{{ item.field }}` on JSON-valued variables, objects printed as JSON),
 * assertion values render with the same engine, and what cannot render is an error before any call:
 * an undefined variable (named, with its case), a syntax error, an unknown filter. Specs without it keep
 * `{{var}}` substitution exactly (`{{my-var}}` is the variable `my-var`).
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir, parseJsonOut, removeDir, runCli, writeSpec } from './helpers/cli.js';
import { startFakeLlmServer, type FakeLlmServer } from '../support/fake-llm-server.js';

const KEY = 'sk-test-nunjucks-0001';
let server: FakeLlmServer;
let dir: string;

beforeAll(async () => {
  server = await startFakeLlmServer({ validKeys: [KEY], respond: () => 'ok' });
});
afterAll(() => server.close());
beforeEach(async () => {
  server.reset();
  dir = await makeTempDir();
});
afterEach(() => removeDir(dir));

const env = () => ({ OPENAI_API_KEY: KEY, OPENAI_BASE_URL: server.openaiBaseUrl });

const PROMPT = [
  '{% if vip %}Priority customer. {% endif %}Hello {{ name | upper }} from {{ customer.address.city }}.',
  '{% for item in items %}- {{ item.sku }} x{{ item.qty }}',
  '{% else %}(no items)',
  '{% endfor %}Customer record: {{ customer }}',
].join('\n');

const ROWS = [
  { id: 'ada', vars: { name: 'ada', vip: true, customer: { address: { city: 'Paris' } }, items: [{ sku: 'A1', qty: 2 }, { sku: 'B2', qty: 1 }] }, expected: 'OK' },
  { id: 'bob', vars: { name: 'bob', customer: { address: { city: 'Lyon' } }, items: [] }, expected: 'OK' },
];

function spec(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: 'orders',
    description: 'Acknowledge an order',
    template: 'nunjucks',
    prompt: 'file://prompt.njk',
    target: { provider: 'openai', model: 'gpt-4o-mini', max_retries: 0 },
    cases: 'cases.jsonl',
    defaults: { assert: [{ type: 'equals', value: '{{ expected | lower }}' }] },
    ...extra,
  };
}

const files = (rows: unknown[] = ROWS, prompt = PROMPT) => ({ 'prompt.njk': prompt, 'cases.jsonl': rows.map((r) => JSON.stringify(r)).join('\n') });

/** The last message of the request whose body holds `marker`. */
function sentFor(marker: string): string {
  const request = server.requests.find((r) => JSON.stringify(r.body).includes(marker));
  expect(request, `a request with ${marker}`).toBeDefined();
  return (request!.body as { messages: { content: string }[] }).messages.at(-1)!.content;
}

describe('template: nunjucks', () => {
  it('renders filters, conditionals, loops and fields of JSON-valued variables; assertion values too', async () => {
    await writeSpec(dir, spec(), { files: files() });
    const result = await runCli(['eval', 'task.yaml', '--json'], { cwd: dir, env: env() });
    expect(result.code, result.stderr).toBe(0);
    expect(parseJsonOut(result).score).toBe(1); // "ok" equals "{{ expected | lower }}" for both
    expect(sentFor('ADA')).toBe('Priority customer. Hello ADA from Paris.\n- A1 x2\n- B2 x1\nCustomer record: {"address":{"city":"Paris"}}');
    expect(sentFor('BOB')).toBe('Hello BOB from Lyon.\n(no items)\nCustomer record: {"address":{"city":"Lyon"}}');
  });

  it('a variable a case lacks is an error naming the case, before any call (never an empty or literal placeholder)', async () => {
    const rows = [ROWS[0], { id: 'cid', vars: { name: 'cid', items: [] }, expected: 'OK' }];
    await writeSpec(dir, spec(), { files: files(rows) });
    const result = await runCli(['eval', 'task.yaml'], { cwd: dir, env: env() });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('prompt.njk:1:');
    expect(result.stderr).toContain('template variable "{{customer.address.city}}" is not provided by case "cid"');
    expect(server.count).toBe(0);
  });

  it('a value printed inside a loop that is undefined for some case is found by rendering that case', async () => {
    const rows = [ROWS[0], { id: 'dan', vars: { name: 'dan', customer: { address: { city: 'Rome' } }, items: [{ sku: 'C3' }] }, expected: 'OK' }];
    await writeSpec(dir, spec(), { files: files(rows) });
    const result = await runCli(['eval', 'task.yaml'], { cwd: dir, env: env() });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/the template cannot be rendered for case "dan" .*attempted to output null or undefined value/);
    expect(server.count).toBe(0);
  });

  it('a syntax error and an unknown filter are refused with the template line', async () => {
    await writeSpec(dir, spec(), { files: files(ROWS, 'Hello {{ name | upper }}\n{% if vip %}Priority') });
    let result = await runCli(['eval', 'task.yaml'], { cwd: dir, env: env() });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('not a valid Nunjucks template');

    await writeSpec(dir, spec(), { files: files(ROWS, 'Order acknowledged.\n\nHello {{ name | shout }}') });
    result = await runCli(['eval', 'task.yaml'], { cwd: dir, env: env() });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('unknown filter "shout" (template line 3, column 17)');
    expect(result.stderr).toContain('prompt.njk:3:17: prompt: not a valid Nunjucks template'); // where the filter is, for an editor
    expect(server.count).toBe(0);
  });

  it('an assertion value that reads an undefined variable is refused before any call', async () => {
    await writeSpec(dir, spec({ defaults: { assert: [{ type: 'contains', value: '{{ nickname | lower }}' }] } }), { files: files() });
    const result = await runCli(['eval', 'task.yaml'], { cwd: dir, env: env() });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('defaults.assert[0].value: template variable "{{nickname}}" is not provided by any case');
    expect(server.count).toBe(0);
  });
});

describe('without template: nunjucks', () => {
  it('{{var}} specs keep their behaviour: {{my-var}} is a variable, not a subtraction', async () => {
    await writeSpec(
      dir,
      {
        name: 'plain',
        description: 'plain substitution',
        prompt: 'Ticket {{ticket-id}}: {{input}}',
        target: { provider: 'openai', model: 'gpt-4o-mini', max_retries: 0 },
        cases: [{ vars: { 'ticket-id': 'T-7', input: 'HELLO there' }, expected: 'ok' }],
        defaults: { assert: [{ type: 'equals', value: '{{expected}}' }] },
      },
    );
    const result = await runCli(['eval', 'task.yaml', '--json'], { cwd: dir, env: env() });
    expect(result.code, result.stderr).toBe(0);
    expect(sentFor('HELLO there')).toBe('Ticket T-7: HELLO there');
  });

  it('Nunjucks syntax in a {{var}} spec is sent as written, with a warning that says how to render it', async () => {
    await writeSpec(dir, {
      name: 'plain',
      description: 'plain substitution',
      prompt: 'Hello {{ input | upper }}, {{input}}',
      target: { provider: 'openai', model: 'gpt-4o-mini', max_retries: 0 },
      cases: [{ input: 'HELLO there', expected: 'ok' }, { input: 'HELLO again', expected: 'ok' }],
      defaults: { assert: [{ type: 'equals', value: '{{expected}}' }] },
    });
    const result = await runCli(['eval', 'task.yaml', '--json'], { cwd: dir, env: env() });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain('warning: task.yaml (prompt): "{{ input | upper }}" is Nunjucks syntax');
    expect(result.stderr).toContain('template: nunjucks');
    expect(sentFor('HELLO there')).toBe('Hello {{ input | upper }}, HELLO there');
  });
});
