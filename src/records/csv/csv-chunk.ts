// The characters the CSV tokenizer looks at, and how it reads them from a chunk of text that is
// either UTF-8 bytes or a string decoded by iconv-lite: all of them are ASCII, so a byte and
// a UTF-16 code unit compare alike.

export const QUOTE = 0x22;
export const CR = 0x0d;
export const LF = 0x0a;
export const SPACE = 0x20;
export const TAB = 0x09;
export const FF = 0x0c;
export const DEL = 0x7f;
export const EMPTY = Buffer.alloc(0);
export const BOM = 0xfeff;

/** A chunk of the text: UTF-8 bytes, or a string decoded from another encoding. */
export type CsvChunk = Buffer | string;

/** The byte or UTF-16 code unit at `i` (NaN or undefined past the end: equal to nothing). */
export const at = (buf: CsvChunk, i: number): number =>
  typeof buf === 'string' ? buf.charCodeAt(i) : (buf[i] as number);

/** Control characters ControlCharacters removes: all below 0x20 but TAB, LF, CR and NUL; and DEL. */
export const isControl = (c: number): boolean => (c < 0x20 && c !== TAB && c !== LF && c !== CR && c !== 0) || c === DEL;

// Buffer#utf8Slice is what toString('utf8', from, to) ends in, without its argument handling:
// a measurable share of the time with twelve fields a record.
type Utf8Slicer = Buffer & { utf8Slice?(from: number, to: number): string };
const hasUtf8Slice = typeof (Buffer.prototype as Utf8Slicer).utf8Slice === 'function';
export const decode = (buf: CsvChunk, from: number, to: number): string =>
  typeof buf === 'string'
    ? buf.slice(from, to)
    : hasUtf8Slice
      ? (buf as Utf8Slicer).utf8Slice!(from, to)
      : buf.toString('utf8', from, to);

/** Marks a record cut off by the end of the bytes pushed so far. */
export const INCOMPLETE = -1;

/** Position after the line break ending the line at `pos`, or INCOMPLETE. */
export function skipLine(buf: CsvChunk, pos: number, final: boolean): number {
  const n = buf.length;
  for (let i = pos; i < n; i++) {
    const c = at(buf, i);
    if (c === LF) return i + 1;
    if (c === CR) {
      if (i + 1 >= n) return final ? n : INCOMPLETE;
      return at(buf, i + 1) === LF ? i + 2 : i + 1;
    }
  }
  return final ? n : INCOMPLETE;
}
