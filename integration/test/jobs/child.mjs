// One submitter process of the kill-and-resume proof (job-kill-resume.test.ts, harness.ts).
// Runs createJob (mode `create`) or resumeJob (mode `resume`) over a JSONL file with a
// FileJobStore, using the built packages, and tells the parent over IPC:
//   { event }            every JobEvent (errors as their name)
//   { done: manifest }   the call resolved
//   { failed: { name, message, chunks? } }  it rejected (chunks: JobAmbiguityError's)
// `kill` = { type, nth }: on the nth JobEvent of that type this process SIGKILLs itself
// inside the event callback — the same as the parent's kill, at an exact point (the event
// says where the job stands, so nothing after it may run).
//   node child.mjs '<json: { mode, baseURL, file, storeDir, jobId, maxRequestsPerBatch, concurrency, kill? }>'
import { Anthropic, FileJobStore, jsonlFileSource } from '@msgbatch/node';

const config = JSON.parse(process.argv[2]);
const client = new Anthropic({
  apiKey: 'sk-ant-kill-resume',
  baseURL: config.baseURL,
  logLevel: 'off',
});
const store = new FileJobStore(config.storeDir);
const source = jsonlFileSource(config.file);
const seen = new Map();

function onProgress(event) {
  const count = (seen.get(event.type) ?? 0) + 1;
  seen.set(event.type, count);
  const { error, batch, ...rest } = event;
  process.send?.({ event: { ...rest, ...(error ? { error: error.name } : {}) } });
  if (config.kill && config.kill.type === event.type && config.kill.nth === count) {
    process.kill(process.pid, 'SIGKILL');
  }
}

const options = {
  store,
  concurrency: config.concurrency,
  // The emulator has made a batch before it answers, and the parent starts a resume only
  // after the killed child is gone: a create cut short cannot appear later than this.
  graceMs: 1000,
  onProgress,
};
try {
  const manifest =
    config.mode === 'create'
      ? await client.messages.batches.createJob(source, {
          ...options,
          jobId: config.jobId,
          maxRequestsPerBatch: config.maxRequestsPerBatch,
        })
      : await client.messages.batches.resumeJob(config.jobId, { ...options, source });
  process.send?.({ done: manifest });
} catch (error) {
  process.send?.({
    failed: {
      name: error?.name ?? 'Error',
      message: String(error?.message ?? error),
      ...(error?.chunks ? { chunks: error.chunks } : {}),
    },
  });
}
// Let the last IPC message leave before exiting.
process.disconnect?.();
