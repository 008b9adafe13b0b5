/**
 * The notifier of one command: the spec's `notify:` webhooks plus any `--notify <url>` given on the
 * command line (same events filter and headers). With neither, a notifier that sends nothing.
 */
import { UsageError } from '../../errors.js';
import { createNotifier } from '../../notify/create-notifier.js';
import type { Notifier } from '../../notify/types.js';
import { isHttpUrl, redactUrl } from '../../notify/url.js';
import type { Spec } from '../../spec/types.js';
import { redactWith, type Redactor } from '../../report/redact.js';
import { commandRedactor } from '../../session/command-secrets.js';

/** `--notify` values, checked before anything runs: each must be an http(s) URL. */
export function parseNotifyUrls(values: readonly string[] | undefined): string[] {
  for (const value of values ?? []) {
    if (!isHttpUrl(value)) {
      throw new UsageError(`--notify must be an http:// or https:// URL (got ${redactUrl(value)})`, 'e.g. --notify https://hooks.example.com/promptopt');
    }
  }
  return [...(values ?? [])];
}

export function commandNotifier(
  spec: Spec,
  flagUrls: readonly string[],
  options: { warn: (message: string) => void; signal?: AbortSignal; env?: NodeJS.ProcessEnv; scrub?: Redactor },
): Notifier {
  const notifier = createNotifier({
    urls: [...(spec.notify?.webhooks ?? []), ...flagUrls],
    ...(spec.notify ? { events: spec.notify.events, headers: spec.notify.headers } : {}),
    warn: options.warn,
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.env ? { env: options.env } : {}),
  });
  const scrub = options.scrub ?? commandRedactor(options.env ?? {}, spec);
  // What a webhook receives is redacted like every other output.
  return { ...notifier, send: (event) => notifier.send(redactWith(event, scrub)) };
}
