// Values from a file reach the terminal: escape control characters (an ESC could move the
// cursor or retitle the window) and bidi overrides (which can reorder what is shown).
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

export function safeText(value: string, maxLength = Infinity): string {
  const escaped = value
    .replace(/\r\n|\r|\n/g, '⏎')
    .replace(/\t/g, '→')
    .replace(UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return escaped.length > maxLength ? `${escaped.slice(0, maxLength - 1)}…` : escaped;
}
