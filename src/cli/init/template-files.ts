/**
 * The files `promptopt init` writes: a small support-ticket classification task (invented cases,
 * no third-party data) that runs offline on the simulator as written.
 */
/**
 * Ten tickets per label, written the way real tickets of each kind read: the same words recur
 * (billing mentions charges, invoices and bills; refunds money back; technical problems errors and
 * crashes; account access logins and passwords), so what the optimizer learns from the train cases
 * can carry over to the held-out ones, as it must on real data.
 */
const TICKETS: [string, string][] = [
  ['I was charged twice for my subscription this month', 'billing_issue'],
  ['Why is there an extra fee on my invoice?', 'billing_issue'],
  ['My invoice shows the wrong amount', 'billing_issue'],
  ['I was billed for a plan I never ordered', 'billing_issue'],
  ['The card payment was charged in the wrong currency', 'billing_issue'],
  ['There is a charge on my card I do not recognise', 'billing_issue'],
  ['My latest invoice lists a fee nobody told me about', 'billing_issue'],
  ['Can you explain the charge from last week?', 'billing_issue'],
  ['I was billed again after I cancelled', 'billing_issue'],
  ['The invoice total is higher than my plan price', 'billing_issue'],
  ['I want my money back for the annual plan', 'refund_request'],
  ['Please refund the order I returned', 'refund_request'],
  ['How do I get a refund for a broken item?', 'refund_request'],
  ['I would like a refund, the product never arrived', 'refund_request'],
  ['Can I return this and get my money back?', 'refund_request'],
  ['Refund me for the duplicate purchase please', 'refund_request'],
  ['I returned the headphones, when will the refund come?', 'refund_request'],
  ['I want a refund for the unused months', 'refund_request'],
  ['The item arrived damaged and I want my money back', 'refund_request'],
  ['Please process a refund for my cancelled booking', 'refund_request'],
  ['The app crashes when I open settings', 'technical_problem'],
  ['Export to PDF gives an error message', 'technical_problem'],
  ['The page keeps loading forever', 'technical_problem'],
  ['Sync stopped working after the update', 'technical_problem'],
  ['I get error 500 when I upload a file', 'technical_problem'],
  ['The app crashes every time I tap export', 'technical_problem'],
  ['Notifications stopped working on my phone', 'technical_problem'],
  ['Uploading a photo shows an error', 'technical_problem'],
  ['The app crashes on startup since the update', 'technical_problem'],
  ['Search stopped working and shows an error page', 'technical_problem'],
  ['I cannot log in to my account', 'account_access'],
  ['The password reset email never arrives', 'account_access'],
  ['My account is locked after too many attempts', 'account_access'],
  ['How do I change the email I sign in with?', 'account_access'],
  ['Two-factor code is not accepted when I log in', 'account_access'],
  ['I forgot my password and cannot sign in', 'account_access'],
  ['My account says my login is invalid', 'account_access'],
  ['I am locked out of my account', 'account_access'],
  ['The new password I set is rejected at login', 'account_access'],
  ['I cannot log in since I changed my password', 'account_access'],
];

/** Ten tickets per label: five for train, two for validation, three held out for test. */
const SPLIT_BY_POSITION = ['train', 'train', 'train', 'train', 'train', 'validation', 'validation', 'test', 'test', 'test'] as const;

export function casesJsonl(): string {
  const rows = TICKETS.map(([input, expected], i) => JSON.stringify({ input, expected, split: SPLIT_BY_POSITION[i % 10] }));
  return `${rows.join('\n')}\n`;
}

export const PROMPT_MD = `Read the customer message and say what it is about.

Message: {{input}}
`;

const TASK_YAML_BODY = `# The cases are invented examples: replace them with your own, and the simulator with a real model.
name: ticket-triage
description: Classify a customer support message as billing_issue, refund_request, technical_problem or account_access.

# The prompt to optimize: a template with {{variables}} filled from each case.
prompt: file://prompt.md

# The built-in offline simulator: no API key needed. Switch to a real model with, for example:
#   target: { provider: openai, model: gpt-4o-mini }        (needs OPENAI_API_KEY)
#   target: { provider: anthropic, model: claude-haiku-4-5 } (needs ANTHROPIC_API_KEY)
target:
  provider: sim
  model: sim-classifier
optimizer:
  provider: sim
  model: sim-optimizer
  max_iterations: 6
  candidates: 3

cases: cases.jsonl

defaults:
  assert:
    - type: equals
      value: "{{expected}}"
    - type: javascript
      value: file://check-label.js:isKnownLabel

# Each case in cases.jsonl names its split; cases without one are placed with these ratios,
# stratified by label, and recorded in cases.jsonl.splits.json (adding a case never moves another).
splits: { train: 0.5, validation: 0.25, test: 0.25, seed: 1 }
threshold: 0.8
`;

/** The spec, with the commands to run in its folder (as the promptopt that wrote it was started). */
export function taskYaml(commands: { eval: string; optimize: string }): string {
  const width = Math.max(commands.eval.length, commands.optimize.length) + 3;
  return `# A promptopt task (made by \`promptopt init\`). Every key is described in the promptopt README, "The task spec".
# In this folder:
#   ${commands.eval.padEnd(width)}# score the prompt (offline simulator)
#   ${commands.optimize.padEnd(width)}# improve it; versions land in prompt-versions/
${TASK_YAML_BODY}`;
}

export const CHECK_LABEL_JS = `// A custom assertion: promptopt calls it with the model output and the case.
// Return a boolean, a score from 0 to 1, or { pass, score, reason }.
const LABELS = ['billing_issue', 'refund_request', 'technical_problem', 'account_access'];

export function isKnownLabel(output, context) {
  const answer = output.trim();
  if (LABELS.includes(answer)) return { pass: true, score: 1, reason: 'a known label' };
  return { pass: false, score: 0, reason: \`"\${answer.slice(0, 60)}" is not one of \${LABELS.join(', ')}\` };
}
`;
