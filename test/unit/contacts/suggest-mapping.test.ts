import { describe, expect, it } from 'vitest';
import { suggestMapping } from '../../../src/contacts/suggest-mapping.js';
import { FULL_NAME_HEADERS, HEADER_SYNONYMS } from '../../../src/contacts/header-synonyms.js';
import type { FieldKey } from '../../../src/types.js';

const SYNONYMS: Record<FieldKey, string[]> = {
  email: ['Email', 'email', 'Email Address', 'E-mail', 'Email 1', 'Mail', 'Primary Email', 'Work Email', 'E-mail 1 - Value', 'EMAIL_ADDRESS'],
  firstName: ['First Name', 'Given Name', 'First', 'Forename', 'FName', 'first_name', 'firstName', 'FIRSTNAME'],
  lastName: ['Last Name', 'Surname', 'Family Name', 'Last', 'LName', 'last_name', 'lastName'],
  phone: ['Phone', 'Phone Number', 'Mobile', 'Mobile Phone', 'Cell', 'Cell Phone', 'Telephone', 'Tel', 'Work Phone', 'Phone 1 - Value', 'phone_number'],
  company: ['Company', 'Company Name', 'Organization', 'Organisation', 'Organization Name', 'Employer', 'Account Name', 'company_name'],
  title: ['Title', 'Job Title', 'Position', 'Role', 'Organization Title', 'job_title', 'jobTitle'],
  address: ['Address', 'Street', 'Street Address', 'Address Line 1', 'Address 1', 'address_line_1'],
  city: ['City', 'Town'],
  state: ['State', 'Province', 'Region', 'State/Province', 'County', 'state_province'],
  country: ['Country', 'Country/Region', 'Nation'],
  zipCode: ['Zip', 'Zip Code', 'Postal Code', 'Postcode', 'ZIP/Postal Code', 'zip_code', 'zipCode', 'Post Code'],
  notes: ['Notes', 'Note', 'Comments', 'Description'],
};

describe('suggestMapping', () => {
  for (const [field, headers] of Object.entries(SYNONYMS)) {
    it(`maps every synonym of ${field}`, () => {
      for (const header of headers) {
        expect({ ...suggestMapping([header]) }, header).toEqual({ [header]: field });
      }
    });
  }

  it('maps every entry of the synonym table to its own field (no collisions)', () => {
    for (const [field, headers] of Object.entries(HEADER_SYNONYMS)) {
      for (const header of headers) expect(suggestMapping([header])[header], header).toBe(field);
    }
    for (const header of FULL_NAME_HEADERS) expect(suggestMapping([header])[header]).toBe('firstName');
  });

  it('maps a typical export', () => {
    const mapping = suggestMapping(['ID', 'E-mail', 'Given Name', 'Surname', 'Mobile Phone', 'Company Name', 'Job Title', 'Postal Code', 'Created At']);
    expect({ ...mapping }).toEqual({
      'E-mail': 'email',
      'Given Name': 'firstName',
      Surname: 'lastName',
      'Mobile Phone': 'phone',
      'Company Name': 'company',
      'Job Title': 'title',
      'Postal Code': 'zipCode',
    });
    expect(Object.getPrototypeOf(mapping)).toBeNull();
  });

  it('ignores case, spaces, punctuation and diacritics', () => {
    expect({ ...suggestMapping(['  EMAIL  ', 'fírst-NAME', 'Zip.Code']) }).toEqual({
      '  EMAIL  ': 'email',
      'fírst-NAME': 'firstName',
      'Zip.Code': 'zipCode',
    });
  });

  it('never maps two columns to one field: the leftmost wins', () => {
    expect({ ...suggestMapping(['Work Email', 'Email', 'Phone', 'Mobile']) }).toEqual({ 'Work Email': 'email', Phone: 'phone' });
  });

  it('prefers an exact match over an earlier fuzzy one', () => {
    expect({ ...suggestMapping(['Emial', 'E-mail']) }).toEqual({ 'E-mail': 'email' });
  });

  it('fixes one-typo headers of five or more characters', () => {
    expect({ ...suggestMapping(['Emial', 'Frist Name', 'Adress', 'Compnay', 'Phnoe', 'Counrty']) }).toEqual({
      Emial: 'email',
      'Frist Name': 'firstName',
      Adress: 'address',
      Compnay: 'company',
      Phnoe: 'phone',
      Counrty: 'country',
    });
  });

  it('does not fuzz short or word-like headers into fields', () => {
    expect({ ...suggestMapping(['Emal', 'Count', 'Counts', 'Stats', 'Votes', 'Tile', 'ID', 'Created At']) }).toEqual({});
  });

  it('leaves unknown and empty-after-folding columns unmapped', () => {
    expect({ ...suggestMapping(['Foo', '---', '', 'Loyalty Points']) }).toEqual({});
  });

  it('uses a full-name column for firstName only when no first-name column exists', () => {
    expect({ ...suggestMapping(['Name', 'Email']) }).toEqual({ Name: 'firstName', Email: 'email' });
    expect({ ...suggestMapping(['Full Name', 'Email']) }).toEqual({ 'Full Name': 'firstName', Email: 'email' });
    expect({ ...suggestMapping(['Name', 'First Name', 'Email']) }).toEqual({ 'First Name': 'firstName', Email: 'email' });
  });

  it('keeps __proto__ and constructor headers from corrupting the mapping', () => {
    const mapping = suggestMapping(['__proto__', 'constructor', 'Email', 'hasOwnProperty']);
    expect(Object.getPrototypeOf(mapping)).toBeNull();
    expect(Object.keys(mapping)).toEqual(['Email']);
    expect(mapping['__proto__']).toBeUndefined();
    expect(mapping['constructor']).toBeUndefined();
    const odd = suggestMapping(['Email', '__proto__']);
    expect(Object.keys(odd)).toEqual(['Email']);
  });

  it('maps a Google Contacts export', () => {
    const mapping = suggestMapping(['Name', 'Given Name', 'Additional Name', 'Family Name', 'E-mail 1 - Type', 'E-mail 1 - Value', 'Phone 1 - Type', 'Phone 1 - Value', 'Organization 1 - Name', 'Organization 1 - Title']);
    expect({ ...mapping }).toEqual({
      'Given Name': 'firstName',
      'Family Name': 'lastName',
      'E-mail 1 - Value': 'email',
      'Phone 1 - Value': 'phone',
      'Organization 1 - Name': 'company',
      'Organization 1 - Title': 'title',
    });
  });
});
