/**
 * `promptopt prune` end to end on a task folder with old and new optimize runs, cache entries of
 * both ages (and undated ones), compare folders and damaged cache copies: `--dry-run` names exactly
 * the old ones and changes nothing; `prune` (its age from the spec's `retention.days`) removes exactly
 * them, keeping the reports of the old run that made the versions; `--version-reports` removes those
 * too; `--compact` shrinks the cache file, and is skipped while another process has the cache open.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, readdir, readFile, rename, stat, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { ResponseCache } from '../../src/runner/response-cache.js';
import { asidePath } from '../../src/runner/cache/cache-paths.js';
import { exists, listFiles, makeTempDir, parseJsonOut, readAllFiles, removeDir, REPO_ROOT, runCli } from './helpers/cli.js';
import { fixOneShown, group, optimize, optimizeSpec, readJson, startWorld, writeTask, type OptimizeWorld, type TaskCase } from './helpers/optimize-harness.js';

const CASES: TaskCase[] = [...group('alpha', 'train', 3), ...group('bravo', 'train', 3), ...group('alpha', 'validation', 1), ...group('bravo', 'test', 2)];
const DAY = 86_400_000;
const OLD = new Date(Date.now() - 40 * DAY);

let world: OptimizeWorld;
let dir: string;
const cacheDir = () => join(dir, '.promptopt', 'cache');
const runsDir = () => join(dir, '.promptopt', 'runs');
const prune = (args: string[]) => runCli(['prune', 'task.yaml', ...args], { cwd: dir, env: world.env() });

beforeAll(async () => {
  world = await startWorld({ cases: CASES, optimizer: fixOneShown });
});
afterAll(async () => {
  await world.close();
});
beforeEach(async () => {
  world.server.reset();
  dir = await makeTempDir('promptopt-prune-');
});
afterEach(async () => {
  await removeDir(dir);
});

/** Runs optimize once; returns the new run's id. */
async function optimizeRun(): Promise<string> {
  const before = new Set(await readdir(runsDir()).catch(() => [] as string[]));
  const result = await optimize(world, dir, ['--json']);
  expect(result.code, result.stderr).toBe(0);
  return (await readdir(runsDir())).find((name) => !before.has(name))!;
}

/** Makes a run look 40 days old: the times its checkpoint records and its files' modification times. */
async function ageRun(runId: string): Promise<void> {
  const runDir = join(runsDir(), runId);
  const checkpoint = await readJson(join(runDir, 'checkpoint.json'));
  for (const key of ['startedAt', 'stoppedAt', 'finishedAt']) if (checkpoint[key]) checkpoint[key] = OLD.toISOString();
  await writeFile(join(runDir, 'checkpoint.json'), JSON.stringify(checkpoint, null, 2));
  for (const name of await readdir(runDir)) await utimes(join(runDir, name), OLD, OLD);
}

/** Rewrites the write time of the entries `runIds` paid for to 40 days ago; adds two entries without one. Returns the aged keys. */
async function ageEntries(runIds: string[]): Promise<{ aged: string[]; undated: string[] }> {
  const cache = new ResponseCache(cacheDir());
  const aged: string[] = [];
  for (const key of await cache.keys()) {
    const entry = await cache.lookup(key);
    if (!entry?.paidBy?.runId || !runIds.includes(entry.paidBy.runId)) continue;
    await cache.put(key, entry.response, { ...entry.paidBy, at: OLD.toISOString() });
    aged.push(key);
  }
  const undated = ['undated-entry-1', 'undated-entry-2'];
  for (const key of undated) await cache.put(key, { text: 'written before write times were recorded', usage: { inputTokens: 1, outputTokens: 1 }, latencyMs: 1, costUsd: 0, model: 'm' });
  await cache.close();
  return { aged: aged.sort(), undated };
}

async function cacheKeys(): Promise<string[]> {
  const cache = new ResponseCache(cacheDir());
  const keys = await cache.keys();
  await cache.close();
  return keys.sort();
}

