import { writeFileAtomic } from '../util/atomic-write.js';
import { renderHtml } from './html/render-html.js';
import { redact } from './redact.js';
import { renderJson } from './render-json.js';
import { renderMarkdown } from './render-markdown.js';
import { runFile } from './run-files.js';
import type { ReportData } from './types.js';

export interface ReportPaths {
  markdown: string;
  json: string;
  html: string;
}

/**
 * Writes report.md, report.json and report.html into the run folder, atomically, every string
 * redacted (`secrets`: exact values, see knownSecrets; key shapes always). Returns their paths.
 */
export async function writeReports(runDir: string, data: ReportData, secrets: readonly string[] = []): Promise<ReportPaths> {
  const safe = redact(data, secrets);
  const paths: ReportPaths = { markdown: runFile(runDir, 'markdown'), json: runFile(runDir, 'json'), html: runFile(runDir, 'html') };
  await Promise.all([
    writeFileAtomic(paths.markdown, renderMarkdown(safe)),
    writeFileAtomic(paths.json, renderJson(safe)),
    writeFileAtomic(paths.html, renderHtml(safe)),
  ]);
  return paths;
}
