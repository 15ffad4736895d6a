import { describe, expect, it } from 'vitest';
import { JobManifestError, JobNotFoundError } from '../../src/jobs/errors.ts';
import { checkJobManifest, loadJobManifest, newManifest } from '../../src/jobs/manifest.ts';
import { MemoryJobStore } from '../../src/jobs/memory-store.ts';
import type { JobManifest } from '../../src/jobs/types.ts';

const valid = (): JobManifest => ({
  ...newManifest('job_1', { kind: 'jsonl-file', path: '/x.jsonl', size: 10 }, Date.UTC(2026, 0, 1)),
  state: 'submitting',
  totals: { requests: 3, chunks: 1 },
  chunks: [
    {
      index: 0,
      first: 0,
      count: 3,
      bytes: 100,
      idsHash: 'a'.repeat(64),
      state: 'created',
      attempts: [{ startedAt: '2026-01-01T00:00:00.000Z', outcome: 'created' }],
      batchId: 'msgbatch_1',
    },
  ],
});

describe('the job manifest', () => {
  it('accepts a valid manifest and survives JSON', () => {
    const manifest = valid();
    expect(checkJobManifest(JSON.parse(JSON.stringify(manifest)))).toEqual(manifest);
  });

  it('refuses another version by name', () => {
    expect(() => checkJobManifest({ ...valid(), version: 2 })).toThrow(/version 2/);
  });

  it('lists what is wrong', () => {
    const bad = valid() as unknown as Record<string, any>;
    bad.chunks[0].state = 'lost';
    bad.chunks[0].idsHash = 'nope';
    try {
      checkJobManifest(bad);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(JobManifestError);
      expect((error as JobManifestError).issues.join('\n')).toMatch(/chunks\.0\.state/);
      expect((error as JobManifestError).issues.join('\n')).toMatch(/chunks\.0\.idsHash/);
    }
  });

  it('refuses a created chunk without its batch id, and chunks out of order', () => {
    const noId = valid();
    noId.chunks[0]!.batchId = undefined;
    expect(() => checkJobManifest(noId)).toThrow(JobManifestError);
    const order = valid();
    order.chunks[0]!.index = 3;
    expect(() => checkJobManifest(order)).toThrow(JobManifestError);
  });
});

describe('MemoryJobStore', () => {
  it('keeps copies: a change after save is not stored', async () => {
    const store = new MemoryJobStore();
    const manifest = valid();
    await store.save(manifest);
    manifest.state = 'failed';
    const loaded = await store.load('job_1');
    expect(loaded!.state).toBe('submitting');
    loaded!.chunks = [];
    expect((await store.load('job_1'))!.chunks).toHaveLength(1);
    expect(await store.list()).toEqual(['job_1']);
  });

  it('loadJobManifest: JobNotFoundError when absent', async () => {
    await expect(loadJobManifest(new MemoryJobStore(), 'job_x')).rejects.toBeInstanceOf(
      JobNotFoundError,
    );
  });
});
