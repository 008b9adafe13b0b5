import { writeFileAtomic } from '../util/atomic-write.js';
import { redact } from './redact.js';
import { renderJson } from './render-json.js';
import { renderMarkdown } from './render-markdown.js';
import { runFile } from './run-files.js';
import type { ReportData } from './types.js';

/** Writes report.md and report.json into the run folder, atomically, every string redacted. Returns their paths. */
export async function writeReports(runDir: string, data: ReportData): Promise<{ markdown: string; json: string }> {
  const safe = redact(data);
  const markdown = runFile(runDir, 'markdown');
  const json = runFile(runDir, 'json');
  await Promise.all([writeFileAtomic(markdown, renderMarkdown(safe)), writeFileAtomic(json, renderJson(safe))]);
  return { markdown, json };
}
