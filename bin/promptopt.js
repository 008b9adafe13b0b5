#!/usr/bin/env node
// Loads the compiled CLI. `npm install` in a clone runs `prepare`, which builds dist/.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const entry = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'cli', 'main.js');
if (!existsSync(entry)) {
  process.stderr.write('promptopt: dist/ is missing. Run `npm run build` (or `npm install`) in the promptopt folder first.\n');
  process.exit(2);
}
await import(entry);
