// Loaded with `node --import` into the CLI under benchmark: when the process exits, writes
// {"maxRssKb", "userMs", "systemMs", "maxRssAnonKb", "maxRssFileKb"} to $PROMPTOPT_BENCH_RSS_FILE.
// maxRssKb is the kernel's peak (process.resourceUsage().maxRSS, what `time -v` reports). On Linux
// the preload also samples /proc/self/status every 100 ms for the peaks of its two parts: anonymous
// memory (the JS heap, buffers) and file-backed pages (mapped files: the LMDB response cache, code).
// No other effect.
import { readFileSync, writeFileSync } from 'node:fs';

const file = process.env.PROMPTOPT_BENCH_RSS_FILE;
if (file) {
  const peaks = { anon: 0, file: 0 };
  const sample = () => {
    try {
      const status = readFileSync('/proc/self/status', 'utf8');
      peaks.anon = Math.max(peaks.anon, Number(/^RssAnon:\s+(\d+)/m.exec(status)?.[1] ?? 0));
      peaks.file = Math.max(peaks.file, Number(/^RssFile:\s+(\d+)/m.exec(status)?.[1] ?? 0));
    } catch {
      // not Linux: only maxRssKb
    }
  };
  setInterval(sample, 100).unref();
  process.on('exit', () => {
    sample();
    const usage = process.resourceUsage();
    writeFileSync(
      file,
      JSON.stringify({
        maxRssKb: usage.maxRSS,
        userMs: usage.userCPUTime / 1000,
        systemMs: usage.systemCPUTime / 1000,
        ...(peaks.anon ? { maxRssAnonKb: peaks.anon, maxRssFileKb: peaks.file } : {}),
      }),
    );
  });
}
