import * as failureModule from './http-error.ts';

/**
 * The failure-path code, imported up front. This is the variant an edge Worker resolves
 * (`#failures` in package.json, `workerd` condition, as wrangler bundles): a Worker is one
 * file, which carries the failure path either way, and a static import spares the bundler's
 * lazy-module wrapper around every module the failure path shares with the rest.
 *
 * @returns a promise of the failure module, as `failures.ts` does
 */
export const failures = async () => failureModule;
