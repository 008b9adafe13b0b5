/**
 * The CLI process's heap policy, set before anything else loads (main.ts imports this first).
 *
 * V8 lets the heap grow to up to 4× what survived the last full collection when a program allocates
 * fast, and promptopt allocates fast (every call renders, hashes, parses and scores). Peak memory then
 * tracks allocation speed rather than what the run keeps: an eval of 100k cases kept ~100 MB and
 * peaked at ~470 MB of heap. A fixed growth of 50% per collection holds the same run near 200 MB for
 * about 7% more CPU (measured in `npm run bench`). A --heap-growing-percent given by the user
 * (node flag or NODE_OPTIONS) wins. In-process runs (runCli, the tests) leave their host's heap alone.
 */
import { setFlagsFromString } from 'node:v8';

const HEAP_GROWING_PERCENT = 50;

const given = [...process.execArgv, process.env.NODE_OPTIONS ?? ''].some((arg) => /heap[-_]growing[-_]percent/.test(arg));
if (!given) setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
