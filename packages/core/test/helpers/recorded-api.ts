// Core type-checks without Node's types (it reads no runtime global); the test loads fs itself.
const fs = (await import('node:fs' as string)) as {
  existsSync(path: URL): boolean;
  readFileSync(path: URL, encoding: 'utf8'): string;
};

/**
 * One recorded interaction of `../shared/fixtures/recorded-api.json` (reference data read
 * in place, never copied into the repository).
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

/** `../shared/fixtures/recorded-api.json` beside the repository root, from this file's place. */
const RECORDED_API_URL = new URL(
  '../../../../../shared/fixtures/recorded-api.json',
  import.meta.url,
);
export const RECORDED_API_PATH = decodeURIComponent(RECORDED_API_URL.pathname);

/** Why the corpus tests are skipped, when they are. */
export const RECORDED_API_ABSENT = `the recorded API corpus is absent (${RECORDED_API_PATH}): it is reference data kept beside the repository, not in it`;

/** The recorded interactions, or `undefined` when the corpus is absent (a user's clone). */
export function loadRecordedApi(): RecordedInteraction[] | undefined {
  if (!fs.existsSync(RECORDED_API_URL)) return undefined;
  return JSON.parse(fs.readFileSync(RECORDED_API_URL, 'utf8')) as RecordedInteraction[];
}

/** A short, unique name for an interaction in test titles. */
export const nameOf = (entry: RecordedInteraction, index: number) =>
  `#${index} ${entry.request.method} ${entry.request.path.replace(/msgbatch_\w+/, '{id}')} → ${entry.response.status} (${entry.source.split('/').slice(0, 2).join('/')}, ${entry.recorded_at ?? 'undated'})`;
