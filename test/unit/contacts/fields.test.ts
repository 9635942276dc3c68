import { describe, expect, it } from 'vitest';
import { FIELD_KEYS, REQUIRED_FIELDS, SYSTEM_FIELDS, fieldByKey, isFieldKey } from '../../../src/contacts/fields.js';

describe('fields', () => {
  it('knows every system field key and nothing else', () => {
    for (const f of SYSTEM_FIELDS) expect(isFieldKey(f.key)).toBe(true);
    for (const s of ['', 'Email', 'first_name', '__proto__', 'constructor', 'toString']) {
      expect(isFieldKey(s)).toBe(false);
    }
    expect(FIELD_KEYS).toEqual(SYSTEM_FIELDS.map((f) => f.key));
  });

  it('requires email and firstName', () => {
    expect(REQUIRED_FIELDS).toEqual(['email', 'firstName']);
  });

  it('looks fields up by key', () => {
    expect(fieldByKey('zipCode')).toEqual({ key: 'zipCode', label: 'Zip/Postal Code', required: false, type: 'text' });
    expect(() => fieldByKey('nope' as never)).toThrow(TypeError);
  });
});
