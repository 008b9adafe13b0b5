import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ResponseCache } from '../../src/runner/response-cache.js';
import { cacheKey } from '../../src/runner/cache-key.js';
import { cachePaths } from '../../src/runner/cache/cache-paths.js';
import { inspectCacheFiles } from '../../src/runner/cache/inspect-cache-files.js';
import { writeStamp } from '../../src/runner/cache/clean-close-stamp.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'promptopt-cache-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const response = { text: 'hi', usage: { inputTokens: 3, outputTokens: 1 }, latencyMs: 12, costUsd: 0.5, model: 'm' };
const model = { provider: 'openai' as const, modelId: 'gpt-4o-mini' };
const request = { messages: [{ role: 'user' as const, content: 'hello' }], maxTokens: 10 };

describe('cacheKey', () => {
  it('changes with every input that determines a response', () => {
    const base = cacheKey(model, request, 0);
    expect(cacheKey(model, request, 0)).toBe(base);
    expect(cacheKey(model, request, 1)).not.toBe(base);
    expect(cacheKey({ ...model, modelId: 'gpt-4o' }, request, 0)).not.toBe(base);
    expect(cacheKey({ ...model, provider: 'openrouter' }, request, 0)).not.toBe(base);
    expect(cacheKey(model, { ...request, temperature: 0.7 }, 0)).not.toBe(base);
    expect(cacheKey(model, { ...request, maxTokens: 11 }, 0)).not.toBe(base);
    expect(cacheKey(model, { ...request, system: 'x' }, 0)).not.toBe(base);
    expect(cacheKey(model, request, 0, 'run-1')).not.toBe(base);
    expect(cacheKey({ ...model, baseUrl: 'http://127.0.0.1:1/v1' }, request, 0)).not.toBe(base);
  });
});

describe('ResponseCache', () => {
  it('round-trips a response and marks it cached', async () => {
    const cache = new ResponseCache(dir);
    expect(await cache.get('k')).toBeUndefined();
    await cache.put('k', response);
    expect(await cache.get('k')).toEqual({ ...response, cached: true });
    expect(await cache.has('k')).toBe(true);
  });

  it('survives concurrent writers to the same and different keys', async () => {
    const a = new ResponseCache(dir);
    const b = new ResponseCache(dir);
    await Promise.all(
      Array.from({ length: 50 }, (_, i) => (i % 2 ? a : b).put(`k${i % 10}`, { ...response, text: `v${i % 10}` })),
    );
    for (let i = 0; i < 10; i++) expect((await a.get(`k${i}`))?.text).toBe(`v${i}`);
    expect((await a.stats()).entries).toBe(10);
  });

  it('keeps every committed entry readable when a writer is killed mid-write (kill -9)', async () => {
    // The writer runs the built cache (npm test builds first).
    const child = spawn(process.execPath, [fileURLToPath(new URL('./fixtures/cache-writer.mjs', import.meta.url)), dir], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        if (chunk.toString().includes('wrote 200')) resolve();
      });
      child.on('exit', (code) => reject(new Error(`writer exited early (${code})`)));
    });
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));
    const cache = new ResponseCache(dir);
    const keys = await cache.keys();
    expect(keys.length).toBeGreaterThanOrEqual(200);
    for (const key of keys) expect((await cache.get(key))?.text).toBe(`answer ${key}`);
    await cache.put('after-crash', response);
    expect((await cache.get('after-crash'))?.text).toBe('hi');
    await cache.close();
  });

  it('reports stats and clears', async () => {
    const cache = new ResponseCache(dir);
    await cache.put('a', response);
    await cache.put('b', response);
    const stats = await cache.stats();
    expect(stats.entries).toBe(2);
    expect(stats.bytes).toBeGreaterThan(0);
    expect(await cache.clear()).toBe(2);
    expect((await cache.stats()).entries).toBe(0);
  });
});

