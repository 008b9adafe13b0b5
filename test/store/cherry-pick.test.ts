import { describe, expect, it } from 'vitest';
import { cherryPick } from '../../src/store/cherry-pick.js';

const lines = (n: number, edit: Record<number, string> = {}) =>
  Array.from({ length: n }, (_, i) => edit[i + 1] ?? `line ${i + 1}`).join('\n') + '\n';

describe('cherryPick', () => {
  it('applies a change onto a version that differs elsewhere', () => {
    const base = lines(12);
    const result = cherryPick({ base, changed: lines(12, { 2: 'LINE TWO' }), onto: lines(12, { 11: 'line eleven, reworded' }) });
    expect(result).toEqual({ ok: true, hunks: 1, text: lines(12, { 2: 'LINE TWO', 11: 'line eleven, reworded' }) });
  });

  it('finds the hunk when the target moved it', () => {
    const result = cherryPick({ base: lines(8), changed: lines(8, { 5: 'five!' }), onto: `Preamble.\n\n${lines(8)}` });
    expect(result.ok && result.text).toBe(`Preamble.\n\n${lines(8, { 5: 'five!' })}`);
  });

  it('reports only the hunks that do not apply, with their text', () => {
    const base = lines(20);
    const changed = lines(20, { 2: 'two: picked', 18: 'eighteen: picked' });
    const onto = lines(20, { 18: 'eighteen: theirs' });
    const result = cherryPick({ base, changed, onto });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.hunks).toBe(2);
    expect(result.failed).toHaveLength(1);
    expect(result.failed[0]!.header).toMatch(/^@@ -15,6 \+15,6 @@$/);
    expect(result.failed[0]!.lines).toContain('-line 18');
    expect(result.failed[0]!.lines).toContain('+eighteen: picked');
  });

  it('is a no-op when the change is empty', () => {
    expect(cherryPick({ base: 'a\n', changed: 'a\n', onto: 'b\n' })).toEqual({ ok: true, hunks: 0, text: 'b\n' });
  });
});
