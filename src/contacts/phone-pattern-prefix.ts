/**
 * How many leading digits of a digit string decide a libphonenumber metadata pattern.
 *
 * libphonenumber's answer for a phone number is a chain of regular-expression tests on the
 * number's digits, and those patterns mostly end in "any digit, n times" (`[2-9]\d{6}`): past
 * some prefix only the length matters. Knowing that prefix for every pattern the library
 * consults lets its answer be remembered per (prefix, length) instead of per number
 * (see phone-decisive-digits.ts). Both functions answer "the first n digits and the length of
 * the string decide the outcome"; a pattern outside the small dialect the metadata uses —
 * alternation, `(…)` and `(?:…)` groups, `[…]` digit classes, `\d`, literal digits, `?`,
 * `{n}`, `{m,n}` and `$` — gets Infinity, meaning "no prefix is known to decide it".
 */

/** Digits that decide whether `^(?:pattern)$` matches a digit string of a given length. */
export function fullMatchPrefix(pattern: string): number {
  const alt = parsePattern(pattern);
  return alt ? fullAlt(alt) : Number.POSITIVE_INFINITY;
}

/**
 * Digits that decide how `^(?:pattern)` matches the start of a digit string of a given length:
 * whether it matches, how long the match is and where its groups are. Never more than the
 * longest match, which is what a pattern with no trailing run of `\d` gets.
 */
export function leadingMatchPrefix(pattern: string): number {
  const alt = parsePattern(pattern);
  return alt ? leadingAlt(alt) : Number.POSITIVE_INFINITY;
}

/** The longest string `pattern` can match (Infinity outside the dialect). */
export function patternMaxLength(pattern: string): number {
  const alt = parsePattern(pattern);
  return alt ? maxAlt(alt) : Number.POSITIVE_INFINITY;
}

type Alt = Seq[];
type Seq = Item[];
type Item = { atom: Atom; min: number; max: number };
/** `digits` is a bit set over 0–9; `end` is `$`. */
type Atom = { kind: 'set'; digits: number } | { kind: 'group'; alt: Alt } | { kind: 'end' };

const ALL_DIGITS = 0b11_1111_1111;

function maxAlt(alt: Alt): number {
  return Math.max(...alt.map(maxSeq));
}

function maxSeq(seq: Seq): number {
  let total = 0;
  for (const item of seq) total += item.max * maxAtom(item.atom);
  return total;
}

function maxAtom(atom: Atom): number {
  if (atom.kind === 'set') return 1;
  if (atom.kind === 'end') return 0;
  return maxAlt(atom.alt);
}

/**
 * On a string of digits, decided by the length alone: `$`, `\d`, or a group of nothing else
 * (`(?:\d(?:\d{2})?)?`).
 */
function isLengthOnly(item: Item): boolean {
  const { atom } = item;
  if (atom.kind === 'end') return true;
  if (atom.kind === 'set') return atom.digits === ALL_DIGITS;
  return atom.alt.every((seq) => seq.every(isLengthOnly));
}

/** A group matched at most once: its own alternatives decide it, prefix by prefix. */
function singleGroup(item: Item): Alt | undefined {
  return item.atom.kind === 'group' && item.max === 1 ? item.atom.alt : undefined;
}

function fullAlt(alt: Alt): number {
  return Math.max(...alt.map(fullSeq));
}

/**
 * `P T` with T a run of any digits matches entirely iff P matches entirely some prefix of
 * length len − |T|: decided by what decides P. `P G` with G a group: P's matches lie within
 * its longest match, after which G's alternatives decide the rest.
 */
function fullSeq(seq: Seq): number {
  const last = seq.at(-1);
  if (!last) return 0;
  const before = seq.slice(0, -1);
  if (isLengthOnly(last)) return fullSeq(before);
  const group = singleGroup(last);
  if (group) return maxSeq(before) + fullAlt(group);
  return maxSeq(seq);
}

/** Alternatives are tried in order; one ending in `$` matches only the whole string. */
function leadingAlt(alt: Alt): number {
  return Math.max(...alt.map(leadingSeq));
}

/**
 * The ways P can match lie within its longest match; a trailing run of any digits then takes
 * as many as the length allows (greedy), and a trailing group decides itself the same way.
 */
function leadingSeq(seq: Seq): number {
  const last = seq.at(-1);
  if (!last) return 0;
  const before = seq.slice(0, -1);
  if (last.atom.kind === 'end') return fullSeq(before);
  if (isLengthOnly(last)) return maxSeq(before);
  const group = singleGroup(last);
  if (group) return maxSeq(before) + leadingAlt(group);
  return maxSeq(seq);
}

/** Parses the dialect; undefined for anything outside it. */
function parsePattern(pattern: string): Alt | undefined {
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
