/**
 * Paid calls in flight, announced to every process sharing the cache: before a call, a marker entry
 * `in-flight:<key>` (its owner's pid, host and start time) is written into the database with LMDB's
 * conditional write, which succeeds for one process only. The others wait until the response lands
 * under `<key>` (or the marker goes: the call failed, and one of them makes it), so concurrent runs
 * of one spec pay for each call once. A marker whose process died (same host), or older than
 * MARKER_STALE_MS, is ignored and replaced. Cost per paid call: one more small write in LMDB's
 * batched commit, and its removal; no file is created.
 */
import { hostname } from 'node:os';
import type { GuardedDatabase } from './guarded-database.js';

export const IN_FLIGHT_PREFIX = 'in-flight:';
/** A marker older than this is a leftover (no single call, retries included, takes so long). */
export const MARKER_STALE_MS = 5 * 60_000;
const POLL_MAX_MS = 100;

interface Marker {
  key: string;
  pid: number;
  host: string;
  at: number;
}

export type Claim = { landed: string } | { release: () => Promise<void> } | undefined;

/**
 * Claims the call for `key`: resolves to the raw response another process stored meanwhile
 * (`landed`), or to `release` once this process may make the call; undefined when the database
 * cannot be used or the signal is aborted (the caller then decides alone).
 */
export async function claimCall(db: GuardedDatabase, key: string, signal?: AbortSignal): Promise<Claim> {
  const markerKey = `${IN_FLIGHT_PREFIX}${key}`;
  const marker: Marker = { key: markerKey, pid: process.pid, host: hostname(), at: 0 };
  let wait = 10;
  const release = () => db.write((d) => d.remove(markerKey)).then(() => undefined);
  for (;;) {
    if (signal?.aborted) return undefined;
    const landed = await readFresh(db, key);
    if (landed !== undefined) return { landed };
    marker.at = Date.now();
    const won = await db.write((d) => d.ifNoExists(markerKey, () => d.put(markerKey, JSON.stringify(marker))));
    if (won === undefined) return undefined;
    if (won) {
      // The process that held it may have stored the response and removed its marker just before we
      // wrote ours: look again, in a snapshot taken after our write.
      const stored = await readFresh(db, key);
      if (stored === undefined) return { release };
      await release();
      return { landed: stored };
    }
    const holder = parseMarker(await readFresh(db, markerKey));
    if (!holder || isStale(holder)) {
      await db.write((d) => d.remove(markerKey));
      continue;
    }
    await new Promise((resolve) => setTimeout(resolve, wait));
    wait = Math.min(wait * 2, POLL_MAX_MS);
  }
}

/** A read in a new snapshot (LMDB keeps a read snapshot for the rest of the event-loop turn). */
function readFresh(db: GuardedDatabase, key: string): Promise<string | undefined> {
  return db.read((d) => {
    d.resetReadTxn();
    return d.get(key);
  });
}

function parseMarker(raw: string | undefined): Marker | undefined {
  if (raw === undefined) return undefined;
  try {
    const value = JSON.parse(raw) as Partial<Marker>;
    return typeof value.pid === 'number' && typeof value.host === 'string' && typeof value.at === 'number' ? (value as Marker) : undefined;
  } catch {
    return undefined;
  }
}

function isStale(marker: Marker): boolean {
  if (Date.now() - marker.at > MARKER_STALE_MS) return true;
  if (marker.host !== hostname() || marker.pid === process.pid) return false;
  try {
    process.kill(marker.pid, 0);
    return false;
  } catch (error) {
    return (error as { code?: string }).code === 'ESRCH';
  }
}
