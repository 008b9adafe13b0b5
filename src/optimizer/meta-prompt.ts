/**
 * Builds the requests sent to the optimizer model. Every request starts with the `[promptopt:optimizer]`
 * marker (the built-in simulator recognizes optimizer requests by it), describes the task and how
 * the prompt is used, and ends with the reply format. The feedback sections come from feedback/;
 * this module only lays them out within the meta-prompt token budget.
 */
import { PROMPT_TAGS, SECTIONS, SENT_AS_SYSTEM, VARIABLES_LINE } from '../feedback/vocabulary/markers.js';
import type { ChatRequest } from '../providers/types.js';
import { editableContents, parseChatPrompt, type PromptForm } from '../template/chat-prompt.js';
import { promptTemplates, variablesOf } from '../spec/prompt-templates.js';
import type { TemplateEngine } from '../template/template.js';
import type { Spec } from '../spec/types.js';
import { formatMemory } from './memory.js';
import { isStrategyRequest, strategySections, type StrategyRequest } from './strategy-requests.js';
import type { OptimizationMemory } from './types.js';

export const OPTIMIZER_MARKER = '[promptopt:optimizer]';

const SYSTEM = `${OPTIMIZER_MARKER} You are an expert prompt engineer. You improve a prompt template for a
target language model, using evaluation feedback. You change only the prompt template: keep every
{{variable}} placeholder it has, exactly as written, and add no new ones. Write the complete new prompt,
not a diff. Generalize from the failures: write rules and instructions that fix the patterns, and do not
copy evaluation cases into the prompt.

Reply in exactly this format:
<hypothesis>One or two sentences: what you changed and why you expect it to fix the failures.</hypothesis>
<prompt>
the complete new prompt template
</prompt>`;

export interface TaskContext {
  name: string;
  description: string;
  promptRole: Spec['promptRole'];
  system?: string;
  user?: string;
  /** Variables every candidate must keep. */
  variables: string[];
  /** What a prompt is (text, or chat messages) and how it renders; absent: a `{{var}}` text prompt. */
  layout?: PromptLayout;
}

/**
 * How the optimizer sees and returns a prompt. A text prompt is shown and returned whole. A chat prompt
 * is shown as the text of the messages it may rewrite (the others are described as fixed), and what the
 * optimizer returns is put back into `base`, the starting prompt's structure, which every candidate keeps.
 */
export interface PromptLayout {
  form: PromptForm;
  engine: TemplateEngine;
  /** The starting prompt: a candidate is this with its editable messages' contents replaced. */
  base: string;
}

/** Tag around each editable message when a chat prompt has several. */
export const MESSAGE_TAG = 'message';

export function taskContext(spec: Spec): TaskContext {
  const layout: PromptLayout = { form: spec.prompt.form, engine: spec.templateEngine, base: spec.prompt.text };
  return {
    name: spec.name,
    description: spec.description,
    promptRole: spec.promptRole,
    system: spec.system,
    user: spec.user,
    variables: variablesOf(promptTemplates(spec.prompt).filter((t) => t.editable), spec.templateEngine).map((use) => use.name),
    layout,
  };
}

/** What the optimizer is shown of a prompt: the whole text, or the editable messages of a chat prompt. */
export function editableView(layout: PromptLayout | undefined, prompt: string): string {
  if (!layout || layout.form.kind !== 'chat') return prompt;
  const editable = editableContents(prompt, layout.form.syntax);
  if (editable.length === 1) return editable[0]!.content;
  return editable.map((m) => `<${MESSAGE_TAG} index="${m.index + 1}" role="${m.role}">\n${m.content}\n</${MESSAGE_TAG}>`).join('\n\n');
}

