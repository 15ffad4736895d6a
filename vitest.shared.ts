import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/**
 * The vitest settings every package shares. When run from `pnpm test:all`, each
 * package also writes a JSON report that the script adds up into one summary line.
 * No test may depend on the machine's speed: the default budget holds on a loaded
 * 2-core machine (`node scripts/with-load.mjs …` runs a command beside busy processes).
 */
export function packageConfig(
  name: string,
  test: Record<string, unknown> = {},
  rest: Record<string, unknown> = {},
) {
  const reports = process.env.MSGBATCH_TEST_REPORTS;
  return defineConfig({
    ...rest,
    test: {
      include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
      // vitest's 5 s default is a speed test on a loaded 2-core machine; a hung test
      // still fails, after 30 s. A package or a test may ask for more, never less.
      testTimeout: 30_000,
      hookTimeout: 30_000,
      // Each run's temporary files live in a directory of its own, removed at the end.
      globalSetup: [fileURLToPath(new URL('./vitest.tmpdir.ts', import.meta.url))],
      reporters: reports ? ['default', 'json'] : ['default'],
      outputFile: reports ? { json: join(reports, `${name}.json`) } : undefined,
      ...test,
    },
  });
}
