import { SYSTEM_FIELDS, type Contact, type FieldKey, type SystemField } from './fields.js';
import { countryCodeOf } from './country-code.js';
import { emailProblem, isValidEmail, normalizeEmail } from './normalize-email.js';
import { normalizePhone, type CountryCode } from './normalize-phone.js';
import { quoteValue } from './quote-value.js';
import { textProblem } from './text-problem.js';

/**
 * What a bad value in an optional field (phone, or text no database can store) does to its
 * row: 'reject' (default) makes the row invalid; 'blank' imports the contact without that
 * value and reports the value and the reason.
 */
export type OnInvalidValue = 'reject' | 'blank';

export interface FieldError {
  field: FieldKey;
  message: string;
}

/** A bad optional value left out of an imported contact (onInvalidValue 'blank'). */
export interface BlankedValue extends FieldError {
  /** The value as the file had it. */
  value: string;
}

export interface ValidateOptions {
  /** Region for numbers written without a country code, when the row names no country. */
  defaultCountry: CountryCode;
  /**
   * What a bad value in an optional field does: 'reject' (default) makes the row invalid;
   * 'blank' imports the contact with that field empty and reports the value in `blanked`.
   * A required field (email, firstName) always rejects the row.
   */
  onInvalidValue?: OnInvalidValue;
}

export interface ValidationResult {
  /** The normalized contact, or null when any field failed. */
  contact: Contact | null;
  errors: FieldError[];
  /** Bad optional values emptied under onInvalidValue 'blank' (absent when none). */
  blanked?: BlankedValue[];
  /** Multi-value cells of which the first valid value was taken, naming the others (absent when none). */
  notes?: string[];
}

/**
 * Applies SPEC §5 to one row's mapped values: email trimmed, lower-cased and checked; required
 * fields non-blank; phone *valid* for the row's country (its mapped Country cell when that
 * names one, else the default country) and stored in E.164; other text trimmed and otherwise
 * kept as given. Blank optional fields are left out of the contact. Every failing field is
 * reported. Text no database can store as given (NUL characters, lone surrogates) fails in
 * any field.
 */
export function validateContact(
  fields: Partial<Record<FieldKey, string>>,
  options: ValidateOptions,
): ValidationResult {
  const contact: Partial<Record<FieldKey, string>> = {};
  const blank = options.onInvalidValue === 'blank';
  let errors: FieldError[] | undefined;
  let blanked: BlankedValue[] | undefined;
  let notes: string[] | undefined;
  const fail = (key: FieldKey, required: boolean, message: string, value: string): void => {
    if (blank && !required) (blanked ??= []).push({ field: key, message, value });
    else (errors ??= []).push({ field: key, message });
  };

  for (const { key, label, required, type } of SYSTEM_FIELDS) {
    const raw = fields[key];
    let value = raw === undefined ? '' : raw.trim();
    const several = key === 'notes' ? undefined : valuesOf(value, type);
    if (several) {
      const taken = several.find((candidate) => isGood(candidate, type, fields.country, options.defaultCountry));
      if (taken !== undefined) {
        const others = several.filter((c) => c !== taken).map(quoteValue);
        (notes ??= []).push(`${label}: ${quoteValue(value)} holds ${several.length} values; took ${quoteValue(taken)}, not imported: ${others.join(', ')}`);
        value = taken;
      }
    }
    if (value === '') {
      if (required) fail(key, true, `${label} is required`, '');
      continue;
    }
    const problem = textProblem(value);
    if (problem) {
      fail(key, required, `${label} ${problem}`, raw as string);
      continue;
    }
    if (type === 'email') {
      const inside = emailProblem(value);
      const email = normalizeEmail(value);
      if (inside) fail(key, required, `${label} ${quoteValue(value)} ${inside}`, raw as string);
      else if (isValidEmail(email)) contact[key] = email;
      else fail(key, required, `${label} ${quoteValue(value)} is not a valid email address`, raw as string);
    } else if (type === 'phone') {
      const phone = normalizePhone(value, phoneRegion(fields.country, options.defaultCountry));
      if (phone.ok) contact[key] = phone.value;
      else fail(key, required, `${label} ${quoteValue(value)} is ${phone.reason}${regionSource(fields.country)}`, raw as string);
    } else {
      contact[key] = value;
    }
  }

  const result: ValidationResult = errors ? { contact: null, errors } : { contact: contact as Contact, errors: [] };
  if (blanked) result.blanked = blanked;
  if (notes) result.notes = notes;
  return result;
}

/**
 * The values of a multi-value cell: Google Contacts joins them with ` ::: ` in any field, and
 * people list emails with `;` or one per line. Undefined for a cell with one value.
 */
function valuesOf(value: string, type: SystemField['type']): string[] | undefined {
  let parts: string[];
  if (value.includes(':::')) parts = value.split(':::');
  else if (type === 'email' && /[;\n]/.test(value)) parts = value.split(/[;\r\n]/);
  else return undefined;
  const values = parts.map((p) => p.trim()).filter((p) => p !== '');
  return values.length > 1 ? values : undefined;
}

/** Whether one value of a multi-value cell passes its field's rule (the first that does is taken). */
function isGood(value: string, type: SystemField['type'], country: string | undefined, defaultCountry: CountryCode): boolean {
  if (textProblem(value)) return false;
  if (type === 'email') return !emailProblem(value) && isValidEmail(normalizeEmail(value));
  if (type === 'phone') return normalizePhone(value, phoneRegion(country, defaultCountry)).ok;
  return true;
}

/** The row's country when its Country cell names one libphonenumber knows, else the default. */
function phoneRegion(country: string | undefined, defaultCountry: CountryCode): CountryCode {
  const text = country?.trim();
  return (text ? countryCodeOf(text) : undefined) ?? defaultCountry;
}

/**
 * Where phoneRegion took the region from, for the message of a failing number (built only
 * then, not quoted for every row whose number is fine).
 */
function regionSource(country: string | undefined): string {
  const text = country?.trim();
  if (!text) return ' (the default country)';
  if (countryCodeOf(text)) return ` (the row's country ${quoteValue(text)})`;
  return ` (the default country; the row's country ${quoteValue(text)} is not one known)`;
}
