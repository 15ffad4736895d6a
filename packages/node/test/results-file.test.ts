import { mkdtempSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  APIUserAbortError,
  MsgbatchClient,
  NotFoundError,
  ResultsMismatchError,
} from '@msgbatch/core';
import { createEmulator } from '@msgbatch/emulator';
import { describe, expect, it } from 'vitest';
import { writeResultsFile } from '../src/results-file.ts';
import { requests } from './helpers.ts';

/** An ended, canceled 300-request batch on an in-process emulator with a manual clock. */
async function setup() {
  const emulator = createEmulator({ clock: 'manual', rate: 100, cancelDrainMs: 500 });
  const client = new MsgbatchClient({
    apiKey: 'k',
    fetch: emulator.fetch,
    logLevel: 'off',
    maxRetries: 0,
  });
  const created = await client.messages.batches.create({ requests: requests(300) });
  emulator.clock.advance(1001);
  await client.messages.batches.cancel(created.id);
  emulator.clock.advance(1000);
  const batch = await client.messages.batches.retrieve(created.id);
  const dir = mkdtempSync(join(tmpdir(), 'msgbatch-file-'));
  return { emulator, client, batch, dir, out: join(dir, 'out.jsonl') };
}

describe('writeResultsFile', () => {
  it('writes every line and reports the counts', async () => {
    const { client, batch, out, dir } = await setup();
    const seen: number[] = [];
    const result = await writeResultsFile(client, batch.id, out, {
      onProgress: (p) => seen.push(p.read),
    });
    const { succeeded, canceled } = batch.request_counts;
    expect(result).toMatchObject({
      path: out,
      written: 300,
      read: 300,
      counts: { succeeded, canceled },
    });
    const lines = readFileSync(out, 'utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(300);
    expect(new Set(lines.map((l) => JSON.parse(l).custom_id)).size).toBe(300);
    expect(seen.at(-1)).toBe(300);
    expect(readdirSync(dir)).toEqual(['out.jsonl']);
  });

  it('writes only the lines of one type', async () => {
    const { client, batch, out } = await setup();
    const result = await writeResultsFile(client, batch.id, out, { type: 'canceled' });
    expect(result.written).toBe(batch.request_counts.canceled);
    const types = readFileSync(out, 'utf8')
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l).result.type);
    expect(new Set(types)).toEqual(new Set(['canceled']));
  });

  it('fails with ResultsMismatchError on a malformed line and leaves nothing', async () => {
    const { emulator, client, batch, out, dir } = await setup();
    emulator.faults.add({ operation: 'results', type: 'malformed-line', afterLines: 3 });
    const error = await writeResultsFile(client, batch.id, out).catch((e) => e);
    expect(error).toBeInstanceOf(ResultsMismatchError);
    expect(error.mismatches).toEqual([{ type: 'unreadable', expected: 0, actual: 1 }]);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('removes the temporary file when aborted mid-download', async () => {
    const { client, batch, out, dir } = await setup();
    const controller = new AbortController();
    let tempSeen = false;
    const error = await writeResultsFile(client, batch.id, out, {
      signal: controller.signal,
      onProgress: ({ read }) => {
        if (read === 150) {
          tempSeen = readdirSync(dir).some(
            (f) => f.startsWith('.out.jsonl.') && f.endsWith('.tmp'),
          );
          controller.abort();
        }
      },
    }).catch((e) => e);
    expect(error).toBeInstanceOf(APIUserAbortError);
    expect(tempSeen).toBe(true);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('creates no file when the batch has no results yet', async () => {
    const { client, dir, out } = await setup();
    const running = await client.messages.batches.create({ requests: requests(10_000) });
    await expect(writeResultsFile(client, running.id, out)).rejects.toBeInstanceOf(NotFoundError);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('fails on a missing directory before any request, so no download is left open', async () => {
    const { emulator, batch, dir } = await setup();
    const sent: string[] = [];
    const client = new MsgbatchClient({
      apiKey: 'k',
      fetch: (async (input: RequestInfo | URL, init?: RequestInit) => {
        const request = new Request(input, init);
        sent.push(new URL(request.url).pathname);
        return emulator.fetch(request);
      }) as typeof fetch,
      logLevel: 'off',
    });
    const error = await writeResultsFile(client, batch.id, join(dir, 'missing', 'out.jsonl')).catch(
      (e: NodeJS.ErrnoException) => e,
    );
    expect((error as NodeJS.ErrnoException).code).toBe('ENOENT');
    expect(sent).toEqual([]);
  });

  it('closes the download when a later step fails (onProgress throws)', async () => {
    const { emulator, batch, out, dir } = await setup();
    let cancelled = false;
    const client = new MsgbatchClient({
      apiKey: 'k',
      fetch: (async (input: RequestInfo | URL, init?: RequestInit) => {
        const request = new Request(input, init);
        const response = await emulator.fetch(request);
        if (!new URL(request.url).pathname.endsWith('/results')) return response;
        const reader = response.body!.getReader();
        const body = new ReadableStream<Uint8Array>({
          pull: async (c) => {
            // The lines, then a connection that stays open: only a cancel ends it.
            const { done, value } = await reader.read();
            if (done) await new Promise(() => {});
            else c.enqueue(value);
          },
          cancel: (reason) => {
            cancelled = true;
            return reader.cancel(reason);
          },
        });
        return new Response(body, { status: response.status, headers: response.headers });
      }) as typeof fetch,
      logLevel: 'off',
    });
    const error = await writeResultsFile(client, batch.id, out, {
      onProgress: () => {
        throw new Error('progress bar broke');
      },
    }).catch((e: Error) => e);
    expect((error as Error).message).toBe('progress bar broke');
    expect(cancelled).toBe(true);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('removes temporary files a killed run of the same target left, and only those', async () => {
    const { client, batch, out, dir } = await setup();
    const { spawnSync } = await import('node:child_process');
    const deadPid = spawnSync(process.execPath, ['-e', '0']).pid!;
    const dead = `.out.jsonl.${deadPid}.aaaaaaaaaaaa.tmp`;
    const legacyOld = '.out.jsonl.bbbbbbbbbbbb.tmp';
    const legacyNew = '.out.jsonl.cccccccccccc.tmp';
    const alive = `.out.jsonl.${process.pid}.dddddddddddd.tmp`;
    const otherTarget = `.other.jsonl.${deadPid}.eeeeeeeeeeee.tmp`;
    for (const name of [dead, legacyOld, legacyNew, alive, otherTarget]) {
      writeFileSync(join(dir, name), 'partial');
    }
    const hoursAgo = new Date(Date.now() - 2 * 3_600_000);
    utimesSync(join(dir, legacyOld), hoursAgo, hoursAgo);
    await writeResultsFile(client, batch.id, out);
    expect(readdirSync(dir).sort()).toEqual([alive, legacyNew, otherTarget, 'out.jsonl'].sort());
  });
});
