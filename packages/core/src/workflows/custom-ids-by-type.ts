/**
 * The `custom_id`s of each result type, in arrival order, and which of them repeat: the
 * bookkeeping of summarizeResults.
 *
 * Hint: two costs dominated when it kept a string per line and found repeats with a hash
 * table as the body streamed (bench/RESULTS.md, summarizeResults): collecting the strings
 * that stayed alive amid the body's garbage (~50 ms per 200,000 ids), and a probe per id
 * into a table larger than the cache, evicted by the body streaming through (~150 ns an
 * id). So ids are kept as bytes, back to back, and decoded all at once at the end; and a
 * line only sets a bit for its id's hash in a bitset of at most 1 MB. Ids whose bits were
 * set twice are compared exactly at the end: with 32 bits per expected id, a few percent.
 *
 * Ids in ASCII (all that the API accepts: `^[a-zA-Z0-9_-]{1,64}$`) live in the byte
 * arena; any other id is kept as its string and compared through a `Map` at once. The two
 * kinds never equal each other: a string with a character beyond ASCII has no ASCII twin.
 */
export class CustomIdsByType {
  /** Type names by number: the given ones first, others as they appear. */
  readonly #types: string[] = [];
  readonly #numbers = new Map<string, number>();
  #lastType: string | undefined;
  #lastNumber = 0;
  /** The ASCII ids' bytes, back to back in arrival order. */
  #arena: Uint8Array<ArrayBuffer>;
  #used = 0;
  #text: string | undefined;
  // Per arrival: the type's number, the hash of an ASCII id, and where the id is: the
  // arena's `#starts[a]..#ends[a]`, or when `#ends[a]` is negative the string
  // `#others[-1 - #ends[a]]`.
  #typeOf: Int32Array<ArrayBuffer>;
  #hashes: Int32Array<ArrayBuffer>;
  #starts: Int32Array<ArrayBuffer>;
  #ends: Int32Array<ArrayBuffer>;
  #size = 0;
  /** One bit per hash (its low bits), set by the first id with that hash. */
  readonly #seen: Int32Array<ArrayBuffer>;
  /** The bits that were set again: their ids are compared at the end. */
  readonly #twice: Int32Array<ArrayBuffer>;
  readonly #bitMask: number;
  #anyTwice = false;
  readonly #others: string[] = [];
  readonly #firstOther = new Map<string, number>();
  readonly #otherRepeats: number[] = [];

  /**
   * @param types - The types whose lists always exist, in the order lists are made.
   * @param expected - How many ids are likely to come: memory is sized for them at once.
   */
  constructor(types: readonly string[], expected: number) {
    const count = Math.min(Math.max(expected, 1024), MAX_INITIAL_IDS);
    let bits = 1 << 15;
    while (bits < 32 * count && bits < MAX_BITS) bits *= 2;
    this.#bitMask = bits - 1;
    this.#seen = new Int32Array(bits >>> 5);
    this.#twice = new Int32Array(bits >>> 5);
    this.#typeOf = new Int32Array(count);
    this.#hashes = new Int32Array(count);
    this.#starts = new Int32Array(count);
    this.#ends = new Int32Array(count);
    this.#arena = new Uint8Array(count * 16);
    for (const type of types) this.#number(type);
  }

  /**
   * Adds an id given as the UTF-8 bytes `bytes[start..end)` (invalid sequences read as
   * U+FFFD, as `TextDecoder` reads them).
   */
  addBytes(bytes: Uint8Array, start: number, end: number, type: string): void {
    const length = end - start;
    if (this.#used + length > this.#arena.length) this.#arena = grownBytes(this.#arena, length);
    const arena = this.#arena;
    let at = this.#used;
    let hash = FNV_OFFSET;
    let high = 0;
    for (let i = start; i < end; i++) {
      const byte = bytes[i]!;
      arena[at++] = byte;
      high |= byte;
      hash = Math.imul(hash ^ byte, FNV_PRIME);
    }
    if (high & 0x80) this.#addOther(decoder.decode(bytes.subarray(start, end)), type);
    else this.#addAscii(hash, at, type);
  }

  /** Adds an id given as a string. */
  add(customId: string, type: string): void {
    const length = customId.length;
    if (this.#used + length > this.#arena.length) this.#arena = grownBytes(this.#arena, length);
    const arena = this.#arena;
    let at = this.#used;
    let hash = FNV_OFFSET;
    for (let i = 0; i < length; i++) {
      const code = customId.charCodeAt(i);
      if (code >= 0x80) {
        this.#addOther(customId, type);
        return;
      }
      arena[at++] = code;
      hash = Math.imul(hash ^ code, FNV_PRIME);
    }
    this.#addAscii(hash, at, type);
  }

  /**
   * The ids of each type in arrival order, repeats included: the types given to the
   * constructor first, then others as they appeared. No prototype, so that any type
   * name is a plain key.
   */
  lists(): Record<string, string[]> {
    const typeOf = this.#typeOf;
    const size = this.#size;
    // Sized at once: filling arrays made to length cost less than growing them by push.
    const counts = this.#types.map(() => 0);
    for (let arrival = 0; arrival < size; arrival++) counts[typeOf[arrival]!]!++;
    const lists = counts.map((count) => new Array<string>(count));
    const filled = counts.map(() => 0);
    for (let arrival = 0; arrival < size; arrival++) {
      const number = typeOf[arrival]!;
      lists[number]![filled[number]!++] = this.#idOf(arrival);
    }
    const out: Record<string, string[]> = Object.create(null);
    this.#types.forEach((type, number) => {
      out[type] = lists[number]!;
    });
    return out;
  }

