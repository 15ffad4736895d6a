import type { BatchRecord } from './processing.ts';

/** One page of records, newest first, plus whether more lie in the paging direction. */
export interface RecordPage {
  records: BatchRecord[];
  hasMore: boolean;
  /** Set when the cursor names no batch the workspace has seen (the page is then empty). */
  unknownCursor?: string;
}

/** Which page to read: at most one cursor. */
export interface PageQuery {
  limit: number;
  /** Only this workspace's records; a cursor naming another workspace's batch is unknown. */
  workspace?: string | undefined;
  beforeId?: string | undefined;
  afterId?: string | undefined;
}

/**
 * The in-memory batch store of one emulator. Records are kept in creation order
 * (creation times are strictly increasing, so this is also `created_at` order);
 * deleted ids keep their position so a cursor pointing at them still pages.
 * Reads given a workspace see only that workspace's records; the others do not exist for it.
 */
export class BatchStore {
  readonly #byId = new Map<string, BatchRecord>();
  /** Oldest first; deleted records stay here with `deleted` set in #deleted. */
  readonly #ordered: BatchRecord[] = [];
  readonly #position = new Map<string, number>();
  readonly #deleted = new Set<string>();

  /** Adds a new (newest) record. */
  add(record: BatchRecord): void {
    this.#position.set(record.id, this.#ordered.length);
    this.#ordered.push(record);
    this.#byId.set(record.id, record);
  }

  /** The live record with this id, if any (in `workspace`, when given). */
  get(id: string, workspace?: string): BatchRecord | undefined {
    const record = this.#byId.get(id);
    return workspace === undefined || record?.workspace === workspace ? record : undefined;
  }

  /** Removes a record; its id stays usable as a list cursor. */
  delete(id: string): boolean {
    if (!this.#byId.delete(id)) return false;
    this.#deleted.add(id);
    return true;
  }

  /** Number of live records. */
  get size(): number {
    return this.#byId.size;
  }

  /** Every live record, newest first. */
  newestFirst(): BatchRecord[] {
    const out: BatchRecord[] = [];
    for (let i = this.#ordered.length - 1; i >= 0; i--) {
      const record = this.#ordered[i]!;
      if (!this.#deleted.has(record.id)) out.push(record);
    }
    return out;
  }

  /**
   * A page in list order (newest first). `afterId` pages toward older records,
   * `beforeId` toward newer ones (the page adjacent to the cursor). An unknown
   * cursor (or one of another workspace) yields an empty page.
   */
  page(query: PageQuery): RecordPage {
    const { workspace } = query;
    const visible = (i: number) =>
      workspace === undefined || this.#ordered[i]!.workspace === workspace;
    const cursor = query.afterId ?? query.beforeId;
    const at = cursor === undefined ? undefined : this.#position.get(cursor);
    if (cursor !== undefined && (at === undefined || !visible(at))) {
      return { records: [], hasMore: false, unknownCursor: cursor };
    }
    const live = (i: number) => visible(i) && !this.#deleted.has(this.#ordered[i]!.id);
    const records: BatchRecord[] = [];
    if (query.beforeId !== undefined) {
      // Newer than the cursor: walk upward from it, then present newest first.
      let i = at! + 1;
      for (; i < this.#ordered.length && records.length < query.limit; i++) {
        if (live(i)) records.push(this.#ordered[i]!);
      }
      let hasMore = false;
      for (; i < this.#ordered.length && !hasMore; i++) hasMore = live(i);
      return { records: records.reverse(), hasMore };
    }
    let i = at === undefined ? this.#ordered.length - 1 : at - 1;
    for (; i >= 0 && records.length < query.limit; i--) {
      if (live(i)) records.push(this.#ordered[i]!);
    }
    let hasMore = false;
    for (; i >= 0 && !hasMore; i--) hasMore = live(i);
    return { records, hasMore };
  }

  /** Forgets everything. */
  clear(): void {
    this.#byId.clear();
    this.#ordered.length = 0;
    this.#position.clear();
    this.#deleted.clear();
  }
}
