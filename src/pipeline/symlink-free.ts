import fsp from 'node:fs/promises';
import path from 'node:path';

/**
 * Whether `relative` (a key or file under `root`) can be reached from `root` without passing a
 * symbolic link: a symlinked `uploads/` (or a file swapped for a link) must never make a prune
 * delete what lies behind it. A missing part ends the walk: nothing lies behind it to follow.
 */
export async function symlinkFree(root: string, relative: string): Promise<boolean> {
  let current = root;
  for (const part of relative.split('/').filter(Boolean)) {
    current = path.join(current, part);
    try {
      if ((await fsp.lstat(current)).isSymbolicLink()) return false;
    } catch {
      return true;
    }
  }
  return true;
}
