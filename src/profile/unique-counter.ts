import { hash53 } from './hash53.js';
import { HashSet53 } from './hash-set53.js';
import { HyperLogLog } from './hyperloglog.js';

/** Distinct values counted exactly before switching to an estimate. */
export const EXACT_LIMIT = 50_000;
/** The HyperLogLog's precision: 2^18 one-byte registers (256 KiB, and 32 KiB of pending hashes), ~0.2% error. */
export const SKETCH_PRECISION = 18;

/** How far a counter may go: a profiler of many columns gives each a smaller share of memory. */
export interface UniqueCounterSize {
  exactLimit: number;
  precision: number;
}

const FULL_SIZE: UniqueCounterSize = { exactLimit: EXACT_LIMIT, precision: SKETCH_PRECISION };

/**
 * The largest counter within `bytes`: the exact set peaks at 16 bytes a value (8-byte slots,
 * at most half full, times two while it grows), the sketch takes HyperLogLog.bytesFor(precision).
 */
export function counterSizeFor(bytes: number): UniqueCounterSize {
  const exactLimit = Math.max(256, Math.min(EXACT_LIMIT, Math.floor(bytes / 16)));
  let precision = SKETCH_PRECISION;
  while (precision > 12 && HyperLogLog.bytesFor(precision) > bytes) precision--;
  return { exactLimit, precision };
}

/**
 * Counts distinct strings with bounded memory: exactly, as a set of 53-bit hashes, up to
 * EXACT_LIMIT distinct values, then by HyperLogLog (~0.2% error, 256 KiB) so a 500k-row
 * column with all-distinct values does not keep 500k entries alive. "Exact" is up to hash
 * collisions, whose odds at 50k values are about 1 in 7 million.
 */
export class UniqueCounter {
  private exact: HashSet53 | null = new HashSet53();
  private sketch: HyperLogLog | null = null;
  private readonly size: UniqueCounterSize;

  constructor(size: UniqueCounterSize = FULL_SIZE) {
    this.size = size;
  }

  add(value: string): void {
    this.addHash(hash53(value));
  }

  addHash(hash: number): void {
    const exact = this.exact;
    if (exact === null) {
      (this.sketch as HyperLogLog).addHash(hash);
      return;
    }
    exact.add(hash);
    if (exact.size > this.size.exactLimit) this.switchToSketch(exact);
  }

  count(): number {
    return this.exact !== null ? this.exact.size : (this.sketch as HyperLogLog).count();
  }

  estimated(): boolean {
    return this.exact === null;
  }

  private switchToSketch(exact: HashSet53): void {
    const sketch = new HyperLogLog(this.size.precision);
    for (const hash of exact.values()) sketch.addHash(hash);
    this.sketch = sketch;
    this.exact = null;
  }
}
