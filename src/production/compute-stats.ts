/**
 * Production figures per group of records (by prompt version, model and/or day): interactions,
 * thumbs-up rate among rated records with its 95% Wilson interval, correction and flag rates (per
 * interaction), latency p50/p95 (nearest rank), tokens and cost per interaction (means over the
 * records that report them). And, for every pair of prompt versions, whether their thumbs-up rates
 * differ significantly (stats/two-proportion.ts: pooled z-test, Fisher's exact test for small counts).
 */
import { nearestRankPercentile } from '../stats/percentile.js';
import { twoProportionTest, type TwoProportionResult } from '../stats/two-proportion.js';
import { wilsonInterval, type Interval } from '../stats/wilson.js';
import type { ProductionRecord } from './record.js';
import { NO_VERSION, type VersionLabel } from './version-labels.js';

export const GROUP_KEYS = ['prompt_version', 'model', 'day'] as const;
export type GroupKey = (typeof GROUP_KEYS)[number];

export interface GroupStats {
  /** The group's value for each key, e.g. { prompt_version: 'v3', model: 'gpt-4o-mini' }. */
  key: Partial<Record<GroupKey, string>>;
  interactions: number;
  /** Records with a thumbs-up or thumbs-down. */
  rated: number;
  thumbsUp: number;
  thumbsUpRate: number | null;
  thumbsUpInterval: Interval | null;
  corrections: number;
  correctionRate: number;
  /** Flag -> share of interactions flagged with it. */
  flagRates: Record<string, number>;
  latencyP50: number | null;
  latencyP95: number | null;
  inputTokensPerInteraction: number | null;
  outputTokensPerInteraction: number | null;
  costPerInteraction: number | null;
  totalCost: number | null;
  /** Earliest timestamp in the group (ms), for ordering versions by when they went live. */
  firstSeen: number | null;
}

export interface VersionComparison {
  /** The later version (by first record) and the earlier one. */
  newer: string;
  older: string;
  newerRate: number;
  olderRate: number;
  result: TwoProportionResult;
  significant: boolean;
}

export interface ProductionStats {
  groups: GroupStats[];
  /** Per prompt version, oldest first (by first record), whatever the grouping. */
  versions: GroupStats[];
  comparisons: VersionComparison[];
}

export function computeStats(records: ProductionRecord[], by: GroupKey[], labelOf: (logged: string | undefined) => VersionLabel, alpha: number): ProductionStats {
  const keyOf = (record: ProductionRecord, key: GroupKey): string =>
    key === 'prompt_version' ? labelOf(record.promptVersion).label : key === 'model' ? (record.model ?? '(none)') : record.time !== undefined ? new Date(record.time).toISOString().slice(0, 10) : '(no timestamp)';
  const group = (keys: GroupKey[]) => {
    const groups = new Map<string, { key: Partial<Record<GroupKey, string>>; records: ProductionRecord[] }>();
    for (const record of records) {
      const key = Object.fromEntries(keys.map((k) => [k, keyOf(record, k)])) as Partial<Record<GroupKey, string>>;
      const id = JSON.stringify(keys.map((k) => key[k]));
      const entry = groups.get(id) ?? { key, records: [] };
      entry.records.push(record);
      groups.set(id, entry);
    }
    return [...groups.values()].map((g) => summarize(g.key, g.records));
  };
  const groups = group(by).sort(compareGroups(by));
  const versions = group(['prompt_version'])
    .filter((v) => v.key.prompt_version !== NO_VERSION)
    .sort((a, b) => (a.firstSeen ?? Infinity) - (b.firstSeen ?? Infinity) || naturalCompare(a.key.prompt_version!, b.key.prompt_version!));
  return { groups, versions, comparisons: compareVersions(versions, alpha) };
}

function summarize(key: Partial<Record<GroupKey, string>>, records: ProductionRecord[]): GroupStats {
  const rated = records.filter((r) => r.feedback.rating !== undefined);
  const thumbsUp = rated.filter((r) => r.feedback.rating === 'up').length;
  const corrections = records.filter((r) => r.feedback.correction !== undefined).length;
  const flagCounts = new Map<string, number>();
  for (const r of records) for (const flag of r.feedback.flags) flagCounts.set(flag, (flagCounts.get(flag) ?? 0) + 1);
  const latencies = numbers(records, (r) => r.latencyMs);
  const costs = numbers(records, (r) => r.costUsd);
  const times = numbers(records, (r) => r.time);
  return {
    key,
    interactions: records.length,
    rated: rated.length,
    thumbsUp,
    thumbsUpRate: rated.length > 0 ? thumbsUp / rated.length : null,
    thumbsUpInterval: rated.length > 0 ? wilsonInterval(thumbsUp, rated.length) : null,
    corrections,
    correctionRate: corrections / records.length,
    flagRates: Object.fromEntries([...flagCounts].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([flag, n]) => [flag, n / records.length])),
    latencyP50: nearestRankPercentile(latencies, 50) ?? null,
    latencyP95: nearestRankPercentile(latencies, 95) ?? null,
    inputTokensPerInteraction: mean(numbers(records, (r) => r.inputTokens)),
    outputTokensPerInteraction: mean(numbers(records, (r) => r.outputTokens)),
    costPerInteraction: mean(costs),
    totalCost: costs.length > 0 ? costs.reduce((s, c) => s + c, 0) : null,
    firstSeen: times.length > 0 ? Math.min(...times) : null,
  };
}

/** Every pair of versions with rated records, the later one first. */
function compareVersions(versions: GroupStats[], alpha: number): VersionComparison[] {
  const rated = versions.filter((v) => v.rated > 0);
  const out: VersionComparison[] = [];
  for (let i = 0; i < rated.length; i++) {
    for (let j = i + 1; j < rated.length; j++) {
      const older = rated[i]!;
      const newer = rated[j]!;
      const result = twoProportionTest(newer.thumbsUp, newer.rated, older.thumbsUp, older.rated);
      out.push({ newer: newer.key.prompt_version!, older: older.key.prompt_version!, newerRate: newer.thumbsUpRate!, olderRate: older.thumbsUpRate!, result, significant: result.pValue < alpha });
    }
  }
  return out;
}

function compareGroups(by: GroupKey[]): (a: GroupStats, b: GroupStats) => number {
  return (a, b) => {
    for (const key of by) {
      const order = key === 'prompt_version' ? (a.firstSeen ?? Infinity) - (b.firstSeen ?? Infinity) || naturalCompare(a.key[key]!, b.key[key]!) : naturalCompare(a.key[key]!, b.key[key]!);
      if (order !== 0) return order;
    }
    return 0;
  };
}

function naturalCompare(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true });
}

function numbers(records: ProductionRecord[], pick: (r: ProductionRecord) => number | undefined): number[] {
  return records.map(pick).filter((n): n is number => n !== undefined);
}

function mean(values: number[]): number | null {
  return values.length === 0 ? null : values.reduce((s, v) => s + v, 0) / values.length;
}
