export { BatchesWithJobs } from './batches-with-jobs.ts';
export { cancelJob } from './cancel-job.ts';
export { createJob, newJobId } from './create-job.ts';
export {
  type AmbiguousChunk,
  JobAmbiguityError,
  JobManifestError,
  JobNotFoundError,
  JobSourceError,
  JobStateError,
} from './errors.ts';
export { IdSet } from './id-set.ts';
export { jobResults } from './job-results.ts';
export {
  checkJobManifest,
  JOB_MANIFEST_FORMAT,
  JOB_MANIFEST_VERSION,
  JobManifestSchema,
  loadJobManifest,
} from './manifest.ts';
export { MemoryJobStore } from './memory-store.ts';
export { checkRequest, isJobSource, toJobSource } from './plan.ts';
export { resumeJob } from './resume-job.ts';
export { summarizeJob } from './summarize-job.ts';
export type * from './types.ts';
export { waitForJob } from './wait-for-job.ts';
