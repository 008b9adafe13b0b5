/** Types of scripts/build.mjs, for the tests' global setup (test/support/fresh-build.ts). */
export function staleness(): string | undefined;
export function build(): { status: number; output: string };
