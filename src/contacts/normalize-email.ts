import validator from 'validator';

// validator.isEmail's default limits: 254 characters overall, and a domain with a dot and a
// TLD of at least two characters after it (require_tld).
const MAX_EMAIL_LENGTH = 254;

// Invisible characters that copy-paste from web pages and chat apps leaves in addresses:
// zero-width space/non-joiner/joiner, word joiner, a stray byte order mark, soft hyphen, and
// the bidirectional controls (LRM/RLM, embeddings and overrides, isolates). isEmail accepts
// some of them, and an address with one inside looks right and is not the address typed.
// Around the address they are trimmed like spaces; inside it they make it invalid.
const INVISIBLE_CHARS = '\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff';
const OUTER_INVISIBLE = new RegExp(`^[\\s${INVISIBLE_CHARS}]+|[\\s${INVISIBLE_CHARS}]+$`, 'g');
const INVISIBLE = new RegExp(`[${INVISIBLE_CHARS}]`);

/**
 * SPEC §5: trimmed (JavaScript's trim also takes no-break spaces U+00A0 and U+202F, and
 * invisible characters around the address go too) and lower-cased; in Unicode NFC so that an
 * `é` typed as one character or as `e` + combining accent is one address. Internationalized
 * domains are kept as given (`bücher.de` is not turned into `xn--bcher-kva.de`, nor the
 * reverse), only lower-cased. Validity is checked separately by emailProblem and isValidEmail.
 */
export function normalizeEmail(raw: string): string {
  if (PRINTABLE_ASCII.test(raw)) return raw.toLowerCase();
  return stripOuter(raw).toLowerCase().normalize('NFC');
}

/** Printable ASCII only: nothing to trim, nothing invisible, already NFC (the common case). */
const PRINTABLE_ASCII = /^[\x21-\x7e]*$/;

function stripOuter(raw: string): string {
  const text = raw.trim();
  return OUTER_INVISIBLE_CHAR.test(text) ? text.replace(OUTER_INVISIBLE, '') : text;
}
const OUTER_INVISIBLE_CHAR = new RegExp(`^[${INVISIBLE_CHARS}]|[${INVISIBLE_CHARS}]$`);

/**
 * Why an address cannot be taken as written even though it may look right: an invisible
 * character inside it, named with its code point and position (1-based, in the trimmed
 * address) and shown where it is. Undefined when there is none.
 */
export function emailProblem(raw: string): string | undefined {
  if (PRINTABLE_ASCII.test(raw)) return undefined;
  const text = stripOuter(raw);
  const m = INVISIBLE.exec(text);
  if (!m) return undefined;
  const code = `U+${m[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
  const shown = `${text.slice(0, m.index)}[${code}]${text.slice(m.index + 1).replace(new RegExp(`[${INVISIBLE_CHARS}]`, 'g'), '[?]')}`;
  return `contains an invisible character ${code} at position ${m.index + 1} (${shown}); retype the address`;
}

/**
 * The common shape of an address, every one of which isEmail accepts: an unquoted ASCII local
 * part of dot-separated atoms (its character set is a subset of isEmail's), and a domain of at
 * least two labels of letters, digits and inner hyphens, each at most 63 long, ending in an
 * all-letter TLD. With the length limits checked beside it (254 overall, 64 before the '@'),
 * a match needs no further check; anything else goes to isEmail itself (~2.5 µs a call).
 */
const PLAIN_EMAIL =
  /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*@(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
const MAX_LOCAL_PART_LENGTH = 64;

/**
 * validator.isEmail with default options, behind cheap checks that give its answer faster: the
 * common shape first (nearly every address), then the quick rejections, which every plain
 * address would pass anyway.
 */
export function isValidEmail(normalized: string): boolean {
  if (isPlainEmail(normalized)) return true;
  if (!couldBeEmail(normalized)) return false;
  return validator.isEmail(normalized);
}

/** True only for addresses isEmail accepts (see PLAIN_EMAIL); exported for its test. */
export function isPlainEmail(s: string): boolean {
  return s.length <= MAX_EMAIL_LENGTH && s.indexOf('@') <= MAX_LOCAL_PART_LENGTH && PLAIN_EMAIL.test(s);
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
