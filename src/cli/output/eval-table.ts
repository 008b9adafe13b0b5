/** The human summary `promptopt eval` prints: a table per split, then the failing cases. */
import chalk from 'chalk';
import { spendTotals, type SpendLine } from '../../runner/spend-ledger.js';
import type { SplitSummary } from '../../runner/types.js';
import type { Objective } from '../../spec/types.js';
import type { CaseJson } from './eval-json.js';
import { excerpt, formatPercent, formatUsd } from '../terminal.js';

/**
 * A row per split: passed/checked, both the pass rate and the mean score (the objective's column
 * marked `*`), the unchecked cases when there are any, cost, tokens, cache hits, provider errors.
 * Then, when assertions name metrics, a row per metric and split.
 */
export function evalTable(summaries: SplitSummary[], objective: Objective): string {
  const mark = (column: Objective) => (column === objective ? ' *' : '');
  const withUnchecked = summaries.some((s) => s.unchecked > 0);
  const header = [
    'split',
    'passed',
    `pass rate${mark('pass_rate')}`,
    `mean score${mark('mean_score')}`,
    ...(withUnchecked ? ['unchecked'] : []),
    'cost',
    'tokens in/out',
    'cache hits',
    'errors',
  ];
  const rows = summaries.map((s) => [
    s.split,
    `${s.passed}/${s.total}`,
    figure(s, s.passRate),
    figure(s, s.meanScore),
    ...(withUnchecked ? [String(s.unchecked)] : []),
    formatUsd(s.costUsd, s.costIncomplete),
    `${s.inputTokens}/${s.outputTokens}`,
    `${s.cacheHits}/${s.cacheHits + s.calls}`,
    String(s.providerErrors),
  ]);
  const tables = [table(header, rows)];
  // Grouped by metric (in the order they first appear), then by split.
  const names = [...new Set(summaries.flatMap((s) => s.metrics.map((m) => m.name)))];
  const metrics = names.flatMap((name) =>
    summaries.flatMap((s) => s.metrics.filter((m) => m.name === name).map((m) => [m.name, s.split, `${m.passed}/${m.cases}`, formatPercent(m.score)])),
  );
  if (metrics.length > 0) tables.push(table(['metric', 'split', 'passed', 'mean score'], metrics));
  return tables.join('\n\n');
}

/** A split with no checked case has no figure: `—`, never a 0% that reads as a verdict. */
export function figure(s: Pick<SplitSummary, 'total'>, value: number): string {
  return s.total === 0 ? '—' : formatPercent(value);
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  return [chalk.bold(line(header)), ...rows.map(line)].join('\n');
}

/** Why some cases are in no figure: nothing checked them. */
export function uncheckedNote(unchecked: number): string {
  if (unchecked === 0) return '';
  return `${unchecked} case(s) unchecked: no assertion applies to them (a case kept unlabelled, or a default on {{expected}} for a case without one); they are left out of the pass rate and the score.`;
}

/** The failing cases it lists at most. */
export const TABLE_FAILING = 10;

/** `failing`: the first failing case records in the cases' order; `count`: how many cases failed in all. */
export function failingCasesText(failing: readonly CaseJson[], count: number, limit = TABLE_FAILING): string {
  if (count === 0) return '';
  const lines = [chalk.bold(`Failing cases (${count}):`)];
  for (const c of failing.slice(0, limit)) {
    if (c.provider_error) {
      lines.push(`  ${chalk.red('✗')} ${c.id} [${c.split}] provider_error: ${excerpt(c.provider_error.message, 120)}`);
      continue;
    }
    const first = c.failures[0];
    lines.push(`  ${chalk.red('✗')} ${c.id} [${c.split}] ${first ? `${first.type} — ${first.category}: ${excerpt(first.reason, 120)}` : 'failed'}`);
    for (const more of c.failures.slice(1, 3)) lines.push(`      also ${more.type} — ${more.category}: ${excerpt(more.reason, 100)}`);
  }
  if (count > limit) lines.push(chalk.dim(`  … ${count - limit} more (use --json or --output for all)`));
  return lines.join('\n');
}

/** `spend: paid $0.0123 for 40 call(s) · saved $0.0040 (12 call(s) served from the cache)`. */
export function spendLine(lines: SpendLine[]): string {
  const t = spendTotals(lines);
  const paid = formatUsd(t.paidUsd, t.unknownCostCalls > 0);
  return `spend: paid ${paid} for ${t.paidCalls} call(s) · saved ${formatUsd(t.savedUsd + t.replayedUsd)} (${t.savedCalls + t.replayedCalls} call(s) served from the cache)`;
}
