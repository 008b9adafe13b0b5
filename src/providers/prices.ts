/**
 * Price table, USD per million tokens. Dated: prices change, so the spec can override any entry
 * (`target.price: { input_per_mtok, output_per_mtok }`). A model missing here has an unknown cost,
 * reported as unknown, never as zero.
 */
import type { ModelPrice, ProviderName } from './types.js';

export const PRICES_AS_OF = '2026-11-23';

const ANTHROPIC: Record<string, ModelPrice> = {
  'claude-fable-5-1': { inputPerMTok: 10, outputPerMTok: 50 },
  'claude-opus-5-5': { inputPerMTok: 4, outputPerMTok: 20 },
  'claude-opus-5': { inputPerMTok: 5, outputPerMTok: 25 },
  'claude-sonnet-5-5': { inputPerMTok: 2, outputPerMTok: 10 },
  'claude-sonnet-5': { inputPerMTok: 2, outputPerMTok: 10 },
  'claude-opus-4-5': { inputPerMTok: 5, outputPerMTok: 25 },
  'claude-sonnet-4-5': { inputPerMTok: 3, outputPerMTok: 15 },
  'claude-haiku-4-5': { inputPerMTok: 1, outputPerMTok: 5 },
};

const OPENAI: Record<string, ModelPrice> = {
  'gpt-5': { inputPerMTok: 1.25, outputPerMTok: 10 },
  'gpt-5-mini': { inputPerMTok: 0.25, outputPerMTok: 2 },
  'gpt-5-nano': { inputPerMTok: 0.05, outputPerMTok: 0.4 },
  'gpt-4.1': { inputPerMTok: 2, outputPerMTok: 8 },
  'gpt-4.1-mini': { inputPerMTok: 0.4, outputPerMTok: 1.6 },
  'gpt-4.1-nano': { inputPerMTok: 0.1, outputPerMTok: 0.4 },
  'gpt-4o': { inputPerMTok: 2.5, outputPerMTok: 10 },
  'gpt-4o-mini': { inputPerMTok: 0.15, outputPerMTok: 0.6 },
};

/** The simulator is free: its cost is a known zero, not an unknown. */
const SIM: ModelPrice = { inputPerMTok: 0, outputPerMTok: 0 };

/**
 * The price of a model, or undefined when unknown. Dated snapshot suffixes
 * (`claude-haiku-4-5-20251001`) fall back to the base id. OpenRouter ids (`anthropic/claude-opus-5-5`,
 * `openai/gpt-4o-mini`) use the vendor's table.
 */
export function lookupPrice(provider: ProviderName, model: string): ModelPrice | undefined {
  if (provider === 'sim') return SIM;
  if (provider === 'openai-compatible') return undefined;
  let table: Record<string, ModelPrice> | undefined;
  let id = model;
  if (provider === 'openrouter') {
    const [vendor, rest] = model.split('/', 2);
    id = rest ?? model;
    table = vendor === 'anthropic' ? ANTHROPIC : vendor === 'openai' ? OPENAI : undefined;
  } else {
    table = provider === 'anthropic' ? ANTHROPIC : OPENAI;
  }
  if (!table) return undefined;
  return table[id] ?? table[id.replace(/-\d{8}$/, '')] ?? table[id.replace(/-\d{4}-\d{2}-\d{2}$/, '')];
}

export function costOf(price: ModelPrice | undefined, inputTokens: number, outputTokens: number): number | null {
  if (!price) return null;
  return (inputTokens * price.inputPerMTok + outputTokens * price.outputPerMTok) / 1_000_000;
}
