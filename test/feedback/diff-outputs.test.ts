import { describe, expect, it } from 'vitest';
import { compactDiff } from '../../src/feedback/diff-outputs.js';

const LONG =
  'The quick brown fox jumps over the lazy dog and then runs far away into the deep dark forest ' +
  'where nobody can find it ever again';

describe('compactDiff', () => {
  it('marks added and removed words', () => {
    expect(compactDiff('refund_request', 'The answer is: refund_request.')).toBe('{+The answer is: +}refund_request{+.+}');
    expect(compactDiff('refund_request', 'billing_issue')).toBe('[-refund_request-]{+billing_issue+}');
  });

  it('elides long unchanged runs but keeps context around each change', () => {
    const actual = LONG.replace('lazy dog', 'sleepy cat').replace('ever again', 'for a while');
    expect(compactDiff(LONG, actual)).toBe(
      '…fox jumps over the [-lazy dog-]{+sleepy cat+} and then runs far away … nobody can find it [-ever again-]{+for a while+}',
    );
  });

  it('never exceeds maxChars and ends a cut diff with an ellipsis', () => {
    const actual = LONG.replace('lazy', 'sleepy');
    for (const max of [0, 1, 5, 20, 60, 100]) {
      const diff = compactDiff(LONG, actual, max);
      expect(diff.length).toBeLessThanOrEqual(max);
    }
    expect(compactDiff(LONG, actual, 60)).toBe('…fox jumps over the [-lazy-]{+sleepy+} dog and then runs fa…');
    const huge = compactDiff('a', 'word '.repeat(5000));
    expect(huge.length).toBeLessThanOrEqual(240);
    expect(huge).toMatch(/^\[-a-\]\{\+word word .* … .*word \+\}$/);
  });

  it('collapses whitespace and reports identical texts', () => {
    expect(compactDiff('line one\nline two', 'line one\nline 2')).toBe('line one line [-two-]{+2+}');
    expect(compactDiff('same', 'same')).toBe('(no difference)');
  });
});
