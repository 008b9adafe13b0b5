/**
 * `promptopt prune [task.yaml] [--older-than 30d] [--dry-run] [--version-reports] [--compact] [--json]`:
 * retention. Deletes the runs, compare reports, cache entries and damaged cache copies older than
 * the age given (or the spec's `retention.days`) and reports what went and the space it gave back.
 */
import { resolve } from 'node:path';
import chalk from 'chalk';
import { EXIT, UsageError } from '../../errors.js';
import { DAY_MS, formatAge, parseAge } from '../../retention/parse-age.js';
import { prune } from '../../retention/prune.js';
import { loadSpec } from '../../session/load-spec.js';
import { DEFAULT_CACHE_DIR, DEFAULT_RUNS_DIR, DEFAULT_VERSIONS_DIR } from '../../spec/normalize.js';
import type { CommandEnv } from '../program/command-env.js';
import { pruneJson, pruneText } from '../retention/prune-view.js';

export interface PruneOptions {
  olderThan?: string;
  dryRun?: boolean;
  versionReports?: boolean;
  compact?: boolean;
  json?: boolean;
}

export async function pruneCommand(file: string | undefined, options: PruneOptions, ctx: CommandEnv): Promise<number> {
  const { io } = ctx;
  const olderThan = options.olderThan !== undefined ? parseAge('--older-than', options.olderThan) : undefined;
  // prune calls no model: a spec that names its endpoint through the environment still loads.
  const spec = file ? await loadSpec(file, { env: { ...ctx.env, OPENAI_BASE_URL: ctx.env.OPENAI_BASE_URL || 'unused-by-prune' }, trustSpec: ctx.trustSpec, checkAssertions: false }) : undefined;
  const olderThanMs = olderThan ?? (spec?.retention ? spec.retention.days * DAY_MS : undefined);
  if (olderThanMs === undefined) {
    throw new UsageError(
      spec ? `prune needs an age: ${file} sets no retention` : 'prune needs an age',
      spec ? 'pass --older-than 30d, or set `retention: { days: 30 }` in the spec' : 'pass --older-than 30d, or a task.yaml with `retention: { days: 30 }`',
    );
  }
  const result = await prune({
    runsDir: spec?.runsDir ?? resolve(DEFAULT_RUNS_DIR),
    cacheDir: spec?.cache.dir ?? resolve(DEFAULT_CACHE_DIR),
    versionsDir: spec?.versionsDir ?? resolve(DEFAULT_VERSIONS_DIR),
    ...(spec ? { specFile: spec.file } : {}),
    olderThanMs,
    now: Date.now(),
    dryRun: Boolean(options.dryRun),
    versionReports: Boolean(options.versionReports),
    compact: Boolean(options.compact),
    warn: (message) => io.err(chalk.yellow(message)),
  });
  const age = formatAge(olderThanMs);
  if (options.json) io.out(JSON.stringify(pruneJson(result, age)));
  else io.out(pruneText(result, age));
  return EXIT.ok;
}
