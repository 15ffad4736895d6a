/**
 * What every adversarial test shares: real servers on 127.0.0.1, the canary key, every
 * text form of an error, the echo forms, and the counts each file reports.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { inspect } from 'node:util';

/** A key nobody else holds; found anywhere it should not be, it is a leak. */
export const CANARY = `sk-ant-api03-ADVERSARY-${randomBytes(16).toString('hex')}-AA`;

export const ROOT = join(import.meta.dirname, '..', '..');

/** The built command line: `@msgbatch/cli`'s launcher, once its build exists. */
export const CLI = existsSync(join(ROOT, 'packages', 'cli', 'dist', 'cli.js'))
  ? join(ROOT, 'packages', 'cli', 'bin', 'msgbatch.js')
  : undefined;

/** A server on 127.0.0.1 that records every request it receives. */
export interface TestServer {
  url: string;
  /** Requests received: method, path, headers. */
  received: { method: string; url: string; headers: IncomingMessage['headers'] }[];
  close(): Promise<void>;
}

export async function listen(listener: RequestListener): Promise<TestServer> {
  const received: TestServer['received'] = [];
  const server: Server = createServer((req, res) => {
    received.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
    listener(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The forms a server can echo a key in. README "What is redacted" lists the same. */
export const ECHO_FORMS: Record<string, (key: string) => string> = {
  raw: (k) => k,
  'JSON \\u escapes (every character)': (k) =>
    [...k].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).join(''),
  'JSON \\u002d (dashes only)': (k) => k.replaceAll('-', '\\u002d'),
  'percent-encoded (every character)': (k) =>
    [...k].map((c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`).join(''),
  'percent-encoded (dashes only, lower case)': (k) => k.replaceAll('-', '%2d'),
  base64: (k) => Buffer.from(k).toString('base64'),
  'base64, offset by one byte': (k) => Buffer.from(`:${k}`).toString('base64'),
  'base64, offset by two bytes': (k) => Buffer.from(`::${k}`).toString('base64'),
  base64url: (k) => Buffer.from(`?${k}`).toString('base64url'),
};

/** Occurrences of the key in `text`: raw, in any echo form, or once JSON/percent escapes are undone. */
export function occurrences(text: string, key = CANARY): number {
  let found = 0;
  const decoded = decode(text);
  for (const form of Object.values(ECHO_FORMS)) {
    found += text.split(form(key)).length - 1;
  }
  found += decoded.split(key).length - 1 - (text.split(key).length - 1);
  return found;
}

function decode(text: string): string {
  const unescaped = text.replace(/\\u([0-9a-fA-F]{4})/g, (_, h) =>
    String.fromCharCode(Number.parseInt(h, 16)),
  );
  return unescaped.replace(/%([0-9a-fA-F]{2})/g, (_, h) =>
    String.fromCharCode(Number.parseInt(h, 16)),
  );
}

/** Every text form of an error a user or a log pipeline may see, its whole cause chain included. */
export function textsOf(error: unknown): string[] {
  const texts = [String(error), JSON.stringify(error) ?? '', inspect(error, { depth: 10 })];
  for (let e: any = error, depth = 0; e && depth < 12; e = e.cause, depth++) {
    texts.push(String(e), String(e?.stack), JSON.stringify(e) ?? '');
    texts.push(inspect(e, { depth: 10, showHidden: true }));
  }
  return texts;
}

/** Runs the built CLI with only the given environment; resolves its exit code and output. */
export function runCli(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number; stdout: string; stderr: string }> {
  if (!CLI) throw new Error('the CLI is not built: run the build first');
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [CLI, ...args],
      { env: { PATH: process.env.PATH ?? '', ...env }, timeout: 20_000 },
      (error, stdout, stderr) => {
        const code = error ? Number((error as { code?: number }).code ?? 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/**
 * Writes a file's counts to `$MSGBATCH_ADVERSARIAL_REPORT/<name>.json` when that variable
 * is set (`pnpm reliability` sets it and adds the counts up).
 */
export function report(name: string, counts: Record<string, number | string | boolean>) {
  const dir = process.env.MSGBATCH_ADVERSARIAL_REPORT;
  if (!dir) return;
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${name}.json`), `${JSON.stringify(counts, null, 2)}\n`);
}

/** `count` valid create requests (their prompts are what a followed 307/308 would carry away). */
export function requests(count: number) {
  return Array.from({ length: count }, (_, i) => ({
    custom_id: `r-${i}`,
    params: {
      model: 'claude-sonnet-4-5',
      max_tokens: 8,
      messages: [{ role: 'user' as const, content: `secret prompt ${i}` }],
    },
  }));
}
