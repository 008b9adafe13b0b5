/**
 * Optimizing a chat-format prompt end to end (target via the OpenAI SDK, optimizer via the Anthropic
 * SDK, both scripted on the loopback server, see helpers/optimize-harness.ts): the optimizer is shown
 * the text of the message(s) it may rewrite, never the YAML, with the fixed turns described; what it
 * returns goes back into the conversation's structure. Versions are YAML files holding the whole
 * conversation (comments and the fixed messages as written), their diffs show only the rewritten
 * lines, and promote writes the structure back (to the prompt file, or to the spec's inline list).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import { makeTempDir, parseJsonOut, removeDir, runCli } from './helpers/cli.js';
import { group, optimize, optimizeSpec, readVersions, reply, startWorld, withRules, writeTask, type OptimizeWorld, type OptimizerRequest, type TaskCase } from './helpers/optimize-harness.js';

const CASES: TaskCase[] = [...group('alpha', 'train', 3), ...group('bravo', 'train', 3), ...group('alpha', 'validation', 1), ...group('bravo', 'test', 2)];

const PROMPT_YAML = [
  '# Ticket routing as a conversation (this comment survives optimization)',
  '- role: system',
  '  content: |-',
  '    Route the support ticket to the right team.',
  '    Reply with the team name only.',
  '- role: user',
  '  content: "Example ticket: my invoice is wrong"',
  '- role: assistant',
  '  content: alpha',
  '- role: user',
  "  content: 'Ticket: {{input}}'",
  '',
].join('\n');

let world: OptimizeWorld;
let dir: string;
const seenByOptimizer: OptimizerRequest[] = [];

beforeEach(async () => {
  seenByOptimizer.length = 0;
  world = await startWorld({
    cases: CASES,
    optimizer: (r) => {
      seenByOptimizer.push(r);
      return reply(withRules(r.current ?? '', r.shownLabels), `add rules for ${r.shownLabels.join(', ')}`);
    },
  });
  dir = await makeTempDir('promptopt-opt-chat-');
});
afterEach(async () => {
  await world.close();
  await removeDir(dir);
});

const OPTIMIZER = { max_iterations: 3, candidates: 1, validation_iterations: 0 };

describe('optimize: chat-format prompts keep their structure', () => {
  test('a prompt.yaml conversation: the system message is rewritten, the other turns and the comment are kept; promote writes it back', async () => {
    await writeTask(dir, optimizeSpec(CASES, { optimizer: OPTIMIZER, extra: { prompt: 'file://prompt.yaml' } }));
    const { writeFile } = await import('node:fs/promises');
    await writeFile(join(dir, 'prompt.yaml'), PROMPT_YAML);

    const result = await optimize(world, dir, ['--json']);
    expect(result.code, result.stderr).toBe(0);
    const summary = parseJsonOut(result);

    // The optimizer saw the system message's text, not YAML, and the fixed turns as fixed.
    const first = seenByOptimizer[0]!;
    expect(first.current).toBe('Route the support ticket to the right team.\nReply with the team name only.');
    expect(first.text).toContain('The prompt is sent as the system message.');
    expect(first.text).toContain('2. user: fixed, not editable: "Example ticket: my invoice is wrong"');
    expect(first.text).toContain('4. user: fixed, not editable: "Ticket: {{input}}"');
    expect(first.text).toContain('Template variables the prompt must keep, exactly: (none)');

    // Target requests of the optimized prompt: the same four turns, the system message rewritten.
    const last = JSON.parse(world.targetRequests().at(-1)!.body) as { messages: { role: string; content: string }[] };
    expect(last.messages.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'user']);
    expect(last.messages[0]!.content).toMatch(/Reply with the team name only\.\nRULE:alpha\nRULE:bravo$/);
    expect(last.messages.slice(1, 3)).toEqual([{ role: 'user', content: 'Example ticket: my invoice is wrong' }, { role: 'assistant', content: 'alpha' }]);

    // Versions hold the whole conversation as YAML; the diff shows only the rewritten lines.
    const versions = await readVersions(dir);
    const best = versions.find((v) => v.version === summary.best_version) ?? versions.at(-1)!;
    expect(best.meta.prompt_file).toMatch(/^v\d+\.yaml$/);
    const text = await readFile(join(dir, 'prompt-versions', best.meta.prompt_file), 'utf8');
    expect(text.startsWith('# Ticket routing as a conversation (this comment survives optimization)\n- role: system\n  content: |-\n')).toBe(true);
    expect(text).toContain("- role: user\n  content: 'Ticket: {{input}}'\n");
    expect(parse(text)).toEqual([
      { role: 'system', content: 'Route the support ticket to the right team.\nReply with the team name only.\nRULE:alpha\nRULE:bravo' },
      { role: 'user', content: 'Example ticket: my invoice is wrong' },
      { role: 'assistant', content: 'alpha' },
      { role: 'user', content: 'Ticket: {{input}}' },
    ]);
    const diffs = versions.map((v) => v.diff).filter((d): d is string => d !== undefined).join('\n');
    const changed = diffs.split('\n').filter((l) => /^[+-][^+-]/.test(l));
    expect(changed.length).toBeGreaterThan(0);
    expect(changed.every((l) => /^[+-] {4}/.test(l) || /^[+-] {2}content/.test(l))).toBe(true);

    // promote writes the conversation back into prompt.yaml, as the version has it.
    const promoted = await runCli(['promote', 'task.yaml', `v${best.version}`], { cwd: dir, env: world.env() });
    expect(promoted.code, promoted.stderr).toBe(0);
    expect(await readFile(join(dir, 'prompt.yaml'), 'utf8')).toBe(text);
    const evaluated = await runCli(['eval', 'task.yaml', '--split', 'train', '--json'], { cwd: dir, env: world.env() });
    expect(evaluated.code, evaluated.stderr).toBe(0);
    expect(parseJsonOut(evaluated).score).toBe(1);
  });

  test('an inline conversation with two messages marked optimize: both are rewritten through <message> blocks; promote rewrites the spec list', async () => {
    const messages = [
      { role: 'system', content: 'Route the support ticket.', optimize: true },
      { role: 'user', content: 'Example ticket: my invoice is wrong' },
      { role: 'assistant', content: 'alpha' },
      { role: 'user', content: 'Ticket: {{input}}', optimize: true },
    ];
    world.setOptimizer((r) => {
      seenByOptimizer.push(r);
      const blocks = [...r.current!.matchAll(/<message index="(\d+)" role="(\w+)">\n([\s\S]*?)\n<\/message>/g)];
      expect(blocks.map((b) => [b[1], b[2]])).toEqual([
        ['1', 'system'],
        ['4', 'user'],
      ]);
      const system = withRules(blocks[0]![3]!, r.shownLabels);
      const user = `${blocks[1]![3]!.replace(/\nAnswer with one word\.$/, '')}\nAnswer with one word.`;
      // The first candidate drops {{input}}: it must be rejected before it is evaluated.
      const userOut = r.n === 0 ? 'Answer with one word.' : user;
      return reply(`<message index="1" role="system">\n${system}\n</message>\n\n<message index="4" role="user">\n${userOut}\n</message>`);
    });
    await writeTask(dir, { ...optimizeSpec(CASES, { optimizer: OPTIMIZER }), prompt: messages });

    const result = await optimize(world, dir, ['--json']);
    expect(result.code, result.stderr).toBe(0);
    expect(seenByOptimizer[0]!.text).toContain('You edit 2 messages');
    const report = JSON.parse(await readFile(join(parseJsonOut(result).reports.json), 'utf8')) as Record<string, any>;
    const rejected = (report.trajectory as any[]).flatMap((t) => t.candidates).filter((c: any) => c.status === 'invalid');
    expect(rejected.map((c: any) => c.reason)).toContain('template variables: drops {{input}}');

    const versions = await readVersions(dir);
    const best = versions.at(-1)!;
    expect(best.meta.prompt_file).toMatch(/^v\d+\.yaml$/);
    const text = await readFile(join(dir, 'prompt-versions', best.meta.prompt_file), 'utf8');
    expect(text.endsWith('\n') && !text.endsWith('\n\n'), 'one final newline, no blank line').toBe(true);
    const conversation = parse(text) as { role: string; content: string; optimize?: boolean }[];
    expect(conversation.map((m) => [m.role, m.optimize])).toEqual([
      ['system', true],
      ['user', undefined],
      ['assistant', undefined],
      ['user', true],
    ]);
    expect(conversation[3]!.content).toBe('Ticket: {{input}}\nAnswer with one word.');
    expect(conversation[0]!.content).toContain('RULE:alpha');

    const promoted = await runCli(['promote', 'task.yaml', `v${best.version}`], { cwd: dir, env: world.env() });
    expect(promoted.code, promoted.stderr).toBe(0);
    const spec = parse(await readFile(join(dir, 'task.yaml'), 'utf8')) as { prompt: unknown; name: string };
    expect(spec.prompt).toEqual(conversation);
    expect(spec.name).toBe('ticket-routing');
    const history = await runCli(['history', 'task.yaml', '--json'], { cwd: dir, env: world.env() });
    expect(history.code, history.stderr).toBe(0);
    expect(JSON.stringify(parseJsonOut(history))).toContain(`"current":true`);
  });
});
