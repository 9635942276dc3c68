import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { ImportError } from '../../../../src/errors.js';
import { caught, readAll, valuesOf } from '../records-test-helpers.js';

const CHUNK_SIZES = [undefined, 1, 2, 3, 7];

describe('CSV records: encodings', () => {
  it.each(CHUNK_SIZES)('strips a UTF-8 BOM from the first header (chunks of %s)', async (chunk) => {
    const result = await readAll('\ufeffemail,name\na@b.c,Zoë\n', {}, chunk);
    expect(result.columns).toEqual(['email', 'name']);
    expect(valuesOf(result)).toEqual([['a@b.c', 'Zoë']]);
    expect(result.format).toEqual({ type: 'csv', encoding: 'utf-8', delimiter: ',' });
  });

  it.each(CHUNK_SIZES)('keeps multi-byte characters split across chunks (chunks of %s)', async (chunk) => {
    const result = await readAll('name,city\nJosé 😀,Zürich\n', {}, chunk);
    expect(valuesOf(result)).toEqual([['José 😀', 'Zürich']]);
  });

  it.each(CHUNK_SIZES)('reads UTF-16LE with TAB, Excel "Unicode Text" (chunks of %s)', async (chunk) => {
    const text = 'Email\tName\r\nann@example.com\tAnn Ström\r\nbob@example.com\tBob\r\n';
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    const result = await readAll(bytes, {}, chunk);
    expect(result.columns).toEqual(['Email', 'Name']);
    expect(valuesOf(result)).toEqual([
      ['ann@example.com', 'Ann Ström'],
      ['bob@example.com', 'Bob'],
    ]);
    expect(result.format).toEqual({ type: 'csv', encoding: 'utf-16le', delimiter: '\t' });
  });

  it('reads UTF-16BE with a BOM', async () => {
    const bytes = Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from('a;b\n1;2\n', 'utf16le').swap16()]);
    const result = await readAll(bytes);
    expect(result.format.encoding).toBe('utf-16be');
    expect(valuesOf(result)).toEqual([['1', '2']]);
  });

  it.each(CHUNK_SIZES)('decodes windows-1252 é and € (chunks of %s)', async (chunk) => {
    // "name,price\nJosé,€5\nNaïve,Œuvre\n" in windows-1252; 0x80 is € and 0x8C is Œ there
    const bytes = Buffer.concat([
      Buffer.from('name,price\nJos'),
      Buffer.from([0xe9]),
      Buffer.from(','),
      Buffer.from([0x80]),
      Buffer.from('5\nNa'),
      Buffer.from([0xef]),
      Buffer.from('ve,'),
      Buffer.from([0x8c]),
      Buffer.from('uvre\n'),
    ]);
    const result = await readAll(bytes, {}, chunk);
    expect(result.format.encoding).toBe('windows-1252');
    expect(valuesOf(result)).toEqual([
      ['José', '€5'],
      ['Naïve', 'Œuvre'],
    ]);
  });

  it('decodes a small windows-1252 file ending in a non-ASCII letter', async () => {
    const result = await readAll(Buffer.from([0x6e, 0x61, 0x6d, 0x65, 0x0a, 0x4a, 0x6f, 0x73, 0xe9]));
    expect(result.format.encoding).toBe('windows-1252');
    expect(valuesOf(result)).toEqual([['José']]);
  });

  it('lets options.encoding override detection, and refuses unknown encodings', async () => {
    const bytes = iconv.encode('name\nJosé\n', 'iso-8859-1');
    const result = await readAll(bytes, { encoding: 'latin1' });
    expect(result.format.encoding).toBe('latin1');
    expect(valuesOf(result)).toEqual([['José']]);

    const error = (await caught(() => readAll('a\n1\n', { encoding: 'no-such-thing' }))) as ImportError;
    expect(error).toBeInstanceOf(ImportError);
    expect(error.code).toBe('USAGE');
  });
});

