// Text that real exports damage: spaces before quotes, stray quotes, control characters,
// bytes that are not in the file's encoding, and a quote that is never closed.

import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ImportError } from '../../../../src/errors.js';
import { detectEncoding } from '../../../../src/records/detect/detect-encoding.js';
import { detectFileKind } from '../../../../src/records/detect/detect-file-kind.js';
import { readRecords } from '../../../../src/records/read-records.js';
import { caught, collect, readAll, valuesOf } from '../records-test-helpers.js';

const CHUNKS = [undefined, 1, 4];

describe('quotes', () => {
  it.each(CHUNKS)('opens a quoted field after spaces: a, "b, c" (chunks of %s)', async (chunk) => {
    const result = await readAll('Email, Name, Company\na@b.c, Ann, "Acme, Inc."\nb@c.d,\t"Bob ""B"" Ray",  x\n', {}, chunk);
    expect(result.columns).toEqual(['Email', 'Name', 'Company']);
    expect(valuesOf(result)).toEqual([
      ['a@b.c', 'Ann', 'Acme, Inc.'],
      ['b@c.d', 'Bob "B" Ray', 'x'],
    ]);
  });

  it('sniffs the delimiter of such a file right', async () => {
    const result = await readAll('Email; Name\na@b.c; "Lee; Ann"\nb@c.d; "Ray; Bob"\n');
    expect(result.format.delimiter).toBe(';');
    expect(valuesOf(result)).toEqual([
      ['a@b.c', 'Lee; Ann'],
      ['b@c.d', 'Ray; Bob'],
    ]);
  });

  it('keeps TAB-separated empty fields in place', async () => {
    const result = await readAll('Email\tName\tNotes\na@b.c\t\tx\n\t \ty\n');
    expect(valuesOf(result)).toEqual([
      ['a@b.c', '', 'x'],
      ['', '', 'y'],
    ]);
  });

  it('keeps a stray quote inside an unquoted field, and a field that only starts like a quoted one', async () => {
    const result = await readAll('Email,Notes\na@b.c,27" monitor\nb@c.d,"Big" Bob\n');
    expect(valuesOf(result)).toEqual([
      ['a@b.c', '27" monitor'],
      ['b@c.d', '"Big" Bob'],
    ]);
  });

  it('refuses a quote opened near the start of a large file, at the line where it opened, once the file ends', async () => {
    const rows = 'a@b.c,Ann,ok\n'.repeat(2_000_000); // 26 MB
    const bytes = Buffer.from(`Email,Name,Notes\nx@y.z,Xi,"never closed\n${rows}`);
    let pulled = 0;
    const input = Readable.from((function* () {
      for (let i = 0; i < bytes.length; i += 64 * 1024) {
        pulled += 64 * 1024;
        yield bytes.subarray(i, i + 64 * 1024);
      }
    })());
    const started = Date.now();
    // The parser runs ahead of the consumer, so the error may come with the header already.
    const error = (await caught(async () => {
      const source = await readRecords(input, { kind: 'csv', fileName: 'big.csv' });
      await collect(source.records);
    })) as ImportError;
    expect(error).toBeInstanceOf(ImportError);
    // Past the record-size limit the record is only scanned for its end, which never comes.
    expect(error.code).toBe('UNREADABLE_FILE');
    expect(error.place.line).toBe(2);
    expect(error.hint).toMatch(/quote/);
    expect(pulled).toBeGreaterThanOrEqual(bytes.length);
    expect(Date.now() - started).toBeLessThan(5000);
  });
});

describe('control characters', () => {
  it('removes them (whole escape sequences), keeps NUL for the field rules, and says where', async () => {
    const csv = 'Email,Na\x07me,Notes\na@b.c,\x1b[1mAnn\x1b[0m,one\x0btwo\n\x07\x08,\x1b\n b@c.d,Bo\x00b,x\x7f\x1b]0;title\x07y\n';
    const result = await readAll(csv);
    expect(result.columns).toEqual(['Email', 'Name', 'Notes']);
    expect(result.records).toEqual([
      { row: 1, line: 2, values: ['a@b.c', 'Ann', 'one\ntwo'] },
      { row: 2, line: 4, values: ['b@c.d', 'Bo\x00b', 'xy'] },
    ]);
    expect(result.warnings()).toEqual([
      'removed 9 invisible control characters or escape sequences (U+0007, U+0008, U+000B, U+001B, U+007F) from the values on lines 1, 2, 3, 4',
    ]);
  });

  it('does not refuse a text file for a stray NUL, but does refuse binary data', () => {
    expect(detectFileKind(Buffer.from('Email,Name\na@b.c,Nu\x00ll\nb@c.d,Bob\n'), 'a.csv')).toBe('csv');
    const binary = Buffer.alloc(4096);
    binary.write('Email,Name', 0);
    expect(() => detectFileKind(binary, 'a.csv')).toThrow(/binary file/);
    expect(() => detectFileKind(Buffer.from('E\0m\0a\0i\0l\0,\0N\0a\0m\0e\0\n\0a\0@\0b\0', 'latin1'), 'a.csv')).toThrow(/binary file/);
  });
});

