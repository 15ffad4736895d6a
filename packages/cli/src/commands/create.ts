import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { type BatchCreateParams, buildCreateBatch } from '@msgbatch/node';
import { type Context, type Input, UsageError } from '../context.ts';
import { batchDetails } from '../format.ts';

/** Options of `msgbatch create`. */
export interface CreateCommandOptions {
  /** A JSONL file of `{custom_id, params}` lines; `-` or absent: stdin. */
  file?: string;
  dryRun?: boolean;
}

/** The API's limit on requests per batch. */
const MAX_REQUESTS = 100_000;

type Request = BatchCreateParams['requests'][number];

/**
 * Reads `{custom_id, params}` lines one at a time (a file is streamed, never read
 * whole), naming the file and line of the first bad one.
 */
async function readRequests(source: AsyncIterable<unknown>, name: string): Promise<Request[]> {
  const lines = createInterface({ input: source as NodeJS.ReadableStream, crlfDelay: Infinity });
  const requests: Request[] = [];
  const seen = new Map<string, number>();
  let n = 0;
  for await (const raw of lines) {
    n++;
    const line = raw.trim();
    if (line === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      throw new UsageError(`${name}:${n}: not JSON (${(error as Error).message}).`);
    }
    const { custom_id, params } = (value ?? {}) as Record<string, unknown>;
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new UsageError(`${name}:${n}: expected an object {"custom_id": …, "params": …}.`);
    }
    if (typeof custom_id !== 'string') {
      throw new UsageError(`${name}:${n}: "custom_id" must be a string.`);
    }
    if (typeof params !== 'object' || params === null || Array.isArray(params)) {
      throw new UsageError(
        `${name}:${n}: "params" must be an object (model, max_tokens, messages).`,
      );
    }
    const first = seen.get(custom_id);
    if (first !== undefined) {
      throw new UsageError(
        `${name}:${n}: custom_id "${custom_id}" is already used on line ${first}.`,
      );
    }
    seen.set(custom_id, n);
    if (requests.length === MAX_REQUESTS) {
      throw new UsageError(`${name}: more than ${MAX_REQUESTS} requests; split it into batches.`);
    }
    requests.push(value as Request);
  }
  if (requests.length === 0) throw new UsageError(`${name}: no requests (one JSON object a line).`);
  return requests;
}

function sourceOf(ctx: Context, file: string | undefined): { source: Input; name: string } {
  if (file !== undefined && file !== '-') {
    return { source: createReadStream(file), name: file };
  }
  const stdin = ctx.io.stdin;
  if (!stdin || stdin.isTTY) {
    throw new UsageError(
      'Give the requests with --file requests.jsonl, or pipe them in: msgbatch create < requests.jsonl',
    );
  }
  return { source: stdin, name: 'stdin' };
}

/**
 * `msgbatch create [--file requests.jsonl] [--dry-run]`: creates a batch from JSONL
 * lines (from the file, else stdin). Everything is checked before anything is sent;
 * `--dry-run` prints what would be sent and sends nothing.
 */
export async function createCommand(ctx: Context, options: CreateCommandOptions) {
  const { source, name } = sourceOf(ctx, options.file);
  let requests: Request[];
  try {
    requests = await readRequests(source, name);
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code) throw new UsageError(`Cannot read ${name} (${code}).`);
    throw error;
  }
  const spec = buildCreateBatch({ requests });
  if (options.dryRun) {
    const bytes =
      typeof spec.body === 'string' ? Buffer.byteLength(spec.body) : (spec.body?.bytes ?? 0);
    const models = [...new Set(requests.map((r) => String(r.params.model)))].sort();
    const summary = {
      dry_run: true,
      method: spec.method,
      path: spec.path,
      requests: requests.length,
      body_bytes: bytes,
      models,
      custom_ids: requests.map((r) => r.custom_id),
    };
    if (ctx.json) return ctx.printJSON(summary);
    ctx.print(`Would send ${spec.method} ${spec.path} (nothing was sent):`);
    ctx.print(`  requests:   ${requests.length}`);
    ctx.print(`  body:       ${bytes} bytes`);
    ctx.print(`  models:     ${models.join(', ')}`);
    const ids = summary.custom_ids;
    ctx.print(
      `  custom_ids: ${ids.length > 6 ? `${ids.slice(0, 3).join(', ')}, …, ${ids.slice(-3).join(', ')}` : ids.join(', ')}`,
    );
    return;
  }
  const batch = await ctx.client().messages.batches.create({ requests }, { signal: ctx.signal });
  if (ctx.json) return ctx.printJSON(batch);
  for (const line of batchDetails(batch, ctx.utc)) ctx.print(line);
  ctx.note(`Follow it with: msgbatch wait ${batch.id}`);
}
