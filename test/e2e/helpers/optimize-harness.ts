/**
 * A deterministic world for end-to-end optimize runs against the fake LLM server, with the real SDKs
 * on both sides: the TARGET is reached as `openai-compatible` (OPENAI_BASE_URL), the OPTIMIZER as
 * `anthropic` (ANTHROPIC_BASE_URL); one server plays both roles. Optimizer requests are the ones
 * whose system prompt carries `[promptopt:optimizer]`; everything else is the target.
 *
 * The task: tickets routed to a team. Each case belongs to a group (its expected label). The target
 * answers a case right iff the prompt has a `RULE:<label>` line for the case's group; otherwise it
 * answers `undecided-<hash of the case id>` (an output unique to the case). The default optimizer reads the
 * failing cases shown in the feedback (`expected: "<label>"`) and adds a rule for each: it only fixes
 * what it is shown.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import type { FakeLlmServer, FakeReply, FakeRequest } from '../../support/fake-llm-server.js';
import { startFakeLlmServer } from '../../support/fake-llm-server.js';
import { assertBuilt, CLI_BIN, cleanEnv, runCli, writeSpec, type CliResult } from './cli.js';

export const OPTIMIZER_MARKER = '[promptopt:optimizer]';
export const JUDGE_MARKER = '[promptopt:judge]';
export const OPENAI_KEY = 'sk-test-SECRET-openai-0123456789abcdef';
export const ANTHROPIC_KEY = 'sk-ant-' + 'test-SECRET-123456789abcdef';
export const START_PROMPT = 'Route the support ticket to the right team. Reply with the team name only.\n\nTicket: {{input}}';

export type Split = 'train' | 'validation' | 'test';

export interface TaskCase {
  id: string;
  input: string;
  expected: string;
  split: Split;
}

/** `n` cases of `label` in `split`; ids like `tr-alpha-01` (fixed width, never a prefix of another). */
export function group(label: string, split: Split, n: number): TaskCase[] {
  const prefix = split === 'train' ? 'tr' : split === 'validation' ? 'va' : 'te';
  return Array.from({ length: n }, (_, i) => {
    const id = `${prefix}-${label}-${String(i + 1).padStart(2, '0')}`;
    return { id, input: `ticket ${id.toUpperCase()} about the ${WORDS[(i + label.length) % WORDS.length]} problem`, expected: label, split };
  });
}
const WORDS = ['printer', 'invoice', 'password', 'shipping', 'refund', 'login', 'upgrade', 'warranty'];

// ---------------------------------------------------------------------------------------------
// Target

export type TargetRule = (prompt: string, testCase: TaskCase) => string;

/** Right iff the prompt has `RULE:<label>` on a line of its own; else an answer unique to the case. */
export const ruleTarget: TargetRule = (prompt, testCase) => (hasRule(prompt, testCase.expected) ? testCase.expected : wrongAnswer(testCase));

/** What the target answers when it has no rule: `undecided-<hash of the case id>` (never a label). */
export function wrongAnswer(testCase: TaskCase): string {
  return `undecided-${createHash('sha256').update(testCase.id).digest('hex').slice(0, 10)}`;
}

export function hasRule(prompt: string, label: string): boolean {
  return prompt.split('\n').some((line) => line.trim() === `RULE:${label}`);
}

/** The prompt text of a target request (system + messages, with the case input removed). */
function targetPrompt(request: FakeRequest, testCase: TaskCase): string {
  return [request.system ?? '', ...request.messages.map((m) => m.content)].join('\n').split(testCase.input).join('');
}

// ---------------------------------------------------------------------------------------------
// Optimizer

export interface OptimizerRequest {
  /** 0-based index among optimizer requests seen. */
  n: number;
  /** The meta-prompt (user message). */
  text: string;
  /** The prompt inside `<current_prompt>` (or `<parent_a>`; an opro request: the last, best-scored `<scored_prompt>`), if any. */
  current?: string;
  /** Labels of failing cases shown (`expected: "x"`). */
  shownLabels: string[];
  /** True for a validation-phase request. */
  validation: boolean;
  request: FakeRequest;
}

