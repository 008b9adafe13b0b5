/**
 * An exclusive lock shared by processes on one machine (and by async tasks in one process): a lock
 * file holding its owner's pid, host and start time, created with O_EXCL (which fails when the name
 * is taken). Its owner touches it every few seconds while holding it. A lock is broken when its
 * owner is gone (same host, pid no longer running), or when it has not been touched for `staleMs` (a
 * process on another host, or a pid reused since), or when it cannot be read and is a few seconds old
 * (a lock just created is empty for a moment). Callers hold it briefly, so waiting is a short poll.
 */
import { lstat, open, readFile, rename, rm, utimes, type FileHandle } from 'node:fs/promises';
import { hostname } from 'node:os';
import { PromptoptError, EXIT } from '../errors.js';

export interface FileLockOptions {
  /** A lock not touched for this long is broken even when its pid runs (default 30 s; owners touch it every staleMs / 4). */
  staleMs?: number;
  /** Give up waiting after this long (default 10 min). */
  timeoutMs?: number;
}

interface LockOwner {
  pid: number;
  host: string;
  at: number;
}

const UNREADABLE_GRACE_MS = 3_000;

/** Runs `body` while holding the lock at `path` (created beside the thing it guards). */
export async function withFileLock<T>(path: string, body: () => Promise<T>, options: FileLockOptions = {}): Promise<T> {
  const release = await acquireFileLock(path, options);
  try {
    return await body();
  } finally {
    await release();
  }
}

export async function acquireFileLock(path: string, options: FileLockOptions = {}): Promise<() => Promise<void>> {
  // The lock file is created, broken when stale and deleted: never let it be a file that holds data.
  if (!path.endsWith('.lock')) throw new Error(`internal: a lock path must end in .lock (got ${path})`);
  const staleMs = options.staleMs ?? 30_000;
  const timeoutMs = options.timeoutMs ?? 10 * 60_000;
  const started = Date.now();
  const owner: LockOwner = { pid: process.pid, host: hostname(), at: 0 };
  let wait = 5;
  for (;;) {
    owner.at = Date.now();
    const ino = await tryCreate(path, owner);
    if (ino !== undefined) {
      const heartbeat = setInterval(() => {
        const now = new Date();
        utimes(path, now, now).catch(() => undefined);
      }, staleMs / 4);
      heartbeat.unref();
      return () => {
        clearInterval(heartbeat);
        return releaseLock(path, ino);
      };
    }
    if (await breakIfStale(path, staleMs)) continue;
    if (Date.now() - started > timeoutMs) {
      throw new PromptoptError('LOCK_TIMEOUT', `timed out after ${Math.round(timeoutMs / 1000)} s waiting for the lock ${path}`, {
        exitCode: EXIT.badInput,
        hint: 'another promptopt process holds it; if none is running, delete that file',
      });
    }
    await new Promise((resolve) => setTimeout(resolve, wait + Math.random() * wait));
    wait = Math.min(wait * 2, 100);
  }
}

/** Creates the lock file (O_EXCL), or returns undefined when the name is taken. Returns its inode. */
async function tryCreate(path: string, owner: LockOwner): Promise<number | undefined> {
  let handle: FileHandle;
  try {
    handle = await open(path, 'wx');
  } catch (error) {
    if (errorCode(error) === 'EEXIST') return undefined;
    throw error;
  }
  try {
    await handle.writeFile(JSON.stringify(owner));
    return (await handle.stat()).ino;
  } finally {
    await handle.close();
  }
}

async function releaseLock(path: string, ino: number): Promise<void> {
  // Remove only our own lock: if it was broken as stale meanwhile, the file there is someone else's.
  const info = await lstat(path).catch(() => undefined);
  if (info?.ino === ino) await rm(path, { force: true });
}

/** Removes the lock at `path` when its owner is gone; true when the caller should retry at once. */
async function breakIfStale(path: string, staleMs: number): Promise<boolean> {
  const info = await lstat(path).catch(() => undefined);
  if (!info) return true; // released meanwhile
  if (!info.isFile()) {
    // A folder or a link where the lock file belongs: not ours, so moved aside rather than deleted.
    await rename(path, `${path}.broken-${Date.now()}`).catch(() => undefined);
    return true;
  }
  const owner = parseOwner(await readFile(path, 'utf8').catch(() => ''));
  const age = Date.now() - Math.max(owner?.at ?? 0, info.mtimeMs);
  const stale = owner ? !isAlive(owner) || age > staleMs : age > UNREADABLE_GRACE_MS;
  if (!stale) return false;
  // Only the file judged stale is removed (another process may have replaced it since).
  const now = await lstat(path).catch(() => undefined);
  if (now?.ino === info.ino) await rm(path, { force: true });
  return true;
}

function parseOwner(text: string): LockOwner | undefined {
  try {
    const value = JSON.parse(text) as Partial<LockOwner>;
    if (typeof value.pid === 'number' && typeof value.host === 'string' && typeof value.at === 'number') return value as LockOwner;
  } catch {
    // unreadable: judged by its age
  }
  return undefined;
}

/** False only when the owner ran on this host and its pid is gone (pids of other hosts are unknowable). */
function isAlive(owner: LockOwner): boolean {
  if (owner.host !== hostname()) return true;
  try {
    process.kill(owner.pid, 0);
    return true;
  } catch (error) {
    return errorCode(error) !== 'ESRCH';
  }
}

function errorCode(error: unknown): string | undefined {
  return (error as { code?: string }).code;
}
