import type { PerResultType } from './summarize-results.ts';

/**
 * The `custom_id`s of each result type, in arrival order, and which of them repeat: the
 * bookkeeping of summarizeResults.
 *
 * Hint: it replaces a `Set` of the ids, which cost as much as reading their lines did
 * (~100 ms per 200,000 ids, bench/RESULTS.md, summarizeResults). Here a probe reads only
 * a typed array of 32-bit hashes, and an id is looked up (in its type's list) only when
 * hashes are equal.
 */
export class CustomIdsByType {
  /** The ids per type: the four documented ones first, others as they appear. */
  readonly lists: PerResultType<string[]>;
  /** The same lists by number, so that a slot can name its list. */
  readonly #numbered: string[][] = [];
  readonly #numbers = new Map<string, number>();
  #lastType: string | undefined;
  #lastNumber = 0;
  // Open addressing with linear probing, at most half full, over the ids' hashes alone (0 marks
  // an empty slot), so that a probe reads one small array; the slot's id is looked up only
  // when hashes are equal, through its arrival number: `#arrivals[slot]` is that number + 1.
  #hashes: Int32Array;
  #arrivals: Int32Array;
  // Per arrival number: the list the id went to, and its position there.
  #listOf = new Int32Array(1024);
  #positionOf = new Int32Array(1024);
  #size = 0;

  /**
   * @param lists - An empty list per documented type (more are added as types appear).
   * @param expected - How many ids are likely to come: the table is sized for them at once.
   */
  constructor(lists: PerResultType<string[]>, expected: number) {
    this.lists = lists;
    let capacity = 1024;
    while (capacity < 2 * expected && capacity < MAX_INITIAL_CAPACITY) capacity *= 2;
    this.#hashes = new Int32Array(capacity);
    this.#arrivals = new Int32Array(capacity);
    for (const type of Object.keys(this.lists)) this.#number(type);
  }

  /**
   * Appends `customId` to the list of `type`.
   * @returns false when the id was added before (to any list).
   */
  add(customId: string, type: string): boolean {
    // Lines of one type tend to come in runs: the same type string saves the map lookup.
    if (type !== this.#lastType) {
      this.#lastType = type;
      this.#lastNumber = this.#numbers.get(type) ?? this.#number(type);
    }
    const number = this.#lastNumber;
    const list = this.#numbered[number]!;
    const hash = hashOf(customId) | 1;
    const hashes = this.#hashes;
    const mask = hashes.length - 1;
    let slot = hash & mask;
    for (; hashes[slot] !== 0; slot = (slot + 1) & mask) {
      if (hashes[slot] === hash && this.#idOf(this.#arrivals[slot]! - 1) === customId) {
        list.push(customId);
        return false;
      }
    }
    const arrival = this.#size++;
    if (arrival === this.#listOf.length) {
      this.#listOf = grown(this.#listOf);
      this.#positionOf = grown(this.#positionOf);
    }
    this.#listOf[arrival] = number;
    this.#positionOf[arrival] = list.length;
    hashes[slot] = hash;
    this.#arrivals[slot] = arrival + 1;
    list.push(customId);
    if (this.#size * 2 > hashes.length) this.#grow();
    return true;
  }

  #idOf(arrival: number): string | undefined {
    return this.#numbered[this.#listOf[arrival]!]![this.#positionOf[arrival]!];
  }

  #number(type: string): number {
    let list = this.lists[type];
    if (list === undefined) {
      list = [];
      this.lists[type] = list;
    }
    this.#numbers.set(type, this.#numbered.length);
    return this.#numbered.push(list) - 1;
  }

  #grow(): void {
    const oldHashes = this.#hashes;
    const oldArrivals = this.#arrivals;
    const hashes = new Int32Array(oldHashes.length * 2);
    const arrivals = new Int32Array(hashes.length);
    const mask = hashes.length - 1;
    for (let old = 0; old < oldHashes.length; old++) {
      const hash = oldHashes[old]!;
      if (hash === 0) continue;
      let slot = hash & mask;
      while (hashes[slot] !== 0) slot = (slot + 1) & mask;
      hashes[slot] = hash;
      arrivals[slot] = oldArrivals[old]!;
    }
    this.#hashes = hashes;
    this.#arrivals = arrivals;
  }
}

function grown(array: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> {
  const larger = new Int32Array(array.length * 2);
  larger.set(array);
  return larger;
}

/** A batch holds at most 100,000 requests; a larger count is not trusted with memory up front. */
const MAX_INITIAL_CAPACITY = 1 << 18;

/** FNV-1a over the UTF-16 code units. */
function hashOf(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return hash;
}
