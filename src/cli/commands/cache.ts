/** `promptopt cache stats|clear [task.yaml] [--dir <folder>]`: inspect or empty the response cache. */
import { resolve } from 'node:path';
import { loadSpec } from '../../spec/load-spec.js';
import { ResponseCache } from '../../runner/response-cache.js';
import { JSON_SCHEMA_VERSION } from '../output/json-schema-version.js';
import type { CommandEnv } from '../program/command-env.js';

export interface CacheOptions {
  dir?: string;
  json?: boolean;
}

async function cacheFor(file: string | undefined, options: CacheOptions, { env, trustSpec }: CommandEnv): Promise<ResponseCache> {
  if (options.dir) return new ResponseCache(resolve(options.dir));
  if (file) return new ResponseCache((await loadSpec(file, { env, trustSpec })).cache.dir);
  return new ResponseCache(resolve('.promptopt/cache'));
}

export async function cacheStatsCommand(file: string | undefined, options: CacheOptions, ctx: CommandEnv): Promise<number> {
  const { io } = ctx;
  const stats = await (await cacheFor(file, options, ctx)).stats();
  if (options.json) io.out(JSON.stringify({ schema_version: JSON_SCHEMA_VERSION, dir: stats.dir, entries: stats.entries, bytes: stats.bytes }));
  else io.out(`cache ${stats.dir}\n  entries: ${stats.entries}\n  size:    ${(stats.bytes / 1024).toFixed(1)} KiB`);
  return 0;
}

export async function cacheClearCommand(file: string | undefined, options: CacheOptions, ctx: CommandEnv): Promise<number> {
  const { io } = ctx;
  const cache = await cacheFor(file, options, ctx);
  const removed = await cache.clear();
  if (options.json) io.out(JSON.stringify({ schema_version: JSON_SCHEMA_VERSION, dir: cache.dir, removed }));
  else io.out(`cleared ${removed} entries from ${cache.dir}`);
  return 0;
}
