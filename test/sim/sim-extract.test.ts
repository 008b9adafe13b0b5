import { beforeAll, describe, expect, it } from 'vitest';
import { createModel } from '../../src/session/create-model.js';
import { applySlotRule, readExtractionPrompt } from '../../src/sim/extract.js';
import { confusableLabel, isNoisy, NOISE_RATE } from '../../src/sim/noise.js';
import type { ChatRequest } from '../../src/providers/types.js';
import type { SplitCase } from '../../src/spec/types.js';
import { config } from '../providers/helpers.js';
import { casesOf, evaluate, loadExample, type Task } from './sim-loop.js';

const sim = createModel(config({ provider: 'sim', model: 'sim-extractor' }), { role: 'target', env: {} });
const ask = async (prompt: string, input: string) => {
  const request: ChatRequest = { messages: [{ role: 'user', content: `${prompt}\n\nQuery: ${input}` }], maxTokens: 512 };
  return (await sim.complete(request)).text;
};

const TASK = 'Read the request and return JSON with "intent" and "slots".';
const INTENTS = 'Intents: AddToPlaylist, BookRestaurant, GetWeather, PlayMusic, RateBook, SearchCreativeWork, SearchScreeningEvent';
const ONLY_JSON = 'Return only the JSON object, with no prose and no code fences.';

describe('sim extraction target: the answer depends on the prompt', () => {
  it('asks for an intent and slots → JSON; the format instructions decide what surrounds it', async () => {
    const bare = await ask(TASK, 'what is the weather in Paris');
    expect(bare).toMatch(/^Here is the extracted information:\n```json\n\{.*\}\n```$/);
    const only = await ask(`${TASK}\n${ONLY_JSON}`, 'what is the weather in Paris');
    expect(JSON.parse(only)).toHaveProperty('intent');
    expect(JSON.parse(only)).toHaveProperty('slots');
  });

  it('intents: made up without a list; word overlap with a list; rules win', async () => {
    const made = JSON.parse(await ask(`${TASK}\n${ONLY_JSON}`, 'play some jazz please'));
    expect(made.intent).toBe('PlaySome');
    const listed = JSON.parse(await ask(`${TASK}\n${INTENTS}\n${ONLY_JSON}`, 'what will the weather be tomorrow'));
    expect(listed.intent).toBe('GetWeather');
    const ruled = JSON.parse(await ask(`${TASK}\n${INTENTS}\n"forecast" -> GetWeather\n${ONLY_JSON}`, 'forecast for the next movie showing'));
    expect(ruled.intent).toBe('GetWeather');
  });

  it('slots: only listed or ruled names; guesses by name; rules after/before/values', async () => {
    const input = 'play the song Yellow Submarine by The Beatles tomorrow';
    const none = JSON.parse(await ask(`${TASK}\n${INTENTS}\n${ONLY_JSON}`, input));
    expect(none.slots).toEqual({});
    const listed = JSON.parse(await ask(`${TASK}\n${INTENTS}\nSlots for PlayMusic: track, timeRange\n${ONLY_JSON}`, input));
    expect(listed.slots).toEqual({ track: 'Yellow Submarine', timeRange: 'tomorrow' });
    const ruled = JSON.parse(
      await ask(`${TASK}\n${INTENTS}\nSlots for PlayMusic: track\nslot artist: after "by"\nslot music_item: "song", "album"\n${ONLY_JSON}`, input),
    );
    expect(ruled.slots).toEqual({ artist: 'The Beatles', music_item: 'song', track: 'Yellow Submarine' });
  });

  it('slot rules pick exact spans of the input', () => {
    const rule = (text: string) => readExtractionPrompt(`${TASK}\n${text}`).slotRules[0]!;
    expect(applySlotRule(rule('slot artist: after "by"'), 'Play an ep by Zak Starkey.')).toBe('Zak Starkey');
    expect(applySlotRule(rule('slot playlist: before "playlist"'), 'add this song to my Workout playlist')).toBe('Workout');
    expect(applySlotRule(rule('slot object_name: after "book"'), 'look for the book The Girl Who Was Plugged In')).toBe('The Girl Who Was Plugged In');
    expect(applySlotRule(rule('slot timeRange: after "at"'), 'book a table at seven pm in Paris')).toBe('seven pm');
    expect(applySlotRule(rule('slot object_type: "TV show", "book"'), 'Please look up the TV show, Vanity.')).toBe('TV show');
    expect(applySlotRule(rule('slot artist: after "by"'), 'play something')).toBeUndefined();
  });

  it('reading the prompt: intents, per-intent slot lists, rules and format flags', () => {
    const read = readExtractionPrompt(
      `${TASK}\n${INTENTS}\nSlots: city\nSlots for PlayMusic: artist, album\n"weather" -> GetWeather\nslot artist: after "by"\n${ONLY_JSON}`,
    );
    expect(read.intents).toContain('SearchScreeningEvent');
    expect(read.intents).not.toContain('artist');
    expect(read.slots).toEqual(['city']);
    expect(read.slotsByIntent.get('PlayMusic')).toEqual(['artist', 'album']);
    expect(read.intentRules).toEqual([{ phrases: ['weather'], label: 'GetWeather' }]);
    expect(read.slotRules).toEqual([{ slot: 'artist', kind: 'after', cue: 'by' }]);
    expect([read.jsonOnly, read.noFence]).toEqual([true, true]);
  });
});

