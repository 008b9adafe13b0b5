/**
 * A damaged response cache, of each kind CI and crashes produce, through the CLI: no command dies of
 * a signal; a damaged database is moved aside with one warning naming the cache and where its copy
 * went; `eval` gives the results of a clean run (re-asking the server) and fills a fresh cache;
 * `cache verify` reports the damage (exit 1) and changes nothing; `cache stats` repairs like any
 * command; `cache clear` deletes whatever is there without opening it.
 *
 * Where LMDB itself once died of the damage (a damaged data.mdb: SIGBUS, SIGSEGV, SIGABRT), the
 * command that repairs it (`eval`, and `optimize` below) runs as a real process (spawnCli), so "no
 * command dies of a signal" is read from an exit status. Everything else runs in-process, `cache
 * verify` and `cache stats` included although they meet the damage first: no command maps a
 * database before its checks (the full check walks it in a child of its own), and if a regression
 * made one do so, the worker's crash fails this file just the same, at a fraction of the cost of a
 * process per command.
 */
import { cp, mkdir, open, readdir, rm, truncate, writeFile, stat } from 'node:fs/promises';
import { spawnSync } from 'node:child_process';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ResponseCache } from '../../src/runner/response-cache.js';
import { verifyCache } from '../../src/runner/cache/verify-cache.js';
import { exists, makeTempDir, parseJsonOut, removeDir, runCli, spawnCli, writeSpec, type CliResult } from './helpers/cli.js';
import { CASES, EXPECTED_SCORE, caseOutcomes, sentimentSpec, startSentimentServer, type E2eServer } from './helpers/sentiment-task.js';
import { group, optimizeSpec, startWorld, writeTask } from './helpers/optimize-harness.js';

const KEY = 'sk-test-e2e-key-0007';
const env = { OPENAI_API_KEY: KEY };
/** Entries besides the task's four, so the database spans many pages (a realistic "middle"). */
const FILLER = 1500;

let fake: E2eServer;
let template: string;
let cleanOutcomes: Record<string, unknown>;
const dirs: string[] = [];

beforeAll(async () => {
  fake = await startSentimentServer();
  template = await makeTempDir('promptopt-damage-template-');
  await writeSpec(template, sentimentSpec({ provider: 'openai-compatible', model: 'local-llama', base_url: fake.server.openaiBaseUrl }));
  const clean = await runCli(['eval', 'task.yaml', '--json', '--quiet'], { cwd: template, env });
  expect(clean.code, clean.stderr).toBe(0);
  cleanOutcomes = caseOutcomes(parseJsonOut(clean));
  const cache = new ResponseCache(join(template, '.promptopt', 'cache'));
  const filler = { text: 'filler '.repeat(40), usage: { inputTokens: 1, outputTokens: 1 }, latencyMs: 1, costUsd: 0, model: 'm' };
  await Promise.all(Array.from({ length: FILLER }, (_, i) => cache.put(`filler-${i}`, filler)));
  await cache.close(); // stamped as closed cleanly, like a finished CI job's cache
}, 60_000);

afterAll(async () => {
  fake.server.close();
  await Promise.all([template, ...dirs].map(removeDir));
});

