import {
  type CreateOutcomeUnknownError,
  createJob,
  JobAmbiguityError,
  type JobEvent,
  type JobManifest,
  JobSourceError,
  JobStateError,
  loadJobManifest,
  resumeJob,
  waitForJob,
} from '@msgbatch/core';
import { describe, expect, it } from 'vitest';
import { requests } from './helpers.ts';
import { arraySource, idsByBatch, jobRequests, jobSetup, oneShot } from './jobs-helpers.ts';

/** Thrown from onProgress to stop the job there, as a killed process stops. */
class Crash extends Error {}
const crashAt =
  (type: JobEvent['type'], chunk: number, onProgress?: (event: JobEvent) => void) =>
  (event: JobEvent) => {
    onProgress?.(event);
    if (event.type === type && 'chunk' in event && event.chunk === chunk) throw new Crash(type);
  };

/** A job of `list` (chunks of 100, one create at a time) whose process died as chunk 1's create went out. */
async function crashedAtSecondSend(
  s: ReturnType<typeof jobSetup>,
  list: ReturnType<typeof jobRequests>,
  jobId: string,
  onProgress?: (event: JobEvent) => void,
) {
  const error = await createJob(s.transport, arraySource(list), {
    store: s.store,
    jobId,
    maxRequestsPerBatch: 100,
    concurrency: 1,
    onProgress: crashAt('chunk-sending', 1, onProgress),
  }).catch((e) => e);
  expect(error).toBeInstanceOf(Crash);
}

/**
 * `done` as its manifest would read had the process died after chunk 1's create was sent,
 * before its answer was recorded (the batch exists at the API).
 */
function diedAtSecondSend(done: JobManifest): JobManifest {
  const crashed = structuredClone(done);
  const chunk = crashed.chunks[1]!;
  chunk.state = 'sending';
  chunk.batchId = undefined;
  chunk.attempts = [{ startedAt: chunk.attempts[0]!.startedAt }];
  crashed.state = 'submitting';
  return crashed;
}

/** Every id in exactly one batch of the emulator, and the batches are the job's. */
async function expectEachIdOnce(
  client: Parameters<typeof idsByBatch>[0],
  job: JobManifest,
  total: number,
) {
  const batches = await idsByBatch(client);
  expect([...batches.keys()].sort()).toEqual(job.chunks.map((c) => c.batchId).sort());
  const all = [...batches.values()].flat();
  expect(all).toHaveLength(total);
  expect(new Set(all).size).toBe(total);
}

/** Lets every batch end, so that results can be read. */
async function endAll(setup: ReturnType<typeof jobSetup>, job: JobManifest) {
  await waitForJob(setup.transport, job, { store: setup.store });
}

