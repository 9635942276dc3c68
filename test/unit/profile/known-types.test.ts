import { describe, expect, it } from 'vitest';
import { hash53 } from '../../../src/profile/hash53.js';
import { KnownTypes } from '../../../src/profile/known-types.js';

describe('KnownTypes', () => {
  it('remembers up to 1024 values by hash and text, and nothing past that', () => {
    const known = new KnownTypes();
    for (let i = 0; i < 1500; i++) known.set(`v${i}`, hash53(`v${i}`), i % 6);
    expect(known.full).toBe(true);
    for (let i = 0; i < 1024; i++) expect(known.get(`v${i}`, hash53(`v${i}`))).toBe(i % 6);
    for (let i = 1024; i < 1500; i++) expect(known.get(`v${i}`, hash53(`v${i}`))).toBe(-1);
  });

  it('never answers for another value with the same hash, nor remembers the hash 0', () => {
    const known = new KnownTypes();
    known.set('a', 12345, 3);
    expect(known.get('a', 12345)).toBe(3);
    expect(known.get('b', 12345)).toBe(-1);
    known.set('b', 12345, 4);
    expect(known.get('b', 12345)).toBe(4);
    expect(known.get('a', 12345)).toBe(3);
    known.set('z', 0, 1);
    expect(known.get('z', 0)).toBe(-1);
  });
});