/** Deterministic "random" bytes. */
function noise(length: number, seed: number): Buffer {
  const out = Buffer.alloc(length);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

async function overwrite(path: string, at: number, bytes: Buffer): Promise<void> {
  const handle = await open(path, 'r+');
  await handle.write(bytes, 0, bytes.length, at);
  await handle.close();
}

interface Damage {
  name: string;
  apply: (cache: string) => Promise<void>;
  /** What the warning says, besides the paths. */
  problem?: RegExp;
  /** The database keeps its entries (only a lock was broken): eval is served from the cache. */
  keepsEntries?: boolean;
  /** No warning at all: promptopt copes silently (a lock LMDB or promptopt rebuilds). */
  silent?: boolean;
  /** Damage to the database file itself, which crashed LMDB natively before promptopt checked for it. */
  crashedLmdb?: boolean;
}

const data = (cache: string) => join(cache, 'responses-v1', 'data.mdb');

const DAMAGES: Damage[] = [
  {
    name: 'data.mdb truncated to half (a partial CI restore)',
    apply: async (cache) => truncate(data(cache), Math.floor((await stat(data(cache))).size / 2)),
    problem: /truncated/,
    crashedLmdb: true,
  },
  {
    name: 'data.mdb overwritten with random bytes',
    apply: async (cache) => writeFile(data(cache), noise((await stat(data(cache))).size, 7)),
    problem: /not an LMDB header/,
    crashedLmdb: true,
  },
  {
    name: 'a zeroed header',
    apply: async (cache) => overwrite(data(cache), 0, Buffer.alloc(8192)),
    problem: /zeroed/,
    crashedLmdb: true,
  },
  {
    name: 'damage in the middle of the file',
    apply: async (cache) => {
      const size = (await stat(data(cache))).size;
      await overwrite(data(cache), Math.floor(size / 2 / 4096) * 4096, noise(16 * 4096, 11));
    },
    problem: /entries|LMDB|crashed/,
    crashedLmdb: true,
  },
  {
    name: "LMDB's lock file is a folder",
    apply: async (cache) => {
      await rm(join(cache, 'responses-v1', 'lock.mdb'), { force: true });
      await mkdir(join(cache, 'responses-v1', 'lock.mdb', 'junk'), { recursive: true });
    },
    problem: /lock file .*lock\.mdb is a folder/,
    keepsEntries: true,
  },
  {
    name: "LMDB's lock file holds garbage",
    apply: async (cache) => writeFile(join(cache, 'responses-v1', 'lock.mdb'), noise(8272, 3)),
    keepsEntries: true,
    silent: true,
  },
  {
    name: "promptopt's cache lock left by a killed process",
    apply: async (cache) => {
      const dead = spawnSync(process.execPath, ['-e', '0']).pid;
      await writeFile(`${cache}.lock`, JSON.stringify({ pid: dead, host: hostname(), at: Date.now() }));
    },
    keepsEntries: true,
    silent: true,
  },
  {
    name: 'the cache path is a file',
    apply: async (cache) => {
      await rm(cache, { recursive: true });
      await writeFile(cache, 'not a cache\n');
    },
    problem: /is a file, not a folder/,
  },
];

/** A copy of the template task with its cache damaged. */
async function damagedCopy(damage: Damage): Promise<{ dir: string; cache: string }> {
  const dir = await makeTempDir('promptopt-damage-');
  dirs.push(dir);
  await cp(template, dir, { recursive: true });
  const cache = join(dir, '.promptopt', 'cache');
  await damage.apply(cache);
  return { dir, cache };
}

async function asideCopies(cache: string): Promise<string[]> {
  const parent = join(cache, '..');
  return (await readdir(parent)).filter((name) => /^cache\.damaged-\d{8}T\d{6}Z(-\d+)?$/.test(name)).map((name) => join(parent, name));
}

/** The one warning: names the cache and where its damaged part went (which exists); returns that path. */
async function expectOneWarning(result: CliResult, cache: string, problem: RegExp | undefined): Promise<string> {
  const warnings = result.stderr.split('\n').filter((line) => line.startsWith('warning: response cache'));
  expect(warnings, result.stderr).toHaveLength(1);
  const [warning] = warnings as [string];
  expect(warning).toContain(`response cache ${cache}`);
  if (problem) expect(warning).toMatch(problem);
  const moved = /Moved it aside to (\S+?)(?: and|;)/.exec(warning)?.[1];
  expect(moved, warning).toMatch(new RegExp(`^${cache.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.damaged-\\d{8}T\\d{6}Z`));
  expect(await exists(moved!)).toBe(true);
  return moved!;
}

function expectNoSignal(result: CliResult): void {
  expect(result.signal, `killed by ${result.signal}\n${result.stderr}`).toBeNull();
}

describe.each(DAMAGES)('a cache with $name', (damage) => {
  it('eval warns once, moves the damage aside, gives the clean results and fills a fresh cache; cache verify reports it first', async () => {
    const { dir, cache } = await damagedCopy(damage);

    const verify = await runCli(['cache', 'verify', 'task.yaml', '--json'], { cwd: dir, env });
    const report = parseJsonOut(verify);
    if (damage.silent) {
      expect(verify.code, verify.stderr).toBe(0);
      expect(report).toMatchObject({ state: 'healthy', entries: CASES.length + FILLER, problems: [] });
    } else {
      expect(verify.code, verify.stdout).toBe(1);
      expect(report).toMatchObject({ dir: cache, state: 'damaged', exit_code: 1 });
      expect(report.problems.join(' ')).toMatch(damage.problem!);
    }
    expect(await asideCopies(cache)).toEqual([]); // verify changes nothing

    fake.reset();
    const run = await (damage.crashedLmdb ? spawnCli : runCli)(['eval', 'task.yaml', '--json', '--quiet'], { cwd: dir, env });
    expectNoSignal(run);
    expect(run.code, run.stderr).toBe(0);
    if (damage.silent) expect(run.stderr).not.toMatch(/warning/);
    else await expectOneWarning(run, cache, damage.problem);
    const document = parseJsonOut(run);
    expect(document.score).toBe(EXPECTED_SCORE);
    expect(caseOutcomes(document)).toEqual(cleanOutcomes);
    expect(fake.server.count).toBe(damage.keepsEntries ? 0 : CASES.length);

    // The fresh (or kept) cache serves the next run: no request, no warning.
    fake.reset();
    const again = await runCli(['eval', 'task.yaml', '--json', '--quiet'], { cwd: dir, env });
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).not.toMatch(/warning/);
    expect(fake.server.count).toBe(0);
    expect(caseOutcomes(parseJsonOut(again))).toEqual(cleanOutcomes);
  });
});

