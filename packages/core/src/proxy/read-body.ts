/** Default largest request body the proxy accepts: 32 MiB, far above a page's batches. */
export const DEFAULT_MAX_BODY_BYTES = 32 * 1024 * 1024;

export { exceedsDeclaredLength, readBodyLimited } from '../read-body-limited.ts';
