/**
 * Three `optimize` runs of one spec at once, as three real processes sharing the versions folder and
 * the cache: they propose the same prompts (a deterministic optimizer), and each prompt text ends up
 * as exactly one version, with lineage that points at existing versions; and each target call is
 * paid once, however many processes need it at the same moment.
 */
import { afterEach, describe, expect, test } from 'vitest';
import { makeTempDir, removeDir } from './helpers/cli.js';
import { fixOneShown, group, optimizeDetached, optimizeSpec, readVersions, startWorld, writeTask, type OptimizeWorld } from './helpers/optimize-harness.js';

const CASES = [
  ...group('alpha', 'train', 2),
  ...group('bravo', 'train', 2),
  ...group('charlie', 'train', 2),
  ...group('alpha', 'validation', 1),
  ...group('bravo', 'test', 1),
];

let dir: string | undefined;
let world: OptimizeWorld | undefined;

afterEach(async () => {
  await world?.close();
  world = undefined;
  if (dir) await removeDir(dir);
});

describe('concurrent optimize runs of one spec', () => {
  test('no two versions hold the same text, and no target call is paid twice', async () => {
    // Latency keeps the three runs in step, so they reach each version at about the same moment.
    world = await startWorld({ cases: CASES, optimizer: fixOneShown, latencyMs: 15 });
    dir = await makeTempDir('promptopt-concurrent-');
    await writeTask(dir, optimizeSpec(CASES, { optimizer: { max_iterations: 3, patience: 3 } }));
    const runs = [0, 1, 2].map(() => optimizeDetached(world!, dir!, ['--json', '--quiet']));
    const results = await Promise.all(runs.map((run) => run.done));
    for (const result of results) {
      expect(result.signal, result.stderr).toBeNull();
      expect(result.code, result.stderr).toBe(0);
    }

    const versions = await readVersions(dir);
    const texts = versions.map((v) => v.text);
    expect(new Set(texts).size, versions.map((v) => `v${v.version}: ${JSON.stringify(v.text)}`).join('\n')).toBe(texts.length);
    // Each run went start -> +alpha -> +bravo -> +charlie: four distinct prompts, four versions.
    expect(versions).toHaveLength(4);
    const numbers = new Set(versions.map((v) => v.version));
    for (const version of versions) {
      const parent = version.meta.parent as number | null;
      if (parent === null) expect(version.meta.source).toBe('start');
      else expect(numbers.has(parent) && parent < version.version).toBe(true);
    }
    // Every target request the server answered was a different one: a process needing a call another
    // process was making waited for its response instead of paying again.
    const targetBodies = world.targetRequests().map((r) => r.body);
    expect(targetBodies.length).toBeGreaterThan(0);
    // (Seen once in ~20 loaded full-suite runs: every call paid twice, as if one run used a cache of its
    // own. What the runs said goes with the failure, to tell why.)
    const said = results.map((result, i) => `run ${i + 1} stderr:\n${result.stderr}`).join('\n');
    expect(new Set(targetBodies).size, `${targetBodies.length - new Set(targetBodies).size} duplicated target calls\n${said}`).toBe(targetBodies.length);
    // Every run reports a best version that exists.
    for (const result of results) {
      const summary = JSON.parse(result.stdout) as { best_version: number };
      expect(numbers.has(summary.best_version), result.stdout).toBe(true);
    }
  }, 60_000);
});
