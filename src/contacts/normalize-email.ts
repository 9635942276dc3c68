import validator from 'validator';

// validator.isEmail's default limits: 254 characters overall, and a domain with a dot and a
// TLD of at least two characters after it (require_tld).
const MAX_EMAIL_LENGTH = 254;

/** SPEC §5: trimmed and lower-cased; validity is checked separately by isValidEmail. */
export function normalizeEmail(raw: string): string {
  return raw.trim().toLowerCase();
}

/** validator.isEmail with default options, behind a cheap pre-check that only rejects. */
export function isValidEmail(normalized: string): boolean {
  return couldBeEmail(normalized) && validator.isEmail(normalized);
}

/**
 * Rejects, in a few character scans, only strings that isEmail would reject too. It must never
 * say no to something isEmail accepts: isEmail splits at the LAST '@' and allows a quoted local
 * part ("a b@c"@x.io) containing spaces and '@', so those checks apply to unquoted ones only.
 */
function couldBeEmail(s: string): boolean {
  const length = s.length;
  if (length < 6 || length > MAX_EMAIL_LENGTH) return false; // shortest: a@b.cd
  const at = s.lastIndexOf('@');
  if (at < 1) return false;
  const dot = s.lastIndexOf('.');
  if (dot < at + 2 || dot > length - 3) return false;
  if (s.charCodeAt(0) !== 0x22 /* " */) {
    if (s.indexOf('@') !== at) return false;
    if (/[ \t\r\n]/.test(s)) return false;
  }
  return true;
}
