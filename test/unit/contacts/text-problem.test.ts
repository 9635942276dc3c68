import { describe, expect, it } from 'vitest';
import { textProblem } from '../../../src/contacts/text-problem.js';

/** What isWellFormed replaced: a high surrogate not followed by a low one, or a low one not preceded by a high one. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

describe('textProblem', () => {
  it('finds a lone surrogate exactly where the lookbehind pattern does, on every short string of edge characters', () => {
    const alphabet = ['a', '\0', '\uD7FF', '\uD800', '\uDBFF', '\uDC00', '\uDFFF', '\uE000', '😀'];
    let strings = [''];
    for (let length = 1; length <= 4; length++) {
      strings = strings.flatMap((s) => alphabet.map((c) => s + c));
      for (const s of strings) {
        const lone = LONE_SURROGATE.test(s) ? 'contains invalid Unicode' : undefined;
        expect(textProblem(s), JSON.stringify(s)).toBe(s.includes('\0') ? 'contains a NUL character' : lone);
      }
    }
  });
});
