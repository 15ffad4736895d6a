import { invalidRequest } from './errors.ts';
import { newWorkspaceId } from './ids.ts';
import { createRandom } from './random.ts';

/** Which workspaces each credential can act in. */
export interface WorkspaceDirectory {
  /** The workspace of every credential `workspaces` does not list (of all of them by default). */
  readonly defaultId: string;
  /** Listed credentials → the workspaces each can act in, in the order they were listed. */
  readonly byCredential: ReadonlyMap<string, readonly string[]>;
}

/** The request header naming the workspace a request acts in. */
export const WORKSPACE_HEADER = 'anthropic-workspace-id';

const WORKSPACE_ID = /^wrkspc_[A-Za-z0-9]+$/;

/**
 * Builds the directory from the `workspaces` option (workspace id → credentials); the
 * default workspace's id derives from the seed. Throws a TypeError naming a bad entry.
 */
export function resolveWorkspaces(
  workspaces: Readonly<Record<string, readonly string[]>> | undefined,
  seed: string,
): WorkspaceDirectory {
  const byCredential = new Map<string, string[]>();
  for (const [id, credentials] of Object.entries(workspaces ?? {})) {
    if (!WORKSPACE_ID.test(id)) {
      throw new TypeError(`workspaces: "${id}" is not a workspace id (wrkspc_ + letters/digits)`);
    }
    if (!Array.isArray(credentials)) {
      throw new TypeError(`workspaces.${id} must be a list of credentials`);
    }
    for (const credential of credentials) {
      if (typeof credential !== 'string' || credential === '') {
        throw new TypeError(`workspaces.${id}: credentials must be non-empty strings`);
      }
      const ids = byCredential.get(credential) ?? [];
      if (!ids.includes(id)) ids.push(id);
      byCredential.set(credential, ids);
    }
  }
  return { defaultId: newWorkspaceId(createRandom(seed, 'workspace')), byCredential };
}

/**
 * The workspace a request made with an accepted `credential` runs in, or the 400 refusing
 * its `anthropic-workspace-id`. A credential bound to one workspace may omit the header or
 * repeat that workspace; one that can act in several must name one of them.
 */
export function selectWorkspace(
  request: Request,
  credential: string,
  directory: WorkspaceDirectory,
  requestId: string,
): string | Response {
  const allowed = directory.byCredential.get(credential) ?? [directory.defaultId];
  const asked = request.headers.get(WORKSPACE_HEADER);
  if (asked === null) {
    if (allowed.length === 1) return allowed[0]!;
    // The API's words for an identity-linked key (one that reaches several workspaces).
    return invalidRequest(
      `${WORKSPACE_HEADER} is required when authenticating with an identity-linked API key; send the id of the workspace this request acts in.`,
      requestId,
    );
  }
  if (!WORKSPACE_ID.test(asked)) {
    return invalidRequest(`${WORKSPACE_HEADER} header must be a valid workspace ID.`, requestId);
  }
  if (allowed.includes(asked)) return asked;
  const message =
    allowed.length === 1
      ? `${WORKSPACE_HEADER}: "${asked}" does not match the workspace of this credential; send "${allowed[0]}" or omit the header.`
      : `${WORKSPACE_HEADER}: "${asked}" is not a workspace this credential can act in.`;
  return invalidRequest(message, requestId);
}
