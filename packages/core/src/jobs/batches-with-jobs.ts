import { Batches } from '../client.ts';
import type {
  CancelJobOptions,
  CreateJobOptions,
  JobCancelReport,
  JobManifest,
  JobReadOptions,
  JobRequest,
  JobResultLine,
  JobSource,
  JobSummary,
  ResumeJobOptions,
  WaitForJobOptions,
} from './types.ts';

/** The jobs code, loaded on first use (one chunk). */
const jobs = () => import('./functions.ts');

/**
 * `client.messages.batches` with jobs: requests of any number split into batches, submitted
 * with a manifest that survives a crash, followed, canceled and read as one. The jobs code
 * loads on first use. `@msgbatch/node`'s client uses it; a page's client does not (its first
 * download stays small).
 */
export class BatchesWithJobs extends Batches {
  /** Splits and submits requests as one job. See {@link createJob}. */
  async createJob(
    source: JobSource | Iterable<JobRequest> | AsyncIterable<JobRequest>,
    options: CreateJobOptions,
  ): Promise<JobManifest> {
    return (await jobs()).createJob(this.transport, source, options);
  }

  /** Continues a job after a crash, never creating a batch twice. See {@link resumeJob}. */
  async resumeJob(jobId: string, options: ResumeJobOptions): Promise<JobManifest> {
    return (await jobs()).resumeJob(this.transport, jobId, options);
  }

  /** Polls until every batch of the job has ended. See {@link waitForJob}. */
  async waitForJob(job: string | JobManifest, options: WaitForJobOptions): Promise<JobManifest> {
    return (await jobs()).waitForJob(this.transport, job, options);
  }

  /** Cancels the job's batches and accounts for every custom_id. See {@link cancelJob}. */
  async cancelJob(job: string | JobManifest, options: CancelJobOptions): Promise<JobCancelReport> {
    return (await jobs()).cancelJob(this.transport, job, options);
  }

  /** Every result line of the job, with its batch id, streamed. See {@link jobResults}. */
  async *jobResults(
    job: string | JobManifest,
    options: JobReadOptions,
  ): AsyncGenerator<JobResultLine> {
    yield* (await jobs()).jobResults(this.transport, job, options);
  }

  /** Counts, ids per outcome and token usage of an ended job. See {@link summarizeJob}. */
  async summarizeJob(job: string | JobManifest, options: JobReadOptions): Promise<JobSummary> {
    return (await jobs()).summarizeJob(this.transport, job, options);
  }
}