describe('bytes the encoding has no character for', () => {
  const utf8Rows = 'zoe@example.com,Zoë\njose@example.com,José\n';

  it.each(CHUNKS)('reports rows with invalid UTF-8 by byte, keeping the others exact (chunks of %s)', async (chunk) => {
    const bytes = Buffer.concat([
      Buffer.from(`Email,Name\n${utf8Rows}`),
      Buffer.from('rene@example.com,Ren'),
      Buffer.from([0xe9]),
      Buffer.from('\nines@example.com,Inês\n'),
    ]);
    const result = await readAll(bytes, {}, chunk);
    expect(result.format.encoding).toBe('utf-8');
    const offset = Buffer.byteLength(`Email,Name\n${utf8Rows}rene@example.com,Ren`);
    expect(result.records).toEqual([
      { row: 1, line: 2, values: ['zoe@example.com', 'Zoë'] },
      { row: 2, line: 3, values: ['jose@example.com', 'José'] },
      {
        row: 3,
        line: 4,
        values: ['rene@example.com', 'Ren\ufffd'],
        problems: [`invalid UTF-8 at byte ${offset} (0xE9): fix the file's encoding, or read it with --encoding`],
      },
      { row: 4, line: 5, values: ['ines@example.com', 'Inês'] },
    ]);
    expect(result.warnings()).toEqual([
      '1 row has invalid UTF-8 (line 4): reported invalid rather than stored with "\ufffd"; check the file\'s encoding',
    ]);
  });

  it('reports bad bytes after the first MiB, which encoding detection never saw', async () => {
    const clean = `Email,Name\n${'a@b.c,Zoë\n'.repeat(120_000)}`;
    const bytes = Buffer.concat([Buffer.from(clean), Buffer.from('x@y.z,'), Buffer.from([0xff, 0xfe]), Buffer.from('\n')]);
    const result = await readAll(bytes, {}, 64 * 1024);
    const bad = result.records.filter((record) => record.problems);
    expect(bad).toHaveLength(1);
    expect(bad[0]).toMatchObject({ row: 120_001, line: 120_002 });
    expect(bad[0]!.problems![0]).toBe(
      `invalid UTF-8 at byte ${Buffer.byteLength(clean) + 6} (0xFF) and 1 more: fix the file's encoding, or read it with --encoding`,
    );
  });

  it('reads mostly-UTF-8 text as UTF-8 rather than turning every accent into mojibake', () => {
    const sprinkled = Buffer.concat([Buffer.from('Zoë,José,Ström,Ærø\n'), Buffer.from([0xe9, 0x0a]), Buffer.from('Inês\n')]);
    expect(detectEncoding(sprinkled).encoding).toBe('utf-8');
    // Windows-1252 text: no valid UTF-8 character at all.
    expect(detectEncoding(Buffer.from('Zoë,José,Ström\n', 'latin1')).encoding).toBe('windows-1252');
    // One accidental pair (É followed by a no-break space) among many accents is not UTF-8.
    const accidental = Buffer.from('CAFÉ\u00a0BAR,José,Müller,Frédéric,Zoë\n', 'latin1');
    expect(detectEncoding(accidental).encoding).toBe('windows-1252');
  });

  it('reports windows-1252 bytes that have no character', async () => {
    const bytes = Buffer.concat([Buffer.from('Email,Name\na@b.c,Jos\xe9\nb@c.d,X', 'latin1'), Buffer.from([0x81]), Buffer.from('\n')]);
    const result = await readAll(bytes);
    expect(result.format.encoding).toBe('windows-1252');
    expect(result.records[0]).toEqual({ row: 1, line: 2, values: ['a@b.c', 'José'] });
    expect(result.records[1]!.problems).toEqual(['has bytes that are not windows-1252 text (shown as "\ufffd")']);
  });
});