/** Everything under the task folder but the cache database (whose files LMDB may touch on open). */
async function snapshot(): Promise<Record<string, string>> {
  const files = await readAllFiles(dir);
  return Object.fromEntries(files.filter((f) => !f.path.startsWith('.promptopt/cache/')).map((f) => [f.path, f.text]));
}

interface World {
  versionRun: string;
  plainRun: string;
  recentRun: string;
  aged: string[];
  undated: string[];
  oldCompare: string;
  newCompare: string;
  oldCopy: string;
  newCopy: string;
}

/**
 * Three runs of one task: the first made the versions (v1, v2), the second reused them; both are
 * aged 40 days with the entries they paid for; the third stays recent. Plus an old and a new compare
 * folder, an old and a new damaged cache copy, and a folder of the user's under the runs folder.
 */
async function buildFolder(): Promise<World> {
  await writeTask(dir, optimizeSpec(CASES, { optimizer: { max_iterations: 1 }, extra: { retention: { days: 30 } } }));
  const versionRun = await optimizeRun();
  const plainRun = await optimizeRun();
  const recentRun = await optimizeRun();
  const versions = await readdir(join(dir, 'prompt-versions'));
  for (const name of versions.filter((n) => n.endsWith('.json'))) {
    expect((await readJson(join(dir, 'prompt-versions', name))).run_id).toBe(versionRun);
  }
  await ageRun(versionRun);
  await ageRun(plainRun);
  const { aged, undated } = await ageEntries([versionRun, plainRun]);
  expect(aged.length).toBeGreaterThan(0);

  const oldCompare = 'compare-20240101-000000';
  const newCompare = 'compare-20991231-000000'; // recent by its files, whatever its name says
  for (const name of [oldCompare, newCompare]) {
    await mkdir(join(runsDir(), name));
    await writeFile(join(runsDir(), name, 'compare.json'), '{"cases": ["a user\'s input"]}\n');
  }
  await utimes(join(runsDir(), oldCompare, 'compare.json'), OLD, OLD);
  await mkdir(join(runsDir(), 'notes'));
  await writeFile(join(runsDir(), 'notes', 'mine.txt'), 'not promptopt\'s\n');
  await utimes(join(runsDir(), 'notes', 'mine.txt'), OLD, OLD);

  const oldCopy = asidePath(cacheDir(), OLD);
  const newCopy = asidePath(cacheDir(), new Date());
  for (const copy of [oldCopy, newCopy]) {
    await mkdir(join(copy, 'responses-v1'), { recursive: true });
    await writeFile(join(copy, 'responses-v1', 'data.mdb'), Buffer.alloc(4096, 7));
  }
  return { versionRun, plainRun, recentRun, aged, undated, oldCompare, newCompare, oldCopy, newCopy };
}

