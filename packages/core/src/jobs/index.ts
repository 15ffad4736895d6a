export {
  type AmbiguousChunk,
  JobAmbiguityError,
  JobManifestError,
  JobNotFoundError,
  JobSourceError,
  JobStateError,
} from './errors.ts';
export { MemoryJobStore } from './memory-store.ts';
export type * from './types.ts';
