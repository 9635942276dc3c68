import { describe, expect, it } from 'vitest';
import { suggestMapping } from '../../../src/contacts/suggest-mapping.js';
import { FULL_NAME_HEADERS, HEADER_SYNONYMS } from '../../../src/contacts/header-synonyms.js';
import type { FieldKey } from '../../../src/contacts/fields.js';

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
    for (const header of FULL_NAME_HEADERS) expect(suggestMapping([header])[header]).toBe('fullName');
    expect({ ...suggestMapping(['Name', 'Surname', 'Email']) }).toEqual({ Name: 'firstName', Surname: 'lastName', Email: 'email' });
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

  it('never maps two columns to one field: the surest wins, then the leftmost', () => {
    expect({ ...suggestMapping(['Work Email', 'Email', 'Phone', 'Mobile']) }).toEqual({ Email: 'email', Phone: 'phone' });
    expect({ ...suggestMapping(['Home Phone', 'Work Phone']) }).toEqual({ 'Home Phone': 'phone' });
  });

  it('an ambiguous single word yields to a clearer column (Outlook\'s "Title" is Mr./Ms.)', () => {
    expect({ ...suggestMapping(['Title', 'First Name', 'Job Title']) }).toEqual({ 'First Name': 'firstName', 'Job Title': 'title' });
    expect({ ...suggestMapping(['Title', 'Email']) }).toEqual({ Title: 'title', Email: 'email' });
  });

  // Header rows of real exports; each must map every contact field it has.
  it.each([
    [
      'Google Contacts',
      ['Name', 'Given Name', 'Family Name', 'E-mail 1 - Type', 'E-mail 1 - Value', 'Phone 1 - Value', 'Address 1 - Formatted', 'Address 1 - Street', 'Address 1 - City', 'Address 1 - Region', 'Address 1 - Postal Code', 'Address 1 - Country', 'Organization 1 - Name', 'Organization 1 - Title', 'Notes'],
      { 'Given Name': 'firstName', 'Family Name': 'lastName', 'E-mail 1 - Value': 'email', 'Phone 1 - Value': 'phone', 'Address 1 - Street': 'address', 'Address 1 - City': 'city', 'Address 1 - Region': 'state', 'Address 1 - Postal Code': 'zipCode', 'Address 1 - Country': 'country', 'Organization 1 - Name': 'company', 'Organization 1 - Title': 'title', Notes: 'notes' },
    ],
    [
      'Outlook',
      ['First Name', 'Last Name', 'Title', 'Company', 'Job Title', 'Business Street', 'Business City', 'Business State', 'Business Postal Code', 'Business Country/Region', 'Business Phone', 'Mobile Phone', 'E-mail Address', 'Notes'],
      { 'First Name': 'firstName', 'Last Name': 'lastName', Company: 'company', 'Job Title': 'title', 'Business Street': 'address', 'Business City': 'city', 'Business State': 'state', 'Business Postal Code': 'zipCode', 'Business Country/Region': 'country', 'Mobile Phone': 'phone', 'E-mail Address': 'email', Notes: 'notes' },
    ],
    [
      'Salesforce',
      ['First Name', 'Last Name', 'Title', 'Account Name', 'Email', 'Phone', 'Mailing Street', 'Mailing City', 'Mailing State/Province', 'Mailing Zip/Postal Code', 'Mailing Country', 'Description'],
      { 'First Name': 'firstName', 'Last Name': 'lastName', Title: 'title', 'Account Name': 'company', Email: 'email', Phone: 'phone', 'Mailing Street': 'address', 'Mailing City': 'city', 'Mailing State/Province': 'state', 'Mailing Zip/Postal Code': 'zipCode', 'Mailing Country': 'country', Description: 'notes' },
    ],
    [
      'HubSpot',
      ['Record ID', 'First Name', 'Last Name', 'Email', 'Phone Number', 'Company Name', 'Job Title', 'Street Address', 'City', 'State/Region', 'Postal Code', 'Country/Region'],
      { 'First Name': 'firstName', 'Last Name': 'lastName', Email: 'email', 'Phone Number': 'phone', 'Company Name': 'company', 'Job Title': 'title', 'Street Address': 'address', City: 'city', 'State/Region': 'state', 'Postal Code': 'zipCode', 'Country/Region': 'country' },
    ],
    [
      'German Excel',
      ['E-Mail', 'Vorname', 'Nachname', 'Telefon', 'Firma', 'Straße', 'PLZ', 'Ort', 'Land', 'Bemerkungen'],
      { 'E-Mail': 'email', Vorname: 'firstName', Nachname: 'lastName', Telefon: 'phone', Firma: 'company', Straße: 'address', PLZ: 'zipCode', Ort: 'city', Land: 'country', Bemerkungen: 'notes' },
    ],
    [
      'French',
      ['Courriel', 'Prénom', 'Nom', 'Téléphone', 'Société', 'Adresse', 'Code postal', 'Ville', 'Pays'],
      { Courriel: 'email', Prénom: 'firstName', Nom: 'lastName', Téléphone: 'phone', Société: 'company', Adresse: 'address', 'Code postal': 'zipCode', Ville: 'city', Pays: 'country' },
    ],
    [
      'Spanish',
      ['Correo electrónico', 'Nombre', 'Apellidos', 'Teléfono', 'Empresa', 'Cargo', 'Ciudad', 'Código postal', 'País'],
      { 'Correo electrónico': 'email', Nombre: 'firstName', Apellidos: 'lastName', Teléfono: 'phone', Empresa: 'company', Cargo: 'title', Ciudad: 'city', 'Código postal': 'zipCode', País: 'country' },
    ],
  ])('maps a %s export', (_name, columns, expected) => {
    expect({ ...suggestMapping(columns) }).toEqual(expected);
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

  it('maps a full-name column to fullName only when no first- or last-name column exists', () => {
    expect({ ...suggestMapping(['Name', 'Email']) }).toEqual({ Name: 'fullName', Email: 'email' });
    expect({ ...suggestMapping(['Full Name', 'Email']) }).toEqual({ 'Full Name': 'fullName', Email: 'email' });
    expect({ ...suggestMapping(['Display Name', 'E-mail Address']) }).toEqual({ 'Display Name': 'fullName', 'E-mail Address': 'email' });
    expect({ ...suggestMapping(['Name', 'Last Name', 'Email']) }).toEqual({ Name: 'firstName', 'Last Name': 'lastName', Email: 'email' });
    expect({ ...suggestMapping(['Name', 'First Name', 'Email']) }).toEqual({ 'First Name': 'firstName', Email: 'email' });
  });

  it('prefers the filled one of two blocks of the same fields (Thunderbird Home/Work)', () => {
    const columns = ['Primary Email', 'First Name', 'Home Address', 'Home City', 'Work Address', 'Work City'];
    expect({ ...suggestMapping(columns) }).toMatchObject({ 'Home Address': 'address', 'Home City': 'city' });
    expect({ ...suggestMapping(columns, [5, 5, 0, 0, 4, 3]) }).toMatchObject({ 'Work Address': 'address', 'Work City': 'city' });
    expect({ ...suggestMapping(columns, [5, 5, 2, 2, 1, 0]) }).toMatchObject({ 'Home Address': 'address', 'Home City': 'city' });
    // Equal fill: the leftmost block, as without counts.
    expect({ ...suggestMapping(columns, [5, 5, 1, 1, 1, 1]) }).toMatchObject({ 'Home Address': 'address' });
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
