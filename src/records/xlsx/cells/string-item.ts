// The text of a shared string (`<si>`) or an inline string (`<is>`): a plain `<t>`, or rich
// text whose runs (`<r><t>`) are joined; phonetic guides (`<rPh>`) are not part of it.
// SheetJS takes only the first `<t>` when the item starts with one; so does this.

import { stringValue } from '../xml/xml-text.js';
import { limitText, xlsxTooLarge } from '../xlsx-limits.js';

export class StringItem {
  #first: string | undefined;
  #tCount = 0;
  #inT = false;
  #phonetic = 0;
  #hasRun = false;
  #plain = '';
  #rich = '';
  readonly #file: string;
  readonly #maxChars: number;

  /** Text longer than maxChars is refused (TOO_LARGE). */
  constructor(file: string, maxChars: number) {
    this.#file = file;
    this.#maxChars = maxChars;
  }

  open(name: string, selfClosing: boolean): void {
    this.#first ??= name;
    if (name === 'r') this.#hasRun = true;
    else if (name === 'rPh' && !selfClosing) this.#phonetic++;
    else if (name === 't' && !selfClosing) {
      this.#inT = true;
      this.#tCount++;
    }
  }

  close(name: string): void {
    if (name === 't') this.#inT = false;
    else if (name === 'rPh' && this.#phonetic > 0) this.#phonetic--;
  }

  text(text: string): void {
    if (!this.#inT) return;
    if (this.#tCount === 1) this.#plain += text;
    if (this.#phonetic === 0) this.#rich += text;
    if (this.#plain.length > this.#maxChars || this.#rich.length > this.#maxChars) throw cellTooLarge(this.#file, this.#maxChars);
  }

  /** The string; undefined for an item with neither a leading `<t>` nor runs. */
  value(): string | undefined {
    if (this.#first === 't') return stringValue(this.#plain);
    if (this.#hasRun) return stringValue(this.#rich);
    return undefined;
  }
}

export function cellTooLarge(file: string, maxChars: number): Error {
  return xlsxTooLarge(file, `a cell holds more than ${limitText.kib(maxChars)} KiB of text (the limit)`, 'XLSX_MAX_CELL_KB');
}
