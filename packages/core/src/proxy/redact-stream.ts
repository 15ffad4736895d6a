import { secretPatterns } from '../transport/redact.ts';

/**
 * A body with the credential removed in every form `createRedactor` knows, as it
 * streams. Complete lines go out as they arrive (a JSON line cannot hold an occurrence
 * across its newline); a line longer than 1 MiB goes out in pieces, each holding back the
 * few hundred characters that could still start an occurrence. For the proxy's relayed
 * results; the body must be UTF-8 text.
 */
export function redactStream(
  body: ReadableStream<Uint8Array>,
  secrets: readonly (string | null | undefined)[],
): ReadableStream<Uint8Array> {
  const list = [
    ...new Set(secrets.filter((s): s is string => typeof s === 'string' && s.length >= 4)),
  ];
  if (list.length === 0) return body;
  const pattern = new RegExp(list.flatMap(secretPatterns).join('|'), 'g');
  // The longest text one occurrence can take: 12 characters per character (4 UTF-8 bytes
  // percent-encoded), which also bounds the base64 forms.
  const hold = Math.max(...list.map((s) => s.length)) * 12;
  const decoder = new TextDecoder();
  const encoder = new TextEncoder();
  let pending = '';
  /** Sends what precedes `limit`, redacted; an occurrence that starts before it goes whole. */
  const send = (limit: number, controller: TransformStreamDefaultController<Uint8Array>) => {
    let cut = limit;
    let out = '';
    let from = 0;
    pattern.lastIndex = 0;
    for (let m = pattern.exec(pending); m !== null; m = pattern.exec(pending)) {
      if (m.index >= cut) break;
      out += `${pending.slice(from, m.index)}[redacted]`;
      from = m.index + m[0].length;
      if (from > cut) cut = from;
    }
    out += pending.slice(from, cut);
    pending = pending.slice(cut);
    if (out) controller.enqueue(encoder.encode(out));
  };
  return body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        pending += decoder.decode(chunk, { stream: true });
        const lineEnd = pending.lastIndexOf('\n');
        if (lineEnd >= 0) send(lineEnd + 1, controller);
        else if (pending.length > 1 << 20) send(pending.length - hold, controller);
      },
      flush(controller) {
        pending += decoder.decode();
        send(pending.length, controller);
      },
    }),
  );
}
