import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createEmulator } from '@msgbatch/emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const packageDir = new URL('..', import.meta.url).pathname;
// Inside the package, so that `import '@msgbatch/node'` resolves to this package's build.
const scratch = join(packageDir, '.tmp');

// The example from the API reference, with only its import line changed.
const EXAMPLE = `import Anthropic from '@msgbatch/node';
const client = new Anthropic({ apiKey: 'my-anthropic-api-key' });
const messageBatch = await client.messages.batches.cancel('message_batch_id');
console.log(messageBatch.id);
`;

describe('the documented cancel example', () => {
  const emulator = createEmulator({ clock: 'manual', batchId: () => 'message_batch_id' });
  let url = '';
  let close: () => Promise<void> = async () => {};

  beforeAll(async () => {
    const server = await emulator.listen({ port: 0 });
    url = server.url;
    close = server.close;
    const created = await emulator.fetch(`${url}/v1/messages/batches`, {
      method: 'POST',
      headers: {
        'x-api-key': 'setup-key',
        'anthropic-version': '2023-06-01',
        'content-type': 'application/json',
      },
      body: JSON.stringify({
        requests: [
          {
            custom_id: 'a',
            params: {
              model: 'claude-sonnet-4-5',
              max_tokens: 8,
              messages: [{ role: 'user', content: 'hi' }],
            },
          },
        ],
      }),
    });
    expect(created.status).toBe(200);
    mkdirSync(scratch, { recursive: true });
  });
  afterAll(() => close());

  it('runs unchanged as an ES module and prints the canceled batch id', async () => {
    const file = join(scratch, 'documented-example.mjs');
    writeFileSync(file, EXAMPLE);
    const { stdout } = await run(process.execPath, [file], {
      env: { PATH: process.env.PATH, ANTHROPIC_BASE_URL: url },
    });
    expect(stdout).toBe('message_batch_id\n');
    expect(emulator.store.get('message_batch_id')?.processing_status).toBe('canceling');
  });

  it('loads from CommonJS too, with the client as default and named export', async () => {
    const file = join(scratch, 'documented-example.cjs');
    writeFileSync(
      file,
      `const mod = require('@msgbatch/node');
const Anthropic = mod.default;
if (Anthropic !== mod.Anthropic) throw new Error('default and named exports differ');
new Anthropic({ apiKey: 'my-anthropic-api-key' }).messages.batches.retrieve('message_batch_id')
  .then((b) => console.log(b.id, b.processing_status, typeof Anthropic.NotFoundError));
`,
    );
    const { stdout } = await run(process.execPath, [file], {
      env: { PATH: process.env.PATH, ANTHROPIC_BASE_URL: url },
    });
    expect(stdout).toBe('message_batch_id canceling function\n');
  });
});
