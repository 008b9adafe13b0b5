/**
 * Money across kills, end to end through the CLI against the fake server: what promptopt reports
 * spending is held to what the server counted (its per-request token counts at promptopt's
 * prices), after kill -9 at seeded random points, and the server-counted spend never exceeds the
 * budget. Calls cut off by a kill are counted at their reservation (the provider may have billed
 * them), so the report may be above the server's count by exactly those reservations, never below.
 */
import { readFile } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { seededRandom } from '../../src/util/seeded-random.js';
import { makeTempDir, parseJsonOut, removeDir, runCli } from './helpers/cli.js';
import {
  fixOneShown,
  group,
  optimize,
  optimizeDetached,
  optimizeSpec,
  readJson,
  startWorld,
  writeTask,
  type OptimizeWorld,
  type TaskCase,
} from './helpers/optimize-harness.js';
import { chargedCalls, killPoints, readSpendJournal, runWithKills, serverCost, type SpecPrices } from './helpers/spend.js';

const CASES: TaskCase[] = [
  ...group('alpha', 'train', 3),
  ...group('bravo', 'train', 3),
  ...group('charlie', 'train', 3),
  ...group('delta', 'train', 3),
  ...group('alpha', 'validation', 1),
  ...group('bravo', 'validation', 1),
  ...group('charlie', 'test', 2),
];

// A target call costs about $0.04 (about 40 tokens at $1 per 1000) and reserves about $0.2; an
// optimizer call costs about $0.04 and reserves about $0.45 (its meta-prompt, plus 512 output tokens).
const PRICES: SpecPrices = {
  'fake-target-1': { input_per_mtok: 1000, output_per_mtok: 1000 },
  'fake-optimizer-1': { input_per_mtok: 100, output_per_mtok: 100 },
};
const SPEC = optimizeSpec(CASES, {
  target: { price: PRICES['fake-target-1'], max_tokens: 8 },
  optimizer: { price: PRICES['fake-optimizer-1'], max_tokens: 512, max_iterations: 10, patience: 10, candidates: 2 },
});
const BUDGET = 3;

let dir: string;
let world: OptimizeWorld | undefined;

beforeEach(async () => {
  dir = await makeTempDir('promptopt-opt-spend-');
});

afterEach(async () => {
  await world?.close();
  world = undefined;
  await removeDir(dir);
});

