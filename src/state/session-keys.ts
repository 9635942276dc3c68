/** Where one upload's session lives in the state store (the seed's keys, plus `upload`). */
export const STORAGE_KEYS = {
  analysis: (fileId: string) => `analysis:${fileId}`,
  progress: (fileId: string) => `analysis:${fileId}:progress`,
  mapping: (fileId: string) => `mapping:${fileId}`,
  /** Added to the seed's keys: what `upload` stored, so later steps can find the file. */
  upload: (fileId: string) => `upload:${fileId}`,
};

// Which keys belong to one fileId's session, derived from STORAGE_KEYS itself so a key added
// there is covered without touching the stores.

const MARK = '\u0000';
const TEMPLATES = Object.values(STORAGE_KEYS).map((keyOf) => {
  const [before, after] = keyOf(MARK).split(MARK);
  return { before, after };
});
/** FileIds never contain ':'; requiring that keeps `analysis:<id>:progress` from also reading as `analysis:<id>`. */
const FILE_ID = /^[^:]+$/;

/** The fileId whose session `key` belongs to, or null for any other key (locks, templates…). */
export function sessionFileId(key: string): string | null {
  for (const { before, after } of TEMPLATES) {
    if (key.length <= before.length + after.length || !key.startsWith(before) || !key.endsWith(after)) continue;
    const fileId = key.slice(before.length, key.length - after.length);
    if (FILE_ID.test(fileId)) return fileId;
  }
  return null;
}

/** Every STORAGE_KEYS key of the fileId's session. */
export function sessionKeys(fileId: string): string[] {
  return Object.values(STORAGE_KEYS).map((keyOf) => keyOf(fileId));
}

/** The other keys of the session `key` belongs to (empty for a key outside any session). */
export function sessionSiblings(key: string): string[] {
  const fileId = sessionFileId(key);
  return fileId === null ? [] : sessionKeys(fileId).filter((other) => other !== key);
}
