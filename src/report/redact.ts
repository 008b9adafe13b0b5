/**
 * Keeps API keys out of everything promptopt writes for a run (traces, reports): anything shaped
 * like a key, and the exact values of key-like environment variables, become `[REDACTED]`.
 */

export const REDACTED = '[REDACTED]';

const KEY_PATTERNS: readonly RegExp[] = [
  /(?<![A-Za-z0-9_-])sk-ant-[A-Za-z0-9_-]{8,}/g, // Anthropic
  /(?<![A-Za-z0-9_-])sk-or-v1-[A-Za-z0-9_-]{8,}/g, // OpenRouter
  /(?<![A-Za-z0-9_-])sk-[A-Za-z0-9_-]{17,}/g, // OpenAI and compatibles: 20+ characters in all
];
const BEARER = /\b(Bearer\s+)[A-Za-z0-9._~+/=-]{16,}/g;

const MIN_ENV_SECRET = 8;

/** Values of env vars named `*_API_KEY`, `*_KEY` or `*TOKEN` (8+ characters), longest first. */
export function secretsFromEnv(env: NodeJS.ProcessEnv = process.env): string[] {
  const values = new Set<string>();
  for (const [name, value] of Object.entries(env)) {
    const upper = name.toUpperCase();
    if (!value || value.length < MIN_ENV_SECRET) continue;
    if (upper.endsWith('_KEY') || upper.endsWith('TOKEN')) values.add(value);
  }
  return [...values].sort((a, b) => b.length - a.length);
}

/**
 * `text` with secrets replaced by `[REDACTED]`. `secrets` are exact values to remove (by default
 * read from the environment now); key-shaped strings are removed whatever the environment holds.
 */
export function redactSecrets(text: string, secrets: readonly string[] = secretsFromEnv()): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length >= MIN_ENV_SECRET && out.includes(secret)) out = out.split(secret).join(REDACTED);
  }
  for (const pattern of KEY_PATTERNS) out = out.replace(pattern, REDACTED);
  return out.replace(BEARER, `$1${REDACTED}`);
}

/** A redactor bound to the secrets present now (what a long-lived writer captures at construction). */
export function createRedactor(secrets: readonly string[] = secretsFromEnv()): (text: string) => string {
  const captured = [...secrets];
  return (text) => redactSecrets(text, captured);
}

/**
 * A deep copy of `value` with every string redacted: for a ReportInput or ReportData before it is
 * rendered, or any JSON-able value. Object keys are kept as they are.
 */
export function redact<T>(value: T, secrets: readonly string[] = secretsFromEnv()): T {
  return redactWith(value, createRedactor(secrets));
}

/** A deep copy of `value` with every string passed through `scrub`. */
export function redactWith<T>(value: T, scrub: (text: string) => string): T {
  return redactDeep(value, scrub) as T;
}

function redactDeep(value: unknown, scrub: (text: string) => string): unknown {
  if (typeof value === 'string') return scrub(value);
  if (Array.isArray(value)) return value.map((item) => redactDeep(item, scrub));
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[key] = redactDeep(item, scrub);
    return out;
  }
  return value;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}
