import { describe, expect, it } from 'vitest';
import { validateContact } from '../../../src/contacts/validate-contact.js';

const US = { defaultCountry: 'US' } as const;

describe('validateContact', () => {
  it('normalizes a good row and leaves blank optional fields out', () => {
    const result = validateContact(
      { email: '  Bob@Example.COM ', firstName: ' Bob ', lastName: '', phone: '(212) 555-0147', city: '   ' },
      US,
    );
    expect(result).toEqual({
      contact: { email: 'bob@example.com', firstName: 'Bob', phone: '+12125550147' },
      errors: [],
    });
    expect(Object.keys(result.contact ?? {})).not.toContain('lastName');
  });

  it('keeps text fields byte for byte apart from trimming', () => {
    const notes = 'Line 1\nLine "2"\r\n— café 東京 👋';
    const { contact } = validateContact(
      { email: 'a@b.co', firstName: 'Zoë', company: ' O\'Brien & "Sons", Ltd. ', notes: `  ${notes}\n` },
      US,
    );
    expect(contact).toEqual({ email: 'a@b.co', firstName: 'Zoë', company: 'O\'Brien & "Sons", Ltd.', notes });
  });

  it('reports missing required fields by label', () => {
    expect(validateContact({}, US)).toEqual({
      contact: null,
      errors: [
        { field: 'email', message: 'Email is required' },
        { field: 'firstName', message: 'First Name is required' },
      ],
    });
    expect(validateContact({ email: 'a@b.co', firstName: '  \t ' }, US).errors).toEqual([
      { field: 'firstName', message: 'First Name is required' },
    ]);
  });

  it('says why an email or phone is wrong, quoting the value', () => {
    const { contact, errors } = validateContact({ email: ' bob@ ', firstName: 'Bob', phone: '12' }, US);
    expect(contact).toBeNull();
    expect(errors).toEqual([
      { field: 'email', message: 'Email "bob@" is not a valid email address' },
      { field: 'phone', message: 'Phone "12" is not a valid phone number for US (the default country)' },
    ]);
  });

  it('uses the default country for national numbers', () => {
    expect(validateContact({ email: 'a@b.co', firstName: 'A', phone: '020 7946 0958' }, { defaultCountry: 'GB' }).contact?.phone).toBe('+442079460958');
    expect(validateContact({ email: 'a@b.co', firstName: 'A', phone: '+44 20 7946 0958' }, US).contact?.phone).toBe('+442079460958');
    expect(validateContact({ email: 'a@b.co', firstName: 'A', phone: '212 555 0147 ext. 89' }, US).contact?.phone).toBe('+12125550147;ext=89');
  });

  it("reads a national number in the row's country, by name or code, else the default country", () => {
    const phoneOf = (phone: string, country: string) => validateContact({ email: 'a@b.co', firstName: 'A', phone, country }, US);
    expect(phoneOf('030 1234567', 'Germany').contact).toMatchObject({ phone: '+49301234567', country: 'Germany' });
    expect(phoneOf('030 1234567', 'Deutschland').contact?.phone).toBe('+49301234567');
    expect(phoneOf('030 1234567', 'DEU').contact?.phone).toBe('+49301234567');
    expect(phoneOf('01 23 45 67 89', 'France').contact?.phone).toBe('+33123456789');
    expect(phoneOf('01 23 45 67 89', 'fr').contact?.phone).toBe('+33123456789');
    expect(phoneOf('020 7946 0958', 'United Kingdom').contact?.phone).toBe('+442079460958');
    expect(phoneOf('(212) 555-0147', 'U.S.A.').contact?.phone).toBe('+12125550147');
    // An explicit country code wins over the row's country.
    expect(phoneOf('+1 212 555 0147', 'Germany').contact?.phone).toBe('+12125550147');
    expect(phoneOf('030 1234567', 'Germany').errors).toEqual([]);
    expect(phoneOf('030 12', 'Germany').errors).toEqual([
      { field: 'phone', message: 'Phone "030 12" is not a valid phone number for DE (the row\'s country "Germany")' },
    ]);
    expect(phoneOf('030 1234567', 'Narnia').errors).toEqual([
      { field: 'phone', message: 'Phone "030 1234567" is not a valid phone number for US (the default country; the row\'s country "Narnia" is not one known)' },
    ]);
    expect(phoneOf('(212) 555-0147', 'Narnia').contact?.phone).toBe('+12125550147');
  });

  it('with onInvalidValue blank, keeps the contact without a bad optional value and says which', () => {
    const fields = { email: 'a@b.co', firstName: 'A', phone: '555-0100', notes: 'x\u0000' };
    expect(validateContact(fields, US).contact).toBeNull();
    expect(validateContact(fields, { ...US, onInvalidValue: 'blank' })).toEqual({
      contact: { email: 'a@b.co', firstName: 'A' },
      errors: [],
      blanked: [
        { field: 'phone', value: '555-0100', message: 'Phone "555-0100" is not a valid phone number for US (the default country)' },
        { field: 'notes', value: 'x\u0000', message: 'Notes contains a NUL character' },
      ],
    });
    // A required field still rejects the row.
    const bad = validateContact({ email: 'nope', firstName: 'A', phone: '555-0100' }, { ...US, onInvalidValue: 'blank' });
    expect(bad.contact).toBeNull();
    expect(bad.errors).toEqual([{ field: 'email', message: 'Email "nope" is not a valid email address' }]);
  });

  it('rejects an email with an invisible character inside, saying where', () => {
    expect(validateContact({ email: 'ann\u200b@example.com', firstName: 'A' }, US).errors).toEqual([
      { field: 'email', message: 'Email "ann\u200b@example.com" contains an invisible character U+200B at position 4 (ann[U+200B]@example.com); retype the address' },
    ]);
    expect(validateContact({ email: '\u00a0Ann@Example.com\u200b ', firstName: 'A' }, US).contact?.email).toBe('ann@example.com');
  });

  it('truncates long values and escapes newlines in messages', () => {
    const long = `${'x'.repeat(60)}@`;
    const [error] = validateContact({ email: long, firstName: 'A' }, US).errors;
    expect(error?.message).toBe(`Email "${'x'.repeat(39)}…" is not a valid email address`);
    const [multi] = validateContact({ email: 'a\nb@c', firstName: 'A' }, US).errors;
    expect(multi?.message).toBe('Email "a\\nb@c" is not a valid email address');
    expect(multi?.message).not.toContain('\n');
  });

  it('rejects NUL characters and lone surrogates in any field, which no database stores as given', () => {
    expect(validateContact({ email: 'a@b.co', firstName: 'A', lastName: 'Lee\u0000', notes: 'x\uD800y' }, US)).toEqual({
      contact: null,
      errors: [
        { field: 'lastName', message: 'Last Name contains a NUL character' },
        { field: 'notes', message: 'Notes contains invalid Unicode' },
      ],
    });
    expect(validateContact({ email: 'a\u0000@b.co', firstName: '\uDC00x', phone: '212\u0000' }, US).errors).toEqual([
      { field: 'email', message: 'Email contains a NUL character' },
      { field: 'firstName', message: 'First Name contains invalid Unicode' },
      { field: 'phone', message: 'Phone contains a NUL character' },
    ]);
    // A high surrogate at the very end, a low one at the very start.
    expect(validateContact({ email: 'a@b.co', firstName: 'A', city: 'Oslo\uD83D' }, US).errors[0]?.message).toBe('City contains invalid Unicode');
    // Paired surrogates (emoji) and other control characters are fine.
    expect(validateContact({ email: 'a@b.co', firstName: '😀\u0001\u202e', city: '\uD83D\uDE00' }, US).contact).toEqual({
      email: 'a@b.co',
      firstName: '😀\u0001\u202e',
      city: '😀',
    });
  });

  it('never splits an emoji when truncating', () => {
    const emoji = '😀'.repeat(50);
    const [error] = validateContact({ email: emoji, firstName: 'A' }, US).errors;
    expect(error?.message).toBe(`Email "${'😀'.repeat(39)}…" is not a valid email address`);
  });
});
