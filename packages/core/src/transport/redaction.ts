import { failures } from '#failures';
import type { createRedactor, Redactor } from './redact.ts';

// The client's redaction, apart from the code that builds its patterns (redact.ts): that code
// loads with the failure path (http-error.ts hands it over as it loads), so a page that cancels
// without a failure never downloads it (scripts/size.mjs). Everything that redacts loads the
// failure path first (`throwRedacted`, the failure module itself), and a transport that logs
// its requests awaits `redactorReady` before its first line.

let build: typeof createRedactor | undefined;

/** Hands over the code that builds redactors: the failure module does, as it loads. */
export function installRedactor(builder: typeof createRedactor): void {
  build = builder;
}

/** Resolves once {@link laterRedactor}s can redact: the failure module has loaded. */
export const redactorReady = (): Promise<unknown> => failures();

/**
 * A redactor of `secrets` (and of what `more()` returns at each call: a token that rotates),
 * as `createRedactor` makes, built on first use. Before the failure module has loaded, it
 * returns `[redacted]` for any text: it never returns a credential.
 */
export function laterRedactor(
  secrets: readonly (string | null | undefined)[],
  more?: () => readonly string[],
): Redactor {
  let fixed: Redactor | undefined;
  return (text) => {
    if (!build) return '[redacted]';
    fixed ??= build(secrets);
    return more ? build(more())(fixed(text)) : fixed(text);
  };
}

/**
 * Throws `error` without the credential (see `redactError`), loading that code only now:
 * it is needed on the failure path alone.
 */
export async function throwRedacted(
  error: unknown,
  redact: (text: string) => string,
): Promise<never> {
  const { redactError } = await failures();
  throw redactError(error, redact);
}
