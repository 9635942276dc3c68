import { describe, expect, it } from 'vitest';
import { withoutIncompleteTail } from '../../../../src/records/csv/utf8-check.js';
import { checkEncoding, detectEncoding, isUtf8Encoding } from '../../../../src/records/detect/detect-encoding.js';
import { ImportError } from '../../../../src/errors.js';

describe('detectEncoding', () => {
  it('recognizes BOMs', () => {
    expect(detectEncoding(Buffer.from('\ufeffa,b', 'utf8'))).toEqual({ encoding: 'utf-8', bomLength: 3 });
    expect(detectEncoding(Buffer.from([0xff, 0xfe, 0x61, 0x00]))).toEqual({ encoding: 'utf-16le', bomLength: 2 });
    expect(detectEncoding(Buffer.from([0xfe, 0xff, 0x00, 0x61]))).toEqual({ encoding: 'utf-16be', bomLength: 2 });
    expect(detectEncoding(Buffer.from([0xff, 0xfe, 0x00, 0x00, 0x61, 0, 0, 0]))).toEqual({
      encoding: 'utf-32le',
      bomLength: 4,
    });
  });

  it('takes valid UTF-8 as UTF-8', () => {
    expect(detectEncoding(Buffer.from('name\nJosé Müller 😀\n')).encoding).toBe('utf-8');
    expect(detectEncoding(Buffer.from('plain ascii')).encoding).toBe('utf-8');
  });

  it('ignores a multi-byte character cut off at the end of the sample', () => {
    const text = Buffer.from('name\nJosé 😀');
    for (let cut = 1; cut <= 3; cut++) {
      expect(detectEncoding(text.subarray(0, text.length - cut)).encoding).toBe('utf-8');
    }
    expect(detectEncoding(Buffer.from('Jos\u00e9').subarray(0, 4)).encoding).toBe('utf-8');
  });

  it('falls back to windows-1252 for other bytes', () => {
    // "José" and "€5" in windows-1252
    expect(detectEncoding(Buffer.from([0x4a, 0x6f, 0x73, 0xe9, 0x0a, 0x80, 0x35])).encoding).toBe('windows-1252');
    // a whole file ending in a windows-1252 letter is not a cut-off UTF-8 character
    expect(detectEncoding(Buffer.from([0x4a, 0x6f, 0x73, 0xe9]), true).encoding).toBe('windows-1252');
    // an invalid byte before the end is not excused as a cut-off character
    expect(detectEncoding(Buffer.from([0x61, 0xe9, 0x61, 0x62])).encoding).toBe('windows-1252');
  });
});

describe('withoutIncompleteTail', () => {
  it('drops only an incomplete trailing sequence', () => {
    const euro = Buffer.from('a€'); // 61 e2 82 ac
    expect(withoutIncompleteTail(euro)).toEqual(euro);
    expect(withoutIncompleteTail(euro.subarray(0, 3))).toEqual(Buffer.from('a'));
    expect(withoutIncompleteTail(euro.subarray(0, 2))).toEqual(Buffer.from('a'));
    expect(withoutIncompleteTail(Buffer.alloc(0))).toEqual(Buffer.alloc(0));
  });
});

describe('encoding names', () => {
  it('knows which names are UTF-8', () => {
    expect(isUtf8Encoding('UTF-8')).toBe(true);
    expect(isUtf8Encoding('utf8')).toBe(true);
    expect(isUtf8Encoding('utf-16le')).toBe(false);
  });

  it('accepts encodings iconv-lite knows and refuses others as USAGE', () => {
    expect(checkEncoding('Windows-1252', 'a.csv')).toBe('windows-1252');
    expect(checkEncoding('latin1', 'a.csv')).toBe('latin1');
    try {
      checkEncoding('klingon-8', 'a.csv');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ImportError);
      expect((error as ImportError).code).toBe('USAGE');
      expect((error as ImportError).hint).toBeTruthy();
    }
  });
});
