/**
 * IPv4 and IPv6 addresses, each candidate confirmed by validator's isIP. Candidates must stand
 * alone: a version string (`v1.2.3.4`, `1.2.3.4.5`), a time (`12:30:45`) or a C++ scope
 * (`std::vector`) is not one.
 */
import validator from 'validator';
import type { Finding } from '../types.js';

const IPV4 = /(?<![\w.])(?:\d{1,3}\.){3}\d{1,3}(?![\w]|\.\d)/g;
const IPV6 = /(?<![\w:.])(?:[0-9A-Fa-f]{0,4}:){2,7}(?:(?:\d{1,3}\.){3}\d{1,3}|[0-9A-Fa-f]{0,4})(?![\w:])/g;

export function findIps(text: string): Finding[] {
  const found: Finding[] = [];
  for (const match of text.matchAll(IPV4)) {
    if (validator.isIP(match[0], 4)) found.push({ start: match.index, end: match.index + match[0].length, stem: 'IP', key: match[0] });
  }
  for (const match of text.matchAll(IPV6)) {
    // "2001:db8::1: blocked": the pattern may have taken a trailing colon.
    const value = match[0].endsWith(':') && !match[0].endsWith('::') ? match[0].slice(0, -1) : match[0];
    const groups = value.split(':').filter((g) => g !== '');
    if (groups.length < 2 || !/\d/.test(value) || !validator.isIP(value, 6)) continue;
    found.push({ start: match.index, end: match.index + value.length, stem: 'IP', key: value.toLowerCase() });
  }
  return found;
}
