/**
 * The `custom_id`s of each result type, in arrival order, and which of them repeat: the
 * bookkeeping of summarizeResults.
 *
 * Hint: three costs dominated when it kept a string per line and found repeats with a hash
 * table as the body streamed (bench/RESULTS.md, summarizeResults): collecting the strings
 * that stayed alive amid the body's garbage (~50 ms per 200,000 ids), a probe per id into a
 * table larger than the cache, evicted by the body streaming through (~150 ns an id), and
 * the page faults of memory taken fresh on each call. So ids are kept as bytes, back to
 * back, and decoded all at once at the end; per line only the end of its id, its type and
 * its hash are kept, each written in arrival order. Repeats are found once the body is
 * read: each hash sets a bit in a bitset (8 bits per expected id, at most 256 KB), which
 * then stays in the cache (setting the bits as the body streamed, which evicted them, made
 * adding and finding repeats about a fifth slower), and the ids whose bits were set twice
 * (about a tenth) are compared exactly.
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
  /** The ASCII ids' bytes, back to back in arrival order (repeats too). */
  #arena: Uint8Array<ArrayBuffer>;
  #used = 0;
  #decoded: string | undefined;
  // Per arrival: the type's number (wider once there are more than 256 types), and where
  // the id ends in the arena (it starts where the ASCII id before it ended), or when
  // negative the string `#others[-1 - end]`.
  #typeOf: Uint8Array<ArrayBuffer> | Int32Array<ArrayBuffer>;
  #ends: Int32Array<ArrayBuffer>;
  #size = 0;
  /** Per arrival: the mixed hash of an ASCII id (repeats() reads it). */
  #hashes: Int32Array<ArrayBuffer>;
  /** The bitset's size in bits, less one: repeats() keeps this many of each hash's low bits. */
  readonly #bitMask: number;
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
    // Sized for every id expected (8 bits each, up to MAX_BITS), not just the first arrays' worth.
    while (bits < 8 * expected && bits < MAX_BITS) bits *= 2;
    this.#bitMask = bits - 1;
    this.#typeOf = new Uint8Array(count);
    this.#ends = new Int32Array(count);
    this.#hashes = new Int32Array(count);
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
    // Sized at once: filling arrays made to length cost less than growing them by push.
    const counts = this.#types.map(() => 0);
    for (let arrival = 0; arrival < this.#size; arrival++) counts[typeOf[arrival]!]!++;
    const lists = counts.map((count) => new Array<string>(count));
    const filled = counts.map(() => 0);
    this.#forEachId((arrival, id) => {
      const number = typeOf[arrival]!;
      lists[number]![filled[number]!++] = id;
    });
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
    const found: [arrival: number, id: string][] = this.#otherRepeats.map((arrival) => [
      arrival,
      this.#others[-1 - this.#ends[arrival]!]!,
    ]);
    // One bit per hash, set here rather than as the body streamed (see the class's hint),
    // then the ids whose bit was set twice compared exactly.
    const hashes = this.#hashes;
    const ends = this.#ends;
    const mask = this.#bitMask;
    const seen = new Int32Array((mask + 1) >>> 5);
    const suspects = new Int32Array(seen.length);
    let again = false;
    for (let arrival = 0; arrival < this.#size; arrival++) {
      if (ends[arrival]! < 0) continue;
      const bit = hashes[arrival]! & mask;
      const word = bit >>> 5;
      const flag = 1 << (bit & 31);
      if ((seen[word]! & flag) === 0) seen[word]! |= flag;
      else {
        suspects[word]! |= flag;
        again = true;
      }
    }
    if (again) {
      const first = new Set<string>();
      let start = 0;
      for (let arrival = 0; arrival < this.#size; arrival++) {
        const end = ends[arrival]!;
        if (end < 0) continue;
        const bit = hashes[arrival]! & mask;
        if ((suspects[bit >>> 5]! & (1 << (bit & 31))) !== 0) {
          const id = this.#text().slice(start, end);
          if (first.has(id)) found.push([arrival, id]);
          else first.add(id);
        }
        start = end;
      }
      found.sort((a, b) => a[0] - b[0]);
    }
    return found.slice(0, limit).map(([, id]) => id);
  }

  /** Calls `visit` with every id in arrival order. */
  #forEachId(visit: (arrival: number, id: string) => void): void {
    let start = 0;
    for (let arrival = 0; arrival < this.#size; arrival++) {
      const end = this.#ends[arrival]!;
      if (end < 0) visit(arrival, this.#others[-1 - end]!);
      else {
        visit(arrival, this.#text().slice(start, end));
        start = end;
      }
    }
  }

  /** The ASCII ids all decoded at once; each is then a slice of this text. */
  #text(): string {
    this.#decoded ??= decoder.decode(this.#arena.subarray(0, this.#used));
    return this.#decoded;
  }

  /** The new id is `#arena[#used..end)`. */
  #addAscii(fnv: number, end: number, type: string): void {
    const arrival = this.#arrive(type, end);
    this.#used = end;
    this.#hashes[arrival] = mixed(fnv);
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
      const typeOf =
        this.#typeOf instanceof Uint8Array
          ? new Uint8Array(arrival * 2)
          : new Int32Array(arrival * 2);
      typeOf.set(this.#typeOf);
      this.#typeOf = typeOf;
      const ends = new Int32Array(arrival * 2);
      ends.set(this.#ends);
      this.#ends = ends;
      const hashes = new Int32Array(arrival * 2);
      hashes.set(this.#hashes);
      this.#hashes = hashes;
    }
    this.#typeOf[arrival] = this.#lastNumber;
    this.#ends[arrival] = end;
    return arrival;
  }

  #number(type: string): number {
    const number = this.#types.push(type) - 1;
    this.#numbers.set(type, number);
    if (number === 256) {
      const wide = new Int32Array(this.#typeOf.length);
      wide.set(this.#typeOf);
      this.#typeOf = wide;
    }
    return number;
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

function grownBytes(array: Uint8Array<ArrayBuffer>, needed: number): Uint8Array<ArrayBuffer> {
  const larger = new Uint8Array(Math.max(array.length * 2, array.length + needed));
  larger.set(array);
  return larger;
}

/** A batch holds at most 100,000 requests; a larger count is not trusted with memory up front. */
const MAX_INITIAL_IDS = 1 << 17;
/** 256 KB of bits: 8 per id of a full batch, and then some. */
const MAX_BITS = 1 << 21;
