/**
 * vitest's global setup: tests run the BUILT code (what they import from src/ resolves to dist/, see
 * vitest.config.ts, and the e2e tests spawn bin/promptopt.js), so dist/ must be what src/ says. When
 * it is not (a source newer than its output or without one, an output whose source is gone, the
 * build's configuration changed: scripts/build.mjs decides), it is built here first, in place, about
 * 2 s; a type error fails the run (tsc then emits nothing, so the next run tries again). `npm ci`
 * builds too (prepare), so a fresh clone's `npm test` finds dist/ current.
 */
import { build, staleness } from '../../scripts/build.mjs';

export function setup(): void {
  const why = staleness();
  if (why === undefined) return;
  console.log(`[tests] building dist/ first (npm run build): ${why}`);
  const result = build();
  if (result.status !== 0) throw new Error(`the build failed (npm run build):\n${result.output}`);
}
