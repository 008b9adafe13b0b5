/**
 * vitest's global setup: every temp folder of a test run (the e2e tasks, the LMDB caches, the install
 * test's prefix, what libraries write to os.tmpdir()) goes under ONE folder made for the run, removed
 * when the run ends, so a test that forgets to clean up leaves nothing behind (a run killed before
 * its teardown leaves its folder, which a run an hour later or more removes).
 *
 * That folder is in memory (/dev/shm) when the machine has one with room to spare and TMPDIR is not
 * set: the suite writes many thousands of small files (the install test's node_modules alone is 11,000) and
 * syncs LMDB databases, which on a disk-backed /tmp cost about a fifth of the suite's time (81 s
 * against 68 s on the 2-core machine of the README's Benchmarks). A TMPDIR the user sets is used as is.
 * Workers and the CLI processes tests spawn inherit TMPDIR, so os.tmpdir() answers the run's folder.
 */
import { mkdtempSync, readdirSync, rmSync, statfsSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const MEMORY = '/dev/shm';
/** The install test needs about 150 MB at its peak; a container's default /dev/shm (64 MB) is too small. */
const ROOM_BYTES = 1024 ** 3;

function memoryWithRoom(): string | undefined {
  try {
    const fs = statfsSync(MEMORY);
    return fs.bavail * fs.bsize >= ROOM_BYTES ? MEMORY : undefined;
  } catch {
    return undefined;
  }
}

const PREFIX = 'promptopt-tests-';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A live run touches its folder all the time; an hour of quiet and no such process: abandoned. */
const ABANDONED_AFTER_MS = 60 * 60 * 1000;

/**
 * Folders of earlier runs killed before their teardown. Both tests, because a pid alone misleads
 * across PID namespaces (a container sharing /dev/shm sees a live run's pid as gone).
 */
function removeAbandoned(base: string): void {
  for (const name of readdirSync(base)) {
    const pid = Number(/^promptopt-tests-(\d+)-/.exec(name)?.[1]);
    if (!pid || pid === process.pid || alive(pid)) continue;
    const path = join(base, name);
    try {
      if (Date.now() - statSync(path).mtimeMs > ABANDONED_AFTER_MS) rmSync(path, { recursive: true, force: true });
    } catch {
      // gone already, or not ours to read
    }
  }
}

let root: string | undefined;

export function setup(): void {
  const base = process.env.TMPDIR ? tmpdir() : (memoryWithRoom() ?? tmpdir());
  removeAbandoned(base);
  root = mkdtempSync(join(base, `${PREFIX}${process.pid}-`));
  process.env.TMPDIR = root;
}

export function teardown(): void {
  if (root) rmSync(root, { recursive: true, force: true });
}
