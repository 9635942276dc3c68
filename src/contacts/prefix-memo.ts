/**
 * Remembers the answers of a prefix decider (see PrefixDecider): a function of digit strings
 * whose answer k for a string holds for every string of the same length, in the same scope,
 * sharing its first k digits. So the answer is kept once, at the end of those k digits in a
 * trie per scope and length, and found again by walking a string's digits down it — one array
 * read per digit instead of the decider's work. Nodes live in one flat array that doubles as
 * needed up to a bound; past it answers are no longer kept (get then misses). The node where an
 * answer ends stands for its scope and digits: a caller can key what it derives from them by it.
 */
export class PrefixMemo {
  private readonly roots = new Map<string, number>();
  /** Node n's child for digit d at n * 10 + d; 0 is "none" (node 0 is never a child). */
  private children = new Int32Array(10 * 1024);
  /** At a node where an answer ends, the answer + 1 (its depth + 1); else 0. */
  private answers = new Uint8Array(1024);
  private nodes = 1;

  constructor(private readonly maxNodes: number) {}

  /** The remembered answer for `digits` in `scope`, or -1. */
  get(scope: string, digits: string): number {
    const node = this.find(scope, digits);
    return node ? this.answerAt(node) : -1;
  }

  /** The node where the remembered answer for `digits` in `scope` ends (a number > 0), or 0. */
  find(scope: string, digits: string): number {
    let node = this.roots.get(scope) ?? 0;
    for (let k = 0; node; k++) {
      if (this.answers[node]) return node;
      if (k === digits.length) return 0;
      node = this.children[node * 10 + digits.charCodeAt(k) - 48] ?? 0;
    }
    return 0;
  }

  /** The answer ending at a node find() or set() gave. */
  answerAt(node: number): number {
    return this.answers[node]! - 1;
  }

  /**
   * Remembers that the first `decisive` digits of `digits` decide it in `scope`; returns the
   * node where that answer ends, or 0 when it is not kept (past the bound, or a longer answer
   * than there are digits, or than 254).
   */
  set(scope: string, digits: string, decisive: number): number {
    if (decisive > digits.length || decisive > 254) return 0;
    let node = this.roots.get(scope) ?? 0;
    if (!node) {
      node = this.add();
      if (!node) return 0;
      this.roots.set(scope, node);
    }
    for (let k = 0; k < decisive; k++) {
      const slot = node * 10 + digits.charCodeAt(k) - 48;
      let child = this.children[slot] ?? 0;
      if (!child) {
        child = this.add();
        if (!child) return 0;
        this.children[slot] = child;
      }
      node = child;
    }
    this.answers[node] = decisive + 1;
    return node;
  }

  /** A new node, or 0 past the bound. */
  private add(): number {
    if (this.nodes >= this.maxNodes) return 0;
    if (this.nodes === this.answers.length) {
      const children = new Int32Array(this.children.length * 2);
      children.set(this.children);
      this.children = children;
      const answers = new Uint8Array(this.answers.length * 2);
      answers.set(this.answers);
      this.answers = answers;
    }
    return this.nodes++;
  }
}
