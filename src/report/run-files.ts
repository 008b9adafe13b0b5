import { join } from 'node:path';

/** The files of one run folder (`<runsDir>/<runId>/`). */
export const RUN_FILES = {
  trace: 'trace.jsonl',
  checkpoint: 'checkpoint.json',
  markdown: 'report.md',
  json: 'report.json',
  html: 'report.html',
  /** The final prompt's case results, for re-rendering the reports without a model call. */
  cases: 'cases.json',
  /** Every paid call, reserved before it is sent and settled when it answers (see runner/spend-journal.ts). */
  spend: 'spend.jsonl',
} as const;

export function runFile(runDir: string, name: keyof typeof RUN_FILES): string {
  return join(runDir, RUN_FILES[name]);
}
