/**
 * PII redaction of whole records (a trace entry: one LLM call's messages, output and metadata):
 * each record gets its own placeholder scope, so the same address in a call's request and its
 * output is the same placeholder. `redact: { traces: true }` passes trace entries through it.
 */
import { createPiiRedactor } from './redactor.js';
import type { RedactConfig } from './types.js';

export function createEntryRedactor(config: RedactConfig): <T>(entry: T) => T {
  const redactor = createPiiRedactor(config);
  return (entry) => redactor.scope().value(entry);
}
