import { describe, expect, it } from 'vitest';
import { applyMapping, compileMapping } from '../../../src/contacts/compile-mapping.js';
import { splitFullName } from '../../../src/contacts/split-full-name.js';
import { validateContact } from '../../../src/contacts/validate-contact.js';
import { ImportError } from '../../../src/errors.js';

describe('splitFullName', () => {
  it.each([
    ['Mary Ann de la Cruz', 'Mary Ann', 'de la Cruz'],
    ['Ludwig van der Rohe', 'Ludwig', 'van der Rohe'],
    ['Martin Luther King Jr.', 'Martin Luther', 'King Jr.'],
    ['Henry Ford III', 'Henry', 'Ford III'],
    ['Cruz, Mary Ann', 'Mary Ann', 'Cruz'],
    ['de la Cruz, Mary Ann', 'Mary Ann', 'de la Cruz'],
    ['Dr. Jane Smith', 'Jane', 'Smith'],
    ['Cher', 'Cher', ''],
    ['  Ann Lee  ', 'Ann', 'Lee'],
    ['', '', ''],
  ])('%j → %j / %j', (name, firstName, lastName) => {
    expect(splitFullName(name)).toEqual({ firstName, lastName });
  });

  it('keeps a name without a first name whole, as the first name', () => {
    expect(splitFullName('Mrs. Smith')).toEqual({ firstName: 'Mrs. Smith', lastName: '' });
  });
});

describe('the fullName pseudo-field', () => {
  it('fills firstName and lastName, and satisfies the required first name', () => {
    const plan = compileMapping({ 'Display Name': 'fullName', 'E-mail': 'email' }, ['Display Name', 'E-mail']);
    expect(applyMapping(plan, ['Mary Ann de la Cruz', 'mary@example.com'])).toEqual({ firstName: 'Mary Ann', lastName: 'de la Cruz', email: 'mary@example.com' });
    expect(applyMapping(plan, ['Cher', 'c@example.com'])).toEqual({ firstName: 'Cher', email: 'c@example.com' });
    // Lenient spellings, as for other fields.
    expect(compileMapping({ Name: 'full name', Mail: 'email' }, ['Name', 'Mail']).mapping).toEqual({ Name: 'fullName', Mail: 'email' });
  });

  it('cannot share firstName or lastName with another column', () => {
    expect(() => compileMapping({ Name: 'fullName', Last: 'lastName', Mail: 'email' }, ['Name', 'Last', 'Mail'])).toThrow(
      'Columns "Name" and "Last" are both mapped to lastName (fullName fills firstName and lastName)',
    );
    expect(() => compileMapping({ First: 'firstName', Name: 'fullName', Mail: 'email' }, ['First', 'Name', 'Mail'])).toThrow(ImportError);
  });
});

describe('multi-value cells', () => {
  const US = { defaultCountry: 'US' } as const;
  it('take the first valid value and name the others', () => {
    const result = validateContact({ email: 'not-an-email ::: Ann@Example.com ::: ann@work.example.com', firstName: 'Ann', phone: '+1 212-555-6543 ::: +1 212-555-1111' }, US);
    expect(result.contact).toEqual({ email: 'ann@example.com', firstName: 'Ann', phone: '+12125556543' });
    expect(result.notes).toEqual([
      'Email: "not-an-email ::: Ann@Example.com ::: an…" holds 3 values; took "Ann@Example.com", not imported: "not-an-email", "ann@work.example.com"',
      'Phone: "+1 212-555-6543 ::: +1 212-555-1111" holds 2 values; took "+1 212-555-6543", not imported: "+1 212-555-1111"',
    ]);
  });

  it('read ; and one-per-line lists in an email column', () => {
    expect(validateContact({ email: 'a@x.com; b@y.com', firstName: 'A' }, US).contact?.email).toBe('a@x.com');
    expect(validateContact({ email: 'a@x.com\nb@y.com', firstName: 'A' }, US).contact?.email).toBe('a@x.com');
    // A cell none of whose values is valid is reported whole.
    expect(validateContact({ email: 'x ::: y', firstName: 'A' }, US).errors).toEqual([{ field: 'email', message: 'Email "x ::: y" is not a valid email address' }]);
    // Notes are text: ' ::: ' there is kept.
    expect(validateContact({ email: 'a@x.com', firstName: 'A', notes: 'a ::: b' }, US).contact?.notes).toBe('a ::: b');
  });
});
