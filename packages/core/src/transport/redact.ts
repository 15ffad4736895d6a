/**
 * Removes credentials from text that may reach a user: error messages, log
 * lines. The secrets are the exact strings the client was configured with.
 */
export function createRedactor(secrets: readonly (string | null | undefined)[]) {
  const list = secrets.filter((s): s is string => typeof s === 'string' && s.length >= 4);
  return (text: string): string => {
    let out = text;
    for (const secret of list) out = out.split(secret).join('[redacted]');
    return out;
  };
}

/** Turns a function of text into one that removes credentials first. */
export type Redactor = ReturnType<typeof createRedactor>;
