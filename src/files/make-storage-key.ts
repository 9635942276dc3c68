import { randomInt } from 'node:crypto';

/** The folder (or S3 prefix) every uploaded file is stored under. */
export const UPLOADS_PREFIX = 'uploads/';
const MAX_NAME_LENGTH = 100;
const ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyz';

/**
 * A fresh storage key for an uploaded file: `uploads/<timestamp>-<6 base36 chars>-<name>`.
 * The name comes from the user, so it is reduced to a harmless single path segment: it can
 * never climb out of the uploads folder, hide itself, or carry control characters.
 */
export function makeStorageKey(fileName: string, now: number = Date.now()): string {
  let suffix = '';
  for (let i = 0; i < 6; i++) suffix += ALPHABET[randomInt(ALPHABET.length)];
  return `${UPLOADS_PREFIX}${Math.trunc(now)}-${suffix}-${sanitizeFileName(fileName)}`;
}

/**
 * Whether a key read back from somewhere (a session record in a shared Redis, say) is one
 * makeStorageKey could have made: a single harmless name directly under the uploads prefix.
 * Anything else could make a step read or delete another object (a template, a lock…).
 */
export function isUploadKey(key: unknown): key is string {
  return typeof key === 'string' && key.startsWith(UPLOADS_PREFIX) && /^[A-Za-z0-9][A-Za-z0-9._-]{0,150}$/.test(key.slice(UPLOADS_PREFIX.length));
}

/** Keeps `[A-Za-z0-9._-]`, at most 100 characters, extension preserved, never empty. */
export function sanitizeFileName(fileName: string): string {
  const replaced = String(fileName).replace(/[^A-Za-z0-9._-]/g, '_');
  // Split off a short extension first so a name made only of replaced characters
  // ("контакты.csv") still keeps its ".csv".
  const match = /^(.+?)(\.[A-Za-z0-9]{1,10})$/.exec(replaced);
  let stem = match ? match[1]! : replaced;
  const ext = match ? match[2]! : '';
  stem = tidy(stem);
  if (stem === '') stem = 'file';
  const room = MAX_NAME_LENGTH - ext.length;
  if (stem.length > room) stem = tidy(stem.slice(0, room)) || 'file';
  return stem + ext;
}

/** Collapses runs of `_`, `.` and `-`, and trims separators (leading dots would hide the file). */
function tidy(stem: string): string {
  return stem
    .replace(/_+/g, '_')
    .replace(/\.+/g, '.')
    .replace(/-+/g, '-')
    .replace(/^[._-]+/, '')
    .replace(/[._-]+$/, '');
}
