// @ts-check
/**
 * Loads a module that may not exist yet (the browser proxy and client arrive with
 * issue 5); its absence turns the scenarios that need it into skips.
 * @template T
 * @param {() => Promise<T>} load
 * @returns {Promise<T | undefined>}
 */
export async function optional(load) {
  try {
    return await load();
  } catch (error) {
    const code = /** @type {any} */ (error)?.code;
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'ERR_PACKAGE_PATH_NOT_EXPORTED')
      return undefined;
    if (/Cannot find (module|package)/.test(String(error))) return undefined;
    throw error;
  }
}
