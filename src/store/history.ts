/**
 * `history.jsonl`: one JSON line per event on the versions folder (`created` now; promote and
 * rollback later). The reader keeps events it does not know and skips lines that do not parse
 * (a torn last line), so older and newer promptopt versions can share one history.
 */
import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isNotFound } from './list-versions.js';
import { isRecord } from './version-meta.js';

export const HISTORY_FILE = 'history.jsonl';

export interface HistoryEvent {
  at: string;
  /** `created`, or an event added later (`promoted`, `rolled_back`...). */
  event: string;
  version?: number;
  runId?: string | null;
  /** Every field of the line as written (snake_case), including ones this reader does not know. */
  fields: Record<string, unknown>;
}

export interface HistoryAppend {
  event: string;
  version?: number;
  runId?: string | null;
  /** Defaults to now. */
  at?: string;
  /** Further fields, written as given (use snake_case). */
  extra?: Record<string, unknown>;
}

/** Appends one line (a single small append, so concurrent writers do not interleave within a line). */
export async function appendHistory(dir: string, entry: HistoryAppend): Promise<void> {
  const line: Record<string, unknown> = { at: entry.at ?? new Date().toISOString(), event: entry.event };
  if (entry.version !== undefined) line.version = entry.version;
  if (entry.runId !== undefined) line.run_id = entry.runId;
  Object.assign(line, entry.extra);
  await mkdir(dir, { recursive: true });
  await appendFile(join(dir, HISTORY_FILE), `${JSON.stringify(line)}\n`, 'utf8');
}

export async function readHistory(dir: string): Promise<HistoryEvent[]> {
  let text: string;
  try {
    text = await readFile(join(dir, HISTORY_FILE), 'utf8');
  } catch (error) {
    if (isNotFound(error)) return [];
    throw error;
  }
  return text.split('\n').flatMap((line) => {
    const event = parseHistoryLine(line);
    return event ? [event] : [];
  });
}

export function parseHistoryLine(line: string): HistoryEvent | undefined {
  if (line.trim() === '') return undefined;
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (!isRecord(raw) || typeof raw.event !== 'string') return undefined;
  const event: HistoryEvent = { at: typeof raw.at === 'string' ? raw.at : '', event: raw.event, fields: raw };
  if (typeof raw.version === 'number') event.version = raw.version;
  if (typeof raw.run_id === 'string' || raw.run_id === null) event.runId = raw.run_id;
  return event;
}
