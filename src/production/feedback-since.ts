/**
 * New feedback since the last optimize run: records carrying feedback (a rating, correction,
 * comment or flag) logged after the latest run's start (its checkpoint's startedAt). Without any
 * optimize run, every feedback record counts; after one, records without a timestamp cannot be
 * placed and do not count.
 */
import { findRun, readCheckpoint } from '../report/checkpoint.js';
import { hasFeedback, type ProductionRecord } from './record.js';

export interface FeedbackSince {
  count: number;
  /** ISO start of the last optimize run; null when there is none. */
  since: string | null;
}

export async function lastOptimizeStart(runsDir: string): Promise<string | null> {
  try {
    return (await readCheckpoint(await findRun(runsDir, 'latest'))).startedAt;
  } catch {
    return null;
  }
}

export function countFeedbackSince(records: ProductionRecord[], since: string | null): FeedbackSince {
  const from = since === null ? undefined : Date.parse(since);
  const count = records.filter((r) => hasFeedback(r) && (from === undefined || (r.time !== undefined && r.time > from))).length;
  return { count, since };
}
