/**
 * Why a text value cannot be stored as it is, or undefined when it can. PostgreSQL text
 * refuses NUL characters and invalid UTF-8; the check applies to every engine so that SQLite
 * and PostgreSQL accept exactly the same rows. A lone UTF-16 surrogate (a high one not
 * followed by a low one, or a low one not preceded by a high one) has no UTF-8 form (encoders
 * silently turn it into U+FFFD): isWellFormed is false exactly for a string with one, and
 * scans in native code several times faster than a regular expression with a lookbehind.
 */
export function textProblem(value: string): string | undefined {
  if (value.includes('\0')) return 'contains a NUL character';
  if (!value.isWellFormed()) return 'contains invalid Unicode';
  return undefined;
}
