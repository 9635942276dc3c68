/**
 * Folds a header (or field name) to the form auto-mapping compares: compatibility-decomposed,
 * diacritics dropped, lower-cased, only letters and digits kept. "E-mail", "e_mail" and
 * "Émail" all become "email"; non-Latin letters are kept so such headers never fold to "".
 */
export function normalizeHeader(header: string): string {
  return header
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '');
}
