/**
 * A number written with digits, an optional leading `+` and the punctuation ` ().-/`, then
 * an extension in one of the common forms libphonenumber reads (its EXTN pattern, from
 * Google's libphonenumber): `;ext=123` (RFC 3966, up to 20 digits), `ext`, `extn` or
 * `extension` (an explicit label: up to 20 digits), `x` or `#` (an ambiguous label: up to 9),
 * any case, after any spaces, the label maybe followed by one `.` or `:` and spaces or dashes,
 * the explicit and ambiguous ones maybe ending in `#`. Each form, with its digit limit, is a
 * subset of one alternative of that pattern, and none of its labels can appear in the number
 * part, so libphonenumber cuts such a text at the same label: it parses the number part alone
 * and keeps the digits after the label as the extension. Other forms (commas, `~`, `int`,
 * full-width or non-ASCII digits, longer extensions) are not matched here and go to
 * libphonenumber as written.
 */
const WITH_EXTENSION =
  /^(\+?[0-9 ().\-/]+?) *(?:;ext=([0-9]{1,20})|ext(?:n|ension)?[.:]?[ -]*([0-9]{1,20})#?|[x#][.:]?[ -]*([0-9]{1,9})#?)$/i;

/** The number part and extension digits of a text WITH_EXTENSION matches, else undefined. */
export function splitPhoneExtension(text: string): { number: string; ext: string } | undefined {
  const m = WITH_EXTENSION.exec(text);
  if (!m) return undefined;
  return { number: m[1] as string, ext: (m[2] ?? m[3] ?? m[4]) as string };
}