describe('resumeJob after a crash', () => {
  it('planned, never sent: resume sends every chunk', async () => {
    const s = jobSetup();
    const list = jobRequests(250);
    const error = await createJob(s.transport, arraySource(list), {
      store: s.store,
      jobId: 'job_a',
      maxRequestsPerBatch: 100,
      onProgress: (e) => {
        if (e.type === 'checked') throw new Crash('checked');
      },
    }).catch((e) => e);
    expect(error).toBeInstanceOf(Crash);
    expect((await loadJobManifest(s.store, 'job_a')).chunks.map((c) => c.state)).toEqual([
      'planned',
      'planned',
      'planned',
    ]);
    expect(s.creates).toHaveLength(0);
    const job = await resumeJob(s.transport, 'job_a', {
      store: s.store,
      source: arraySource(list),
    });
    expect(job.state).toBe('submitted');
    await endAll(s, job);
    await expectEachIdOnce(s.client, job, 250);
  });

  it('saved as sending with no batch: reconciled to absent and created again', async () => {
    const s = jobSetup();
    const list = jobRequests(250);
    await crashedAtSecondSend(s, list, 'job_b', s.onProgress);
    const crashed = await loadJobManifest(s.store, 'job_b');
    expect(crashed.chunks.map((c) => c.state)).toEqual(['created', 'sending', 'planned']);
    expect(s.creates).toHaveLength(1);
    s.events.length = 0;
    const job = await resumeJob(s.transport, 'job_b', {
      store: s.store,
      source: arraySource(list),
      onProgress: s.onProgress,
    });
    expect(s.events).toContainEqual({ type: 'chunk-reconciled', chunk: 1, batchId: null });
    expect(s.creates).toHaveLength(3);
    await endAll(s, job);
    await expectEachIdOnce(s.client, job, 250);
  });

  it('saved as sending while its batch exists: the batch is adopted, not created again', async () => {
    const s = jobSetup();
    const list = jobRequests(250);
    const done = await createJob(s.transport, arraySource(list), {
      store: s.store,
      jobId: 'job_c',
      maxRequestsPerBatch: 100,
    });
    // The process died after the create of chunk 1 was sent, before its answer was recorded.
    const crashed = diedAtSecondSend(done);
    await s.store.save(crashed);
    const job = await resumeJob(s.transport, 'job_c', {
      store: s.store,
      source: arraySource(list),
    });
    expect(job.chunks[1]!.batchId).toBe(done.chunks[1]!.batchId);
    expect(job.chunks[1]!.attempts[0]!.outcome).toBe('created');
    expect(s.creates).toHaveLength(3);
    await endAll(s, job);
    await expectEachIdOnce(s.client, job, 250);
  });

  it('a create cut short whose batch appears late: resume waits graceMs, lists again and adopts it', async () => {
    const s = jobSetup();
    const list = jobRequests(250);
    await crashedAtSecondSend(s, list, 'job_late', s.onProgress);
    // The dead process's create of chunk 1 is still being made at the API: its batch is
    // not listed when the resume first looks, and is by the next listing.
    let lists = 0;
    let lateBatch: string | undefined;
    const finishLateCreate = async () => {
      const answer = await s.emulator.fetch(
        new Request('http://emulator.test/v1/messages/batches', {
          method: 'POST',
          headers: {
            'x-api-key': 'test-key',
            'anthropic-version': '2023-06-01',
            'content-type': 'application/json',
          },
          body: JSON.stringify({ requests: list.slice(100, 200) }),
        }),
      );
      lateBatch = ((await answer.json()) as { id: string }).id;
    };
    s.hooks.beforeRequest = async (request) => {
      if (request.method !== 'GET' || new URL(request.url).pathname !== '/v1/messages/batches') {
        return;
      }
      if (++lists === 2 && !lateBatch) await finishLateCreate();
    };
    s.events.length = 0;
    const job = await resumeJob(s.transport, 'job_late', {
      store: s.store,
      source: arraySource(list),
      onProgress: s.onProgress,
      graceMs: 30_000,
    });
    // Without the wait the chunk would have been created again: the late batch, made in any
    // case, would then hold the same ids as the new one.
    if (!lateBatch) await finishLateCreate();
    const settling = s.events.find((e) => e.type === 'chunk-settling');
    expect(settling).toMatchObject({ type: 'chunk-settling', chunk: 1 });
    expect(s.sleeps).toContain(30_000);
    expect(job.chunks[1]!.batchId).toBe(lateBatch);
    expect(s.events).toContainEqual({ type: 'chunk-reconciled', chunk: 1, batchId: lateBatch });
    await endAll(s, job);
    await expectEachIdOnce(s.client, job, 250);
  });

  it('a create cut short long ago is not waited for: absent at once', async () => {
    const s = jobSetup();
    const list = jobRequests(250);
    await crashedAtSecondSend(s, list, 'job_old');
    // The crash was over an hour ago: the create would have timed out (10 minutes) by now.
    s.emulator.clock.set(s.emulator.clock.now() + 3_600_000);
    s.events.length = 0;
    const job = await resumeJob(s.transport, 'job_old', {
      store: s.store,
      source: arraySource(list),
      onProgress: s.onProgress,
      skewMs: 60_000,
    });
    expect(s.events.some((e) => e.type === 'chunk-settling')).toBe(false);
    expect(s.sleeps).toEqual([]);
    expect(s.events).toContainEqual({ type: 'chunk-reconciled', chunk: 1, batchId: null });
    await endAll(s, job);
    await expectEachIdOnce(s.client, job, 250);
  });

  it('an ended candidate is confirmed by the ids in its results', async () => {
    const s = jobSetup();
    const list = jobRequests(200);
    const done = await createJob(s.transport, arraySource(list), {
      store: s.store,
      jobId: 'job_d',
      maxRequestsPerBatch: 100,
    });
    // Another batch of the same size, created in the same window: not the job's (other ids).
    const other = await s.client.messages.batches.create({ requests: requests(100, 'other') });
    await endAll(s, done);
    await s.client.messages.batches.waitForEnd(other.id);
    const crashed = structuredClone(await loadJobManifest(s.store, 'job_d'));
    crashed.chunks[1] = { ...crashed.chunks[1]!, state: 'unknown', batchId: undefined };
    crashed.state = 'submitting';
    await s.store.save(crashed);
    const job = await resumeJob(s.transport, 'job_d', { store: s.store, skewMs: 3_600_000 });
    expect(job.chunks[1]!.batchId).toBe(done.chunks[1]!.batchId);
    expect(s.creates).toHaveLength(3);
  });

  it('two candidates: JobAmbiguityError with both, nothing created', async () => {
    const s = jobSetup();
    const list = jobRequests(250);
    const done = await createJob(s.transport, arraySource(list), {
      store: s.store,
      jobId: 'job_e',
      maxRequestsPerBatch: 100,
    });
    const twin = await s.client.messages.batches.create({ requests: requests(100, 'twin') });
    const crashed = diedAtSecondSend(done);
    crashed.state = done.state;
    await s.store.save(crashed);
    const creates = s.creates.length;
    const error = await resumeJob(s.transport, 'job_e', {
      store: s.store,
      source: arraySource(list),
    }).catch((e) => e);
    expect(error).toBeInstanceOf(JobAmbiguityError);
    expect((error as JobAmbiguityError).chunks).toEqual([
      { index: 1, candidates: expect.arrayContaining([twin.id, done.chunks[1]!.batchId]) },
    ]);
    expect((error as JobAmbiguityError).chunks[0]!.candidates).toHaveLength(2);
    expect(s.creates).toHaveLength(creates);
    const saved = await loadJobManifest(s.store, 'job_e');
    expect(saved.chunks[1]).toMatchObject({ state: 'ambiguous' });
    expect(saved.state).toBe('submitting');
  });

  it("another job's batch of the same size, named by that job's create answer, is no candidate", async () => {
    const s = jobSetup();
    const list = jobRequests(250);
    const done = await createJob(s.transport, arraySource(list), {
      store: s.store,
      jobId: 'job_mine',
      maxRequestsPerBatch: 100,
    });
    // A second job in the same store, created just after, with a batch of 100 requests.
    const other = await createJob(s.transport, arraySource(jobRequests(100, 'other')), {
      store: s.store,
      jobId: 'job_other',
    });
    expect(other.chunks[0]!.attempts[0]!.batchId).toBe(other.chunks[0]!.batchId);
    const crashed = diedAtSecondSend(done);
    await s.store.save(crashed);
    const creates = s.creates.length;
    const job = await resumeJob(s.transport, 'job_mine', {
      store: s.store,
      source: arraySource(list),
    });
    expect(job.chunks[1]!.batchId).toBe(done.chunks[1]!.batchId);
    expect(s.creates).toHaveLength(creates);

    // Adopted from a listing (no batchId from an answer), the other job's claim proves
    // nothing: the batch stays a candidate, and the chunk is ambiguous again.
    const adopted = structuredClone(other);
    adopted.chunks[0]!.attempts[0]!.batchId = undefined;
    await s.store.save(adopted);
    await s.store.save(crashed);
    const error = await resumeJob(s.transport, 'job_mine', {
      store: s.store,
      source: arraySource(list),
    }).catch((e) => e);
    expect(error).toBeInstanceOf(JobAmbiguityError);
    expect((error as JobAmbiguityError).chunks[0]!.candidates.sort()).toEqual(
      [done.chunks[1]!.batchId!, other.chunks[0]!.batchId!].sort(),
    );
  });

  it('a connection dropped after create: unknown, then reconciled (in the same call)', async () => {
    const s = jobSetup();
    s.emulator.faults.add({ operation: 'create', type: 'reset', phase: 'after-body' });
    const job = await createJob(s.transport, arraySource(jobRequests(250)), {
      store: s.store,
      maxRequestsPerBatch: 100,
      onProgress: s.onProgress,
    });
    const unknown = s.events.find((e) => e.type === 'chunk-unknown');
    expect(unknown).toBeDefined();
    expect((unknown as { error: CreateOutcomeUnknownError }).error.name).toBe(
      'CreateOutcomeUnknownError',
    );
    expect(job.state).toBe('submitted');
    expect(s.creates).toHaveLength(3);
    await endAll(s, job);
    await expectEachIdOnce(s.client, job, 250);
  });

  it('a connection dropped after create, then a crash: reconciled on resume', async () => {
    const s = jobSetup();
    s.emulator.faults.add({ operation: 'create', type: 'reset', phase: 'after-body' });
    const list = jobRequests(250);
    const error = await createJob(s.transport, arraySource(list), {
      store: s.store,
      jobId: 'job_f',
      maxRequestsPerBatch: 100,
      concurrency: 1,
      onProgress: (e) => {
        if (e.type === 'chunk-unknown') throw new Crash('unknown');
      },
    }).catch((e) => e);
    expect(error).toBeInstanceOf(Crash);
    expect((await loadJobManifest(s.store, 'job_f')).chunks[0]!.state).toBe('unknown');
    const job = await resumeJob(s.transport, 'job_f', {
      store: s.store,
      source: arraySource(list),
      onProgress: s.onProgress,
    });
    expect(s.events[0]).toMatchObject({ type: 'chunk-reconciled', chunk: 0 });
    expect(job.chunks[0]!.batchId).toBe((s.events[0] as { batchId: string }).batchId);
    expect(s.creates).toHaveLength(3);
    await endAll(s, job);
    await expectEachIdOnce(s.client, job, 250);
  });

  it('a one-shot job resumes from its source given again, checked against the chunks it made', async () => {
    const s = jobSetup();
    const list = jobRequests(250);
    const error = await createJob(s.transport, oneShot(list), {
      store: s.store,
      jobId: 'job_g',
      maxRequestsPerBatch: 100,
      concurrency: 1,
      onProgress: crashAt('chunk-created', 1),
    }).catch((e) => e);
    expect(error).toBeInstanceOf(Crash);
    expect((await loadJobManifest(s.store, 'job_g')).totals).toBeNull();
    await expect(resumeJob(s.transport, 'job_g', { store: s.store })).rejects.toBeInstanceOf(
      JobStateError,
    );
    const changed = jobRequests(250, 'changed');
    await expect(
      resumeJob(s.transport, 'job_g', { store: s.store, source: oneShot(changed) }),
    ).rejects.toBeInstanceOf(JobSourceError);
    const job = await resumeJob(s.transport, 'job_g', { store: s.store, source: oneShot(list) });
    expect(job.totals).toEqual({ requests: 250, chunks: 3 });
    expect(s.creates).toHaveLength(3);
    await endAll(s, job);
    await expectEachIdOnce(s.client, job, 250);
  });

  it('refuses a re-readable source that is not the job’s', async () => {
    const s = jobSetup();
    const list = jobRequests(20);
    await createJob(s.transport, arraySource(list), { store: s.store, jobId: 'job_h' });
    await expect(
      resumeJob(s.transport, 'job_h', { store: s.store, source: arraySource(list, 'other') }),
    ).rejects.toBeInstanceOf(JobSourceError);
  });
});
