/** E-mail addresses: a permissive candidate pattern, each candidate confirmed by validator's isEmail. */
import validator from 'validator';
import type { Finding } from '../types.js';

const CANDIDATE = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g;

export function findEmails(text: string): Finding[] {
  const found: Finding[] = [];
  for (const match of text.matchAll(CANDIDATE)) {
    // A sentence may end right after the address: "write to a@b.com." — the pattern never takes that dot.
    const value = match[0].replace(/^[.]+/, '');
    const start = match.index + (match[0].length - value.length);
    if (!validator.isEmail(value)) continue;
    found.push({ start, end: start + value.length, stem: 'EMAIL', key: value.toLowerCase() });
  }
  return found;
}
