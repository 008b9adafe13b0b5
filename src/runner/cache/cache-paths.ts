/** Where the response cache keeps its files, relative to the cache folder (`cache.dir`). */
import { basename, join } from 'node:path';

/** The LMDB environment: `data.mdb`, `lock.mdb` and the clean-close stamp. */
export const DATABASE_FOLDER = 'responses-v1';
export const DATA_FILE = 'data.mdb';
export const LOCK_FILE = 'lock.mdb';
export const STAMP_FILE = 'clean-close.json';
const ASIDE_MARK = '.damaged-';

/** The cache lock is held for a check and an open (a full walk of a large cache takes seconds). */
export const GUARD_LOCK = { staleMs: 30_000 };

export interface CachePaths {
  dir: string;
  database: string;
  data: string;
  lock: string;
  stamp: string;
  /** The lock promptopt holds while it checks, repairs or clears the cache (beside the folder, so it works when the folder itself is broken). */
  guard: string;
}

export function cachePaths(dir: string): CachePaths {
  const database = join(dir, DATABASE_FOLDER);
  return {
    dir,
    database,
    data: join(database, DATA_FILE),
    lock: join(database, LOCK_FILE),
    stamp: join(database, STAMP_FILE),
    guard: `${dir}.lock`,
  };
}

/**
 * A new name for a damaged copy, beside the cache folder (never inside it, so a CI cache step does
 * not save it again): `<dir>.damaged-<UTC time>[-n]`.
 */
export function asidePath(dir: string, now = new Date(), attempt = 0): string {
  const time = now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  return `${dir}${ASIDE_MARK}${time}${attempt > 0 ? `-${attempt}` : ''}`;
}

/** True for a name `asidePath(dir)` could have produced. */
export function isAsideName(dir: string, name: string): boolean {
  const prefix = `${basename(dir)}${ASIDE_MARK}`;
  return name.startsWith(prefix) && /^\d{8}T\d{6}Z(-\d+)?$/.test(name.slice(prefix.length));
}

