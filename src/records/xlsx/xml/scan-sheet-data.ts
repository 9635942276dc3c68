// A fast reading of the usual shapes of a worksheet's rows, `<row ..><c r=".." t=".."><v>..</v></c></row>`,
// giving the same events saxes would give for them (xml-parser.ts). saxes, a full XML
// parser, costs more than the rest of reading a sheet; these rows need only a little of it.
// Only a small, strictly well-formed subset is read here: names `row`, `c` and `v` without a
// prefix, attributes with plain ASCII values, values with only the five named entities and
// no `\r`. Anything else (formulas, inline strings, comments, character references, odd
// whitespace, any doubt) stops the scan at the start of its row, and the caller gives saxes
// the text from there on, so saxes sees the rest exactly as it would have seen it all.

import type { XmlHandlers } from './xml-parser.js';

export interface SheetDataScan {
  /** Where the scan stopped: always before a row, or before `</sheetData>`. */
  at: number;
  /**
   * `more`: the text ends inside a row, or with nothing after the last row (a row that was
   * begun gave its events again when rescanned, so the caller undoes what they did);
   * `other`: something not read here; `end`: `</sheetData>`.
   */
  stop: 'more' | 'other' | 'end';
  /** Whether a row was begun (its opening tag given out) at `at`. */
  begun: boolean;
}

const LT = 60;
const GT = 62;
const AMP = 38;
const R = 114;
const T = 116;
const S = 115;
const SLASH = 47;
const EQUALS = 61;
const QUOTE = 34;
const APOSTROPHE = 39;

/** Results of reading a part of a row. */
const DONE = 0;
const MORE = -1;
const OTHER = -2;

