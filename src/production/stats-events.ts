/**
 * The webhooks `stats` posts: `degradation` when the newest prompt version's thumbs-up rate is
 * significantly below the previous version's, and `feedback_threshold` when the feedback records
 * since the last optimize run reach the spec's `feedback_threshold`.
 */
import type { NotifyEvent } from '../notify/types.js';
import type { ProductionStats, VersionComparison } from './compute-stats.js';
import type { FeedbackSince } from './feedback-since.js';

/** The newest version (by first record) against the one before it; undefined when fewer than two versions are rated. */
export function latestComparison(stats: ProductionStats): VersionComparison | undefined {
  const rated = stats.versions.filter((v) => v.rated > 0);
  if (rated.length < 2) return undefined;
  const newer = rated[rated.length - 1]!.key.prompt_version;
  const older = rated[rated.length - 2]!.key.prompt_version;
  return stats.comparisons.find((c) => c.newer === newer && c.older === older);
}

export function isDegradation(comparison: VersionComparison | undefined): comparison is VersionComparison {
  return comparison !== undefined && comparison.significant && comparison.newerRate < comparison.olderRate;
}

export function statsDegradationEvent(task: string, comparison: VersionComparison, source: string, alpha: number): NotifyEvent {
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  return {
    type: 'degradation',
    task,
    summary: `${task}: in production, ${comparison.newer} gets thumbs-up ${pct(comparison.newerRate)}, significantly below ${comparison.older}'s ${pct(comparison.olderRate)} (${comparison.result.test}, p=${formatP(comparison.result.pValue)})`,
    versions: { current: comparison.newer, baseline: comparison.older },
    scores: { [comparison.newer]: comparison.newerRate, [comparison.older]: comparison.olderRate },
    details: { command: 'stats', source, test: comparison.result.test, p_value: comparison.result.pValue, alpha, difference: comparison.result.difference },
  };
}

export function feedbackThresholdEvent(task: string, feedback: FeedbackSince, threshold: number, source: string, specFile: string): NotifyEvent {
  const since = feedback.since === null ? 'with no optimize run yet' : `since the last optimize run (${feedback.since})`;
  return {
    type: 'feedback_threshold',
    task,
    summary: `${task}: ${feedback.count} new feedback records ${since}, at or above the threshold of ${threshold}: import them and run promptopt optimize`,
    details: { command: 'stats', source, count: feedback.count, threshold, since: feedback.since, suggested: `promptopt import ${specFile} ${source} && promptopt optimize ${specFile}` },
  };
}

export function formatP(p: number): string {
  return p < 0.0001 ? p.toExponential(1) : p.toFixed(4);
}
