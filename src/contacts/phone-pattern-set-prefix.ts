import { ALL_DIGITS, parsePattern, type Alt, type Atom, type Item } from './phone-pattern-syntax.js';
import { UNDECIDED, type PrefixDecider } from './phone-pattern-prefix.js';

/**
 * A test libphonenumber makes of a national number: `whole`, that the pattern matches all of
 * it (`^(?:pattern)$`: national number and type patterns); otherwise that it matches at its
 * start (`search(pattern) === 0`: a country's leading digits).
 */
export type PatternTest = { pattern: string; whole: boolean };

/**
 * The fewest leading digits of a digit string that, with its length, decide every one of
 * `tests` — what libphonenumber asks of a national number to pick its country and type.
 *
 * The tests are compiled into one automaton over digits (every pattern's states side by
 * side) and the digit string walked through it, digit by digit, until each test is decided
 * whatever the remaining digits: none of its states can still reach a match with exactly the
 * number of digits left, or one of them can reach a match from there by "any digits" alone
 * (what remains of it is runs of `\d`, as in `[2-9]\d{6}` after its first digit), or (for a
 * test of the start) it has matched. A US number with an ordinary area code is decided by its
 * area code and the exchange's first digit, whatever the few area codes that constrain more.
 * The sets of states reached are built as the digits arrive and remembered (bounded), so a
 * walk is one array look-up per digit. Infinity for a test outside the dialect, and for
 * strings longer than 30 digits (lengths are bit masks).
 */
export function patternSetPrefix(tests: readonly PatternTest[]): PrefixDecider {
  const automaton = compile(tests);
  if (!automaton) return UNDECIDED;
  return (digits) => {
    if (digits.length > MAX_LENGTH) return Number.POSITIVE_INFINITY;
    let state = automaton.start;
    for (let k = 0; ; k++) {
      if (state.decided & (1 << (digits.length - k))) return k;
      state = automaton.step(state, digits.charCodeAt(k) - 48);
    }
  };
}

/** Masks of remaining lengths 0–30: bit m is "m digits left". */
const MAX_LENGTH = 30;
const ANY_LENGTH = 2 ** (MAX_LENGTH + 1) - 1;
const MAX_NFA_STATES = 200_000;
const MAX_DFA_STATES = 20_000;

/** A set of automaton states reached by some digits: which remaining lengths decide all tests. */
type DfaState = { consumers: Int32Array; decided: number; next: Array<DfaState | undefined> };

/**
 * The states of all tests (Thompson construction, without loops: the dialect has none). A
 * state either consumes a digit of `consumes` and goes to `target`, or has ε moves, plain or
 * `$` ones (taken only at the end of the string), or is a test's final state.
 */
class Nfa {
  readonly consumes: number[] = [];
  readonly target: number[] = [];
  readonly eps: number[][] = [];
  readonly endEps: number[][] = [];
  readonly owner: number[] = [];
  /** Final states: the test's index; -1 for others. */
  readonly finalOf: number[] = [];

  add(owner: number): number {
    this.consumes.push(0);
    this.target.push(-1);
    this.eps.push([]);
    this.endEps.push([]);
    this.owner.push(owner);
    this.finalOf.push(-1);
    return this.consumes.length - 1;
  }

  alt(alt: Alt, from: number, owner: number): number {
    const to = this.add(owner);
    for (const seq of alt) {
      let at = from;
      for (const item of seq) at = this.item(item, at, owner);
      this.eps[at]?.push(to);
    }
    return to;
  }

  /** `x{m,n}` as m copies of x, then n − m optional ones: the same strings. */
  item(item: Item, from: number, owner: number): number {
    let at = from;
    for (let i = 0; i < item.min; i++) at = this.atom(item.atom, at, owner);
    if (item.max === item.min) return at;
    const out = this.add(owner);
    for (let i = item.min; i < item.max; i++) {
      this.eps[at]?.push(out);
      at = this.atom(item.atom, at, owner);
    }
    this.eps[at]?.push(out);
    return out;
  }

  atom(atom: Atom, from: number, owner: number): number {
    if (atom.kind === 'group') return this.alt(atom.alt, from, owner);
    const to = this.add(owner);
    if (atom.kind === 'end') {
      this.endEps[from]?.push(to);
      return to;
    }
    const consumer = this.add(owner);
    this.eps[from]?.push(consumer);
    this.consumes[consumer] = atom.digits;
    this.target[consumer] = to;
    return to;
  }
}

type Automaton = { start: DfaState; step: (state: DfaState, digit: number) => DfaState };

