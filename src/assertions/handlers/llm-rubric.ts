/**
 * `llm-rubric`: a judge model grades the output against the rubric in `value` and replies with
 * `{"pass", "score", "reason"}`. The judge arrives already cached and retried (context.judge).
 * With a threshold, the score must also reach it. The `[promptopt:judge]` marker lets the offline
 * simulator recognise judge requests: keep it exactly.
 */
import { PromptoptError, ProviderError } from '../../errors.js';
import { extractJsonValues } from '../extract-json.js';
import { assertionError, clampScore, failed, passed } from '../outcome.js';
import { clip, errorMessage, quote, truncate } from '../text.js';
import type { ChatRequest } from '../../providers/types.js';
import type { AssertionHandler } from '../types.js';
import { stringifyValue } from '../../template/template.js';

export const JUDGE_MARKER = '[promptopt:judge]';
export const JUDGE_SYSTEM = `${JUDGE_MARKER} You grade an AI output against a rubric. Reply with only JSON: {"pass": true|false, "score": 0..1, "reason": "..."}`;
export const DEFAULT_JUDGE_MAX_TOKENS = 1024;

export function judgeUserMessage(rubric: string, output: string): string {
  return `<rubric>${rubric}</rubric>\n<output>${output}</output>`;
}

/** The judge's request for one output (also what `--dry-run` looks up in the cache). */
export function judgeRequest(rubric: string, output: string, maxTokens?: number): ChatRequest {
  return { system: JUDGE_SYSTEM, messages: [{ role: 'user', content: judgeUserMessage(rubric, output) }], temperature: 0, maxTokens: maxTokens ?? DEFAULT_JUDGE_MAX_TOKENS };
}

/** The rubric text an llm-rubric assertion (its value already templated) sends. */
export function rubricText(value: unknown): string {
  return stringifyValue(value).trim();
}

export interface JudgeVerdict {
  pass?: boolean;
  score?: number;
  reason: string;
}

/** The first JSON object in the judge's reply with a boolean `pass` or a numeric `score`. */
export function parseVerdict(text: string): JudgeVerdict | undefined {
  for (const value of extractJsonValues(text)) {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) continue;
    const v = value as Record<string, unknown>;
    const pass = typeof v.pass === 'boolean' ? v.pass : v.pass === 'true' ? true : v.pass === 'false' ? false : undefined;
    const score = typeof v.score === 'number' ? v.score : typeof v.score === 'string' && v.score.trim() !== '' ? Number(v.score) : undefined;
    const validScore = score !== undefined && Number.isFinite(score) ? score : undefined;
    if (pass === undefined && validScore === undefined) continue;
    return { pass, score: validScore, reason: typeof v.reason === 'string' ? v.reason : '' };
  }
  return undefined;
}

export const llmRubric: AssertionHandler = async ({ value, threshold }, { output, judge, judgeMaxTokens }) => {
  if (!judge) return assertionError('llm-rubric needs a judge model: set `judge:` in the spec');
  const rubric = rubricText(value);
  if (rubric === '') return assertionError('llm-rubric needs a rubric as its value');
  let response;
  try {
    response = await judge.complete(judgeRequest(rubric, output, judgeMaxTokens));
  } catch (error) {
    // A judge that failed after retries is the provider's failure, not the output's: provider_error.
    if (error instanceof ProviderError) return failed('provider_error', `llm-rubric judge call failed: ${error.message}`, { score: 0 });
    if (error instanceof PromptoptError) throw error; // the run is stopping (budget, interrupt, endpoint down)
    return assertionError(`llm-rubric judge call failed: ${errorMessage(error)}`);
  }
  const judgeCostUsd = response.costUsd;
  const verdict = parseVerdict(response.text);
  if (!verdict) {
    return assertionError(`llm-rubric judge reply is not a JSON verdict: ${JSON.stringify(truncate(response.text, 200))}`, { judgeCostUsd });
  }
  const score = verdict.score !== undefined ? clampScore(verdict.score) : verdict.pass ? 1 : 0;
  const pass = verdict.pass !== undefined
    ? verdict.pass && (threshold === undefined || score >= threshold)
    : score >= (threshold ?? 0.5);
  const said = verdict.reason.trim() || 'no reason given';
  const extra = { score, judgeCostUsd, expected: clip(rubric), actual: clip(output) };
  const belowThreshold = verdict.pass && !pass ? `, below threshold ${threshold}` : '';
  if (pass) return passed(`judge: ${said} (score ${score}; rubric ${quote(rubric, 120)})`, extra);
  return failed('rubric_failed', `judge: ${said} (score ${score}${belowThreshold}; rubric ${quote(rubric, 120)}; got ${quote(output, 120)})`, {
    ...extra,
    details: { kind: 'judge', said, score },
  });
};
