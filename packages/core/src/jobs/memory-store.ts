import type { JobManifest, JobStore } from './types.ts';

/**
 * A {@link JobStore} in memory, for tests and short-lived jobs. Saves and loads deep
 * copies (through JSON, as a file store would), so a manifest changed after `save` does not
 * change what is stored.
 */
export class MemoryJobStore implements JobStore {
  readonly #documents = new Map<string, string>();

  /** The manifest of `jobId`, a fresh copy, or `undefined`. */
  async load(jobId: string): Promise<JobManifest | undefined> {
    const text = this.#documents.get(jobId);
    return text === undefined ? undefined : (JSON.parse(text) as JobManifest);
  }

  /** Stores a copy of the manifest under its `jobId`, replacing the previous one. */
  async save(manifest: JobManifest): Promise<void> {
    this.#documents.set(manifest.jobId, JSON.stringify(manifest));
  }

  /** The ids of the jobs held, in the order they were first saved. */
  async list(): Promise<string[]> {
    return [...this.#documents.keys()];
  }
}
