/**
 * A candidate is scored as soon as its prompt is written: while the optimizer is still writing its
 * siblings, the target already receives the first candidate's cases. Read from the order in which
 * the loopback server received the requests.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir, removeDir } from './helpers/cli.js';
import { fixShownVariant, group, optimize, optimizeSpec, startWorld, writeTask, type OptimizeWorld } from './helpers/optimize-harness.js';

const CASES = [...group('alpha', 'train', 3), ...group('beta', 'train', 3), ...group('alpha', 'test', 2)];

let world: OptimizeWorld;
let dir: string;
beforeAll(async () => {
  world = await startWorld({ cases: CASES, optimizer: fixShownVariant });
  dir = await makeTempDir('promptopt-pipelining-');
});
afterAll(async () => {
  await world?.close();
  await removeDir(dir);
});

describe('candidates are scored while their siblings are being written', () => {
  it('the first candidate reaches the target before the other proposals are answered', async () => {
    await writeTask(dir, optimizeSpec(CASES, { optimizer: { max_iterations: 1, candidates: 3, validation_iterations: 0 } }));
    let optimizerSeen = 0;
    let releasedByTarget = 0;
    let releasedByTimeout = 0;
    const waiting: (() => void)[] = [];
    world.setHold((arrival) => {
      if (arrival.role === 'target') {
        // A candidate's case arrived (candidates carry a `Variant:` line, the start prompt none): the held proposals may now be answered.
        if (arrival.prompt?.includes('Variant:')) {
          releasedByTarget += waiting.length;
          for (const release of waiting.splice(0)) release();
        }
        return undefined;
      }
      optimizerSeen += 1;
      if (optimizerSeen === 1) return undefined; // the first proposal is answered at once
      return new Promise<void>((resolve) => {
        waiting.push(resolve);
        setTimeout(() => {
          if (waiting.includes(resolve)) {
            waiting.splice(waiting.indexOf(resolve), 1);
            releasedByTimeout += 1;
            resolve();
          }
        }, 4000);
      });
    });
    const result = await optimize(world, dir, ['--json']);
    world.setHold(undefined);
    expect(result.code).toBe(0);
    expect(optimizerSeen).toBe(3);
    expect(releasedByTimeout).toBe(0);
    expect(releasedByTarget).toBe(2);
    // The held proposals were answered after the first candidate's target calls had started.
    const firstCandidateCall = world.seen.findIndex((s) => s.role === 'target' && s.prompt?.includes('Variant:'));
    const lastProposal = world.seen.map((s) => s.role).lastIndexOf('optimizer');
    expect(firstCandidateCall).toBeGreaterThanOrEqual(0);
    expect(firstCandidateCall).toBeLessThan(lastProposal);
  }, 30_000);
});
