// A lone UTF-16 surrogate: a high one not followed by a low one, or a low one not preceded by
// a high one. Such a string has no UTF-8 form (encoders silently turn it into U+FFFD).
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Why a text value cannot be stored as it is, or undefined when it can. PostgreSQL text
 * refuses NUL characters and invalid UTF-8; the check applies to every engine so that SQLite
 * and PostgreSQL accept exactly the same rows.
 */
export function textProblem(value: string): string | undefined {
  if (value.includes('\0')) return 'contains a NUL character';
  if (LONE_SURROGATE.test(value)) return 'contains invalid Unicode';
  return undefined;
}
