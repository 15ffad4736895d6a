import { appendFileSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvalidArgumentError, JobSourceError, ResultsMismatchError } from '@msgbatch/core';
import { createEmulator, type EmulatorOptions } from '@msgbatch/emulator';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { afterEach, describe, expect, it } from 'vitest';
import Anthropic, {
  FileJobStore,
  type JobManifest,
  jsonlFileSource,
  writeJobResultsFile,
} from '../src/index.ts';
import { requests } from './helpers.ts';

const KEY = 'job-test-key';
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

/** An emulator on loopback, the node client of it, and a folder with `count` requests in a JSONL file. */
async function setup(count: number, options: EmulatorOptions = {}) {
  const emulator = createEmulator({
    apiKeys: [KEY],
    rate: 1000,
    pollRetryAfter: false,
    ...options,
  });
  const server = await emulator.listen({ port: 0, hostname: '127.0.0.1' });
  closers.push(() => server.close());
  const client = new Anthropic({ apiKey: KEY, baseURL: server.url, logLevel: 'off' });
  const dir = mkdtempSync(join(tmpdir(), 'msgbatch-node-job-'));
  const file = join(dir, 'requests.jsonl');
  writeFileSync(
    file,
    `${requests(count)
      .map((r) => JSON.stringify(r))
      .join('\n')}\n`,
  );
  return { emulator, server, client, dir, file, jobs: join(dir, 'jobs') };
}

