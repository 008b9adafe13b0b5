import { describe, expect, test } from 'vitest';
import { analyzeFailures } from '../../src/feedback/analyze-failures.js';
import { candidateDirections, initialStyles } from '../../src/optimizer/directions.js';
import { emptyMemory, rememberIteration } from '../../src/optimizer/memory.js';
import { buildMetaPrompt, feedbackBudgetChars, OPTIMIZER_MARKER, type MetaPromptRequest, type TaskContext } from '../../src/optimizer/meta-prompt.js';
import { formatConstraints } from '../../src/optimizer/validation-phase.js';
import { ticketRun } from '../feedback/make-case.js';

const TASK: TaskContext = {
  name: 'tickets',
  description: 'Classify support tickets',
  promptRole: 'user',
  variables: ['ticket'],
};
const CURRENT = 'Classify the ticket: {{ticket}}\nReply with one label.';

function memoryWithOneIteration() {
  return rememberIteration(emptyMemory(), {
    iteration: 1,
    phase: 'train',
    candidates: [
      {
        candidate: { id: 'i1c1', prompt: 'p {{ticket}}', hypothesis: 'Name the labels', origin: 'refine', parents: ['start'] },
        status: 'accepted',
        reason: '',
        train: { split: 'train', passed: 6, total: 10, score: 0.6, categories: {}, passedIds: [] },
        fixed: ['a'],
        broken: [],
      },
    ],
    acceptedId: 'i1c1',
    scoreBefore: 0.5,
    scoreAfter: 0.6,
    lateral: false,
    costUsd: 0,
  });
}

function content(request: ReturnType<typeof buildMetaPrompt>): string {
  expect(request.messages).toHaveLength(1);
  expect(request.messages[0]!.role).toBe('user');
  return request.messages[0]!.content;
}

