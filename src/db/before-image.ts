import { SYSTEM_FIELDS } from '../contacts/fields.js';
import { FIELD_COLUMNS } from './field-columns.js';

/**
 * What contact_import_changes.before keeps of a contact an import updated: every field column
 * an update may overwrite (all but email, the lookup key) and updated_at, keyed by column name.
 * Undo writes these back as they are.
 */
export const BEFORE_IMAGE_COLUMNS: readonly string[] = [
  ...SYSTEM_FIELDS.filter((field) => field.key !== 'email').map((field) => FIELD_COLUMNS[field.key]),
  'updated_at',
];
