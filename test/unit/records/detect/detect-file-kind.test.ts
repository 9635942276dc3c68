import { describe, expect, it } from 'vitest';
import { detectFileKind, MAGIC_HEAD_BYTES } from '../../../../src/records/detect/detect-file-kind.js';
import { ImportError } from '../../../../src/errors.js';

const bytes = (...values: number[]): Buffer => Buffer.from(values);

function rejection(head: Buffer, fileName = 'contacts.csv'): ImportError {
  try {
    detectFileKind(head, fileName);
  } catch (error) {
    expect(error).toBeInstanceOf(ImportError);
    return error as ImportError;
  }
  throw new Error('expected detectFileKind to throw');
}

describe('detectFileKind', () => {
  it('wants a few KiB', () => {
    expect(MAGIC_HEAD_BYTES).toBeGreaterThanOrEqual(512);
  });

  it('recognizes XLSX (ZIP) and XLS (OLE2) whatever the name', () => {
    expect(detectFileKind(bytes(0x50, 0x4b, 0x03, 0x04, 0x14, 0x00), 'contacts.csv')).toBe('xlsx');
    expect(detectFileKind(bytes(0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0), 'a.xlsx')).toBe('xls');
  });

  it('takes text as CSV', () => {
    expect(detectFileKind(Buffer.from('email,name\na@b.c,Ann\n'), 'contacts.xlsx')).toBe('csv');
    expect(detectFileKind(Buffer.from('\ufeffemail;name\n'), 'x')).toBe('csv');
    expect(detectFileKind(bytes(0x45, 0x6d, 0xe9), 'x')).toBe('csv'); // windows-1252 é
  });

  it('takes UTF-16 text with a BOM as CSV despite its NUL bytes', () => {
    expect(detectFileKind(Buffer.concat([bytes(0xff, 0xfe), Buffer.from('a\tb\r\n', 'utf16le')]), 'x')).toBe(
      'csv',
    );
    const be = Buffer.from('a\tb', 'utf16le').swap16();
    expect(detectFileKind(Buffer.concat([bytes(0xfe, 0xff), be]), 'x')).toBe('csv');
  });

  it('rejects a PNG renamed .csv, naming what it looks like', () => {
    const png = bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13);
    const error = rejection(png, 'contacts.csv');
    expect(error.code).toBe('UNSUPPORTED_FILE');
    expect(error.message).toBe('contacts.csv is not a spreadsheet (looks like a PNG image)');
    expect(error.place.file).toBe('contacts.csv');
    expect(error.hint).toBe('upload a CSV, TSV, XLSX or XLS file');
  });

  it.each([
    [bytes(0xff, 0xd8, 0xff, 0xe0), 'a JPEG image'],
    [Buffer.from('GIF89a\x01\x00'), 'a GIF image'],
    [Buffer.from('%PDF-1.7\n'), 'a PDF document'],
    [bytes(0x1f, 0x8b, 0x08, 0x00), 'a gzip archive'],
    [bytes(0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c), 'a 7-Zip archive'],
    [Buffer.from('Rar!\x1a\x07\x00'), 'a RAR archive'],
    [bytes(0x7f, 0x45, 0x4c, 0x46, 2, 1), 'an ELF executable'],
    [Buffer.from('<!DOCTYPE html><html>'), 'an HTML page'],
    [Buffer.from('\n  <?xml version="1.0"?>'), 'an XML document'],
  ])('rejects %s as %s', (head, what) => {
    const error = rejection(head);
    expect(error.code).toBe('UNSUPPORTED_FILE');
    expect(error.message).toContain(`looks like ${what}`);
  });

  it('rejects other binary data by its NUL bytes', () => {
    const error = rejection(bytes(0x01, 0x02, 0x00, 0x03, 0x41));
    expect(error.code).toBe('UNSUPPORTED_FILE');
    expect(error.message).toContain('binary');
  });

  it('does not mistake CSV headers for short signatures', () => {
    expect(detectFileKind(Buffer.from('MZ code,email\n'), 'x')).toBe('csv');
    expect(detectFileKind(Buffer.from('ID3,email\n'), 'x')).toBe('csv');
    expect(detectFileKind(Buffer.from('BZh,email\n'), 'x')).toBe('csv');
  });

  it('reports an empty head as an empty file', () => {
    const error = rejection(Buffer.alloc(0));
    expect(error.code).toBe('EMPTY_FILE');
  });
});
