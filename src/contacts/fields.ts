import { SYSTEM_FIELDS, type FieldKey, type SystemField } from '../types.js';

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
