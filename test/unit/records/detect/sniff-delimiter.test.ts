import { describe, expect, it } from 'vitest';
import {
  countPerRecord,
  normalizeDelimiter,
  parseSepLine,
  sniffDelimiter,
} from '../../../../src/records/detect/sniff-delimiter.js';
import { ImportError } from '../../../../src/errors.js';

describe('sniffDelimiter', () => {
  it('finds commas', () => {
    expect(sniffDelimiter('email,name,phone\na@b.c,Ann,555\nb@c.d,Bob,556\n', true)).toBe(',');
  });

  it('prefers ; over the decimal commas of European Excel files', () => {
    const text = 'Name;Price;Weight\nApple;3,5;0,25\nPear;4,25;1\nPlum;2;1,5\n';
    expect(sniffDelimiter(text, true)).toBe(';');
    // even when every data row has the same number of commas
    expect(sniffDelimiter('Name;Price\nApple;3,5\nPear;4,25\nPlum;2,0\n', true)).toBe(';');
  });

  it('finds TAB and pipe', () => {
    expect(sniffDelimiter('email\tname\taddress\na@b.c\tAnn\t1 Main St, Springfield\n', true)).toBe('\t');
    expect(sniffDelimiter('email|name\na@b.c|Ann, Jr.\nb@c.d|Bob\n', true)).toBe('|');
  });

  it('ignores delimiters inside quoted fields, including across lines', () => {
    const text = 'email;note\na@b.c;"x, y, z"\nb@c.d;"line one,\nline, two"\nc@d.e;ok\n';
    expect(sniffDelimiter(text, true)).toBe(';');
  });

  it('ignores blank lines and the cut-off last line of a sample', () => {
    expect(sniffDelimiter('a;b;c\n\n   \n1;2;3\n4;5;6\n7,8,9,10,11,12', false)).toBe(';');
  });

  it('defaults to comma for a single column', () => {
    expect(sniffDelimiter('email\na@b.c\n', true)).toBe(',');
    expect(sniffDelimiter('', true)).toBe(',');
  });

  it('counts per record outside quotes', () => {
    expect(countPerRecord('a,b\n"x,y",z\n\nq', ',', true)).toEqual([1, 1, 0]);
    expect(countPerRecord('a,b\n"x,y",z\n\nq', ',', false)).toEqual([1, 1]);
  });
});

describe('parseSepLine', () => {
  it('reads Excel sep= lines', () => {
    expect(parseSepLine('sep=;\r\na;b')).toBe(';');
    expect(parseSepLine('sep=\t\na\tb')).toBe('\t');
    expect(parseSepLine('SEP=|')).toBe('|');
    expect(parseSepLine('"sep=,"\n')).toBe(',');
    expect(parseSepLine('separator;x\n')).toBeUndefined();
    expect(parseSepLine('sep=;;\n')).toBeUndefined();
  });
});

describe('normalizeDelimiter', () => {
  it('understands tab spelled out', () => {
    expect(normalizeDelimiter('\t', 'a.csv')).toBe('\t');
    expect(normalizeDelimiter('tab', 'a.csv')).toBe('\t');
    expect(normalizeDelimiter('\\t', 'a.csv')).toBe('\t');
    expect(normalizeDelimiter('TAB', 'a.csv')).toBe('\t');
    expect(normalizeDelimiter(';', 'a.csv')).toBe(';');
  });

  it('refuses more than one character, quotes and line breaks', () => {
    for (const bad of [',,', '', '"', '\n']) {
      expect(() => normalizeDelimiter(bad, 'a.csv')).toThrow(ImportError);
    }
  });
});
