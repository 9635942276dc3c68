import { describe, expect, it } from 'vitest';
import { hash53 } from '../../../src/profile/hash53.js';

describe('hash53', () => {
  it('returns a deterministic safe integer', () => {
    for (const s of ['', 'a', 'hello world', 'é東京👋', 'x'.repeat(10_000)]) {
      const h = hash53(s);
      expect(Number.isSafeInteger(h)).toBe(true);
      expect(h).toBeGreaterThanOrEqual(0);
      expect(hash53(s)).toBe(h);
    }
    expect(hash53('abc', 1)).not.toBe(hash53('abc', 2));
  });

  it('separates near-identical strings', () => {
    const seen = new Set<number>();
    for (let i = 0; i < 200_000; i++) seen.add(hash53(`user${i}@example.com`));
    for (const s of ['a', 'b', 'ab', 'ba', 'aa', '\u0000', '\u0000\u0000']) seen.add(hash53(s));
    expect(seen.size).toBe(200_007);
  });

  it('spreads low bits and high bits evenly (what HyperLogLog reads)', () => {
    const buckets = 256;
    const n = 256_000;
    const low = new Array<number>(buckets).fill(0);
    const high = new Array<number>(buckets).fill(0);
    for (let i = 0; i < n; i++) {
      const h = hash53(`row-${i}`);
      low[h % buckets]! += 1;
      high[Math.floor(h / 2 ** 45)]! += 1; // top 8 of 53 bits
    }
    // Chi-square with 255 degrees of freedom: mean 255, sd ≈ 22.6; 400 is > 6 sd out.
    const chi = (counts: number[]) => counts.reduce((sum, c) => sum + (c - n / buckets) ** 2 / (n / buckets), 0);
    expect(chi(low)).toBeLessThan(400);
    expect(chi(high)).toBeLessThan(400);
  });

  it('flips about half the output bits for a one-character change (avalanche)', () => {
    let flipped = 0;
    const trials = 2000;
    for (let i = 0; i < trials; i++) {
      const a = hash53(`key${i}a`);
      const b = hash53(`key${i}b`);
      const lowDiff = (a % 2 ** 32 ^ b % 2 ** 32) >>> 0;
      const highDiff = (Math.floor(a / 2 ** 32) ^ Math.floor(b / 2 ** 32)) >>> 0;
      flipped += popcount(lowDiff) + popcount(highDiff);
    }
    const share = flipped / trials / 53;
    expect(share).toBeGreaterThan(0.45);
    expect(share).toBeLessThan(0.55);
  });
});

function popcount(x: number): number {
  let c = 0;
  for (let v = x; v !== 0; v &= v - 1) c++;
  return c;
}
