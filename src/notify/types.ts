/**
 * Team notifications: JSON posted to webhooks on events that matter. Delivery is retried with
 * backoff; a failed delivery is reported (a warning and a record), never fatal to the command.
 */
export const NOTIFY_EVENTS = ['new_version', 'degradation', 'budget_warning', 'budget_exhausted', 'feedback_threshold'] as const;
export type NotifyEventType = (typeof NOTIFY_EVENTS)[number];

export interface NotifyEvent {
  type: NotifyEventType;
  task: string;
  /** One line a person can read in a chat channel. */
  summary: string;
  /** Versions involved, e.g. { from: 1, to: 4 } or { current: 3, baseline: 1 }. */
  versions?: Record<string, number | string | null>;
  /** Scores involved, per split or per compared pair. */
  scores?: Record<string, number | null>;
  /** Path of the report (markdown/html/json) that explains it. */
  report?: string;
  /** Anything else specific to the event (spent and max USD for budget events...). */
  details?: Record<string, unknown>;
}

export interface DeliveryRecord {
  url: string;
  event: NotifyEventType;
  ok: boolean;
  attempts: number;
  status?: number;
  error?: string;
}

export interface Notifier {
  /** Posts the event to every webhook subscribed to its type. Never throws. */
  send(event: NotifyEvent): Promise<void>;
  /** Waits for deliveries still in flight (call before exiting). */
  flush(): Promise<void>;
  deliveries(): DeliveryRecord[];
}
