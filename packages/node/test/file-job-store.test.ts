import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvalidArgumentError, type JobManifest, JobManifestError } from '@msgbatch/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { FileJobStore } from '../src/file-job-store.ts';
import { buildIfStale } from './helpers.ts';

const fresh = () => mkdtempSync(join(tmpdir(), 'msgbatch-jobs-'));

function manifest(jobId: string, updatedAt = '2026-01-01T00:00:00.000Z'): JobManifest {
  return {
    format: 'msgbatch.job',
    version: 1,
    jobId,
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt,
    source: { kind: 'jsonl-file', path: '/x/requests.jsonl', size: 10, mtimeMs: 1 },
    state: 'submitting',
    totals: { requests: 3, chunks: 1 },
    chunks: [
      {
        index: 0,
        first: 0,
        count: 3,
        bytes: 100,
        idsHash: 'ab'.repeat(32),
        state: 'planned',
        attempts: [],
      },
    ],
  };
}

describe('FileJobStore (a directory)', () => {
  it('keeps one JSON document per job, <dir>/<jobId>.job.json, and lists them', async () => {
    const dir = fresh();
    const store = new FileJobStore(join(dir, 'jobs'));
    expect(await store.list()).toEqual([]);
    expect(await store.load('job_a')).toBeUndefined();
    await store.save(manifest('job_a'));
    await store.save(manifest('job_b'));
    expect(await store.load('job_a')).toEqual(manifest('job_a'));
    expect(JSON.parse(readFileSync(join(dir, 'jobs', 'job_b.job.json'), 'utf8'))).toEqual(
      manifest('job_b'),
    );
    expect(await store.list()).toEqual(['job_a', 'job_b']);
    // Nothing else is left in the folder: no temporary file.
    expect(readdirSync(join(dir, 'jobs')).sort()).toEqual(['job_a.job.json', 'job_b.job.json']);
  });

  it('refuses a job id that is not a plain file name, before touching the disk', async () => {
    const store = new FileJobStore(fresh());
    for (const id of ['../escape', 'a/b', '', 'a.b', 'x'.repeat(129)]) {
      expect(() => store.path(id)).toThrow(InvalidArgumentError);
      await expect(store.load(id)).rejects.toThrow(InvalidArgumentError);
    }
    expect(() => store.save(manifest('../../etc/x'))).toThrow(InvalidArgumentError);
  });

  it('a file that is not JSON is a JobManifestError naming the file', async () => {
    const dir = fresh();
    writeFileSync(join(dir, 'job_x.job.json'), '{"format": "msgbatch.job", trunc');
    const error = await new FileJobStore(dir).load('job_x').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(JobManifestError);
    expect((error as Error).message).toContain('job_x.job.json');
  });

  it('a JSON document that is not a job manifest is a JobManifestError; forPath will not replace it', async () => {
    const dir = fresh();
    const path = join(dir, 'other.job.json');
    writeFileSync(path, '{"name": "package.json, say"}');
    const store = FileJobStore.forPath(path);
    await expect(store.read()).rejects.toThrow(JobManifestError);
    await expect(store.save(manifest('job_x'))).rejects.toThrow(JobManifestError);
    expect(readFileSync(path, 'utf8')).toBe('{"name": "package.json, say"}');
  });

  it('saves made back to back are written in call order (the last one wins)', async () => {
    const store = new FileJobStore(fresh());
    const saves = Array.from({ length: 25 }, (_, i) =>
      store.save(manifest('job_order', `2026-01-01T00:00:${String(i).padStart(2, '0')}.000Z`)),
    );
    await Promise.all(saves);
    expect((await store.load('job_order'))?.updatedAt).toBe('2026-01-01T00:00:24.000Z');
  });

  it('a save takes a snapshot: changing the object afterwards changes nothing on disk', async () => {
    const store = new FileJobStore(fresh());
    const m = manifest('job_snap');
    const saved = store.save(m);
    m.state = 'failed';
    await saved;
    expect((await store.load('job_snap'))?.state).toBe('submitting');
  });
});

