/**
 * "The same text is the same version", whatever number of processes write at once: finding a
 * version by its text and writing a new one happen under the versions folder's lock, so two runs
 * accepting the same prompt at the same moment share one version instead of writing v4 and v5.
 * Held for milliseconds; a lock left by a killed process is broken (see util/file-lock.ts).
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { withFileLock, type FileLockOptions } from '../util/file-lock.js';
import { findVersionByText } from './find-version-by-text.js';
import { writeVersion, type WriteVersionInput, type WrittenVersion } from './write-version.js';

/** The lock file inside the versions folder (never committed: it exists only while held). */
export const VERSIONS_LOCK = '.versions.lock';
export const VERSIONS_LOCK_OPTIONS: FileLockOptions = { staleMs: 30_000, timeoutMs: 120_000 };

export type FoundOrWritten = WrittenVersion & {
  /** True when a version with this exact text existed: nothing was written. */
  reused: boolean;
};

export async function findOrWriteVersion(dir: string, input: WriteVersionInput): Promise<FoundOrWritten> {
  await mkdir(dir, { recursive: true });
  return withVersionsLock(dir, async () => {
    const existing = await findVersionByText(dir, input.text);
    if (existing) return { ...existing, file: join(dir, existing.promptFile), reused: true };
    return { ...(await writeVersion(dir, input)), reused: false };
  });
}

/** Runs `body` holding the versions folder's lock (the folder must exist). */
export function withVersionsLock<T>(dir: string, body: () => Promise<T>): Promise<T> {
  return withFileLock(join(dir, VERSIONS_LOCK), body, VERSIONS_LOCK_OPTIONS);
}