describe('buildMetaPrompt', () => {
  test('the system prompt carries the marker and the reply format', () => {
    const request = buildMetaPrompt(TASK, { kind: 'refine', current: CURRENT, feedback: 'f', memory: emptyMemory(), direction: 'd' }, 12_000, 777);
    expect(request.system!.startsWith(OPTIMIZER_MARKER)).toBe(true);
    expect(request.system).toContain('<hypothesis>');
    expect(request.system).toContain('<prompt>');
    expect(request.maxTokens).toBe(777);
  });

  test('refine: task, current prompt, memory, constraints, direction, feedback, in that order', () => {
    // A constraint's input is its shown variables (formatVars); older checkpoints hold plain text.
    expect(formatConstraints([{ caseId: 'old', input: 'ticket: text', expected: 'a', actual: 'b' }])).toContain('  input: input="ticket: text"');
    const constraints = formatConstraints([{ caseId: 't7', input: 'ticket="my card was charged twice"', expected: 'billing', actual: 'refund' }])!;
    const request = buildMetaPrompt(
      TASK,
      { kind: 'refine', current: CURRENT, feedback: 'Training results: 6/10 passed', memory: memoryWithOneIteration(), direction: 'Be brief.', constraints },
      12_000,
      1000,
    );
    const text = content(request);
    const order = [
      '# Task\ntickets: Classify support tickets',
      'Template variables the prompt must keep, exactly: {{ticket}}',
      `# Current prompt\n<current_prompt>\n${CURRENT}\n</current_prompt>`,
      '# Optimization memory\nAccumulated lessons:\n• ✓ Name the labels → train 50%→60%',
      'Iteration 1 (train): ✓ ACCEPTED',
      '# Training constraints to preserve\nSITUATION:',
      '- case t7\n  input: ticket="my card was charged twice"\n  expected: "billing"\n  the broken candidate answered: "refund"',
      '# Your direction for this candidate\nBe brief.',
      '# Evaluation feedback\nTraining results: 6/10 passed',
    ];
    let at = -1;
    for (const part of order) {
      const next = text.indexOf(part);
      expect(next, `missing or out of order: ${part}`).toBeGreaterThan(at);
      at = next;
    }
  });

  test('no constraints section without constraints', () => {
    const text = content(buildMetaPrompt(TASK, { kind: 'refine', current: CURRENT, feedback: 'f', memory: emptyMemory(), direction: 'd' }, 12_000, 1000));
    expect(text).not.toContain('# Training constraints to preserve');
    expect(text).toContain('# Optimization memory\nNo earlier iterations yet.');
  });

  test('crossover: both parents, tagged', () => {
    const request: MetaPromptRequest = {
      kind: 'crossover',
      parentA: 'Parent A text {{ticket}}',
      scoreA: 'train 70.0%',
      parentB: 'Parent B text {{ticket}}',
      scoreB: 'train 60.0%',
      feedback: 'fb',
      direction: 'Combine.',
    };
    const text = content(buildMetaPrompt(TASK, request, 12_000, 1000));
    expect(text).toContain('# Parent A (train 70.0%)\n<parent_a>\nParent A text {{ticket}}\n</parent_a>');
    expect(text).toContain('# Parent B (train 60.0%)\n<parent_b>\nParent B text {{ticket}}\n</parent_b>');
    expect(text).not.toContain('<current_prompt>');
  });

  test('initial and mutation requests', () => {
    const initial = content(buildMetaPrompt(TASK, { kind: 'initial', start: CURRENT, feedback: 'fb', direction: 'Structured.' }, 12_000, 1000));
    expect(initial).toContain(`# Starting prompt\n<current_prompt>\n${CURRENT}\n</current_prompt>`);
    expect(initial).not.toContain('# Optimization memory');
    const mutation = content(
      buildMetaPrompt(TASK, { kind: 'mutation', parent: CURRENT, parentScore: 'train 50.0%', feedback: 'fb', memory: memoryWithOneIteration(), direction: 'Mutate.' }, 12_000, 1000),
    );
    expect(mutation).toContain(`# Parent prompt (train 50.0%)\n<current_prompt>\n${CURRENT}\n</current_prompt>`);
    expect(mutation).toContain('# Optimization memory\nAccumulated lessons:');
  });

  test('a system-role prompt says so and shows the fixed user message', () => {
    const text = content(
      buildMetaPrompt({ ...TASK, promptRole: 'system', user: 'Ticket: {{ticket}}' }, { kind: 'initial', start: CURRENT, feedback: 'f', direction: 'd' }, 12_000, 1000),
    );
    expect(text).toContain('The prompt is sent as the system message. The user message is fixed (not editable): "Ticket: {{ticket}}"');
  });

  test('stays within the token budget: long feedback is trimmed at a line, everything else kept', () => {
    const budgetTokens = 2000;
    const feedback = Array.from({ length: 2000 }, (_, i) => `- case c${i} failed with a fairly long explanation line`).join('\n');
    const request = buildMetaPrompt(TASK, { kind: 'refine', current: CURRENT, feedback, memory: memoryWithOneIteration(), direction: 'Be brief.' }, budgetTokens, 1000);
    const text = content(request);
    expect(request.system!.length + text.length).toBeLessThanOrEqual(budgetTokens * 4);
    expect(text).toContain('(feedback trimmed to fit the meta-prompt budget)');
    expect(text).toContain(`<current_prompt>\n${CURRENT}\n</current_prompt>`);
    expect(text).toContain('# Optimization memory\nAccumulated lessons:');
    expect(text).toContain('# Your direction for this candidate\nBe brief.');
    expect(text).toContain('- case c0 failed');
    expect(text).not.toContain('- case c1999 failed');
    // Cut at a line boundary: no half line before the note.
    expect(text).toMatch(/explanation line\n\(feedback trimmed/);
  });

  test('feedbackBudgetChars leaves room for the prompt (three times: current, parents) and the rest', () => {
    expect(feedbackBudgetChars(12_000, 1000)).toBeLessThan(12_000 * 4 - 3000);
    expect(feedbackBudgetChars(12_000, 2000)).toBe(feedbackBudgetChars(12_000, 1000) - 3000);
    expect(feedbackBudgetChars(100, 100_000)).toBe(1000); // never below a floor
  });
});

describe('candidate directions', () => {
  const analysis = analyzeFailures(ticketRun());

  test('each candidate of an iteration gets a different direction', () => {
    for (const count of [1, 2, 3, 5, 8]) {
      for (const iteration of [1, 2, 3, 7]) {
        const directions = candidateDirections(analysis, count, iteration, { descriptive: false });
        expect(directions).toHaveLength(count);
        expect(new Set(directions).size, `count ${count}, iteration ${iteration}`).toBe(count);
      }
    }
  });

  test('the style directions change from one iteration to the next', () => {
    const styleOf = (iteration: number) => candidateDirections(analysis, 3, iteration, { descriptive: false })[2];
    expect(new Set([1, 2, 3, 4, 5, 6].map(styleOf)).size).toBe(6);
    expect(styleOf(7)).toBe(styleOf(1));
  });

  test('the first ones attack the largest failure groups, with the data\'s suggested fix', () => {
    const [first, second] = candidateDirections(analysis, 3, 1, { descriptive: false });
    expect(first).toMatch(/^Attack the failures of check equals first \(4 cases, (wrong_answer|format_violation)\)\. Suggested fix from the data: /);
    expect(second).toMatch(/^Attack the failures of check equals first \(4 cases, (wrong_answer|format_violation)\)/);
    expect(first).not.toBe(second);
  });

  test('descriptive directions name only checks, categories and counts', () => {
    const directions = candidateDirections(analysis, 3, 1, { descriptive: true });
    expect(directions[0]).toMatch(/^Attack the failures of check equals first \(\d+ cases?, \w+\)\.$/);
    for (const d of directions) {
      expect(d).not.toContain('Suggested fix');
      expect(d).not.toMatch(/refund_request|billing_issue|The answer is/);
    }
  });

  test('no failures: only rewriting styles, still distinct', () => {
    const clean = analyzeFailures([]);
    const directions = candidateDirections(clean, 4, 2, { descriptive: false });
    expect(new Set(directions).size).toBe(4);
    expect(directions.every((d) => !d.startsWith('Attack'))).toBe(true);
  });

  test('initial styles are distinct up to their number', () => {
    expect(new Set(initialStyles(5)).size).toBe(5);
    expect(initialStyles(7)).toHaveLength(7);
  });
});

describe('buildMetaPrompt: chat prompts', () => {
  const BASE = '- role: system\n  content: Route tickets.\n- role: user\n  content: "Example: refund"\n- role: assistant\n  content: billing\n- role: user\n  content: "Ticket: {{ticket}}"\n';
  const CHAT: TaskContext = {
    ...TASK,
    variables: [],
    layout: { form: { kind: 'chat', syntax: 'yaml' }, engine: 'simple', base: BASE },
  };

  test('the editable message is shown as text (never YAML), the fixed turns as fixed', () => {
    const text = content(buildMetaPrompt(CHAT, { kind: 'refine', current: BASE, feedback: 'f', memory: emptyMemory(), direction: 'd' }, 12_000, 100));
    expect(text).toContain('<current_prompt>\nRoute tickets.\n</current_prompt>');
    expect(text).not.toContain('role: system');
    expect(text).toContain('The prompt is sent as the system message.');
    expect(text).toContain('2. user: fixed, not editable: "Example: refund"');
    expect(text).toContain('4. user: fixed, not editable: "Ticket: {{ticket}}"');
  });

  test('several editable messages are shown as <message> blocks, with the instruction to return them all; both parents of a crossover too', () => {
    const two = BASE.replace('content: Route tickets.', 'content: Route tickets.\n  optimize: true').replace('content: "Ticket: {{ticket}}"', 'content: "Ticket: {{ticket}}"\n  optimize: true');
    const task = { ...CHAT, layout: { ...CHAT.layout!, base: two } };
    const text = content(buildMetaPrompt(task, { kind: 'crossover', parentA: two, scoreA: '50%', parentB: two, scoreB: '40%', feedback: 'f', direction: 'd' }, 12_000, 100));
    expect(text).toContain('<parent_a>\n<message index="1" role="system">\nRoute tickets.\n</message>\n\n<message index="4" role="user">\nTicket: {{ticket}}\n</message>\n</parent_a>');
    expect(text).toContain('<parent_b>\n<message index="1" role="system">');
    expect(text).toContain('You edit 2 messages');
    expect(text).not.toContain('The prompt is sent as the system message.');
  });
});
