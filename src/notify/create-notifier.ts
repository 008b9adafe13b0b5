/**
 * The Notifier commands use: `send` posts an event to every webhook in the background (the command
 * goes on), `flush` waits for what is still in flight (commands await it before returning). Events
 * to one webhook are delivered in the order they were sent. A failed delivery is one warning line
 * (the URL redacted) and a record; it never throws and never changes the command's exit code.
 */
import { deliver, type DeliveryOutcome, type DeliveryTuning } from './deliver.js';
import { NOTIFY_EVENTS, type DeliveryRecord, type Notifier, type NotifyEvent, type NotifyEventType } from './types.js';
import { redactUrl } from './url.js';

export const NOTIFY_SCHEMA_VERSION = 1;

export interface CreateNotifierOptions {
  /** Webhook URLs (duplicates are sent to once). */
  urls: readonly string[];
  /** Event types to send (default: all). */
  events?: readonly NotifyEventType[];
  /**
   * Header name -> name of the environment variable holding its value, read when a message is sent
   * (so tokens never sit in the spec). A variable that is not set fails that delivery, unsent.
   */
  headers?: Readonly<Record<string, string>>;
  /** One line on stderr per failed delivery. */
  warn: (message: string) => void;
  env?: NodeJS.ProcessEnv;
  /** Aborting it (Ctrl-C) ends deliveries still in flight. */
  signal?: AbortSignal;
  delivery?: DeliveryTuning;
  now?: () => Date;
}

/** What a webhook receives: the event plus who sent it and when. */
export type NotifyBody = { schema_version: typeof NOTIFY_SCHEMA_VERSION; tool: 'promptopt'; sent_at: string } & NotifyEvent;

export function createNotifier(options: CreateNotifierOptions): Notifier {
  const urls = [...new Set(options.urls)];
  const events = new Set<NotifyEventType>(options.events ?? NOTIFY_EVENTS);
  const now = options.now ?? (() => new Date());
  const records: DeliveryRecord[] = [];
  const pending = new Set<Promise<void>>();
  /** The last delivery queued per URL: the next one starts after it. */
  const tails = new Map<string, Promise<void>>();

  const deliverOne = async (url: string, event: NotifyEventType, body: string): Promise<void> => {
    let outcome: DeliveryOutcome;
    try {
      const headers = resolveHeaders(options.headers ?? {}, options.env ?? process.env);
      outcome =
        'missing' in headers
          ? { ok: false, attempts: 0, error: headers.missing }
          : await deliver({ url, body, headers: headers.values, signal: options.signal, ...options.delivery });
    } catch (error) {
      outcome = { ok: false, attempts: 0, error: error instanceof Error ? error.message : String(error) };
    }
    const record: DeliveryRecord = { url: redactUrl(url), event, ok: outcome.ok, attempts: outcome.attempts };
    if (outcome.status !== undefined) record.status = outcome.status;
    if (outcome.error !== undefined && !outcome.ok) record.error = outcome.error;
    records.push(record);
    if (!outcome.ok) {
      const tries = outcome.attempts === 0 ? 'unsent' : `after ${outcome.attempts} attempt${outcome.attempts === 1 ? '' : 's'}`;
      options.warn(`warning: notify: could not deliver "${event}" to ${record.url} (${tries}: ${record.error ?? 'failed'}); the command's result is not affected`);
    }
  };

  const track = (promise: Promise<void>): Promise<void> => {
    const settled = promise.catch(() => undefined);
    pending.add(settled);
    void settled.finally(() => pending.delete(settled));
    return settled;
  };

  return {
    send(event) {
      if (!events.has(event.type) || urls.length === 0) return Promise.resolve();
      let body: string;
      try {
        const full: NotifyBody = { schema_version: NOTIFY_SCHEMA_VERSION, tool: 'promptopt', sent_at: now().toISOString(), ...event };
        body = JSON.stringify(full);
      } catch (error) {
        options.warn(`warning: notify: could not encode "${event.type}": ${error instanceof Error ? error.message : String(error)}`);
        return Promise.resolve();
      }
      const sends = urls.map((url) => {
        const previous = tails.get(url) ?? Promise.resolve();
        const next = previous.then(() => deliverOne(url, event.type, body));
        tails.set(url, next.catch(() => undefined));
        return track(next);
      });
      return Promise.all(sends).then(() => undefined);
    },
    async flush() {
      // Deliveries queued while waiting are waited for too.
      while (pending.size > 0) await Promise.all([...pending]);
    },
    deliveries() {
      return records.map((r) => ({ ...r }));
    },
  };
}

function resolveHeaders(headers: Readonly<Record<string, string>>, env: NodeJS.ProcessEnv): { values: Record<string, string> } | { missing: string } {
  const values: Record<string, string> = {};
  for (const [name, variable] of Object.entries(headers)) {
    const value = env[variable];
    if (value === undefined || value === '') return { missing: `environment variable ${variable} (for header ${name}) is not set` };
    values[name] = value;
  }
  return { values };
}
