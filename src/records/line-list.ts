/** Lines named in a warning; the count covers them all. */
const LINES_SHOWN = 5;

/** The lines something happened on, for a one-line warning: "lines 3, 7, 12, …". */
export class LineList {
  #first: number[] = [];
  #count = 0;

  add(line: number): void {
    this.#count++;
    if (this.#first.length < LINES_SHOWN) this.#first.push(line);
  }

  get count(): number {
    return this.#count;
  }

  toString(): string {
    const more = this.#count > this.#first.length ? ', …' : '';
    return `line${this.#count === 1 ? '' : 's'} ${this.#first.join(', ')}${more}`;
  }
}
