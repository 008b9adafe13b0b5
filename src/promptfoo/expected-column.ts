/**
 * A CSV `__expected` cell in promptfoo's syntax -> an assertion: `contains: foo`, `not-icontains: x`,
 * `levenshtein(3): text`, `is-json`, the legacy `fn:`/`eval:`/`javascript:` (javascript), `grade:`
 * (llm-rubric), `python:`; anything else is the expected value itself (`equals`).
 */

/** Every promptfoo assertion type name a cell may start with (mappable or not: mapAssertion decides). */
const PROMPTFOO_TYPES = [
  'answer-relevance', 'assert-set', 'bleu', 'classifier', 'contains', 'contains-all', 'contains-any', 'contains-html',
  'contains-json', 'contains-sql', 'contains-xml', 'context-faithfulness', 'context-recall', 'context-relevance',
  'conversation-relevance', 'cost', 'equals', 'factuality', 'finish-reason', 'g-eval', 'gleu', 'guardrails',
  'icontains', 'icontains-all', 'icontains-any', 'is-html', 'is-json', 'is-refusal', 'is-sql',
  'is-valid-function-call', 'is-valid-openai-function-call', 'is-valid-openai-tools-call', 'is-xml', 'javascript',
  'latency', 'levenshtein', 'llm-rubric', 'max-score', 'meteor', 'model-graded-closedqa', 'model-graded-factuality',
  'moderation', 'perplexity', 'perplexity-score', 'pi', 'python', 'regex', 'rouge-n', 'ruby', 'select-best',
  'similar', 'starts-with', 'webhook', 'word-count',
];

const LEGACY: [prefix: string, type: string][] = [
  ['javascript:', 'javascript'],
  ['fn:', 'javascript'],
  ['eval:', 'javascript'],
  ['grade:', 'llm-rubric'],
  ['llm-rubric:', 'llm-rubric'],
  ['python:', 'python'],
];

const TYPED = new RegExp(`^(not-)?(${PROMPTFOO_TYPES.join('|')})(?:\\((\\d+(?:\\.\\d+)?)\\))?(?::([\\s\\S]*))?$`);

export function assertionFromExpected(cell: string): Record<string, unknown> {
  for (const [prefix, type] of LEGACY) {
    if (cell.startsWith(prefix)) return { type, value: cell.slice(prefix.length).trim() };
  }
  const match = TYPED.exec(cell.trim());
  if (!match) return { type: 'equals', value: cell };
  const [, not, type, threshold, value] = match;
  return {
    type: `${not ?? ''}${type}`,
    ...(value !== undefined && value.trim() !== '' ? { value: value.trim() } : {}),
    ...(threshold !== undefined ? { threshold: Number(threshold) } : {}),
  };
}
