import { errorBody, errorResponse, requestTooLarge } from './errors.ts';
import type { Fault } from './faults.ts';

const ERROR_TYPES: Record<number, [string, string]> = {
  400: ['invalid_request_error', 'Invalid request'],
  401: ['authentication_error', 'Authentication error'],
  // The documented 402; the message is the one the API gives when credit runs out.
  402: [
    'billing_error',
    'Your credit balance is too low to access the Anthropic API. Please go to Plans & Billing to upgrade or purchase credits.',
  ],
  403: ['permission_error', 'Permission denied'],
  404: ['not_found_error', 'Not found'],
  408: ['timeout_error', 'Request timeout'],
  409: ['conflict_error', 'Conflict'],
  429: ['rate_limit_error', 'Rate limited'],
  500: ['api_error', 'Internal server error'],
  503: ['api_error', 'Service unavailable'],
  504: ['timeout_error', 'Request timeout'],
  529: ['overloaded_error', 'Overloaded'],
};

/** What a gateway in front of the API answers for 502: HTML, not JSON. */
const BAD_GATEWAY_HTML =
  '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n' +
  '<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>cloudflare</center>\r\n</body>\r\n</html>\r\n';

/**
 * The response of a `status` fault: the given body, or the API's envelope (HTML for 502,
 * the edge's bare body without API headers for 413).
 */
export function statusFaultResponse(
  fault: Extract<Fault, { type: 'status' }>,
  requestId: string,
): Response {
  let response: Response;
  if (fault.body !== undefined) {
    const isText = typeof fault.body === 'string';
    response = new Response(isText ? (fault.body as string) : JSON.stringify(fault.body), {
      status: fault.status,
      headers: { 'content-type': isText ? 'text/plain; charset=utf-8' : 'application/json' },
    });
  } else if (fault.status === 413) {
    response = requestTooLarge();
  } else if (fault.status === 502) {
    response = new Response(BAD_GATEWAY_HTML, {
      status: 502,
      headers: { 'content-type': 'text/html' },
    });
  } else {
    const [type, message] = ERROR_TYPES[fault.status] ?? ['api_error', 'Internal server error'];
    response = errorResponse(fault.status, type, message, requestId);
  }
  for (const [name, value] of Object.entries(fault.headers ?? {}))
    response.headers.set(name, value);
  return response;
}

function rebody(response: Response, body: ReadableStream<Uint8Array>): Response {
  const headers = new Headers(response.headers);
  headers.delete('content-length');
  return new Response(body, { status: response.status, statusText: response.statusText, headers });
}

/** Passes `limit` bytes of `source`, then `onLimit` decides what the stream does. */
function cutAfter(
  source: ReadableStream<Uint8Array>,
  limit: number,
  onLimit: (controller: ReadableStreamDefaultController<Uint8Array>) => Promise<void> | void,
  onCancel?: () => void,
): ReadableStream<Uint8Array> {
  const reader = source.getReader();
  let sent = 0;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        if (sent >= limit) return onLimit(controller);
        const { done, value } = await reader.read();
        if (done) return controller.close();
        const part = value.subarray(0, limit - sent);
        sent += part.byteLength;
        controller.enqueue(part);
      },
      cancel(reason) {
        onCancel?.();
        return reader.cancel(reason);
      },
    },
    { highWaterMark: 0 },
  );
}

/** Sends `limit` bytes, then waits until the reader cancels (an aborted client). */
function stallAfter(source: ReadableStream<Uint8Array>, limit: number): ReadableStream<Uint8Array> {
  let wake: () => void = () => {};
  const stalled = new Promise<void>((resolve) => {
    wake = resolve;
  });
  return cutAfter(
    source,
    limit,
    () => stalled,
    () => wake(),
  );
}

function textTransform(
  edit: (text: string, last: boolean) => string,
): TransformStream<Uint8Array, Uint8Array> {
  const decoder = new TextDecoder();
  const encoder = new TextEncoder();
  return new TransformStream({
    transform(chunk, controller) {
      const out = edit(decoder.decode(chunk, { stream: true }), false);
      if (out) controller.enqueue(encoder.encode(out));
    },
    flush(controller) {
      const out = edit(decoder.decode(), true);
      if (out) controller.enqueue(encoder.encode(out));
    },
  });
}

function insertLine(afterLines: number, line: string) {
  let seen = 0;
  let inserted = false;
  let endsWithNewline = true;
  return textTransform((text, last) => {
    if (text) endsWithNewline = text.endsWith('\n');
    if (inserted) return text;
    if (afterLines === 0) {
      inserted = true;
      return `${line}\n${text}`;
    }
    let at = -1;
    while (seen < afterLines) {
      at = text.indexOf('\n', at + 1);
      if (at === -1) break;
      seen++;
    }
    if (seen === afterLines && at !== -1) {
      inserted = true;
      return `${text.slice(0, at + 1)}${line}\n${text.slice(at + 1)}`;
    }
    if (!last) return text;
    // Past the last line: appended as a line of its own, never after a blank one.
    return endsWithNewline ? `${text}${line}\n` : `${text}\n${line}`;
  });
}

function violate(body: unknown): unknown {
  if (typeof body !== 'object' || body === null) return { type: 12345 };
  const object = body as Record<string, unknown>;
  if ('processing_status' in object) return { ...object, request_counts: 'not-an-object' };
  if ('data' in object) return { ...object, has_more: 'yes' };
  if (object.type === 'error') return { ...object, error: 'not-an-object' };
  return { ...object, id: 12345, type: 12345 };
}

function replaceFirstLine(line: string) {
  let replaced = false;
  return textTransform((text, last) => {
    if (replaced) return text;
    const at = text.indexOf('\n');
    if (at !== -1) {
      replaced = true;
      return line + text.slice(at);
    }
    return last ? line : '';
  });
}

/** Applies a body fault (truncate, stall, malformed line, schema violation) to a response. */
export async function applyBodyFault(response: Response, fault: Fault): Promise<Response> {
  if (!response.body) return response;
  switch (fault.type) {
    case 'truncate':
      return rebody(
        response,
        cutAfter(response.body, fault.afterBytes, (c) =>
          c.error(new TypeError('terminated: the emulator cut the body short')),
        ),
      );
    case 'stall':
      return rebody(response, stallAfter(response.body, fault.afterBytes));
    case 'malformed-line': {
      const line = fault.text ?? '{"custom_id":"malformed","result":{"type":';
      return rebody(response, response.body.pipeThrough(insertLine(fault.afterLines ?? 0, line)));
    }
    case 'schema-violation': {
      if (response.headers.get('content-type')?.includes('jsonl')) {
        const line = '{"custom_id":12345,"result":{"type":"canceled"}}';
        return rebody(response, response.body.pipeThrough(replaceFirstLine(line)));
      }
      const text = await response.text();
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = errorBody('api_error', text, null);
      }
      const headers = new Headers(response.headers);
      headers.delete('content-length');
      return new Response(JSON.stringify(violate(parsed)), { status: response.status, headers });
    }
    default:
      return response;
  }
}
