import { applyMapping, type MappingPlan } from '../contacts/compile-mapping.js';
import { fieldByKey, type Contact, type FieldKey, type MappingField } from '../contacts/fields.js';
import { spreadsheetError } from '../contacts/spreadsheet-error.js';
import { validateContact, type BlankedValue, type ValidateOptions } from '../contacts/validate-contact.js';
import type { CellError } from '../records/record-source.js';

export type RowRules = ValidateOptions;

function labelOf(field: MappingField): string {
  return field === 'fullName' ? 'Full Name' : fieldByKey(field).label;
}

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
  /** Bad optional values left out of the contact (onInvalidValue 'blank'); absent when none. */
  blanked?: BlankedValue[];
  /** Spreadsheet error cells in mapped columns, read as empty; absent when none. */
  warnings?: string[];
}

/**
 * Maps, normalizes and validates one row: the one place every step applies SPEC §5 and the
 * value policy. A spreadsheet error cell (#DIV/0!, #N/A… — an XLSX error cell, or the text a
 * CSV export writes for one) is an empty value with a warning, never by itself a reason to
 * reject the row; in a column that is not mapped it is not even a warning.
 */
export function checkRecord(
  record: { row: number; values: string[]; problems?: string[]; cellErrors?: CellError[] },
  plan: MappingPlan,
  rules: RowRules,
): CheckedRow {
  let values = record.values;
  let warnings: string[] | undefined;
  for (const entry of plan.entries) {
    const value = values[entry.index];
    const error = value === undefined || value === '' ? undefined : spreadsheetError(value);
    if (error) {
      if (values === record.values) values = [...values];
      values[entry.index] = '';
      (warnings ??= []).push(`${labelOf(entry.field)}: column "${entry.column}" holds the spreadsheet error ${error}, read as empty`);
    }
  }
  if (record.cellErrors) {
    for (const cell of record.cellErrors) {
      const entry = plan.entries.find((e) => e.index === cell.column);
      if (entry) (warnings ??= []).push(`${labelOf(entry.field)}: ${cell.message}, read as empty`);
    }
  }
  const fields = applyMapping(plan, values);
  const result = validateContact(fields, rules);
  if (result.notes) (warnings ??= []).push(...result.notes);
  const errors = result.errors.map((e) => e.message);
  if (record.problems && record.problems.length > 0) errors.unshift(...record.problems);
  const errorFields = result.errors.map((e) => e.field);
  const checked: CheckedRow = { row: record.row, fields, contact: errors.length === 0 ? result.contact : null, errors, errorFields };
  if (result.blanked) checked.blanked = result.blanked;
  if (warnings) checked.warnings = warnings;
  return checked;
}
