/**
 * PII redaction for production data (imports, and optionally traces): e-mail addresses, phone
 * numbers, payment cards, IBANs, IP addresses, API-key-like secrets and user patterns become typed
 * placeholders. Separate from report/redact.ts (API keys in run files): a text can go through both.
 */
export { createPiiRedactor, type PiiRedactor, type RedactionScope } from './redactor.js';
export { createEntryRedactor } from './entry-redactor.js';
export { formatRedactionCounts, sortedCounts } from './format-counts.js';
export { DEFAULT_REDACT_CONFIG, PATTERN_NAME, PLACEHOLDER_STEMS, REDACTION_TYPES, type Finding, type RedactConfig, type RedactionCounts, type RedactionType, type UserPattern } from './types.js';
