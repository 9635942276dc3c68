import { describe, expect, it } from 'vitest';
import { normalizeHeader } from '../../../src/contacts/normalize-header.js';

describe('normalizeHeader', () => {
  it('folds case, spaces, punctuation and diacritics', () => {
    expect(normalizeHeader(' E-Mail Address ')).toBe('emailaddress');
    expect(normalizeHeader('first_name')).toBe('firstname');
    expect(normalizeHeader('firstName')).toBe('firstname');
    expect(normalizeHeader('Prénom')).toBe('prenom');
    expect(normalizeHeader('ZIP/Postal Code')).toBe('zippostalcode');
    expect(normalizeHeader('Ｅｍａｉｌ')).toBe('email'); // full-width, folded by NFKD
  });

  it('keeps non-Latin letters so such headers never become empty', () => {
    expect(normalizeHeader('Телефон')).toBe('телефон');
    expect(normalizeHeader('電話')).toBe('電話');
    expect(normalizeHeader('--- ')).toBe('');
  });
});
