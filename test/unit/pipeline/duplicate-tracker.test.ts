import { describe, expect, it } from 'vitest';
import { DuplicateTracker } from '../../../src/pipeline/duplicate-tracker.js';

describe('DuplicateTracker', () => {
  it('returns the first row of an email seen before, and undefined for a new one', () => {
    const tracker = new DuplicateTracker();
    expect(tracker.check('ann@example.com', 1)).toBeUndefined();
    expect(tracker.check('bob@example.com', 2)).toBeUndefined();
    expect(tracker.check('ann@example.com', 3)).toBe(1);
    expect(tracker.check('ann@example.com', 4)).toBe(1);
    expect(tracker.check('josé@exämple.de', 5)).toBeUndefined();
    expect(tracker.check('jose@example.de', 6)).toBeUndefined();
    expect(tracker.check('josé@exämple.de', 7)).toBe(5);
  });

  it('agrees with a Map over 300,000 emails with repeats, near-misses and long ones', () => {
    const tracker = new DuplicateTracker();
    const map = new Map<string, number>();
    let seed = 99;
    const rand = (n: number): number => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed % n;
    };
    let wrong = 0;
    for (let row = 1; row <= 300_000; row++) {
      const n = rand(row < 1000 ? 1000 : 200_000);
      const kind = rand(1000);
      const email =
        kind === 0
          ? `${'ü'.repeat(20_000 + rand(3))}${n % 5}` // past the stored length: kept apart
          : kind < 20
            ? `${'x'.repeat(rand(300))}${n}@long.example`
            : kind % 2
              ? `u${n}@e${n % 7}.com`
              : `u${n}@e${n % 7}.co😀`;
      const expected = map.get(email);
      if (expected === undefined) map.set(email, row);
      if (tracker.check(email, row) !== expected) wrong++;
    }
    expect(wrong).toBe(0);
    expect(map.size).toBeGreaterThan(100_000);
  });

  it('tells apart emails whose 32-bit hashes collide', () => {
    // 400,000 distinct emails hold ~19 pairs with equal 32-bit hashes: equal bytes are
    // required, so a hash collision alone never makes a duplicate.
    const tracker = new DuplicateTracker();
    let wrong = 0;
    for (let i = 0; i < 400_000; i++) if (tracker.check(`p${i}@x.io`, i + 1) !== undefined) wrong++;
    for (let i = 0; i < 400_000; i += 97) if (tracker.check(`p${i}@x.io`, 0) !== i + 1) wrong++;
    expect(wrong).toBe(0);
  });
});
