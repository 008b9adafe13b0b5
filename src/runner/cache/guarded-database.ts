/**
 * Opening the cache's LMDB database so that no damage can crash the process. Under the cache's
 * lock (so concurrent processes neither repair twice nor open a folder being moved):
 *   1. the cheap check, always: what each path is, and data.mdb's header against its size;
 *   2. the full check, in a child process, only when the file is not byte for byte one a process
 *      closed cleanly (the stamp): a kill -9, a partial CI restore, any damage;
 *   3. then LMDB maps it.
 * A damaged database is moved aside with one warning naming both paths, and the command goes on
 * with a fresh one. Damage found later by LMDB itself (an MDB_CORRUPTED error on a read or write) is
 * handled the same way; a cache that cannot be used at all (permissions) is a warning and the
 * command runs without it.
 */
import { lstat, mkdir, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { RootDatabase } from 'lmdb';
import { withFileLock } from '../../util/file-lock.js';
import { cachePaths, GUARD_LOCK, type CachePaths } from './cache-paths.js';
import { inspectCacheFiles } from './inspect-cache-files.js';
import { stampMatches, writeStamp } from './clean-close-stamp.js';
import { walkCacheEntries } from './walk-cache-entries.js';
import { moveAside } from './move-aside.js';
import { trackOpenCache, untrackOpenCache } from './open-caches.js';
import { finishInterruptedCompaction } from './finish-compaction.js';

export type CacheDatabase = RootDatabase<string, string>;

interface Opened {
  db: CacheDatabase;
  /** data.mdb's inode when opened: a repair moves only the database this process found damaged. */
  ino: number | undefined;
  /** The committed txn id the stamp vouched for at open (undefined: no stamp then). */
  stampedTxnId: number | undefined;
  recovery?: Promise<void>;
}

type Outcome = Opened | 'absent' | 'unusable';

/** How long reads trust that there is no database before looking again. */
const ABSENCE_RECHECK_MS = 50;

export class GuardedDatabase {
  readonly paths: CachePaths;
  #opening: Promise<Outcome> | undefined;
  #warned = false;
  #absenceTimer: NodeJS.Timeout | undefined;

  constructor(
    readonly dir: string,
    private readonly warn: (message: string) => void,
  ) {
    this.paths = cachePaths(dir);
  }

  /** Runs `fn` on the database; undefined when there is none (reading never creates it). */
  async read<T>(fn: (db: CacheDatabase) => T | Promise<T>): Promise<T | undefined> {
    const opened = await this.#database(false);
    if (!opened) return undefined;
    try {
      return await fn(opened.db);
    } catch (error) {
      if (!isDamageError(error)) throw error;
      await this.#recover(opened, error);
      return undefined;
    }
  }

  /** Runs `fn` on the database, creating it if needed; undefined when the cache cannot be used. */
  async write<T>(fn: (db: CacheDatabase) => T | Promise<T>): Promise<T | undefined> {
    for (let attempt = 0; ; attempt++) {
      const opened = await this.#database(true);
      if (!opened) return undefined;
      try {
        return await fn(opened.db);
      } catch (error) {
        if (!isDamageError(error) || attempt > 0) throw error;
        await this.#recover(opened, error);
      }
    }
  }

  /** Closes the database and stamps it as closed cleanly (see clean-close-stamp.ts). */
  async close(): Promise<void> {
    const opening = this.#opening;
    this.#opening = undefined;
    const outcome = await opening;
    if (typeof outcome !== 'object') return;
    untrackOpenCache(this);
    await outcome.db.close();
    const found = await inspectCacheFiles(this.paths);
    if (found.state !== 'ok' || !found.data || found.data.ino !== outcome.ino) return;
    // Nothing committed since the stamp was checked (a read-only run): it still holds, no need to hash again.
    if (found.data.header.meta.txnId === outcome.stampedTxnId) return;
    await writeStamp(this.paths, found.data).catch(() => undefined);
  }

  async #database(create: boolean): Promise<Opened | undefined> {
    for (;;) {
      const pending = (this.#opening ??= this.#open(create));
      const outcome = await pending;
      if (outcome === 'absent' && create) {
        if (this.#opening === pending) this.#opening = this.#open(true);
        continue;
      }
      if (outcome === 'absent') this.#forgetAbsence(pending);
      if (typeof outcome === 'object' && outcome.recovery) {
        await outcome.recovery;
        continue;
      }
      return typeof outcome === 'object' ? outcome : undefined;
    }
  }

  /**
   * "No cache yet" holds for a moment only: another process sharing the folder may create it any
   * time, and a read after that (a call another process just made) must see it.
   */
  #forgetAbsence(pending: Promise<Outcome>): void {
    if (this.#absenceTimer) return;
    this.#absenceTimer = setTimeout(() => {
      this.#absenceTimer = undefined;
      if (this.#opening === pending) this.#opening = undefined;
    }, ABSENCE_RECHECK_MS);
    this.#absenceTimer.unref();
  }

  async #open(create: boolean): Promise<Outcome> {
    // Reading a cache that does not exist creates nothing, not even the lock beside it.
    if (!create && !(await lstat(this.dir).catch(() => undefined))) return 'absent';
    try {
      await mkdir(dirname(this.dir), { recursive: true });
      return await withFileLock(this.paths.guard, () => this.#checkAndOpen(create), GUARD_LOCK);
    } catch (error) {
      return this.#unusable((error as Error).message);
    }
  }

  async #checkAndOpen(create: boolean): Promise<Outcome> {
    if ((await finishInterruptedCompaction(this.paths)) === 'restored') {
      this.warn(`note: response cache ${this.dir}: a compaction (prune --compact) was interrupted; restored the cache as it was before it`);
    }
    for (let round = 0; round < 4; round++) {
      const found = await inspectCacheFiles(this.paths);
      if (found.state === 'unusable') return this.#unusable(found.problem);
      if (found.state === 'damaged') {
        await this.#moveAside(found.target, found.problem, found.keepsEntries);
        continue;
      }
      if (found.state === 'absent' && !create) return 'absent';
      let stampedTxnId: number | undefined;
      if (found.state === 'ok' && found.data) {
        if (!(await stampMatches(this.paths, found.data))) {
          const walk = await walkCacheEntries(this.paths.database, 'structure', found.data.size);
          if (!walk.ok) {
            await this.#moveAside(this.paths.database, walk.problem, false);
            continue;
          }
          // Sound as it is now: processes starting before this one writes need not walk it again.
          await writeStamp(this.paths, found.data).catch(() => undefined);
        }
        stampedTxnId = found.data.header.meta.txnId;
      }
      let db: CacheDatabase;
      try {
        const { open } = await import('lmdb');
        db = open<string, string>({ path: this.paths.database, encoding: 'string', compression: false });
      } catch (error) {
        if (!isDamageError(error)) return this.#unusable(messageOf(error));
        await this.#moveAside(this.paths.database, `LMDB could not open it: ${messageOf(error)}`, false);
        continue;
      }
      trackOpenCache(this);
      return { db, ino: (await stat(this.paths.data).catch(() => undefined))?.ino, stampedTxnId };
    }
    return this.#unusable('it was still damaged after being moved aside');
  }

  /** Damage LMDB reported on a read or write: moved aside (once, whoever sees it first), then reopened. */
  #recover(opened: Opened, error: unknown): Promise<void> {
    opened.recovery ??= (async () => {
      untrackOpenCache(this);
      await Promise.resolve(opened.db.close()).catch(() => undefined);
      await withFileLock(
        this.paths.guard,
        async () => {
          const now = await stat(this.paths.data).catch(() => undefined);
          // Another process may have moved it aside already and started a fresh one: leave that alone.
          if (now && now.ino === opened.ino) await this.#moveAside(this.paths.database, `LMDB reported ${messageOf(error)}`, false);
        },
        GUARD_LOCK,
      ).catch((failure: unknown) => this.#unusable(messageOf(failure)));
      this.#opening = undefined;
    })();
    return opened.recovery;
  }

  async #moveAside(target: string, problem: string, keepsEntries: boolean): Promise<void> {
    const aside = await moveAside(this.dir, target);
    this.warn(
      keepsEntries
        ? `warning: response cache ${this.dir}: ${problem}. Moved it aside to ${aside}; the cached entries are kept.`
        : `warning: response cache ${this.dir} is damaged: ${problem}. Moved it aside to ${aside} and continuing with an empty cache` +
            ' (`promptopt cache clear` deletes the damaged copy).',
    );
  }

  #unusable(problem: string): 'unusable' {
    if (!this.#warned) this.warn(`warning: response cache ${this.dir} cannot be used (${problem}); continuing without a cache.`);
    this.#warned = true;
    return 'unusable';
  }
}

/** LMDB's codes for a database whose pages are not what they should be. */
export function isDamageError(error: unknown): boolean {
  return /MDB_(CORRUPTED|PAGE_NOTFOUND|PANIC|INVALID|VERSION_MISMATCH|BAD_TXN)/.test(messageOf(error));
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
