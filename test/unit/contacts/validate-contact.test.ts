import { describe, expect, it } from 'vitest';
import { validateContact } from '../../../src/contacts/validate-contact.js';

const US = { defaultCountry: 'US' } as const;

describe('validateContact', () => {
  it('normalizes a good row and leaves blank optional fields out', () => {
    const result = validateContact(
      { email: '  Bob@Example.COM ', firstName: ' Bob ', lastName: '', phone: '(555) 123-4567', city: '   ' },
      US,
    );
    expect(result).toEqual({
      contact: { email: 'bob@example.com', firstName: 'Bob', phone: '+15551234567' },
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
      { field: 'phone', message: 'Phone "12" is not a possible phone number (default country US)' },
    ]);
  });

  it('uses the default country for national numbers', () => {
    expect(validateContact({ email: 'a@b.co', firstName: 'A', phone: '020 7946 0958' }, { defaultCountry: 'GB' }).contact?.phone).toBe('+442079460958');
    expect(validateContact({ email: 'a@b.co', firstName: 'A', phone: '+44 20 7946 0958' }, US).contact?.phone).toBe('+442079460958');
    expect(validateContact({ email: 'a@b.co', firstName: 'A', phone: '555 123 4567 ext. 89' }, US).contact?.phone).toBe('+15551234567;ext=89');
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
    expect(validateContact({ email: 'a\u0000@b.co', firstName: '\uDC00x', phone: '555\u0000' }, US).errors).toEqual([
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
