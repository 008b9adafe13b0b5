/** The Markdown appended to $GITHUB_STEP_SUMMARY in a GitHub Actions job. */
import type { EvalResult } from '../../runner/types.js';
import { formatPercent, formatUsd } from '../terminal.js';

export function stepSummaryMarkdown(
  info: { task: string; model: string; simulated: boolean; threshold: number; score: number; passed: boolean; providerErrors?: number },
  result: EvalResult,
): string {
  const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
  const lines = [
    `### promptopt eval: ${cell(info.task)} ${
      info.providerErrors ? `⚠️ provider failure (${info.providerErrors} case(s)): not a verdict on the prompt` : info.passed ? '✅ passed' : '❌ below threshold'
    }`,
    '',
    `Target \`${cell(info.model)}\`${info.simulated ? ' (simulated)' : ''} · score **${formatPercent(info.score)}** · threshold ${formatPercent(info.threshold)}`,
    '',
    '| split | passed | score | cost | cache hits |',
    '| --- | --- | --- | --- | --- |',
    ...result.summaries.map(
      (s) => `| ${s.split} | ${s.passed}/${s.total} | ${formatPercent(s.score)} | ${formatUsd(s.costUsd, s.costIncomplete)} | ${s.cacheHits} |`,
    ),
  ];
  const failing = result.cases.filter((c) => !c.pass).slice(0, 20);
  if (failing.length > 0) {
    lines.push('', '<details><summary>Failing cases</summary>', '', '| case | split | reason |', '| --- | --- | --- |');
    for (const c of failing) {
      const reason = c.providerError?.message ?? c.failures.map((f) => `${f.category}: ${f.reason}`).join('; ');
      lines.push(`| ${cell(c.caseId)} | ${c.split} | ${cell(reason).slice(0, 300)} |`);
    }
    lines.push('', '</details>');
  }
  return `${lines.join('\n')}\n`;
}