  /**
   * The ids of the lines whose id arrived before (on any line, with any type), in arrival
   * order: an id on three lines is listed twice.
   * @param limit - The most to return.
   */
  repeats(limit: number): string[] {
    const arrivals = [...this.#otherRepeats];
    if (this.#anyTwice) {
      const first = new Map<string, number>();
      for (let arrival = 0; arrival < this.#size; arrival++) {
        if (this.#ends[arrival]! < 0) continue;
        const bit = this.#hashes[arrival]! & this.#bitMask;
        if ((this.#twice[bit >>> 5]! & (1 << (bit & 31))) === 0) continue;
        const id = this.#idOf(arrival);
        if (first.has(id)) arrivals.push(arrival);
        else first.set(id, arrival);
      }
      arrivals.sort((a, b) => a - b);
    }
    return arrivals.slice(0, limit).map((arrival) => this.#idOf(arrival));
  }

  #idOf(arrival: number): string {
    const end = this.#ends[arrival]!;
    if (end < 0) return this.#others[-1 - end]!;
    // ASCII ids all decode at once; each is then a slice of that text.
    this.#text ??= decoder.decode(this.#arena.subarray(0, this.#used));
    return this.#text.slice(this.#starts[arrival]!, end);
  }

  /** The new id is `#arena[#used..end)`. */
  #addAscii(fnv: number, end: number, type: string): void {
    const hash = mixed(fnv);
    const arrival = this.#arrive(type, end);
    this.#hashes[arrival] = hash;
    this.#starts[arrival] = this.#used;
    this.#used = end;
    const bit = hash & this.#bitMask;
    const word = bit >>> 5;
    const mask = 1 << (bit & 31);
    if ((this.#seen[word]! & mask) === 0) this.#seen[word]! |= mask;
    else {
      this.#twice[word]! |= mask;
      this.#anyTwice = true;
    }
  }

  #addOther(customId: string, type: string): void {
    const arrival = this.#arrive(type, -1 - this.#others.length);
    this.#others.push(customId);
    if (this.#firstOther.has(customId)) this.#otherRepeats.push(arrival);
    else this.#firstOther.set(customId, arrival);
  }

  /** Records an arrival; returns its number. */
  #arrive(type: string, end: number): number {
    // Lines of one type tend to come in runs: the same type string saves the map lookup.
    if (type !== this.#lastType) {
      this.#lastType = type;
      this.#lastNumber = this.#numbers.get(type) ?? this.#number(type);
    }
    const arrival = this.#size++;
    if (arrival === this.#ends.length) {
      this.#typeOf = grown(this.#typeOf);
      this.#hashes = grown(this.#hashes);
      this.#starts = grown(this.#starts);
      this.#ends = grown(this.#ends);
    }
    this.#typeOf[arrival] = this.#lastNumber;
    this.#ends[arrival] = end;
    return arrival;
  }

  #number(type: string): number {
    this.#numbers.set(type, this.#types.length);
    return this.#types.push(type) - 1;
  }
}

// `ignoreBOM`: an id that starts with U+FEFF keeps it, as JSON.parse keeps it.
const decoder = new TextDecoder('utf-8', { ignoreBOM: true });

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** FNV-1a's low bits depend only on the bytes' low bits: mix all bits into them (murmur3's finalizer). */
function mixed(hash: number): number {
  let h = hash ^ (hash >>> 16);
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

function grown(array: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> {
  const larger = new Int32Array(array.length * 2);
  larger.set(array);
  return larger;
}

function grownBytes(array: Uint8Array<ArrayBuffer>, needed: number): Uint8Array<ArrayBuffer> {
  const larger = new Uint8Array(Math.max(array.length * 2, array.length + needed));
  larger.set(array);
  return larger;
}

/** A batch holds at most 100,000 requests; a larger count is not trusted with memory up front. */
const MAX_INITIAL_IDS = 1 << 17;
/** 1 MB of bits: 32 per id of a full batch. */
const MAX_BITS = 1 << 23;
