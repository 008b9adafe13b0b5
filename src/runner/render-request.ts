import { PromptoptError, EXIT } from '../errors.js';
import { ChatPromptError, parseChatPrompt, type PromptForm } from '../template/chat-prompt.js';
import { renderTemplate, TemplateRenderError, type TemplateEngine } from '../template/template.js';
import type { ChatMessage, ChatRequest, ResponseFormat } from '../providers/types.js';
import type { Spec } from '../spec/types.js';

/** The parts of a spec that decide how a prompt becomes a request, and how its answer is read. */
export interface RequestShape {
  promptRole: 'user' | 'system';
  system?: string;
  user?: string;
  maxTokens: number;
  temperature?: number;
  /** A text template (the default) or a list of chat messages. */
  form?: PromptForm;
  /** How templates render (default `simple`): the prompt, the fixed templates and assertion values. */
  engine?: TemplateEngine;
  /** Structured output asked of the target (`response_format:` in the spec). */
  responseFormat?: ResponseFormat;
  /** The spec's output transform, applied to every answer before its assertions (`transform:`). */
  transform?: string;
}

/**
 * Renders one case. A text prompt goes where `promptRole` says, the fixed `system` or `user` template
 * (never optimized) on the other side. A chat prompt is sent as its turns: its system message as the
 * system prompt, every other message as a message of its own role, each content rendered.
 */
export function renderRequest(shape: RequestShape, prompt: string, vars: Record<string, unknown>): ChatRequest {
  const engine = shape.engine ?? 'simple';
  const render = (template: string) => renderTemplate(template, vars, engine);
  let request: ChatRequest;
  try {
    request = shape.form?.kind === 'chat' ? renderChat(parseChatPrompt(prompt, shape.form.syntax), render, shape.maxTokens) : renderText(shape, prompt, render);
  } catch (error) {
    if (error instanceof TemplateRenderError || error instanceof ChatPromptError) {
      throw new PromptoptError('PROMPT_RENDER_FAILED', `the prompt cannot be rendered: ${error.message}`, {
        exitCode: EXIT.badInput,
        hint: 'check the prompt against the cases\' variables (promptopt eval <task.yaml> --dry-run checks every case)',
      });
    }
    throw error;
  }
  if (shape.temperature !== undefined) request.temperature = shape.temperature;
  if (shape.responseFormat !== undefined) request.responseFormat = shape.responseFormat;
  return request;
}

function renderText(shape: RequestShape, prompt: string, render: (template: string) => string): ChatRequest {
  const rendered = render(prompt);
  if (shape.promptRole === 'system') {
    return { system: rendered, messages: [{ role: 'user', content: render(shape.user ?? '') }], maxTokens: shape.maxTokens };
  }
  return {
    ...(shape.system ? { system: render(shape.system) } : {}),
    messages: [{ role: 'user', content: rendered }],
    maxTokens: shape.maxTokens,
  };
}

function renderChat(turns: ReturnType<typeof parseChatPrompt>, render: (template: string) => string, maxTokens: number): ChatRequest {
  let system: string | undefined;
  const messages: ChatMessage[] = [];
  for (const turn of turns) {
    const content = render(turn.content);
    if (turn.role === 'system') system = content;
    else messages.push({ role: turn.role, content });
  }
  return { ...(system !== undefined ? { system } : {}), messages, maxTokens };
}

/** A spec's request shape: where its prompt goes, the fixed parts, the target's sampling settings, and how answers are read. */
export function requestShape(
  spec: Pick<Spec, 'promptRole' | 'system' | 'user' | 'target'> & Partial<Pick<Spec, 'prompt' | 'templateEngine' | 'responseFormat' | 'transform'>>,
): RequestShape {
  return {
    promptRole: spec.promptRole,
    system: spec.system,
    user: spec.user,
    maxTokens: spec.target.maxTokens,
    temperature: spec.target.temperature,
    ...(spec.prompt?.form ? { form: spec.prompt.form } : {}),
    ...(spec.templateEngine ? { engine: spec.templateEngine } : {}),
    ...(spec.responseFormat ? { responseFormat: spec.responseFormat } : {}),
    ...(spec.transform ? { transform: spec.transform } : {}),
  };
}
