import type { Random } from './random.ts';

/** A batch id: `msgbatch_01` + 22 letters/digits, like every real id seen. */
export const newBatchId = (random: Random): string => `msgbatch_01${random.alphanumeric(22)}`;

/** A response id: `req_01` + 22 letters/digits (24 characters after the prefix). */
export const newRequestId = (random: Random): string => `req_01${random.alphanumeric(22)}`;

/** A message id: `msg_01` + 22 letters/digits. */
export const newMessageId = (random: Random): string => `msg_01${random.alphanumeric(22)}`;

/** A workspace id: `wrkspc_` + letters/digits as the API reports them (`01` + 22, like the other ids). */
export const newWorkspaceId = (random: Random): string => `wrkspc_01${random.alphanumeric(22)}`;

/** A UUID-shaped string (for `anthropic-organization-id`), derived from the seed. */
export function newUuid(random: Random): string {
  const hex = () => random.int(16).toString(16);
  const part = (n: number) => Array.from({ length: n }, hex).join('');
  return `${part(8)}-${part(4)}-4${part(3)}-a${part(3)}-${part(12)}`;
}
