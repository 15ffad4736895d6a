import { join } from 'node:path';
import { defineConfig } from 'vitest/config';

/**
 * The vitest settings every package shares. When run from `pnpm test:all`, each
 * package also writes a JSON report that the script adds up into one summary line.
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
      reporters: reports ? ['default', 'json'] : ['default'],
      outputFile: reports ? { json: join(reports, `${name}.json`) } : undefined,
      ...test,
    },
  });
}
