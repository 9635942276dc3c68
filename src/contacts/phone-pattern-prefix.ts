import { ALL_DIGITS, parsePattern, type Alt, type Item, type Seq } from './phone-pattern-syntax.js';

/**
 * The fewest leading digits of a digit string that, with the string's length, decide a test of
 * it: every digit string of the same length sharing those digits gets the same outcome.
 * Infinity when no such prefix is known. It depends on the string only through those digits,
 * so every string sharing them and the length gets the same answer too.
 */
export type PrefixDecider = (digits: string) => number;

/** A decider that knows nothing, for patterns outside the dialect. */
export const UNDECIDED: PrefixDecider = () => Number.POSITIVE_INFINITY;

/**
 * How `^(?:pattern)` matches the start of a digit string — whether it matches, how long the
 * match is and where its groups are: what libphonenumber reads of an international prefix or
 * a national prefix for parsing (the captured digits themselves lie within the match, which
 * its users cover).
 *
 * Every path a backtracking matcher could take through the pattern is walked on the digits,
 * not only the one it takes: which path wins is then decided by what decides every path,
 * whatever the engine's order. A step of a path depends on the digit string only through the
 * digit it tests against a class narrower than `\d` (a `\d` matches any digit, and running
 * out of digits or a `$` depends on the length alone). So the answer is one past the furthest
 * such digit any path tests. The walks are few and short (these patterns are a few digits
 * long); a pattern with too many paths gets Infinity.
 */
export function leadingMatchPrefix(pattern: string): PrefixDecider {
  const alt = parsePattern(pattern);
  if (!alt) return UNDECIDED;
  return (digits) => {
    const walk: Walk = { digits, furthest: -1, steps: 0 };
    walkAlt(walk, alt, 0, () => {});
    return walk.steps > MAX_STEPS ? Number.POSITIVE_INFINITY : walk.furthest + 1;
  };
}

/** Paths of a pattern walked on one digit string: the furthest digit tested, the work done. */
type Walk = { digits: string; furthest: number; steps: number };
type Next = (position: number) => void;

const MAX_STEPS = 100_000;

function walkAlt(walk: Walk, alt: Alt, position: number, next: Next): void {
  for (const seq of alt) walkSeq(walk, seq, 0, position, next);
}

function walkSeq(walk: Walk, seq: Seq, index: number, position: number, next: Next): void {
  const item = seq[index];
  if (!item) return next(position);
  walkItem(walk, item, 0, position, (p) => walkSeq(walk, seq, index + 1, p, next));
}

/** Every count from min to max of the item, each repetition on every path of its atom. */
function walkItem(walk: Walk, item: Item, count: number, position: number, next: Next): void {
  if (++walk.steps > MAX_STEPS) return;
  if (count >= item.min) next(position);
  if (count >= item.max) return;
  const { atom } = item;
  const again: Next = (p) => walkItem(walk, item, count + 1, p, next);
  if (atom.kind === 'end') {
    if (position === walk.digits.length) again(position);
  } else if (atom.kind === 'group') {
    walkAlt(walk, atom.alt, position, again);
  } else if (position < walk.digits.length) {
    if (atom.digits !== ALL_DIGITS) {
      walk.furthest = Math.max(walk.furthest, position);
      if (!(atom.digits & (1 << (walk.digits.charCodeAt(position) - 48)))) return;
    }
    again(position + 1);
  }
}
