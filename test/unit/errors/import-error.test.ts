import { describe, expect, it } from 'vitest';
import { ImportError, toImportError } from '../../../src/errors.js';

describe('ImportError', () => {
  it('maps codes to SPEC exit codes', () => {
    expect(new ImportError('USAGE', 'x').exitCode).toBe(2);
    expect(new ImportError('NOT_FOUND', 'x').exitCode).toBe(2);
    expect(new ImportError('MAX_INVALID', 'x').exitCode).toBe(3);
    expect(new ImportError('INTERRUPTED', 'x').exitCode).toBe(130);
    expect(new ImportError('IO', 'x').exitCode).toBe(1);
  });

  it('describes what, where and what to do on one line, naming the file once', () => {
    const error = new ImportError('UNREADABLE_FILE', 'a.csv has a quoted field that is never closed', {
      file: 'a.csv',
      line: 7,
      column: 'Notes',
      hint: 'close the quote',
    });
    expect(error.describe()).toBe('a.csv has a quoted field that is never closed (line 7, column "Notes") — close the quote');
    expect(new ImportError('IO', 'disk full', { file: 'b.csv', row: 3 }).describe()).toBe('disk full (b.csv, row 3)');
  });

  it('wraps unknown failures as I/O errors and keeps ImportErrors as they are', () => {
    const original = new ImportError('USAGE', 'bad');
    expect(toImportError(original, 'ctx')).toBe(original);
    const wrapped = toImportError(new Error('EACCES'), 'cannot write x');
    expect(wrapped).toMatchObject({ code: 'IO', message: 'cannot write x: EACCES' });
  });
});
