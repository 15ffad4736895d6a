import { tmpdir } from 'node:os';
import { basename } from 'node:path';
import { describe, expect, it } from 'vitest';

// vitest.tmpdir.ts gives each run a temporary directory of its own, removed at its end, so
// the hundreds of mkdtemp directories the suites make do not pile up in the machine's /tmp.
describe('the test run', () => {
  it("puts temporary files in a directory of the run's own", () => {
    expect(basename(tmpdir())).toMatch(/^msgbatch-test-run-/);
    expect(process.env.TMPDIR).toBe(tmpdir());
  });
});
