/**
 * The optimizer requests of the published strategies (pareto's reflect and merge, opro's scored
 * history), as laid out for the model, and as the simulator reads them back with its one parser.
 */
import { describe, expect, test } from 'vitest';
import { buildMetaPrompt, type TaskContext } from '../../src/optimizer/meta-prompt.js';
import { parseOptimizerRequest } from '../../src/sim/optimizer/parse-request.js';
import { simOptimize } from '../../src/sim/optimizer/index.js';
import { parseCandidate } from '../../src/optimizer/parse-candidate.js';

const TASK: TaskContext = { name: 'tickets', description: 'Route tickets', promptRole: 'user', variables: ['ticket'] };
const text = (request: ReturnType<typeof buildMetaPrompt>) => request.messages.map((m) => m.content).join('\n');

const FAILING = [
  'Minibatch results (the parent on 3 training cases): 1/3 passed (33.3%).',
  'Failing cases (2 of 2 shown):',
  '- case tr-2 [wrong_answer]',
  '  input: ticket="I was charged twice this month"',
  '  expected: "billing"',
  '  actual: "other"',
].join('\n');
const PASSING = ['These cases pass now: the new prompt must keep them passing.', '- case tr-1', '  input: ticket="cannot log in"', '  expected: "access"', '  now answered: "access"'].join('\n');

describe('strategy requests', () => {
  test('reflect: the parent, the minibatch feedback, the cases to keep; the simulator reads it as a reflection on the parent', () => {
    const request = buildMetaPrompt(
      TASK,
      { kind: 'reflect', parent: 'Route: {{ticket}}', parentScore: 'train 40.0%, best on 2 of 5 training cases', minibatch: 3, feedback: FAILING, constraints: PASSING, direction: 'Reflection: go.' },
      12_000,
      1000,
    );
    const body = text(request);
    expect(body).toContain('# Parent prompt (train 40.0%, best on 2 of 5 training cases)\n<current_prompt>\nRoute: {{ticket}}\n</current_prompt>');
    expect(body.indexOf('# Evaluation feedback on a minibatch of 3 training cases')).toBeLessThan(body.indexOf('# Training constraints to preserve'));
    expect(request.temperature).toBeUndefined();
    const parsed = parseOptimizerRequest(request)!;
    expect(parsed).toMatchObject({ kind: 'reflect', current: 'Route: {{ticket}}', direction: 'Reflection: go.', variables: ['ticket'] });
    expect(parsed.feedback).toContain('- case tr-2');
    expect(parsed.constraints).toContain('- case tr-1');
    const reply = parseCandidate(simOptimize(request))!;
    expect(reply.prompt).toContain('{{ticket}}');
    expect(reply.prompt).not.toBe('Route: {{ticket}}');
  });

  test('merge: both parents tagged; the simulator merges them like a crossover', () => {
    const request = buildMetaPrompt(
      TASK,
      {
        kind: 'merge',
        parentA: 'Route: {{ticket}}\nRules:\n"charged" -> billing',
        scoreA: 'train 40.0%',
        parentB: 'Route: {{ticket}}\nRules:\n"log in" -> access',
        scoreB: 'train 20.0%',
        minibatch: 2,
        feedback: FAILING,
        direction: 'Merge: go.',
      },
      12_000,
      1000,
    );
    const parsed = parseOptimizerRequest(request)!;
    expect(parsed.kind).toBe('merge');
    expect(parsed.other).toContain('"log in" -> access');
    expect(simOptimize(request)).toMatch(/merged 1 rule and list line of parent B into parent A/i);
  });

  test('opro: earlier prompts in ascending order of score with their scores, then exemplars; sampled at a temperature', () => {
    const history = [
      { prompt: 'Worst: {{ticket}}', score: 0.125 },
      { prompt: 'Middle: {{ticket}}', score: 0.5 },
      { prompt: 'Best: {{ticket}}', score: 0.875 },
    ];
    const exemplars = ['- case tr-7\n  input: ticket="refund please"\n  expected: "billing"'];
    const request = buildMetaPrompt(TASK, { kind: 'opro', history, exemplars, temperature: 1 }, 12_000, 1000);
    expect(request.temperature).toBe(1);
    const body = text(request);
    const listed = [...body.matchAll(/<scored_prompt>\n([\s\S]*?)\n<\/scored_prompt>\nscore: ([\d.]+)%/g)].map((m) => [m[1], Number(m[2])]);
    expect(listed).toEqual([
      ['Worst: {{ticket}}', 12.5],
      ['Middle: {{ticket}}', 50],
      ['Best: {{ticket}}', 87.5],
    ]);
    expect(body.indexOf('# Earlier prompts and their scores')).toBeLessThan(body.indexOf('# Training exemplars'));
    expect(body).toContain(exemplars[0]);
    const parsed = parseOptimizerRequest(request)!;
    expect(parsed).toMatchObject({ kind: 'opro', current: 'Best: {{ticket}}' });
    expect(parsed.feedback).toContain('- case tr-7');
  });

  test('opro within a small budget: the lowest-scored prompts give way first, the best stays', () => {
    const history = Array.from({ length: 20 }, (_, i) => ({ prompt: `Prompt ${i} ${'x'.repeat(900)} {{ticket}}`, score: i / 20 }));
    const request = buildMetaPrompt(TASK, { kind: 'opro', history, exemplars: [], temperature: 1 }, 3000, 1000);
    const body = text(request);
    const shown = [...body.matchAll(/<scored_prompt>\nPrompt (\d+) /g)].map((m) => Number(m[1]));
    expect(shown.length).toBeGreaterThan(0);
    expect(shown.length).toBeLessThan(20);
    expect(shown.at(-1)).toBe(19);
    expect(shown).toEqual([...shown].sort((a, b) => a - b));
    expect(shown[0]).toBe(20 - shown.length); // the lowest went first
    expect(body.length).toBeLessThanOrEqual(3000 * 4);
    expect(body).toContain('(Failure details withheld: --no-feedback.)'); // no exemplars given
  });
});
