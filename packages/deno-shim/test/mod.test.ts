/**
 * The Deno defaults: the environment is read only when `--allow-env` was granted,
 * and without it (or a credential in the options) the error says what to do.
 */
import { Anthropic, denoDefaults } from '../mod.ts';

function assertEquals(actual: unknown, expected: unknown, message: string): void {
  if (actual !== expected) throw new Error(`${message}: expected ${expected}, got ${actual}`);
}

Deno.test({
  name: 'reads ANTHROPIC_* when --allow-env is granted',
  permissions: { env: true },
  fn() {
    Deno.env.set('ANTHROPIC_API_KEY', 'sk-from-env');
    Deno.env.set('ANTHROPIC_BASE_URL', 'http://emulator.test');
    try {
      const resolved = denoDefaults();
      assertEquals(resolved.apiKey, 'sk-from-env', 'apiKey');
      assertEquals(resolved.baseURL, 'http://emulator.test', 'baseURL');
      assertEquals(denoDefaults({ apiKey: 'sk-given' }).apiKey, 'sk-given', 'options win');
    } finally {
      Deno.env.delete('ANTHROPIC_API_KEY');
      Deno.env.delete('ANTHROPIC_BASE_URL');
    }
  },
});

Deno.test({
  name: 'without --allow-env: options are required, and the error says so',
  permissions: { env: false },
  fn() {
    let error: unknown;
    try {
      new Anthropic();
    } catch (caught) {
      error = caught;
    }
    assertEquals((error as Error | undefined)?.name, 'InvalidArgumentError', 'error name');
    const message = (error as Error).message;
    assertEquals(message.includes('--allow-env'), true, `names the flag: ${message}`);
    assertEquals(message.includes('apiKey'), true, `names the option: ${message}`);
  },
});

Deno.test({
  name: 'without --allow-env: given options are enough, and nothing prompts',
  permissions: { env: false },
  fn() {
    const client = new Anthropic({ apiKey: 'sk-given', baseURL: 'http://emulator.test' });
    assertEquals(typeof client.messages.batches.cancel, 'function', 'client built');
    assertEquals(Deno.permissions.querySync({ name: 'env' }).state, 'prompt', 'still not granted');
  },
});
