import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * vitest global setup of every package: the run gets a temporary directory of its own, as
 * `TMPDIR` (which `os.tmpdir()` reads on each call, and the test processes and the commands
 * they spawn inherit), removed when the run ends. Tests make their files with `mkdtemp`
 * under it and need not clean up one by one; before, every run left hundreds of
 * directories in the machine's /tmp.
 */
export default function setup(): () => void {
  const previous = process.env.TMPDIR;
  const dir = mkdtempSync(join(tmpdir(), 'msgbatch-test-run-'));
  process.env.TMPDIR = dir;
  return () => {
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
    rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
  };
}
