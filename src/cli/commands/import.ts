/** `promptopt import <task.yaml> <file>`: logged interactions and feedback -> cases, with a summary. */
import { resolve } from 'node:path';
import chalk from 'chalk';
import { EXIT, UsageError } from '../../errors.js';
import { parseFieldMap } from '../../production/field-map.js';
import { importTask } from '../../production/import-task.js';
import type { SplitName } from '../../spec/types.js';
import type { CommandEnv } from '../program/command-env.js';
import { importJson, importSummaryText } from '../production/import-summary.js';

export interface ImportCommandOptions {
  map?: string[];
  split: string;
  since?: string;
  keepUnlabelled?: boolean;
  redact?: boolean;
  dryRun?: boolean;
  json?: boolean;
}

export async function importCommand(file: string, exportFile: string, options: ImportCommandOptions, ctx: CommandEnv): Promise<number> {
  const { io } = ctx;
  const map = parseFieldMap(options.map);
  const since = options.since === undefined ? undefined : parseDate('--since', options.since);
  const result = await importTask(file, resolve(exportFile), {
    map,
    split: options.split as 'auto' | SplitName,
    ...(since !== undefined ? { since } : {}),
    keepUnlabelled: Boolean(options.keepUnlabelled),
    ...(options.redact !== undefined ? { redact: options.redact } : {}),
    dryRun: Boolean(options.dryRun),
    env: ctx.env,
    warn: (message) => io.err(chalk.yellow(message)),
  });
  if (options.json) io.out(JSON.stringify(importJson(result, exportFile)));
  else io.out(importSummaryText(result, exportFile));
  return EXIT.ok;
}

/** A date (`2025-06-01`, midnight UTC) or a date and time (ISO 8601) -> ms since the epoch. */
export function parseDate(flag: string, value: string): number {
  const ms = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value);
  if (Number.isNaN(ms)) throw new UsageError(`${flag} must be a date, got "${value}"`, 'e.g. 2025-06-01 or 2025-06-01T12:00:00Z');
  return ms;
}
