import { describe, expect, it } from 'vitest';
import { EXACT_LIMIT, UniqueCounter } from '../../../src/profile/unique-counter.js';

describe('UniqueCounter', () => {
  it('counts exactly and counts duplicates once', () => {
    const counter = new UniqueCounter();
    for (const v of ['a', 'b', 'a', 'A', 'b', '', 'c']) counter.add(v);
    expect(counter.count()).toBe(5);
    expect(counter.estimated()).toBe(false);
  });

  it('stays exact up to the limit', () => {
    const counter = new UniqueCounter();
    for (let r = 0; r < 2; r++) for (let i = 0; i < EXACT_LIMIT; i++) counter.add(`v${i}`);
    expect(counter.count()).toBe(EXACT_LIMIT);
    expect(counter.estimated()).toBe(false);
  });

  it('switches to an estimate within 1% past the limit, and flags it', () => {
    const counter = new UniqueCounter();
    for (let i = 0; i < 200_000; i++) counter.add(`user${i}@example.com`);
    for (let i = 0; i < 50_000; i++) counter.add(`user${i}@example.com`); // repeats
    expect(counter.estimated()).toBe(true);
    expect(Math.abs(counter.count() - 200_000) / 200_000).toBeLessThan(0.01);
  });

  it('carries the exact values over when switching', () => {
    const counter = new UniqueCounter();
    for (let i = 0; i <= EXACT_LIMIT; i++) counter.add(String(i));
    expect(counter.estimated()).toBe(true);
    expect(Math.abs(counter.count() - (EXACT_LIMIT + 1)) / EXACT_LIMIT).toBeLessThan(0.01);
  });
});
