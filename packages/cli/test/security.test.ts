/**
 * Issue 13 for the command line: a redirect from the API address is never followed (the
 * other origin receives nothing), and a server that echoes the key back never gets it onto
 * stdout or stderr, in any form. (The adversarial suite runs the whole matrix.)
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCliIfStale, cliEnv, runCli } from './helpers.ts';

const CANARY = 'sk-ant-api03-CLI-CANARY-0123456789abcdef0123456789abcdef';
const servers: Server[] = [];

async function listen(
  handler: (req: IncomingMessage, echo: string) => [number, Record<string, string>, string],
) {
  const received: string[] = [];
  const server = createServer((req, res) => {
    received.push(`${req.method} ${req.url}`);
    req.resume();
    const [status, headers, body] = handler(req, String(req.headers['x-api-key'] ?? ''));
    res.writeHead(status, headers).end(body);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, received };
}

beforeAll(() => buildCliIfStale());
afterAll(() => Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve)))));

describe('msgbatch and a redirecting API address', () => {
  it.each([301, 302, 307, 308])(
    '%i: exit 1, one line naming the redirect, the other origin untouched',
    async (status) => {
      const other = await listen(() => [200, { 'content-type': 'application/json' }, '{}']);
      const api = await listen((req) => [
        status,
        { location: `${other.url}${req.url}?stolen=1`, 'request-id': 'req_cli_redirect' },
        '',
      ]);
      const run = await runCli(
        ['get', 'msgbatch_1'],
        cliEnv({ ANTHROPIC_API_KEY: CANARY, ANTHROPIC_BASE_URL: api.url }),
      );
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(
        new RegExp(`^msgbatch: ${status} redirect to ${other.url} was not followed`),
      );
      expect(run.stderr).not.toContain('stolen');
      expect(api.received).toHaveLength(1);
      expect(other.received).toEqual([]);
    },
  );
});

describe('msgbatch and a server that echoes the key', () => {
  const forms: Record<string, (key: string) => string> = {
    raw: (k) => k,
    'JSON-escaped': (k) => k.replaceAll('-', '\\u002d'),
    'percent-encoded': (k) => k.replaceAll('-', '%2D'),
    base64: (k) => Buffer.from(k).toString('base64'),
  };
  it.each(Object.keys(forms))(
    '%s: not on stdout or stderr (plain, --json, debug log)',
    async (name) => {
      const form = forms[name]!;
      const api = await listen((req, key) =>
        req.url?.includes('not-json')
          ? [200, { 'request-id': `req_${form(key)}` }, `<html>${form(key)}</html>`]
          : [
              401,
              { 'content-type': 'application/json', 'x-echo': form(key) },
              `{"type":"error","error":{"type":"authentication_error","message":"bad key ${form(key)}"}}`,
            ],
      );
      const env = cliEnv({
        ANTHROPIC_API_KEY: CANARY,
        ANTHROPIC_BASE_URL: api.url,
        MSGBATCH_LOG: 'debug',
      });
      // A job's create answered 401 with the key echoed: not in the output, nor in its manifest.
      const dir = mkdtempSync(join(tmpdir(), 'msgbatch-job-canary-'));
      const requests = join(dir, 'requests.jsonl');
      writeFileSync(
        requests,
        '{"custom_id":"a","params":{"model":"m","max_tokens":1,"messages":[]}}\n',
      );
      const runs = await Promise.all([
        runCli(['get', 'msgbatch_not-json'], env),
        runCli(['get', 'msgbatch_401'], env),
        runCli(['get', 'msgbatch_401', '--json'], env),
        runCli(['job', 'submit', requests, '--json'], env),
      ]);
      const manifest = join(dir, 'requests.job.json');
      const files = [existsSync(manifest) ? readFileSync(manifest, 'utf8') : ''];
      for (const run of runs) {
        expect(run.code).toBe(1);
        files.push(run.stdout + run.stderr);
      }
      for (const output of files) {
        expect(output).not.toContain(form(CANARY));
        expect(output.replaceAll('\\u002d', '-').replaceAll('%2D', '-')).not.toContain(CANARY);
      }
    },
  );
});
