import {
  CUSTOM_ID_PATTERN,
  MAX_CREATE_BODY_BYTES,
  MAX_REQUESTS_PER_BATCH,
  readBodyLimited,
} from '@msgbatch/core';
import type { EmulatedRequest } from './outcomes.ts';

/** Why a create body was refused: HTTP status, error type, the API's message. */
export interface BodyProblem {
  status: 400 | 413;
  type: 'invalid_request_error' | 'request_too_large';
  message: string;
}

const tooLarge: BodyProblem = {
  status: 413,
  type: 'request_too_large',
  message: 'Request exceeds the maximum size',
};
const bad = (message: string): BodyProblem => ({
  status: 400,
  type: 'invalid_request_error',
  message,
});

/**
 * Reads a request body as text, refusing (413) past `limit` bytes — from
 * `content-length` when sent, else while streaming, so an oversized body is never held whole.
 */
export async function readBodyText(
  request: Request,
  limit = MAX_CREATE_BODY_BYTES,
): Promise<string | BodyProblem> {
  const body = await readBodyLimited(request, limit);
  if (body === null) return tooLarge;
  return new TextDecoder().decode(body);
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function checkCustomId(value: unknown, at: string): string | undefined {
  if (value === undefined) return `${at}: Field required`;
  if (typeof value !== 'string') return `${at}: Input should be a valid string`;
  if (value.length < 1) return `${at}: String should have at least 1 character`;
  if (value.length > 64) return `${at}: String should have at most 64 characters`;
  if (!CUSTOM_ID_PATTERN.test(value)) {
    return `${at}: String should match pattern '^[a-zA-Z0-9_-]{1,64}$'`;
  }
  return undefined;
}

function checkItem(item: unknown, index: number): string | undefined {
  const at = `requests.${index}`;
  if (!isObject(item)) return `${at}: Input should be a valid dictionary`;
  const idProblem = checkCustomId(item.custom_id, `${at}.custom_id`);
  if (idProblem) return idProblem;
  if (item.params === undefined) return `${at}.params: Field required`;
  if (!isObject(item.params)) return `${at}.params: Input should be a valid dictionary`;
  if (nestsDeeperThan(item.params, MAX_PARAMS_DEPTH)) {
    return `${at}.params: Input nests objects and arrays deeper than ${MAX_PARAMS_DEPTH} levels`;
  }
  for (const key of Object.keys(item)) {
    if (key !== 'custom_id' && key !== 'params')
      return `${at}.${key}: Extra inputs are not permitted`;
  }
  return undefined;
}

/**
 * Parses and checks a create body with the API's own messages (`requests.0.custom_id:
 * Field required`, the duplicate message, …). Only the batch envelope is checked here;
 * the Messages `params` are judged at processing time and surface as `errored` lines.
 */
export function parseCreateBody(text: string): EmulatedRequest[] | BodyProblem {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    return bad(`The request body is not valid JSON: ${(error as Error).message}`);
  }
  if (!isObject(body)) return bad('Input should be a valid dictionary');
  for (const key of Object.keys(body)) {
    if (key !== 'requests') return bad(`${key}: Extra inputs are not permitted`);
  }
  const { requests } = body;
  if (requests === undefined) return bad('requests: Field required');
  if (!Array.isArray(requests)) return bad('requests: Input should be a valid list');
  for (let i = 0; i < requests.length; i++) {
    const problem = checkItem(requests[i], i);
    if (problem) return bad(problem);
  }
  if (requests.length < 1) {
    return bad('requests: List should have at least 1 item after validation, not 0');
  }
  if (requests.length > MAX_REQUESTS_PER_BATCH) {
    return bad(
      `requests: List should have at most ${MAX_REQUESTS_PER_BATCH} items after validation, not ${requests.length}`,
    );
  }
  const seen = new Set<string>();
  for (const item of requests as EmulatedRequest[]) {
    if (seen.has(item.custom_id)) {
      return bad(
        `requests: custom_id's must be unique within a batch. Duplicate custom_id found: ${item.custom_id}`,
      );
    }
    seen.add(item.custom_id);
  }
  return (requests as EmulatedRequest[]).map((r) => ({ custom_id: r.custom_id, params: r.params }));
}

/**
 * How deep objects and arrays may nest inside one request's `params` (the params object
 * itself is level 1). Real prompts stay far below it; far deeper input would overflow the
 * stack of every later read of the batch (its results are serialized recursively).
 */
export const MAX_PARAMS_DEPTH = 256;

/** True when `value` nests deeper than `limit`. Walks with its own stack, never the JS one. */
function nestsDeeperThan(value: unknown, limit: number): boolean {
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (depth > limit) return true;
    const children = Array.isArray(node) ? node : Object.values(node as object);
    for (const child of children) {
      if (typeof child === 'object' && child !== null) stack.push([child, depth + 1]);
    }
  }
  return false;
}

/** Narrows a validation answer to a problem. */
export const isProblem = (value: unknown): value is BodyProblem =>
  isObject(value) && typeof value.status === 'number' && typeof value.message === 'string';
