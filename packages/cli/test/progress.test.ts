import { describe, expect, it } from 'vitest';
import { Context, type Io } from '../src/context.ts';
import { jobProgress } from '../src/progress.ts';

/** A Context whose stderr is a terminal (live progress bars), capturing what is written. */
function terminalContext() {
  const out = { stderr: '' };
  const output = (isTTY: boolean) => ({
    isTTY,
    columns: 120,
    write(chunk: string) {
      if (!isTTY) return true;
      out.stderr += chunk;
      return true;
    },
  });
  const io: Io = {
    stdout: output(false),
    stderr: output(true),
    env: {},
    signal: new AbortController().signal,
  };
  return { ctx: new Context(io, {}), out };
}

describe('jobProgress on a terminal', () => {
  it('a note before any bar exists is printed at once (a resume waiting for a late batch)', () => {
    const { ctx, out } = terminalContext();
    const progress = jobProgress(ctx);
    try {
      progress.note('chunk 0: no batch of its earlier create is listed yet; waiting');
      // cli-progress prints log lines on its next redraw, and with no bar there is none.
      expect(out.stderr).toContain('chunk 0: no batch of its earlier create is listed yet');
    } finally {
      progress.stop();
    }
  });
});
