/**
 * Cross-field rules, run on the normalized spec once the schema passed: prompt role vs the fixed
 * system/user templates, template variables vs case vars, budget vs known prices, base URLs,
 * simulator-only settings, and what a spec someone else wrote could abuse (where keys go, which
 * files it reads, which variables a webhook receives). Each problem is one issue with a path and a
 * position. What only a command that runs assertions needs is checked by assertion-rules.ts,
 * script-rule.ts and unchecked-cases-rule.ts.
 */
import type { SpecIssue } from '../errors.js';
import { parseAssertionType } from '../assertions/names.js';
import { lookupPrice } from '../providers/prices.js';
import { untrustedBaseUrl } from '../providers/resolve-endpoint.js';
import type { ModelConfig } from '../providers/types.js';
import type { FileScope } from './file-scope.js';
import type { IssueAt } from './issues.js';
import type { RawModel, RawSpec } from './schema.js';
import { checkAssertionFiles, checkHeadersEnv, checkOutputFolders } from './trust-rules.js';
import { checkFeedbackVars } from './feedback-vars-rule.js';
import { checkTemplateVariables } from './template-vars-rule.js';
import { requestTemplates } from './prompt-templates.js';
import type { CaseIssueAt } from './assertion-sites.js';
import type { Spec } from './types.js';

export interface RulesContext {
  raw: RawSpec;
  issueAt: IssueAt;
  env: NodeJS.ProcessEnv;
  /** Which files the spec may read, and whether it is trusted (--trust-spec). */
  scope: FileScope;
  /** Where a case's fields are (its line in the spec or its cases file). */
  caseIssueAt?: CaseIssueAt;
}

export function checkRules(spec: Spec, context: RulesContext): SpecIssue[] {
  return [
    ...checkPromptRole(spec, context),
    ...checkTemplateVariables(spec, context.issueAt),
    ...checkResponseFormat(spec, context),
    ...checkFeedbackVars(spec, context.raw, context.issueAt),
    ...checkBudgetPrices(spec, context),
    ...checkBaseUrls(spec, context),
    ...checkKeyDestinations(spec, context),
    ...checkHeadersEnv(spec, context),
    ...checkAssertionFiles(spec, context),
    ...checkOutputFolders(spec, context),
    ...checkSimOnlyFields(spec, context),
  ];
}

function checkPromptRole(spec: Spec, { raw, issueAt }: RulesContext): SpecIssue[] {
  if (spec.prompt.form.kind === 'chat') {
    // A chat prompt holds its own system and user turns: the text prompt's placement fields do not apply.
    return (['prompt_role', 'system', 'user'] as const)
      .filter((field) => raw[field] !== undefined)
      .map((field) =>
        issueAt([field], `\`${field}\` does not apply to a chat-format prompt: its messages are the request`, {
          key: true,
          hint: field === 'prompt_role' ? 'remove it; mark the messages the optimizer may rewrite with `optimize: true`' : `put the ${field} message in the prompt's list of messages`,
        }),
      );
  }
  if (spec.promptRole === 'user') {
    if (raw.user === undefined) return [];
    return [
      issueAt(['user'], '`user` is only allowed with `prompt_role: system`', {
        key: true,
        hint: 'with prompt_role user (the default) the prompt is the user message; use `system:` for a fixed system message',
      }),
    ];
  }
  const issues: SpecIssue[] = [];
  if (raw.system !== undefined) {
    issues.push(
      issueAt(['system'], '`system` is not allowed with `prompt_role: system`: the prompt is the system message', {
        key: true,
        hint: 'remove `system:`, or set `prompt_role: user`',
      }),
    );
  }
  if (raw.user === undefined) {
    const issue = issueAt(['prompt_role'], 'a fixed `user` template is required with `prompt_role: system`', {
      key: true,
      hint: 'add e.g. `user: "{{input}}"`: the message each case sends',
    });
    issues.push({ ...issue, path: 'user' });
  }
  return issues;
}

/**
 * `response_format` is OpenAI's shape; Anthropic's API takes a JSON schema (`output_config.format`) but
 * has no JSON mode without one, so `json_object` cannot be sent to an anthropic target.
 */