/** The kinds laid out here; pareto's and opro's (`reflect`, `merge`, `opro`) are in strategy-requests.ts. */
type CoreRequest =
  | { kind: 'refine'; current: string; feedback: string; memory: OptimizationMemory; direction: string; constraints?: string }
  | { kind: 'initial'; start: string; feedback: string; direction: string }
  | { kind: 'mutation'; parent: string; parentScore: string; feedback: string; memory: OptimizationMemory; direction: string }
  | { kind: 'crossover'; parentA: string; scoreA: string; parentB: string; scoreB: string; feedback: string; direction: string };

export type MetaPromptRequest = CoreRequest | StrategyRequest;

/** Renders a meta-prompt request, keeping it within `budgetTokens` (≈ 4 characters a token). */
export function buildMetaPrompt(task: TaskContext, request: MetaPromptRequest, budgetTokens: number, maxTokens: number): ChatRequest {
  const shown = viewed(task.layout, request);
  const budgetChars = budgetTokens * 4 - SYSTEM.length;
  const head = taskSection(task);
  const body = isStrategyRequest(shown) ? strategySections(shown, budgetChars - head.length - 2) : bodySections(shown);
  const content = fitToBudget([head, ...body], budgetChars);
  // opro samples one meta-prompt several times: at a temperature, where the model takes one.
  const temperature = shown.kind === 'opro' ? shown.temperature : undefined;
  return { system: SYSTEM, messages: [{ role: 'user', content }], maxTokens, ...(temperature !== undefined ? { temperature } : {}) };
}

/** The request with each prompt in it replaced by what the optimizer is shown of it. */
function viewed(layout: PromptLayout | undefined, request: MetaPromptRequest): MetaPromptRequest {
  if (!layout || layout.form.kind !== 'chat') return request;
  const view = (prompt: string) => editableView(layout, prompt);
  switch (request.kind) {
    case 'refine':
      return { ...request, current: view(request.current) };
    case 'initial':
      return { ...request, start: view(request.start) };
    case 'mutation':
      return { ...request, parent: view(request.parent) };
    case 'crossover':
    case 'merge':
      return { ...request, parentA: view(request.parentA), parentB: view(request.parentB) };
    case 'reflect':
      return { ...request, parent: view(request.parent) };
    case 'opro':
      return { ...request, history: request.history.map((h) => ({ ...h, prompt: view(h.prompt) })) };
  }
}

/** How a chat prompt is used: its turns in order, which the optimizer edits and which are fixed. */
function chatUsage(layout: PromptLayout & { form: { kind: 'chat' } }): string {
  const messages = parseChatPrompt(layout.base, layout.form.syntax);
  const editable = editableContents(layout.base, layout.form.syntax).map((m) => m.index);
  const lines = messages.map((m, i) => `${i + 1}. ${m.role}: ${editable.includes(i) ? '(the prompt you edit)' : `fixed, not editable: ${JSON.stringify(m.content)}`}`);
  const several = editable.length > 1
    ? `\nYou edit ${editable.length} messages. Write each inside <prompt> as <${MESSAGE_TAG} index="N" role="...">text</${MESSAGE_TAG}>, every one of them, with the index and role shown; only their text may change.`
    : '';
  const first = editable.length === 1 && messages[editable[0]!]!.role === 'system' ? `${SENT_AS_SYSTEM} ` : '';
  return `${first}The prompt is part of a chat conversation sent with its variables filled in, as these turns:\n${lines.join('\n')}${several}`;
}

function taskSection(task: TaskContext): string {
  const vars = task.variables.length ? task.variables.map((v) => `{{${v}}}`).join(', ') : '(none)';
  const engine = task.layout?.engine === 'nunjucks' ? '\nThe template language is Nunjucks: keep its tags ({% ... %}) and filters working.' : '';
  const usage =
    task.layout?.form.kind === 'chat'
      ? chatUsage(task.layout as PromptLayout & { form: { kind: 'chat' } })
      : task.promptRole === 'system'
      ? `${SENT_AS_SYSTEM} The user message is fixed (not editable): ${JSON.stringify(task.user ?? '')}`
      : `The prompt, with its variables filled in, is sent as the user message.${task.system ? ` A fixed system message (not editable) comes with it: ${JSON.stringify(task.system)}` : ''}`;
  return `# ${SECTIONS.task}\n${task.name}: ${task.description}\n\n# ${SECTIONS.usage}\n${usage}${engine}\n${VARIABLES_LINE} ${vars}`;
}

