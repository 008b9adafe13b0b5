// The practical floor: the same N requests the CLI makes, with the same concurrency, against the
// same server, with nothing but fetch. Run as its own process (like the CLI) so it does not share
// an event loop with the server. Prints one JSON line: {ms, requests, ok, userMs, systemMs}.
//   node bench/bare-fetch-loop.mjs <openaiBaseUrl> <n> <concurrency> <apiKey>
const [baseUrl, nText, concurrencyText, apiKey] = process.argv.slice(2);
const n = Number(nText);
const concurrency = Number(concurrencyText);

const started = performance.now();
let next = 0;
let ok = 0;
async function worker() {
  while (next < n) {
    const i = next++;
    const response = await fetch(`${baseUrl}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
      body: JSON.stringify({
        model: 'bench-model',
        messages: [{ role: 'user', content: `Classify the sentiment of item case-${i}: review text number ${i}. Reply with one word.` }],
        max_tokens: 16,
      }),
    });
    const body = await response.json();
    if (response.ok && typeof body?.choices?.[0]?.message?.content === 'string') ok += 1;
  }
}
await Promise.all(Array.from({ length: concurrency }, worker));
const ms = performance.now() - started;
const usage = process.resourceUsage();
process.stdout.write(`${JSON.stringify({ ms, requests: n, ok, userMs: usage.userCPUTime / 1000, systemMs: usage.systemCPUTime / 1000 })}\n`);
