import { describe, expect, it } from 'vitest';
import { formatAge, parseAge } from '../../src/retention/parse-age.js';

describe('parseAge', () => {
  it('reads hours, days and weeks', () => {
    expect(parseAge('--older-than', '30d')).toBe(30 * 86_400_000);
    expect(parseAge('--older-than', '36h')).toBe(36 * 3_600_000);
    expect(parseAge('--older-than', '2w')).toBe(14 * 86_400_000);
    expect(parseAge('--older-than', '1.5d')).toBe(36 * 3_600_000);
  });
  it('refuses a bare number, another unit, zero', () => {
    for (const value of ['30', '30m', '0d', 'd', '-1d', '']) expect(() => parseAge('--older-than', value)).toThrow(/--older-than must be an age such as 30d/);
  });
  it('formats whole days as days, else hours', () => {
    expect(formatAge(30 * 86_400_000)).toBe('30d');
    expect(formatAge(36 * 3_600_000)).toBe('36h');
  });
});