function checkResponseFormat(spec: Spec, { issueAt }: RulesContext): SpecIssue[] {
  if (spec.responseFormat?.type !== 'json_object') return [];
  if (spec.target.provider === 'anthropic') {
    return [
      issueAt(['response_format', 'type'], 'anthropic has no JSON mode without a schema: `json_object` cannot be sent to an anthropic target', {
        hint: 'use type: json_schema with json_schema: { name, schema } (sent as output_config.format), or check the output with an is-json assertion',
      }),
    ];
  }
  // OpenAI refuses json_object unless the messages say "json" (every call would fail with a 400).
  if (spec.target.provider === 'sim' || requestTemplates(spec).some((t) => /json/i.test(t.text))) return [];
  return [
    issueAt(['response_format', 'type'], 'with type json_object, the OpenAI API requires the word "json" in the messages, and no template of this prompt has it: every call would be refused', {
      hint: 'say in the prompt that the answer is JSON (e.g. "Reply with a JSON object with the fields ..."), or use type json_schema',
    }),
  ];
}

/** A budget can only be enforced when every model that may be called has a known price. */
function checkBudgetPrices(spec: Spec, { issueAt }: RulesContext): SpecIssue[] {
  if (!spec.budget) return [];
  const models: [string, ModelConfig][] = [
    ['target', spec.target],
    ['optimizer', spec.optimizer],
  ];
  const assertions = [...spec.defaultAssert, ...spec.cases.flatMap((c) => c.assert)];
  if (assertions.some((a) => parseAssertionType(a.type).base === 'llm-rubric')) models.push(['judge', spec.judge]);
  const unpriced = models.filter(([, m]) => m.price === undefined && lookupPrice(m.provider, m.model) === undefined);
  if (unpriced.length === 0) return [];
  const names = unpriced.map(([role, m]) => `${role} model "${m.model}" (${m.provider})`);
  return [
    issueAt(['budget', 'max_cost_usd'], `a budget needs known prices, but ${names.join(' and ')} ${unpriced.length > 1 ? 'have' : 'has'} no known price`, {
      hint: `add \`price: { input_per_mtok, output_per_mtok }\` under ${unpriced.map(([role]) => role).join(' and ')}`,
    }),
  ];
}

/** openai-compatible needs a server address: base_url, or OPENAI_BASE_URL in the environment. */
function checkBaseUrls(spec: Spec, { raw, issueAt, env }: RulesContext): SpecIssue[] {
  if (env.OPENAI_BASE_URL) return [];
  const checked: [string, ModelConfig][] = [['target', spec.target]];
  if (raw.optimizer?.provider !== undefined) checked.push(['optimizer', spec.optimizer]);
  if (raw.judge?.provider !== undefined) checked.push(['judge', spec.judge]);
  return checked
    .filter(([, m]) => m.provider === 'openai-compatible' && m.baseUrl === undefined)
    .map(([role]) =>
      issueAt([role, 'base_url'], 'provider openai-compatible needs a base_url', {
        hint: `set ${role}.base_url (e.g. http://127.0.0.1:8080/v1) or the OPENAI_BASE_URL environment variable`,
      }),
    );
}

/** A spec `base_url` receives the provider's keys: only its own host, loopback or the environment's base URL, unless trusted. */
function checkKeyDestinations(spec: Spec, { raw, issueAt, env, scope }: RulesContext): SpecIssue[] {
  if (scope.trusted) return [];
  const checked: [string, RawModel | undefined, ModelConfig][] = [
    ['target', raw.target, spec.target],
    ['optimizer', raw.optimizer, spec.optimizer],
    ['judge', raw.judge, spec.judge],
  ];
  const issues: SpecIssue[] = [];
  for (const [role, rawModel, model] of checked) {
    // A judge that inherits the target's base_url is reported once, at the target.
    if (rawModel?.base_url === undefined || model.provider === 'sim' || model.baseUrl === undefined) continue;
    const refused = untrustedBaseUrl(model.provider, model.baseUrl, model.apiKeyEnv, env);
    if (refused) issues.push(issueAt([role, 'base_url'], refused.message, { hint: refused.hint }));
  }
  return issues;
}

function checkSimOnlyFields(spec: Spec, { raw, issueAt }: RulesContext): SpecIssue[] {
  const sections: [string, RawModel | undefined, ModelConfig][] = [
    ['target', raw.target, spec.target],
    ['optimizer', raw.optimizer, spec.optimizer],
    ['judge', raw.judge, spec.judge],
  ];
  return sections
    .filter(([, rawModel, model]) => rawModel?.sim_latency_ms !== undefined && model.provider !== 'sim')
    .map(([role]) =>
      issueAt([role, 'sim_latency_ms'], 'sim_latency_ms only applies to provider sim', {
        key: true,
        hint: `remove it, or set ${role}.provider: sim`,
      }),
    );
}
