import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, isMsgbatchError } from '../src/errors.ts';
import { buildBatchResults } from '../src/operations/batch-results.ts';
import { buildCancelBatch } from '../src/operations/cancel-batch.ts';
import { buildDeleteBatch } from '../src/operations/delete-batch.ts';
import { buildRetrieveBatch } from '../src/operations/retrieve-batch.ts';
import { batch, json, scriptedFetch, testClient } from './helpers/fake-fetch.ts';

const PREFIX = '/v1/messages/batches/';

/** Each id-taking builder and the suffix its path must end with after the id segment. */
const BUILDERS = [
  { name: 'retrieve', build: buildRetrieveBatch, suffix: '' },
  { name: 'delete', build: buildDeleteBatch, suffix: '' },
  { name: 'cancel', build: buildCancelBatch, suffix: '/cancel' },
  { name: 'results', build: buildBatchResults, suffix: '/results' },
] as const;

/** Strings a URL parser treats specially, mixed into the generated ids. */
const tricky = fc.constantFrom(
  '.',
  '..',
  '...',
  './',
  '../',
  '/..',
  '%2e',
  '%2E%2e',
  '.%2e',
  '%2e.',
  '/',
  '\\',
  '..\\',
  '?',
  '#',
  '%',
  '%2F',
  '%5C',
  '?after_id=x',
  '#frag',
  ' ',
  '\t',
  '\n',
  '\u0000',
  'msgbatch_01',
  '\u00e9',
  '\u{1f600}',
  '\uff0e\uff0e', // fullwidth dots
  'cancel',
  'results',
);

/** Any well-formed string, built from ordinary characters and tricky pieces. */
const wellFormedId = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.array(fc.oneof(tricky, fc.string({ maxLength: 3 })), { maxLength: 6 }).map((p) => p.join('')),
  tricky,
);

/**
 * The property: the path, resolved by `new URL` as fetch resolves it (dot segments and
 * backslashes included), is exactly `/v1/messages/batches/<one segment><suffix>` with
 * that segment decoding back to the id, and nothing spills into the query or fragment.
 */
function checkResolved(url: string, id: string, suffix: string, base = 'http://127.0.0.1:9') {
  const resolved = new URL(url);
  const basePath = new URL(base).pathname.replace(/\/+$/, '');
  expect(resolved.search).toBe('');
  expect(resolved.hash).toBe('');
  expect(resolved.pathname.startsWith(basePath + PREFIX)).toBe(true);
  const rest = resolved.pathname.slice(basePath.length + PREFIX.length);
  expect(rest.endsWith(suffix)).toBe(true);
  const segment = rest.slice(0, rest.length - suffix.length);
  expect(segment).not.toBe('');
  expect(segment).not.toContain('/');
  expect(decodeURIComponent(segment)).toBe(id);
}

/** Any sequence of UTF-16 code units, lone surrogates included. */
const anyCodeUnits = fc.string({
  unit: fc.integer({ min: 0, max: 0xffff }).map((unit) => String.fromCharCode(unit)),
  minLength: 1,
  maxLength: 12,
});

describe('batch id encoding (properties)', () => {
  it('builds one segment under /v1/messages/batches/ for any id, or refuses it with InvalidArgumentError', () => {
    fc.assert(
      fc.property(wellFormedId, (id) => {
        for (const { build, suffix } of BUILDERS) {
          let path: string;
          try {
            path = build(id).path;
          } catch (error) {
            expect(error).toBeInstanceOf(InvalidArgumentError);
            expect(['.', '..', '']).toContain(id);
            continue;
          }
          checkResolved(`http://127.0.0.1:9${path}`, id, suffix);
        }
      }),
      { numRuns: 3_000 },
    );
  }, 60_000);

  it('sends exactly that path through the transport, or nothing at all', async () => {
    const bases = ['http://127.0.0.1:9', 'http://proxy.test/anthropic/', 'http://proxy.test/a/b'];
    await fc.assert(
      fc.asyncProperty(wellFormedId, fc.constantFrom(...bases), async (id, baseURL) => {
        const { fetch, requests } = scriptedFetch(json(batch()));
        const { client } = testClient(fetch, { baseURL });
        const { batches } = client.messages;
        const calls = [
          { run: () => batches.retrieve(id), suffix: '' },
          { run: () => batches.cancel(id), suffix: '/cancel' },
          { run: () => batches.delete(id), suffix: '' },
          { run: () => batches.results(id), suffix: '/results' },
        ];
        for (const { run, suffix } of calls) {
          const before = requests.length;
          let refused: unknown;
          await Promise.resolve(run()).catch((error: unknown) => {
            refused = error;
          });
          if (refused !== undefined && requests.length === before) {
            // Refused before sending, with the typed error.
            expect(refused).toBeInstanceOf(InvalidArgumentError);
            continue;
          }
          expect(requests.length).toBe(before + 1);
          checkResolved(requests.at(-1)!.url, id, suffix, baseURL);
        }
      }),
      { numRuns: 600 },
    );
  }, 60_000);

  it('refuses anything that is not a non-empty string before sending', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.anything().filter((v) => typeof v !== 'string'),
        async (id) => {
          const { fetch, requests } = scriptedFetch(json(batch()));
          const { client } = testClient(fetch);
          const error = await client.messages.batches.retrieve(id as string).then(
            () => null,
            (e: unknown) => e,
          );
          expect(error).toBeInstanceOf(InvalidArgumentError);
          expect(requests).toHaveLength(0);
        },
      ),
      { numRuns: 500 },
    );
  }, 60_000);

  // Found by this property: a lone surrogate used to escape as a URIError.
  it('refuses ids that are not well-formed UTF-16 with InvalidArgumentError, or encodes them as one segment', () => {
    fc.assert(
      fc.property(anyCodeUnits, (id) => {
        for (const { build, suffix } of BUILDERS) {
          let path: string;
          try {
            path = build(id).path;
          } catch (error) {
            expect(isMsgbatchError(error)).toBe(true);
            continue;
          }
          checkResolved(`http://127.0.0.1:9${path}`, id, suffix);
        }
      }),
      { numRuns: 2_000 },
    );
  }, 60_000);
});
