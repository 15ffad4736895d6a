// The type of `#failures` (package.json "imports": `failures.ts`, or `failures.workerd.ts` in
// an edge Worker), declared here rather than in tsconfig.json's `paths`: esbuild follows those
// paths when it bundles the workspace's packages (conformance, scripts/size.mjs), and would
// take the failure path from src/ beside the rest from dist/, two copies of every error class.
declare module '#failures' {
  export const failures: () => Promise<typeof import('./http-error.ts')>;
}