function compile(tests: readonly PatternTest[]): Automaton | undefined {
  const nfa = new Nfa();
  const starts: number[] = [];
  for (const [index, test] of tests.entries()) {
    const alt = parsePattern(test.pattern);
    if (!alt) return undefined;
    const start = nfa.add(index);
    const final = nfa.alt(alt, start, index);
    nfa.finalOf[final] = index;
    starts.push(start);
    if (nfa.consumes.length > MAX_NFA_STATES) return undefined;
  }
  const { lens, lengthOnly } = lengthsOf(nfa, tests);
  const whole = tests.map((t) => t.whole);

  const size = nfa.consumes.length;
  const seen = new Int32Array(size);
  let stamp = 0;
  const interned = new Map<string, DfaState>();

  /** The consuming states ε-reachable from `from`, without those of start tests that matched. */
  const closure = (from: readonly number[]): DfaState => {
    stamp++;
    const found: number[] = [];
    const matched = new Set<number>();
    const stack = [...from];
    for (let q = stack.pop(); q !== undefined; q = stack.pop()) {
      if (seen[q] === stamp) continue;
      seen[q] = stamp;
      if (nfa.consumes[q]) found.push(q);
      const f = nfa.finalOf[q] ?? -1;
      if (f >= 0 && !whole[f]) matched.add(f);
      for (const t of nfa.eps[q] ?? []) stack.push(t);
    }
    const consumers = Int32Array.from(matched.size ? found.filter((q) => !matched.has(nfa.owner[q] ?? -1)) : found).sort();
    const key = consumers.join(',');
    const known = interned.get(key);
    if (known) return known;
    const state: DfaState = { consumers, decided: decidedLengths(consumers, nfa.owner, lens, lengthOnly), next: [] };
    if (interned.size < MAX_DFA_STATES) interned.set(key, state);
    return state;
  };

  const step = (state: DfaState, digit: number): DfaState => {
    const cached = state.next[digit];
    if (cached) return cached;
    const targets: number[] = [];
    for (const q of state.consumers) if ((nfa.consumes[q] ?? 0) & (1 << digit)) targets.push(nfa.target[q] ?? -1);
    const next = closure(targets);
    state.next[digit] = next;
    return next;
  };
  return { start: closure(starts), step };
}

/**
 * Per test, over its consuming states in the set (ids are grouped by test): the remaining
 * lengths some of them can still match ("any"), and those one of them matches whatever the
 * digits ("all"). A test is decided for a length outside "any" or inside "all"; a test with
 * no state left (dead, or a start test that matched) is decided for every length, and so is
 * every test with no digit left.
 */
function decidedLengths(consumers: Int32Array, owner: readonly number[], lens: Int32Array, lengthOnly: Uint8Array): number {
  let decided = ANY_LENGTH;
  let current = -1;
  let any = 0;
  let all = 0;
  for (const q of consumers) {
    const o = owner[q] ?? -1;
    if (o !== current) {
      decided &= ~any | all;
      current = o;
      any = 0;
      all = 0;
    }
    const l = lens[q] ?? 0;
    any |= l;
    if (lengthOnly[q]) all |= l;
  }
  return (decided & (~any | all)) | 1;
}

/**
 * For every state: the lengths of digit strings that take it to its test's match (`lens`, bit
 * m; a start test, once matched, matches every length), and whether that depends on the length
 * alone (`lengthOnly`: only `\d` is consumed on the way). Lengths past 30 are left out: no
 * string that long is walked.
 */
function lengthsOf(nfa: Nfa, tests: readonly PatternTest[]): { lens: Int32Array; lengthOnly: Uint8Array } {
  const size = nfa.consumes.length;
  const lens = new Int32Array(size);
  const lengthOnly = new Uint8Array(size);
  const done = new Uint8Array(size);
  // States are created before the states they lead to, except a group's end (created first):
  // visit in an explicit post-order.
  const visit = (root: number): void => {
    const stack: Array<[number, boolean]> = [[root, false]];
    for (let top = stack.pop(); top; top = stack.pop()) {
      const [q, expanded] = top;
      if (done[q]) continue;
      const targets = [...(nfa.eps[q] ?? []), ...(nfa.endEps[q] ?? [])];
      const t = nfa.target[q] ?? -1;
      if (t >= 0) targets.push(t);
      if (!expanded) {
        stack.push([q, true]);
        for (const n of targets) if (!done[n]) stack.push([n, false]);
        continue;
      }
      done[q] = 1;
      const f = nfa.finalOf[q] ?? -1;
      let l = f < 0 ? 0 : tests[f]?.whole ? 1 : ANY_LENGTH;
      let only = 1;
      for (const n of nfa.eps[q] ?? []) {
        l |= lens[n] ?? 0;
        only &= lengthOnly[n] ?? 0;
      }
      for (const n of nfa.endEps[q] ?? []) l |= (lens[n] ?? 0) & 1;
      if (t >= 0) {
        l |= ((lens[t] ?? 0) << 1) & ANY_LENGTH;
        only &= nfa.consumes[q] === ALL_DIGITS ? (lengthOnly[t] ?? 0) : 0;
      }
      lens[q] = l;
      lengthOnly[q] = only;
    }
  };
  for (let q = 0; q < size; q++) visit(q);
  return { lens, lengthOnly };
}
