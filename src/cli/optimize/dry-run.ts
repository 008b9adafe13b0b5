/** `optimize --dry-run` as text and as JSON (the projection itself: workflows/project-optimize.ts). */
import type { MissingApiKeyError } from '../../errors.js';
import { PRICES_AS_OF } from '../../providers/prices.js';
import { SCENARIOS, type ScenarioName } from '../../optimizer/project-loop.js';
import { costRange, type OptimizeProjection, type ProjectedRole, type ScenarioProjection } from '../../workflows/project-optimize.js';
import { JSON_SCHEMA_VERSION } from '../output/json-schema-version.js';
import { formatUsd } from '../terminal.js';
import { missingKeyNote, missingKeysJson } from '../dry-run.js';

const ROLES: ProjectedRole[] = ['optimizer', 'target', 'judge'];
const count = (n: number) => n.toLocaleString('en-US');
/** What a run can spend: the budget gate refuses any call that could take spend past the budget. */

/** What each end of the range assumes (see optimizer/project-loop.ts and workflows/project-optimize.ts). */
function scenarioNotes(p: OptimizeProjection): Record<ScenarioName, string> {
  const { patience, maxIterations, validationIterations } = p.settings;
  const expected = p.scenarios.expected.run;
  const training =
    expected.trainingIterations < maxIterations
      ? `${patience} training iteration(s) that adopt a candidate, then ${patience} without a gain (patience)`
      : `all ${maxIterations} training iterations`;
  const validation = validationIterations > 0 ? `, ${expected.validationIterations} validation iteration(s)` : '';
  return {
    low: "the first iteration's best candidate passes every train and validation case: the run stops there",
    expected: `${training}${validation}; half the candidates scored on validation too; prompts grow ×1.5`,
    high: 'every iteration of both phases, every candidate scored on both splits, answers twice as long as expected, prompts grow ×2, no judge answer from the cache',
    worst: 'a ceiling, not a forecast: high with every output at its max_tokens, every meta-prompt at its token budget, every optimizer reply asked for twice',
  };
}

export function formatProjection(p: OptimizeProjection, options: { budget?: number; missingKeys?: MissingApiKeyError[] } = {}): string {
  const { budget } = options;
  const s = p.settings;
  const complete = p.unknownPrices.length === 0;
  const priced = ROLES.some((role) => p.scenarios.worst.roles[role].calls > 0 && p.scenarios.worst.roles[role].costUsd !== null);
  const range = costRange(p, budget);
  const usd = (capped: number, uncapped: number) => {
    if (!priced) return 'unknown';
    const text = formatUsd(capped, !complete);
    return budget !== undefined && uncapped > budget ? `${text} (the budget; uncapped ${formatUsd(uncapped, !complete)})` : text;
  };
  const cost = (x: ScenarioProjection) => {
    if (!priced) return 'unknown';
    const text = formatUsd(x.costUsd, !complete);
    return budget !== undefined && x.costUsd > budget ? `${text} → stops at the budget ${formatUsd(budget)}` : text;
  };
  const { expected, high } = p.scenarios;
  const headline =
    `  expected cost ${usd(range.expected, expected.costUsd)} · range ${usd(range.min, range.min)} – ${usd(range.max, high.costUsd)}` +
    ` (low: ${range.budgetMayStop ? 'the budget stops the run at its first optimizer call' : 'the run stops after its first iteration'}; high: it runs every iteration)` +
    (budget !== undefined ? ` · a run stops at the budget ${formatUsd(budget)}` : '');
  const notes = scenarioNotes(p);
  const row = (name: ScenarioName) => {
    const x = p.scenarios[name];
    const cells = [name, `${x.run.trainingIterations} + ${x.run.validationIterations}`, ...ROLES.map((role) => count(x.roles[role].calls))];
    return `  ${cells[0]!.padEnd(9)}${cells[1]!.padStart(10)}${cells[2]!.padStart(11)}${cells[3]!.padStart(9)}${cells[4]!.padStart(8)}   ${cost(x)}`;
  };
  const z = p.sizes;
  const splits = `train ${p.splits.train}, validation ${p.splits.validation}, test ${p.splits.test}`;
  const judgeSizes = p.scenarios.worst.roles.judge.calls > 0 ? ` · judge ${count(z.judgeInput)} in, ${z.verdict} out (worst ${count(z.judgeMaxTokens)})` : '';
  const lines = [
    `dry run: no calls made · strategy ${p.strategy} · ${s.candidates} candidate(s) an iteration · up to ${s.maxIterations} training + ${s.validationIterations} validation iterations, patience ${s.patience} · ${splits}${s.repeat > 1 ? ` · ${s.repeat} samples a case` : ''}`,
    headline,
    `  ${'run'.padEnd(9)}${'iterations'.padStart(10)}${'optimizer'.padStart(11)}${'target'.padStart(9)}${'judge'.padStart(8)}   cost`,
    ...SCENARIOS.map(row),
    ...SCENARIOS.map((name) => `  ${`${name}:`.padEnd(10)}${notes[name]}`),
    `  tokens a call (≈4 characters a token): target ${count(z.targetInput)} in, ${count(z.answer)} out (as long as the expected answers; high twice that; worst ${count(z.targetMaxTokens)} = max_tokens)` +
      ` · optimizer ${count(z.metaPrompt.expected)} in (low ${count(z.metaPrompt.low)}, high ${count(z.metaPrompt.high)}, worst ${count(z.metaPrompt.worst)} = meta_prompt_tokens), ${count(z.reply.expected)} out (worst ${count(z.reply.worst)} = max_tokens)${judgeSizes}`,
    ...(p.cached.target + p.cached.judge > 0
      ? [`  cache: ${count(p.cached.target)} target and ${count(p.cached.judge)} judge call(s) of the starting prompt are cached (not counted)`]
      : []),
    `  prices (USD per million tokens in/out; table as of ${PRICES_AS_OF}): ${p.models.map((m) => `${m.role} ${m.model} ${m.price ? `${m.price.inputPerMTok}/${m.price.outputPerMTok}` : 'unknown'}`).join(' · ')}`,
    ...(p.models.some((m) => m.simulated)
      ? [`  ${p.models.filter((m) => m.simulated).map((m) => m.role).join(' and ')}: the built-in simulator, free: its figures say nothing about what a real model would cost`]
      : []),
    ...p.unknownPrices.map((role) => `  ${role}: no known price, so its calls are not in the cost (set ${role}.price: { input_per_mtok, output_per_mtok })`),
    ...(budget !== undefined ? [`  budget ${formatUsd(budget)}: no call is made that could take spend past it; a run stopped there keeps its best version`] : []),
    ...(options.missingKeys ?? []).map(missingKeyNote),
  ];
  return lines.join('\n');
}

