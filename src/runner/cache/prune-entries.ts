/**
 * Retention for the response cache: the entries written before a cutoff, found by the write time
 * each entry records (`paidBy.at`, see response-cache.ts), and deleted through the guarded database
 * (so a damaged cache is moved aside, never mapped). An entry written before promptopt recorded
 * write times has no age: it is kept and counted as undated (`cache clear` removes everything).
 *
 * Each deletion re-reads the entry in its write transaction and deletes it only if it is still the
 * old one, so an entry another process rewrites meanwhile survives. Deleting does not shrink LMDB's
 * file: the freed pages stay in it and are reused by later writes. The figures say so: the entry
 * bytes that went, the file's size, and the pages free inside it (compact-cache.ts rewrites the file).
 */
import { stat } from 'node:fs/promises';
import type { CacheDatabase, GuardedDatabase } from './guarded-database.js';
import { IN_FLIGHT_PREFIX } from './in-flight.js';

/** Keys deleted per write transaction (each holds LMDB's writer lock for milliseconds). */
const DELETE_CHUNK = 1_000;

export interface CacheSpace {
  /** Size of `data.mdb` on disk. */
  fileBytes: number;
  /** Pages holding entries (branches, leaves, overflow) × page size. */
  usedBytes: number;
  /** The rest of the file: free pages LMDB reuses for later entries (and its own bookkeeping). */
  freeBytes: number;
}

export interface CacheEntriesAge {
  /** Entries (in-flight markers aside). */
  entries: number;
  /** Keys written before the cutoff. */
  old: string[];
  /** Their keys' and values' bytes (UTF-8). */
  oldBytes: number;
  /** Entries that record no write time (written before it was recorded, or unreadable): kept. */
  undated: number;
  space: CacheSpace;
}

/** Reads every entry once; undefined when there is no cache (nothing is created). */
export async function ageCacheEntries(db: GuardedDatabase, cutoffMs: number): Promise<CacheEntriesAge | undefined> {
  const scan = await db.read((d) => {
    d.resetReadTxn();
    const age = { entries: 0, old: [] as string[], oldBytes: 0, undated: 0 };
    for (const { key, value } of d.getRange()) {
      if (key.startsWith(IN_FLIGHT_PREFIX)) continue;
      age.entries += 1;
      const at = writtenAt(value);
      if (at === undefined) age.undated += 1;
      else if (at < cutoffMs) {
        age.old.push(key);
        age.oldBytes += Buffer.byteLength(key) + Buffer.byteLength(value);
      }
    }
    return age;
  });
  if (!scan) return undefined;
  return { ...scan, space: await cacheSpace(db) };
}

/** Deletes `keys` that are still older than the cutoff; returns how many went and their bytes. */
export async function deleteCacheEntries(db: GuardedDatabase, keys: readonly string[], cutoffMs: number): Promise<{ deleted: number; bytes: number }> {
  const total = { deleted: 0, bytes: 0 };
  for (let start = 0; start < keys.length; start += DELETE_CHUNK) {
    const chunk = keys.slice(start, start + DELETE_CHUNK);
    const done = await db.write((d) =>
      d.transactionSync(() => {
        const gone = { deleted: 0, bytes: 0 };
        for (const key of chunk) {
          const value = d.get(key);
          if (value === undefined) continue;
          const at = writtenAt(value);
          if (at === undefined || at >= cutoffMs) continue; // rewritten meanwhile: it is new now
          if (!d.removeSync(key)) continue;
          gone.deleted += 1;
          gone.bytes += Buffer.byteLength(key) + Buffer.byteLength(value);
        }
        return gone;
      }),
    );
    total.deleted += done?.deleted ?? 0;
    total.bytes += done?.bytes ?? 0;
  }
  return total;
}

/** The file's size and how much of it holds entries, as LMDB counts its pages now. */
export async function cacheSpace(db: GuardedDatabase): Promise<CacheSpace> {
  const pages = await db.read((d) => pageCounts(d));
  const fileBytes = (await stat(db.paths.data).catch(() => undefined))?.size ?? 0;
  if (!pages) return { fileBytes, usedBytes: 0, freeBytes: 0 };
  const usedBytes = pages.used * pages.pageSize;
  return { fileBytes, usedBytes, freeBytes: Math.max(0, fileBytes - usedBytes) };
}

interface LmdbTreeStats {
  pageSize: number;
  treeBranchPageCount: number;
  treeLeafPageCount: number;
  overflowPages: number;
}

function pageCounts(d: CacheDatabase): { pageSize: number; used: number } {
  d.resetReadTxn();
  const stats = d.getStats() as LmdbTreeStats;
  return { pageSize: stats.pageSize, used: stats.treeBranchPageCount + stats.treeLeafPageCount + stats.overflowPages };
}

/** An entry's write time (ms), from the `paidBy.at` it stores; undefined when it records none. */
export function writtenAt(raw: string): number | undefined {
  try {
    const at = (JSON.parse(raw) as { paidBy?: { at?: unknown } }).paidBy?.at;
    const ms = typeof at === 'string' ? Date.parse(at) : Number.NaN;
    return Number.isNaN(ms) ? undefined : ms;
  } catch {
    return undefined;
  }
}
