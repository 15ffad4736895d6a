/**
 * The transport never follows a redirect. These use a scripted fetch; the matrix over real
 * servers on 127.0.0.1 (every 3xx × every operation, the other origin counted) is in
 * adversarial/test/redirects.test.ts.
 */
import { expect, it } from 'vitest';
import { APIError, MsgbatchClient, UnexpectedRedirectError } from '../src/index.ts';
import { scriptedFetch, testClient } from './helpers/fake-fetch.ts';

it('is a static property of the client class', () => {
  expect(MsgbatchClient.UnexpectedRedirectError).toBe(UnexpectedRedirectError);
});

it('sends one request only, even when x-should-retry says true', async () => {
  const { fetch, requests: sent } = scriptedFetch(
    new Response(null, {
      status: 307,
      headers: { location: '/elsewhere', 'x-should-retry': 'true' },
    }),
  );
  const { client } = testClient(fetch, { maxRetries: 5 });
  const error = await client.messages.batches.retrieve('msgbatch_1').catch((e: unknown) => e);
  expect(error).toBeInstanceOf(UnexpectedRedirectError);
  expect(error).toBeInstanceOf(APIError);
  expect((error as UnexpectedRedirectError).location).toBe('http://127.0.0.1:9');
  expect(sent).toHaveLength(1);
});

it('asks fetch not to follow (redirect: manual)', async () => {
  let mode: RequestRedirect | undefined;
  const fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
    mode = new Request(input, init).redirect;
    return new Response('{}', { status: 200 });
  }) as typeof globalThis.fetch;
  const { client } = testClient(fetch);
  await client.messages.batches.retrieve('msgbatch_1').catch(() => {});
  expect(mode).toBe('manual');
});

it("maps a browser's opaque redirect (status 0) to UnexpectedRedirectError", async () => {
  const opaque = () => {
    const response = new Response(null, { status: 200 });
    Object.defineProperties(response, {
      type: { value: 'opaqueredirect' },
      status: { value: 0 },
      ok: { value: false },
    });
    return response;
  };
  const { fetch, requests: sent } = scriptedFetch(opaque);
  const { client } = testClient(fetch, { maxRetries: 3 });
  const error = await client.messages.batches.cancel('msgbatch_1').catch((e: unknown) => e);
  expect(error).toBeInstanceOf(UnexpectedRedirectError);
  expect((error as UnexpectedRedirectError).status).toBe(0);
  expect((error as UnexpectedRedirectError).location).toBeNull();
  expect(sent).toHaveLength(1);
});

it('refuses fetchOptions that ask to follow redirects, before sending', async () => {
  const { fetch, requests: sent } = scriptedFetch(new Response('{}'));
  const { client } = testClient(fetch);
  const error = await client.messages.batches
    .retrieve('msgbatch_1', { fetchOptions: { redirect: 'follow' } })
    .catch((e: unknown) => e);
  expect((error as { argument?: string }).argument).toBe('fetchOptions.redirect');
  expect(sent).toHaveLength(0);
});
