import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../src/errors.ts';
import { createJob } from '../../src/jobs/create-job.ts';
import { JobNotFoundError, JobStateError } from '../../src/jobs/errors.ts';
import { MemoryJobStore } from '../../src/jobs/memory-store.ts';
import { resumeJob } from '../../src/jobs/resume-job.ts';
import type { JobEvent, JobManifest } from '../../src/jobs/types.ts';
import { waitForJob } from '../../src/jobs/wait-for-job.ts';
import { batch, json, scriptedFetch, testClient } from '../helpers/fake-fetch.ts';

const requests = (n: number) =>
  Array.from({ length: n }, (_, i) => ({
    custom_id: `r${i}`,
    params: { model: 'claude-x', max_tokens: 1, messages: [] },
  }));

describe('createJob (MemoryJobStore, scripted API)', () => {
  it('refuses bad options before anything is sent or saved', async () => {
    const { fetch, requests: sent } = scriptedFetch(json(batch()));
    const { client } = testClient(fetch);
    const store = new MemoryJobStore();
    for (const options of [
      { concurrency: 0 },
      { maxRequestsPerBatch: 100_001 },
      { maxBytesPerBatch: 1.5 },
    ]) {
      await expect(
        createJob(client.transport, requests(3), { store, ...options }),
      ).rejects.toBeInstanceOf(InvalidArgumentError);
    }
    expect(sent).toHaveLength(0);
    expect(await store.list()).toEqual([]);
  });

  it('emits each event when the manifest says what its name says', async () => {
    const store = new MemoryJobStore();
    const { fetch, requests: sent } = scriptedFetch(
      () =>
        json(
          batch({ id: 'msgbatch_a', request_counts: { ...batch().request_counts, processing: 2 } }),
        ),
      () => json(batch({ id: 'msgbatch_b' })),
    );
    const { client } = testClient(fetch);
    const seen: { event: JobEvent; stored: Promise<JobManifest | undefined>; sent: number }[] = [];
    const job = await createJob(
      client.transport,
      {
        rereadable: true,
        describe: () => ({ kind: 'test' }),
        async *entries(from = 0) {
          const list = requests(4);
          for (let index = from; index < 4; index++) {
            yield { index, request: list[index]!, text: JSON.stringify(list[index]) };
          }
        },
      },
      {
        store,
        jobId: 'job_events',
        maxRequestsPerBatch: 2,
        concurrency: 1,
        onProgress: (event) =>
          seen.push({ event, stored: store.load('job_events'), sent: sent.length }),
      },
    );
    expect(job.state).toBe('submitted');
    const types = seen.map((s) => s.event.type);
    expect(types).toEqual([
      'checked',
      'chunk-intent',
      'chunk-sending',
      'chunk-created',
      'chunk-intent',
      'chunk-sending',
      'chunk-created',
    ]);
    const at = async (i: number) => (await seen[i]!.stored)!;
    // checked: the plan is saved, nothing sent.
    expect((await at(0)).chunks.map((c) => c.state)).toEqual(['planned', 'planned']);
    expect(seen[0]!.sent).toBe(0);
    // chunk-intent: saved as sending with its attempt, before the create.
    expect((await at(1)).chunks[0]).toMatchObject({ state: 'sending', attempts: [{}] });
    expect((await at(1)).chunks[0]!.attempts[0]!.startedAt).toBeTypeOf('string');
    expect(seen[1]!.sent).toBe(0);
    expect(seen[2]!.sent).toBe(0);
    // chunk-created: the batch id is recorded.
    expect((await at(3)).chunks[0]).toMatchObject({ state: 'created', batchId: 'msgbatch_a' });
    expect(seen[3]!.sent).toBe(1);
    expect(sent[0]!.body).toBe(JSON.stringify({ requests: requests(2) }));
  });

  it('resume and wait refuse what they cannot do, with typed errors', async () => {
    const { fetch } = scriptedFetch(json(batch()));
    const { client } = testClient(fetch);
    const store = new MemoryJobStore();
    await expect(resumeJob(client.transport, 'job_none', { store })).rejects.toBeInstanceOf(
      JobNotFoundError,
    );
    const error = await createJob(client.transport, [{ custom_id: 'bad id', params: {} }], {
      store,
      jobId: 'job_bad',
    }).catch((e) => e);
    expect(error.name).toBe('JobSourceError');
    await expect(resumeJob(client.transport, 'job_bad', { store })).rejects.toBeInstanceOf(
      JobStateError,
    );
    await expect(waitForJob(client.transport, 'job_bad', { store })).rejects.toBeInstanceOf(
      JobStateError,
    );
  });

  it('an abort while a create is out leaves its chunk unknown (it may exist), and stops the job', async () => {
    const store = new MemoryJobStore();
    const controller = new AbortController();
    const fetch = async (input: RequestInfo | URL) => {
      const request = input as Request;
      await request.text(); // the whole body went out
      controller.abort();
      return new Promise<Response>((_, reject) => {
        const fail = () => reject(request.signal.reason);
        if (request.signal.aborted) fail();
        else request.signal.addEventListener('abort', fail);
      });
    };
    const { client } = testClient(fetch as typeof globalThis.fetch);
    const error = await createJob(client.transport, requests(3), {
      store,
      jobId: 'job_abort',
      signal: controller.signal,
    }).catch((e) => e);
    expect(error.name).toBe('APIUserAbortError');
    const saved = await store.load('job_abort');
    expect(saved!.chunks[0]).toMatchObject({
      state: 'unknown',
      attempts: [{ outcome: 'unknown' }],
    });
  });
});