describe('client.messages.batches job methods (node, against the emulator)', () => {
  it('createJob from a JSONL file with a directory as store; wait, summarize, results, one results file', async () => {
    const { client, emulator, file, jobs, dir } = await setup(25);
    const events: string[] = [];
    const job = await client.messages.batches.createJob(jsonlFileSource(file), {
      store: jobs,
      maxRequestsPerBatch: 10,
      onProgress: (e) => events.push(e.type),
    });
    expect(job.state).toBe('submitted');
    expect(job.chunks.map((c) => c.count)).toEqual([10, 10, 5]);
    expect(job.source).toMatchObject({ kind: 'jsonl-file', path: file });
    expect(emulator.store.list()).toHaveLength(3);
    expect(events).toContain('checked');
    expect(events.filter((t) => t === 'chunk-created')).toHaveLength(3);
    // The manifest is on disk, one document, as the store keeps it.
    const onDisk = JSON.parse(
      readFileSync(join(jobs, `${job.jobId}.job.json`), 'utf8'),
    ) as JobManifest;
    expect(onDisk.chunks.map((c) => c.batchId)).toEqual(job.chunks.map((c) => c.batchId));
    expect(await new FileJobStore(jobs).list()).toEqual([job.jobId]);

    const ended = await client.messages.batches.waitForJob(job.jobId, {
      store: jobs,
      pollInterval: 20,
    });
    expect(ended.chunks.every((c) => c.status === 'ended')).toBe(true);

    const summary = await client.messages.batches.summarizeJob(job.jobId, { store: jobs });
    expect(
      summary.counts.succeeded +
        summary.counts.errored +
        summary.counts.canceled +
        summary.counts.expired,
    ).toBe(25);

    const lines = [];
    for await (const line of client.messages.batches.jobResults(job.jobId, { store: jobs })) {
      lines.push(line);
    }
    expect(lines).toHaveLength(25);
    expect(new Set(lines.map((l) => l.batch_id))).toEqual(
      new Set(job.chunks.map((c) => c.batchId)),
    );

    const out = join(dir, 'results.jsonl');
    const written = await writeJobResultsFile(client, job.jobId, out, { store: jobs });
    expect(written).toMatchObject({ path: out, written: 25, read: 25 });
    expect(written.batches.map((b) => b.lines)).toEqual([10, 10, 5]);
    const fileLines = readFileSync(out, 'utf8')
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(fileLines.map((l) => l.custom_id).sort()).toEqual(
      requests(25)
        .map((r) => r.custom_id)
        .sort(),
    );
    expect(fileLines.every((l) => typeof l.batch_id === 'string')).toBe(true);
    expect(readdirSync(dir).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });

  it('store is required: without one, an InvalidArgumentError before any request', async () => {
    const { client, emulator, file } = await setup(3);
    await expect(
      client.messages.batches.createJob(jsonlFileSource(file), {} as never),
    ).rejects.toThrow(InvalidArgumentError);
    await expect(client.messages.batches.waitForJob('job_x', {} as never)).rejects.toThrow(
      InvalidArgumentError,
    );
    expect(emulator.store.list()).toHaveLength(0);
  });

  it('resumeJob after a stop: a changed file is refused; the unchanged one completes the job', async () => {
    const { client, emulator, file, jobs, dir } = await setup(30);
    const controller = new AbortController();
    const stopped = await client.messages.batches
      .createJob(jsonlFileSource(file), {
        store: jobs,
        maxRequestsPerBatch: 10,
        concurrency: 1,
        jobId: 'job_resume',
        signal: controller.signal,
        onProgress: (e) => {
          if (e.type === 'chunk-created') controller.abort();
        },
      })
      .catch((e: unknown) => e);
    expect(stopped).toBeInstanceOf(Error);
    const partial = await new FileJobStore(jobs).load('job_resume');
    expect(partial?.state).toBe('submitting');
    const createdBefore = emulator.store.list().length;
    expect(createdBefore).toBeLessThan(3);

    // The same file, changed: refused, nothing sent.
    const changed = join(dir, 'changed.jsonl');
    writeFileSync(changed, readFileSync(file));
    appendFileSync(changed, `${JSON.stringify({ ...requests(1)[0], custom_id: 'extra' })}\n`);
    await expect(
      client.messages.batches.resumeJob('job_resume', {
        store: jobs,
        source: jsonlFileSource(changed),
      }),
    ).rejects.toThrow(JobSourceError);
    expect(emulator.store.list()).toHaveLength(createdBefore);

    const done = await client.messages.batches.resumeJob('job_resume', {
      store: jobs,
      source: jsonlFileSource(file),
    });
    expect(done.state).toBe('submitted');
    const ids = done.chunks.map((c) => c.batchId);
    expect(new Set(ids).size).toBe(3);
    expect(emulator.store.list()).toHaveLength(3);
    const all = ids.flatMap((id) => emulator.store.requests(id!)!.map((r) => r.custom_id));
    expect(all.sort()).toEqual(
      requests(30)
        .map((r) => r.custom_id)
        .sort(),
    );
  });

  it('writeJobResultsFile: a failed download leaves nothing under the path and no temporary file', async () => {
    const { client, emulator, file, jobs, dir } = await setup(20);
    const job = await client.messages.batches.createJob(jsonlFileSource(file), {
      store: jobs,
      maxRequestsPerBatch: 10,
    });
    await client.messages.batches.waitForJob(job.jobId, { store: jobs, pollInterval: 20 });
    const out = join(dir, 'results.jsonl');
    writeFileSync(out, 'previous\n');
    // The second batch's results break off after a few bytes.
    emulator.faults.add({
      type: 'truncate',
      afterBytes: 300,
      operation: 'results',
      path: `/v1/messages/batches/${job.chunks[1]!.batchId}/results`,
    });
    await expect(writeJobResultsFile(client, job.jobId, out, { store: jobs })).rejects.toThrow();
    expect(readFileSync(out, 'utf8')).toBe('previous\n');
    expect(readdirSync(dir).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });

  it('writeJobResultsFile: a batch whose results end early without an error is a ResultsMismatchError; nothing written', async () => {
    const { server, client, file, jobs, dir } = await setup(20);
    const job = await client.messages.batches.createJob(jsonlFileSource(file), {
      store: jobs,
      maxRequestsPerBatch: 10,
    });
    await client.messages.batches.waitForJob(job.jobId, { store: jobs, pollInterval: 20 });
    const second = job.chunks[1]!.batchId!;
    // A fetch that drops the last line of the second batch's results, as a cut-short body would.
    const dropping = new Anthropic({
      apiKey: KEY,
      baseURL: server.url,
      logLevel: 'off',
      fetch: async (input, init) => {
        const answer = await fetch(input, init);
        const url = input instanceof Request ? input.url : String(input);
        if (!url.endsWith(`/${second}/results`)) return answer;
        const lines = (await answer.text()).trimEnd().split('\n');
        return new Response(`${lines.slice(0, -1).join('\n')}\n`, {
          status: answer.status,
          headers: answer.headers,
        });
      },
    });
    const out = join(dir, 'results.jsonl');
    const error = await writeJobResultsFile(dropping, job.jobId, out, { store: jobs }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ResultsMismatchError);
    expect((error as ResultsMismatchError).batchId).toBe(second);
    expect(readdirSync(dir).filter((n) => n === 'results.jsonl' || n.endsWith('.tmp'))).toEqual([]);
  });

  it('with OpenTelemetry, createJob is one parent span whose creates are its children', async () => {
    const { server, file, jobs } = await setup(12);
    const exporter = new InMemorySpanExporter();
    const provider = new BasicTracerProvider({
      spanProcessors: [new SimpleSpanProcessor(exporter)],
    });
    const client = new Anthropic({
      apiKey: KEY,
      baseURL: server.url,
      logLevel: 'off',
      openTelemetry: { tracerProvider: provider },
    });
    await client.messages.batches.createJob(jsonlFileSource(file), {
      store: jobs,
      maxRequestsPerBatch: 5,
      jobId: 'job_traced',
    });
    const spans = exporter.getFinishedSpans();
    const parent = spans.find((s) => s.name === 'msgbatch.messages.batches.create_job');
    expect(parent?.attributes['msgbatch.job.id']).toBe('job_traced');
    const children = spans.filter(
      (s) => s.parentSpanContext?.spanId === parent!.spanContext().spanId,
    );
    expect(children.filter((s) => s.name === 'anthropic.messages.batches.create')).toHaveLength(3);
  });
});
