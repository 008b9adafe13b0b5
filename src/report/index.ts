/** The report stage: run traces, checkpoints, and reports rendered by pure functions. */
export { REDACTED, redact, redactSecrets, redactWith, createRedactor, knownSecrets, secretsFromEnv, type Redactor } from './redact.js';
export { traceEntryFromCall, type TraceEntry } from './trace-entry.js';
export { TraceWriter, type TraceWriterOptions } from './trace-writer.js';
export { TRACE_MODES, type TraceMode } from './trace-format.js';
export { readTrace, traceItems, type TraceCall, type TraceContents } from './read-trace.js';
export { findRun, listRuns, readCheckpoint, writeCheckpoint, type RunFolder } from './checkpoint.js';
export { RUN_FILES, runFile } from './run-files.js';
export { buildReportData } from './report-data.js';
export { renderMarkdown } from './render-markdown.js';
export { renderJson, REPORT_JSON_SCHEMA } from './render-json.js';
export { renderHtml } from './html/render-html.js';
export { toCaseRecord, readCaseRecords, writeCaseRecords } from './case-records.js';
export { writeReports, type ReportPaths } from './write-reports.js';
export { describeGap, formatPoints, GAP_WARNING_POINTS, generalizationGap, type GeneralizationGap } from './generalization-gap.js';
export type * from './types.js';
