import * as v from 'valibot';
import { expect } from 'vitest';
import { createEmulator, type Emulator, type EmulatorOptions } from '../src/index.ts';

/** Headers the official SDK sends. */
export const HEADERS = {
  'x-api-key': 'sk-test',
  'anthropic-version': '2023-06-01',
  'content-type': 'application/json',
};

/** A valid batch request. */
export const request = (customId: string, params: Record<string, unknown> = {}) => ({
  custom_id: customId,
  params: {
    model: 'claude-sonnet-4-5',
    max_tokens: 64,
    messages: [{ role: 'user', content: `Hello ${customId}` }],
    ...params,
  },
});

/** `n` valid requests `r0..r{n-1}`. */
export const requests = (n: number) => Array.from({ length: n }, (_, i) => request(`r${i}`));

/** A manual-clock emulator plus a small HTTP helper. */
export function setup(options: EmulatorOptions = {}) {
  const emulator: Emulator = createEmulator({ clock: 'manual', seed: 'test', ...options });
  const call = (
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = HEADERS,
  ) =>
    emulator.fetch(`http://localhost${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
  const create = async (items: unknown[]) => {
    const response = await call('POST', '/v1/messages/batches', { requests: items });
    expect(response.status).toBe(200);
    return (await response.json()) as { id: string } & Record<string, unknown>;
  };
  const retrieve = async (id: string) =>
    (await (await call('GET', `/v1/messages/batches/${id}`)).json()) as Record<string, any>;
  const results = async (id: string) => {
    const response = await call('GET', `/v1/messages/batches/${id}/results`);
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(text.endsWith('\n')).toBe(true);
    return text
      .slice(0, -1)
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, any>);
  };
  return { emulator, call, create, retrieve, results };
}

/** Expects `value` to pass `schema` (core's wire schemas), showing the issues if not. */
export function expectValid(schema: v.GenericSchema, value: unknown): void {
  const result = v.safeParse(schema, value);
  expect(result.issues?.map((i) => `${v.getDotPath(i)}: ${i.message}`) ?? []).toEqual([]);
}

/** Reads an error body and checks it carries the response's request id. */
export async function errorOf(response: Response) {
  const body = (await response.json()) as {
    type: string;
    error: { type: string; message: string };
    request_id: string;
  };
  expect(body.type).toBe('error');
  expect(body.request_id).toBe(response.headers.get('request-id'));
  return body.error;
}
