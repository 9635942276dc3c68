import { describe, expect, it } from 'vitest';
import { FIELD_KEYS } from '../../../src/contacts/fields.js';
import { FIELD_COLUMNS } from '../../../src/db/field-columns.js';

describe('FIELD_COLUMNS', () => {
  it('names a column for every field, and for nothing else', () => {
    expect(Object.keys(FIELD_COLUMNS)).toEqual([...FIELD_KEYS]);
  });

  it('spells each column as its field key in snake_case', () => {
    for (const key of FIELD_KEYS) {
      expect(FIELD_COLUMNS[key]).toBe(key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`));
    }
    expect(FIELD_COLUMNS.zipCode).toBe('zip_code');
  });
});
