/**
 * A spec may be written by someone else (a pull request), so it does not decide where keys and data
 * go: a file outside its project, a base_url that would receive a key, a webhook header fed from a
 * key variable are each refused with exit 2 before any request (the loopback server and the webhook
 * receiver record none), with a message naming the field and --trust-spec. What a trusted setup
 * needs still works: files inside the git work tree, the provider's own host, loopback, a base URL
 * from the environment, and --trust-spec.
 */
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir, parseJsonOut, removeDir, runCli, writeSpec } from './helpers/cli.js';
import { sentimentSpec, startSentimentServer, type E2eServer } from './helpers/sentiment-task.js';
import { startReceiver, type WebhookReceiver } from './helpers/webhook-receiver.js';

const KEY = ['sk-test', 'hostile', '0004'].join('-');
const COLLECTOR = 'https://collector.example.net/v1';
let fake: E2eServer;
let receiver: WebhookReceiver;
let root: string;
/** The project: a folder outside git (so the project is this folder), beside `outside/`. */
let project: string;

beforeAll(async () => {
  fake = await startSentimentServer({ validKeys: [KEY] });
  receiver = await startReceiver();
});
afterAll(async () => {
  await fake.server.close();
  await receiver.close();
});
beforeEach(async () => {
  fake.reset();
  receiver.received.length = 0;
  root = await makeTempDir('promptopt-hostile-');
  project = join(root, 'project');
  await mkdir(project);
  await mkdir(join(root, 'outside'));
  await writeFile(join(root, 'outside', 'prompt.md'), 'Classify (read from outside): {{input}}\n');
  await writeFile(join(root, 'outside', 'cases.jsonl'), '{"input": "I love this phone, the battery lasts for days", "expected": "positive"}\n');
  await writeFile(join(root, 'outside', 'schema.json'), '{"type": "string"}\n');
});
afterEach(() => removeDir(root));

const loopbackTarget = () => ({ provider: 'openai-compatible' as const, model: 'local-llama', base_url: fake.server.openaiBaseUrl });
const cli = (args: string[], env: Record<string, string> = {}, cwd = project) => runCli(args, { cwd, env: { OPENAI_API_KEY: KEY, ...env } });

interface Hostile {
  name: string;
  spec: () => Record<string, unknown>;
  /** Set up files in the project before the run. */
  prepare?: () => Promise<void>;
  env?: Record<string, string>;
  path: string;
  message: RegExp;
}