describe('FileJobStore.forPath (one manifest file, as the CLI names a job)', () => {
  it('maps the job to the file, reads it whatever its id, and lists that one job', async () => {
    const dir = fresh();
    const path = join(dir, 'requests.job.json');
    const store = FileJobStore.forPath(path);
    expect(await store.read()).toBeUndefined();
    expect(await store.list()).toEqual([]);
    await store.save(manifest('job_one'));
    expect(store.path('anything')).toBe(path);
    expect(await store.read()).toEqual(manifest('job_one'));
    expect(await store.load('job_one')).toEqual(manifest('job_one'));
    expect(await store.load('job_other')).toBeUndefined();
    expect(await store.list()).toEqual(['job_one']);
  });

  it("refuses to replace another job's manifest (a second submit to the same path)", async () => {
    const path = join(fresh(), 'requests.job.json');
    await FileJobStore.forPath(path).save(manifest('job_first'));
    const error = await FileJobStore.forPath(path)
      .save(manifest('job_second'))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(JobManifestError);
    expect((error as Error).message).toContain('job_first');
    expect(JSON.parse(readFileSync(path, 'utf8')).jobId).toBe('job_first');
  });
});

describe('atomicity', () => {
  // The child process loads the built package.
  beforeAll(() => buildIfStale());

  // A child process saves a manifest, then saves a second one with `rename` replaced by
  // SIGKILL: it dies after the temporary file is written and synced, before the rename.
  const crashScript = (dir: string) => `
    import { syncBuiltinESMExports } from 'node:module';
    import fs from 'node:fs/promises';
    const { FileJobStore } = await import(${JSON.stringify(new URL('../dist/index.js', import.meta.url).pathname)});
    const store = new FileJobStore(${JSON.stringify(dir)});
    const m = (updatedAt) => (${manifest.toString()})('job_crash', updatedAt);
    await store.save(m('2026-01-01T00:00:01.000Z'));
    fs.rename = async () => { process.kill(process.pid, 'SIGKILL'); await new Promise(() => {}); };
    syncBuiltinESMExports();
    await store.save(m('2026-01-01T00:00:02.000Z'));
  `;

  it('a crash between the temporary write and the rename leaves the previous manifest; the next save removes the stale temporary file', async () => {
    const dir = fresh();
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', crashScript(dir)], {
      encoding: 'utf8',
    });
    expect(child.signal, child.stderr).toBe('SIGKILL');
    const names = readdirSync(dir);
    const temps = names.filter((n) => n.endsWith('.tmp'));
    expect(temps).toHaveLength(1);
    expect(temps[0]).toMatch(/^\.job_crash\.job\.json\.\d+\.[0-9a-f]{12}\.tmp$/);
    // The synced temporary file holds the new document, whole; the manifest is still the old one.
    expect(JSON.parse(readFileSync(join(dir, temps[0]!), 'utf8')).updatedAt).toBe(
      '2026-01-01T00:00:02.000Z',
    );
    const store = new FileJobStore(dir);
    expect((await store.load('job_crash'))?.updatedAt).toBe('2026-01-01T00:00:01.000Z');
    await store.save(manifest('job_crash', '2026-01-01T00:00:03.000Z'));
    expect(readdirSync(dir)).toEqual(['job_crash.job.json']);
    expect((await store.load('job_crash'))?.updatedAt).toBe('2026-01-01T00:00:03.000Z');
  });

  it("another job's temporary files, and those of a process still running, are left alone", async () => {
    const dir = fresh();
    const mine = `.job_a.job.json.${process.pid}.0123456789ab.tmp`;
    const other = '.job_b.job.json.999999999.0123456789ab.tmp';
    writeFileSync(join(dir, mine), 'x');
    writeFileSync(join(dir, other), 'x');
    await new FileJobStore(dir).save(manifest('job_a'));
    expect(readdirSync(dir).sort()).toEqual([other, mine, 'job_a.job.json'].sort());
  });
});
