import type { CountryCode } from 'libphonenumber-js';
import { applyMapping, type MappingPlan } from '../contacts/compile-mapping.js';
import { validateContact } from '../contacts/validate-contact.js';
import type { Contact, FieldKey } from '../types.js';

export interface CheckedRow {
  row: number;
  /** The mapped raw values. */
  fields: Partial<Record<FieldKey, string>>;
  /** The normalized contact, or null when the row is invalid. */
  contact: Contact | null;
  /** Structural problems first, then field errors; empty when valid. */
  errors: string[];
  /** The fields the errors are about (structural problems name none). */
  errorFields: FieldKey[];
}

/** Maps, normalizes and validates one row: the one place every step applies SPEC §5. */
export function checkRecord(
  record: { row: number; values: string[]; problems?: string[] },
  plan: MappingPlan,
  defaultCountry: CountryCode,
): CheckedRow {
  const fields = applyMapping(plan, record.values);
  const result = validateContact(fields, { defaultCountry });
  const errors = result.errors.map((e) => e.message);
  if (record.problems && record.problems.length > 0) errors.unshift(...record.problems);
  const errorFields = result.errors.map((e) => e.field);
  return { row: record.row, fields, contact: errors.length === 0 ? result.contact : null, errors, errorFields };
}
