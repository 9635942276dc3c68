/** Distinct values a KnownTypes remembers. */
const CAPACITY = 1024;
/** Twice the capacity, a power of two: probes stay short. */
const SLOTS = 2048;

/**
 * The type code of values seen before, keyed by their hash53 (which the profiler computes
 * anyway for the distinct count), in flat arrays with open addressing. A Map<string, …> would
 * make V8 hash each freshly decoded string a second time, in its runtime; here a lookup is a
 * probe in a Float64Array and one string comparison (so a hash collision can never give a
 * value another's type).
 */
export class KnownTypes {
  /** 0 marks a free slot: a value whose hash is 0 is never remembered. */
  readonly #hashes = new Float64Array(SLOTS);
  readonly #values: (string | undefined)[] = new Array<string | undefined>(SLOTS).fill(undefined);
  readonly #codes = new Uint8Array(SLOTS);
  #size = 0;

  get full(): boolean {
    return this.#size >= CAPACITY;
  }

  /** The code remembered for `value` (whose hash53 is `hash`), or -1. */
  get(value: string, hash: number): number {
    if (hash === 0) return -1;
    const mask = SLOTS - 1;
    // ToUint32 is the hash mod 2^32: hash53's low lane, well mixed.
    for (let slot = (hash >>> 0) & mask; ; slot = (slot + 1) & mask) {
      const found = this.#hashes[slot]!;
      if (found === 0) return -1;
      if (found === hash && this.#values[slot] === value) return this.#codes[slot]!;
    }
  }

  /** Remembers a value get() did not know, while there is room. */
  set(value: string, hash: number, code: number): void {
    if (hash === 0 || this.full) return;
    const mask = SLOTS - 1;
    let slot = (hash >>> 0) & mask;
    while (this.#hashes[slot] !== 0) slot = (slot + 1) & mask;
    this.#hashes[slot] = hash;
    this.#values[slot] = value;
    this.#codes[slot] = code;
    this.#size++;
  }
}
