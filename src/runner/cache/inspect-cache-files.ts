/**
 * The cheap check run before the cache is ever mapped: what each path is (a folder, a file, a broken
 * link), and whether `data.mdb`'s header is LMDB's and fits the file's size. Reads at most 128 KiB;
 * never loads LMDB, so nothing here can crash the process.
 */
import { lstat, open, stat } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { LMDB_HEADER_BYTES, readLmdbHeader, type LmdbHeader } from './lmdb-header.js';
import type { CachePaths } from './cache-paths.js';

export interface DataFile {
  size: number;
  ino: number;
  header: LmdbHeader;
}

export type FileInspection =
  /** Nothing to open yet (no folder, or no database in it). */
  | { state: 'absent' }
  /** Safe to map. `data` is absent for a database LMDB has not written yet (no or empty data.mdb). */
  | { state: 'ok'; data?: DataFile }
  /**
   * `target` must be moved aside before the cache is used. `keepsEntries`: the target holds no
   * entries (LMDB's lock file), so moving it loses nothing.
   */
  | { state: 'damaged'; problem: string; target: string; keepsEntries: boolean }
  /** Cannot be read or repaired by promptopt (permissions, I/O errors). */
  | { state: 'unusable'; problem: string };

type Kind = 'missing' | 'folder' | 'file' | 'broken link' | 'other';

export async function inspectCacheFiles(paths: CachePaths): Promise<FileInspection> {
  try {
    const dir = await kindOf(paths.dir);
    if (dir.kind === 'missing') return { state: 'absent' };
    if (dir.kind !== 'folder') return damaged(`${paths.dir} is ${describe(dir.kind)}, not a folder`, paths.dir);

    const database = await kindOf(paths.database);
    if (database.kind === 'missing') return { state: 'absent' };
    if (database.kind !== 'folder') return damaged(`${paths.database} is ${describe(database.kind)}, not a folder`, paths.database);

    const lock = await kindOf(paths.lock);
    if (lock.kind !== 'missing' && lock.kind !== 'file') {
      return { state: 'damaged', problem: `LMDB's lock file ${paths.lock} is ${describe(lock.kind)}`, target: paths.lock, keepsEntries: true };
    }

    const data = await kindOf(paths.data);
    if (data.kind === 'missing') return { state: 'ok' };
    if (data.kind !== 'file') return damaged(`${paths.data} is ${describe(data.kind)}, not a file`, paths.database);
    const info = data.stats!;
    if (info.size === 0) return { state: 'ok' };
    const reading = readLmdbHeader(await readStart(paths.data, LMDB_HEADER_BYTES), info.size);
    if (!reading.ok) return damaged(reading.problem, paths.database);
    return { state: 'ok', data: { size: info.size, ino: info.ino, header: reading.header } };
  } catch (error) {
    return { state: 'unusable', problem: (error as Error).message };
  }
}

function damaged(problem: string, target: string): FileInspection {
  return { state: 'damaged', problem, target, keepsEntries: false };
}

async function kindOf(path: string): Promise<{ kind: Kind; stats?: Stats }> {
  let link: Stats;
  try {
    link = await lstat(path);
  } catch (error) {
    if (isMissing(error)) return { kind: 'missing' };
    throw error;
  }
  let target = link;
  if (link.isSymbolicLink()) {
    try {
      target = await stat(path);
    } catch (error) {
      if (isMissing(error)) return { kind: 'broken link' };
      throw error;
    }
  }
  if (target.isDirectory()) return { kind: 'folder', stats: target };
  if (target.isFile()) return { kind: 'file', stats: target };
  return { kind: 'other', stats: target };
}

function describe(kind: Kind): string {
  if (kind === 'folder') return 'a folder';
  if (kind === 'file') return 'a file';
  if (kind === 'broken link') return 'a symbolic link to nothing';
  return 'neither a file nor a folder';
}

async function readStart(path: string, length: number): Promise<Buffer> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(length);
    const { bytesRead } = await handle.read(buffer, 0, length, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

function isMissing(error: unknown): boolean {
  const code = (error as { code?: string }).code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}
