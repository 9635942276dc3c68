import type { FieldKey } from '../types.js';

/**
 * Header names people and export tools (Google Contacts, Outlook, CRMs) use for each field,
 * besides the field's key, label and table column. Compared after normalizeHeader, so case,
 * spaces and punctuation do not matter ("E-mail" = "email", "first_name" = "First Name").
 */
export const HEADER_SYNONYMS: Readonly<Record<FieldKey, readonly string[]>> = {
  email: ['Email Address', 'E-mail', 'E-mail Address', 'Email 1', 'E-mail 1 - Value', 'Mail', 'Email ID'],
  firstName: ['First Name', 'Given Name', 'First', 'Forename', 'FName', 'Given'],
  lastName: ['Last Name', 'Surname', 'Family Name', 'Last', 'LName'],
  phone: [
    'Phone', 'Phone Number', 'Mobile', 'Mobile Phone', 'Mobile Number', 'Cell', 'Cell Phone',
    'Telephone', 'Tel', 'Phone 1', 'Phone 1 - Value', 'Phone No', 'Contact Number',
  ],
  company: [
    'Company', 'Company Name', 'Organization', 'Organisation', 'Organization Name',
    'Organisation Name', 'Organization 1 - Name', 'Employer', 'Account Name',
  ],
  title: ['Title', 'Job Title', 'Position', 'Role', 'Organization Title', 'Organization 1 - Title', 'Designation'],
  address: ['Address', 'Street', 'Street Address', 'Address Line 1', 'Address 1'],
  city: ['City', 'Town', 'Locality'],
  state: ['State', 'Province', 'Region', 'State/Province', 'State/Region', 'County'],
  country: ['Country', 'Country/Region', 'Nation'],
  zipCode: ['Zip', 'Zip Code', 'Postal Code', 'Postcode', 'ZIP/Postal Code', 'Postal'],
  notes: ['Notes', 'Note', 'Comments', 'Comment', 'Description', 'Remarks'],
};

/**
 * Single words that often mean something else: Outlook's "Title" is Mr./Ms. beside its
 * "Job Title"; "Region" may be a sales region. They map only when no clearer column does.
 */
export const AMBIGUOUS_HEADERS: readonly string[] = [
  'Title', 'Role', 'Position', 'Region', 'County', 'Mail', 'First', 'Last', 'Given', 'Postal', 'Description', 'Comment',
];

/**
 * Words exports put before a field's name: "Mailing City", "Business Phone", Google's
 * "Address 1 - Street". A header that is one of these plus a known name maps to that name's
 * field, after every plain match.
 */
export const HEADER_QUALIFIERS: readonly string[] = [
  'Business', 'Work', 'Office', 'Home', 'Personal', 'Private', 'Mailing', 'Billing', 'Shipping',
  'Primary', 'Main', 'Other', 'Contact', 'Address 1', 'Address 2', 'Address',
];

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
