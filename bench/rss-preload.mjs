// Loaded with `node --import` into the CLI under benchmark: when the process exits, writes
// {"maxRssKb", "userMs", "systemMs"} (from process.resourceUsage()) to $PROMPTOPT_BENCH_RSS_FILE.
// No other effect.
import { writeFileSync } from 'node:fs';

const file = process.env.PROMPTOPT_BENCH_RSS_FILE;
if (file) {
  process.on('exit', () => {
    const usage = process.resourceUsage();
    writeFileSync(file, JSON.stringify({ maxRssKb: usage.maxRSS, userMs: usage.userCPUTime / 1000, systemMs: usage.systemCPUTime / 1000 }));
  });
}
