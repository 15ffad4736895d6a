/**
 * The failure-path code (the typed errors of failed answers and reads, the retry rules,
 * the redaction of errors), loaded with the first failure: a page that cancels without
 * one never downloads it. One module behind one `import()`, so that bundlers make it one
 * chunk (and Vite one preload list).
 */
export const failures = () => import('./http-error.ts');
