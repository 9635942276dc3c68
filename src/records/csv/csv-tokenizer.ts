// CSV text → records of string fields, with the physical line each record starts on and the
// file offset where it ends. The text comes as UTF-8 bytes (most files: read as they are) or as
// strings (other encodings, decoded once by iconv-lite); every character the rules look at is
// ASCII, so one loop reads both, by byte or by UTF-16 code unit. A byte loop with the rules the reader used to
// configure csv-parse with (bom, relax_quotes, relax_column_count, ltrim, skip_empty_lines,
// CRLF/LF/CR record delimiters, max_record_size, from_line): ~1.3 s for 1M rows (127 MiB)
// where csv-parse took ~7 s, as it handles every byte through several method calls and copies
// it into a field buffer — the largest single cost of analyze and import before.
//
// The rules, as csv-parse applies them with those options:
// - A field is quoted when a quote is its first character after leading spaces, tabs and form
//   feeds (which are dropped: ltrim). Inside, `""` is a quote and line breaks are kept.
// - A quote elsewhere is an ordinary character (`5'4"`, `Bob "Bobby" Smith`).
// - A closing quote followed by something other than a delimiter, a line break or the end
//   (`"abc"def`) is taken as text: the field is then `"abc"def` (quotes kept, `""` undoubled).
// - A line that is empty or only spaces/tabs is skipped (its line is still counted).
// - CRLF, LF and a lone CR each end a record (and count as one line inside quoted fields).

//
// A record whose fields hold more than maxRecordBytes is not kept: once it passes the limit its
// bytes are only scanned (quotes respected) to find where it ends, and it comes out as one
// record with no fields and `tooLarge` set. Memory stays bounded by the limit plus a chunk.

/** Why the text cannot be read as CSV; `line` is where the record starts. */
export class CsvSyntaxError extends Error {
  readonly code: 'QUOTE_NOT_CLOSED';
  readonly line: number;

  constructor(code: CsvSyntaxError['code'], line: number) {
    super(`quote not closed (line ${line})`);
    this.name = 'CsvSyntaxError';
    this.code = code;
    this.line = line;
  }
}

export interface CsvRecord {
  fields: string[];
  /** Set when a field holds a control character other than TAB, CR, LF and NUL. */
  controls?: true;
  /** The record's fields held more than maxRecordBytes: they were not kept (`fields` is empty). */
  tooLarge?: true;
  /** Physical line the record starts on, from 1. */
  line: number;
  /** Offset just past the record and its line break: in bytes, or characters for decoded text. */
  end: number;
}

export interface CsvTokenizerOptions {
  /** One character. */
  delimiter: string;
  /** Physical line to start at (2 after a `sep=` line); lines before it are skipped unparsed. */
  fromLine?: number;
  /** A record whose fields hold more bytes (characters, for decoded text) than this comes out as `tooLarge`. */
  maxRecordBytes: number;
}

import { at, BOM, CR, decode, DEL, EMPTY, FF, INCOMPLETE, isControl, LF, QUOTE, SPACE, skipLine, TAB, type CsvChunk } from './csv-chunk.js';

export type { CsvChunk };

// Where #skip is in a record it does not keep.
const FIELD_START = 0;
const UNQUOTED = 1;
const QUOTED = 2;
/** A quote inside a quoted field: closing, or the first of `""`. */
const QUOTE_PENDING = 3;

/**
 * Push chunks in file order, then call end(). Records are appended to the array given; a
 * record cut by a chunk boundary is kept back and read again once the next chunk arrives.
 */
export class CsvTokenizer {
  readonly #delimiter: string;
  /** The delimiter in the text's units, set by the first chunk (bytes or a string). */
  #delimiterUnits: CsvChunk | undefined;
  #delimiterByte = 0;
  readonly #maxRecordBytes: number;
  #linesToSkip: number;
  #bomChecked = false;
  /** Bytes not yet turned into records (the start of a cut record). */
  #rest: CsvChunk = EMPTY;
  /** File offset of #rest[0]. */
  #offset = 0;
  /** Line of #rest[0]. */
  #line = 1;
  // The record being read, as fields are finished (reset per record).
  #fields: string[] = [];
  #recordBytes = 0;
  #recordLine = 1;
  #controls = false;
  /** Line breaks in the record, its own final one included. */
  #breaks = 0;
  // A record over the limit being scanned to its end (see #skip).
  #skipping = false;
  #skipState = FIELD_START;
  #skipBreaks = 0;
  /** Where #skip stopped for want of the next unit (a CR's LF, a delimiter's rest). */
  #skipKeep = 0;

  constructor(options: CsvTokenizerOptions) {
    this.#delimiter = options.delimiter;
    this.#maxRecordBytes = options.maxRecordBytes;
    this.#linesToSkip = Math.max(0, (options.fromLine ?? 1) - 1);
  }

