import { hash53 } from './hash53.js';
import { HashSet53 } from './hash-set53.js';
import { HyperLogLog } from './hyperloglog.js';

/** Distinct values counted exactly before switching to an estimate. */
export const EXACT_LIMIT = 50_000;

/**
 * Counts distinct strings with bounded memory: exactly, as a set of 53-bit hashes, up to
 * EXACT_LIMIT distinct values, then by HyperLogLog (~0.2% error, 256 KiB) so a 500k-row
 * column with all-distinct values does not keep 500k entries alive. "Exact" is up to hash
 * collisions, whose odds at 50k values are about 1 in 7 million.
 */
export class UniqueCounter {
  private exact: HashSet53 | null = new HashSet53();
  private sketch: HyperLogLog | null = null;

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
    if (exact.size > EXACT_LIMIT) this.switchToSketch(exact);
  }

  count(): number {
    return this.exact !== null ? this.exact.size : (this.sketch as HyperLogLog).count();
  }

  estimated(): boolean {
    return this.exact === null;
  }

  private switchToSketch(exact: HashSet53): void {
    const sketch = new HyperLogLog(18);
    for (const hash of exact.values()) sketch.addHash(hash);
    this.sketch = sketch;
    this.exact = null;
  }
}
