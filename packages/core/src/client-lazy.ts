// Everything `client.messages.batches` loads on first use (client.ts, `later`).
export { batchResults } from './operations/batch-results.ts';
export { createBatch } from './operations/create-batch.ts';
export { listBatches } from './operations/list-batches.ts';
export { cancelAndWait } from './workflows/cancel-and-wait.ts';
export { cancelMany } from './workflows/cancel-many.ts';
export { canceledRequests, summarizeResults } from './workflows/summarize-results.ts';
export { waitForEnd } from './workflows/wait-for-end.ts';
