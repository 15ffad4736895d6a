import type * as v from 'valibot';
import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  type DeletedMessageBatch,
  type DeletedMessageBatchSchema,
  type IndividualResponseSchema,
  type Message,
  type MessageBatch,
  type MessageBatchIndividualResponse,
  type MessageBatchPage,
  type MessageBatchPageSchema,
  type MessageBatchRequestCounts,
  type MessageBatchSchema,
  type MessageSchema,
  type RequestCountsSchema,
  ResponseValidationError,
  type Usage,
  type UsageSchema,
} from '../src/index.ts';
import { batch, json, scriptedFetch, testClient } from './helpers/fake-fetch.ts';

// The schemas check the wire; the named interfaces are what users program against. These
// hold the two together: same keys, and every value the types allow, the schema accepts.
// (This file is type-checked by `pnpm typecheck`; a mismatch fails it.)

type Out<S extends v.GenericSchema> = v.InferOutput<S>;
/** The declared keys of a type, without an index signature's `string`. */
type KnownKeys<T> = keyof { [K in keyof T as string extends K ? never : K]: T[K] };
/** A schema's output without the index signatures of its loose objects, at every depth. */
type Known<T> = T extends readonly (infer E)[]
  ? Known<E>[]
  : T extends object
    ? { [K in keyof T as string extends K ? never : K]: Known<T[K]> }
    : T;
type Accepts<Schema, Type> = Type extends Schema ? true : false;

describe('named types and schemas', () => {
  it('have the same keys', () => {
    expectTypeOf<KnownKeys<MessageBatch>>().toEqualTypeOf<
      KnownKeys<Out<typeof MessageBatchSchema>>
    >();
    expectTypeOf<KnownKeys<MessageBatchRequestCounts>>().toEqualTypeOf<
      KnownKeys<Out<typeof RequestCountsSchema>>
    >();
    expectTypeOf<KnownKeys<DeletedMessageBatch>>().toEqualTypeOf<
      KnownKeys<Out<typeof DeletedMessageBatchSchema>>
    >();
    expectTypeOf<KnownKeys<MessageBatchPage>>().toEqualTypeOf<
      KnownKeys<Out<typeof MessageBatchPageSchema>>
    >();
    expectTypeOf<KnownKeys<MessageBatchIndividualResponse>>().toEqualTypeOf<
      KnownKeys<Out<typeof IndividualResponseSchema>>
    >();
  });

  it('what the types allow, the schemas accept', () => {
    expectTypeOf<
      Accepts<Known<Out<typeof MessageBatchSchema>>, MessageBatch>
    >().toEqualTypeOf<true>();
    expectTypeOf<
      Accepts<Known<Out<typeof MessageBatchPageSchema>>, MessageBatchPage>
    >().toEqualTypeOf<true>();
    expectTypeOf<
      Accepts<Known<Out<typeof DeletedMessageBatchSchema>>, DeletedMessageBatch>
    >().toEqualTypeOf<true>();
    expectTypeOf<Accepts<Known<Out<typeof MessageSchema>>, Message>>().toEqualTypeOf<true>();
    expectTypeOf<Accepts<Known<Out<typeof UsageSchema>>, Usage>>().toEqualTypeOf<true>();
    expectTypeOf<
      Accepts<Known<Out<typeof IndividualResponseSchema>>, MessageBatchIndividualResponse>
    >().toEqualTypeOf<true>();
    // And the other way: a mismatch is caught (a field the schema does not have).
    expectTypeOf<
      Accepts<Known<Out<typeof UsageSchema>>, { input_tokens: string }>
    >().toEqualTypeOf<false>();
  });

  it('are closed: a typo does not compile, and processing_status narrows', () => {
    const b = batch() as unknown as MessageBatch;
    // @ts-expect-error: no such field
    void b.procesing_status;
    // @ts-expect-error: the count is `canceled`
    void b.request_counts.cancelled;
    const label = (status: MessageBatch['processing_status']): string => {
      switch (status) {
        case 'in_progress':
          return 'running';
        case 'canceling':
          return 'stopping';
        case 'ended':
          return 'done';
        default: {
          const unreachable: never = status;
          return unreachable;
        }
      }
    };
    expect(label(b.processing_status)).toBe('running');
  });
});

describe('absent fields', () => {
  const { archived_at: _, ...withoutArchivedAt } = batch();

  it('a missing nullable field is read as null (cancel, retrieve, list)', async () => {
    const page = { data: [withoutArchivedAt], has_more: false, first_id: 'a', last_id: 'a' };
    const { fetch } = scriptedFetch(json(withoutArchivedAt), json(withoutArchivedAt), json(page));
    const { client } = testClient(fetch);
    expect((await client.messages.batches.cancel('msgbatch_x')).archived_at).toBeNull();
    expect((await client.messages.batches.retrieve('msgbatch_x')).archived_at).toBeNull();
    expect((await client.messages.batches.list()).data[0]!.archived_at).toBeNull();
  });

  it('a missing required field is a ResponseValidationError naming it', async () => {
    const { created_at: _c, ...withoutCreatedAt } = batch();
    const page = { data: [withoutCreatedAt], has_more: false, first_id: 'a', last_id: 'a' };
    const { fetch } = scriptedFetch(json(withoutCreatedAt), json(page));
    const { client } = testClient(fetch);
    const cancel = await client.messages.batches.cancel('msgbatch_x').catch((e: unknown) => e);
    expect(cancel).toBeInstanceOf(ResponseValidationError);
    expect((cancel as ResponseValidationError).field).toBe('created_at');
    const list = await client.messages.batches.list().catch((e: unknown) => e);
    expect((list as ResponseValidationError).field).toBe('data.0.created_at');
  });
});
