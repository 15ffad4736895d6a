// The jobs functions in one module: what `BatchesWithJobs` loads on first use.
export { cancelJob } from './cancel-job.ts';
export { createJob } from './create-job.ts';
export { jobResults } from './job-results.ts';
export { resumeJob } from './resume-job.ts';
export { summarizeJob } from './summarize-job.ts';
export { waitForJob } from './wait-for-job.ts';
