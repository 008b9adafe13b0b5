import { describe, expect, it } from 'vitest';
import { formatUsd } from '../../src/util/format-usd.js';

describe('formatUsd', () => {
  it('writes every amount without an exponent, small ones with two significant digits', () => {
    expect(formatUsd(0)).toBe('$0.00');
    expect(formatUsd(3.7331)).toBe('$3.73');
    expect(formatUsd(1234.5)).toBe('$1,234.50');
    expect(formatUsd(0.0295)).toBe('$0.0295');
    expect(formatUsd(0.0034)).toBe('$0.0034');
    expect(formatUsd(0.00042)).toBe('$0.00042');
    expect(formatUsd(8.02e-5)).toBe('$0.000080');
    expect(formatUsd(1.41e-4)).toBe('$0.00014');
    expect(formatUsd(-0.5)).toBe('-$0.5000');
    for (let exponent = -15; exponent <= 7; exponent++) {
      for (const mantissa of [1, 2.5, 9.99]) {
        const text = formatUsd(mantissa * 10 ** exponent);
        expect(text).not.toMatch(/e/i);
        // At least two significant digits survive.
        expect(text.replace(/[$,.]/g, '').replace(/^0+/, '').length).toBeGreaterThanOrEqual(2);
      }
    }
  });
});
