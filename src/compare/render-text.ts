/** The terminal view of a comparison: the side-by-side table, each pair against the baseline, per model. */
import chalk from 'chalk';
import { idList, interval, ms, pct, points, pointsInterval, pValue, testName, usdOrUnknown } from './format.js';
import type { Objective } from '../spec/types.js';
import type { Comparison, PairComparison, Verdict } from './types.js';

export function renderCompareText(comparison: Comparison): string {
  const { settings } = comparison;
  const mark = (objective: Objective) => (settings.objective === objective ? ' *' : '');
  const withUnchecked = comparison.pairs.some((p) => p.unchecked > 0);
  const header = [
    'pair',
    `pass rate${mark('pass_rate')}`,
    `${Math.round(comparison.confidence * 100)}% CI`,
    `mean score${mark('mean_score')}`,
    ...(withUnchecked ? ['unchecked'] : []),
    'cost/case',
    'latency',
    'tokens in/out',
    'errors',
  ];
  const rows = comparison.pairs.map((p) => [
    `${p.id}${p.id === comparison.baseline ? ' (baseline)' : ''}${p.simulated ? ' (SIMULATED)' : ''}`,
    `${pct(p.passRate)} (${p.passed}/${p.cases})`,
    interval(p.passRateInterval),
    pct(p.score),
    ...(withUnchecked ? [String(p.unchecked)] : []),
    usdOrUnknown(p.costPerCaseUsd),
    ms(p.meanLatencyMs),
    `${p.inputTokens}/${p.outputTokens}`,
    String(p.providerErrors),
  ]);
  const metrics = comparison.pairs.flatMap((p) => p.metrics.map((m) => [m.name, p.id, `${m.passed}/${m.cases}`, pct(m.score)]));
  const lines = [table(header, rows), ''];
  if (metrics.length > 0) lines.push(table(['metric', 'pair', 'passed', 'mean score'], metrics), '');

  lines.push(chalk.bold(`Against the baseline ${comparison.baseline} (alpha ${settings.alpha}; no verdict below ${settings.minCases} paired cases):`));
  for (const c of comparison.comparisons) lines.push(...comparisonLines(c, c.candidate, settings.objective));
  const few = [...comparison.comparisons, ...comparison.perModel.flatMap((m) => m.comparisons)].filter((c) => c.verdict === 'too_few_cases');
  if (few.length > 0) lines.push(chalk.dim(tooFewNote(Math.max(...few.map((c) => c.n)), settings)));

  lines.push('', chalk.bold('Per model (each version against the baseline version on the same model):'));
  for (const m of comparison.perModel) {
    // On the baseline's own model these are the comparisons above: not printed twice.
    const same = m.comparisons.some((c) => c.baseline === comparison.baseline);
    lines.push(`  ${m.model}: best ${m.bestVersion} · ranking ${m.ranking.join(' > ')}${same && m.comparisons.length > 0 ? ' (against the baseline: above)' : ''}`);
    if (same) continue;
    for (const c of m.comparisons) lines.push(...comparisonLines(c, `${versionOf(c.candidate, m.model)} vs ${versionOf(c.baseline, m.model)}`, settings.objective, '    '));
  }
  return lines.join('\n');
}

function comparisonLines(c: PairComparison, label: string, objective: Objective, indent = '  '): string[] {
  const score = c.bootstrap ? ` · Δ ${bootstrapOf(objective)} ${points(c.bootstrap.meanDifference)} ${pointsInterval(c.bootstrap.interval)}` : '';
  const stats = `pass rate ${points(c.passRateDifference)} · fixed ${c.fixed.length} · broken ${c.broken.length} · n ${c.n} paired${score} · ${testName(c.test)} p=${pValue(c.pValue)}`;
  const lines = [`${indent}${label}: ${colour(c.verdict, c.verdictText)} (${stats})`];
  if (c.fixed.length > 0) lines.push(`${indent}  fixed: ${idList(c.fixed)}`);
  if (c.broken.length > 0) lines.push(`${indent}  broken: ${idList(c.broken)}`);
  if (c.excluded.length > 0) lines.push(`${indent}  left out (provider errors): ${idList(c.excluded)}`);
  return lines;
}

/** What to do when the suite is too small for a verdict: in the message itself. */
function tooFewNote(n: number, settings: Comparison['settings']): string {
  const mcnemar = settings.objective === 'pass_rate' && settings.repeat === 1 ? "; McNemar's exact test reaches p < 0.05 only once 6 or more cases flip the same way" : '';
  return (
    `  no verdict on ${n} paired case${n === 1 ? '' : 's'} (--min-cases ${settings.minCases}): add cases to the suite, ` +
    `or run every case with --split all if you chose a split; --min-cases ${Math.max(1, n)} gives verdicts on these few${mcnemar}`
  );
}

/** What the bootstrap resamples: case scores, or case pass rates (shares of samples passed). */
export function bootstrapOf(objective: Objective): string {
  return objective === 'mean_score' ? 'mean score' : 'pass rate';
}

/** `v3` from `v3@openai:gpt-4o-mini`, knowing the model (version labels may hold any character). */
export function versionOf(pairId: string, model: string): string {
  return pairId.slice(0, pairId.length - model.length - 1);
}

function colour(verdict: Verdict, text: string): string {
  if (verdict === 'better') return chalk.green(text);
  if (verdict === 'worse') return chalk.red(text);
  return verdict === 'too_few_cases' ? chalk.dim(text) : text;
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  return [chalk.bold(line(header)), ...rows.map(line)].join('\n');
}
