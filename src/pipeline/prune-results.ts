import fsp from 'node:fs/promises';
import path from 'node:path';
import { toImportError } from '../errors.js';
import { symlinkFree } from './symlink-free.js';

export interface PrunedFile {
  key: string;
  size: number;
  lastModified: string;
}

/**
 * The report files under `<home>/results/` last modified at or before `cutoff`: regular files
 * only, never through a symbolic link (the folder itself, or one of its entries).
 */
export async function oldResults(home: string, cutoff: number): Promise<PrunedFile[]> {
  if (!(await symlinkFree(home, 'results'))) return [];
  const dir = path.join(home, 'results');
  const names = await fsp.readdir(dir).catch(() => [] as string[]);
  const old: PrunedFile[] = [];
  for (const name of names) {
    const info = await fsp.lstat(path.join(dir, name)).catch(() => undefined);
    if (!info?.isFile() || info.mtimeMs > cutoff) continue;
    old.push({ key: `results/${name}`, size: info.size, lastModified: info.mtime.toISOString() });
  }
  return old;
}

export async function deleteResult(home: string, file: PrunedFile): Promise<void> {
  if (!(await symlinkFree(home, file.key))) return;
  await fsp.unlink(path.join(home, file.key)).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'ENOENT') throw toImportError(error, `cannot delete ${file.key}`);
  });
}
