/** The Markdown appended to $GITHUB_STEP_SUMMARY in a GitHub Actions job. */
import { OBJECTIVE_LABELS } from '../../runner/objective.js';
import type { SplitSummary } from '../../runner/types.js';
import type { Objective } from '../../spec/types.js';
import type { CaseJson } from './eval-json.js';
import { figure } from './eval-table.js';
import { formatPercent, formatUsd } from '../terminal.js';

/** The failing cases it lists at most. */
export const STEP_SUMMARY_FAILING = 20;

/** `failing`: the first failing case records in the cases' order (at most STEP_SUMMARY_FAILING are shown). */
export function stepSummaryMarkdown(
  info: { task: string; model: string; simulated: boolean; threshold: number; score: number; objective: Objective; passed: boolean; providerErrors?: number },
  summaries: SplitSummary[],
  failing: readonly CaseJson[],
): string {
  const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
  const lines = [
    `### promptopt eval: ${cell(info.task)} ${
      info.providerErrors ? `⚠️ provider failure (${info.providerErrors} case(s)): not a verdict on the prompt` : info.passed ? '✅ passed' : '❌ below threshold'
    }`,
    '',
    `Target \`${cell(info.model)}\`${info.simulated ? ' (simulated)' : ''} · ${OBJECTIVE_LABELS[info.objective]} **${formatPercent(info.score)}** · threshold ${formatPercent(info.threshold)}`,
    '',
    '| split | passed | pass rate | mean score | unchecked | cost | cache hits |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...summaries.map(
      (s) =>
        `| ${s.split} | ${s.passed}/${s.total} | ${figure(s, s.passRate)} | ${figure(s, s.meanScore)} | ${s.unchecked} | ${formatUsd(s.costUsd, s.costIncomplete)} | ${s.cacheHits} |`,
    ),
  ];
  const metrics = summaries.flatMap((s) => s.metrics.map((m) => ({ split: s.split, ...m })));
  if (metrics.length > 0) {
    lines.push('', '| metric | split | passed | mean score |', '| --- | --- | --- | --- |');
    for (const m of metrics) lines.push(`| ${cell(m.name)} | ${m.split} | ${m.passed}/${m.cases} | ${formatPercent(m.score)} |`);
  }
  if (failing.length > 0) {
    lines.push('', '<details><summary>Failing cases</summary>', '', '| case | split | reason |', '| --- | --- | --- |');
    for (const c of failing.slice(0, STEP_SUMMARY_FAILING)) {
      const reason = c.provider_error?.message ?? c.failures.map((f) => `${f.category}: ${f.reason}`).join('; ');
      lines.push(`| ${cell(c.id)} | ${c.split} | ${cell(reason).slice(0, 300)} |`);
    }
    lines.push('', '</details>');
  }
  return `${lines.join('\n')}\n`;
}
