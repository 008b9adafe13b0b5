/**
 * IBANs: a country code, two check digits and the account, in one run or in groups separated by
 * single spaces. A candidate counts only when validator's isIBAN accepts it (the country's length
 * and format, and the mod-97 checksum). A greedy candidate may have swallowed a following word
 * ("... 0130 00 EUR"), so its groups are dropped from the end until it validates.
 */
import validator from 'validator';
import type { Finding } from '../types.js';

const CANDIDATE = /(?<![A-Za-z0-9])[A-Z]{2}\d{2}(?: ?[A-Z0-9]{1,4}){3,9}(?![A-Za-z0-9])/g;

export function findIbans(text: string): Finding[] {
  const found: Finding[] = [];
  for (const match of text.matchAll(CANDIDATE)) {
    const groups = match[0].split(' ');
    for (let n = groups.length; n >= 1; n--) {
      const value = groups.slice(0, n).join(' ');
      const compact = value.replace(/ /g, '');
      if (compact.length < 15 || !validator.isIBAN(compact)) continue;
      found.push({ start: match.index, end: match.index + value.length, stem: 'IBAN', key: compact, variants: [compact] });
      break;
    }
  }
  return found;
}
