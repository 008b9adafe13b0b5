/**
 * A lock beside a file (`<file>.lock`, made with exclusive create) for a short read-modify-write
 * that several processes may attempt at once. A lock left by a process that died (its pid is gone
 * on this host) or older than `staleMs` is broken; a live one is waited for, up to `waitMs`.
 */
import { open, readFile, rm, stat } from 'node:fs/promises';
import { hostname } from 'node:os';

export interface FileLockOptions {
  staleMs?: number;
  waitMs?: number;
}

export class FileLockTimeoutError extends Error {
  constructor(readonly lockFile: string) {
    super(`timed out waiting for the lock ${lockFile}`);
  }
}

const RETRY_MS = 20;

export async function withFileLock<T>(file: string, fn: () => Promise<T>, options: FileLockOptions = {}): Promise<T> {
  const lockFile = `${file}.lock`;
  const staleMs = options.staleMs ?? 10_000;
  const deadline = Date.now() + (options.waitMs ?? 30_000);
  for (;;) {
    if (await tryCreate(lockFile)) break;
    if (await isStale(lockFile, staleMs)) {
      await rm(lockFile, { force: true });
      continue;
    }
    if (Date.now() > deadline) throw new FileLockTimeoutError(lockFile);
    await new Promise((resolve) => setTimeout(resolve, RETRY_MS + Math.random() * RETRY_MS));
  }
  try {
    return await fn();
  } finally {
    await rm(lockFile, { force: true });
  }
}

async function tryCreate(lockFile: string): Promise<boolean> {
  try {
    const handle = await open(lockFile, 'wx');
    try {
      await handle.writeFile(JSON.stringify({ pid: process.pid, host: hostname() }));
    } finally {
      await handle.close();
    }
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

async function isStale(lockFile: string, staleMs: number): Promise<boolean> {
  try {
    const [info, text] = await Promise.all([stat(lockFile), readFile(lockFile, 'utf8')]);
    if (Date.now() - info.mtimeMs > staleMs) return true;
    const owner = JSON.parse(text) as { pid?: unknown; host?: unknown };
    return owner.host === hostname() && typeof owner.pid === 'number' && !isAlive(owner.pid);
  } catch {
    return false; // gone already (the next try takes it), or half-written (its owner is writing it)
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