describe('sim noise', () => {
  it('hits about 5% of inputs, keyed by the input only', () => {
    const keys = Array.from({ length: 2000 }, (_, i) => `input number ${i}`);
    const rate = keys.filter((k) => isNoisy(k)).length / keys.length;
    expect(rate).toBeGreaterThan(NOISE_RATE / 2);
    expect(rate).toBeLessThan(NOISE_RATE * 2);
    expect(keys.filter((k) => isNoisy(k, 'intent')).length).not.toBe(keys.filter((k) => isNoisy(k)).length);
  });

  it('confuses a label with one sharing words with it', () => {
    expect(confusableLabel('card_arrival', ['card_arrival', 'card_delivery_estimate', 'exchange_rate'], 'x')).toBe('card_delivery_estimate');
    expect(confusableLabel('SearchCreativeWork', ['SearchCreativeWork', 'SearchScreeningEvent', 'PlayMusic'], 'y')).toBe('SearchScreeningEvent');
  });

  it('rules override the noise; without them some inputs get a confusable label', async () => {
    const banking = await loadExample('banking77');
    const prompt = banking.spec.prompt.text.replace('Query: {{query}}', 'Answer with only the label, nothing else.\n\nQuery: {{query}}');
    const noisy = banking.cases.filter((c) => isNoisy(String(c.vars.query)) && !String(c.vars.query).includes('"'));
    expect(noisy.length).toBeGreaterThan(5);
    const without = await evaluate(banking, prompt, noisy);
    expect(without.score).toBeLessThan(0.2);
    const rules = [...noisy]
      .sort((a, b) => String(b.vars.query).length - String(a.vars.query).length) // longest first: no input hides in another
      .map((c) => `"${String(c.vars.query).toLowerCase()}" -> ${String(c.expected)}`)
      .join('\n');
    const withRules = await evaluate(banking, prompt.replace('Query: {{query}}', `${rules}\n\nQuery: {{query}}`), noisy);
    expect(withRules.score).toBe(1);
  });
});

describe('sim extraction target on the snips example: instructions raise the custom assertion', () => {
  let snips: Task;
  let cases: SplitCase[];
  beforeAll(async () => {
    snips = await loadExample('snips-extraction');
    cases = casesOf(snips, 'train', 80);
  });

  it('start < + format and intents < + slot names per intent < + rules', async () => {
    const start = snips.spec.prompt.text;
    const add = (lines: string) => start.replace('Query: {{input}}', `${lines}\n\nQuery: {{input}}`);
    const listed = add(`${INTENTS}\n${ONLY_JSON}`);
    const slots = add(
      [
        INTENTS,
        'Slots for PlayMusic: artist, service, music_item, year',
        'Slots for SearchCreativeWork: object_name, object_type',
        'Slots for GetWeather: timeRange, city, state, country',
        'Slots for BookRestaurant: restaurant_type, party_size_number, timeRange, city, state',
        'Slots for SearchScreeningEvent: movie_name, object_type, timeRange',
        'Slots for RateBook: rating_value, object_name, best_rating',
        'Slots for AddToPlaylist: playlist, artist, music_item',
        ONLY_JSON,
      ].join('\n'),
    );
    const rules = slots.replace(
      ONLY_JSON,
      [
        ONLY_JSON,
        '"weather" -> GetWeather',
        '"forecast" -> GetWeather',
        '"playlist" -> AddToPlaylist',
        '"rate" -> RateBook',
        '"table" -> BookRestaurant',
        '"restaurant" -> BookRestaurant',
        '"movie" -> SearchScreeningEvent',
        'slot music_item: "song", "album", "track", "tune"',
        'slot playlist_owner: "my"',
        'slot rating_unit: "points", "stars"',
        'slot artist: after "by"',
      ].join('\n'),
    );
    const passRates: number[] = [];
    const checkScores: number[] = [];
    for (const prompt of [start, listed, slots, rules]) {
      const run = await evaluate(snips, prompt, cases);
      passRates.push(run.score);
      const scores = run.results.map((r) => r.samples[0]!.assertions.find((a) => a.type === 'javascript')!.score);
      checkScores.push(scores.reduce((a, b) => a + b, 0) / scores.length);
    }
    expect(passRates[0]).toBe(0);
    expect(checkScores[0]).toBeLessThan(0.02);
    for (let i = 1; i < checkScores.length; i++) expect(checkScores[i]!).toBeGreaterThan(checkScores[i - 1]! + 0.05);
    expect(passRates[2]!).toBeGreaterThan(passRates[1]!);
    expect(passRates[3]!).toBeGreaterThan(passRates[2]!);
  });
});
