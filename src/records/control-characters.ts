// Exports from old systems and terminals leave invisible control characters in cells: ESC
// from colour codes, BEL, backspace, form feed. They carry no meaning in a contact, break
// display and matching, and a user cannot see them to fix them, so they are removed as the
// file is read (with a count in analyze's warnings) rather than failing the row.
// Kept: TAB, CR and LF (real text), and NUL, which the field rules report (text-problem.ts):
// a NUL usually means the file is not text at all, or is UTF-16 read as bytes. A vertical
// tab becomes a line feed (see below).

import { LineList } from './line-list.js';

const CONTROL = /[\x01-\x08\x0b\x0c\x0e-\x1f\x7f]/;
// A terminal escape sequence goes as a whole (`\x1b[31m`, not just its ESC, which would
// leave `[31m` in a name): CSI sequences and OSC strings, then any single control.
const CONTROLS = /\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|[\x01-\x08\x0b\x0c\x0e-\x1f\x7f]/g;

export class ControlCharacters {
  #removed = 0;
  #lines = new LineList();
  #codes = new Set<number>();

  /** The fields with control characters removed; notes what was removed on `line`. */
  clean(fields: string[], line: number): string[] {
    let cleaned: string[] | undefined;
    for (let i = 0; i < fields.length; i++) {
      const field = fields[i]!;
      if (!CONTROL.test(field)) continue;
      cleaned ??= fields.slice();
      cleaned[i] = field.replace(CONTROLS, (c) => {
        this.#removed++;
        this.#codes.add(c.charCodeAt(0));
        // FileMaker exports a line break inside a field as a vertical tab: keep the break.
        return c === '\x0b' ? '\n' : '';
      });
    }
    if (cleaned === undefined) return fields;
    this.#lines.add(line);
    return cleaned;
  }

  /** One line for analyze's warnings, or undefined when nothing was removed. */
  warning(): string | undefined {
    if (this.#removed === 0) return undefined;
    const codes = [...this.#codes]
      .sort((a, b) => a - b)
      .map((code) => `U+${code.toString(16).toUpperCase().padStart(4, '0')}`)
      .join(', ');
    const s = this.#removed === 1 ? '' : 's';
    return `removed ${this.#removed} invisible control character${s} or escape sequence${s} (${codes}) from the values on ${this.#lines}`;
  }
}