describe('prune on a folder with old and new runs, cache entries, compare folders and damaged copies', () => {
  test('--dry-run names exactly the old ones and changes nothing; prune removes exactly them', async () => {
    const w = await buildFolder();
    const keysBefore = await cacheKeys();
    const filesBefore = await snapshot();
    const versionsBefore = await listFiles(join(dir, 'prompt-versions'));

    const dry = await prune(['--dry-run', '--json']);
    expect(dry.code, dry.stderr).toBe(0);
    const planned = parseJsonOut(dry);
    const expectDeleted = (doc: Record<string, any>) => {
      expect(doc.older_than).toBe('30d'); // the spec's retention.days
      expect(doc.deleted.map((f: Record<string, any>) => [f.name, f.kind, f.scope, f.files ?? null]).sort()).toEqual(
        [
          [w.oldCompare, 'compare', 'folder', null],
          [w.plainRun, 'run', 'folder', null],
          [w.versionRun, 'run', 'data', ['trace.jsonl', 'spend.jsonl', 'cases.json']],
        ].sort(),
      );
      expect(doc.recent).toBe(2); // the recent run and the recent compare folder
      expect(doc.cache).toMatchObject({ present: true, entries: keysBefore.length, deleted: w.aged.length, undated: w.undated.length });
      expect(doc.damaged_copies.map((c: { path: string }) => c.path)).toEqual([w.oldCopy]);
      expect(doc.bytes_freed).toBeGreaterThan(0);
    };
    expectDeleted(planned);
    expect(planned.dry_run).toBe(true);
    expect(await snapshot()).toEqual(filesBefore);
    expect(await cacheKeys()).toEqual(keysBefore);

    const text = await prune(['--dry-run']);
    expect(text.stdout).toContain('dry run: nothing deleted');
    expect(text.stdout).toContain(`would delete run ${w.plainRun}`);
    expect(text.stdout).toContain(`would delete ${w.aged.length} of ${keysBefore.length} entries`);
    expect(text.stdout).toContain(`${w.undated.length} entries record no write time`);

    const done = await prune(['--json']);
    expect(done.code, done.stderr).toBe(0);
    const result = parseJsonOut(done);
    expectDeleted(result);
    expect(result.dry_run).toBe(false);
    expect(result.cache.after.file_bytes).toBeGreaterThan(0);

    // Exactly the old ones went.
    expect(await exists(join(runsDir(), w.plainRun))).toBe(false);
    expect((await readdir(join(runsDir(), w.versionRun))).sort()).toEqual(['checkpoint.json', 'report.html', 'report.json', 'report.md']);
    expect((await readdir(join(runsDir(), w.recentRun))).sort()).toEqual(['cases.json', 'checkpoint.json', 'report.html', 'report.json', 'report.md', 'spend.jsonl', 'trace.jsonl']);
    expect(await exists(join(runsDir(), w.oldCompare))).toBe(false);
    expect(await exists(join(runsDir(), w.newCompare, 'compare.json'))).toBe(true);
    expect(await readFile(join(runsDir(), 'notes', 'mine.txt'), 'utf8')).toBe('not promptopt\'s\n');
    expect(await cacheKeys()).toEqual(keysBefore.filter((key) => !w.aged.includes(key)));
    expect(await exists(w.oldCopy)).toBe(false);
    expect(await exists(w.newCopy)).toBe(true);
    expect(await listFiles(join(dir, 'prompt-versions'))).toEqual(versionsBefore);
    const after = await snapshot();
    for (const path of ['task.yaml', ...versionsBefore.map((f) => `prompt-versions/${f}`)]) expect(after[path]).toBe(filesBefore[path]);

    // The report of the old run still renders (from its checkpoint, without the case table).
    const report = await runCli(['report', w.versionRun, 'task.yaml'], { cwd: dir, env: world.env() });
    expect(report.code, report.stderr).toBe(0);
    expect(report.stdout).toContain('no cases.json');

    // Again: nothing more to delete; the version's reports are named as kept.
    const again = parseJsonOut(await prune(['--json']));
    expect(again.deleted).toEqual([]);
    expect(again.version_reports_kept).toEqual([w.versionRun]);
    expect(again.cache.deleted).toBe(0);

    // --version-reports takes them too.
    const reports = parseJsonOut(await prune(['--json', '--version-reports']));
    expect(reports.deleted.map((f: Record<string, any>) => [f.name, f.scope, f.made_version])).toEqual([[w.versionRun, 'folder', 'yes']]);
    expect(await exists(join(runsDir(), w.versionRun))).toBe(false);
    expect(await exists(join(runsDir(), w.recentRun, 'trace.jsonl'))).toBe(true);
    expect(await listFiles(join(dir, 'prompt-versions'))).toEqual(versionsBefore);
  });

  test('--compact shrinks the cache file to its live entries; skipped while another process has the cache open', async () => {
    const w = await buildFolder();
    expect(parseJsonOut(await prune(['--json'])).cache.deleted).toBe(w.aged.length);
    const keys = await cacheKeys();
    const data = join(cacheDir(), 'responses-v1', 'data.mdb');
    const sizeBefore = (await stat(data)).size;

    const holder = await holdCacheOpen(join(cacheDir(), 'responses-v1'));
    try {
      const skipped = parseJsonOut(await prune(['--json', '--compact']));
      expect(skipped.cache.compaction).toEqual({ compacted: false, reason: expect.stringContaining(`pid ${holder.pid}`) });
      expect((await stat(data)).size).toBe(sizeBefore);
    } finally {
      holder.kill();
      await new Promise((resolve) => holder.once('exit', resolve));
    }

    const compacted = await prune(['--compact']);
    expect(compacted.code, compacted.stderr).toBe(0);
    expect(compacted.stdout).toMatch(/compacted: the cache file went from .* to /);
    const sizeAfter = (await stat(data)).size;
    expect(sizeAfter).toBeLessThan(sizeBefore);
    expect(await cacheKeys()).toEqual(keys);
    const cache = new ResponseCache(cacheDir());
    expect((await cache.lookup(keys[0]!))?.response.text).toEqual(expect.any(String));
    await cache.close();
    const verify = await runCli(['cache', 'verify', 'task.yaml'], { cwd: dir, env: world.env() });
    expect(verify.code, verify.stdout).toBe(0);
    expect(verify.stdout).toContain('healthy');
  });
});