const HOSTILE: Hostile[] = [
  {
    name: 'prompt: file:///proc/self/environ (the environment, keys included)',
    spec: () => sentimentSpec(loopbackTarget(), { prompt: 'file:///proc/self/environ' }),
    path: 'prompt',
    message: /prompt file \/proc\/self\/environ is outside the project/,
  },
  {
    name: 'prompt: file://../ out of a project that is not in git',
    spec: () => sentimentSpec(loopbackTarget(), { prompt: 'file://../outside/prompt.md' }),
    path: 'prompt',
    message: /prompt file .*outside\/prompt\.md is outside the project/,
  },
  {
    name: 'prompt: a symlink inside the project that points outside it',
    prepare: () => symlink(join(root, 'outside', 'prompt.md'), join(project, 'prompt.md')),
    spec: () => sentimentSpec(loopbackTarget(), { prompt: 'file://prompt.md' }),
    path: 'prompt',
    message: /prompt file prompt\.md is outside the project/,
  },
  {
    name: 'cases: a file outside the project',
    spec: () => sentimentSpec(loopbackTarget(), { cases: '../outside/cases.jsonl' }),
    path: 'cases',
    message: /cases file .*outside\/cases\.jsonl is outside the project/,
  },
  {
    name: 'an assertion schema file outside the project',
    spec: () => sentimentSpec(loopbackTarget(), { defaults: { assert: [{ type: 'equals', value: '{{expected}}' }, { type: 'not-is-json', value: 'file://../outside/schema.json' }] } }),
    path: 'defaults.assert[1].value',
    message: /assertion file .*outside\/schema\.json is outside the project/,
  },
  {
    name: 'a versions folder outside the project (versions are files whose extension and text the spec decides)',
    spec: () => sentimentSpec(loopbackTarget(), { versions_dir: '../outside/autostart' }),
    path: 'versions_dir',
    message: /versions folder .*outside\/autostart is outside the project .*: a spec writes only inside the git work tree/,
  },
  {
    name: 'a cache folder elsewhere (an absolute path)',
    spec: () => sentimentSpec(loopbackTarget(), { cache: { dir: join(root, 'outside', '.cache') } }),
    path: 'cache.dir',
    message: /cache folder .*outside\/\.cache is outside the project/,
  },
  {
    name: 'target.base_url on a host of the spec\'s choosing (openai-compatible)',
    spec: () => sentimentSpec({ ...loopbackTarget(), base_url: COLLECTOR }),
    path: 'target.base_url',
    message: /a spec may not send OPENAI_API_KEY to https:\/\/collector\.example\.net: keys go only to a loopback address or the base URL in OPENAI_BASE_URL/,
  },
  {
    name: 'a judge base_url elsewhere, while the target is on loopback (nothing is called first)',
    spec: () =>
      sentimentSpec(loopbackTarget(), {
        judge: { provider: 'openai', model: 'gpt-4o-mini', base_url: COLLECTOR },
        defaults: { assert: [{ type: 'llm-rubric', value: 'says {{expected}}' }] },
      }),
    path: 'judge.base_url',
    message: /a spec may not send OPENAI_API_KEY to https:\/\/collector\.example\.net: keys go only to openai's own https:\/\/api\.openai\.com/,
  },
  {
    name: 'the provider\'s own host over plain http',
    spec: () => sentimentSpec({ provider: 'openai', model: 'gpt-4o-mini', base_url: 'http://api.openai.com/v1' }),
    path: 'target.base_url',
    message: /may not send OPENAI_API_KEY to http:\/\/api\.openai\.com/,
  },
  {
    name: 'a webhook header fed from the provider\'s key variable',
    spec: () => sentimentSpec(loopbackTarget(), { notify: { webhooks: receiver.url, headers_env: { Authorization: 'OPENAI_API_KEY' } } }),
    path: 'notify.headers_env.Authorization',
    message: /OPENAI_API_KEY holds a model provider's API key; a webhook header may not send it/,
  },
  {
    name: 'a webhook header fed from a key variable the spec names in api_key_env',
    spec: () =>
      sentimentSpec({ ...loopbackTarget(), api_key_env: ['TEAM_LLM_CRED'] }, { notify: { webhooks: receiver.url, headers_env: { 'X-Token': 'TEAM_LLM_CRED' } } }),
    env: { TEAM_LLM_CRED: KEY },
    path: 'notify.headers_env.X-Token',
    message: /TEAM_LLM_CRED holds a model provider's API key/,
  },
];

describe('hostile specs: exit 2, the field and --trust-spec named, zero requests', () => {
  for (const hostile of HOSTILE) {
    it(hostile.name, async () => {
      await hostile.prepare?.();
      await writeSpec(project, hostile.spec());
      const result = await cli(['eval', 'task.yaml', '--json'], hostile.env);
      expect(result.code, result.stderr).toBe(2);
      const errorLine = result.stderr.split('\n').find((line) => line.startsWith('error: '))!;
      expect(errorLine, result.stderr).toMatch(new RegExp(`^error: task\\.yaml:\\d+:\\d+: ${hostile.path.replace(/[.[\]]/g, '\\$&')}: `));
      expect(errorLine).toMatch(hostile.message);
      expect(errorLine).toMatch(/--trust-spec|token in a variable of its own/);
      expect(parseJsonOut(result).error).toMatchObject({ code: 'SPEC_INVALID', path: hostile.path, file: 'task.yaml' });
      expect(fake.server.requests).toEqual([]);
      expect(receiver.received).toEqual([]);
      expect(result.stdout + result.stderr).not.toContain(KEY);
    });
  }

  it('a home folder kept in git is not a project: a spec below it reads only its own folder', async () => {
    const home = join(root, 'home');
    await mkdir(join(home, '.git'), { recursive: true });
    await mkdir(join(home, 'work'));
    await writeFile(join(home, 'notes.md'), 'private notes {{input}}\n');
    await writeSpec(join(home, 'work'), sentimentSpec(loopbackTarget(), { prompt: 'file://../notes.md' }));
    const result = await cli(['eval', 'task.yaml'], { HOME: home }, join(home, 'work'));
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toMatch(/prompt file .*notes\.md is outside the project/);
    expect(fake.server.requests).toEqual([]);
  });

  it('compare and optimize refuse the same way', async () => {
    await writeSpec(project, sentimentSpec({ ...loopbackTarget(), base_url: COLLECTOR }));
    for (const args of [['compare', 'task.yaml'], ['optimize', 'task.yaml']]) {
      const result = await cli(args);
      expect(result.code, result.stderr).toBe(2);
      expect(result.stderr).toMatch(/target\.base_url: a spec may not send OPENAI_API_KEY/);
    }
    expect(fake.server.requests).toEqual([]);
  });
});

