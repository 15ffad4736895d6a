import { buildCreateBatch, InvalidArgumentError } from '@msgbatch/core';
import { createEmulator } from '@msgbatch/emulator';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

// The client refuses before sending exactly what the API refuses at create (the emulator's
// create validation, the recordings' judge): the batch envelope. What is inside `params`
// is the API's to judge per request, so the client sends it, and the emulator takes it.

const customId = fc.oneof(
  fc.stringMatching(/^[A-Za-z0-9_-]{1,64}$/),
  fc.constantFrom('', 'a b', 'é', 'x'.repeat(65), 'ok/no'),
  fc.integer(),
);
const params = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.dictionary(fc.string({ maxLength: 12 }), fc.jsonValue({ maxDepth: 2 })),
  },
  fc.record(
    {
      model: fc.oneof(fc.constant('claude-sonnet-4-5'), fc.jsonValue({ maxDepth: 1 })),
      max_tokens: fc.oneof(fc.integer({ min: -2, max: 64 }), fc.string()),
      messages: fc.oneof(
        fc.constant([{ role: 'user', content: 'hi' }]),
        fc.jsonValue({ maxDepth: 1 }),
      ),
      stream: fc.boolean(),
      inference_geo: fc.constant('us'),
    },
    { requiredKeys: [] },
  ),
  fc.constantFrom(null, [], 'params', 3),
);
const item = fc.oneof(
  { weight: 6, arbitrary: fc.record({ custom_id: customId, params }) },
  fc.record({ custom_id: customId }),
  fc.record({ params }),
  fc.record({ custom_id: customId, params, extra: fc.jsonValue({ maxDepth: 1 }) }),
  fc.constantFrom(null, 'request', 1),
);
const body = fc.oneof(
  { weight: 8, arbitrary: fc.record({ requests: fc.array(item, { maxLength: 4 }) }) },
  fc.record({ requests: fc.array(item, { maxLength: 3 }), other: fc.jsonValue({ maxDepth: 1 }) }),
  fc.record({ requests: fc.jsonValue({ maxDepth: 1 }) }),
  fc.constant({}),
);

const emulator = createEmulator({ clock: 'manual', rateLimit: false });

async function emulatorRefuses(value: unknown): Promise<boolean> {
  const response = await emulator.fetch('http://emulator.test/v1/messages/batches', {
    method: 'POST',
    headers: { 'x-api-key': 'k', 'anthropic-version': '2023-06-01' },
    body: JSON.stringify(value),
  });
  await response.body?.cancel();
  expect([200, 400]).toContain(response.status);
  return response.status === 400;
}

function clientRefuses(value: unknown): boolean {
  try {
    buildCreateBatch(value as never);
    return false;
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidArgumentError);
    return true;
  }
}

describe('create: the client pre-send checks and the API (emulator) create refusals agree', () => {
  it('refuses the same bodies, accepts the same bodies', async () => {
    await fc.assert(
      fc.asyncProperty(body, async (value) => {
        expect(clientRefuses(value)).toBe(await emulatorRefuses(value));
      }),
      { numRuns: 400 },
    );
  });

  it('a request without messages is accepted by both and errors per request', async () => {
    const value = { requests: [{ custom_id: 'a', params: { model: 'claude-x', max_tokens: 8 } }] };
    expect(clientRefuses(value)).toBe(false);
    expect(await emulatorRefuses(value)).toBe(false);
  });
});