describe('prune --compact killed half-way', () => {
  test('the next command restores the cache as it was (a kill between the renames) or drops the partial copy (a kill during the copy)', async () => {
    await writeTask(dir, optimizeSpec(CASES, { optimizer: { max_iterations: 1 } }));
    await optimizeRun();
    const keys = await cacheKeys();
    expect(keys.length).toBeGreaterThan(0);
    const database = join(cacheDir(), 'responses-v1');
    // A kill after the database was renamed away and before the copy took its place (dead pid 999999).
    await rename(database, `${database}.replaced-999999`);
    await mkdir(`${database}.compacting-999999`);
    await writeFile(join(`${database}.compacting-999999`, 'data.mdb'), 'a copy cut short');
    const before = world.seen.length;
    const served = await runCli(['eval', 'task.yaml', '--split', 'train', '--json'], { cwd: dir, env: world.env() });
    expect(served.code, served.stderr).toBeLessThan(2);
    expect(served.stderr).toContain('a compaction (prune --compact) was interrupted; restored the cache');
    expect(await cacheKeys()).toEqual(keys);
    expect((await readdir(cacheDir())).filter((n) => n.includes('-999999'))).toEqual([]);
    // A kill during the copy: the database is in place, the partial copy is deleted, no note.
    await mkdir(`${database}.compacting-999998`);
    const again = await runCli(['eval', 'task.yaml', '--split', 'train', '--json'], { cwd: dir, env: world.env() });
    expect(again.stderr).not.toContain('compaction');
    expect((await readdir(cacheDir())).filter((n) => n.includes('-99999'))).toEqual([]);
    expect(world.seen.length, 'every train case came from the cache').toBe(before);
  });
});

describe('prune: usage', () => {
  test('an age is required: --older-than or the spec\'s retention.days; a bad age is named', async () => {
    await writeTask(dir, optimizeSpec(CASES));
    const none = await prune([]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('prune needs an age');
    expect(none.stderr).toContain('--older-than 30d');
    expect(none.stderr).toContain('retention: { days: 30 }');
    const bare = await prune(['--older-than', '30']);
    expect(bare.code).toBe(2);
    expect(bare.stderr).toContain('--older-than must be an age such as 30d');
    const both = await prune(['--older-than', '30d', '--dry-run', '--compact']);
    expect(both.code).toBe(2);
    const fine = await prune(['--older-than', '30d', '--dry-run']);
    expect(fine.code, fine.stderr).toBe(0);
    expect(fine.stdout).toContain('no cache');
  });

  test('retention.days is checked with the spec', async () => {
    await writeTask(dir, optimizeSpec(CASES, { extra: { retention: { days: 0 } } }));
    const result = await prune(['--dry-run']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('retention.days');
  });
});

/** A child process with the cache open and read from (so it holds a slot in LMDB's reader table). */
async function holdCacheOpen(path: string): Promise<ChildProcess> {
  const script = `import('lmdb').then(({ open }) => { const db = open({ path: ${JSON.stringify(path)}, encoding: 'string', compression: false }); db.getKeysCount(); process.stdout.write('ready\\n'); setInterval(() => db.get('x'), 1000); });`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => chunk.toString().includes('ready') && resolve());
    child.once('exit', (code) => reject(new Error(`cache holder exited with ${code}`)));
  });
  return child;
}
