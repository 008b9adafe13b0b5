import type { FailureCategory } from '../../src/assertions/types.js';
import type { CaseFailure, CaseResult } from '../../src/runner/types.js';

export interface CaseSpec {
  id: string;
  vars?: Record<string, unknown>;
  expected?: unknown;
  output: string;
  /** Omit for a passing case; one or more categories for a failing one. */
  fail?: FailureCategory | FailureCategory[];
  reason?: string;
  providerError?: { code: string; message: string };
  /** Override the failures entirely. */
  failures?: CaseFailure[];
}

/** The assertion type a failure of each category comes from in these fixtures. */
const TYPE_OF: Record<FailureCategory, string> = {
  format_violation: 'equals',
  wrong_answer: 'equals',
  missing_content: 'contains',
  forbidden_content: 'not-contains',
  invalid_json: 'json-schema',
  schema_violation: 'json-schema',
  too_different: 'levenshtein',
  rubric_failed: 'llm-rubric',
  cost_exceeded: 'cost',
  latency_exceeded: 'latency',
  assertion_error: 'javascript',
  provider_error: 'equals',
};

/** A CaseResult with one sample, as the runner would produce it. */
export function makeCase(spec: CaseSpec): CaseResult {
  const categories = spec.fail === undefined ? [] : Array.isArray(spec.fail) ? spec.fail : [spec.fail];
  const pass = categories.length === 0 && spec.providerError === undefined && spec.failures === undefined;
  const expected = typeof spec.expected === 'string' ? spec.expected : undefined;
  const failures: CaseFailure[] =
    spec.failures ??
    categories.map((category) => ({
      type: TYPE_OF[category],
      category,
      reason: spec.reason ?? `${category}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(spec.output)}`,
      ...(expected !== undefined ? { expected } : {}),
      actual: spec.output,
    }));
  return {
    caseId: spec.id,
    split: 'train',
    vars: spec.vars ?? { text: `input for ${spec.id}` },
    ...(spec.expected !== undefined ? { expected: spec.expected } : {}),
    output: spec.output,
    pass,
    passRate: pass ? 1 : 0,
    score: pass ? 1 : 0,
    samples: [
      {
        index: 0,
        output: spec.output,
        pass,
        score: pass ? 1 : 0,
        assertions: [],
        inputTokens: 10,
        outputTokens: 5,
        costUsd: 0,
        latencyMs: 1,
        cacheHit: false,
        ...(spec.providerError ? { providerError: spec.providerError } : {}),
      },
    ],
    failures: pass ? [] : failures,
    inputTokens: 10,
    outputTokens: 5,
    costUsd: 0,
    latencyMs: 1,
    cacheHit: false,
    ...(spec.providerError ? { providerError: spec.providerError } : {}),
  };
}

const TICKETS: Record<string, string[]> = {
  refund_request: [
    'I want my money back for the broken blender I received last week',
    'Please return the payment for the order that never arrived here',
    'The jacket did not fit so I would like a full reimbursement now',
    'Requesting reimbursement because the headphones stopped working',
  ],
  billing_issue: [
    'My card was charged twice for the same monthly subscription fee',
    'The invoice shows a tax amount that looks wrong to me somehow',
    'Why did the price of my plan go up without any notice at all',
  ],
  complaint: [
    'Your support agent was rude and hung up on me during the call',
    'Delivery took three weeks and nobody answered my many emails',
  ],
};

/**
 * A small ticket-classification run: 3 refund_request cases answered billing_issue (wrong_answer),
 * format violations "The answer is: X." and passing cases.
 */
export function ticketRun(): CaseResult[] {
  const [r0, r1, r2, r3] = TICKETS.refund_request!;
  const [b0, b1, b2] = TICKETS.billing_issue!;
  const [c0, c1] = TICKETS.complaint!;
  return [
    makeCase({ id: 'w1', vars: { ticket: r0 }, expected: 'refund_request', output: 'billing_issue', fail: 'wrong_answer' }),
    makeCase({ id: 'w2', vars: { ticket: r1 }, expected: 'refund_request', output: 'billing_issue', fail: 'wrong_answer' }),
    makeCase({ id: 'w3', vars: { ticket: r2 }, expected: 'refund_request', output: 'Billing_Issue', fail: 'wrong_answer' }),
    makeCase({ id: 'w4', vars: { ticket: c0 }, expected: 'complaint', output: 'billing_issue', fail: 'wrong_answer' }),
    makeCase({ id: 'f1', vars: { ticket: b0 }, expected: 'billing_issue', output: 'The answer is: Billing_issue.', fail: 'format_violation' }),
    makeCase({ id: 'f2', vars: { ticket: b1 }, expected: 'billing_issue', output: 'The answer is: billing_issue.', fail: 'format_violation' }),
    makeCase({ id: 'f3', vars: { ticket: r3 }, expected: 'refund_request', output: 'The answer is: refund_request.', fail: 'format_violation' }),
    makeCase({ id: 'f4', vars: { ticket: c1 }, expected: 'complaint', output: 'The answer is: complaint.', fail: 'format_violation' }),
    makeCase({ id: 'p1', vars: { ticket: b2 }, expected: 'billing_issue', output: 'billing_issue' }),
    makeCase({ id: 'p2', vars: { ticket: 'Thanks, the refund arrived today' }, expected: 'complaint', output: 'complaint' }),
    makeCase({
      id: 'e1',
      vars: { ticket: 'Model call failed for this ticket text' },
      expected: 'complaint',
      output: '',
      providerError: { code: 'rate_limited', message: 'too many requests' },
    }),
  ];
}