export type OptimizerScript = (request: OptimizerRequest) => string | Promise<string>;

export function reply(prompt: string, hypothesis = 'scripted change'): string {
  return `<hypothesis>${hypothesis}</hypothesis>\n<prompt>\n${prompt}\n</prompt>`;
}

/** The current prompt with a `RULE:` line for each label (kept in a stable order, no duplicates). */
export function withRules(prompt: string, labels: string[]): string {
  const lines = prompt.split('\n');
  const present = new Set(lines.filter((l) => l.startsWith('RULE:')).map((l) => l.slice(5).trim()));
  const add = [...new Set(labels)].filter((l) => !present.has(l)).sort();
  if (add.length === 0) return prompt;
  const at = lines.findIndex((l) => l.startsWith('Ticket:'));
  const insert = add.map((l) => `RULE:${l}`);
  if (at < 0) return [...lines, ...insert].join('\n');
  return [...lines.slice(0, at), ...insert, ...lines.slice(at)].join('\n');
}

/** The current prompt without the `RULE:` line of `label`. */
export function withoutRule(prompt: string, label: string): string {
  return prompt
    .split('\n')
    .filter((l) => l.trim() !== `RULE:${label}`)
    .join('\n');
}

/** The candidate's direction line (differs per candidate of one iteration). */
export function directionOf(text: string): string {
  return /# Your direction for this (?:candidate|mutation|crossover|reflection|merge)\n([^\n]*)/.exec(text)?.[1] ?? '';
}

/** Adds a rule for the first failing label it is shown (alphabetically); one fix per iteration. */
export const fixOneShown: OptimizerScript = (r) => {
  const current = r.current ?? START_PROMPT;
  const [label] = [...r.shownLabels].sort();
  return reply(label ? withRules(current, [label]) : current, label ? `add a rule for ${label}` : 'no failures shown; keep the prompt');
};

/**
 * fixShown, plus a `Variant:` line naming the candidate's direction, so the candidates of one
 * iteration are distinct prompts with the same score.
 */
export const fixShownVariant: OptimizerScript = (r) => {
  const base = (r.current ?? START_PROMPT)
    .split('\n')
    .filter((l) => !l.startsWith('Variant:'))
    .join('\n');
  const variant = `Variant: ${createHash('sha256').update(directionOf(r.text)).digest('hex').slice(0, 8)}`;
  return reply(`${variant}\n${withRules(base, r.shownLabels)}`, `add rules for ${r.shownLabels.join(', ') || 'nothing'}`);
};

/** fixOneShown with fixShownVariant's `Variant:` line: slow progress, distinct candidates. */
export const fixOneShownVariant: OptimizerScript = (r) => {
  const [label] = [...r.shownLabels].sort();
  return fixShownVariant({ ...r, shownLabels: label ? [label] : [] });
};

/** Adds a rule for every failing label it is shown; nothing else. */
export const fixShown: OptimizerScript = (r) => {
  const current = r.current ?? START_PROMPT;
  const labels = r.shownLabels;
  return reply(withRules(current, labels), labels.length ? `add rules for ${labels.join(', ')}` : 'no failures shown; rephrase');
};

