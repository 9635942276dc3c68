// The contact fields: what a column can be mapped to and what a stored contact holds.
// SYSTEM_FIELDS is the seed's API shape (key, label, required, type), served as is by
// `GET /api/fields`; where each field lives in a database is db/field-columns.ts's business.

export type FieldKey =
  | 'email'
  | 'firstName'
  | 'lastName'
  | 'phone'
  | 'company'
  | 'title'
  | 'address'
  | 'city'
  | 'state'
  | 'country'
  | 'zipCode'
  | 'notes';

export interface SystemField {
  key: FieldKey;
  label: string;
  required: boolean;
  type: 'email' | 'phone' | 'text';
}

export const SYSTEM_FIELDS: readonly SystemField[] = [
  { key: 'email', label: 'Email', required: true, type: 'email' },
  { key: 'firstName', label: 'First Name', required: true, type: 'text' },
  { key: 'lastName', label: 'Last Name', required: false, type: 'text' },
  { key: 'phone', label: 'Phone', required: false, type: 'phone' },
  { key: 'company', label: 'Company', required: false, type: 'text' },
  { key: 'title', label: 'Job Title', required: false, type: 'text' },
  { key: 'address', label: 'Address', required: false, type: 'text' },
  { key: 'city', label: 'City', required: false, type: 'text' },
  { key: 'state', label: 'State/Province', required: false, type: 'text' },
  { key: 'country', label: 'Country', required: false, type: 'text' },
  { key: 'zipCode', label: 'Zip/Postal Code', required: false, type: 'text' },
  { key: 'notes', label: 'Notes', required: false, type: 'text' },
];

/** A normalized contact, ready to store: every mapped field, trimmed; unmapped fields absent. */
export type Contact = { email: string; firstName: string } & Partial<Record<FieldKey, string>>;

/**
 * What a column can be mapped to: a field, or `fullName`, a whole name split into firstName
 * and lastName (see splitFullName).
 */
export type MappingField = FieldKey | 'fullName';

/** Column header → field key. Columns left out are not imported. */
export type Mapping = Record<string, MappingField>;

const BY_KEY: ReadonlyMap<string, SystemField> = new Map(SYSTEM_FIELDS.map((f) => [f.key, f]));

/** Every field key, in SYSTEM_FIELDS order. */
export const FIELD_KEYS: readonly FieldKey[] = SYSTEM_FIELDS.map((f) => f.key);

/** Fields a row cannot be imported without (email, firstName). */
export const REQUIRED_FIELDS: readonly FieldKey[] = SYSTEM_FIELDS.filter((f) => f.required).map(
  (f) => f.key,
);

// A Map lookup, not `key in obj`, so strings like "constructor" are never field keys.
export function isFieldKey(s: string): s is FieldKey {
  return BY_KEY.has(s);
}

export function fieldByKey(key: FieldKey): SystemField {
  const field = BY_KEY.get(key);
  if (!field) throw new TypeError(`Unknown field key: ${String(key)}`);
  return field;
}
