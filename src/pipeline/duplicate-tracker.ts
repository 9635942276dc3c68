/** Table slots to start with (a power of two); grown to keep at most half of them used. */
const INITIAL_SLOTS = 1024;
const INITIAL_BYTES = 16 * 1024;

/**
 * Remembers the first row of each normalized email among valid rows: later rows with the same
 * email are duplicates (the first occurrence wins). Exact — a false positive would silently
 * drop a contact — yet compact enough for a million emails in ~45 MB rather than a Map's ~100:
 * the emails' UTF-8 bytes are kept end to end in one buffer, and an open-addressing table of
 * 32-bit hashes points into it; a hash match is confirmed by comparing the bytes. (Emails
 * reaching it passed validation, so hold no lone surrogate: equal bytes mean equal strings.)
 */
export class DuplicateTracker {
  /** Per slot: entry number + 1, or 0 when free. */
  #slots = new Int32Array(INITIAL_SLOTS);
  /** Per slot: the hash of its entry, so most mismatches never touch the bytes. */
  #slotHashes = new Uint32Array(INITIAL_SLOTS);
  #count = 0;
  /** Per entry: where its bytes start in #bytes (entry i ends where i + 1 starts). */
  #starts = new Uint32Array(INITIAL_SLOTS / 2 + 1);
  #rows = new Float64Array(INITIAL_SLOTS / 2);
  #bytes = Buffer.allocUnsafe(INITIAL_BYTES);
  #used = 0;

  /** The earlier row that had this email, or undefined (and the row is remembered). */
  check(email: string, row: number): number | undefined {
    // The candidate's bytes go where a new entry would be stored.
    const length = Buffer.byteLength(email, 'utf8');
    if (this.#used + length > this.#bytes.length) this.#growBytes(length);
    const bytes = this.#bytes;
    const start = this.#used;
    bytes.write(email, start, length, 'utf8');
    const hash = hashBytes(bytes, start, start + length);

    const mask = this.#slots.length - 1;
    let slot = hash & mask;
    for (;;) {
      const entry = this.#slots[slot]! - 1;
      if (entry < 0) break;
      if (this.#slotHashes[slot] === hash && this.#sameBytes(entry, start, length)) return this.#rows[entry];
      slot = (slot + 1) & mask;
    }

    const entry = this.#count++;
    if (entry + 1 >= this.#rows.length) this.#growEntries();
    this.#rows[entry] = row;
    this.#used += length;
    this.#starts[entry + 1] = this.#used;
    this.#slots[slot] = entry + 1;
    this.#slotHashes[slot] = hash;
    if (this.#count * 2 > this.#slots.length) this.#growSlots();
    return undefined;
  }

  #sameBytes(entry: number, start: number, length: number): boolean {
    const from = this.#starts[entry]!;
    if (this.#starts[entry + 1]! - from !== length) return false;
    return this.#bytes.compare(this.#bytes, start, start + length, from, from + length) === 0;
  }

  #growBytes(needed: number): void {
    const size = Math.max(Math.ceil(this.#bytes.length * 1.5), this.#used + needed);
    const bigger = Buffer.allocUnsafe(size);
    this.#bytes.copy(bigger, 0, 0, this.#used);
    this.#bytes = bigger;
  }

  #growEntries(): void {
    const size = Math.ceil(this.#rows.length * 1.5);
    const starts = new Uint32Array(size + 1);
    starts.set(this.#starts);
    this.#starts = starts;
    const rows = new Float64Array(size);
    rows.set(this.#rows);
    this.#rows = rows;
  }

  #growSlots(): void {
    const size = this.#slots.length * 2;
    const mask = size - 1;
    const slots = new Int32Array(size);
    const hashes = new Uint32Array(size);
    for (let old = 0; old < this.#slots.length; old++) {
      const value = this.#slots[old]!;
      if (value === 0) continue;
      const hash = this.#slotHashes[old]!;
      let slot = hash & mask;
      while (slots[slot] !== 0) slot = (slot + 1) & mask;
      slots[slot] = value;
      hashes[slot] = hash;
    }
    this.#slots = slots;
    this.#slotHashes = hashes;
  }
}

/** FNV-1a over the bytes, then a murmur3 finalizer so the low bits (the slot) are well mixed. */
function hashBytes(bytes: Buffer, from: number, to: number): number {
  let h = 0x811c9dc5;
  for (let i = from; i < to; i++) h = Math.imul(h ^ bytes[i]!, 0x01000193);
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}
