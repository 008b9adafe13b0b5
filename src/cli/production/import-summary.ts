/**
 * What `promptopt import` prints: imported per kind (with their splits), merged, conflicts, skipped
 * per reason with line numbers, and what was redacted by type and count. Never a logged value.
 */
import { FEEDBACK_KINDS } from '../../production/classify.js';
import type { ImportResult } from '../../production/import-task.js';
import type { Skipped } from '../../production/plan-import.js';
import { formatRedactionCounts, sortedCounts } from '../../redact/format-counts.js';
import { displayPath } from '../../spec/issues.js';
import { SPLIT_NAMES } from '../../spec/types.js';
import { JSON_SCHEMA_VERSION } from '../output/json-schema-version.js';

const LINES_SHOWN = 10;

const REASON_HINTS: Partial<Record<Skipped['reason'], string>> = {
  thumbs_down_without_comment: 'nothing says what was wrong; --keep-unlabelled keeps it as an unlabelled case',
  comment_without_rating: 'a comment without a thumbs-down may be praise; --keep-unlabelled keeps it as an unlabelled case',
  unmapped_flags_only: 'map the flag to an assertion under `flags:` in the spec, or --keep-unlabelled',
  no_feedback: 'no rating, correction, comment or flag; --keep-unlabelled keeps it as an unlabelled case',
  conflicts_with_existing_case: 'the correction differs from the existing case\'s expected; edit that case if the correction is right',
  missing_variable: 'the prompt needs this variable; map it with --map vars.<name>=<path>',
};

export function importSummaryText(result: ImportResult, exportFile: string): string {
  const { plan } = result;
  const out: string[] = [];
  const where = displayPath(result.target.file);
  out.push(`import · ${result.spec.name} · ${plan.records} record${plural(plan.records)} from ${exportFile} -> ${where}${result.dryRun ? ' (dry run: nothing written)' : ''}`);
  const kinds = FEEDBACK_KINDS.filter((k) => plan.imported[k] > 0).map((k) => `${k} ${plan.imported[k]}`);
  out.push(`${result.dryRun ? 'would import' : 'imported'} ${plan.cases.length} case${plural(plan.cases.length)}${kinds.length ? `: ${kinds.join(', ')}` : ''}`);
  if (plan.cases.length > 0) {
    const counts = SPLIT_NAMES.map((s) => `${s} ${Object.values(result.splits).filter((v) => v === s).length}`);
    out.push(`  splits: ${counts.join(', ')} (${result.dryRun ? 'as they would be recorded in' : 'recorded in'} ${displayPath(result.splitsFile)})`);
  }
  if (plan.merged.length > 0) {
    out.push(`merged ${plan.merged.length} record${plural(plan.merged.length)} into another with the same variables: ${listed(plan.merged.map((m) => `line ${m.line} -> line ${m.into}`))}`);
  }
  for (const conflict of plan.conflicts) {
    out.push(`conflict: lines ${conflict.lines.join(', ')} give different corrections for the same input; kept line ${conflict.kept} (the latest)`);
  }
  if (plan.skipped.length > 0) {
    out.push(`skipped ${plan.skipped.length} record${plural(plan.skipped.length)}:`);
    for (const [reason, items] of groupByReason(plan.skipped)) {
      const shown = items.map((s) => `line ${s.line}${s.detail !== undefined ? ` (${s.detail})` : ''}`);
      out.push(`  ${reason} (${items.length}): ${listed(shown)}`);
      const hint = REASON_HINTS[reason];
      if (hint) out.push(`    ${hint}`);
    }
  }
  out.push(result.redacted ? `redacted: ${formatRedactionCounts(plan.redactions)} (placeholders such as <EMAIL_1>; values are never shown)` : 'redaction: off (--no-redact or redact: false): personal data is written as logged');
  if (result.specEdited) out.push(`spec: added ${displayPath(result.target.file)} to \`cases:\` in ${displayPath(result.spec.file)}`);
  else if (!result.target.listed && result.dryRun && plan.cases.length > 0) out.push(`spec: would add ${displayPath(result.target.file)} to \`cases:\` in ${displayPath(result.spec.file)}`);
  return out.join('\n');
}

export function importJson(result: ImportResult, exportFile: string): unknown {
  const { plan } = result;
  return {
    schema_version: JSON_SCHEMA_VERSION,
    task: result.spec.name,
    source: exportFile,
    dry_run: result.dryRun,
    wrote: result.wrote,
    target: result.target.file,
    spec_edited: result.specEdited,
    splits_file: result.splitsFile,
    records: plan.records,
    imported: plan.imported,
    cases: plan.cases.map((c) => ({ id: c.id, kind: c.kind, split: result.splits[c.id] ?? null, line: (c.metadata.source as { line: number }).line })),
    merged: plan.merged,
    conflicts: plan.conflicts,
    skipped: plan.skipped.map((s) => ({ line: s.line, reason: s.reason, detail: s.detail ?? null })),
    redaction: result.redacted ? Object.fromEntries(sortedCounts(plan.redactions)) : null,
  };
}

function groupByReason(skipped: Skipped[]): Map<Skipped['reason'], Skipped[]> {
  const groups = new Map<Skipped['reason'], Skipped[]>();
  for (const s of skipped) groups.set(s.reason, [...(groups.get(s.reason) ?? []), s]);
  return groups;
}

function listed(items: string[]): string {
  return items.length <= LINES_SHOWN ? items.join(', ') : `${items.slice(0, LINES_SHOWN).join(', ')}, … and ${items.length - LINES_SHOWN} more (--json lists them all)`;
}

function plural(n: number): string {
  return n === 1 ? '' : 's';
}
