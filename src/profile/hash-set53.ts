const INITIAL_SLOTS = 256;
const TWO_POW_32 = 4294967296;

/**
 * A set of 53-bit hashes (see hash53) in one Float64Array with open addressing: no boxed
 * numbers and no per-entry objects, unlike a Set<number> of values past the small-integer
 * range, so counting distinct values leaves the garbage collector nothing to do.
 */
export class HashSet53 {
  #slots = new Float64Array(INITIAL_SLOTS);
  #size = 0;
  /** 0 marks a free slot, so the hash 0 is remembered apart. */
  #hasZero = false;

  get size(): number {
    return this.#size;
  }

  add(hash: number): void {
    if (hash === 0) {
      if (!this.#hasZero) this.#size++;
      this.#hasZero = true;
      return;
    }
    if (insert(this.#slots, hash)) {
      this.#size++;
      if (this.#size * 2 > this.#slots.length) this.#grow();
    }
  }

  /** Every hash in the set, in no particular order. */
  *values(): IterableIterator<number> {
    if (this.#hasZero) yield 0;
    for (const hash of this.#slots) if (hash !== 0) yield hash;
  }

  #grow(): void {
    const slots = new Float64Array(this.#slots.length * 2);
    for (const hash of this.#slots) if (hash !== 0) insert(slots, hash);
    this.#slots = slots;
  }
}

/** Adds a non-zero hash; false when it was there already. */
function insert(slots: Float64Array, hash: number): boolean {
  const mask = slots.length - 1;
  // The low 32 bits pick the slot (hash53's low lane is well mixed).
  let slot = (hash % TWO_POW_32) & mask;
  for (;;) {
    const found = slots[slot]!;
    if (found === 0) {
      slots[slot] = hash;
      return true;
    }
    if (found === hash) return false;
    slot = (slot + 1) & mask;
  }
}