export function projectionJson(task: string, p: OptimizeProjection, options: { budget?: number; missingKeys?: MissingApiKeyError[] } = {}): Record<string, unknown> {
  const { low, expected, high, worst } = p.scenarios;
  const range = (pick: (x: ScenarioProjection) => number) => ({ min: pick(low), expected: pick(expected), max: pick(high), worst: pick(worst) });
  const anyPriced = ROLES.some((role) => worst.roles[role].calls > 0 && worst.roles[role].costUsd !== null);
  const scenario = (x: ScenarioProjection) => ({
    training_iterations: x.run.trainingIterations,
    validation_iterations: x.run.validationIterations,
    cost_usd: anyPriced ? x.costUsd : null,
    ...Object.fromEntries(ROLES.map((role) => [role, { calls: x.roles[role].calls, input_tokens: x.roles[role].input, output_tokens: x.roles[role].output, cost_usd: x.roles[role].costUsd }])),
  });
  return {
    schema_version: JSON_SCHEMA_VERSION,
    task,
    dry_run: true,
    strategy: p.strategy,
    splits: p.splits,
    optimizer_calls: range((x) => x.roles.optimizer.calls),
    target_calls: range((x) => x.roles.target.calls),
    judge_calls: range((x) => x.roles.judge.calls),
    // What a run can spend, with the budget (workflows/project-optimize.ts costRange); the scenarios keep the uncapped figures.
    cost_usd: anyPriced ? (({ budgetMayStop, ...usd }) => usd)(costRange(p, options.budget)) : null,
    budget_may_stop_early: costRange(p, options.budget).budgetMayStop,
    cost_complete: p.unknownPrices.length === 0,
    unknown_prices: p.unknownPrices,
    scenarios: { low: scenario(low), expected: scenario(expected), high: scenario(high), worst: scenario(worst) },
    cached_calls: p.cached,
    sizes: {
      target_input_tokens: p.sizes.targetInput,
      target_output_tokens: p.sizes.answer,
      target_max_tokens: p.sizes.targetMaxTokens,
      prompt_tokens: p.sizes.promptTokens,
      meta_prompt_tokens: p.sizes.metaPrompt,
      optimizer_output_tokens: p.sizes.reply,
      judge_input_tokens: p.sizes.judgeInput,
      judge_output_tokens: p.sizes.verdict,
      judge_max_tokens: p.sizes.judgeMaxTokens,
    },
    models: p.models.map((m) => ({ role: m.role, model: m.model, price: m.price ? { input_per_mtok: m.price.inputPerMTok, output_per_mtok: m.price.outputPerMTok } : null, simulated: m.simulated ?? false })),
    budget_usd: options.budget ?? null,
    missing_keys: missingKeysJson(options.missingKeys ?? []),
  };
}
