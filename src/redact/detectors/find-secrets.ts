/**
 * API-key-like secrets: the shapes of well-known providers' keys and tokens, bearer tokens, JWTs,
 * `password=...`-style assignments, and long random-looking tokens (32+ characters mixing upper and lower
 * case letters and digits). Only the secret is replaced: `Bearer <SECRET_1>`, `api_key=<SECRET_1>`.
 */
import type { Finding } from '../types.js';

const EDGE = '(?<![A-Za-z0-9_-])';
const SHAPES: readonly RegExp[] = [
  new RegExp(`${EDGE}sk-(?:ant-|or-v1-|proj-)?[A-Za-z0-9_-]{20,}`, 'g'), // Anthropic, OpenRouter, OpenAI
  new RegExp(`${EDGE}(?:AKIA|ASIA)[0-9A-Z]{16}(?![A-Za-z0-9])`, 'g'), // AWS access key ids
  new RegExp(`${EDGE}gh[pousr]_[A-Za-z0-9]{30,}`, 'g'), // GitHub
  new RegExp(`${EDGE}github_pat_[A-Za-z0-9_]{40,}`, 'g'),
  new RegExp(`${EDGE}glpat-[A-Za-z0-9_-]{20,}`, 'g'), // GitLab
  new RegExp(`${EDGE}xox[abprs]-[A-Za-z0-9-]{10,}`, 'g'), // Slack
  new RegExp(`${EDGE}AIza[0-9A-Za-z_-]{35}`, 'g'), // Google
  new RegExp(`${EDGE}hf_[A-Za-z0-9]{30,}`, 'g'), // Hugging Face
  new RegExp(`${EDGE}(?:sk|pk|rk)_(?:live|test)_[A-Za-z0-9]{16,}`, 'g'), // Stripe
  /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g, // JWT
];
/** The secret is group 1. */
const ASSIGNED: readonly RegExp[] = [
  /\bBearer\s+([A-Za-z0-9._~+/=-]{16,})/g,
  /\b(?:api[_-]?key|apikey|access[_-]?token|auth[_-]?token|secret|token|password|passwd|pwd)["']?\s*[:=]\s*["']?([^\s"',;]{8,})/gi,
];
/** Long and random-looking: upper and lower case letters and digits mixed, 32+ characters. */
const LONG_TOKEN = /(?<![A-Za-z0-9_+/=-])[A-Za-z0-9_+/=-]{32,}(?![A-Za-z0-9_+/=-])/g;

export function findSecrets(text: string): Finding[] {
  const found: Finding[] = [];
  const add = (start: number, value: string) => found.push({ start, end: start + value.length, stem: 'SECRET', key: value });
  for (const pattern of SHAPES) for (const match of text.matchAll(pattern)) add(match.index, match[0]);
  for (const pattern of ASSIGNED) {
    for (const match of text.matchAll(pattern)) {
      const secret = match[1]!;
      add(match.index + match[0].length - secret.length, secret);
    }
  }
  for (const match of text.matchAll(LONG_TOKEN)) {
    const value = match[0];
    if (/[a-z]/.test(value) && /[A-Z]/.test(value) && /\d/.test(value)) add(match.index, value);
  }
  return found;
}
