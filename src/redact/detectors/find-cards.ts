/**
 * Payment card numbers: 13 to 19 digits, written in one run or in groups of four (Amex 4-6-5)
 * separated by spaces or dashes. A candidate counts only when validator's isCreditCard accepts
 * it: a known issuer's prefix and length, and a valid Luhn check digit. Order numbers, amounts and
 * other long numbers almost never pass both.
 */
import validator from 'validator';
import type { Finding } from '../types.js';

const CANDIDATES: readonly RegExp[] = [
  /(?<![\d.,-])\d{13,19}(?![\d]|[.,]\d)/g,
  /(?<![\d.,-])\d{4}([ -])\d{4}\1\d{4}\1\d{1,7}(?![\d]|[.,]\d)/g,
  /(?<![\d.,-])\d{4}([ -])\d{6}\1\d{4,5}(?![\d]|[.,]\d)/g,
];

export function findCards(text: string): Finding[] {
  const found: Finding[] = [];
  for (const pattern of CANDIDATES) {
    for (const match of text.matchAll(pattern)) {
      const digits = match[0].replace(/\D/g, '');
      if (digits.length < 13 || digits.length > 19 || !validator.isCreditCard(digits)) continue;
      found.push({ start: match.index, end: match.index + match[0].length, stem: 'CARD', key: digits, variants: [digits] });
    }
  }
  return found;
}
