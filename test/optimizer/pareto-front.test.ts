/**
 * The per-case Pareto front of the `pareto` strategy, and its minibatches: who stays on the front,
 * GEPA's dominated-member removal, parent sampling in proportion to the cases won, merge pairs, and a
 * snapshot that restores the same front (and the same draws).
 */
import { describe, expect, test } from 'vitest';
import { drawMergeMinibatch, drawMinibatch } from '../../src/optimizer/strategies/pareto/draw-minibatch.js';
import { ParetoFront, type FrontMember } from '../../src/optimizer/strategies/pareto/pareto-front.js';
import { seededRandom } from '../../src/util/seeded-random.js';

const CASES = ['c1', 'c2', 'c3', 'c4', 'c5', 'c6'];

/** A member passing exactly `passes` (score 1 there, 0 elsewhere). */
function member(id: string, passes: string[]): [FrontMember, Map<string, number>] {
  const scores = new Map(CASES.map((c) => [c, passes.includes(c) ? 1 : 0]));
  return [{ id, prompt: `prompt ${id}`, train: passes.length / CASES.length, parents: [] }, scores];
}

function frontOf(...members: [string, string[]][]): ParetoFront {
  const front = new ParetoFront();
  for (const [id, passes] of members) front.add(...member(id, passes));
  return front;
}

const ids = (list: readonly { id: string }[]) => list.map((m) => m.id);

describe('pareto front', () => {
  test('a candidate stays while it is best on at least one case; one beaten on all its cases leaves', () => {
    const front = frontOf(['start', ['c1']], ['a', ['c1', 'c2']], ['b', ['c3']]);
    // start ties with a on c1, so it stays (ties allowed); b wins c3 alone.
    expect(ids(front.members)).toEqual(['start', 'a', 'b']);
    expect(front.winsOf('a')).toEqual(['c1', 'c2']);
    // A partial-credit score above a tie: start and a lose c1 to c; a still wins c2, start nothing.
    const c: FrontMember = { id: 'c', prompt: 'prompt c', train: 0.2, parents: [] };
    expect(front.add(c, new Map([['c1', 1.5]]))).toBe(true);
    expect(ids(front.members)).toEqual(['a', 'b', 'c']);
    // A candidate best on no case does not join.
    expect(front.add(...member('d', ['c2']))).toBe(true); // ties a on c2
    expect(front.add(...member('e', []))).toBe(false);
    expect(ids(front.members)).toEqual(['a', 'b', 'c', 'd']);
  });

  test('a case nobody scores on makes no one best; with no case solved the best on train stands in', () => {
    const front = new ParetoFront();
    expect(front.add(...member('start', []))).toBe(true);
    expect(ids(front.members)).toEqual(['start']);
    expect(front.add(...member('a', ['c4']))).toBe(true);
    expect(ids(front.members)).toEqual(['a']); // start is best on nothing once a case is solved
    expect([...front.shortfallsOf('a', CASES)]).toEqual(['c1', 'c2', 'c3', 'c5', 'c6']);
  });

  test('the same prompt joins once', () => {
    const front = frontOf(['a', ['c1']]);
    expect(front.add({ id: 'a2', prompt: 'prompt a', train: 0.5, parents: [] }, new Map([['c2', 1]]))).toBe(false);
    expect(ids(front.members)).toEqual(['a']);
  });

  test('dominated members are not sampled (GEPA: every case they win has another winner); weights count cases won', () => {
    // a wins {c1,c2}; b wins {c1,c2,c3}: a is dominated. c wins {c4} alone.
    const front = frontOf(['a', ['c1', 'c2']], ['b', ['c1', 'c2', 'c3']], ['c', ['c4']]);
    expect(ids(front.members)).toEqual(['a', 'b', 'c']);
    expect(ids(front.nonDominated())).toEqual(['b', 'c']);
    expect(Object.fromEntries(front.weights())).toEqual({ b: 3, c: 1 });
    // Two members with the same wins: one of them is kept (the lower train score goes first; equal: the older).
    const twins = frontOf(['x', ['c5']], ['y', ['c5']]);
    expect(ids(twins.nonDominated())).toEqual(['y']);
  });

  test('parents are sampled in proportion to the cases they win', () => {
    const front = frontOf(['b', ['c1', 'c2', 'c3']], ['c', ['c4']]);
    const random = seededRandom(7);
    const counts = { b: 0, c: 0 };
    for (let i = 0; i < 4000; i++) counts[front.sample(random).id as 'b' | 'c'] += 1;
    expect(counts.b / 4000).toBeGreaterThan(0.72);
    expect(counts.b / 4000).toBeLessThan(0.78);
  });

  test('a merge pair wins different cases; none when one member wins everything the other does', () => {
    const front = frontOf(['a', ['c1', 'c2']], ['b', ['c3']]);
    const pair = front.samplePair(seededRandom(1))!;
    expect(new Set([pair.a.id, pair.b.id])).toEqual(new Set(['a', 'b']));
    expect(pair.onlyA.length).toBeGreaterThan(0);
    expect(pair.onlyB.length).toBeGreaterThan(0);
    expect(pair.onlyA.some((c) => pair.onlyB.includes(c))).toBe(false);
    expect(frontOf(['a', ['c1']]).samplePair(seededRandom(1))).toBeUndefined();
  });

  test('a snapshot (through JSON) restores the same front, and the same draws from it', () => {
    const front = frontOf(['a', ['c1', 'c2']], ['b', ['c3']], ['c', ['c3', 'c4']]);
    const copy = ParetoFront.restore(JSON.parse(JSON.stringify(front.snapshot())));
    expect(copy.snapshot()).toEqual(front.snapshot());
    const [r1, r2] = [seededRandom(3), seededRandom(3)];
    expect(Array.from({ length: 20 }, () => front.sample(r1).id)).toEqual(Array.from({ length: 20 }, () => copy.sample(r2).id));
    expect(ParetoFront.restore(null).isEmpty).toBe(true);
  });
});

describe('minibatches', () => {
  test('a reflection minibatch holds one of the parent\'s failures, is seeded, and keeps the split order', () => {
    for (let seed = 0; seed < 50; seed++) {
      const batch = drawMinibatch(CASES, new Set(['c5']), 3, seededRandom(seed));
      expect(batch).toHaveLength(3);
      expect(batch).toContain('c5');
      expect(batch).toEqual(CASES.filter((c) => batch.includes(c)));
      expect(drawMinibatch(CASES, new Set(['c5']), 3, seededRandom(seed))).toEqual(batch);
    }
    const seen = new Set(Array.from({ length: 50 }, (_, seed) => drawMinibatch(CASES, new Set(), 2, seededRandom(seed)).join()));
    expect(seen.size).toBeGreaterThan(5);
    expect(drawMinibatch(CASES, new Set(), 10, seededRandom(0))).toEqual(CASES);
  });

  test('a merge minibatch takes cases from both sides', () => {
    const batch = drawMergeMinibatch(CASES, ['c1', 'c2'], ['c5', 'c6'], 3, seededRandom(2));
    expect(batch).toHaveLength(3);
    expect(batch.some((c) => ['c1', 'c2'].includes(c))).toBe(true);
    expect(batch.some((c) => ['c5', 'c6'].includes(c))).toBe(true);
    expect(drawMergeMinibatch(CASES, ['c1'], ['c6'], 1, seededRandom(2))).toEqual(['c1', 'c6']);
  });
});
