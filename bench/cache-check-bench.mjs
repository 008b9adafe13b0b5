// What guarding the response cache against damage costs, on a 2,000- and a 100,000-entry cache.
// Run: npm run build && node bench/cache-check-bench.mjs [sizes...]   (default: 2000 100000)
//
// For each size it fills a cache (entries of ~370 bytes, like a short model answer plus usage), then
// measures, best of 5:
//   - the cheap check alone: paths + LMDB header read as plain bytes (every open);
//   - the clean-close stamp check: size, txn id and SHA-1 of data.mdb (every open);
//   - open + first read through ResponseCache when the stamp matches (the usual path), against a
//     bare lmdb open + read;
//   - the same when the stamp does not match (after a kill -9, a partial restore): the full walk
//     in a child process;
//   - close after a write (writes a new stamp: one more SHA-1; a read-only run keeps the old one);
//   - `cache verify` (every entry read and parsed, in a child).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const ROOT = new URL('..', import.meta.url).pathname;
const dist = (path) => import(pathToFileURL(join(ROOT, 'dist', path)).href);
const { ResponseCache } = await dist('runner/response-cache.js');
const { cachePaths } = await dist('runner/cache/cache-paths.js');
const { inspectCacheFiles } = await dist('runner/cache/inspect-cache-files.js');
const { stampMatches, removeStamp } = await dist('runner/cache/clean-close-stamp.js');
const { verifyCache } = await dist('runner/cache/verify-cache.js');
const { open } = await import('lmdb');

const sizes = process.argv.slice(2).map(Number).filter(Boolean);
const RUNS = 5;

async function best(fn) {
  let min = Infinity;
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    await fn();
    min = Math.min(min, performance.now() - started);
  }
  return min;
}

const ms = (value) => `${value < 10 ? value.toFixed(1) : Math.round(value)} ms`;
const response = (i) => ({ text: `answer number ${i}: ${'lorem ipsum '.repeat(12)}`, usage: { inputTokens: 120, outputTokens: 12 }, latencyMs: 420, costUsd: 0.000123, model: 'gpt-4o-mini' });

const rows = [];
for (const n of sizes.length ? sizes : [2000, 100000]) {
  const dir = await mkdtemp(join(tmpdir(), 'promptopt-cache-bench-'));
  try {
    const filler = new ResponseCache(dir);
    for (let i = 0; i < n; i += 1000) {
      await Promise.all(Array.from({ length: Math.min(1000, n - i) }, (_, j) => filler.put(`key-${i + j}`, response(i + j))));
    }
    await filler.close();
    const paths = cachePaths(dir);
    const found = await inspectCacheFiles(paths);
    const mb = found.data.size / 1e6;

    const header = await best(() => inspectCacheFiles(paths));
    const stamp = await best(() => stampMatches(paths, found.data));
    const bare = await best(async () => {
      const db = open({ path: paths.database, encoding: 'string', compression: false });
      db.get('key-1');
      await db.close();
    });
    const clean = await best(async () => {
      const cache = new ResponseCache(dir);
      await cache.get('key-1');
      await cache.close();
    });
    const unclean = await best(async () => {
      await removeStamp(paths);
      const cache = new ResponseCache(dir);
      await cache.get('key-1');
      await cache.close();
      await removeStamp(paths);
    });
    let closing = Infinity;
    for (let i = 0; i < RUNS; i++) {
      const cache = new ResponseCache(dir);
      await cache.put(`extra-${i}`, response(i));
      const started = performance.now();
      await cache.close();
      closing = Math.min(closing, performance.now() - started);
    }
    const verify = await best(() => verifyCache(dir));
    rows.push([`${n.toLocaleString('en')} entries (${mb.toFixed(1)} MB)`, ms(header), ms(stamp), ms(bare), ms(clean), ms(unclean), ms(closing), ms(verify)]);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const head = ['cache', 'header check', 'stamp check', 'bare lmdb open+get+close', 'open+get+close, clean', 'open+get+close, unclean (walk)', 'close after a write (stamp)', 'cache verify'];
console.log(`best of ${RUNS}, ${new Date().toISOString().slice(0, 10)}, node ${process.version}`);
console.log(`| ${head.join(' | ')} |`);
console.log(`| ${head.map(() => '---').join(' | ')} |`);
for (const row of rows) console.log(`| ${row.join(' | ')} |`);
