/**
 * The small regular-expression dialect of libphonenumber's metadata patterns, parsed: alternation,
 * `(…)` and `(?:…)` groups, `[…]` digit classes, `\d`, literal digits, `?`, `{n}`, `{m,n}` and
 * `$`. Only digit strings are ever tested against these patterns, so a digit class is a bit set
 * over 0–9. Anything outside the dialect parses to undefined, which its users read as "no prefix
 * is known to decide it" (phone-pattern-prefix.ts, phone-pattern-set-prefix.ts).
 */

export type Alt = Seq[];
export type Seq = Item[];
export type Item = { atom: Atom; min: number; max: number };
/** `digits` is a bit set over 0–9; `end` is `$`. */
export type Atom = { kind: 'set'; digits: number } | { kind: 'group'; alt: Alt } | { kind: 'end' };

/** The set of `\d`: on a digit string it matches whatever digit is there. */
export const ALL_DIGITS = 0b11_1111_1111;

/** Parses the dialect; undefined for anything outside it. */
export function parsePattern(pattern: string): Alt | undefined {
  let i = 0;
  const alt = (): Alt | undefined => {
    const seqs: Alt = [];
    for (;;) {
      const s = seq();
      if (!s) return undefined;
      seqs.push(s);
      if (pattern[i] !== '|') return seqs;
      i++;
    }
  };
  const seq = (): Seq | undefined => {
    const items: Seq = [];
    while (i < pattern.length && pattern[i] !== '|' && pattern[i] !== ')') {
      const a = atom();
      if (!a) return undefined;
      const q = quantifier();
      if (!q || (a.kind === 'end' && q.min !== 1)) return undefined;
      items.push({ atom: a, ...q });
    }
    return items;
  };
  const atom = (): Atom | undefined => {
    const c = pattern[i++];
    if (c === '$') return { kind: 'end' };
    if (c !== undefined && c >= '0' && c <= '9') return { kind: 'set', digits: 1 << Number(c) };
    if (c === '\\' && pattern[i] === 'd') {
      i++;
      return { kind: 'set', digits: ALL_DIGITS };
    }
    if (c === '[') return digitClass();
    if (c === '(') {
      if (pattern.startsWith('?:', i)) i += 2;
      else if (pattern[i] === '?') return undefined;
      const inner = alt();
      if (!inner || pattern[i++] !== ')') return undefined;
      return { kind: 'group', alt: inner };
    }
    return undefined;
  };
  const digitClass = (): Atom | undefined => {
    let digits = 0;
    while (pattern[i] !== ']') {
      const c = pattern[i++];
      if (c === '\\' && pattern[i] === 'd') {
        i++;
        digits |= ALL_DIGITS;
      } else if (c !== undefined && c >= '0' && c <= '9') {
        let to = c;
        if (pattern[i] === '-' && pattern[i + 1] !== ']') {
          to = pattern[i + 1] ?? '';
          i += 2;
          if (!(to >= c && to <= '9')) return undefined;
        }
        for (let d = Number(c); d <= Number(to); d++) digits |= 1 << d;
      } else return undefined;
    }
    i++;
    return digits ? { kind: 'set', digits } : undefined;
  };
  const quantifier = (): { min: number; max: number } | undefined => {
    if (pattern[i] === '?') {
      i++;
      return { min: 0, max: 1 };
    }
    if (pattern[i] !== '{') return { min: 1, max: 1 };
    const m = /^\{(\d+)(?:,(\d+))?\}/.exec(pattern.slice(i));
    if (!m) return undefined;
    i += m[0].length;
    const min = Number(m[1]);
    const max = m[2] === undefined ? min : Number(m[2]);
    return min <= max ? { min, max } : undefined;
  };
  const result = alt();
  return result && i === pattern.length ? result : undefined;
}
