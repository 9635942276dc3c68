import { randomBytes } from 'node:crypto';
import * as fsp from 'node:fs/promises';
import path from 'node:path';

// Contact data is personal: everything the tool creates is for its owner only, whatever the
// umask (a mode given to open/mkdir can only be narrowed by it, never widened).

/** Folders the tool creates: owner only. */
export const PRIVATE_DIR_MODE = 0o700;
/** Files the tool creates: owner read/write only. */
export const PRIVATE_FILE_MODE = 0o600;

/** Creates a folder (and its missing parents) as PRIVATE_DIR_MODE; existing ones are left as they are. */
export async function makePrivateDir(dir: string): Promise<void> {
  await fsp.mkdir(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
}

export interface PrivateTemp {
  path: string;
  handle: fsp.FileHandle;
}

/**
 * A new, empty temporary file next to `target` (so the final rename never crosses filesystems):
 * a random hidden name, created with O_EXCL so it is never an existing file or a planted
 * symlink (O_CREAT|O_EXCL does not follow one), readable by its owner only.
 */
export async function openPrivateTemp(target: string): Promise<PrivateTemp> {
  const dir = path.dirname(target);
  await makePrivateDir(dir);
  const temp = path.join(dir, `.${path.basename(target).slice(0, 100)}.${randomBytes(8).toString('hex')}.part`);
  const handle = await fsp.open(temp, 'wx', PRIVATE_FILE_MODE);
  return { path: temp, handle };
}
