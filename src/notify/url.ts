/**
 * Webhook URLs: which ones are acceptable, and how one is shown in a message. A URL's query (and any
 * user:password@) may hold a token, so messages show the URL with those parts redacted.
 */
import { isSecretKeyName } from '../util/secret-names.js';

export const REDACTED_PART = '[REDACTED]';

function parse(value: string): URL | undefined {
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
}

/** An absolute http:// or https:// URL with a host. */
export function isHttpUrl(value: string): boolean {
  const url = parse(value);
  return url !== undefined && (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
}

/**
 * The URL as it may appear in a message or a record: scheme, host, port and path; credentials, the
 * query and the fragment replaced by `[REDACTED]`. A value that is not a URL is not repeated at all.
 */
export function redactUrl(value: string): string {
  const url = parse(value);
  if (!url) return '<not a URL>';
  const credentials = url.username !== '' || url.password !== '' ? `${REDACTED_PART}@` : '';
  const query = url.search !== '' ? `?${REDACTED_PART}` : '';
  const fragment = url.hash !== '' ? `#${REDACTED_PART}` : '';
  // Chat webhooks (Slack, Discord, Teams) carry their secret in the path: keep only its first segment.
  const [first, ...rest] = url.pathname.split('/').filter(Boolean);
  const path = first === undefined ? url.pathname : `/${first}${rest.length ? `/${REDACTED_PART}` : ''}`;
  return `${url.protocol}//${credentials}${url.host}${path}${query}${fragment}`;
}

/**
 * A URL's `user:password@` as what it means, HTTP Basic authentication: the URL without them, and
 * the `Authorization` header they stand for (fetch refuses a URL that holds credentials).
 */
export function splitCredentials(value: string): { url: string; authorization?: string } {
  const url = parse(value);
  if (!url || (url.username === '' && url.password === '')) return { url: value };
  const basic = Buffer.from(`${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`).toString('base64');
  url.username = '';
  url.password = '';
  return { url: url.toString(), authorization: `Basic ${basic}` };
}

/**
 * Why a URL may not be written in a spec although it would work: a password in it, or a query
 * parameter named like a credential (`?token=...`). undefined when it is fine.
 */
export function secretInUrl(value: string): string | undefined {
  const url = parse(value);
  if (!url) return undefined;
  if (url.password !== '') return 'a webhook URL must not carry a password (user:password@)';
  for (const name of url.searchParams.keys()) {
    if (isSecretKeyName(name)) return `a webhook URL must not carry a credential in its query ("${name}=...")`;
  }
  return undefined;
}
