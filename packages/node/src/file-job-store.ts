import { join, resolve } from 'node:path';
import {
  checkJobManifest,
  InvalidArgumentError,
  type JobManifest,
  JobManifestError,
  type JobStore,
} from '@msgbatch/core';
import { writeFileAtomic } from './atomic-file.ts';

const MANIFEST_SUFFIX = '.job.json';
// A job id becomes a file name: no separators, no dots, nothing a shell or Windows minds.
const SAFE_JOB_ID = /^[A-Za-z0-9_-]{1,128}$/;

/**
 * A {@link JobStore} on disk: one JSON document per job, `<dir>/<jobId>.job.json`
 * (or one given file, {@link FileJobStore.forPath}).
 *
 * Each save is atomic: the manifest is written to a temporary file in the same
 * directory, synced, and renamed over the previous one (and the directory synced), so
 * after a crash at any point the file holds the previous manifest or the new one, never
 * a mix. The temporary file a killed process left (`.<name>.<pid>.<random>.tmp`) is
 * removed by the next save of the same manifest. Saves of one manifest are written in
 * the order they were made, even when several are in flight.
 *
 * The manifest never holds request bodies or credentials (see `JobManifest`).
 *
 * @example
 * import Anthropic, { FileJobStore, jsonlFileSource } from '@msgbatch/node';
 * const client = new Anthropic();
 * const store = new FileJobStore('jobs');
 * const job = await client.messages.batches.createJob(jsonlFileSource('requests.jsonl'), { store });
 * // after a crash, in a new process:
 * await client.messages.batches.resumeJob(job.jobId, { store, source: jsonlFileSource('requests.jsonl') });
 */
export class FileJobStore implements JobStore {
  /** The directory manifests are kept in (absolute). */
  readonly dir: string;
  /** The one file of a {@link FileJobStore.forPath} store (absolute); undefined for a directory store. */
  readonly file: string | undefined;
  readonly #queues = new Map<string, Promise<unknown>>();

  /**
   * @param dir - the directory of the manifests; created on the first save if missing
   */
  constructor(dir: string);
  /** @internal */
  constructor(dir: string, file: string | undefined);
  constructor(dir: string, file?: string) {
    if (typeof dir !== 'string' || dir === '') {
      throw new InvalidArgumentError('dir', 'must be a non-empty directory path');
    }
    this.dir = resolve(dir);
    this.file = file === undefined ? undefined : resolve(file);
  }

  /**
   * A store of one manifest file, as the CLI names a job by its manifest path: every
   * job id maps to `path`. A save refuses to replace a manifest of another job there
   * (`JobManifestError`), and a load of another id finds nothing.
   *
   * @param path - the manifest file, e.g. `requests.job.json`
   */
  static forPath(path: string): FileJobStore {
    if (typeof path !== 'string' || path === '') {
      throw new InvalidArgumentError('path', 'must be a non-empty file path');
    }
    const file = resolve(path);
    return new FileJobStore(join(file, '..'), file);
  }

  /**
   * Where the manifest of `jobId` is (or would be) kept.
   * @throws `InvalidArgumentError` for an id that cannot be a file name
   */
  path(jobId: string): string {
    if (this.file !== undefined) return this.file;
    if (typeof jobId !== 'string' || !SAFE_JOB_ID.test(jobId)) {
      throw new InvalidArgumentError(
        'jobId',
        'must be 1 to 128 letters, digits, "_" or "-" to be kept as a file',
      );
    }
    return join(this.dir, `${jobId}${MANIFEST_SUFFIX}`);
  }

  /**
   * The manifest of `jobId`, or undefined when there is none; the document is checked
   * (format `msgbatch.job`, version 1).
   * @throws `JobManifestError` when the file is not a valid job manifest
   */
  async load(jobId: string): Promise<JobManifest | undefined> {
    const path = this.path(jobId);
    const manifest = await readManifest(path);
    if (manifest === undefined) return undefined;
    if (this.file !== undefined && manifestJobId(manifest) !== jobId) return undefined;
    return manifest;
  }

  /**
   * The manifest in this store's one file, whatever its job id (a {@link FileJobStore.forPath}
   * store); undefined when the file does not exist.
   * @throws `JobManifestError` when the file is not a valid job manifest; `InvalidArgumentError` on a directory store
   */
  async read(): Promise<JobManifest | undefined> {
    if (this.file === undefined) {
      throw new InvalidArgumentError('store', 'read() is for a store of one file (forPath)');
    }
    return readManifest(this.file);
  }

  /**
   * Saves `manifest` atomically (temporary file, fsync, rename). Saves of the same
   * manifest are written in call order.
   * @throws `JobManifestError` when a forPath store's file holds another job
   */
  save(manifest: JobManifest): Promise<void> {
    const path = this.path(manifest.jobId);
    // Serialize the JSON now: the caller may change the object before the write runs.
    const text = `${JSON.stringify(manifest, null, 2)}\n`;
    const previous = this.#queues.get(path) ?? Promise.resolve();
    const next = previous
      .catch(() => {})
      .then(async () => {
        if (this.file !== undefined) await this.#refuseOtherJob(manifest.jobId);
        const { mkdir } = await import('node:fs/promises');
        await mkdir(this.dir, { recursive: true });
        await writeFileAtomic(path, text);
      });
    this.#queues.set(path, next);
    void next
      .finally(() => {
        if (this.#queues.get(path) === next) this.#queues.delete(path);
      })
      .catch(() => {});
    return next;
  }

  /** The job ids kept here: every `*.job.json` of the directory, or the one file's job. */
  async list(): Promise<string[]> {
    if (this.file !== undefined) {
      const manifest = await readManifest(this.file).catch(() => undefined);
      const id = manifest === undefined ? undefined : manifestJobId(manifest);
      return id === undefined ? [] : [id];
    }
    const { readdir } = await import('node:fs/promises');
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    return names
      .filter((n) => n.endsWith(MANIFEST_SUFFIX) && !n.startsWith('.'))
      .map((n) => n.slice(0, -MANIFEST_SUFFIX.length))
      .filter((id) => SAFE_JOB_ID.test(id))
      .sort();
  }

  #checked: string | undefined;
  async #refuseOtherJob(jobId: string): Promise<void> {
    if (this.#checked === jobId) return;
    const existing = await readManifest(this.file!).catch((error: unknown) => {
      if (error instanceof JobManifestError) return { jobId: undefined };
      throw error;
    });
    const other = existing === undefined ? undefined : manifestJobId(existing);
    if (existing !== undefined && other !== jobId) {
      throw new JobManifestError(
        `${this.file} holds ${other === undefined ? 'something other than a job manifest' : `job ${other}`}, not job ${jobId}; it is not replaced`,
      );
    }
    this.#checked = jobId;
  }
}

function manifestJobId(manifest: unknown): string | undefined {
  const id = (manifest as { jobId?: unknown } | null)?.jobId;
  return typeof id === 'string' ? id : undefined;
}

async function readManifest(path: string): Promise<JobManifest | undefined> {
  const { readFile } = await import('node:fs/promises');
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new JobManifestError(`${path} is not a JSON job manifest`);
  }
  return checkJobManifest(value, path);
}
