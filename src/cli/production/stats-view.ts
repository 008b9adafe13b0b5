/** What `promptopt stats` prints: a table per group, the version tests, the feedback count. */
import type { GroupKey, GroupStats } from '../../production/compute-stats.js';
import { formatP } from '../../production/stats-events.js';
import type { StatsResult } from '../../production/stats-task.js';
import type { Spec } from '../../spec/types.js';
import { JSON_SCHEMA_VERSION } from '../output/json-schema-version.js';

interface ViewOptions {
  source: string;
  by: GroupKey[];
  alpha: number;
}

const TEST_NOTE = 'pooled two-proportion z-test; Fisher\'s exact test when an expected count is below 5';

export function statsText(spec: Spec, result: StatsResult, options: ViewOptions & { specArg: string }): string {
  const out: string[] = [];
  const { stats } = result;
  out.push(`stats · ${spec.name} · ${result.records} record${result.records === 1 ? '' : 's'} from ${options.source}`);
  if (result.malformed.length > 0) {
    const lines = result.malformed.slice(0, 10).map((m) => m.line).join(', ');
    out.push(`  skipped ${result.malformed.length} malformed: line${result.malformed.length === 1 ? '' : 's'} ${lines}${result.malformed.length > 10 ? ', …' : ''} (--json lists the reasons)`);
  }
  out.push('', table(options.by, stats.groups));
  if (stats.comparisons.length > 0) {
    out.push('', `thumbs-up rate between versions (${TEST_NOTE}; alpha ${options.alpha}):`);
    for (const c of stats.comparisons) {
      const points = `${c.result.difference >= 0 ? '+' : ''}${(c.result.difference * 100).toFixed(1)} points`;
      const z = c.result.z === null ? '' : `z = ${c.result.z.toFixed(2)}, `;
      const verdict = !c.significant ? 'no significant difference' : c.result.difference < 0 ? 'significantly lower' : 'significantly higher';
      out.push(`  ${c.newer} vs ${c.older}: ${pct(c.newerRate)} vs ${pct(c.olderRate)} (${points}), ${c.result.test}, ${z}p = ${formatP(c.result.pValue)}: ${verdict}`);
    }
  }
  if (result.degraded && result.latest) out.push('', `degradation: ${result.latest.newer}, the newest version, is significantly below ${result.latest.older}`);
  const since = result.feedback.since === null ? 'no optimize run yet' : `since the last optimize run (${result.feedback.since})`;
  const threshold = spec.feedbackThreshold === undefined ? '' : `; feedback_threshold ${spec.feedbackThreshold}${result.thresholdReached ? ' reached' : ''}`;
  out.push('', `feedback: ${result.feedback.count} record${result.feedback.count === 1 ? '' : 's'} with feedback (${since})${threshold}`);
  if (result.thresholdReached) out.push(`  suggestion: promptopt import ${options.specArg} ${options.source} && promptopt optimize ${options.specArg}`);
  return out.join('\n');
}

export function statsJson(spec: Spec, result: StatsResult, options: ViewOptions): unknown {
  return {
    schema_version: JSON_SCHEMA_VERSION,
    task: spec.name,
    source: options.source,
    records: result.records,
    malformed: result.malformed.map((m) => ({ line: m.line, reason: m.reason })),
    by: options.by,
    groups: result.stats.groups.map(groupJson),
    versions: result.stats.versions.map(groupJson),
    comparisons: result.stats.comparisons.map((c) => ({
      newer: c.newer,
      older: c.older,
      newer_rate: c.newerRate,
      older_rate: c.olderRate,
      difference: c.result.difference,
      test: c.result.test,
      z: c.result.z,
      p_value: c.result.pValue,
      significant: c.significant,
    })),
    alpha: options.alpha,
    degradation: result.degraded && result.latest ? { newer: result.latest.newer, older: result.latest.older, p_value: result.latest.result.pValue } : null,
    feedback: { count: result.feedback.count, since: result.feedback.since, threshold: spec.feedbackThreshold ?? null, reached: result.thresholdReached },
  };
}

function groupJson(g: GroupStats): unknown {
  return {
    key: g.key,
    interactions: g.interactions,
    rated: g.rated,
    thumbs_up: g.thumbsUp,
    thumbs_up_rate: g.thumbsUpRate,
    thumbs_up_ci95: g.thumbsUpInterval ? [g.thumbsUpInterval.lower, g.thumbsUpInterval.upper] : null,
    corrections: g.corrections,
    correction_rate: g.correctionRate,
    flag_rates: g.flagRates,
    latency_ms: { p50: g.latencyP50, p95: g.latencyP95 },
    tokens_per_interaction: { input: g.inputTokensPerInteraction, output: g.outputTokensPerInteraction },
    cost_per_interaction_usd: g.costPerInteraction,
    total_cost_usd: g.totalCost,
  };
}

function table(by: GroupKey[], groups: GroupStats[]): string {
  const header = [...by, 'interactions', 'thumbs-up (95% CI)', 'corrections', 'flags', 'latency p50/p95', 'tokens in/out', 'cost/interaction'];
  const rows = groups.map((g) => [
    ...by.map((k) => g.key[k] ?? ''),
    String(g.interactions),
    g.thumbsUpRate === null ? '-' : `${pct(g.thumbsUpRate)} [${pct(g.thumbsUpInterval!.lower)}, ${pct(g.thumbsUpInterval!.upper)}] (${g.thumbsUp}/${g.rated})`,
    pct(g.correctionRate),
    Object.entries(g.flagRates).map(([flag, rate]) => `${flag} ${pct(rate)}`).join(', ') || '-',
    g.latencyP50 === null ? '-' : `${round(g.latencyP50)}/${round(g.latencyP95!)} ms`,
    g.inputTokensPerInteraction === null && g.outputTokensPerInteraction === null ? '-' : `${num(g.inputTokensPerInteraction)}/${num(g.outputTokensPerInteraction)}`,
    g.costPerInteraction === null ? '-' : `$${g.costPerInteraction.toFixed(6)}`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}

function pct(x: number): string {
  return `${(x * 100).toFixed(1)}%`;
}

function num(x: number | null): string {
  return x === null ? '-' : Number.isInteger(x) ? String(x) : x.toFixed(1);
}

function round(x: number): string {
  return Number.isInteger(x) ? String(x) : x.toFixed(1);
}
