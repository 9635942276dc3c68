import { describe, expect, it } from 'vitest';
import { hash53 } from '../../../src/profile/hash53.js';
import { HashSet53 } from '../../../src/profile/hash-set53.js';

describe('HashSet53', () => {
  it('holds the same hashes as a Set, 0 and the largest 53-bit value included', () => {
    const set = new HashSet53();
    const reference = new Set<number>();
    const hashes = [0, 1, 2 ** 53 - 1, 2 ** 32, 2 ** 32 + 1, 0, 2 ** 53 - 1];
    for (let i = 0; i < 100_000; i++) hashes.push(hash53(`v${i % 60_000}`));
    for (const hash of hashes) {
      set.add(hash);
      reference.add(hash);
    }
    expect(set.size).toBe(reference.size);
    expect([...set.values()].sort((a, b) => a - b)).toEqual([...reference].sort((a, b) => a - b));
  });
});