export function parseOptimizerRequest(request: FakeRequest, n: number): OptimizerRequest {
  const text = request.messages.map((m) => m.content).join('\n');
  const current =
    /<current_prompt>\n([\s\S]*?)\n<\/current_prompt>/.exec(text)?.[1] ??
    /<parent_a>\n([\s\S]*?)\n<\/parent_a>/.exec(text)?.[1] ??
    [...text.matchAll(/<scored_prompt>\n([\s\S]*?)\n<\/scored_prompt>/g)].at(-1)?.[1];
  const shownLabels = [...new Set([...text.matchAll(/^\s*expected: "([^"]+)"/gm)].map((m) => m[1]!))];
  const validation = /Every training case that passes now must keep passing/.test(text);
  return { n, text, current, shownLabels, validation, request };
}

// ---------------------------------------------------------------------------------------------
// The server

/** What a judge request asks: the rubric and the output it grades. */
export interface JudgeRequest {
  rubric: string;
  output: string;
}

export type JudgeScript = (request: JudgeRequest) => string;

/** Passes an output that is a team name (no `undecided-` answer), with a one-line reason. */
export const judgeAnswered: JudgeScript = ({ output }) =>
  JSON.stringify({ pass: !output.startsWith('undecided-'), score: output.startsWith('undecided-') ? 0 : 1, reason: 'graded by the scripted judge' });

export interface SeenRequest {
  role: 'optimizer' | 'target' | 'judge';
  /** The raw JSON body the SDK sent. */
  body: string;
  /** Meta-prompt text (optimizer) or full text (target). */
  text: string;
  caseId?: string;
  /** Target: the prompt (the request text without the case input). */
  prompt?: string;
  /** The target's answer / the optimizer's reply. */
  output: string;
  start: number;
  end: number;
}

/** What a hold hook sees: a request that arrived and is about to be answered. */
export interface Arrival {
  role: 'optimizer' | 'target' | 'judge';
  text: string;
  caseId?: string;
  /** The prompt of a target request (the case input removed). */
  prompt?: string;
}

export interface OptimizeWorld {
  server: FakeLlmServer;
  /** Requests answered (recorded when the answer is ready), in that order. */
  seen: SeenRequest[];
  /** Requests that reached `respond`, in order of arrival (before any hold). */
  arrived: Arrival[];
  /** Delay the answer to chosen requests: return a promise to wait on. */
  setHold(hold: ((arrival: Arrival) => Promise<void> | undefined) | undefined): void;
  optimizerRequests(): SeenRequest[];
  targetRequests(): SeenRequest[];
  /** Replace the optimizer script / the target rule. */
  setOptimizer(script: OptimizerScript): void;
  setTarget(rule: TargetRule): void;
  env(): Record<string, string>;
  close(): Promise<void>;
}

export async function startWorld(options: {
  cases: TaskCase[];
  optimizer?: OptimizerScript;
  target?: TargetRule;
  latencyMs?: number;
  /** Keys the server accepts (default: any). */
  validKeys?: string[];
  /** Answers llm-rubric judge requests (those whose system prompt carries `[promptopt:judge]`). */
  judge?: JudgeScript;
}): Promise<OptimizeWorld> {
  let optimizer = options.optimizer ?? fixShown;
  let target = options.target ?? ruleTarget;
  const seen: SeenRequest[] = [];
  const arrived: Arrival[] = [];
  let hold: ((arrival: Arrival) => Promise<void> | undefined) | undefined;
  let optimizerCount = 0;
  const byInput = [...options.cases].sort((a, b) => b.input.length - a.input.length);
  const respond = async (request: FakeRequest): Promise<FakeReply> => {
    const start = performance.now();
    const body = JSON.stringify(request.body);
    const isOptimizer = (request.system ?? '').includes(OPTIMIZER_MARKER);
    const isJudge = (request.system ?? '').includes(JUDGE_MARKER);
    let output: string;
    let caseId: string | undefined;
    let prompt: string | undefined;
    let text: string;
    if (isOptimizer) {
      const parsed = parseOptimizerRequest(request, optimizerCount++);
      text = parsed.text;
      arrived.push({ role: 'optimizer', text });
      await hold?.({ role: 'optimizer', text });
      output = await optimizer(parsed);
    } else if (isJudge) {
      text = request.messages.map((m) => m.content).join('\n');
      arrived.push({ role: 'judge', text });
      await hold?.({ role: 'judge', text });
      const rubric = /<rubric>([\s\S]*?)<\/rubric>/.exec(text)?.[1] ?? '';
      const graded = /<output>([\s\S]*?)<\/output>/.exec(text)?.[1] ?? '';
      output = (options.judge ?? judgeAnswered)({ rubric, output: graded });
    } else {
      text = [request.system ?? '', ...request.messages.map((m) => m.content)].join('\n');
      const testCase = byInput.find((c) => text.includes(c.input));
      caseId = testCase?.id;
      prompt = testCase ? targetPrompt(request, testCase) : text;
      arrived.push({ role: 'target', text, caseId, prompt });
      await hold?.({ role: 'target', text, caseId, prompt });
      output = testCase ? target(prompt, testCase) : 'no case found';
    }
    // The server's latency was spent before respond: count it into the request's span.
    seen.push({ role: isOptimizer ? 'optimizer' : isJudge ? 'judge' : 'target', body, text, caseId, prompt, output, start: start - (options.latencyMs ?? 0), end: performance.now() });
    return output;
  };
  const server = await startFakeLlmServer({ latencyMs: options.latencyMs ?? 0, respond, ...(options.validKeys ? { validKeys: options.validKeys } : {}) });
  return {
    server,
    seen,
    arrived,
    setHold(next) {
      hold = next;
    },
    optimizerRequests: () => seen.filter((s) => s.role === 'optimizer'),
    targetRequests: () => seen.filter((s) => s.role === 'target'),
    setOptimizer(script) {
      optimizer = script;
    },
    setTarget(rule) {
      target = rule;
    },
    env: () => ({
      OPENAI_BASE_URL: server.openaiBaseUrl,
      ANTHROPIC_BASE_URL: server.anthropicBaseUrl,
      OPENAI_API_KEY: OPENAI_KEY,
      ANTHROPIC_API_KEY: ANTHROPIC_KEY,
    }),
    close: () => server.close(),
  };
}

// ---------------------------------------------------------------------------------------------
// Spec and CLI

export interface OptimizerSection {
  max_iterations?: number;
  candidates?: number;
  patience?: number;
  validation_iterations?: number;
  strict_below?: number;
  strategy?: 'iterative' | 'evolutionary' | 'hybrid' | 'pareto' | 'opro';
  accept?: 'score' | 'significant';
  price?: { input_per_mtok: number; output_per_mtok: number };
  seed?: number;
  [key: string]: unknown;
}

export function optimizeSpec(
  cases: TaskCase[],
  options: { optimizer?: OptimizerSection; target?: Record<string, unknown>; prompt?: string; extra?: Record<string, unknown> } = {},
): Record<string, unknown> {
  return {
    name: 'ticket-routing',
    description: 'Route support tickets to a team (optimize e2e fixture)',
    prompt: options.prompt ?? START_PROMPT,
    target: { provider: 'openai-compatible', model: 'fake-target-1', max_retries: 0, ...options.target },
    optimizer: {
      provider: 'anthropic',
      model: 'fake-optimizer-1',
      max_retries: 0,
      max_iterations: 5,
      candidates: 1,
      patience: 3,
      validation_iterations: 0,
      ...options.optimizer,
    },
    cases: cases.map((c) => ({ id: c.id, input: c.input, expected: c.expected, split: c.split })),
    defaults: { assert: [{ type: 'equals', value: '{{expected}}' }] },
    ...options.extra,
  };
}

export async function writeTask(dir: string, spec: Record<string, unknown>): Promise<string> {
  return writeSpec(dir, spec);
}

export function optimize(
  world: OptimizeWorld,
  dir: string,
  args: string[],
  options: { env?: Record<string, string>; timeoutMs?: number; signal?: AbortSignal } = {},
): Promise<CliResult> {
  return runCli(['optimize', 'task.yaml', ...args], {
    cwd: dir,
    env: { ...world.env(), ...options.env },
    timeoutMs: options.timeoutMs ?? 25_000,
    ...(options.signal ? { signal: options.signal } : {}),
  });
}

/**
 * Holds every request of `role` unanswered until `release()`; `arrived` resolves once `n` of them are
 * waiting (a run paused at a known point, whatever the machine's pace).
 */
export function holdRequests(world: OptimizeWorld, role: Arrival['role'], n = 1): { arrived: Promise<void>; release: () => void } {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  let reached!: () => void;
  const arrived = new Promise<void>((resolve) => (reached = resolve));
  let waiting = 0;
  world.setHold((a) => {
    if (a.role !== role) return undefined;
    waiting += 1;
    if (waiting === n) reached();
    return gate;
  });
  return { arrived, release };
}

/**
 * Runs `optimize` in-process and stops it as Ctrl-C does when the server receives request number
 * `at`: an unfinished run with its checkpoint (exit 130), for tests that need one to resume and not
 * the kill -9 itself (spend.ts runWithKills kills a real process).
 */
export async function interruptedRun(world: OptimizeWorld, dir: string, args: string[], at: number): Promise<CliResult> {
  const ctrlC = new AbortController();
  world.setHold(() => {
    if (world.arrived.length - 1 === at) ctrlC.abort('SIGINT');
    return undefined;
  });
  const result = await optimize(world, dir, args, { signal: ctrlC.signal });
  world.setHold(undefined);
  if (result.code !== 130) throw new Error(`the run was to stop at request ${at}, but exited ${result.code}: ${result.stderr}`);
  return result;
}

export interface Detached {
  child: ChildProcess;
  /** stderr so far. */
  stderr(): string;
  done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>;
}

/** Starts the CLI without waiting for it (to kill it, or send it SIGINT). */
export function optimizeDetached(world: OptimizeWorld, dir: string, args: string[]): Detached {
  assertBuilt();
  const child = spawn(process.execPath, [CLI_BIN, 'optimize', 'task.yaml', ...args], {
    cwd: dir,
    env: cleanEnv({ cwd: dir, env: world.env() }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.stdout!.on('data', (c: Buffer) => out.push(c));
  child.stderr!.on('data', (c: Buffer) => err.push(c));
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((resolve) => {
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') });
    });
  });
  return { child, done, stderr: () => Buffer.concat(err).toString('utf8') };
}

/** Polls until `check` returns a value (not undefined), or throws after `timeoutMs`. */
export async function waitFor<T>(check: () => Promise<T | undefined> | T | undefined, timeoutMs = 20_000, everyMs = 5): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`waitFor: timed out after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

// ---------------------------------------------------------------------------------------------
// Reading what a run wrote

export async function runDirs(dir: string): Promise<string[]> {
  const runs = join(dir, '.promptopt', 'runs');
  return (await readdir(runs).catch(() => [] as string[])).map((name) => join(runs, name));
}

export async function readJson(path: string): Promise<Record<string, any>> {
  return JSON.parse(await readFile(path, 'utf8')) as Record<string, any>;
}

/** The checkpoint of the only run folder, or undefined while there is none (or it is mid-write). */
export async function readCheckpointOf(dir: string): Promise<Record<string, any> | undefined> {
  const [run] = await runDirs(dir);
  if (!run) return undefined;
  try {
    return await readJson(join(run, 'checkpoint.json'));
  } catch {
    return undefined;
  }
}

export interface VersionFile {
  version: number;
  text: string;
  meta: Record<string, any>;
  diff?: string;
}

/** The committed versions (a `vN.json` exists), in order. */
export async function readVersions(dir: string): Promise<VersionFile[]> {
  const folder = join(dir, 'prompt-versions');
  const names = await readdir(folder).catch(() => [] as string[]);
  const out: VersionFile[] = [];
  for (const name of names) {
    const m = /^v(\d+)\.json$/.exec(name);
    if (!m) continue;
    const meta = await readJson(join(folder, name));
    const promptFile = (meta.prompt_file ?? meta.promptFile) as string;
    const diffName = `v${m[1]}.diff`;
    out.push({
      version: Number(m[1]),
      meta,
      text: await readFile(join(folder, promptFile), 'utf8'),
      ...(names.includes(diffName) ? { diff: await readFile(join(folder, diffName), 'utf8') } : {}),
    });
  }
  return out.sort((a, b) => a.version - b.version);
}
