import { describe, expect, it } from 'vitest';
import { PrefixMemo } from '../../../src/contacts/prefix-memo.js';

describe('PrefixMemo', () => {
  it('answers every string of the scope sharing the remembered digits, and nothing else', () => {
    const memo = new PrefixMemo(1000);
    expect(memo.get('US|10', '2125551234')).toBe(-1);
    memo.set('US|10', '2125551234', 4);
    expect(memo.get('US|10', '2125551234')).toBe(4);
    expect(memo.get('US|10', '2125999999')).toBe(4);
    expect(memo.get('US|10', '2135551234')).toBe(-1);
    expect(memo.get('US|11', '2125551234')).toBe(-1);
    memo.set('GB|5', '12345', 0);
    expect(memo.get('GB|5', '99999')).toBe(0);
    memo.set('GB|6', '123456', 6);
    expect(memo.get('GB|6', '123456')).toBe(6);
    expect(memo.get('GB|6', '123457')).toBe(-1);
  });

  it('keeps no answer past its bound, and grows its storage until then', () => {
    const memo = new PrefixMemo(2000);
    for (let i = 0; i < 3000; i++) memo.set('X', String(i).padStart(4, '0'), 4);
    let kept = 0;
    for (let i = 0; i < 3000; i++) {
      const k = memo.get('X', String(i).padStart(4, '0'));
      expect([4, -1]).toContain(k);
      if (k === 4) kept++;
    }
    expect(kept).toBeGreaterThan(1000);
    expect(kept).toBeLessThan(3000);
  });
});
