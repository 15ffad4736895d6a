import { execFileSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { BatchCreateParams } from '@msgbatch/core';

const root = join(import.meta.dirname, '..');
/** The built entry the tests load. */
const BUILT = join(root, 'dist/index.js');

function newest(dir: string): number {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return latest;
}

/** Builds dist/ when it is missing or older than src (some tests load the real build). */
export function buildIfStale(): void {
  let built = 0;
  try {
    built = statSync(BUILT).mtimeMs;
  } catch {
    // not built yet
  }
  if (built < newest(join(root, 'src'))) {
    execFileSync('pnpm', ['exec', 'tsup', '--silent'], { cwd: root, stdio: 'inherit' });
  }
}

/** `count` valid requests. */
export function requests(count: number): BatchCreateParams['requests'] {
  return Array.from({ length: count }, (_, i) => ({
    custom_id: `req-${i}`,
    params: {
      model: 'claude-sonnet-4-5',
      max_tokens: 8,
      messages: [{ role: 'user' as const, content: `q${i}` }],
    },
  }));
}
