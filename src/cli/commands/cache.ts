/**
 * `promptopt cache stats|clear|verify [task.yaml] [--dir <folder>]`: inspect, empty or check the
 * response cache. Each works on a damaged cache: stats moves the damage aside like any command that
 * uses the cache, clear deletes the files without opening them, verify reports and changes nothing.
 */
import { resolve } from 'node:path';
import chalk from 'chalk';
import { EXIT } from '../../errors.js';
import { loadSpec } from '../../session/load-spec.js';
import { ResponseCache } from '../../runner/response-cache.js';
import { clearCache } from '../../runner/cache/clear-cache.js';
import { verifyCache, type CacheVerification } from '../../runner/cache/verify-cache.js';
import { sizeOf } from '../../runner/cache/move-aside.js';
import { JSON_SCHEMA_VERSION } from '../output/json-schema-version.js';
import type { CommandEnv } from '../program/command-env.js';

export interface CacheOptions {
  dir?: string;
  json?: boolean;
}

/** `cache verify`'s exit code when the cache is damaged or cannot be read. */
export const EXIT_CACHE_DAMAGED = EXIT.belowThreshold;

async function cacheDir(file: string | undefined, options: CacheOptions, { env, trustSpec }: CommandEnv): Promise<string> {
  if (options.dir) return resolve(options.dir);
  if (file) return (await loadSpec(file, { env, trustSpec, checkAssertions: false })).cache.dir;
  return resolve('.promptopt/cache');
}

export async function cacheStatsCommand(file: string | undefined, options: CacheOptions, ctx: CommandEnv): Promise<number> {
  const { io } = ctx;
  const cache = new ResponseCache(await cacheDir(file, options, ctx), { warn: (message) => io.err(chalk.yellow(message)) });
  const stats = await cache.stats();
  await cache.close();
  const copies = await Promise.all(stats.damagedCopies.map(async (path) => ({ path, bytes: await sizeOf(path) })));
  if (options.json) {
    io.out(JSON.stringify({ schema_version: JSON_SCHEMA_VERSION, dir: stats.dir, entries: stats.entries, bytes: stats.bytes, damaged_copies: copies }));
    return EXIT.ok;
  }
  io.out(`cache ${stats.dir}\n  entries: ${stats.entries}\n  size:    ${kib(stats.bytes)}`);
  if (copies.length) {
    io.out(`  damaged copies moved aside (${kib(copies.reduce((sum, c) => sum + c.bytes, 0))}; \`${ctx.invocation.rewrite('promptopt cache clear')}\` deletes them):`);
    for (const copy of copies) io.out(`    ${copy.path}`);
  }
  return EXIT.ok;
}

export async function cacheClearCommand(file: string | undefined, options: CacheOptions, ctx: CommandEnv): Promise<number> {
  const { io } = ctx;
  const cleared = await clearCache(await cacheDir(file, options, ctx));
  if (options.json) {
    io.out(
      JSON.stringify({
        schema_version: JSON_SCHEMA_VERSION,
        dir: cleared.dir,
        removed: cleared.entries,
        problem: cleared.problem ?? null,
        moved_aside: cleared.movedAside ?? null,
        removed_damaged_copies: cleared.removedCopies,
      }),
    );
    return EXIT.ok;
  }
  if (cleared.movedAside) {
    io.err(chalk.yellow(`warning: ${cleared.problem}; moved it aside to ${cleared.movedAside} instead of deleting it`));
  } else if (cleared.problem) {
    io.out(`removed the damaged cache ${cleared.dir} (${cleared.problem})`);
  } else {
    io.out(`cleared ${cleared.entries} entries from ${cleared.dir}`);
  }
  if (cleared.removedCopies.length) io.out(`deleted ${cleared.removedCopies.length} damaged cop${cleared.removedCopies.length === 1 ? 'y' : 'ies'}: ${cleared.removedCopies.join(', ')}`);
  return EXIT.ok;
}

export async function cacheVerifyCommand(file: string | undefined, options: CacheOptions, ctx: CommandEnv): Promise<number> {
  const { io } = ctx;
  const report = await verifyCache(await cacheDir(file, options, ctx));
  const code = report.state === 'healthy' || report.state === 'absent' ? EXIT.ok : EXIT_CACHE_DAMAGED;
  if (options.json) {
    io.out(
      JSON.stringify({
        schema_version: JSON_SCHEMA_VERSION,
        dir: report.dir,
        state: report.state,
        entries: report.entries,
        bytes: report.bytes,
        problems: report.problems,
        closed_cleanly: report.closedCleanly,
        damaged_copies: report.damagedCopies,
        exit_code: code,
      }),
    );
  } else {
    io.out(ctx.invocation.rewrite(renderVerification(report)));
  }
  return code;
}

function renderVerification(report: CacheVerification): string {
  const lines = [`cache ${report.dir}`];
  if (report.state === 'absent') lines.push('  no cache yet');
  else {
    lines.push(`  state:   ${report.state === 'healthy' ? 'healthy' : chalk.red(report.state)}`);
    lines.push(`  entries: ${report.entries ?? 'unreadable'}`, `  size:    ${kib(report.bytes)}`);
    if (report.closedCleanly !== null) lines.push(`  last closed cleanly: ${report.closedCleanly ? 'yes' : 'no (a writer was killed, or the files changed since)'}`);
    for (const problem of report.problems) lines.push(`  problem: ${problem}`);
    if (report.state !== 'healthy') {
      lines.push('  the next command that uses the cache moves it aside and starts a fresh one; `promptopt cache clear` deletes it now');
    }
  }
  if (report.damagedCopies.length) lines.push(`  damaged copies moved aside earlier: ${report.damagedCopies.join(', ')}`);
  return lines.join('\n');
}

function kib(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KiB`;
}
