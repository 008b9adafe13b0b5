import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { acquireFileLock, withFileLock } from '../../src/util/file-lock.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'promptopt-lock-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A pid that is certainly not running: a child that has exited. */
function deadPid(): number {
  return spawnSync(process.execPath, ['-e', '0']).pid!;
}

describe('withFileLock', () => {
  it('lets one holder in at a time and removes the lock after', async () => {
    const lock = join(dir, 'x.lock');
    let inside = 0;
    let most = 0;
    await Promise.all(
      Array.from({ length: 8 }, () =>
        withFileLock(lock, async () => {
          inside++;
          most = Math.max(most, inside);
          await new Promise((r) => setTimeout(r, 5));
          inside--;
        }),
      ),
    );
    expect(most).toBe(1);
    expect(await readdir(dir)).toEqual([]);
  });

  it('breaks a lock left by a process that is gone, at once', async () => {
    const lock = join(dir, 'x.lock');
    await writeFile(lock, JSON.stringify({ pid: deadPid(), host: hostname(), at: Date.now() }));
    const started = Date.now();
    expect(await withFileLock(lock, async () => 'in')).toBe('in');
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('breaks a lock nobody touched for staleMs, and an unreadable one after a grace period', async () => {
    const lock = join(dir, 'x.lock');
    await writeFile(lock, JSON.stringify({ pid: process.pid, host: 'another-host', at: Date.now() - 60_000 }));
    const old = new Date(Date.now() - 60_000);
    await utimes(lock, old, old);
    expect(await withFileLock(lock, async () => 'stale broken', { staleMs: 1_000 })).toBe('stale broken');

    await writeFile(lock, 'garbage');
    await utimes(lock, old, old);
    expect(await withFileLock(lock, async () => 'garbage broken')).toBe('garbage broken');
  });

  it('moves a folder found at the lock path aside instead of waiting forever', async () => {
    const lock = join(dir, 'x.lock');
    await mkdir(join(lock, 'inside'), { recursive: true });
    expect(await withFileLock(lock, async () => 'in')).toBe('in');
    expect((await readdir(dir)).some((name) => name.startsWith('x.lock.broken-'))).toBe(true);
  });

  it('waits for a live holder, and times out with a clear error', async () => {
    const lock = join(dir, 'x.lock');
    const release = await acquireFileLock(lock);
    await expect(withFileLock(lock, async () => 'never', { timeoutMs: 200 })).rejects.toThrow(/timed out .* waiting for the lock/);
    await release();
    expect(await withFileLock(lock, async () => 'after release')).toBe('after release');
  });
});

describe('a lock path that is not a .lock file', () => {
  it('is refused before anything is touched: a data file is never taken over as a lock', async () => {
    await expect(withFileLock('/tmp/promptopt-not-a-lock/task.yaml', async () => 'never')).rejects.toThrow(/must end in \.lock/);
  });
});
