// A record over maxRecordBytes is one record with no fields (`tooLarge`), its bytes never kept;
// the records around it are read as usual, and an unclosed quote still fails the file.

import { describe, expect, it } from 'vitest';
import { CsvSyntaxError, CsvTokenizer, type CsvChunk, type CsvRecord } from '../../../../src/records/csv/csv-tokenizer.js';
import type { ImportError } from '../../../../src/errors.js';
import { prng } from '../../../helpers/prng.js';
import { caught, readAll } from '../records-test-helpers.js';

type Seen = { records: Array<{ fields: string[]; line: number; end: number; tooLarge?: true }>; error?: { code: string; line: number } };

/** Tokenizes `text` cut at `cuts` (positions, ascending). */
function tokenize(text: CsvChunk, limit: number, cuts: number[], delimiter = ','): Seen {
  const tokenizer = new CsvTokenizer({ delimiter, maxRecordBytes: limit });
  const out: CsvRecord[] = [];
  const seen = (): Seen['records'] =>
    out.map(({ fields, line, end, tooLarge }) => (tooLarge ? { fields, line, end, tooLarge } : { fields, line, end }));
  try {
    let from = 0;
    for (const cut of [...cuts, text.length]) {
      tokenizer.push(text.slice(from, cut) as CsvChunk, out);
      from = cut;
    }
    tokenizer.end(out);
  } catch (error) {
    if (!(error instanceof CsvSyntaxError)) throw error;
    return { records: seen(), error: { code: error.code, line: error.line } };
  }
  return { records: seen() };
}

/** What the limit should do: the unlimited records, those holding more than `limit` units emptied. */
function expected(text: CsvChunk, limit: number, delimiter = ','): Seen {
  const all = tokenize(text, Number.MAX_SAFE_INTEGER, [], delimiter);
  const size = (f: string): number => (typeof text === 'string' ? f.length : Buffer.byteLength(f));
  return {
    ...all,
    records: all.records.map((r) =>
      r.fields.reduce((sum, f) => sum + size(f), 0) > limit ? { fields: [], line: r.line, end: r.end, tooLarge: true as const } : r,
    ),
  };
}

const PIECES = [',', ';', '"', '""', '"', '\r\n', '\n', '\r', ' ', '\t', 'a', 'bc', 'é', '😀', 'xxxxxxxxxxxx', '§'];

describe('CsvTokenizer: records over the size limit', () => {
  it('keeps a 3 MB record with balanced quotes out, as one record, and reads the others', () => {
    const big = `"${'x'.repeat(1_000_000)}\n""quoted"", still inside,${'y'.repeat(2_000_000)}"`;
    const text = Buffer.from(`email,notes\na@b.c,one\nb@c.d,${big},z\nc@d.e,"two\nlines"\nd@e.f,last\n`);
    const want: Seen['records'] = [
      { fields: ['email', 'notes'], line: 1, end: 12 },
      { fields: ['a@b.c', 'one'], line: 2, end: 22 },
      { fields: [], line: 3, end: 22 + 6 + big.length + 3, tooLarge: true },
      { fields: ['c@d.e', '"two\nlines"'.slice(1, -1)], line: 5, end: 22 + 6 + big.length + 3 + 18 },
      { fields: ['d@e.f', 'last'], line: 7, end: text.length },
    ];
    for (const chunk of [64 * 1024, 65_543, 1024 * 1024 + 3, text.length]) {
      const cuts: number[] = [];
      for (let i = chunk; i < text.length; i += chunk) cuts.push(i);
      expect(tokenize(text, 1024 * 1024, cuts)).toEqual({ records: want });
    }
    // Cut anywhere near the places that decide: the limit, the quotes, the line break inside, the end.
    const inside = 22 + 6;
    for (const at of [inside, inside + 1, inside + 1_000_001, inside + 1_000_002, inside + 1_000_003, inside + big.length - 1, inside + big.length, inside + big.length + 2, 22 + 1024 * 1024]) {
      expect(tokenize(text, 1024 * 1024, [at])).toEqual({ records: want });
      expect(tokenize(text, 1024 * 1024, [at, at + 1])).toEqual({ records: want });
    }
  });

  it('still fails on a quote that never closes, at the line where it opened', () => {
    const text = Buffer.from(`email,notes\na@b.c,one\nb@c.d,"${'x'.repeat(3_000_000)}\nmore,rows\n`);
    const result = tokenize(text, 1024 * 1024, [65_536, 2_000_000]);
    expect(result.error).toEqual({ code: 'QUOTE_NOT_CLOSED', line: 3 });
    expect(result.records.map((r) => r.line)).toEqual([1, 2]);
  });

  it('ends a too-large record where the unlimited tokenizer does, on random inputs cut anywhere', () => {
    const random = prng(5);
    let tooLarge = 0;
    for (let n = 0; n < 3000; n++) {
      const parts: string[] = [];
      const count = Math.floor(random() * 40);
      for (let i = 0; i < count; i++) parts.push(PIECES[Math.floor(random() * PIECES.length)]!);
      const delimiter = random() < 0.6 ? ',' : random() < 0.5 ? '\t' : '§';
      const limit = 1 + Math.floor(random() * 20);
      const text = parts.join('');
      const input: CsvChunk = random() < 0.5 ? Buffer.from(text) : text;
      const cuts: number[] = [];
      for (let at = 0; at < input.length; at += 1 + Math.floor(random() * 6)) if (at > 0) cuts.push(at);
      const want = expected(input, limit, delimiter);
      tooLarge += want.records.filter((r) => r.tooLarge).length;
      expect({ text, delimiter, limit, ...tokenize(input, limit, cuts, delimiter) }).toEqual({ text, delimiter, limit, ...want });
    }
    expect(tooLarge).toBeGreaterThan(1000);
  });
});

describe('CSV records: the record-size limit', () => {
  it('makes a large record one invalid row with the reason, padded to the columns', async () => {
    const big = 'x'.repeat(1024 * 1024 + 10);
    const result = await readAll(`email,notes,city\na@b.c,ok,x\nb@c.d,"${big}",y\nc@d.e,fine,z\n`);
    expect(result.records.map((r) => [r.row, r.line, r.values, r.problems])).toEqual([
      [1, 2, ['a@b.c', 'ok', 'x'], undefined],
      [2, 3, ['', '', ''], ['record is larger than the 1 MiB limit (maxRecordSize)']],
      [3, 4, ['c@d.e', 'fine', 'z'], undefined],
    ]);
  });

  it('takes maxRecordSize as the limit', async () => {
    const text = `email,notes\na@b.c,${'x'.repeat(600)}\nb@c.d,short\n`;
    const small = await readAll(text, { maxRecordSize: 512 });
    expect(small.records.map((r) => r.problems)).toEqual([['record is larger than the 512 bytes limit (maxRecordSize)'], undefined]);
    const large = await readAll(text, { maxRecordSize: 2048 });
    expect(large.records.map((r) => r.problems)).toEqual([undefined, undefined]);
    const error = (await caught(() => readAll(text, { maxRecordSize: 0 }))) as ImportError;
    expect(error.code).toBe('USAGE');
    expect(error.options).toEqual(['maxRecordSize']);
  });

  it('refuses a header row over the limit', async () => {
    const error = (await caught(() => readAll(`email,${'n'.repeat(100)}\na@b.c,1\n`, { maxRecordSize: 50 }))) as ImportError;
    expect(error.code).toBe('TOO_LARGE');
    expect(error.place.line).toBe(1);
  });
});