describe('damage LMDB itself meets', () => {
  it('is moved aside with one warning when a read reports it, and the reads go on (never a signal)', async () => {
    // A file whose clean-close stamp matches though it is damaged (stamp forged after the damage):
    // the full check is skipped, so only LMDB's own error on a read can reveal it.
    const reader = fileURLToPath(new URL('./fixtures/cache-reader.mjs', import.meta.url));
    const run = (...args: string[]) => spawnSync(process.execPath, [reader, dir, ...args], { encoding: 'utf8' });
    expect(run('fill', '2000').status).toBe(0);
    const data = join(dir, 'responses-v1', 'data.mdb');
    const bytes = await readFile(data);
    let x = 11;
    const at = Math.floor(bytes.length / 2 / 4096) * 4096;
    for (let i = 0; i < 16 * 4096; i++) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      bytes[at + i] = x & 0xff;
    }
    await writeFile(data, bytes);
    const paths = cachePaths(dir);
    const found = await inspectCacheFiles(paths);
    if (found.state !== 'ok' || !found.data) throw new Error(`header damaged: ${JSON.stringify(found)}`);
    await writeStamp(paths, found.data);

    const read = run('read', '2000');
    expect(read.signal, read.stderr).toBeNull();
    expect(read.status, read.stderr).toBe(0);
    const warnings = read.stderr.split('\n').filter((line) => line.startsWith('warning:'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(new RegExp(`response cache ${dir} is damaged: LMDB reported MDB_[A-Z_]+`));
    const moved = /Moved it aside to (\S+) and/.exec(warnings[0]!)![1]!;
    expect(moved.startsWith(`${dir}.damaged-`)).toBe(true);
    expect((await readFile(join(moved, 'data.mdb'))).equals(bytes)).toBe(true); // moved as it was
    expect(JSON.parse(read.stdout).hits).toBeLessThan(2000); // what was read before the damage was met
    await rm(moved.replace(/\/responses-v1$/, ''), { recursive: true, force: true });
  });
});

describe('ResponseCache.claim: one paid call per key across processes', () => {
  it('waits while another holder makes the call, then returns its stored response', async () => {
    const a = new ResponseCache(dir);
    const b = new ResponseCache(dir);
    const first = await a.claim('k');
    expect(first.landed).toBeUndefined();
    let settled = false;
    const second = b.claim('k').then((claim) => {
      settled = true;
      return claim;
    });
    await new Promise((r) => setTimeout(r, 150));
    expect(settled).toBe(false); // still waiting on the holder
    expect(await a.keys()).toEqual([]); // markers are not entries
    expect((await a.stats()).entries).toBe(0);
    await a.put('k', response);
    await first.release();
    expect((await second).landed?.response).toEqual({ ...response, cached: true });
    await a.close();
    await b.close();
  });

  it('lets the next process make the call when the holder released without a response (its call failed)', async () => {
    const a = new ResponseCache(dir);
    const held = await a.claim('k');
    const waiting = a.claim('k');
    await held.release();
    const next = await waiting;
    expect(next.landed).toBeUndefined();
    await next.release();
    await a.close();
  });

  it('ignores a marker left by a process that died', async () => {
    const cache = new ResponseCache(dir);
    await cache.put('other', response); // creates the database
    await cache.close();
    const { open } = await import('lmdb');
    const db = open<string, string>({ path: join(dir, 'responses-v1'), encoding: 'string', compression: false });
    const dead = spawnSync(process.execPath, ['-e', '0']).pid;
    await db.put('in-flight:k', JSON.stringify({ key: 'in-flight:k', pid: dead, host: hostname(), at: Date.now() }));
    await db.close();
    const started = Date.now();
    const claim = await new ResponseCache(dir).claim('k');
    expect(claim.landed).toBeUndefined();
    expect(Date.now() - started).toBeLessThan(2_000);
    await claim.release();
  });
});

describe('cache keys of real models', () => {
  it('differ between two OpenAI-compatible servers serving the same model name', async () => {
    const { createModel } = await import('../../src/session/create-model.js');
    const config = { provider: 'openai-compatible' as const, model: 'llama', maxTokens: 8, apiKeyEnv: ['K'], timeoutMs: 1000, maxRetries: 0 };
    const env = { K: 'local-key' };
    const a = createModel({ ...config, baseUrl: 'http://127.0.0.1:1/v1' }, { role: 'target', env });
    const b = createModel({ ...config, baseUrl: 'http://127.0.0.1:2/v1' }, { role: 'target', env });
    expect(a.baseUrl).toBe('http://127.0.0.1:1/v1');
    expect(cacheKey(a, request, 0)).not.toBe(cacheKey(b, request, 0));
  });
});
