import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ResponseCache } from '../../src/runner/response-cache.js';
import { readLmdbHeader } from '../../src/runner/cache/lmdb-header.js';

let dir: string;
let bytes: Buffer;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'promptopt-header-'));
  const cache = new ResponseCache(dir);
  await Promise.all(
    Array.from({ length: 300 }, (_, i) => cache.put(`k${i}`, { text: `answer ${i}`, usage: { inputTokens: 1, outputTokens: 1 }, latencyMs: 1, costUsd: 0, model: 'm' })),
  );
  await cache.close();
  bytes = await readFile(join(dir, 'responses-v1', 'data.mdb'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const copy = () => Buffer.from(bytes);

describe('readLmdbHeader', () => {
  it('reads a healthy header: page size, entries, and the size the file needs', () => {
    const reading = readLmdbHeader(bytes, bytes.length);
    expect(reading.ok).toBe(true);
    if (!reading.ok) return;
    expect(reading.header.pageSize).toBeGreaterThanOrEqual(4096);
    expect(reading.header.meta.main.entries).toBe(300);
    expect(reading.header.meta.txnId).toBeGreaterThan(0);
    expect(reading.header.requiredBytes).toBeLessThanOrEqual(bytes.length);
  });

  it('a file cut short of the pages its header counts is truncated (what makes mmap SIGBUS)', () => {
    const half = Math.floor(bytes.length / 2);
    const reading = readLmdbHeader(bytes.subarray(0, half), half);
    expect(reading).toMatchObject({ ok: false, problem: expect.stringMatching(/truncated/) });
  });

  it('a file shorter than its two header pages', () => {
    expect(readLmdbHeader(bytes.subarray(0, 5000), 5000)).toMatchObject({ ok: false, problem: expect.stringMatching(/too short|header pages/) });
    expect(readLmdbHeader(bytes.subarray(0, 100), 100)).toMatchObject({ ok: false, problem: expect.stringMatching(/too short/) });
  });

  it('a zeroed header, random bytes, and a damaged second header page', () => {
    const zeroed = copy().fill(0, 0, 8192);
    expect(readLmdbHeader(zeroed, zeroed.length)).toMatchObject({ ok: false, problem: 'header page 0: zeroed (no LMDB header)' });

    const random = copy();
    for (let i = 0; i < random.length; i++) random[i] = (i * 2654435761) >>> 24;
    expect(readLmdbHeader(random, random.length)).toMatchObject({ ok: false, problem: expect.stringMatching(/not an LMDB header/) });

    const secondPage = copy();
    const pageSize = (readLmdbHeader(bytes, bytes.length) as { header: { pageSize: number } }).header.pageSize;
    secondPage.fill(0xa5, pageSize, pageSize + 64);
    expect(readLmdbHeader(secondPage, secondPage.length)).toMatchObject({ ok: false, problem: expect.stringMatching(/^header page 1/) });
  });

  it('garbage numbers in an otherwise valid header: a root page outside the file, a huge last page', () => {
    const reading = readLmdbHeader(bytes, bytes.length);
    if (!reading.ok) throw new Error(reading.problem);
    // The meta LMDB uses is the one with the higher txn id; damage both so either is caught.
    const { pageSize } = reading.header;
    const rootOutside = copy();
    for (const page of [0, 1]) rootOutside.writeBigUInt64LE(9_999_999n, page * pageSize + 24 + 24 + 48 + 40);
    expect(readLmdbHeader(rootOutside, rootOutside.length)).toMatchObject({ ok: false, problem: expect.stringMatching(/root page 9999999 is outside/) });
    const lastPage = copy();
    for (const page of [0, 1]) lastPage.writeBigUInt64LE(0xffff_ffff_ffffn, page * pageSize + 24 + 24 + 96);
    expect(readLmdbHeader(lastPage, lastPage.length)).toMatchObject({ ok: false });
  });
});