describe('cache stats repairs a damaged cache like any command; cache clear deletes it without opening it', () => {
  it.for(DAMAGES)('$name', async (damage) => {
    const forStats = await damagedCopy(damage);
    const stats = await runCli(['cache', 'stats', 'task.yaml', '--json'], { cwd: forStats.dir, env });
    expect(stats.code, stats.stderr).toBe(0);
    const counted = parseJsonOut(stats);
    expect(counted.entries).toBe(damage.keepsEntries ? CASES.length + FILLER : 0);
    if (damage.silent) {
      expect(stats.stderr).not.toMatch(/warning/);
    } else {
      const moved = await expectOneWarning(stats, forStats.cache, damage.problem);
      const copy = /^(.*\.damaged-[^/]+)/.exec(moved)![1];
      expect(counted.damaged_copies).toEqual([{ path: copy, bytes: expect.any(Number) }]);
    }

    const forClear = await damagedCopy(damage);
    const cleared = await runCli(['cache', 'clear', 'task.yaml', '--json'], { cwd: forClear.dir, env });
    expect(cleared.code, cleared.stderr).toBe(0);
    const result = parseJsonOut(cleared);
    expect(await exists(join(forClear.cache, 'responses-v1'))).toBe(false);
    if (damage.name === 'the cache path is a file') {
      // Not promptopt's file to delete: moved aside, named in the output.
      expect(result.moved_aside).toMatch(/cache\.damaged-/);
      expect(await exists(result.moved_aside)).toBe(true);
    }
    expect(await verifyCache(forClear.cache)).toMatchObject({ entries: 0, problems: [] });
  });
});

describe('optimize on a damaged cache', () => {
  it('warns once, moves it aside, and completes the run', async () => {
    const cases = [...group('alpha', 'train', 2), ...group('bravo', 'train', 2), ...group('alpha', 'validation', 1), ...group('bravo', 'test', 1)];
    const world = await startWorld({ cases });
    try {
      const dir = await makeTempDir('promptopt-damage-opt-');
      dirs.push(dir);
      await writeTask(dir, optimizeSpec(cases, { optimizer: { max_iterations: 2 } }));
      const cache = join(dir, '.promptopt', 'cache');
      await cp(join(template, '.promptopt', 'cache'), cache, { recursive: true });
      await truncate(data(cache), 5000);
      const run = await spawnCli(['optimize', 'task.yaml', '--json', '--quiet'], { cwd: dir, env: world.env(), timeoutMs: 30_000 });
      expectNoSignal(run);
      expect(run.code, run.stderr).toBe(0);
      await expectOneWarning(run, cache, /truncated|too short/);
      expect(parseJsonOut(run)).toMatchObject({ stop_reason: expect.any(String) });
      const stats = await runCli(['cache', 'stats', 'task.yaml', '--json'], { cwd: dir, env: world.env() });
      expect(parseJsonOut(stats).entries).toBeGreaterThan(0); // the fresh cache was filled
    } finally {
      await world.close();
    }
  });
});