describe('CSV records: delimiters', () => {
  it('picks ; in European files with 3,5 decimals', async () => {
    const result = await readAll('Name;Price;Email\nApple;3,5;a@b.c\nPear;4,25;p@b.c\n');
    expect(result.format.delimiter).toBe(';');
    expect(result.columns).toEqual(['Name', 'Price', 'Email']);
    expect(valuesOf(result)).toEqual([
      ['Apple', '3,5', 'a@b.c'],
      ['Pear', '4,25', 'p@b.c'],
    ]);
  });

  it.each(CHUNK_SIZES)('honours and skips an Excel sep=; line (chunks of %s)', async (chunk) => {
    const result = await readAll('sep=;\r\nemail;amount\r\na@b.c;1,5\r\n', {}, chunk);
    expect(result.format.delimiter).toBe(';');
    expect(result.columns).toEqual(['email', 'amount']);
    expect(result.records).toEqual([{ row: 1, line: 3, values: ['a@b.c', '1,5'] }]);
  });

  it('honours sep= after a BOM', async () => {
    const result = await readAll('\ufeffsep=|\nemail|name\na@b.c|Ann\n');
    expect(result.columns).toEqual(['email', 'name']);
    expect(result.records[0]).toEqual({ row: 1, line: 3, values: ['a@b.c', 'Ann'] });
  });

  it('reads TAB and pipe files', async () => {
    const tab = await readAll('email\tname\taddress\na@b.c\tAnn\t1 Main St, Springfield\n');
    expect(tab.format.delimiter).toBe('\t');
    expect(valuesOf(tab)).toEqual([['a@b.c', 'Ann', '1 Main St, Springfield']]);
    const pipe = await readAll('email|name\na@b.c|Ann, Jr.\n');
    expect(pipe.format.delimiter).toBe('|');
    expect(valuesOf(pipe)).toEqual([['a@b.c', 'Ann, Jr.']]);
  });

  it('lets options.delimiter override sniffing; tab means TAB', async () => {
    const result = await readAll('a;b,c\n1;2,3\n', { delimiter: ',' });
    expect(valuesOf(result)).toEqual([['1;2', '3']]);
    const tab = await readAll('a,b\tc\n1,2\t3\n', { delimiter: 'tab' });
    expect(tab.format.delimiter).toBe('\t');
    expect(tab.columns).toEqual(['a,b', 'c']);
  });

  it('reuses an earlier format instead of sniffing', async () => {
    const format = { type: 'csv' as const, encoding: 'windows-1252', delimiter: ';' };
    const result = await readAll(Buffer.from('a,b;c\n1,2;\xe9\n', 'latin1'), { format });
    expect(result.format).toEqual(format);
    expect(result.columns).toEqual(['a,b', 'c']);
    expect(valuesOf(result)).toEqual([['1,2', 'é']]);
  });
});

describe('CSV records: line endings and quoting', () => {
  it.each([
    ['CRLF', '\r\n'],
    ['LF', '\n'],
    ['CR', '\r'],
  ])('reads %s files without stray \\r', async (_name, eol) => {
    for (const chunk of CHUNK_SIZES) {
      const result = await readAll(['email,name', 'a@b.c,Ann', 'b@c.d,Bob', ''].join(eol), {}, chunk);
      expect(result.columns).toEqual(['email', 'name']);
      expect(result.records).toEqual([
        { row: 1, line: 2, values: ['a@b.c', 'Ann'] },
        { row: 2, line: 3, values: ['b@c.d', 'Bob'] },
      ]);
    }
  });

  it.each(CHUNK_SIZES)('reads files with mixed line endings (chunks of %s)', async (chunk) => {
    const result = await readAll('email,name\r\na@b.c,Ann\nb@c.d,Bob\rc@d.e,Cy\r\n', {}, chunk);
    expect(result.records).toEqual([
      { row: 1, line: 2, values: ['a@b.c', 'Ann'] },
      { row: 2, line: 3, values: ['b@c.d', 'Bob'] },
      { row: 3, line: 4, values: ['c@d.e', 'Cy'] },
    ]);
  });

  it.each(CHUNK_SIZES)('handles quoted commas, doubled quotes and embedded newlines (chunks of %s)', async (chunk) => {
    const csv = [
      'email,name,notes',
      'a@b.c,"Smith, Ann","She said ""hi"""',
      'b@c.d,Bob,"line one',
      'line two\r',
      'line three"',
      'c@d.e,Cy,',
      '',
    ].join('\n');
    const result = await readAll(csv, {}, chunk);
    expect(result.records).toEqual([
      { row: 1, line: 2, values: ['a@b.c', 'Smith, Ann', 'She said "hi"'] },
      { row: 2, line: 3, values: ['b@c.d', 'Bob', 'line one\nline two\r\nline three'] },
      { row: 3, line: 6, values: ['c@d.e', 'Cy', ''] },
    ]);
  });

  it('counts a CRLF inside a quoted field as one line', async () => {
    const result = await readAll('a,b\r\n"x\r\ny",1\r\nz,2\r\n');
    expect(result.records.map((r) => r.line)).toEqual([2, 4]);
  });

  it('keeps values byte for byte, but for spaces before them (ltrim: every field rule trims)', async () => {
    const result = await readAll('email,name,notes\n  a@b.c , Ann ,"  two  spaces  "\n');
    expect(valuesOf(result)).toEqual([['a@b.c ', 'Ann ', '  two  spaces  ']]);
  });

  it('keeps stray quotes inside unquoted fields', async () => {
    const result = await readAll('name,height\nAnn,5\'4"\nBob "Bobby" Smith,6\n');
    expect(valuesOf(result)).toEqual([
      ['Ann', '5\'4"'],
      ['Bob "Bobby" Smith', '6'],
    ]);
  });
});