const isSpace = (code: number): boolean => code === 32 || code === 10 || code === 9 || code === 13;
const isNameStart = (code: number): boolean => (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || code === 95;
/** ASCII name characters: letters, digits, `_ . : -`. */
const isNameChar = (code: number): boolean =>
  isNameStart(code) || (code >= 48 && code <= 58) || code === 46 || code === 45;

/** Characters of attribute values read here: printable ASCII but `<` and `&` (which saxes would decode or refuse). */
const isPlainValueChar = (code: number): boolean => code >= 0x20 && code <= 0x7e && code !== LT && code !== AMP;
/** Characters XML 1.0 allows in text, without `<` and `\r` (which saxes turns into `\n`). */
const ODD_TEXT = /[^\t\n\x20-\x3b\x3d-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/u;
/** The same without pairs of surrogates: faster (no Unicode mode), and enough for most text. */
const ODD_BMP_TEXT = /[^\t\n\x20-\x3b\x3d-\ud7ff\ue000-\ufffd]/;
/** An `&` that does not start one of XML's five named entities. */
const ODD_ENTITY = /&(?!(?:amp|lt|gt|quot|apos);)/;
const ENTITY = /&(amp|lt|gt|quot|apos);/g;
const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** A value's text as saxes gives it, or undefined when it is not read here. */
function valueText(raw: string): string | undefined {
  if ((ODD_BMP_TEXT.test(raw) && ODD_TEXT.test(raw)) || raw.includes(']]>')) return undefined;
  if (raw.indexOf('&') < 0) return raw;
  if (ODD_ENTITY.test(raw)) return undefined;
  return raw.replace(ENTITY, (_, name: string) => ENTITIES[name]!);
}

/**
 * The tag read last: its attributes (only those the sheet's reader looks at; it reads them
 * at once, so one object serves every tag), whether it closed itself, and where it ended.
 */
class Tag {
  attributes: { r: string | undefined; t: string | undefined; s: string | undefined } = { r: undefined, t: undefined, s: undefined };
  selfClosing = false;
  end = 0;
}

/**
 * A tag's attributes and its end (`>` or `/>`), from `i`, just after its name: DONE (and
 * `tag` filled in), MORE or OTHER. A free function, so its loops keep their state in registers.
 */
function readTag(text: string, n: number, i: number, tag: Tag): number {
  const attributes = tag.attributes;
  attributes.r = undefined;
  attributes.t = undefined;
  attributes.s = undefined;
  let others: string[] | undefined;
  for (;;) {
    if (i >= n) return MORE;
    let code = text.charCodeAt(i);
    if (code === GT) {
      tag.selfClosing = false;
      tag.end = i + 1;
      return DONE;
    }
    if (code === SLASH) {
      if (i + 1 >= n) return MORE;
      if (text.charCodeAt(i + 1) !== GT) return OTHER;
      tag.selfClosing = true;
      tag.end = i + 2;
      return DONE;
    }
    // saxes wants a space before each attribute.
    if (!isSpace(code)) return OTHER;
    while (i < n && isSpace(text.charCodeAt(i))) i++;
    if (i >= n) return MORE;
    code = text.charCodeAt(i);
    if (code === GT || code === SLASH) continue;
    if (!isNameStart(code)) return OTHER;
    const nameFrom = i;
    while (i < n && isNameChar(text.charCodeAt(i))) i++;
    const nameTo = i;
    while (i < n && isSpace(text.charCodeAt(i))) i++;
    if (i >= n) return MORE;
    if (text.charCodeAt(i) !== EQUALS) return OTHER;
    i++;
    while (i < n && isSpace(text.charCodeAt(i))) i++;
    if (i >= n) return MORE;
    const quote = text.charCodeAt(i);
    if (quote !== QUOTE && quote !== APOSTROPHE) return OTHER;
    const valueFrom = ++i;
    for (;;) {
      if (i >= n) return MORE;
      code = text.charCodeAt(i);
      if (code === quote) break;
      if (!isPlainValueChar(code)) return OTHER;
      i++;
    }
    const value = text.slice(valueFrom, i);
    i++;
    // A repeated attribute is an error saxes reports.
    const first = text.charCodeAt(nameFrom);
    if (nameTo - nameFrom > 1 || (first !== R && first !== T && first !== S)) {
      const name = text.slice(nameFrom, nameTo);
      others ??= [];
      if (others.includes(name)) return OTHER;
      others.push(name);
    } else if (first === R) {
      if (attributes.r !== undefined) return OTHER;
      attributes.r = value;
    } else if (first === T) {
      if (attributes.t !== undefined) return OTHER;
      attributes.t = value;
    } else {
      if (attributes.s !== undefined) return OTHER;
      attributes.s = value;
    }
  }
}

/** A value's beginning without what the end of a chunk may cut: an entity, a surrogate pair. */
const withoutCutEnd = (raw: string): string => raw.replace(/(?:&[a-z]{0,4}|[\ud800-\udbff])$/, '');

/**
 * Reads rows of `text` from `from` (just after `<sheetData>`, or after a row), calling the
 * handlers as saxes would. Whitespace between elements is skipped: saxes gives it as text,
 * which the sheet's reader ignores outside a value.
 */
export function scanSheetData(text: string, from: number, handlers: Required<XmlHandlers>): SheetDataScan {
  const { open, close, text: onText } = handlers;
  const n = text.length;
  let i = from;
  const tag = new Tag();
  let begun = false;

  /** 1: `token` is at `i`; 0: not; MORE: the text ends with a beginning of it. */
  const sees = (token: string): number => {
    if (text.startsWith(token, i)) return 1;
    return n - i < token.length && token.startsWith(text.slice(i)) ? MORE : 0;
  };
  /** Like `sees`, for `<name` followed by a space, `>` or `/`. */
  const seesStart = (token: string): number => {
    const seen = sees(token);
    if (seen !== 1) return seen;
    if (i + token.length >= n) return MORE;
    const next = text.charCodeAt(i + token.length);
    return isSpace(next) || next === GT || next === SLASH ? 1 : 0;
  };
  /** Steps over `</name>` at `i` and closes the element (1); 0 when it is not there; MORE when cut. */
  const closes = (token: string, name: string): number => {
    const seen = sees(token);
    if (seen === 1) {
      i += token.length;
      close(name);
    }
    return seen;
  };
  const skipSpaces = (): void => {
    while (i < n && isSpace(text.charCodeAt(i))) i++;
  };

  const readAttributes = (): number => {
    const read = readTag(text, n, i, tag);
    i = tag.end;
    return read;
  };

  /** One cell, from `<c`. */
  const readCell = (): number => {
    i += 2;
    const read = readAttributes();
    if (read !== DONE) return read;
    open('c', tag.attributes as Record<string, string>, tag.selfClosing);
    if (tag.selfClosing) {
      close('c');
      return DONE;
    }
    skipSpaces();
    let seen = closes('</c>', 'c');
    if (seen === 1) return DONE;
    if (seen === MORE) return MORE;
    seen = seesStart('<v');
    if (seen !== 1) return seen === MORE ? MORE : OTHER;
    i += 2;
    const readV = readAttributes();
    if (readV !== DONE) return readV;
    open('v', tag.attributes as Record<string, string>, tag.selfClosing);
    if (tag.selfClosing) close('v');
    else {
      const end = text.indexOf('<', i);
      if (end < 0) return valueText(withoutCutEnd(text.slice(i))) === undefined ? OTHER : MORE;
      const value = valueText(text.slice(i, end));
      if (value === undefined) return OTHER;
      if (value !== '') onText(value);
      i = end;
      seen = closes('</v>', 'v');
      if (seen !== 1) return seen === MORE ? MORE : OTHER;
    }
    skipSpaces();
    seen = closes('</c>', 'c');
    return seen === 1 ? DONE : seen === MORE ? MORE : OTHER;
  };

  /** One row, from `<row`. */
  const readRow = (): number => {
    i += 4;
    const read = readAttributes();
    if (read !== DONE) return read;
    begun = true;
    open('row', tag.attributes as Record<string, string>, tag.selfClosing);
    if (tag.selfClosing) {
      close('row');
      return DONE;
    }
    for (;;) {
      skipSpaces();
      if (i >= n) return MORE;
      const seen = closes('</row>', 'row');
      if (seen === 1) return DONE;
      if (seen === MORE) return MORE;
      const cell = seesStart('<c');
      if (cell !== 1) return cell === MORE ? MORE : OTHER;
      const done = readCell();
      if (done !== DONE) return done;
    }
  };

  for (;;) {
    skipSpaces();
    const rowFrom = i;
    begun = false;
    if (i >= n) return { at: rowFrom, stop: 'more', begun: false };
    const end = sees('</sheetData>');
    if (end !== 0) return { at: rowFrom, stop: end === 1 ? 'end' : 'more', begun: false };
    const row = seesStart('<row');
    if (row !== 1) return { at: rowFrom, stop: row === MORE ? 'more' : 'other', begun: false };
    const done = readRow();
    if (done !== DONE) return { at: rowFrom, stop: done === MORE ? 'more' : 'other', begun };
  }
}