  /** Reads the complete records of `chunk` (after what was kept back) into `out`. */
  push(chunk: CsvChunk, out: CsvRecord[]): void {
    if (this.#delimiterUnits === undefined) this.#start(chunk);
    const rest = this.#rest;
    let text: CsvChunk;
    if (rest.length === 0) text = chunk;
    else if (typeof chunk === 'string') text = (rest as string) + chunk;
    else text = Buffer.concat([rest as Buffer, chunk]);
    this.#read(text, false, out);
  }

  /** The input has ended: reads what was kept back. */
  end(out: CsvRecord[]): void {
    if (this.#delimiterUnits === undefined) this.#start(EMPTY);
    this.#read(this.#rest, true, out);
    this.#rest = EMPTY;
  }

  /** The first chunk tells whether the text is bytes or a string, for good. */
  #start(chunk: CsvChunk): void {
    const units = typeof chunk === 'string' ? this.#delimiter : Buffer.from(this.#delimiter, 'utf8');
    this.#delimiterUnits = units;
    this.#delimiterByte = at(units, 0);
    if (typeof chunk === 'string') this.#rest = '';
  }

  #read(buf: CsvChunk, final: boolean, out: CsvRecord[]): void {
    let pos = 0;
    const n = buf.length;
    if (!this.#bomChecked) {
      if (typeof buf === 'string') {
        if (n < 1 && !final) return this.#keep(buf, 0);
        this.#bomChecked = true;
        if (buf.charCodeAt(0) === BOM) pos = 1;
      } else {
        if (n < 3 && !final) return this.#keep(buf, 0);
        this.#bomChecked = true;
        if (n >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) pos = 3;
      }
    }
    while (this.#linesToSkip > 0 && pos < n) {
      const next = skipLine(buf, pos, final);
      if (next === INCOMPLETE) return this.#keep(buf, pos);
      pos = next;
      this.#line++;
      this.#linesToSkip--;
    }
    let line = this.#line;
    while (pos < n || (this.#skipping && final)) {
      if (this.#skipping) {
        const end = this.#skip(buf, pos, final);
        if (end === INCOMPLETE) return this.#keep(buf, this.#skipKeep);
        this.#skipping = false;
        line = this.#recordLine + this.#skipBreaks;
        pos = end;
        out.push({ fields: [], tooLarge: true, line: this.#recordLine, end: this.#offset + end });
        continue;
      }
      const start = pos;
      const startLine = line;
      this.#fields = [];
      this.#recordBytes = 0;
      this.#recordLine = startLine;
      this.#controls = false;
      const end = this.#readRecord(buf, pos, final);
      if (end === INCOMPLETE) {
        if (this.#recordBytes > this.#maxRecordBytes) {
          // Too large to keep: scanned again from its start, and no longer kept.
          this.#fields = [];
          this.#skipping = true;
          this.#skipState = FIELD_START;
          this.#skipBreaks = 0;
          pos = start;
          continue;
        }
        this.#line = startLine;
        return this.#keep(buf, start);
      }
      line = startLine + this.#breaks;
      pos = end;
      // A blank or whitespace-only line is no record.
      if (this.#fields.length === 0) continue;
      const record: CsvRecord =
        this.#recordBytes > this.#maxRecordBytes
          ? { fields: [], tooLarge: true, line: startLine, end: this.#offset + end }
          : { fields: this.#fields, line: startLine, end: this.#offset + end };
      if (this.#controls && !record.tooLarge) record.controls = true;
      out.push(record);
    }
    this.#line = line;
    this.#keep(buf, n);
  }

  /**
   * Reads one record from `pos` into #fields; returns the position after its line break, or
   * INCOMPLETE when the bytes end before the record does (and more may come).
   */
  #readRecord(buf: CsvChunk, pos: number, final: boolean): number {
    const n = buf.length;
    const d = this.#delimiterByte;
    this.#breaks = 0;
    for (;;) {
      // Leading spaces, tabs and form feeds are dropped; a quote after them opens a quoted field.
      let p = pos;
      let c = 0;
      while (p < n) {
        c = at(buf, p);
        if ((c === SPACE || c === TAB || c === FF) && !(c === d && this.#isDelimiter(buf, p))) p++;
        else break;
      }
      if (p >= n) {
        if (!final) return INCOMPLETE;
        // The end of the input: a record with fields gets its last (empty) field.
        if (this.#fields.length > 0) this.#fields.push('');
        return n;
      }
      if (c === QUOTE) {
        p = this.#readQuoted(buf, p, final);
        if (p === INCOMPLETE) return INCOMPLETE;
      } else {
        const from = p;
        while (p < n) {
          c = at(buf, p);
          if (c < 0x20 || c === d || c === DEL) {
            if (c === LF || c === CR || (c === d && this.#isDelimiter(buf, p))) break;
            if (isControl(c)) this.#controls = true;
          }
          p++;
        }
        if (p >= n && !final) return this.#cut(p - from);
        this.#addField(buf, from, p);
        // A line of nothing but spaces is a blank line, not a record with one empty field.
        if (from === p && this.#fields.length === 1 && p < n && (c === LF || c === CR)) this.#fields.pop();
      }
      if (p >= n) return n;
      c = at(buf, p);
      if (c === LF) {
        this.#breaks++;
        return p + 1;
      }
      if (c === CR) {
        if (p + 1 >= n && !final) return INCOMPLETE;
        this.#breaks++;
        return at(buf, p + 1) === LF ? p + 2 : p + 1;
      }
      pos = p + this.#delimiterUnits!.length;
    }
  }

  /** Reads a quoted field from its opening quote at `p`; returns the position after it. */
  #readQuoted(buf: CsvChunk, p: number, final: boolean): number {
    const n = buf.length;
    let value = '';
    let from = p + 1;
    let bytes = 0;
    for (let i = from; ; i++) {
      if (i >= n) {
        this.#recordBytes += bytes + (i - from);
        if (!final) return INCOMPLETE;
        throw new CsvSyntaxError('QUOTE_NOT_CLOSED', this.#recordLine);
      }
      const c = at(buf, i);
      if (c === CR) {
        if (i + 1 >= n && !final) return this.#cut(bytes + (i - from));
        if (at(buf, i + 1) !== LF) this.#breaks++;
      } else if (c === LF) {
        this.#breaks++;
      } else if (isControl(c)) {
        this.#controls = true;
      } else if (c === QUOTE) {
        if (i + 1 >= n && !final) return this.#cut(bytes + (i - from));
        const next = at(buf, i + 1);
        if (next === QUOTE) {
          // An escaped quote: keep one.
          value += decode(buf, from, i + 1);
          bytes += i + 1 - from;
          from = i + 2;
          i++;
          continue;
        }
        value += decode(buf, from, i);
        bytes += i - from;
        if (i + 1 >= n || next === LF || next === CR || (next === this.#delimiterByte && this.#isDelimiter(buf, i + 1))) {
          this.#fields.push(value);
          this.#recordBytes += bytes;
          return i + 1;
        }
        // Text after the closing quote: the quotes are kept and the rest is read as it is.
        let end = i + 1;
        while (end < n) {
          const e = at(buf, end);
          if (e === LF || e === CR || (e === this.#delimiterByte && this.#isDelimiter(buf, end))) break;
          if (isControl(e)) this.#controls = true;
          end++;
        }
        if (end >= n && !final) return this.#cut(bytes + 1 + (end - i));
        this.#fields.push(`"${value}${decode(buf, i, end)}`);
        this.#recordBytes += bytes + 1 + (end - i);
        return end;
      }
    }
  }

  #addField(buf: CsvChunk, from: number, to: number): void {
    this.#fields.push(from === to ? '' : decode(buf, from, to));
    this.#recordBytes += to - from;
  }

  #isDelimiter(buf: CsvChunk, p: number): boolean {
    const delimiter = this.#delimiterUnits!;
    if (delimiter.length === 1) return true;
    for (let j = 1; j < delimiter.length; j++) if (at(buf, p + j) !== at(delimiter, j)) return false;
    return true;
  }

  /** The record is cut off by the end of the bytes, `bytes` into its current field. */
  #cut(bytes: number): number {
    this.#recordBytes += bytes;
    return INCOMPLETE;
  }

  /**
   * Scans a record too large to keep, from `pos`, in the state left by the chunk before (the
   * rules of #readRecord, without keeping anything); returns the position after its line
   * break, or INCOMPLETE (with #skipKeep where to go on from) when the bytes end first.
   */
  #skip(buf: CsvChunk, pos: number, final: boolean): number {
    const n = buf.length;
    const d = this.#delimiterByte;
    const width = this.#delimiterUnits!.length;
    let state = this.#skipState;
    let p = pos;
    for (; p < n; p++) {
      const c = at(buf, p);
      if (state === QUOTED) {
        if (c === QUOTE) state = QUOTE_PENDING;
        else if (c === LF) this.#skipBreaks++;
        else if (c === CR) {
          if (p + 1 >= n && !final) break;
          if (at(buf, p + 1) !== LF) this.#skipBreaks++;
        }
        continue;
      }
      if (c === d) {
        if (p + width > n && !final) break;
        if (this.#isDelimiter(buf, p)) {
          state = FIELD_START;
          p += width - 1;
          continue;
        }
      }
      if (c === LF || c === CR) {
        if (c === CR && p + 1 >= n && !final) break;
        this.#skipBreaks++;
        return c === CR && at(buf, p + 1) === LF ? p + 2 : p + 1;
      }
      if (state === QUOTE_PENDING) state = c === QUOTE ? QUOTED : UNQUOTED;
      else if (state === FIELD_START) {
        if (c === QUOTE) state = QUOTED;
        else if (c !== SPACE && c !== TAB && c !== FF) state = UNQUOTED;
      }
    }
    this.#skipState = state;
    if (p < n || !final) {
      this.#skipKeep = p;
      return INCOMPLETE;
    }
    if (state === QUOTED) throw new CsvSyntaxError('QUOTE_NOT_CLOSED', this.#recordLine);
    return n;
  }

  #keep(buf: CsvChunk, from: number): void {
    this.#offset += from;
    if (typeof buf === 'string') this.#rest = from >= buf.length ? '' : buf.slice(from);
    else this.#rest = from >= buf.length ? EMPTY : buf.subarray(from);
  }
}