describe('CSV records: rows and columns', () => {
  it('skips blank and whitespace-only lines without counting them as rows', async () => {
    const result = await readAll('\n\nemail,name\n\na@b.c,Ann\n   \n \t , \nb@c.d,Bob\n\n');
    expect(result.columns).toEqual(['email', 'name']);
    expect(result.records).toEqual([
      { row: 1, line: 5, values: ['a@b.c', 'Ann'] },
      { row: 2, line: 8, values: ['b@c.d', 'Bob'] },
    ]);
  });

  it('tolerates a trailing delimiter', async () => {
    const result = await readAll('email,name\na@b.c,Ann,\nb@c.d,Bob, ,\n');
    expect(result.records).toEqual([
      { row: 1, line: 2, values: ['a@b.c', 'Ann'] },
      { row: 2, line: 3, values: ['b@c.d', 'Bob'] },
    ]);
  });

  it('reports rows with too many or too few fields, never shifting values', async () => {
    const result = await readAll('a,b,c,d,e\n1,2,3,4,5,6,7\n1,2,3\n1,2,3,4,5\n');
    expect(result.records).toEqual([
      { row: 1, line: 2, values: ['1', '2', '3', '4', '5'], problems: ['row has 7 fields but the header has 5'] },
      { row: 2, line: 3, values: ['1', '2', '3', '', ''], problems: ['row has 3 fields but the header has 5'] },
      { row: 3, line: 4, values: ['1', '2', '3', '4', '5'] },
    ]);
  });

  it('makes duplicate and empty headers unique', async () => {
    const result = await readAll('Phone, ,Phone,email,\n1,2,3,4,5\n');
    expect(result.columns).toEqual(['Phone', 'Column 2', 'Phone (2)', 'email', 'Column 5']);
  });

  it('treats a __proto__ header as an ordinary column', async () => {
    const result = await readAll('__proto__,constructor,email\nx,y,a@b.c\n');
    expect(result.columns).toEqual(['__proto__', 'constructor', 'email']);
    expect(valuesOf(result)).toEqual([['x', 'y', 'a@b.c']]);
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });

  it('accepts a header with no data rows', async () => {
    const result = await readAll('email,name\n\n');
    expect(result.columns).toEqual(['email', 'name']);
    expect(result.records).toEqual([]);
  });

  it('accepts a file without a final line break', async () => {
    const result = await readAll('email\na@b.c');
    expect(result.records).toEqual([{ row: 1, line: 2, values: ['a@b.c'] }]);
  });

  it.each([
    ['empty', ''],
    ['only a BOM', '\ufeff'],
    ['only blank lines', '\n\r\n  \n\t\n'],
  ])('refuses a file that is %s as EMPTY_FILE', async (_what, text) => {
    const error = (await caught(() => readAll(text))) as ImportError;
    expect(error).toBeInstanceOf(ImportError);
    expect(error.code).toBe('EMPTY_FILE');
    expect(error.place.file).toBe('contacts.csv');
    expect(error.hint).toBeTruthy();
  });

  it('refuses more than 1000 columns', async () => {
    const header = Array.from({ length: 1001 }, (_, i) => `c${i}`).join(',');
    const error = (await caught(() => readAll(`${header}\n1\n`))) as ImportError;
    expect(error.code).toBe('TOO_LARGE');
    expect(error.place.line).toBe(1);
  });

  it('stops at maxRows', async () => {
    const ok = await readAll('email\na\nb\n\nc\n', { maxRows: 3 });
    expect(ok.records).toHaveLength(3);

    const error = (await caught(() => readAll('email\na\nb\n\nc\n', { maxRows: 2 }))) as ImportError;
    expect(error).toBeInstanceOf(ImportError);
    expect(error.code).toBe('TOO_LARGE');
    expect(error.message).toBe('contacts.csv has more than 2 rows');
    expect(error.hint).toBe('raise MAX_ROWS_ALLOWED or split the file');
    expect(error.place.line).toBe(5);
  });
});

describe('CSV records: broken files', () => {
  it.each(CHUNK_SIZES)('reports an unterminated quote with the line it starts on (chunks of %s)', async (chunk) => {
    const error = (await caught(() =>
      readAll('email,notes\na@b.c,ok\n\n\nb@c.d,"never closed\nc@d.e,x\n', {}, chunk),
    )) as ImportError;
    expect(error).toBeInstanceOf(ImportError);
    expect(error.code).toBe('UNREADABLE_FILE');
    expect(error.place).toMatchObject({ file: 'contacts.csv', line: 5 });
    expect(error.hint).toContain('quote');
  });

  it('reports an unterminated quote in the header', async () => {
    const error = (await caught(() => readAll('"email,name\n1,2\n'))) as ImportError;
    expect(error.code).toBe('UNREADABLE_FILE');
    expect(error.place.line).toBe(1);
  });

  it('makes a record larger than 1 MiB one invalid row, and reads on', async () => {
    const big = 'x'.repeat(1024 * 1024 + 10);
    const result = await readAll(`email,notes\na@b.c,ok\nb@c.d,${big}\nc@d.e,ok\n`);
    expect(result.records.map((r) => [r.line, r.values, r.problems])).toEqual([
      [2, ['a@b.c', 'ok'], undefined],
      [3, ['', ''], ['record is larger than the 1 MiB limit (maxRecordSize)']],
      [4, ['c@d.e', 'ok'], undefined],
    ]);
  });

  it('rejects a PNG handed over as CSV', async () => {
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48]);
    const error = (await caught(() => readAll(png))) as ImportError;
    expect(error.code).toBe('UNSUPPORTED_FILE');
    expect(error.message).toContain('PNG');
  });
});
