import { describe, expect, it } from 'vitest';
import { hash53 } from '../../../src/profile/hash53.js';
import { HyperLogLog } from '../../../src/profile/hyperloglog.js';

function estimate(n: number, prefix: string): number {
  const hll = new HyperLogLog(18);
  for (let i = 0; i < n; i++) hll.addHash(hash53(`${prefix}${i}`));
  return hll.count();
}

describe('HyperLogLog', () => {
  it('counts 0 for an empty sketch and small sets almost exactly', () => {
    expect(new HyperLogLog().count()).toBe(0);
    expect(estimate(1, 'a')).toBe(1);
    expect(Math.abs(estimate(1000, 'b') - 1000)).toBeLessThanOrEqual(3);
  });

  it('stays within 1% from 60k to 1.5M distinct values', () => {
    for (const n of [60_000, 200_000, 500_000, 700_000, 1_500_000]) {
      const error = Math.abs(estimate(n, `k${n}-`) - n) / n;
      expect(error, `n=${n}`).toBeLessThan(0.01);
    }
  });

  it('ignores repeated hashes', () => {
    const hll = new HyperLogLog();
    for (let r = 0; r < 5; r++) for (let i = 0; i < 10_000; i++) hll.addHash(hash53(String(i)));
    expect(Math.abs(hll.count() - 10_000)).toBeLessThan(50);
  });

  it('handles extreme hashes (all zero rank bits, the largest 53-bit value)', () => {
    const hll = new HyperLogLog();
    hll.addHash(0);
    hll.addHash(Number.MAX_SAFE_INTEGER);
    hll.addHash(2 ** 52);
    expect(hll.count()).toBeGreaterThan(0);
  });

  it('counts the hashes it holds back as well, whenever asked and at every precision', () => {
    for (const precision of [4, 5, 6, 12, 18]) {
      const hll = new HyperLogLog(precision);
      const counts: number[] = [];
      // Counted between additions too: a count in the middle must not lose the hashes held back.
      for (let i = 0; i < 3; i++) {
        hll.addHash(hash53(`p${precision}-${i}`));
        counts.push(hll.count());
      }
      expect(counts, `precision ${precision}`).toEqual([1, 2, 3]);
    }
    // Past a full buffer of held-back hashes (4096 at precision 18), and after a count.
    const hll = new HyperLogLog(18);
    for (let i = 0; i < 5000; i++) hll.addHash(hash53(`q${i}`));
    expect(Math.abs(hll.count() - 5000)).toBeLessThan(25);
    for (let i = 5000; i < 10_000; i++) hll.addHash(hash53(`q${i}`));
    expect(Math.abs(hll.count() - 10_000)).toBeLessThan(50);
  });

  it('rejects a precision out of range', () => {
    expect(() => new HyperLogLog(3)).toThrow(RangeError);
    expect(() => new HyperLogLog(21)).toThrow(RangeError);
  });
});
