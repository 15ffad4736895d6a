import type { RequestOptions } from '../transport/transport.ts';

// Apart from shared.ts, which the cancel path loads: only create uses it, and bundlers
// split by module (scripts/size.mjs).

/**
 * `options` with headers added from params (`workspace_id` → `anthropic-workspace-id`, …);
 * an undefined or null value adds nothing, and the caller's own `options.headers` win.
 */
export function withParamHeaders(
  options: RequestOptions | undefined,
  headers: Record<string, string | null | undefined>,
): RequestOptions | undefined {
  const added: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) if (value != null) added[name] = value;
  if (Object.keys(added).length === 0) return options;
  return { ...options, headers: { ...added, ...options?.headers } };
}
