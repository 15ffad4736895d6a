/**
 * The client's redactor builds its patterns with code that loads with the failure path
 * (transport/redaction.ts). Before that code has loaded it hides the whole text, and a client
 * that logs its requests waits for it, so that every line is redacted and none is lost.
 * Its own file: each test starts from fresh modules, the failure module not loaded.
 */
import { beforeEach, expect, it, vi } from 'vitest';

// A fresh copy of the modules for each test: the failure module not loaded yet.
beforeEach(() => {
  vi.resetModules();
});

const KEY = 'sk-ant-api03-canary-SECRET-key-000';

it('hides the whole text until its code has loaded, then only the credential', async () => {
  const { laterRedactor, redactorReady } = await import('../src/transport/redaction.ts');
  const redact = laterRedactor([KEY], () => ['token-0123456789abcdef']);
  expect(redact(`key ${KEY}`)).toBe('[redacted]');
  expect(redact('nothing secret')).toBe('[redacted]');
  await redactorReady();
  expect(redact(`key ${KEY} and token-0123456789abcdef`)).toBe('key [redacted] and [redacted]');
  expect(redact(`key ${encodeURIComponent(KEY).replaceAll('-', '%2D')}`)).toBe('key [redacted]');
  expect(redact('nothing secret')).toBe('nothing secret');
});

it('logs a request at debug before any failure: the line is there, redacted', async () => {
  const { batch, json, scriptedFetch, testClient } = await import('./helpers/fake-fetch.ts');
  const lines: string[] = [];
  const log = (line: string) => lines.push(line);
  const { fetch } = scriptedFetch(json(batch({ id: `msgbatch_${KEY}` })));
  const { client } = testClient(fetch, {
    logLevel: 'debug',
    logger: { debug: log, info: log, warn: log, error: log },
  });
  await client.messages.batches.cancel(`msgbatch_${KEY}`);
  expect(lines.join('\n')).not.toContain(KEY);
  expect(lines[0]).toBe(
    '[msgbatch] POST /v1/messages/batches/msgbatch_[redacted]/cancel (attempt 1)',
  );
  expect(lines[1]).toMatch(
    /^\[msgbatch\] POST \/v1\/messages\/batches\/msgbatch_\[redacted\]\/cancel → 200/,
  );
});
