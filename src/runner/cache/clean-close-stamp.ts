/**
 * The stamp a process writes beside `data.mdb` when it closes the cache cleanly (or after a full
 * check found it sound): the file's size, the txn id in its header and a SHA-1 of its bytes. When
 * the stamp matches the file, the file is byte for byte one known to be sound, and the full check
 * (a child process reading every entry) is skipped. Any other state (a writer killed, a partial CI
 * restore, a flipped byte even with its modification time put back) fails the match.
 * Hashing reads the file once: about 1 ms per MB.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { writeFileAtomic } from '../../util/atomic-write.js';
import type { CachePaths } from './cache-paths.js';
import type { DataFile } from './inspect-cache-files.js';

interface Stamp {
  size: number;
  txn_id: number;
  sha1: string;
}

export async function stampMatches(paths: CachePaths, data: DataFile): Promise<boolean> {
  const stamp = await readStamp(paths.stamp);
  if (!stamp || stamp.size !== data.size || stamp.txn_id !== data.header.meta.txnId) return false;
  return (await hashFile(paths.data).catch(() => undefined)) === stamp.sha1;
}

/** Records `data` (just inspected, or just closed) as sound. */
export async function writeStamp(paths: CachePaths, data: DataFile): Promise<void> {
  const sha1 = await hashFile(paths.data);
  const stamp: Stamp = { size: data.size, txn_id: data.header.meta.txnId, sha1 };
  await writeFileAtomic(paths.stamp, `${JSON.stringify(stamp)}\n`);
}

export async function removeStamp(paths: CachePaths): Promise<void> {
  await rm(paths.stamp, { force: true });
}

export async function hasStamp(paths: CachePaths): Promise<boolean> {
  return (await readStamp(paths.stamp)) !== undefined;
}

async function readStamp(path: string): Promise<Stamp | undefined> {
  try {
    const value = JSON.parse(await readFile(path, 'utf8')) as Partial<Stamp>;
    if (typeof value.size === 'number' && typeof value.txn_id === 'number' && typeof value.sha1 === 'string') return value as Stamp;
  } catch {
    // missing or unreadable: no stamp
  }
  return undefined;
}

async function hashFile(path: string): Promise<string> {
  const hash = createHash('sha1');
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
