import type ky from 'ky';

let loading: Promise<typeof ky> | undefined;

/**
 * ky, loaded on the first request. This is the variant Node resolves (`#ky-loader`
 * in package.json): ky's import-time feature check constructs a `Request`, which
 * makes Node load its fetch implementation (about 45 ms on our machines, more than
 * the rest of the client together) — a cost a process that imports the client but
 * sends nothing yet (a CLI's `--help`, a server starting up) should not pay.
 *
 * @returns a promise of ky, the same one for every call
 */
export const loadKy = (): Promise<typeof ky> =>
  (loading ??= import('ky').then((module) => module.default));
