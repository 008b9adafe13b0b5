import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSpec } from '../../src/session/load-spec.js';
import { issueAt, lines, specErrorOf, writeFiles } from './helpers.js';

const BASE = ['name: t', 'description: d', 'prompt: "Answer: {{input}}"', 'target:', '  provider: sim', '  model: sim-classifier', 'cases:', '  - { input: hello, expected: hi,', '      assert: [{ type: equals, value: "{{expected}}" }] }'];

function specFile(...notify: string[]): string {
  const dir = writeFiles({ 'task.yaml': lines(...BASE, ...notify) });
  return join(dir, 'task.yaml');
}

describe('spec: notify', () => {
  it('is absent unless given', async () => {
    expect((await loadSpec(specFile())).notify).toBeUndefined();
  });

  it('takes one URL, with every event by default and no headers', async () => {
    const spec = await loadSpec(specFile('notify:', '  webhooks: https://hooks.example.com/promptopt'));
    expect(spec.notify).toEqual({
      webhooks: ['https://hooks.example.com/promptopt'],
      events: ['new_version', 'degradation', 'budget_warning', 'budget_exhausted', 'feedback_threshold'],
      headers: {},
    });
  });

  it('takes a list of URLs, chosen events and headers from environment variables', async () => {
    const spec = await loadSpec(
      specFile(
        'notify:',
        '  webhooks:',
        '    - http://127.0.0.1:8080/hook',
        '    - https://hooks.example.com/promptopt?channel=ops',
        '  events: [degradation, new_version, degradation]',
        '  headers_env:',
        '    Authorization: WEBHOOK_AUTH',
        '    X-Team: TEAM_NAME',
      ),
    );
    expect(spec.notify).toEqual({
      webhooks: ['http://127.0.0.1:8080/hook', 'https://hooks.example.com/promptopt?channel=ops'],
      events: ['new_version', 'degradation'],
      headers: { Authorization: 'WEBHOOK_AUTH', 'X-Team': 'TEAM_NAME' },
    });
  });

  it('an unknown event: did you mean, with file, path, line and column', async () => {
    const error = await specErrorOf(loadSpec(specFile('notify:', '  webhooks: https://h.example.com/x', '  events: [new_version, degredation]')));
    const issue = issueAt(error, 'notify.events[1]');
    expect(issue.message).toBe('unknown value "degredation" (did you mean "degradation"?)');
    expect(issue.hint).toBe('one of: new_version, degradation, budget_warning, budget_exhausted, feedback_threshold');
    expect(issue).toMatchObject({ file: expect.stringMatching(/task\.yaml$/), line: 12, column: 25 });
  });

  it('a webhook that is not an http(s) URL', async () => {
    const error = await specErrorOf(loadSpec(specFile('notify:', '  webhooks:', '    - https://ok.example.com/x', '    - ftp://files.example.com/drop')));
    const issue = issueAt(error, 'notify.webhooks[1]');
    expect(issue.message).toBe('a webhook must be an http:// or https:// URL');
    expect(issue).toMatchObject({ line: 13, column: 7 });
  });

  it('refuses a credential written into a webhook URL, without repeating it', async () => {
    const error = await specErrorOf(loadSpec(specFile('notify:', '  webhooks: https://h.example.com/x?token=abc123SECRET')));
    const issue = issueAt(error, 'notify.webhooks');
    expect(issue.message).toMatch(/must not carry a credential in its query \("token=\.\.\."\)/);
    expect(error.message).not.toContain('abc123SECRET');
    expect(issue.line).toBe(11);
  });

  it('refuses a token where a header\'s environment variable name belongs, like api keys', async () => {
    const token = 'sk-live-abcdefghijklmnop0123456789';
    const error = await specErrorOf(loadSpec(specFile('notify:', '  webhooks: https://h.example.com/x', '  headers_env:', `    Authorization: ${token}`)));
    const issue = issueAt(error, 'notify.headers_env.Authorization');
    expect(issue.message).toBe('this looks like a token, not an environment variable name');
    expect(issue.line).toBe(13);
    expect(error.message).not.toContain(token);
    // Not also reported as a literal key: `Authorization` here names a header whose value is an env var.
    expect(error.issues).toHaveLength(1);
  });

  it('refuses an invalid header name and an unknown key', async () => {
    const error = await specErrorOf(loadSpec(specFile('notify:', '  webhooks: https://h.example.com/x', '  event: [degradation]', '  headers_env:', '    "Bad Header": TOKEN_VAR')));
    expect(issueAt(error, 'notify.event').message).toBe('unknown key "event" (did you mean "events"?)');
    expect(issueAt(error, 'notify.headers_env.Bad Header').message).toBe('"Bad Header" is not a valid HTTP header name');
  });

  it('needs at least one webhook', async () => {
    const error = await specErrorOf(loadSpec(specFile('notify:', '  events: [degradation]')));
    expect(issueAt(error, 'notify.webhooks').message).toBe('missing required field');
  });
});

describe('spec: notify events as one value', () => {
  it('a single event name is allowed, and a misspelt one gets did-you-mean', async () => {
    expect((await loadSpec(specFile('notify:', '  webhooks: https://h.example.com/x', '  events: degradation'))).notify?.events).toEqual(['degradation']);
    const error = await specErrorOf(loadSpec(specFile('notify:', '  webhooks: https://h.example.com/x', '  events: budget_warn')));
    expect(issueAt(error, 'notify.events').message).toBe('unknown value "budget_warn" (did you mean "budget_warning"?)');
  });
});
