/**
 * Keeps API keys out of everything promptopt prints and writes (eval and compare outputs, traces,
 * reports, the cache): anything shaped like a key, and the exact values of known secrets, become
 * `[REDACTED]`. The known secrets are explicit: a command gathers them once from its own
 * environment (never process.env) and its spec (`knownSecrets`), and every writer uses the same
 * redactor, so a key planted in a case or echoed by a model is removed everywhere alike.
 */

export const REDACTED = '[REDACTED]';

const KEY_PATTERNS: readonly RegExp[] = [
  /(?<![A-Za-z0-9_-])sk-ant-[A-Za-z0-9_-]{8,}/g, // Anthropic
  /(?<![A-Za-z0-9_-])sk-or-v1-[A-Za-z0-9_-]{8,}/g, // OpenRouter
  /(?<![A-Za-z0-9_-])sk-[A-Za-z0-9_-]{17,}/g, // OpenAI and compatibles: 20+ characters in all
];
const BEARER = /\b(Bearer\s+)[A-Za-z0-9._~+/=-]{16,}/g;

const MIN_ENV_SECRET = 8;

const SECRET_NAME = /(_KEY|TOKEN|SECRET|PASSWORD)$/;

/** Values of env vars named `*_KEY` (`*_API_KEY`), `*TOKEN`, `*SECRET` or `*PASSWORD` (8+ characters), longest first. */
export function secretsFromEnv(env: NodeJS.ProcessEnv): string[] {
  return knownSecrets(env);
}

/**
 * Every secret value a command knows of: the key-like variables of `env` (see secretsFromEnv) and
 * the variables named in `names` whatever they are called (a spec's `api_key_env` and
 * `headers_env` entries), 8+ characters, longest first (so a key that contains another goes whole).
 */
export function knownSecrets(env: NodeJS.ProcessEnv, names: Iterable<string> = []): string[] {
  const values = new Set<string>();
  const add = (value: string | undefined) => {
    if (value && value.length >= MIN_ENV_SECRET) values.add(value);
  };
  for (const [name, value] of Object.entries(env)) if (SECRET_NAME.test(name.toUpperCase())) add(value);
  for (const name of names) add(env[name]);
  return [...values].sort((a, b) => b.length - a.length);
}

/** A function that returns its text with every secret removed. */
export type Redactor = (text: string) => string;

/**
 * `text` with secrets replaced by `[REDACTED]`: the exact values in `secrets`, and key-shaped
 * strings (Anthropic, OpenAI, OpenRouter keys; bearer tokens) whatever `secrets` holds.
 */
export function redactSecrets(text: string, secrets: readonly string[] = []): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length >= MIN_ENV_SECRET && out.includes(secret)) out = out.split(secret).join(REDACTED);
  }
  // The patterns only run where they can match (every key shape starts with `sk-`): most text has neither.
  if (out.includes('sk-')) for (const pattern of KEY_PATTERNS) out = out.replace(pattern, REDACTED);
  return out.includes('Bearer') ? out.replace(BEARER, `$1${REDACTED}`) : out;
}

/** A redactor bound to `secrets` (copied: what a long-lived writer captures at construction). */
export function createRedactor(secrets: readonly string[] = []): Redactor {
  const captured = [...secrets];
  return (text) => redactSecrets(text, captured);
}

/**
 * A deep copy of `value` with every string redacted: for a ReportInput or ReportData before it is
 * rendered, or any JSON-able value. Object keys are kept as they are.
 */
export function redact<T>(value: T, secrets: readonly string[] = []): T {
  return redactWith(value, createRedactor(secrets));
}

/** A deep copy of `value` with every string passed through `scrub`. */
export function redactWith<T>(value: T, scrub: Redactor): T {
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
