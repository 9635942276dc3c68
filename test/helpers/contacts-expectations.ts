import path from 'node:path';
import { FIXTURES } from './cli.js';

// What the pipeline must report for fixtures/contacts.csv, wherever the file is stored: the
// disk pipeline test and the S3 one share these, so both check the very same results.

export const CONTACTS_CSV = path.join(FIXTURES, 'contacts.csv');

export const CONTACTS_ANALYSIS = {
  totalRows: 12,
  validRows: 9,
  invalidRows: 3,
  duplicateRows: 1,
  format: { type: 'csv', encoding: 'utf-8', delimiter: ',' },
};

export const CONTACTS_COLUMNS = ['Email Address', 'First Name', 'Last Name', 'Phone Number', 'Company Name', 'Job Title', 'City', 'Zip', 'Notes'];

// 12 emails, 11 distinct after trimming (case differs on row 6, so it is distinct as text).
export const CONTACTS_COLUMN_SUMMARY = {
  'Email Address': { filled: 12, empty: 0, unique: 12, type: 'email' },
  'First Name': { filled: 11, empty: 1, unique: 10 },
  'Phone Number': { filled: 6, empty: 6, unique: 6 },
  Notes: { filled: 4, empty: 8 },
};

export const CONTACTS_MAP_RESULT = { success: true, validRows: 9, invalidRows: 3 };

/** Data rows preview --invalid-only lists. */
export const CONTACTS_INVALID_ROWS = [4, 5, 8];

export const CONTACTS_IMPORT_RESULT = { success: true, imported: 8, updated: 0, skipped: 4, invalid: 3, duplicates: 1, excluded: 0 };

/** Rows named in the import's errors: the invalid ones and the duplicate. */
export const CONTACTS_ERROR_ROWS = [4, 5, 6, 8];

export const CONTACTS_IMPORTED_EMAILS = [
  'ana.garcia@example.com',
  'bob@example.com',
  'chen.wei@example.cn',
  'emil@example.de',
  'grace@example.com',
  'helene@example.fr',
  'ivan@example.ru',
  'judy@example.com',
];
