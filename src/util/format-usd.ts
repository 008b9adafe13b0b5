/**
 * The one way reports write an amount of US dollars: never in exponent notation. An amount of a
 * dollar or more has cents and thousands separators (`$1,234.50`); a smaller one four decimals
 * (`$0.0295`), or as many as it takes to keep two significant digits (`$0.00042`, `$0.0000080`).
 */
export function formatUsd(amount: number): string {
  if (!Number.isFinite(amount)) return String(amount);
  if (amount === 0) return '$0.00';
  const sign = amount < 0 ? '-' : '';
  const size = Math.abs(amount);
  if (size >= 1) return `${sign}$${withSeparators(size.toFixed(2))}`;
  // Two significant digits: 0.00042 has its first at the 4th decimal, so 5 decimals. toFixed never
  // writes an exponent for numbers below 1e21.
  const decimals = Math.max(4, 1 - Math.floor(Math.log10(size)));
  return `${sign}$${size.toFixed(Math.min(decimals, 100))}`;
}

function withSeparators(fixed: string): string {
  const [whole, cents] = fixed.split('.');
  return `${whole!.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${cents}`;
}
