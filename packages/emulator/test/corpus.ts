import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * One recorded interaction of `../shared/fixtures/recorded-api.json`: reference data read
 * in place (relative to the repository root), never copied into the repository.
 */
export interface RecordedInteraction {
  source: string;
  recorded_at: string | null;
  request: {
    method: string;
    path: string;
    anthropic_version: string | null;
    anthropic_beta: string | null;
    body: string | null;
  };
  response: { status: number; headers: Record<string, string>; body: string };
}

/** `<repository root>/../shared/fixtures/recorded-api.json`, resolved from this file. */
export const CORPUS_PATH = fileURLToPath(
  new URL('../../../../shared/fixtures/recorded-api.json', import.meta.url),
);

/** Why the corpus tests are skipped, when they are. */
export const CORPUS_ABSENT = `the recorded API corpus is absent (${CORPUS_PATH}): it is reference data kept beside the repository, not in it`;

/** The recorded interactions, or `undefined` when the corpus is absent (a user's clone). */
export function loadCorpus(): RecordedInteraction[] | undefined {
  if (!existsSync(CORPUS_PATH)) return undefined;
  return JSON.parse(readFileSync(CORPUS_PATH, 'utf8')) as RecordedInteraction[];
}

/**
 * The year an interaction shows the API of. One client's cassettes carry no date; their
 * batches were created in 2025 (`created_at` of their bodies), so they count as 2025.
 */
export const yearOf = (entry: RecordedInteraction): number =>
  entry.recorded_at ? new Date(entry.recorded_at).getUTCFullYear() : 2025;

/** A short, unique name for an interaction in test titles. */
export const nameOf = (entry: RecordedInteraction, index: number) =>
  `#${index} ${entry.request.method} ${entry.request.path.replace(/msgbatch_\w+/, '{id}')} → ${entry.response.status} (${entry.source.split('/').slice(0, 2).join('/')}, ${yearOf(entry)})`;
