import { describe, expect, it } from 'vitest';
import { CreateOutcomeUnknownError, UnexpectedRedirectError } from '../../src/errors.ts';
import { sendCreate } from '../../src/operations/create-batch.ts';
import type { StreamedBody } from '../../src/transport/transport.ts';
import { testClient } from '../helpers/fake-fetch.ts';

const text = '{"requests":[{"custom_id":"a","params":{}}]}';
const body: StreamedBody = {
  bytes: text.length,
  stream: () =>
    new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode(text));
        controller.close();
      },
    }),
};

describe('a streamed create answered with a redirect', () => {
  it('is UnexpectedRedirectError, not an unknown outcome, and is not retried', async () => {
    // A streamed body goes with redirect 'error'; Node's fetch (undici) then rejects a 3xx
    // exactly so (seen with undici's fetch against a 307 on 127.0.0.1).
    const redirects: RequestRedirect[] = [];
    const fetch = async (input: RequestInfo | URL) => {
      redirects.push((input as Request).redirect);
      throw new TypeError('fetch failed', { cause: new Error('unexpected redirect') });
    };
    const { client } = testClient(fetch as typeof globalThis.fetch, { maxRetries: 3 });
    const failure = await sendCreate(client.transport, () => ({
      method: 'POST',
      path: '/v1/messages/batches',
      body,
      idempotent: false,
    })).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(UnexpectedRedirectError);
    expect(failure).not.toBeInstanceOf(CreateOutcomeUnknownError);
    expect(redirects).toEqual(['error']);
  });
});
