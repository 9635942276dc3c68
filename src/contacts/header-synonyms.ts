import type { FieldKey } from '../types.js';

/**
 * Header names people and export tools (Google Contacts, Outlook, CRMs) use for each field,
 * besides the field's key, label and table column. Compared after normalizeHeader, so case,
 * spaces and punctuation do not matter ("E-mail" = "email", "first_name" = "First Name").
 */
export const HEADER_SYNONYMS: Readonly<Record<FieldKey, readonly string[]>> = {
  email: [
    'Email Address', 'E-mail', 'E-mail Address', 'Email 1', 'E-mail 1 - Value', 'Mail',
    'Primary Email', 'Work Email', 'Business Email', 'Personal Email', 'Email ID',
  ],
  firstName: ['First Name', 'Given Name', 'First', 'Forename', 'FName', 'Given'],
  lastName: ['Last Name', 'Surname', 'Family Name', 'Last', 'LName'],
  phone: [
    'Phone', 'Phone Number', 'Mobile', 'Mobile Phone', 'Mobile Number', 'Cell', 'Cell Phone',
    'Telephone', 'Tel', 'Work Phone', 'Business Phone', 'Home Phone', 'Phone 1',
    'Phone 1 - Value', 'Phone No', 'Contact Number',
  ],
  company: [
    'Company', 'Company Name', 'Organization', 'Organisation', 'Organization Name',
    'Organisation Name', 'Organization 1 - Name', 'Employer', 'Account Name',
  ],
  title: [
    'Title', 'Job Title', 'Position', 'Role', 'Organization Title', 'Organization 1 - Title',
    'Designation',
  ],
  address: [
    'Address', 'Street', 'Street Address', 'Address Line 1', 'Address 1', 'Business Street',
    'Home Street', 'Mailing Street',
  ],
  city: ['City', 'Town', 'Locality', 'Business City', 'Home City', 'Mailing City'],
  state: [
    'State', 'Province', 'Region', 'State/Province', 'County', 'Business State', 'Home State',
    'Mailing State',
  ],
  country: [
    'Country', 'Country/Region', 'Nation', 'Business Country/Region', 'Home Country/Region',
    'Mailing Country',
  ],
  zipCode: [
    'Zip', 'Zip Code', 'Postal Code', 'Postcode', 'ZIP/Postal Code', 'Postal',
    'Business Postal Code', 'Home Postal Code', 'Mailing Zip/Postal Code',
  ],
  notes: ['Notes', 'Note', 'Comments', 'Comment', 'Description', 'Remarks'],
};

/**
 * Headers holding a whole name. Used for firstName only when no first-name column exists,
 * since splitting "Mary Ann de la Cruz" into first and last names cannot be done reliably.
 */
export const FULL_NAME_HEADERS: readonly string[] = [
  'Name', 'Full Name', 'Contact Name', 'Display Name',
];

/**
 * Synonyms only ever matched exactly: they sit one edit away from unrelated common headers
 * ("County" from "Count"/"Counts").
 */
export const EXACT_ONLY_HEADERS: readonly string[] = ['County'];