describe('optimize: spend is exact and the budget holds across kills', () => {
  test('an uninterrupted budget stop reports exactly what the server counted, within the budget', async () => {
    world = await startWorld({ cases: CASES, optimizer: fixOneShown, latencyMs: 5 });
    await writeTask(dir, SPEC);
    const result = await optimize(world, dir, ['--json', '--max-cost', String(BUDGET), '-j', '4']);
    expect(result.code, result.stderr).toBe(0);
    const summary = parseJsonOut(result);
    expect(summary.stop_reason).toBe('budget');
    const server = serverCost(world.server, PRICES);
    expect(server).toBeLessThanOrEqual(BUDGET);
    // Calls still in flight when the budget stopped the run are waited for and counted.
    expect(summary.cost_usd).toBeCloseTo(server, 9);
    expect((await readJson(summary.reports.json)).totals.cost_usd).toBeCloseTo(server, 9);
    const journal = await readSpendJournal(dir);
    expect(journal.filter((l) => l.t === 'reserve')).toHaveLength(world.server.count); // every request journaled
    expect(chargedCalls(journal)).toEqual([]);
  });

  // Three kills in a row at seeded points (each resume killed again): requests 3 and 13 of the server's
  // count fall in the baseline, 20 in the first iteration. One kill in the first iteration (a test of
  // its own until this suite was trimmed for time) is the situation of the last of them.
  test("after 3 kills -9 at seeded random points, the reported cost is the server's count (cut-off calls at their reservation) and the budget holds", async () => {
    world = await startWorld({ cases: CASES, optimizer: fixOneShown });
    await writeTask(dir, SPEC);
    const args = ['--quiet', '--max-cost', String(BUDGET), '-j', '1'];
    const killAt = killPoints(seededRandom(3), 3, 2, 28);
    const kills = await runWithKills(world, dir, args, killAt, PRICES);

    const finished = await optimize(world, dir, ['--resume', 'latest', '--json', '--max-cost', String(BUDGET), '-j', '1']);
    expect(finished.code, finished.stderr).toBe(0);
    const summary = parseJsonOut(finished);
    expect(summary.stop_reason).toBe('budget');

    const server = serverCost(world.server, PRICES);
    expect(server, 'the server-counted spend exceeds the budget').toBeLessThanOrEqual(BUDGET);
    expect(summary.cost_usd).toBeLessThanOrEqual(BUDGET);
    // Every request the server saw was journaled before it was sent...
    const journal = await readSpendJournal(dir);
    expect(journal.filter((l) => l.t === 'reserve')).toHaveLength(world.server.count);
    // ...each kill cut off exactly the call in flight (the held one), counted at its reservation...
    const charged = chargedCalls(journal);
    expect(charged.map((c) => c.reserve.model)).toEqual(kills.map((kill) => kill.heldModel));
    for (const { reserve, charge } of charged) expect(charge.usd).toBe(reserve.usd);
    // ...and everything else at what the server counted.
    const cutOffServer = kills.reduce((sum, kill) => sum + kill.heldServerUsd, 0);
    const cutOffReserved = charged.reduce((sum, c) => sum + c.charge.usd!, 0);
    expect(summary.cost_usd).toBeCloseTo(server - cutOffServer + cutOffReserved, 9);
    expect(summary.cost_usd).toBeGreaterThanOrEqual(server - 1e-9);
    // The calls paid before a kill came back from the cache, known as this run's.
    expect(summary.spend.replayed_calls).toBeGreaterThan(0);
    expect(summary.spend.saved_calls).toBe(0);
    expect(summary.spend.calls_at_reservation).toBe(3);
  });

  test('kills at random moments with calls in flight (-j 4, 3 kills): never under-reported, and the budget holds', async () => {
    world = await startWorld({ cases: CASES, optimizer: fixOneShown, latencyMs: 3 });
    await writeTask(dir, SPEC);
    const args = ['--quiet', '--max-cost', String(BUDGET), '-j', '4'];
    for (const [i, at] of killPoints(seededRandom(7), 3, 3, 26).entries()) {
      const run = optimizeDetached(world, dir, i === 0 ? args : [...args, '--resume', 'latest']);
      world.setHold(() => {
        if (world!.arrived.length - 1 === at) run.child.kill('SIGKILL'); // others are in flight too
        return undefined;
      });
      expect((await run.done).signal).toBe('SIGKILL');
      world.setHold(undefined);
    }
    await new Promise((resolve) => setTimeout(resolve, 50)); // the answers to the dead process are sent
    const finished = await optimize(world, dir, ['--resume', 'latest', '--json', '--max-cost', String(BUDGET), '-j', '4']);
    expect(finished.code, finished.stderr).toBe(0);
    const summary = parseJsonOut(finished);
    const server = serverCost(world.server, PRICES);
    expect(server).toBeLessThanOrEqual(BUDGET);
    expect(summary.cost_usd).toBeLessThanOrEqual(BUDGET);
    expect(summary.cost_usd).toBeGreaterThanOrEqual(server - 1e-9);
    // Above the server's count by at most the reservations of the calls cut off.
    const charged = chargedCalls(await readSpendJournal(dir));
    expect(charged.length).toBeLessThanOrEqual(3 * 4);
    expect(summary.cost_usd - server).toBeLessThanOrEqual(charged.reduce((sum, c) => sum + c.charge.usd!, 0) + 1e-9);
  });

  test('without a budget, kill + resume reports no less than the same work uninterrupted, and the reports keep paid, replayed and saved apart', async () => {
    world = await startWorld({ cases: CASES, optimizer: fixOneShown });
    await writeTask(dir, SPEC);
    const whole = await optimize(world, dir, ['--json', '-j', '1']);
    expect(whole.code, whole.stderr).toBe(0);
    const uninterrupted = parseJsonOut(whole).cost_usd;
    expect(uninterrupted).toBeCloseTo(serverCost(world.server, PRICES), 9);
    await world.close();

    const other = await makeTempDir('promptopt-opt-spend-');
    try {
      world = await startWorld({ cases: CASES, optimizer: fixOneShown });
      await writeTask(other, SPEC);
      const [kill] = await runWithKills(world, other, ['--quiet', '-j', '1'], [40], PRICES);
      const resumed = await optimize(world, other, ['--resume', 'latest', '--json', '-j', '1']);
      expect(resumed.code, resumed.stderr).toBe(0);
      const summary = parseJsonOut(resumed);
      expect(summary.stop_reason).toBe('converged');
      const server = serverCost(world.server, PRICES);
      // The same work plus the call cut off (paid twice: once at its reservation, once again).
      expect(server).toBeCloseTo(uninterrupted + kill!.heldServerUsd, 9);
      expect(summary.cost_usd).toBeGreaterThan(uninterrupted);
      expect(summary.cost_usd).toBeGreaterThanOrEqual(server);
      const [charged] = chargedCalls(await readSpendJournal(other));
      expect(summary.cost_usd).toBeCloseTo(server - kill!.heldServerUsd + charged!.charge.usd!, 9);

      // Paid, replayed from the cache, and saved: the resumed run replayed its own calls...
      const replayed = summary.spend.replayed_calls as number;
      expect(replayed).toBeGreaterThan(0); // calls answered before the kill, served again from the cache
      expect(summary.spend.saved_calls).toBe(0);
      expect(summary.spend.calls_at_reservation).toBe(1);
      const markdown = await readFile(summary.reports.markdown, 'utf8');
      expect(markdown).toContain(`Replayed from the cache: ${replayed} call(s) this run had already paid for`);
      expect(markdown).toContain('1 of them counted at their reservation');
      expect(markdown).toMatch(/\| Role \| Model \| Paid calls \| Input tokens \| Output tokens \| Paid \| Replayed from cache \| Saved by cache \|/);
      expect(await readFile(summary.reports.html, 'utf8')).toContain(`Replayed from the cache: ${replayed} call(s)`);

      // ...and a new run of the same task saves on the target calls the first run paid for.
      const before = world.server.count;
      const fresh = parseJsonOut(await optimize(world, other, ['--json', '-j', '1']));
      expect(fresh.spend.replayed_calls).toBe(0);
      expect(fresh.spend.saved_calls).toBeGreaterThan(0);
      expect(fresh.spend.saved_usd).toBeGreaterThan(0);
      expect(fresh.spend.paid_calls).toBe(world.server.count - before);
      expect(fresh.cost_usd).toBeLessThan(summary.cost_usd);
    } finally {
      await removeDir(other);
    }
  });
});

describe('paid, replayed from the cache, and saved', () => {
  test('eval reports what the cache saved', async () => {
    world = await startWorld({ cases: CASES });
    await writeTask(dir, SPEC);
    const env = world.env();
    const first = parseJsonOut(await runCli(['eval', 'task.yaml', '--split', 'train', '--json'], { cwd: dir, env }));
    expect(first.spend_totals).toMatchObject({ paid_calls: 12, saved_calls: 0 });
    const second = await runCli(['eval', 'task.yaml', '--split', 'train'], { cwd: dir, env });
    expect(second.stdout).toMatch(/spend: paid \$0\.00 for 0 call\(s\) · saved \$0\.\d+ \(12 call\(s\) served from the cache\)/);
    const third = parseJsonOut(await runCli(['eval', 'task.yaml', '--split', 'train', '--json'], { cwd: dir, env }));
    expect(third.spend_totals).toMatchObject({ paid_calls: 0, paid_usd: 0, saved_calls: 12, replayed_calls: 0 });
    expect(third.spend_totals.saved_usd).toBeCloseTo(first.spend_totals.paid_usd, 9);
  });
});
