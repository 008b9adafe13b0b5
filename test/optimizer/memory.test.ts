import { describe, expect, test } from 'vitest';
import { emptyMemory, formatMemory, MAX_LESSONS, RECENT_ITERATIONS, rememberIteration } from '../../src/optimizer/memory.js';
import type { CandidateRecord, CandidateStatus, IterationRecord, SplitScore } from '../../src/optimizer/types.js';

function train(score: number): SplitScore {
  return { split: 'train', passed: Math.round(score * 10), total: 10, score, categories: {}, passedIds: [] };
}

function candidate(id: string, hypothesis: string, status: CandidateStatus, score?: number, extra: Partial<CandidateRecord> = {}): CandidateRecord {
  return {
    candidate: { id, prompt: `prompt ${id} {{input}}`, hypothesis, origin: 'refine', direction: `direction of ${id}`, parents: ['start'] },
    status,
    reason: status === 'invalid' ? 'template variables: drops {{input}}' : '',
    ...(score === undefined ? {} : { train: train(score) }),
    fixed: [],
    broken: [],
    ...extra,
  };
}

function iteration(n: number, candidates: CandidateRecord[], before: number, after: number, acceptedId?: string): IterationRecord {
  return { iteration: n, phase: 'train', candidates, acceptedId, scoreBefore: before, scoreAfter: after, lateral: false, costUsd: 0 };
}

describe('optimization memory', () => {
  test('lessons from one iteration: helped, regressed, no gain, invalid', () => {
    const memory = rememberIteration(
      emptyMemory(),
      iteration(
        1,
        [
          candidate('i1c1', 'Add a rule for refunds', 'accepted', 0.7, { fixed: ['a', 'b'] }),
          candidate('i1c2', 'Remove the output format line', 'rejected', 0.3, { broken: ['c', 'd'] }),
          candidate('i1c3', 'Reorder the sections', 'rejected', 0.5),
          candidate('i1c4', 'Rewrite from scratch', 'invalid'),
        ],
        0.5,
        0.7,
        'i1c1',
      ),
    );
    expect(memory.lessons).toEqual([
      '✓ Add a rule for refunds → train 50%→70%',
      '✗ Remove the output format line → train fell to 30%, broke 2 case(s)',
      '✗ Reorder the sections → no gain (50%)',
      '✗ template variables: drops {{input}}',
    ]);
    expect(memory.recent).toEqual([
      {
        iteration: 1,
        phase: 'train',
        accepted: true,
        change: 'Add a rule for refunds',
        targetIssues: 'direction of i1c1',
        scoreBefore: 0.5,
        scoreAfter: 0.7,
        fixed: 2,
        broken: 0,
      },
    ]);
  });

  test('lessons are deduped (the newest wording kept, moved to the end) and bounded', () => {
    let memory = emptyMemory();
    memory = rememberIteration(memory, iteration(1, [candidate('i1c1', 'Reorder the sections', 'rejected', 0.4)], 0.5, 0.5));
    memory = rememberIteration(memory, iteration(2, [candidate('i2c1', 'Something else', 'rejected', 0.4)], 0.5, 0.5));
    // Same idea, different percentage: one lesson, now last.
    memory = rememberIteration(memory, iteration(3, [candidate('i3c1', 'Reorder the   sections', 'rejected', 0.2)], 0.5, 0.5));
    expect(memory.lessons).toEqual(['✗ Something else → train fell to 40%', '✗ Reorder the sections → train fell to 20%']);

    for (let n = 4; n < 4 + MAX_LESSONS + 5; n++) {
      memory = rememberIteration(memory, iteration(n, [candidate(`i${n}c1`, `Idea number ${n}`, 'rejected', 0.1)], 0.5, 0.5));
    }
    expect(memory.lessons).toHaveLength(MAX_LESSONS);
    expect(memory.lessons.at(-1)).toBe(`✗ Idea number ${4 + MAX_LESSONS + 4} → train fell to 10%`);
    expect(new Set(memory.lessons).size).toBe(MAX_LESSONS);
  });

  test('only the last three iterations are summarized', () => {
    let memory = emptyMemory();
    for (let n = 1; n <= 5; n++) {
      memory = rememberIteration(memory, iteration(n, [candidate(`i${n}c1`, `Change ${n}`, 'rejected', 0.4)], 0.5, 0.5));
    }
    expect(RECENT_ITERATIONS).toBe(3);
    expect(memory.recent.map((r) => r.iteration)).toEqual([3, 4, 5]);
    expect(memory.recent.every((r) => !r.accepted)).toBe(true);
    expect(memory.recent[0]!.change).toBe('Change 3');
  });

  test('an iteration with no valid candidate is summarized as such', () => {
    const memory = rememberIteration(emptyMemory(), iteration(1, [candidate('i1c1', 'x', 'invalid')], 0.5, 0.5));
    expect(memory.recent[0]).toMatchObject({ accepted: false, change: 'no valid candidate', targetIssues: '' });
  });

  test('long hypotheses are shortened in lessons and summaries', () => {
    const long = `${'word '.repeat(80)}end`;
    const memory = rememberIteration(emptyMemory(), iteration(1, [candidate('i1c1', long, 'accepted', 0.9)], 0.5, 0.9, 'i1c1'));
    expect(memory.lessons[0]!.length).toBeLessThan(150);
    expect(memory.lessons[0]).toContain('…');
    expect(memory.recent[0]!.change.length).toBeLessThanOrEqual(200);
  });

  test('formatMemory', () => {
    expect(formatMemory(emptyMemory())).toBe('No earlier iterations yet.');
    let memory = rememberIteration(
      emptyMemory(),
      iteration(1, [candidate('i1c1', 'Add a rule for refunds', 'accepted', 0.7, { fixed: ['a', 'b'], broken: ['c'] })], 0.5, 0.7, 'i1c1'),
    );
    memory = rememberIteration(memory, iteration(2, [candidate('i2c1', 'Shorten it', 'rejected', 0.6)], 0.7, 0.7));
    expect(formatMemory(memory)).toBe(
      [
        'Accumulated lessons:',
        '• ✓ Add a rule for refunds → train 50%→70%',
        '• ✗ Shorten it → train fell to 60%',
        '',
        'Recent iterations (last 3):',
        'Iteration 1 (train): ✓ ACCEPTED',
        '  Change made: Add a rule for refunds',
        '  Target issues: direction of i1c1',
        '  Result: 50.0% → 70.0%; fixed 2, broke 1',
        'Iteration 2 (train): ✗ REJECTED',
        '  Change made: Shorten it',
        '  Target issues: direction of i2c1',
        '  Result: 70.0% → 70.0%; fixed 0, broke 0',
      ].join('\n'),
    );
  });

  test('validation-phase lessons speak of validation', () => {
    const record: IterationRecord = {
      ...iteration(1, [], 0.4, 0.4),
      phase: 'validation',
      candidates: [
        candidate('v1c1', 'Broke training', 'breaks_train', 1, { broken: ['t1', 't2'] }),
        { ...candidate('v1c2', 'Slightly worse', 'rejected', 1), validation: { ...train(0.2), split: 'validation' } },
      ],
    };
    const memory = rememberIteration(emptyMemory(), record);
    expect(memory.lessons).toEqual(['✗ Broke training → broke 2 train case(s)', '✗ Slightly worse → validation fell to 20%']);
    expect(memory.recent[0]!.phase).toBe('validation');
  });
});
