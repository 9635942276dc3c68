import { describe, expect, it } from 'vitest';
import { parseAssignments } from '../../../src/contacts/parse-mapping-assignments.js';
import { ImportError } from '../../../src/errors.js';

describe('parseAssignments', () => {
  it('parses Column=field pairs', () => {
    expect({ ...parseAssignments(['E-mail=email', 'Given Name = firstName']) }).toEqual({
      'E-mail': 'email',
      'Given Name ': 'firstName',
    });
  });

  it('splits on the last "=" so column names may contain one', () => {
    expect({ ...parseAssignments(['a=b=email']) }).toEqual({ 'a=b': 'email' });
  });

  it('reads "Col=" and "Col=skip" as skip', () => {
    expect({ ...parseAssignments(['Notes=', 'ID=skip']) }).toEqual({ Notes: 'skip', ID: 'skip' });
  });

  it('refuses a column given two fields, naming both', () => {
    expect(() => parseAssignments(['A=email', 'A=phone'])).toThrow('column "A" is assigned twice: A=email and A=phone');
    // The same assignment twice is no conflict.
    expect({ ...parseAssignments(['A=email', 'A=email']) }).toEqual({ A: 'email' });
  });

  it('handles __proto__ as a plain column name', () => {
    const result = parseAssignments(['__proto__=email']);
    expect(Object.keys(result)).toEqual(['__proto__']);
    expect(result['__proto__']).toBe('email');
  });

  it('rejects malformed assignments with USAGE', () => {
    for (const bad of ['email', '=email', '']) {
      expect(() => parseAssignments([bad]), bad).toThrow(ImportError);
      try {
        parseAssignments([bad]);
      } catch (error) {
        expect((error as ImportError).code).toBe('USAGE');
        expect((error as ImportError).hint).toBeTruthy();
      }
    }
  });
});
