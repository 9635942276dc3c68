import { SYSTEM_FIELDS, type Contact, type FieldKey } from '../types.js';
import { isValidEmail, normalizeEmail } from './normalize-email.js';
import { normalizePhone, type CountryCode } from './normalize-phone.js';
import { quoteValue } from './quote-value.js';
import { textProblem } from './text-problem.js';

export interface FieldError {
  field: FieldKey;
  message: string;
}

export interface ValidateOptions {
  /** Region for numbers written without a country code. */
  defaultCountry: CountryCode;
}

export interface ValidationResult {
  /** The normalized contact, or null when any field failed. */
  contact: Contact | null;
  errors: FieldError[];
}

/**
 * Applies SPEC §5 to one row's mapped values: email trimmed, lower-cased and checked; required
 * fields non-blank; phone possible and stored in E.164; other text trimmed and otherwise kept
 * as given. Blank optional fields are left out of the contact. Every failing field is reported.
 * Text no database can store as given (NUL characters, lone surrogates) fails in any field.
 */
export function validateContact(
  fields: Partial<Record<FieldKey, string>>,
  options: ValidateOptions,
): ValidationResult {
  const contact: Partial<Record<FieldKey, string>> = {};
  let errors: FieldError[] | undefined;
  const fail = (field: FieldKey, message: string): void => {
    (errors ??= []).push({ field, message });
  };

  for (const { key, label, required, type } of SYSTEM_FIELDS) {
    const raw = fields[key];
    const value = raw === undefined ? '' : raw.trim();
    if (value === '') {
      if (required) fail(key, `${label} is required`);
      continue;
    }
    const problem = textProblem(value);
    if (problem) {
      fail(key, `${label} ${problem}`);
      continue;
    }
    if (type === 'email') {
      const email = normalizeEmail(value);
      if (isValidEmail(email)) contact[key] = email;
      else fail(key, `${label} ${quoteValue(value)} is not a valid email address`);
    } else if (type === 'phone') {
      const phone = normalizePhone(value, options.defaultCountry);
      if (phone.ok) contact[key] = phone.value;
      else fail(key, `${label} ${quoteValue(value)} is ${phone.reason}`);
    } else {
      contact[key] = value;
    }
  }

  if (errors) return { contact: null, errors };
  return { contact: contact as Contact, errors: [] };
}
