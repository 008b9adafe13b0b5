/**
 * `providers:` (or `targets:`) -> native targets: `openai:gpt-4o-mini`, `openai:chat:gpt-4o-mini`,
 * `anthropic:messages:claude-haiku-4-5`, `anthropic:claude-...`, `openrouter:...`, or objects
 * `{ id, label, config }` (config `apiBaseUrl`, `temperature`, `max_tokens`, `apiKeyEnvar`,
 * `response_format` carried over; other keys named in the warning). Another kind of provider (a
 * script, HTTP, a local server, embeddings...) cannot be mapped: an error.
 */
import type { FileScope } from '../spec/file-scope.js';
import type { PathSegment } from '../spec/issues.js';
import type { MappingNotes } from './notes.js';
import { uniqueSlug } from './read-file.js';
import type { YamlSource } from './read-config.js';
import type { MappedProvider, Where } from './types.js';

interface ProviderItem {
  id: string;
  label?: string;
  config: Record<string, unknown>;
  path: PathSegment[];
}

export function mapProviders(source: YamlSource, _scope: FileScope, notes: MappingNotes): MappedProvider[] {
  const config = source.value as Record<string, unknown>;
  const key = config.providers !== undefined ? 'providers' : 'targets';
  const raw = config[key];
  if (raw === undefined) {
    notes.fail(source.at([]), 'the config has no providers', 'add providers: [openai:gpt-4o-mini] (promptfoo requires it too)');
    return [];
  }
  const taken = new Set<string>();
  const providers: MappedProvider[] = [];
  for (const item of providerItems(raw, key, source, notes)) {
    const where = source.at(item.path);
    const target = targetOf(item.id, where, notes);
    if (!target) continue;
    const extra = configFields(item.config, (key) => source.at([...item.path, 'config', key], { key: true }), notes);
    const label = item.label ?? item.id;
    providers.push({ label, named: item.label !== undefined, slug: uniqueSlug(label, taken), target: { ...target, ...extra.target }, ...(extra.responseFormat ? { responseFormat: extra.responseFormat } : {}), where });
  }
  return providers;
}

function providerItems(raw: unknown, key: string, source: YamlSource, notes: MappingNotes): ProviderItem[] {
  const list = typeof raw === 'string' ? [raw] : raw;
  if (!Array.isArray(list)) {
    notes.fail(source.at([key]), `${key} must be a list of providers`);
    return [];
  }
  const items: ProviderItem[] = [];
  list.forEach((entry, index) => {
    const path = typeof raw === 'string' ? [key] : [key, index];
    if (typeof entry === 'string') {
      items.push({ id: entry, config: {}, path });
      return;
    }
    const object = entry && typeof entry === 'object' && !Array.isArray(entry) ? (entry as Record<string, unknown>) : undefined;
    if (!object) {
      notes.fail(source.at(path), 'a provider is a string such as openai:gpt-4o-mini or an { id, config } object');
      return;
    }
    // `{ "openai:gpt-4o": { config } }`: promptfoo's map form.
    if (typeof object.id !== 'string' && Object.keys(object).length === 1) {
      const [id, body] = Object.entries(object)[0]!;
      const inner = (body ?? {}) as Record<string, unknown>;
      items.push({ id, config: (inner.config ?? {}) as Record<string, unknown>, path, ...(typeof inner.label === 'string' ? { label: inner.label } : {}) });
      return;
    }
    if (typeof object.id !== 'string') {
      notes.fail(source.at(path), 'a provider object needs an id such as openai:gpt-4o-mini');
      return;
    }
    for (const k of Object.keys(object)) if (!['id', 'label', 'config'].includes(k)) notes.skip(source.at([...path, k], { key: true }), `provider \`${k}\``);
    items.push({ id: object.id, config: (object.config ?? {}) as Record<string, unknown>, path, ...(typeof object.label === 'string' ? { label: object.label } : {}) });
  });
  return items;
}

/** `openai:chat:gpt-4o-mini` -> { provider: openai, model: gpt-4o-mini }. */
function targetOf(id: string, where: Where, notes: MappingNotes): Record<string, unknown> | undefined {
  const [vendor, ...rest] = id.split(':');
  const kind = rest.length > 1 ? rest[0] : undefined;
  const model = rest.length > 1 ? rest.slice(1).join(':') : rest[0];
  const chatKinds: Record<string, (string | undefined)[]> = { openai: [undefined, 'chat'], anthropic: [undefined, 'messages'], openrouter: [undefined] };
  const kinds = vendor ? chatKinds[vendor] : undefined;
  if (!kinds || !model) {
    notes.fail(where, `provider "${id}" cannot be mapped: promptopt calls openai:<model>, anthropic:messages:<model> and openrouter:<model>`, 'for another OpenAI-compatible server, use openai:<model> with config.apiBaseUrl');
    return undefined;
  }
  if (!kinds.includes(kind)) {
    notes.fail(where, `provider "${id}" cannot be mapped: only chat models are supported (${vendor}:${vendor === 'anthropic' ? 'messages:' : 'chat:'}<model>)`);
    return undefined;
  }
  return { provider: vendor, model: vendor === 'openrouter' && kind ? `${kind}/${model}` : model };
}

function configFields(config: Record<string, unknown>, at: (key: string) => Where, notes: MappingNotes): { target: Record<string, unknown>; responseFormat?: Record<string, unknown> } {
  const target: Record<string, unknown> = {};
  let responseFormat: Record<string, unknown> | undefined;
  for (const [key, value] of Object.entries(config)) {
    if (key === 'temperature' || key === 'max_tokens') target[key] = value;
    else if (key === 'apiBaseUrl') target.base_url = value;
    else if (key === 'apiKeyEnvar') target.api_key_env = value;
    else if (key === 'response_format' && value && typeof value === 'object') responseFormat = value as Record<string, unknown>;
    else if (key === 'apiKey') notes.skip(at(key), 'provider config `apiKey` (a key written in the config): set the provider\'s environment variable instead');
    else notes.skip(at(key), `provider config \`${key}\``);
  }
  return { target, ...(responseFormat ? { responseFormat } : {}) };
}
