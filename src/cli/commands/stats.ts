/**
 * `promptopt stats <task.yaml> <file>`: production figures per prompt version (or model, or day),
 * the pairwise version tests, and the `degradation` / `feedback_threshold` webhooks when due.
 */
import { resolve } from 'node:path';
import chalk from 'chalk';
import { EXIT, UsageError } from '../../errors.js';
import { GROUP_KEYS, type GroupKey } from '../../production/compute-stats.js';
import { parseFieldMap } from '../../production/field-map.js';
import { feedbackThresholdEvent, statsDegradationEvent } from '../../production/stats-events.js';
import { statsTask } from '../../production/stats-task.js';
import { didYouMean, withSuggestion } from '../../spec/did-you-mean.js';
import { loadSpec } from '../../session/load-spec.js';
import { commandNotifier, parseNotifyUrls } from '../notify/command-notifier.js';
import type { CommandEnv } from '../program/command-env.js';
import { statsJson, statsText } from '../production/stats-view.js';

export interface StatsCommandOptions {
  by: string;
  map?: string[];
  alpha: string;
  json?: boolean;
  notify?: string[];
}

export async function statsCommand(file: string, exportFile: string, options: StatsCommandOptions, ctx: CommandEnv): Promise<number> {
  const { io } = ctx;
  const by = parseBy(options.by);
  const alpha = Number(options.alpha);
  if (!(alpha > 0 && alpha < 1)) throw new UsageError(`--alpha must be between 0 and 1, got "${options.alpha}"`, 'e.g. --alpha 0.05');
  const map = parseFieldMap(options.map);
  const notifyUrls = parseNotifyUrls(options.notify);
  // stats reads logs and runs no assertion: a spec whose checks are unfinished still has its versions.
  const spec = await loadSpec(file, { env: ctx.env, checkAssertions: false });
  const result = await statsTask(spec, resolve(exportFile), { map, by, alpha });

  const warn = (message: string) => io.err(chalk.yellow(message));
  const notifier = commandNotifier(spec, notifyUrls, { warn, signal: ctx.signal, env: ctx.env });
  if (result.degraded && result.latest) void notifier.send(statsDegradationEvent(spec.name, result.latest, exportFile, alpha));
  if (result.thresholdReached) void notifier.send(feedbackThresholdEvent(spec.name, result.feedback, spec.feedbackThreshold!, exportFile, file));
  await notifier.flush();

  if (options.json) io.out(JSON.stringify(statsJson(spec, result, { source: exportFile, by, alpha })));
  else io.out(ctx.invocation.rewrite(statsText(spec, result, { source: exportFile, by, alpha, specArg: file })));
  return EXIT.ok;
}

function parseBy(value: string): GroupKey[] {
  const keys = value.split(',').map((k) => k.trim()).filter(Boolean);
  for (const key of keys) {
    if (!(GROUP_KEYS as readonly string[]).includes(key)) {
      throw new UsageError(withSuggestion(`--by: unknown key "${key}"`, didYouMean(key, GROUP_KEYS)), `use ${GROUP_KEYS.join(', ')} (comma-separated for several)`);
    }
  }
  if (keys.length === 0) throw new UsageError('--by needs at least one key', `use ${GROUP_KEYS.join(', ')}`);
  return [...new Set(keys)] as GroupKey[];
}
