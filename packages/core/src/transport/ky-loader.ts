import ky from 'ky';

/**
 * ky, loaded with the transport. This is the variant pages, workers and edge
 * runtimes resolve (`#ky-loader` in package.json): a bundle carries ky with the
 * client, so the first request waits for no extra chunk.
 *
 * @returns ky itself
 */
export const loadKy = (): typeof ky => ky;