function tagged(tag: string, body: string): string {
  return `<${tag}>\n${body}\n</${tag}>`;
}

function bodySections(request: CoreRequest): string[] {
  switch (request.kind) {
    case 'refine':
      return [
        `# ${SECTIONS.current}\n${tagged(PROMPT_TAGS.current, request.current)}`,
        `# ${SECTIONS.memory}\n${formatMemory(request.memory)}`,
        ...(request.constraints ? [`# ${SECTIONS.constraints}\n${request.constraints}`] : []),
        `# ${SECTIONS.direction} candidate\n${request.direction}`,
        `# ${SECTIONS.feedback}\n${request.feedback}`,
        'Build on what worked, avoid what failed, and address the current issues.',
      ];
    case 'initial':
      return [
        `# ${SECTIONS.starting}\n${tagged(PROMPT_TAGS.current, request.start)}`,
        `# ${SECTIONS.direction} candidate\n${request.direction}`,
        `# ${SECTIONS.feedback} on the starting prompt\n${request.feedback}`,
        'Write a new prompt for this task in the style the direction asks for; it may differ a lot from the starting prompt.',
      ];
    case 'mutation':
      return [
        `# ${SECTIONS.parent} (${request.parentScore})\n${tagged(PROMPT_TAGS.current, request.parent)}`,
        `# ${SECTIONS.memory}\n${formatMemory(request.memory)}`,
        `# ${SECTIONS.direction} mutation\n${request.direction}`,
        `# ${SECTIONS.feedback} on the parent\n${request.feedback}`,
        'Mutate the parent: keep what works, change one thing that addresses the feedback.',
      ];
    case 'crossover':
      return [
        `# Parent A (${request.scoreA})\n${tagged(PROMPT_TAGS.parentA, request.parentA)}`,
        `# Parent B (${request.scoreB})\n${tagged(PROMPT_TAGS.parentB, request.parentB)}`,
        `# ${SECTIONS.direction} crossover\n${request.direction}`,
        `# ${SECTIONS.feedback} on parent A\n${request.feedback}`,
        'Combine the strengths of both parents into one prompt.',
      ];
  }
}

/**
 * Joins sections; when over budget, the feedback section (the long one) is cut at a line boundary
 * first. Feedback formatters already sample per category within their own budget, so this only
 * trims what they could not know about (the memory and prompt lengths).
 */
function fitToBudget(sections: string[], budgetChars: number): string {
  const joined = sections.join('\n\n');
  if (joined.length <= budgetChars) return joined;
  const feedbackIndex = sections.findIndex((s) => s.startsWith(`# ${SECTIONS.feedback}`));
  if (feedbackIndex < 0) return joined.slice(0, budgetChars);
  const others = sections.filter((_, i) => i !== feedbackIndex).join('\n\n').length + 2;
  const room = Math.max(400, budgetChars - others);
  const feedback = sections[feedbackIndex]!;
  const cut = feedback.slice(0, room);
  const trimmed = `${cut.slice(0, Math.max(cut.lastIndexOf('\n'), 0))}\n(feedback trimmed to fit the meta-prompt budget)`;
  return sections.map((s, i) => (i === feedbackIndex ? trimmed : s)).join('\n\n');
}

/** Feedback budget in characters for a meta-prompt of `budgetTokens`, leaving room for the rest. */
export function feedbackBudgetChars(budgetTokens: number, promptChars: number): number {
  return Math.max(1000, budgetTokens * 4 - SYSTEM.length - 3 * promptChars - 3000);
}
