export { NOTIFY_EVENTS, type DeliveryRecord, type Notifier, type NotifyEvent, type NotifyEventType } from './types.js';
export { createNotifier, NOTIFY_SCHEMA_VERSION, type CreateNotifierOptions, type NotifyBody } from './create-notifier.js';
export { deliver, DELIVERY_DEFAULTS, type DeliveryOutcome, type DeliveryTuning } from './deliver.js';
export { isHttpUrl, redactUrl } from './url.js';
