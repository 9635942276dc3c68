/** Table slots to start with (a power of two); grown to keep at most half of them used. */
const INITIAL_SLOTS = 1024;
/** Emails are stored in pages of this many bytes: growing never copies them. */
const PAGE_BITS = 20;
const PAGE_BYTES = 1 << PAGE_BITS;
/** Entries (start, row) are stored in pages of this many. */
const ENTRY_PAGE_BITS = 16;
const ENTRY_PAGE = 1 << ENTRY_PAGE_BITS;
/** Longer keys (never an email: isEmail allows 254 characters) are kept in a plain Map. */
const MAX_STORED_LENGTH = 20_000;
/** A slot holds entry + 1 in its low 24 bits and 8 bits of the entry's hash above them. */
const ENTRY_BITS = 24;
const ENTRY_MASK = (1 << ENTRY_BITS) - 1;
/** Past this many entries (16.7M, far above MAX_ROWS_ALLOWED) new ones go to the Map. */
const MAX_ENTRIES = ENTRY_MASK - 1;

/**
 * Remembers the first row of each normalized email among valid rows: later rows with the same
 * email are duplicates (the first occurrence wins). Exact — a false positive would silently
 * drop a contact — yet compact: a million emails take ~45 MB rather than a Map's ~100. Each
 * email's UTF-8 bytes (after a 2-byte length) are appended to 1 MiB pages, and an
 * open-addressing table of 4-byte slots points to them (with 8 bits of the email's hash, so
 * that most mismatches never touch the bytes); a match is confirmed by decoding the stored
 * bytes and comparing. Each entry keeps its full hash too, so growing the table never decodes
 * an email. (Emails reaching it passed validation, so hold no lone surrogate, which UTF-8
 * could not store.)
 */
export class DuplicateTracker {
  /** Per slot: hash tag << ENTRY_BITS | entry number + 1, or 0 when free. */
  #slots = new Uint32Array(INITIAL_SLOTS);
  #count = 0;
  /** Per entry, in pages: where its bytes are (page << PAGE_BITS | offset), its row and its hash (for growing). */
  #starts: Uint32Array[] = [];
  #rows: Uint32Array[] = [];
  #hashes: Uint32Array[] = [];
  #pages: Buffer[] = [];
  #pageUsed = PAGE_BYTES;
  #long = new Map<string, number>();

  /** The earlier row that had this email, or undefined (and the row is remembered). */
  check(email: string, row: number): number | undefined {
    if (email.length > MAX_STORED_LENGTH) return this.#checkLong(email, row);
    const hash = hashString(email);
    const tag = hash >>> ENTRY_BITS;
    const mask = this.#slots.length - 1;
    let slot = hash & mask;
    for (;;) {
      const value = this.#slots[slot]!;
      if (value === 0) break;
      if (value >>> ENTRY_BITS === tag) {
        const entry = (value & ENTRY_MASK) - 1;
        if (this.#holds(entry, email)) return this.#rows[entry >>> ENTRY_PAGE_BITS]![entry & (ENTRY_PAGE - 1)];
      }
      slot = (slot + 1) & mask;
    }
    if (this.#count >= MAX_ENTRIES) return this.#checkLong(email, row);
    this.#add(email, row, hash);
    this.#slots[slot] = ((tag << ENTRY_BITS) | this.#count) >>> 0;
    if (this.#count * 2 > this.#slots.length) this.#growSlots();
    return undefined;
  }

  #checkLong(email: string, row: number): number | undefined {
    const first = this.#long.get(email);
    if (first === undefined) this.#long.set(email, row);
    return first;
  }

  /** Stores a new entry (number #count - 1 once added). */
  #add(email: string, row: number, hash: number): void {
    // At most 3 UTF-8 bytes per UTF-16 unit, after the 2-byte length.
    if (this.#pageUsed + 2 + email.length * 3 > PAGE_BYTES) {
      this.#pages.push(Buffer.allocUnsafe(PAGE_BYTES));
      this.#pageUsed = 0;
    }
    const pageIndex = this.#pages.length - 1;
    const page = this.#pages[pageIndex]!;
    const offset = this.#pageUsed;
    const length = page.write(email, offset + 2, 'utf8');
    page[offset] = length & 0xff;
    page[offset + 1] = length >>> 8;
    this.#pageUsed += 2 + length;

    const entry = this.#count++;
    const entryPage = entry >>> ENTRY_PAGE_BITS;
    if (entryPage === this.#starts.length) {
      this.#starts.push(new Uint32Array(ENTRY_PAGE));
      this.#rows.push(new Uint32Array(ENTRY_PAGE));
      this.#hashes.push(new Uint32Array(ENTRY_PAGE));
    }
    this.#starts[entryPage]![entry & (ENTRY_PAGE - 1)] = ((pageIndex << PAGE_BITS) | offset) >>> 0;
    this.#rows[entryPage]![entry & (ENTRY_PAGE - 1)] = row;
    this.#hashes[entryPage]![entry & (ENTRY_PAGE - 1)] = hash;
  }

  /** Whether the entry's stored bytes are `email` (asked on a tag match: repeats, rarely more). */
  #holds(entry: number, email: string): boolean {
    return this.#stored(entry) === email;
  }

  #stored(entry: number): string {
    const start = this.#starts[entry >>> ENTRY_PAGE_BITS]![entry & (ENTRY_PAGE - 1)]!;
    const page = this.#pages[start >>> PAGE_BITS]!;
    const offset = start & (PAGE_BYTES - 1);
    const length = page[offset]! | (page[offset + 1]! << 8);
    return page.toString('utf8', offset + 2, offset + 2 + length);
  }

  /** Doubles the table, placing each entry by its stored hash. */
  #growSlots(): void {
    const size = this.#slots.length * 2;
    const mask = size - 1;
    const slots = new Uint32Array(size);
    for (const value of this.#slots) {
      if (value === 0) continue;
      const entry = (value & ENTRY_MASK) - 1;
      let slot = this.#hashes[entry >>> ENTRY_PAGE_BITS]![entry & (ENTRY_PAGE - 1)]! & mask;
      while (slots[slot] !== 0) slot = (slot + 1) & mask;
      slots[slot] = value;
    }
    this.#slots = slots;
  }
}

/** FNV-1a over the UTF-16 units, then a murmur3 finalizer so the low bits (the slot) are well mixed. */
function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}
