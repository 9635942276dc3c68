import { describe, expect, it } from 'vitest';
import { uniqueHeaders } from '../../../src/records/unique-headers.js';

describe('uniqueHeaders', () => {
  it('trims names', () => {
    expect(uniqueHeaders(['  Email ', '\tName'])).toEqual(['Email', 'Name']);
  });

  it('names empty headers after their 1-based position', () => {
    expect(uniqueHeaders(['Email', '', '  ', 'Name'])).toEqual(['Email', 'Column 2', 'Column 3', 'Name']);
  });

  it('keeps duplicates distinct', () => {
    expect(uniqueHeaders(['Phone', 'Phone', 'Email', 'Phone'])).toEqual([
      'Phone',
      'Phone (2)',
      'Email',
      'Phone (3)',
    ]);
  });

  it('never takes the name of an existing column', () => {
    expect(uniqueHeaders(['Phone', 'Phone', 'Phone (2)'])).toEqual(['Phone', 'Phone (3)', 'Phone (2)']);
    expect(uniqueHeaders(['Column 2', ''])).toEqual(['Column 2', 'Column 2 (2)']);
  });

  it('treats duplicates after trimming as duplicates', () => {
    expect(uniqueHeaders(['Email', ' Email'])).toEqual(['Email', 'Email (2)']);
  });

  it('leaves names like __proto__ and constructor alone', () => {
    expect(uniqueHeaders(['__proto__', 'constructor', 'toString', '__proto__'])).toEqual([
      '__proto__',
      'constructor',
      'toString',
      '__proto__ (2)',
    ]);
  });
});