describe('what a trusted setup needs still works', () => {
  it('a spec inside a git work tree reads file://../ elsewhere in that work tree', async () => {
    await mkdir(join(root, '.git'));
    await mkdir(join(root, 'evals'));
    await writeSpec(join(root, 'evals'), sentimentSpec(loopbackTarget(), { prompt: 'file://../outside/prompt.md', cases: '../outside/cases.jsonl' }));
    // (HOME elsewhere: a home folder is never taken for a project, even with a .git in it.)
    const result = await cli(['eval', 'evals/task.yaml', '--json'], { HOME: join(root, 'outside') }, root);
    expect(result.code, result.stderr).toBe(0);
    expect(fake.server.requests).toHaveLength(1);
    expect(JSON.stringify(fake.server.requests[0]!.body)).toContain('read from outside');
  });

  it('--trust-spec (before or after the command) lets the spec read outside its project and use its base_url', async () => {
    await writeSpec(project, sentimentSpec(loopbackTarget(), { prompt: 'file://../outside/prompt.md' }));
    const read = await cli(['eval', 'task.yaml', '--json', '--trust-spec']);
    expect(read.code, read.stderr).toBe(0); // it ran: 3 of 4 right, above the threshold
    expect(fake.server.requests).toHaveLength(4);
    expect(JSON.stringify(fake.server.requests[0]!.body)).toContain('read from outside');

    await writeSpec(project, sentimentSpec({ ...loopbackTarget(), base_url: COLLECTOR }));
    const dryRun = await cli(['--trust-spec', 'eval', 'task.yaml', '--dry-run', '--json']);
    expect(dryRun.code, dryRun.stderr).toBe(0); // validated and models built; a dry run calls nothing
    expect((await cli(['eval', 'task.yaml', '--dry-run'])).code).toBe(2);
  });

  it('a base URL from the environment, the provider\'s own host, and loopback need no flag', async () => {
    await writeSpec(project, sentimentSpec({ ...loopbackTarget(), base_url: COLLECTOR }));
    expect((await cli(['eval', 'task.yaml', '--dry-run'], { OPENAI_BASE_URL: COLLECTOR })).code).toBe(0);
    await writeSpec(project, sentimentSpec({ provider: 'openai', model: 'gpt-4o-mini', base_url: 'https://api.openai.com/v1/' }));
    expect((await cli(['eval', 'task.yaml', '--dry-run'])).code).toBe(0);
    await writeSpec(project, sentimentSpec({ ...loopbackTarget(), base_url: fake.server.openaiBaseUrl.replace('127.0.0.1', 'localhost') }));
    expect((await cli(['eval', 'task.yaml', '--dry-run'])).code).toBe(0);
    expect(fake.server.requests).toEqual([]);
  });

  it('a --notify URL with user:password@ is delivered with Basic authentication, and the password is never printed', async () => {
    await writeSpec(project, sentimentSpec(loopbackTarget(), { threshold: 0.9 }));
    const hook = receiver.url.replace('http://', 'http://hook-user:s3cret%20pass@');
    const result = await cli(['eval', 'task.yaml', '--notify', hook]);
    expect(result.code, result.stderr).toBe(1); // below the threshold: `degradation` is sent
    expect(receiver.received).toHaveLength(1);
    const [received] = receiver.received;
    expect(received!.path).toBe('/hook');
    expect(received!.headers.authorization).toBe(`Basic ${Buffer.from('hook-user:s3cret pass').toString('base64')}`);
    expect(received!.body.type).toBe('degradation');
    expect(result.stdout + result.stderr).not.toMatch(/s3cret|hook-user/);
  });
});
