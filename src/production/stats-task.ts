/**
 * `promptopt stats` as a library call: read an export (the same reader and --map as import, nothing
 * written), compute the figures, and decide which webhooks are due.
 */
import type { Spec } from '../spec/types.js';
import { listVersions } from '../store/list-versions.js';
import { computeStats, type GroupKey, type ProductionStats, type VersionComparison } from './compute-stats.js';
import { countFeedbackSince, lastOptimizeStart, type FeedbackSince } from './feedback-since.js';
import type { FieldMap } from './field-map.js';
import { readExport } from './read-export.js';
import type { MalformedRecord, ProductionRecord } from './record.js';
import { isDegradation, latestComparison } from './stats-events.js';
import { isMalformed, toRecord } from './to-record.js';
import { versionLabeler } from './version-labels.js';

export interface StatsOptions {
  map: FieldMap;
  by: GroupKey[];
  alpha: number;
}

export interface StatsResult {
  stats: ProductionStats;
  records: number;
  malformed: MalformedRecord[];
  /** The newest version against the previous one, and whether it is a significant drop. */
  latest?: VersionComparison;
  degraded: boolean;
  feedback: FeedbackSince;
  /** True when the spec has a feedback_threshold and the count reached it. */
  thresholdReached: boolean;
}

export async function statsTask(spec: Spec, exportFile: string, options: StatsOptions): Promise<StatsResult> {
  const read = await readExport(exportFile);
  const parsed = read.items.map((item) => toRecord(item, options.map, spec.inputVar ?? 'input'));
  const records = parsed.filter((r): r is ProductionRecord => !isMalformed(r));
  const malformed = [...read.malformed, ...parsed.filter(isMalformed)].sort((a, b) => a.line - b.line);
  const stats = computeStats(records, options.by, versionLabeler(await listVersions(spec.versionsDir)), options.alpha);
  const latest = latestComparison(stats);
  const feedback = countFeedbackSince(records, await lastOptimizeStart(spec.runsDir));
  return {
    stats,
    records: read.items.length + read.malformed.length,
    malformed,
    ...(latest ? { latest } : {}),
    degraded: isDegradation(latest),
    feedback,
    thresholdReached: spec.feedbackThreshold !== undefined && feedback.count >= spec.feedbackThreshold,
  };
}
